package web

func (s *Server) ocopPageRoutes() {}
