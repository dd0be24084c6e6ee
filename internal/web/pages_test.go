package web_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
	"github.com/ntm-vn/ntm/internal/web"
)

// pageServer is a server over SQLite with the shipped units (the pages' tests need one
// engine: the queries are the store's, tested on both).
func pageServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	db := storetest.Units.Open(t, store.SQLite)
	srv := httptest.NewServer(web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return srv, db
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// signInForm signs in through the sign-in page's form and returns the response.
func signInForm(t *testing.T, srv *httptest.Server, username, password, next string) *http.Response {
	t.Helper()
	form := url.Values{"username": {username}, "password": {password}, "next": {next}}
	req, _ := http.NewRequest("POST", srv.URL+"/sign-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// session creates a user and signs them in through the form; it returns the session cookie.
func session(t *testing.T, srv *httptest.Server, db *store.DB, username string, role auth.Role, unit string) *http.Cookie {
	t.Helper()
	newUser(t, db, username, role, unit, "mật khẩu đủ dài 2025")
	resp := signInForm(t, srv, username, "mật khẩu đủ dài 2025", "/units")
	for _, c := range resp.Cookies() {
		if c.Name == "ntm_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("sign-in of %s through the form: %d, no session cookie", username, resp.StatusCode)
	return nil
}

// fetch GETs path with the language cookie (if any) and the other cookies given, and
// returns status, headers and body.
func fetch(t *testing.T, srv *httptest.Server, path, lang string, cookies ...*http.Cookie) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if lang != "" {
		req.AddCookie(&http.Cookie{Name: "ntm_lang", Value: lang})
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

var scripts = regexp.MustCompile(`(?s)<script.*?</script>`)

var leftover = regexp.MustCompile(`[^\\d]\{\d\}|<no value>|%!|\b(?:unit|units|map|dashboard|signin|error|nav|tier|state|level|role)\.[a-z_]+\b`)

func TestPages_Render(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "vpdp.tw", auth.RoleCentral, "")
	pages := []struct {
		path     string
		status   int
		vi, en   string // a text each language's page must show
		notFound bool
	}{
		{"/units", 200, "Tỉnh, thành phố (34)", "Provinces (34)", false},
		{"/units?as_of=2025-06-30", 200, "Tỉnh, thành phố (63)", "Provinces (63)", false},
		{"/units?as_of=30%2F6%2F2025", 200, `value="30/06/2025"`, `value="2025-06-30"`, false},
		{"/units?q=soc+son&as_of=2025-06-30", 200, "Huyện Sóc Sơn", "Sóc Sơn", false},
		{"/units/01", 200, "Thành phố Hà Nội", "Centrally-run city", false},
		{"/units/01?as_of=2025-06-30", 200, "Quận Ba Đình", "Ba Đình", false},
		{"/units/00004", 200, "Vị trí trên bản đồ", "Location on the map", false},
		{"/units/00001?as_of=2026-01-01", 404, "không còn tồn tại", "no longer exists", false},
		{"/units/99999", 404, "Không có đơn vị mã 99999", "no unit with code 99999", false},
		{"/units?as_of=2025-13-01", 400, "không phải là ngày hợp lệ", "not a valid date", false},
		{"/dashboard", 200, "Chưa có số liệu", "No figures yet", false},
		{"/dashboard?unit=01", 200, "Tiến độ xây dựng nông thôn mới: Thành phố Hà Nội", "Progress of new rural development: Hà Nội", false},
		{"/dashboard?as_of=2025-01-01", 200, "Không có bản đồ cho ngày này", "No map for this date", false},
		{"/sign-in", 200, "Tên đăng nhập", "Username", false},
	}
	for _, p := range pages {
		for _, lang := range []string{"", "vi", "en"} {
			var cookies []*http.Cookie
			if p.path != "/sign-in" {
				cookies = append(cookies, me)
			}
			status, h, body := fetch(t, srv, p.path, lang, cookies...)
			want, wantLang := p.vi, "vi"
			if lang == "en" {
				want, wantLang = p.en, "en"
			}
			if status != p.status {
				t.Errorf("%s (%s): status %d, want %d", p.path, lang, status, p.status)
			}
			if ct := h.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", p.path, ct)
			}
			if !strings.Contains(body, `<html lang="`+wantLang+`">`) {
				t.Errorf("%s (%s): not a %s page", p.path, lang, wantLang)
			}
			if !strings.Contains(body, want) {
				t.Errorf("%s (%s): no %q in the page", p.path, lang, want)
			}
			if m := leftover.FindString(scripts.ReplaceAllString(body, "")); m != "" {
				t.Errorf("%s (%s): untranslated %q in the page", p.path, lang, m)
			}
			if h.Get("Content-Security-Policy") == "" || !strings.Contains(body, `href="#main"`) {
				t.Errorf("%s: no CSP or no skip link", p.path)
			}
		}
	}
}

func TestPages_Search(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "xa.ba-dinh", auth.RoleCommune, "00004")
	// Without diacritics, with other case and spacing.
	_, _, body := fetch(t, srv, "/units?q="+url.QueryEscape("  THANH   hoa ")+"&as_of=2026-01-01", "", me)
	if !strings.Contains(body, "Tỉnh Thanh Hóa") && !strings.Contains(body, "Tỉnh Thanh Hoá") {
		t.Errorf("search 'THANH hoa' did not find the province:\n%s", body)
	}
	// Search results name the parent, to tell namesakes apart.
	_, _, body = fetch(t, srv, "/units?q=ba+dinh&as_of=2026-01-01", "", me)
	if !strings.Contains(body, "<td>Thành phố Hà Nội</td>") {
		t.Errorf("search results do not name the parent")
	}
	_, _, body = fetch(t, srv, "/units?q=zzzz", "", me)
	if !strings.Contains(body, "Không tìm thấy đơn vị nào") {
		t.Errorf("no 'not found' message")
	}
}

func TestPages_UnitLineage(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "tinh.ha-noi", auth.RoleProvince, "01")
	// A commune formed on 1 July 2025 links to the communes it was formed from, as of the
	// day before.
	links, err := db.PrevLinks(context.Background(), mustUnit(t, db, "00004", "2026-01-01"))
	if err != nil || len(links) == 0 {
		t.Fatalf("no predecessors of 00004: %v", err)
	}
	_, _, body := fetch(t, srv, "/units/00004", "", me)
	want := `/units/` + links[0].Unit.Code + `?as_of=2025-06-30`
	if !strings.Contains(body, want) || !strings.Contains(body, "Hình thành từ") {
		t.Errorf("unit page lacks the predecessor link %s", want)
	}
}

func mustUnit(t *testing.T, db *store.DB, code, day string) units.Unit {
	t.Helper()
	u, err := db.Unit(context.Background(), code, units.Date(day))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPages_MapSpec(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "admin", auth.RoleAdmin, "")
	spec := func(path string) (m struct {
		Boundaries string
		Object     string
		Units      []struct{ Code, Name, Href, Class string }
		Highlight  string
	}) {
		_, _, body := fetch(t, srv, path, "", me)
		i := strings.Index(body, `<script type="application/json" id="map-spec">`)
		if i < 0 {
			t.Fatalf("%s: no map spec", path)
		}
		rest := body[i+len(`<script type="application/json" id="map-spec">`):]
		if err := json.Unmarshal([]byte(rest[:strings.Index(rest, "</script>")]), &m); err != nil {
			t.Fatalf("%s: map spec: %v", path, err)
		}
		return m
	}
	m := spec("/dashboard")
	if m.Boundaries != "/api/v1/boundaries/provinces" || m.Object != "provinces" || len(m.Units) != 34 {
		t.Errorf("country map: %s %s %d units", m.Boundaries, m.Object, len(m.Units))
	}
	if m.Units[0].Href != "/dashboard?unit="+m.Units[0].Code {
		t.Errorf("country map does not drill down: %s", m.Units[0].Href)
	}
	communes, _ := db.Children(context.Background(), "01", units.Today())
	m = spec("/dashboard?unit=01")
	if m.Object != "communes" || len(m.Units) != len(communes) || !strings.HasPrefix(m.Units[0].Href, "/units/") {
		t.Errorf("province map: %s %d units (want %d), %s", m.Object, len(m.Units), len(communes), m.Units[0].Href)
	}
	m = spec("/units/00004")
	if m.Highlight != "00004" || len(m.Units) != len(communes) {
		t.Errorf("commune map: highlight %q, %d units", m.Highlight, len(m.Units))
	}
	if _, _, body := fetch(t, srv, "/dashboard?as_of=2025-06-30", "", me); strings.Contains(body, `id="map-spec"`) {
		t.Errorf("a map before the reform")
	}
}

func TestPages_Gzip(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "admin", auth.RoleAdmin, "")
	req, _ := http.NewRequest("GET", srv.URL+"/dashboard", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.AddCookie(me)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("headers: %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !strings.Contains(string(b), "</html>") {
		t.Error("gzip body is not the page")
	}
}

func TestPages_LanguageSwitch(t *testing.T) {
	t.Parallel()
	srv, _ := pageServer(t)
	post := func(form url.Values, origin string) *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+"/lang", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := post(url.Values{"lang": {"en"}, "next": {"/units/01?as_of=2025-06-30"}}, srv.URL)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/units/01?as_of=2025-06-30" {
		t.Errorf("switch: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	c := resp.Cookies()
	if len(c) != 1 || c[0].Name != "ntm_lang" || c[0].Value != "en" || c[0].MaxAge < 86400 {
		t.Errorf("cookie: %v", c)
	}
	if resp := post(url.Values{"lang": {"xx"}, "next": {"//evil.example/"}}, ""); resp.Header.Get("Location") != "/" || resp.Cookies()[0].Value != "vi" {
		t.Errorf("bad input: %s %v", resp.Header.Get("Location"), resp.Cookies())
	}
}

func TestPages_SignInForm(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	newUser(t, db, "xa.ba-dinh", auth.RoleCommune, "00004", "mật khẩu đủ dài 2025")
	post := func(form url.Values, origin string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+"/sign-in", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := post(url.Values{"username": {""}, "password": {""}}, srv.URL)
	if status != 422 || !strings.Contains(body, "Hãy nhập tên đăng nhập và mật khẩu.") || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, `role="alert"`) {
		t.Errorf("empty form: %d\n%s", status, body)
	}
	status, body = post(url.Values{"username": {"xa.ba-dinh"}, "password": {"wrong password"}, "next": {"/units"}}, srv.URL)
	if status != 401 || !strings.Contains(body, "Tên đăng nhập hoặc mật khẩu không đúng") {
		t.Errorf("wrong password: %d\n%s", status, body)
	}
	if !strings.Contains(body, `value="xa.ba-dinh"`) || strings.Contains(body, "wrong password") {
		t.Errorf("the form should keep the username and drop the password")
	}
	if status, _ := post(url.Values{"username": {"a"}, "password": {"b"}}, "http://evil.example"); status != 403 {
		t.Errorf("cross-origin sign-in: %d", status)
	}
	for i := 0; i < 5; i++ {
		status, body = post(url.Values{"username": {"xa.ba-dinh"}, "password": {"wrong again"}}, srv.URL)
	}
	if status != 429 || !strings.Contains(body, "quá nhiều lần") {
		t.Errorf("rate limited: %d", status)
	}
}

func TestPages_SignInAndOut(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	// Anonymous visitors go to the sign-in page, and come back after.
	status, h, _ := fetch(t, srv, "/units/01?as_of=2026-01-01", "")
	if status != 303 || h.Get("Location") != "/sign-in?next=%2Funits%2F01%3Fas_of%3D2026-01-01" {
		t.Fatalf("anonymous: %d → %s", status, h.Get("Location"))
	}
	newUser(t, db, "xa.ba-dinh", auth.RoleCommune, "00004", "mật khẩu đủ dài 2025")
	resp := signInForm(t, srv, "xa.ba-dinh", "mật khẩu đủ dài 2025", "/units/01?as_of=2026-01-01")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/units/01?as_of=2026-01-01" {
		t.Fatalf("sign-in: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var me *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "ntm_session" {
			me = c
		}
	}
	if me == nil || !me.HttpOnly {
		t.Fatalf("session cookie: %v", resp.Cookies())
	}
	// Home is the user's unit; the header names the user, the role and the unit.
	if status, h, _ := fetch(t, srv, "/", "", me); status != 303 || h.Get("Location") != "/units/00004" {
		t.Errorf("home: %d → %s", status, h.Get("Location"))
	}
	_, _, body := fetch(t, srv, "/units/00004", "", me)
	for _, want := range []string{"Người dùng xa.ba-dinh", "Cán bộ cấp xã", `<span class="home">Phường Ba Đình</span>`, `action="/sign-out"`} {
		if !strings.Contains(body, want) {
			t.Errorf("header lacks %q", want)
		}
	}
	if status, _, _ := fetch(t, srv, "/sign-in?next=/units", "", me); status != 303 {
		t.Errorf("sign-in page when signed in: %d", status)
	}
	// Officers whose figures stop at their unit start the dashboard there.
	if status, h, _ := fetch(t, srv, "/dashboard", "", me); status != 303 || h.Get("Location") != "/dashboard?unit=00004" {
		t.Errorf("dashboard of a commune officer: %d → %s", status, h.Get("Location"))
	}
	// Sign out: the session ends.
	req, _ := http.NewRequest("POST", srv.URL+"/sign-out", nil)
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(me)
	out, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out.Body.Close()
	if out.StatusCode != 303 || out.Header.Get("Location") != "/sign-in" {
		t.Errorf("sign-out: %d → %s", out.StatusCode, out.Header.Get("Location"))
	}
	if status, _, _ := fetch(t, srv, "/units", "", me); status != 303 {
		t.Errorf("the session outlived sign-out: %d", status)
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	_, _, body := fetch(t, srv, "/units", "", session(t, srv, db, "admin", auth.RoleAdmin, ""))
	css := regexp.MustCompile(`href="(/static/dist/app-[A-Z0-9]+\.css)"`).FindStringSubmatch(body)
	js := regexp.MustCompile(`src="(/static/dist/app-[A-Z0-9]+\.js)"`).FindStringSubmatch(body)
	if css == nil || js == nil {
		t.Fatalf("the page does not link the bundle")
	}
	for _, path := range []string{css[1], js[1]} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" ||
			resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: %d %v", path, resp.StatusCode, resp.Header)
		}
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		resp, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 304 {
			t.Errorf("%s with If-None-Match: %d", path, resp.StatusCode)
		}
	}
	if status, h, _ := fetch(t, srv, "/static/dist/manifest.json", ""); status != 200 || h.Get("Cache-Control") != "no-cache" {
		t.Errorf("manifest: %d %s", status, h.Get("Cache-Control"))
	}
	for _, path := range []string{"/static/dist/nope.js", "/static/../pages.go", "/static/%2e%2e/pages.go", "/static/", "/static/dist/"} {
		if status, _, _ := fetch(t, srv, path, ""); status == 200 {
			t.Errorf("%s: %d", path, status)
		}
	}
}

func TestHome_Redirects(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	if status, h, _ := fetch(t, srv, "/", ""); status != 303 || h.Get("Location") != "/sign-in" {
		t.Errorf("/ anonymous: %d → %s", status, h.Get("Location"))
	}
	if status, h, _ := fetch(t, srv, "/", "", session(t, srv, db, "admin", auth.RoleAdmin, "")); status != 303 || h.Get("Location") != "/dashboard" {
		t.Errorf("/ for a national user: %d → %s", status, h.Get("Location"))
	}
}

// Issue 16: every redirect taken from a request stays on this site — the sign-in page's
// next (signed in), the sign-in form and the language switch — whatever the trick.
func TestRedirects_StayOnSite(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	me := session(t, srv, db, "redir", auth.RoleCentral, "")
	tricks := []string{"/\t/evil.example", "//evil.example", "/\\evil.example", "/%2F%2Fevil.example",
		"/%5Cevil.example", "https://evil.example/", "/\r\nLocation: //evil.example", "\t//evil.example"}
	post := func(path string, form url.Values) string {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", srv.URL)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 303 {
			t.Errorf("POST %s %v: %d", path, form, resp.StatusCode)
		}
		return resp.Header.Get("Location")
	}
	for _, next := range tricks {
		if status, h, _ := fetch(t, srv, "/sign-in?next="+url.QueryEscape(next), "", me); status != 303 || h.Get("Location") != "/" {
			t.Errorf("GET /sign-in?next=%q: %d → %q", next, status, h.Get("Location"))
		}
		if loc := post("/sign-in", url.Values{"username": {"redir"}, "password": {"mật khẩu đủ dài 2025"}, "next": {next}}); loc != "/" {
			t.Errorf("POST /sign-in next=%q → %q", next, loc)
		}
		if loc := post("/lang", url.Values{"lang": {"en"}, "next": {next}}); loc != "/" {
			t.Errorf("POST /lang next=%q → %q", next, loc)
		}
	}
	// The raw form of the report: the tab arrives percent-encoded in the query.
	if status, h, _ := fetch(t, srv, "/sign-in?next=/%09/evil.example", "", me); status != 303 || h.Get("Location") != "/" {
		t.Errorf("GET /sign-in?next=/%%09/evil.example: %d → %q", status, h.Get("Location"))
	}
	if loc := post("/lang", url.Values{"lang": {"vi"}, "next": {"/units?q=s%C3%B3c"}}); loc != "/units?q=s%C3%B3c" {
		t.Errorf("a path on the site: %q", loc)
	}
}
