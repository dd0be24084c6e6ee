package web

import "time"

// SetClock replaces the server's clock (sign-in throttles, sessions) in tests.
func (s *Server) SetClock(now func() time.Time) { s.auth.now = now }
