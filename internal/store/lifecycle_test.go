package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// Disabling, a role or unit change and a password reset end the user's sessions and tokens
// at once; every change is in the audit log.
func TestUserLifecycle_EndsSessionsAndTokens(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, auth.User{Username: "lan", Role: auth.RoleProvince, UnitCode: "01"}, "admin")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		grant := func() (string, string) {
			n++
			s := store.Session{TokenHash: "s" + string(rune('a'+n)), UserID: u.ID, CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			tok, err := db.CreateAPIToken(ctx, store.APIToken{TokenHash: "t" + string(rune('a'+n)), UserID: u.ID}, "admin")
			if err != nil {
				t.Fatal(err)
			}
			return s.TokenHash, tok.TokenHash
		}
		gone := func(step, session, token string) {
			t.Helper()
			if _, _, err := db.SessionUser(ctx, session); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: the session lives on (%v)", step, err)
			}
			if _, _, err := db.APITokenUser(ctx, token); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: the token works on (%v)", step, err)
			}
		}
		s, tk := grant()
		if list, err := db.UserSessions(ctx, u.ID); err != nil || len(list) != 1 {
			t.Fatalf("sessions: %v %v", list, err)
		}
		if err := db.SetUserRole(ctx, u.ID, auth.RoleViewer, "01", "admin"); err != nil {
			t.Fatal(err)
		}
		gone("role change", s, tk)
		s, tk = grant()
		if err := db.SetUserPassword(ctx, u.ID, "$argon2id$z", "admin"); err != nil {
			t.Fatal(err)
		}
		gone("password reset", s, tk)
		s, tk = grant()
		if err := db.SetUserDisabled(ctx, u.ID, true, "admin"); err != nil {
			t.Fatal(err)
		}
		db.SetUserDisabled(ctx, u.ID, false, "admin")
		gone("disable then enable", s, tk)
		// Ending sessions by hand; one's own password change keeps the session in use.
		grant()
		grant()
		if n, err := db.EndSessions(ctx, u.ID, "admin"); err != nil || n != 2 {
			t.Errorf("EndSessions: %d %v", n, err)
		}
		s, _ = grant()
		s2, tk2 := grant()
		if err := db.ChangeOwnPassword(ctx, u.ID, "$argon2id$w", s2); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, s); !errors.Is(err, store.ErrNotFound) {
			t.Error("own password change: another session lives on")
		}
		if _, _, err := db.SessionUser(ctx, s2); err != nil {
			t.Errorf("own password change ended the session in use: %v", err)
		}
		if _, _, err := db.APITokenUser(ctx, tk2); err != nil {
			t.Errorf("own password change revoked a token: %v", err)
		}
		log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "user", EntityID: "lan", Limit: 100})
		seen := map[string]bool{}
		for _, e := range log {
			seen[e.Action] = true
		}
		for _, a := range []string{"update", "set_password", "end_sessions", "change_password"} {
			if !seen[a] {
				t.Errorf("audit log lacks %s: %+v", a, log)
			}
		}
	})
}
