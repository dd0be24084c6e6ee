package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// Passwords are hashed cheaply in tests; the format and the code path are the real ones.
func init() { auth.Argon2 = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1} }

// newUser stores a user (with a password when one is given).
func newUser(t *testing.T, db *store.DB, username string, role auth.Role, unit, password string) auth.User {
	t.Helper()
	u := auth.User{Username: username, Name: "Người dùng " + username, Role: role, UnitCode: unit}
	if password != "" {
		h, err := auth.HashPassword(password)
		if err != nil {
			t.Fatal(err)
		}
		u.PasswordHash = h
	}
	u, err := db.CreateUser(context.Background(), u, "system")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// newToken gives u an API token and returns its secret.
func newToken(t *testing.T, db *store.DB, u auth.User) string {
	t.Helper()
	secret, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAPIToken(context.Background(), store.APIToken{TokenHash: auth.HashToken(secret), Name: "test", UserID: u.ID}, "system"); err != nil {
		t.Fatal(err)
	}
	return secret
}

// call is one request of a test: headers are "Name: value" strings.
type call struct {
	method, path, body string
	headers            []string
}

// answer is what came back.
type answer struct {
	status int
	header http.Header
	body   []byte
	resp   *http.Response
}

func (a answer) errorCode() string {
	var e errorBody
	json.Unmarshal(a.body, &e)
	return e.Error.Code
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

func (a answer) cookie(name string) *http.Cookie {
	for _, c := range a.resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func do(t *testing.T, srv *httptest.Server, c call) answer {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, srv.URL+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range c.headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Add(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, resp: resp}
}

const xhr = "X-Requested-With: XMLHttpRequest"

func signIn(t *testing.T, srv *httptest.Server, username, password string, headers ...string) answer {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": username, "password": password})
	return do(t, srv, call{"POST", "/api/v1/session", string(b), append([]string{xhr}, headers...)})
}

func TestSession_SignInAndOut(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")

		a := signIn(t, srv, " Lan ", "mật khẩu của Lan")
		if a.status != 200 {
			t.Fatalf("sign in: %d %s", a.status, a.body)
		}
		var got struct{ User auth.User }
		a.decode(t, &got)
		if got.User.Username != "lan" || got.User.Role != auth.RoleProvince || got.User.UnitCode != "52" || strings.Contains(string(a.body), "argon2") {
			t.Errorf("signed-in user: %s", a.body)
		}
		c := a.cookie("ntm_session")
		if c == nil || len(c.Value) < 40 || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
			t.Fatalf("session cookie over plain HTTP: %+v", c)
		}
		if raw := a.header.Get("Set-Cookie"); !strings.Contains(raw, "HttpOnly") || !strings.Contains(raw, "SameSite=Lax") {
			t.Errorf("Set-Cookie: %s", raw)
		}
		// The cookie is a secret the database does not hold.
		if _, _, err := db.SessionUser(context.Background(), c.Value); err == nil {
			t.Error("the database holds the session token itself")
		}
		cookie := "Cookie: ntm_session=" + c.Value
		me := do(t, srv, call{"GET", "/api/v1/me", "", []string{cookie}})
		var m struct {
			User        auth.User
			Permissions map[string]string
		}
		me.decode(t, &m)
		if me.status != 200 || m.User.Username != "lan" || m.Permissions["verify"] != "subtree" || m.Permissions["manage_users"] != "" {
			t.Errorf("me: %d %s", me.status, me.body)
		}

		// Behind a TLS proxy the cookie is Secure.
		if c := signIn(t, srv, "lan", "mật khẩu của Lan", "X-Forwarded-Proto: https").cookie("ntm_session"); c == nil || !c.Secure {
			t.Errorf("cookie behind TLS: %+v", c)
		}

		// Signing out ends the session on the server, not only in the browser.
		out := do(t, srv, call{"DELETE", "/api/v1/session", "", []string{cookie, xhr}})
		if gone := out.cookie("ntm_session"); out.status != 204 || gone == nil || gone.MaxAge >= 0 {
			t.Errorf("sign out: %d %+v", out.status, gone)
		}
		if a := do(t, srv, call{"GET", "/api/v1/me", "", []string{cookie}}); a.status != 401 || a.errorCode() != "unauthenticated" {
			t.Errorf("me after signing out: %d %s", a.status, a.body)
		}
	})
}

func TestSession_Refusals(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		u := newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")
		for _, c := range []struct {
			name, user, password string
			status               int
			code                 string
		}{
			{"wrong password", "lan", "mật khẩu sai", 401, "invalid_credentials"},
			{"unknown user", "minh", "mật khẩu của Lan", 401, "invalid_credentials"},
			{"malformed name", "a b", "x", 401, "invalid_credentials"},
			{"no password", "lan", "", 400, "invalid"},
		} {
			if a := signIn(t, srv, c.user, c.password); a.status != c.status || a.errorCode() != c.code || a.cookie("ntm_session") != nil {
				t.Errorf("%s: %d %s", c.name, a.status, a.body)
			}
		}
		if a := do(t, srv, call{"POST", "/api/v1/session", `{"username":`, []string{xhr}}); a.status != 400 {
			t.Errorf("bad JSON: %d %s", a.status, a.body)
		}
		db.SetUserDisabled(context.Background(), u.ID, true, "system")
		if a := signIn(t, srv, "lan", "mật khẩu của Lan"); a.status != 401 {
			t.Errorf("disabled user: %d %s", a.status, a.body)
		}
	})
}

func TestSession_RateLimit(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")
		newUser(t, db, "minh", auth.RoleProvince, "52", "mật khẩu của Minh")
		for i := 0; i < 3; i++ {
			if a := signIn(t, srv, "lan", fmt.Sprintf("đoán %d", i)); a.status != 401 {
				t.Fatalf("failure %d: %d", i+1, a.status)
			}
		}
		// The fourth attempt from the address waits, right or wrong, without the password
		// being looked at (throttles_test.go has the growing waits).
		a := signIn(t, srv, "lan", "mật khẩu của Lan")
		retry, _ := strconv.Atoi(a.header.Get("Retry-After"))
		if a.status != 429 || a.errorCode() != "rate_limited" || retry != 5 || a.cookie("ntm_session") != nil {
			t.Errorf("fourth attempt: %d Retry-After %q %s", a.status, a.header.Get("Retry-After"), a.body)
		}
		// Another user from the same address may still sign in…
		if a := signIn(t, srv, "minh", "mật khẩu của Minh"); a.status != 200 {
			t.Errorf("another user: %d %s", a.status, a.body)
		}
		// …until the address has failed for 10 names.
		for i := 0; i < 9; i++ {
			if a := signIn(t, srv, fmt.Sprintf("khach%d", i), "đoán"); a.status != 401 {
				t.Fatalf("address failure %d: %d", 4+i, a.status)
			}
		}
		if a := signIn(t, srv, "minh", "mật khẩu của Minh"); a.status != 429 || a.header.Get("Retry-After") == "" {
			t.Errorf("after 10 names failed from one address: %d %s", a.status, a.body)
		}
	})
}

func TestAuth_UnitsNeedSignIn(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		for _, path := range []string{"/api/v1/units", "/api/v1/units/01", "/api/v1/units/00013/successors", "/api/v1/units/00004/predecessors",
			"/api/v1/me", "/api/v1/tokens", "/api/v1/audit"} {
			a := do(t, srv, call{"GET", path, "", nil})
			if a.status != 401 || a.errorCode() != "unauthenticated" || a.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s anonymous: %d %s", path, a.status, a.body)
			}
			if a := do(t, srv, call{"GET", path, "", []string{"Authorization: Bearer not-a-token"}}); a.status != 401 {
				t.Errorf("%s with a bad token: %d %s", path, a.status, a.body)
			}
			if a := do(t, srv, call{"GET", path, "", []string{"Cookie: ntm_session=stale"}}); a.status != 401 {
				t.Errorf("%s with a stale cookie: %d %s", path, a.status, a.body)
			}
		}
	})
}

func TestTokens_BearerAndRevoke(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")
		minh := newUser(t, db, "minh", auth.RoleViewer, "52", "")
		other := newToken(t, db, minh)
		cookie := "Cookie: ntm_session=" + signIn(t, srv, "lan", "mật khẩu của Lan").cookie("ntm_session").Value

		a := do(t, srv, call{"POST", "/api/v1/tokens", `{"name": "đồng bộ số liệu", "expires_in_days": 30}`, []string{cookie, xhr}})
		var created struct {
			Token  store.APIToken
			Secret string
		}
		a.decode(t, &created)
		if a.status != 201 || len(created.Secret) != 43 || created.Token.ID == 0 || created.Token.Name != "đồng bộ số liệu" || created.Token.ExpiresAt.IsZero() {
			t.Fatalf("create token: %d %s", a.status, a.body)
		}
		bearerLan := "Authorization: Bearer " + created.Secret
		var me struct{ User auth.User }
		if a := do(t, srv, call{"GET", "/api/v1/me", "", []string{bearerLan}}); a.status != 200 {
			t.Errorf("me by token: %d %s", a.status, a.body)
		} else if a.decode(t, &me); me.User.Username != "lan" {
			t.Errorf("the token acts as %q", me.User.Username)
		}
		list := do(t, srv, call{"GET", "/api/v1/tokens", "", []string{bearerLan}})
		if list.status != 200 || strings.Contains(string(list.body), created.Secret) || !strings.Contains(string(list.body), "đồng bộ số liệu") {
			t.Errorf("list tokens: %d %s", list.status, list.body)
		}
		path := fmt.Sprintf("/api/v1/tokens/%d", created.Token.ID)
		// Another user cannot revoke it, nor learn that it exists.
		if a := do(t, srv, call{"DELETE", path, "", []string{"Authorization: Bearer " + other}}); a.status != 404 {
			t.Errorf("revoke by another user: %d %s", a.status, a.body)
		}
		if a := do(t, srv, call{"DELETE", path, "", []string{bearerLan}}); a.status != 204 {
			t.Errorf("revoke: %d %s", a.status, a.body)
		}
		if a := do(t, srv, call{"GET", "/api/v1/me", "", []string{bearerLan}}); a.status != 401 {
			t.Errorf("revoked token: %d %s", a.status, a.body)
		}
		// An admin may revoke anyone's token.
		minhTokens, _ := db.APITokens(context.Background(), minh.ID)
		if len(minhTokens) == 0 {
			t.Fatal("minh has no token")
		}
		if a := do(t, srv, call{"DELETE", fmt.Sprintf("/api/v1/tokens/%d", minhTokens[0].ID), "", []string{"Authorization: Bearer " + bearerOf(srv)}}); a.status != 204 {
			t.Errorf("admin revokes: %d %s", a.status, a.body)
		}
		// Both changes are in the audit log, by who made them.
		log, _ := db.AuditLog(context.Background(), store.AuditFilter{Entity: "api_token"})
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Actor+" "+e.Action)
		}
		if got := strings.Join(actions, ", "); !strings.HasPrefix(got, "admin-test revoke, lan revoke, lan create") {
			t.Errorf("audit: %s", got)
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		u := newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")
		token := newToken(t, db, u)
		cookie := "Cookie: ntm_session=" + signIn(t, srv, "lan", "mật khẩu của Lan").cookie("ntm_session").Value
		for _, c := range []struct {
			name    string
			headers []string
			status  int
		}{
			{"cookie alone", []string{cookie}, 403},
			{"cookie from another site", []string{cookie, "Origin: https://evil.example"}, 403},
			{"cookie, referred by another site", []string{cookie, "Referer: https://evil.example/page"}, 403},
			{"cookie, null origin", []string{cookie, "Origin: null"}, 403},
			{"cookie with X-Requested-With", []string{cookie, xhr}, 201},
			{"cookie from this origin", []string{cookie, "Origin: " + srv.URL}, 201},
			{"cookie referred by this site", []string{cookie, "Referer: " + srv.URL + "/units"}, 201},
			{"bearer token", []string{"Authorization: Bearer " + token}, 201},
		} {
			a := do(t, srv, call{"POST", "/api/v1/tokens", `{"name": "x"}`, c.headers})
			if a.status != c.status || c.status == 403 && a.errorCode() != "csrf" {
				t.Errorf("%s: %d %s", c.name, a.status, a.body)
			}
		}
		// Signing in and out are guarded too (a forged sign-in would put the victim in the
		// attacker's account).
		if a := do(t, srv, call{"POST", "/api/v1/session", `{"username":"lan","password":"mật khẩu của Lan"}`, nil}); a.status != 403 {
			t.Errorf("sign-in without proof of origin: %d", a.status)
		}
		if a := do(t, srv, call{"DELETE", "/api/v1/session", "", []string{cookie, "Origin: https://evil.example"}}); a.status != 403 {
			t.Errorf("cross-site sign-out: %d", a.status)
		}
		// Reading needs no proof.
		if a := do(t, srv, call{"GET", "/api/v1/me", "", []string{cookie}}); a.status != 200 {
			t.Errorf("GET with a cookie: %d", a.status)
		}
	})
}

func TestSession_OddNames(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		for _, name := range []string{"nul\u0000byte", strings.Repeat("dài", 10000), "<script>"} {
			if a := signIn(t, srv, name, "x"); a.status != 401 {
				t.Errorf("%.20q: %d %s", name, a.status, a.body)
			}
		}
	})
}
