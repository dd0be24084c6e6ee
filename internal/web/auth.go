package web

import (
	"log/slog"

	"github.com/ntm-vn/ntm/internal/store"
)

// authenticator is a placeholder until sign-in and scopes land.
type authenticator struct{}

func newAuthenticator(db *store.DB, log *slog.Logger) *authenticator { return &authenticator{} }

func (s *Server) authRoutes() {}
