package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// withTarget makes a viewer whose home is the unit, and sets {target} to their name.
func withTarget(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	name := "dich-" + unit
	if _, err := m.db.UserByUsername(t.Context(), name); err != nil {
		newUser(t, m.db, name, auth.RoleViewer, unit, "")
	}
	m.vars["{target}"] = name
}

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "a user's sessions", method: "GET", path: "/api/v1/users/{target}/sessions", action: auth.ManageAccounts, setup: withTarget},
		accessEndpoint{name: "end a user's sessions", method: "DELETE", path: "/api/v1/users/{target}/sessions", action: auth.ManageAccounts, setup: withTarget},
		accessEndpoint{name: "a user's tokens", method: "GET", path: "/api/v1/users/{target}/tokens", action: auth.ManageAccounts, setup: withTarget},
		accessEndpoint{name: "enable a user", method: "POST", path: "/api/v1/users/{target}/enable", action: auth.ManageAccounts, setup: withTarget},
		accessEndpoint{name: "disable a user", method: "POST", path: "/api/v1/users/{target}/disable", action: auth.ManageAccounts, setup: withTarget},
		accessEndpoint{name: "reset a password", method: "POST", path: "/api/v1/users/{target}/password", action: auth.ManageAccounts, setup: withTarget,
			body: `{"password":"một mật khẩu mới đủ dài"}`},
		accessEndpoint{name: "change a user's role", method: "PATCH", path: "/api/v1/users/{target}", action: auth.ManageAccounts, setup: withTarget,
			body: `{"role":"viewer"}`},
		accessEndpoint{name: "users below a unit", method: "GET", path: "/api/v1/users?within={unit}", action: auth.ManageAccounts},
	)
}

func TestAPI_UserLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		commune := ruralCommunes(t, db, "01", units.Today())[0].Code
		lan := newUser(t, db, "lan", auth.RoleCommune, commune, "mật khẩu cũ của Lan")
		lanToken := newToken(t, db, lan)
		newUser(t, db, "trunguong", auth.RoleCentral, "", "")
		newUser(t, db, "khac", auth.RoleViewer, "79", "")
		call_ := func(token, method, path, body string) answer {
			return do(t, srv, call{method, path, body, []string{authz(token)}})
		}
		// The province's officer lists the users of the province only.
		r := call_(tinh, "GET", "/api/v1/users", "")
		if r.status != 200 || !strings.Contains(string(r.body), `"lan"`) || strings.Contains(string(r.body), "khac") || strings.Contains(string(r.body), "trunguong") {
			t.Fatalf("users: %d %s", r.status, r.body)
		}
		// Never above their own role; never outside the province.
		if r := call_(tinh, "PATCH", "/api/v1/users/lan", `{"role":"admin","unit":""}`); r.status != 403 {
			t.Errorf("make an admin: %d %s", r.status, r.body)
		}
		if r := call_(tinh, "POST", "/api/v1/users/khac/disable", ""); r.status != 403 {
			t.Errorf("disable a user of another province: %d", r.status)
		}
		if r := call_(tinh, "POST", "/api/v1/users/trunguong/disable", ""); r.status != 403 {
			t.Errorf("disable a central officer: %d", r.status)
		}
		// A role change ends the user's tokens at once.
		if r := call_(lanToken, "GET", "/api/v1/me", ""); r.status != 200 {
			t.Fatalf("lan's token: %d", r.status)
		}
		if r := call_(tinh, "PATCH", "/api/v1/users/lan", `{"role":"viewer"}`); r.status != 200 {
			t.Fatalf("role change: %d %s", r.status, r.body)
		}
		if r := call_(lanToken, "GET", "/api/v1/me", ""); r.status != 401 {
			t.Errorf("lan's token after the role change: %d", r.status)
		}
		r = call_(tinh, "GET", "/api/v1/users/lan/tokens", "")
		if r.status != 200 || !strings.Contains(string(r.body), `"revoked":true`) {
			t.Errorf("tokens: %d %s", r.status, r.body)
		}
		// Disabling refuses sign-in; a reset password works once enabled again.
		if r := call_(tinh, "POST", "/api/v1/users/lan/disable", ""); r.status != 200 {
			t.Fatalf("disable: %d %s", r.status, r.body)
		}
		if r := do(t, srv, call{"POST", "/api/v1/session", `{"username":"lan","password":"mật khẩu cũ của Lan"}`, []string{xhr}}); r.status == 200 || r.status == 204 {
			t.Errorf("a disabled user signs in: %d", r.status)
		}
		call_(tinh, "POST", "/api/v1/users/lan/enable", "")
		if r := call_(tinh, "POST", "/api/v1/users/lan/password", `{"password":"mật khẩu mới của Lan"}`); r.status != 204 {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		s := do(t, srv, call{"POST", "/api/v1/session", `{"username":"lan","password":"mật khẩu mới của Lan"}`, []string{xhr}})
		if s.status/100 != 2 {
			t.Fatalf("sign in with the new password: %d %s", s.status, s.body)
		}
		cookie := "Cookie: ntm_session=" + s.cookie("ntm_session").Value
		// Lan changes her own password: the old one is required.
		if r := do(t, srv, call{"POST", "/api/v1/me/password", `{"old":"sai","new":"mật khẩu thứ ba của Lan"}`, []string{cookie, xhr}}); r.status != 422 {
			t.Errorf("own change with a wrong old password: %d", r.status)
		}
		if r := do(t, srv, call{"POST", "/api/v1/me/password", `{"old":"mật khẩu mới của Lan","new":"mật khẩu thứ ba của Lan"}`, []string{cookie, xhr}}); r.status != 204 {
			t.Fatalf("own change: %d %s", r.status, r.body)
		}
		if r := do(t, srv, call{"GET", "/api/v1/me", "", []string{cookie}}); r.status != 200 {
			t.Errorf("the session in use ended with the own change: %d", r.status)
		}
		// Every change is in the audit log.
		r = call_(tinh, "GET", "/api/v1/audit?entity=user&entity_id=lan", "")
		for _, a := range []string{"update", "set_password", "change_password"} {
			if !strings.Contains(string(r.body), fmt.Sprintf(`"action":%q`, a)) {
				t.Errorf("audit lacks %s: %s", a, r.body)
			}
		}
	})
}

func TestUsersPages_DisableAndOwnPassword(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := session(t, srv, db, "tinh", auth.RoleProvince, "01")
		commune := ruralCommunes(t, db, "01", units.Today())[0].Code
		lan := session(t, srv, db, "lan", auth.RoleCommune, commune)
		_, _, body := fetch(t, srv, "/units", "", tinh)
		if !strings.Contains(body, `id="nav-users"`) || !strings.Contains(body, `id="nav-password"`) {
			t.Error("the province officer's header lacks the users or password link")
		}
		_, _, body = fetch(t, srv, "/units", "", lan)
		if strings.Contains(body, `id="nav-users"`) {
			t.Error("a commune officer is offered the users page")
		}
		if status, _, _ := fetch(t, srv, "/users", "", lan); status != 403 {
			t.Errorf("commune officer on /users: %d", status)
		}
		status, _, body := fetch(t, srv, "/users", "", tinh)
		if status != 200 || !strings.Contains(body, `data-user="lan"`) {
			t.Fatalf("/users: %d %s", status, brief(body))
		}
		status, h, _ := postPage(t, srv, "/users/lan", tinh, url.Values{"action": {"disable"}})
		if status != 303 {
			t.Fatalf("disable from the page: %d", status)
		}
		_, _, body = fetch(t, srv, h.Get("Location"), "", tinh)
		if !strings.Contains(body, "Đã khóa lan") {
			t.Errorf("after disabling: %s", brief(body))
		}
		if u, _ := db.UserByUsername(context.Background(), "lan"); !u.Disabled {
			t.Error("lan is not disabled")
		}
		// One's own password: the new one twice, the old one required.
		status, _, body = postPage(t, srv, "/me/password", tinh, url.Values{"old": {"sai mật khẩu"}, "new": {"mật khẩu mới 2026"}, "again": {"mật khẩu mới 2026"}})
		if status != 422 || !strings.Contains(body, "mật khẩu cũ không đúng") {
			t.Errorf("wrong old password: %d %s", status, brief(body))
		}
		status, h, _ = postPage(t, srv, "/me/password", tinh, url.Values{"old": {"mật khẩu đủ dài 2025"}, "new": {"mật khẩu mới 2026"}, "again": {"mật khẩu mới 2026"}})
		if status != 303 || h.Get("Location") != "/me/password?done=1" {
			t.Fatalf("own password: %d %s", status, h.Get("Location"))
		}
		if resp := signInForm(t, srv, "tinh", "mật khẩu mới 2026", "/units"); resp.StatusCode != 303 {
			t.Errorf("sign in with the new password: %d", resp.StatusCode)
		}
	})
}
