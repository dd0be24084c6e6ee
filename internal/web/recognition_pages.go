package web

func (s *Server) recognitionPageRoutes() {}
