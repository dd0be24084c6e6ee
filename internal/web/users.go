package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The user lifecycle over the API (issue 15): an admin manages everyone; a province officer
// the users whose home unit lies in their province, never above their own role (the action
// manage_accounts). Disabling, a role or unit change and a password reset end the user's
// sessions and tokens at once (the store does it in the same transaction); every change is
// audited. Everyone changes their own password with the old one.

func (s *Server) userRoutes() {
	s.mux.HandleFunc("GET /api/v1/users", s.authed(s.listUsers))
	s.mux.HandleFunc("POST /api/v1/users/{name}/disable", s.authed(s.userAction(s.disableUser(true))))
	s.mux.HandleFunc("POST /api/v1/users/{name}/enable", s.authed(s.userAction(s.disableUser(false))))
	s.mux.HandleFunc("POST /api/v1/users/{name}/password", s.authed(s.userAction(s.resetPassword)))
	s.mux.HandleFunc("PATCH /api/v1/users/{name}", s.authed(s.userAction(s.setUserRole)))
	s.mux.HandleFunc("GET /api/v1/users/{name}/sessions", s.authed(s.userAction(s.userSessions)))
	s.mux.HandleFunc("DELETE /api/v1/users/{name}/sessions", s.authed(s.userAction(s.endUserSessions)))
	s.mux.HandleFunc("GET /api/v1/users/{name}/tokens", s.authed(s.userAction(s.userTokens)))
	s.mux.HandleFunc("POST /api/v1/me/password", s.authed(s.changeOwnPassword))
	s.userPageRoutes() // users_pages.go
}

func init() {
	documentAPI(map[string]APIDoc{
		"GET /api/v1/users": {Summary: "Users the caller manages: everyone for an admin, those whose home unit lies in a province officer's province.",
			Params: []APIParam{{Name: "within", Description: "only users whose home unit lies within this unit"}}, Returns: "{users, count}"},
		"POST /api/v1/users/{name}/disable":  {Summary: "Disable a user: their sessions end and their API tokens are revoked at once (audited)."},
		"POST /api/v1/users/{name}/enable":   {Summary: "Enable a disabled user (audited); ended sessions and revoked tokens stay so."},
		"POST /api/v1/users/{name}/password": {Summary: "Reset a user's password; sessions and tokens end at once (audited).", Body: "{password}"},
		"PATCH /api/v1/users/{name}": {Summary: "Change a user's role and/or home unit (never above the caller's role); sessions and tokens end at once (audited).",
			Body: "{role?, unit?}"},
		"GET /api/v1/users/{name}/sessions":    {Summary: "A user's live sessions (start, last seen, expiry; no secrets)."},
		"DELETE /api/v1/users/{name}/sessions": {Summary: "Sign a user out everywhere (audited).", Returns: "{ended}"},
		"GET /api/v1/users/{name}/tokens":      {Summary: "A user's API tokens, without secrets; revoke one with DELETE /api/v1/tokens/{id}."},
		"POST /api/v1/me/password":             {Summary: "Change one's own password: the old one is required; other sessions end, this one stays (audited).", Body: "{old, new}"},
	})
}

// manages checks that u may manage the account target: its home unit in u's reach for
// manage_accounts, and its role not above u's.
func (s *Server) manages(r *http.Request, u *auth.User, target auth.User) error {
	if err := auth.CheckManage(u, target.Role); err != nil {
		return err
	}
	if target.UnitCode == "" { // national accounts: only those who manage everywhere
		if u.Role.Reach(auth.ManageAccounts) != auth.Everywhere {
			return auth.Refusal(u.Role, auth.ManageAccounts, "")
		}
		return nil
	}
	return s.allow(r, u, auth.ManageAccounts, target.UnitCode, s.homeDay(r, target.UnitCode))
}

// homeDay is a day on which a home unit exists: today, or its last day (a former district).
func (s *Server) homeDay(r *http.Request, code string) units.Date {
	today := units.Today()
	if _, err := s.db.Unit(r.Context(), code, today); err == nil {
		return today
	}
	if old, _, err := s.db.Successors(r.Context(), code, today); err == nil {
		return old.ValidTo
	}
	return today
}

// userAction loads the user named in the path and checks the caller manages them; a user
// out of reach is answered as a refusal, so names cannot be probed.
func (s *Server) userAction(act func(http.ResponseWriter, *http.Request, *auth.User, auth.User)) func(http.ResponseWriter, *http.Request, *auth.User) {
	return func(w http.ResponseWriter, r *http.Request, u *auth.User) {
		if u.Role.Reach(auth.ManageAccounts) == auth.Nowhere {
			s.fail(w, r, auth.Refusal(u.Role, auth.ManageAccounts, ""))
			return
		}
		target, err := s.db.UserByUsername(r.Context(), strings.ToLower(r.PathValue("name")))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.manages(r, u, target); err != nil {
			s.fail(w, r, err)
			return
		}
		act(w, r, u, target)
	}
}

// GET /api/v1/users?within=CODE
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, u *auth.User) {
	reach := u.Role.Reach(auth.ManageAccounts)
	if reach == auth.Nowhere {
		s.fail(w, r, auth.Refusal(u.Role, auth.ManageAccounts, ""))
		return
	}
	within := strings.TrimSpace(r.URL.Query().Get("within"))
	if within != "" {
		if err := s.allow(r, u, auth.ManageAccounts, within, s.homeDay(r, within)); err != nil {
			s.fail(w, r, err)
			return
		}
	} else if reach != auth.Everywhere {
		within = u.UnitCode
	}
	list, err := s.db.Users(r.Context(), within)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []auth.User{}
	for _, x := range list {
		if reach == auth.Everywhere || auth.CheckManage(u, x.Role) == nil && x.UnitCode != "" {
			out = append(out, x)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out, "count": len(out)})
}

func (s *Server) disableUser(disabled bool) func(http.ResponseWriter, *http.Request, *auth.User, auth.User) {
	return func(w http.ResponseWriter, r *http.Request, u *auth.User, target auth.User) {
		if disabled && target.ID == u.ID {
			s.fail(w, r, badField("name", "không tự khóa tài khoản của mình (you cannot disable yourself)"))
			return
		}
		if err := s.db.SetUserDisabled(r.Context(), target.ID, disabled, u.Username); err != nil {
			s.fail(w, r, err)
			return
		}
		target.Disabled = disabled
		writeJSON(w, http.StatusOK, target)
	}
}

// POST /api/v1/users/{name}/password {"password"}
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, u *auth.User, target auth.User) {
	var body struct{ Password string }
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := auth.CheckPasswordStrength(body.Password); err != nil {
		s.fail(w, r, badField("password", err.Error()))
		return
	}
	hash, err := auth.HashPassword(body.Password)
	if err == nil {
		err = s.db.SetUserPassword(r.Context(), target.ID, hash, u.Username)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// PATCH /api/v1/users/{name} {"role", "unit"}
func (s *Server) setUserRole(w http.ResponseWriter, r *http.Request, u *auth.User, target auth.User) {
	var body struct {
		Role *string `json:"role"`
		Unit *string `json:"unit"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	role, code := target.Role, target.UnitCode
	if body.Role != nil {
		var err error
		if role, err = auth.ParseRole(*body.Role); err != nil {
			s.fail(w, r, badField("role", err.Error()))
			return
		}
	}
	if body.Unit != nil {
		code = strings.TrimSpace(*body.Unit)
	}
	// The new role and unit must be within the caller's reach too.
	next := target
	next.Role, next.UnitCode = role, code
	if err := s.manages(r, u, next); err != nil {
		s.fail(w, r, err)
		return
	}
	var level units.Level
	if code != "" {
		home, err := s.db.Unit(r.Context(), code, units.Today())
		if errors.Is(err, store.ErrNotFound) && code == target.UnitCode {
			// The user's home unit was abolished (a former district or province): a role
			// change keeps that home, whose level is the one it had when it ended.
			home, _, err = s.db.Successors(r.Context(), code, units.Today())
		}
		if errors.Is(err, store.ErrNotFound) {
			s.fail(w, r, badField("unit", "không có đơn vị mã "+code+" hôm nay (no unit "+code+" today)"))
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		level = home.Level
	}
	if err := auth.CheckHome(role, level); err != nil {
		s.fail(w, r, badField("role", err.Error()))
		return
	}
	if err := s.db.SetUserRole(r.Context(), target.ID, role, code, u.Username); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, next)
}

func (s *Server) userSessions(w http.ResponseWriter, r *http.Request, u *auth.User, target auth.User) {
	list, err := s.db.UserSessions(r.Context(), target.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []store.UserSession{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": list, "count": len(list)})
}

func (s *Server) endUserSessions(w http.ResponseWriter, r *http.Request, u *auth.User, target auth.User) {
	n, err := s.db.EndSessions(r.Context(), target.ID, u.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ended": n})
}

func (s *Server) userTokens(w http.ResponseWriter, r *http.Request, u *auth.User, target auth.User) {
	list, err := s.db.APITokens(r.Context(), target.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []store.APIToken{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": list, "count": len(list)})
}

// POST /api/v1/me/password {"old", "new"}
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var body struct{ Old, New string }
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	ok, err := auth.CheckPassword(u.PasswordHash, body.Old)
	if err != nil || !ok {
		s.fail(w, r, &fault.Error{Code: fault.WrongPassword, Text: "mật khẩu cũ không đúng (the old password is wrong)", Field: "old"})
		return
	}
	if err := auth.CheckPasswordStrength(body.New); err != nil {
		s.fail(w, r, badField("new", err.Error()))
		return
	}
	hash, err := auth.HashPassword(body.New)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	keep := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		keep = auth.HashToken(c.Value)
	}
	if err := s.db.ChangeOwnPassword(r.Context(), u.ID, hash, keep); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
