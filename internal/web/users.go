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
func (s *Server) userAction(act func(*http.Request, *auth.User, auth.User) (any, error)) apiFunc {
	return func(r *http.Request, u *auth.User) (any, error) {
		if err := mayManageAccounts(u); err != nil {
			return nil, err
		}
		target, err := s.db.UserByUsername(r.Context(), strings.ToLower(r.PathValue("name")))
		if err == nil {
			err = s.manages(r, u, target)
		}
		if err != nil {
			return nil, err
		}
		return act(r, u, target)
	}
}

// GET /api/v1/users?within=CODE
func (s *Server) listUsers(r *http.Request, u *auth.User) (any, error) {
	if err := mayManageAccounts(u); err != nil {
		return nil, err
	}
	reach := u.Role.Reach(auth.ManageAccounts)
	within := strings.TrimSpace(r.URL.Query().Get("within"))
	if within != "" {
		if err := s.allow(r, u, auth.ManageAccounts, within, s.homeDay(r, within)); err != nil {
			return nil, err
		}
	} else if reach != auth.Everywhere {
		within = u.UnitCode
	}
	list, err := s.db.Users(r.Context(), within)
	out := []auth.User{}
	for _, x := range list {
		if reach == auth.Everywhere || auth.CheckManage(u, x.Role) == nil && x.UnitCode != "" {
			out = append(out, x)
		}
	}
	return map[string]any{"users": out, "count": len(out)}, err
}

func (s *Server) disableUser(disabled bool) func(*http.Request, *auth.User, auth.User) (any, error) {
	return func(r *http.Request, u *auth.User, target auth.User) (any, error) {
		if disabled && target.ID == u.ID {
			return nil, badField("name", "không tự khóa tài khoản của mình (you cannot disable yourself)")
		}
		target.Disabled = disabled
		return target, s.db.SetUserDisabled(r.Context(), target.ID, disabled, u.Username)
	}
}

// POST /api/v1/users/{name}/password {"password"}
func (s *Server) resetPassword(r *http.Request, u *auth.User, target auth.User) (any, error) {
	var body struct{ Password string }
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	hash, err := newPassword("password", body.Password)
	if err != nil {
		return nil, err
	}
	return nil, s.db.SetUserPassword(r.Context(), target.ID, hash, u.Username)
}

// PATCH /api/v1/users/{name} {"role", "unit"}
func (s *Server) setUserRole(r *http.Request, u *auth.User, target auth.User) (any, error) {
	var body struct {
		Role *string `json:"role"`
		Unit *string `json:"unit"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	role, code := target.Role, target.UnitCode
	if body.Role != nil {
		var err error
		if role, err = auth.ParseRole(*body.Role); err != nil {
			return nil, badField("role", err.Error())
		}
	}
	if body.Unit != nil {
		code = strings.TrimSpace(*body.Unit)
	}
	// The new role and unit must be within the caller's reach too.
	next := target
	next.Role, next.UnitCode = role, code
	if err := s.manages(r, u, next); err != nil {
		return nil, err
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
			return nil, badField("unit", "không có đơn vị mã "+code+" hôm nay (no unit "+code+" today)")
		}
		if err != nil {
			return nil, err
		}
		level = home.Level
	}
	if err := auth.CheckHome(role, level); err != nil {
		return nil, badField("role", err.Error())
	}
	return next, s.db.SetUserRole(r.Context(), target.ID, role, code, u.Username)
}

func (s *Server) userSessions(r *http.Request, u *auth.User, target auth.User) (any, error) {
	list, err := s.db.UserSessions(r.Context(), target.ID)
	return map[string]any{"sessions": nonNil(list), "count": len(list)}, err
}

func (s *Server) endUserSessions(r *http.Request, u *auth.User, target auth.User) (any, error) {
	n, err := s.db.EndSessions(r.Context(), target.ID, u.Username)
	return map[string]any{"ended": n}, err
}

func (s *Server) userTokens(r *http.Request, u *auth.User, target auth.User) (any, error) {
	list, err := s.db.APITokens(r.Context(), target.ID)
	return map[string]any{"tokens": nonNil(list), "count": len(list)}, err
}

// POST /api/v1/me/password {"old", "new"}
func (s *Server) changeOwnPassword(r *http.Request, u *auth.User) (any, error) {
	var body struct{ Old, New string }
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, body.Old)
	if err != nil || !ok {
		return nil, &fault.Error{Code: fault.WrongPassword, Text: "mật khẩu cũ không đúng (the old password is wrong)", Field: "old"}
	}
	hash, err := newPassword("new", body.New)
	if err != nil {
		return nil, err
	}
	keep := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		keep = auth.HashToken(c.Value)
	}
	return nil, s.db.ChangeOwnPassword(r.Context(), u.ID, hash, keep)
}

// mayManageAccounts refuses a caller whose role manages accounts nowhere.
func mayManageAccounts(u *auth.User) error {
	if u.Role.Reach(auth.ManageAccounts) == auth.Nowhere {
		return auth.Refusal(u.Role, auth.ManageAccounts, "")
	}
	return nil
}

// newPassword checks a new password's strength (a 400 naming field) and hashes it.
func newPassword(field, password string) (string, error) {
	if err := auth.CheckPasswordStrength(password); err != nil {
		return "", badField(field, err.Error())
	}
	return auth.HashPassword(password)
}
