package web

func (s *Server) resourcePageRoutes() {}
