package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The pages: server-rendered HTML (html/template, templates/*.html) with small scripts from
// the embedded bundle (assets.go). Every text comes from the message catalogs of
// internal/i18n; the language is the ntm_lang cookie, Vietnamese by default.

//go:embed templates/*.html
var templateFS embed.FS

// langCookie holds the chosen language, set by the switch in the header.
const langCookie = "ntm_lang"

// pageRoutes registers the pages, the static bundle and the map boundaries.
func (s *Server) pageRoutes() {
	s.addNav("units", "/units", "nav.units")
	s.addNav("dashboard", "/dashboard", "nav.dashboard")
	s.mux.HandleFunc("GET /{$}", s.homePage)
	s.mux.HandleFunc("GET /sign-in", s.signInPage)
	s.mux.HandleFunc("POST /sign-in", s.signIn)
	s.mux.HandleFunc("POST /sign-out", s.signOut)
	s.mux.HandleFunc("POST /lang", s.setLang)
	s.mux.HandleFunc("GET /units", s.unitsPage)
	s.mux.HandleFunc("GET /units/{code}", s.unitPage)
	s.mux.HandleFunc("GET /dashboard", s.dashboardPage)
	s.mux.HandleFunc("GET /assessments/new", s.newAssessmentPage)
	s.mux.HandleFunc("GET /assessments/pending", s.pendingPage) // figures on their way (pages_pending.go)
	s.mux.HandleFunc("POST /assessments/new", s.newAssessmentPost)
	s.mux.HandleFunc("GET /assessments/{id}", s.assessmentPage)
	s.mux.HandleFunc("POST /assessments/{id}", s.assessmentPost)
	s.mux.HandleFunc("GET /static/{path...}", s.static)
	s.mux.HandleFunc("GET /api/v1/boundaries/provinces", s.provinceBoundaries)
	s.mux.HandleFunc("GET /api/v1/boundaries/communes", s.communeBoundaries)
}

// ---------------------------------------------------------------------------------------
// Who is looking

// viewer is the signed-in user as the pages show them.
type viewer struct {
	Username string
	Name     string
	Role     string      // admin, central, province, district, commune, viewer, ocop-council
	UnitCode string      // home unit; empty for national roles
	Unit     *units.Unit // the home unit today, or its last version when it has ended
	Until    units.Date  // the home unit's last day, when it has ended (a district before the reform)
	user     *auth.User
}

// viewer returns the signed-in user (session cookie, auth.go), or nil.
func (s *Server) viewer(r *http.Request) *viewer {
	u := s.user(r)
	if u == nil {
		return nil
	}
	v := &viewer{Username: u.Username, Name: u.Name, Role: string(u.Role), UnitCode: u.UnitCode, user: u}
	if v.Name == "" {
		v.Name = u.Username
	}
	if u.UnitCode != "" {
		today := units.Today()
		if hu, err := s.db.Unit(r.Context(), u.UnitCode, today); err == nil {
			v.Unit = &hu
		} else if old, _, err := s.db.Successors(r.Context(), u.UnitCode, today); err == nil {
			// The officer of a unit the reform ended still works from it: the header names it
			// with its last day rather than nothing.
			v.Unit, v.Until = &old, old.ValidTo
		}
	}
	return v
}

// startPage begins a page that needs a signed-in user: it returns the page with its viewer,
// or sends an anonymous visitor to the sign-in page (to come back here) and returns false.
// Every page but the sign-in page needs one: units are reference data any signed-in user
// may browse, while the figures about a unit are scoped by the hooks that provide them.
func (s *Server) startPage(w http.ResponseWriter, r *http.Request, title string) (*page, bool) {
	p := s.newPage(r, title)
	if p.User == nil {
		http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return nil, false
	}
	return p, true
}

// doneFlash is the flash after a redirect with ?done=K: the catalog's sentence prefix+K with
// args, "" when there is none.
func (p *page) doneFlash(r *http.Request, prefix string, args ...any) string {
	k := r.URL.Query().Get("done")
	if k == "" || !i18n.Has(p.Lang, prefix+k) {
		return ""
	}
	return p.T(prefix+k, args...)
}

// startDated begins a page of the section nav that shows things as of a day (?as_of=, read
// by readAsOf).
func (s *Server) startDated(w http.ResponseWriter, r *http.Request, title, nav string) (*page, bool) {
	p, ok := s.startPage(w, r, title)
	if !ok {
		return nil, false
	}
	p.Nav = nav
	if !s.readAsOf(w, r, p) {
		return nil, false
	}
	return p, true
}

// startPost begins a page's POST: from this site (else 403) and by a signed-in user.
func (s *Server) startPost(w http.ResponseWriter, r *http.Request, title string) (*page, bool) {
	if !sameOrigin(r) {
		s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return nil, false
	}
	return s.startPage(w, r, title)
}

// postForm is startPost with the form read from a body of at most limit bytes (0: the limit
// of net/http).
func (s *Server) postForm(w http.ResponseWriter, r *http.Request, title string, limit int64) (*page, bool) {
	p, ok := s.startPost(w, r, title)
	if !ok || !s.readForm(w, r, limit) {
		return nil, false
	}
	return p, true
}

// readForm reads a form post's body of at most limit bytes (0: the limit of net/http); false
// when it could not and the page has answered 400.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	if limit > 0 {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
		return false
	}
	return true
}

// pageUnit is the unit of code on day for a page; a code that names none is a 404, an error
// a 500 (ok false: the page has answered).
func (s *Server) pageUnit(w http.ResponseWriter, r *http.Request, p *page, code string, day units.Date) (units.Unit, bool) {
	u, err := s.db.Unit(r.Context(), code, day)
	if errors.Is(err, store.ErrNotFound) || code == "" {
		s.errorPage(w, r, http.StatusNotFound, "error.no_unit", code, p.Date(day))
		return u, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return u, false
	}
	return u, true
}

// allowFigures checks that the user may read the figures below code (u, nil for the country);
// else the page says whose figures they may not read (ok false: the page has answered).
func (s *Server) allowFigures(w http.ResponseWriter, r *http.Request, p *page, code string, u *units.Unit) bool {
	err := s.allow(r, p.User.user, auth.Read, code, p.AsOf)
	switch {
	case err == nil:
		return true
	case isForbidden(err):
		name := p.T("country")
		if u != nil {
			name = p.UnitName(*u)
		}
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden_figures", name)
	default:
		s.internalError(w, r, err)
	}
	return false
}

// ---------------------------------------------------------------------------------------
// What every template gets

// page is the data of every page; Data holds what is particular to one.
// navItem is an entry of the header's navigation; each part of the program adds its own
// with addNav in its routes function.
type navItem struct {
	Section string // matches page.Nav on the section's pages
	Href    string
	Key     string // catalog key of the label
}

// addNav adds an entry to the header's navigation.
func (s *Server) addNav(section, href, key string) {
	s.nav = append(s.nav, navItem{Section: section, Href: href, Key: key})
	slices.SortStableFunc(s.nav, func(a, b navItem) int { return navRank(a.Section) - navRank(b.Section) })
}

// navOrder is the menu in the order of an office's work (issue 15.7): the assessments, the
// progress they add up to and the plan, then recognition, OCOP, resources and tasks, the
// reports issued, and the units as reference last. A section not listed goes at the end.
var navOrder = []string{"assessments", "dashboard", "plan", "recognition", "ocop", "resources", "tasks", "documents", "units"}

func navRank(section string) int {
	if i := slices.Index(navOrder, section); i >= 0 {
		return i
	}
	return len(navOrder)
}

type page struct {
	NavItems []navItem
	Lang     string
	Title    string // translated
	Nav      string // the current section of the navigation: "units", "dashboard"
	User     *viewer
	Here     string     // this page's URL, where the language switch comes back to
	AsOf     units.Date // the day the page is "as of"
	asOfSet  bool       // whether as_of was in the URL (links keep it only then)
	Scripts  []string   // bundles to load, by name in ui/src ("map.js")
	Queue    *int       // how many assessments wait for the user (queue.go); nil: none can
	Data     any
}

func (s *Server) newPage(r *http.Request, title string) *page {
	lang := pageLang(r)
	p := &page{NavItems: s.nav, Lang: lang, Title: i18n.T(lang, title), Here: r.URL.RequestURI(), AsOf: units.Today(), User: s.viewer(r)}
	if p.User != nil {
		p.Queue = s.queueTotal(r, p.User.user)
	}
	return p
}

// pageLang is the language of the ntm_lang cookie, or Vietnamese.
func pageLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && i18n.Supported(c.Value) {
		return c.Value
	}
	return i18n.Default
}

// T translates key.
func (p *page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// Int, Dec, Pct and Date format for the page's language (numbers "356.410", "11,78" in
// Vietnamese; dates dd/mm/yyyy).
func (p *page) Int(n int) string                 { return i18n.Int(int64(n), p.Lang) }
func (p *page) Dec(x float64, places int) string { return i18n.Decimal(x, places, p.Lang) }
func (p *page) Pct(x float64, places int) string { return i18n.Percent(x, places, p.Lang) }
func (p *page) Date(d units.Date) string {
	switch d {
	case units.Beginning, "":
		return "—"
	case units.Forever:
		return p.T("date.present")
	}
	return i18n.Date(string(d), p.Lang)
}

// OtherLangs lists the languages the switch offers, with whether each is the current one.
func (p *page) Langs() []langChoice {
	var out []langChoice
	for _, l := range i18n.Langs {
		out = append(out, langChoice{Code: l, Name: i18n.T(l, "lang.name"), Current: l == p.Lang})
	}
	return out
}

type langChoice struct {
	Code, Name string
	Current    bool
}

// ScriptMessages are the texts the scripts show (keys "js.…"), rendered as JSON in the page.
func (p *page) ScriptMessages() map[string]string { return i18n.WithPrefix(p.Lang, "js.") }

// Asset is the URL of a bundle ("app.css").
func (p *page) Asset(name string) string { return assetURL(name) }

// UnitName is how a unit is named in the page's language: "Thành phố Hà Nội" in Vietnamese,
// "Hà Nội" in English (the type is shown beside it).
func (p *page) UnitName(u units.Unit) string {
	if p.Lang == i18n.VI && u.FullName != "" {
		return u.FullName
	}
	return u.Name
}

// TypeName translates a unit type ("thị xã" → "town").
func (p *page) TypeName(t string) string {
	if k, ok := unitTypeKeys[t]; ok {
		return p.T(k)
	}
	return t
}

var unitTypeKeys = map[string]string{
	"tỉnh":                 "unit_type.province",
	"thành phố trung ương": "unit_type.central_city",
	"huyện":                "unit_type.rural_district",
	"quận":                 "unit_type.urban_district",
	"thị xã":               "unit_type.district_town",
	"thành phố thuộc tỉnh": "unit_type.provincial_city",
	"thành phố thuộc thành phố trung ương": "unit_type.municipal_city",
	"xã":       "unit_type.commune",
	"phường":   "unit_type.ward",
	"thị trấn": "unit_type.townlet",
	"đặc khu":  "unit_type.special_zone",
}

// LevelName translates a level, in the plural when many ("các xã").
func (p *page) LevelName(l units.Level, many bool) string {
	if many {
		return p.T("level." + string(l) + ".many")
	}
	return p.T("level." + string(l))
}

// RoleName translates a role.
func (p *page) RoleName(role string) string { return p.T("role." + role) }

// RegionName names one of the 7 regions in the page's language.
func (p *page) RegionName(code string) string {
	r, ok := units.LookupRegion(code)
	switch {
	case !ok:
		return "—"
	case p.Lang == i18n.EN:
		return r.NameEN
	}
	return r.NameVI
}

// Link is path with the query kv (pairs of name, value; empty values left out) and the
// page's as_of when the page was asked for a given day.
func (p *page) Link(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if p.asOfSet && q.Get("as_of") == "" {
		q.Set("as_of", string(p.AsOf))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// UnitLink is the URL of a unit's page, as of the page's day.
func (p *page) UnitLink(code string) string { return p.Link("/units/" + url.PathEscape(code)) }

// UnitLinkOn is the URL of a unit's page as of day (a unit that no longer exists, or one
// before a reorganisation); with no day, the bare URL.
func (p *page) UnitLinkOn(code string, day units.Date) string {
	if day == "" {
		return "/units/" + url.PathEscape(code)
	}
	return "/units/" + url.PathEscape(code) + "?as_of=" + url.QueryEscape(string(day))
}

// StateSymbol is the sign of an indicator's or criterion's verdict; the colour and the
// words beside it say the same, so that colour is never the only signal.
func (p *page) StateSymbol(state string) string {
	switch state {
	case "met":
		return "✓"
	case "not_met":
		return "✗"
	case "missing":
		return "?"
	}
	return "–"
}

// DashboardLink is the URL of the dashboard of a unit ("" for the country).
func (p *page) DashboardLink(code string) string { return p.Link("/dashboard", "unit", code) }

// readAsOf sets the page's day from the as_of parameter, YYYY-MM-DD (links) or dd/mm/yyyy
// (the date field, typed as offices write dates); a bad date is a 400 page.
func (s *Server) readAsOf(w http.ResponseWriter, r *http.Request, p *page) bool {
	v := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if v == "" {
		return true
	}
	day, err := parseDay(v)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_date", v)
		return false
	}
	p.AsOf, p.asOfSet = day, true
	return true
}

// parseDay reads a day written YYYY-MM-DD or d/m/yyyy (also with - or . between the parts).
func parseDay(v string) (units.Date, error) { return units.ReadDate(strings.TrimSpace(v)) }

// DateField is the page's day as the date field shows it: dd/mm/yyyy.
func (p *page) DateField() string { return i18n.Date(string(p.AsOf), p.Lang) }

// ---------------------------------------------------------------------------------------
// Rendering

var pageTemplates = sync.OnceValue(func() map[string]*template.Template {
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, e := range names {
		n := e.Name()
		if n == "layout.html" || n == "partials.html" || n == "reports_links.html" || strings.HasSuffix(n, "_partials.html") {
			continue
		}
		// Every page can use the shared parts: the layout's, the report links and each
		// module's NAME_partials.html.
		out[strings.TrimSuffix(n, ".html")] = template.Must(template.New(n).Funcs(templateFuncs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", "templates/reports_links.html", "templates/*_partials.html", "templates/"+n))
	}
	return out
})

var templateFuncs = template.FuncMap{
	"inc":      func(i int) int { return i + 1 },
	"decimals": decimals,
	"float":    func(i int) float64 { return float64(i) },
	"list":     func(xs ...string) []string { return xs },
	// splitLines splits text written in a textarea into its non-empty lines.
	"splitLines": func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	},
	// dict makes a map of pairs of name and value, to pass several things to a template.
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// render writes the page made of template name with the layout, compressed when the
// client takes gzip.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	s.renderKept(w, r, status, name, p, "")
}

// renderKept is render keeping the page under key in renderedPages ("" not kept).
func (s *Server) renderKept(w http.ResponseWriter, r *http.Request, status int, name string, p *page, key string) {
	t, ok := pageTemplates()[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	body := buf.Bytes()
	var gz []byte
	if len(body) > 1024 && (acceptsGzip(r) || key != "") {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.DefaultCompression)
		zw.Write(body)
		zw.Close()
		gz = z.Bytes()
	}
	if key != "" {
		renderedPages.Put(key, renderedPage{body: body, gz: gz})
	}
	if gz != nil && acceptsGzip(r) {
		writePage(w, r, status, p.Lang, gz, true)
	} else {
		writePage(w, r, status, p.Lang, body, false)
	}
}

// writePage sends a page's body (gzipped: compressed) with the headers of every page.
func writePage(w http.ResponseWriter, r *http.Request, status int, lang string, body []byte, gzipped bool) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", lang)
	// Pages show who is signed in and in which language: never shared, always revalidated.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Cookie, Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	if gzipped {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// errorPage renders a page that says what went wrong (message key and arguments).
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	p := s.newPage(r, "error.title")
	p.Data = struct{ Message string }{i18n.T(p.Lang, key, args...)}
	s.render(w, r, status, "error", p)
}

// internalError logs err and renders a 500 page.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "error.internal")
}

// ---------------------------------------------------------------------------------------
// Home, sign-in, sign-out, language

// GET / — the page the signed-in user's role starts on (landing.go); anonymous visitors go
// to the sign-in page.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	v := s.viewer(r)
	if v == nil {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, landing(v), http.StatusSeeOther)
}

type signInData struct {
	Next     string
	Username string
	Error    string // translated
}

// GET /sign-in?next=PATH
func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if s.viewer(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := s.newPage(r, "signin.title")
	p.Data = signInData{Next: next}
	s.render(w, r, http.StatusOK, "signin", p)
}

// POST /sign-in (form: username, password, next). The form is handled here, without
// script, by passing the credentials to the session API (POST /api/v1/session) and handing
// its cookie to the browser; a refusal shows the form again with the reason in the page's
// language.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("next"))
	p := s.newPage(r, "signin.title")
	fail := func(status int, key string) {
		p.Data = signInData{Next: next, Username: username, Error: p.T(key)}
		s.render(w, r, status, "signin", p)
	}
	if username == "" || password == "" {
		fail(http.StatusUnprocessableEntity, "signin.error.empty")
		return
	}
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	rec := s.forward(r, http.MethodPost, "/api/v1/session", body)
	switch {
	case rec.status >= 200 && rec.status < 300:
		copyCookies(w, rec)
		http.Redirect(w, r, next, http.StatusSeeOther)
	case rec.status == http.StatusUnauthorized || rec.status == http.StatusBadRequest ||
		rec.status == http.StatusUnprocessableEntity || rec.status == http.StatusForbidden:
		fail(http.StatusUnauthorized, "signin.error.wrong")
	case rec.status == http.StatusTooManyRequests:
		fail(http.StatusTooManyRequests, "signin.error.too_many")
	case rec.status == http.StatusNotFound || rec.status == http.StatusMethodNotAllowed:
		fail(http.StatusServiceUnavailable, "signin.error.unavailable")
	default:
		s.log.Error("sign-in: session API", "status", rec.status, "body", rec.body.String())
		fail(http.StatusInternalServerError, "signin.error.internal")
	}
}

// POST /sign-out — ends the session through the session API and goes to the sign-in page.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return
	}
	rec := s.forward(r, http.MethodDelete, "/api/v1/session", nil)
	if rec.status >= 500 {
		s.log.Error("sign-out: session API", "status", rec.status, "body", rec.body.String())
	}
	copyCookies(w, rec)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}

// forward sends a JSON request to one of this server's own API endpoints on behalf of the
// browser's request r (its cookies, address and agent), with the headers given as pairs of
// name and value, and returns the answer.
func (s *Server) forward(r *http.Request, method, path string, body []byte, headers ...string) *recorder {
	req, _ := http.NewRequestWithContext(r.Context(), method, path, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	req.Host = r.Host
	req.RemoteAddr = r.RemoteAddr
	req.TLS = r.TLS
	for _, h := range []string{"Cookie", "Authorization", "User-Agent", "X-Forwarded-For", "X-Real-Ip", "Accept-Language"} {
		if v := r.Header.Values(h); len(v) > 0 {
			req.Header[h] = v
		}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	// The request comes from this server's own form handler, which checked its origin.
	req.Header.Set("X-Requested-With", "ntm-pages")
	if o := r.Header.Get("Origin"); o != "" {
		req.Header.Set("Origin", o)
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	s.mux.ServeHTTP(rec, req)
	return rec
}

// recorder is an in-memory http.ResponseWriter for forward.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

func copyCookies(w http.ResponseWriter, rec *recorder) {
	for _, c := range rec.header.Values("Set-Cookie") {
		w.Header().Add("Set-Cookie", c)
	}
}

// sameOrigin reports whether a form post comes from this site: its Origin (sent by browsers
// with every form post) names this host, or, without Origin, Sec-Fetch-Site does not say
// otherwise.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && u.Host == r.Host
	}
	site := r.Header.Get("Sec-Fetch-Site")
	return site == "" || site == "same-origin" || site == "none"
}

// localPath returns p when it is a path on this site, else "/" (no open redirects). It is
// the one check of every redirect target taken from a request (sign-in's next, the language
// switch): a single leading slash, no scheme or host, no backslash and no control character
// (browsers drop tabs and newlines, so "/\t/evil.example" would become "//evil.example"),
// checked again after percent-decoding ("/%2F%2Fevil.example", "/%5Cevil.example").
func localPath(p string) string {
	bad := func(s string, raw bool) bool {
		if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsRune(s, '\\') {
			return true
		}
		for _, c := range s {
			if c < 0x20 || c == 0x7f || raw && (c == utf8.RuneError || unicode.IsSpace(c)) {
				return true
			}
		}
		return false
	}
	if p == "" || len(p) > 2048 || bad(p, true) {
		return "/"
	}
	path, _, _ := strings.Cut(p, "?")
	if d, err := url.PathUnescape(path); err != nil || bad(d, false) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return p
}

// POST /lang (form: lang, next) — the language switch: remembers the choice in a cookie
// for a year and goes back to the page.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	r.ParseForm()
	lang := r.PostForm.Get("lang")
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
}

// ---------------------------------------------------------------------------------------
// Units: tree and search

type unitsData struct {
	Q        string
	Searched bool
	Results  []searchResult
	Total    int // len(Results)
	Limit    int
	Children []units.Unit // the provinces (tree roots)
}

// searchLimit caps the results shown by a search.
const searchLimit = 100

// GET /units?as_of=DATE&q=TEXT — the provinces as an expandable tree, or the units whose
// name matches q without regard to diacritics or case ("soc son" finds "Sóc Sơn").
func (s *Server) unitsPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startDated(w, r, "units.title", "units")
	if !ok {
		return
	}
	d := unitsData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Limit: searchLimit}
	var err error
	if d.Q != "" {
		d.Searched = true
		d.Results, err = s.search(r.Context(), d.Q, p.AsOf)
		d.Total = len(d.Results)
	} else {
		d.Children, err = s.db.Children(r.Context(), "", p.AsOf)
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	p.Data = d
	p.Scripts = []string{"app.js"}
	s.render(w, r, http.StatusOK, "units", p)
}

// searchResult is a unit found by a search, with its parent to tell namesakes apart.
type searchResult struct {
	Unit   units.Unit
	Parent *units.Unit
}

func (s *Server) search(ctx context.Context, text string, day units.Date) ([]searchResult, error) {
	found, err := s.db.SearchUnits(ctx, store.UnitQuery{AsOf: day, Text: text, Limit: searchLimit})
	if err != nil {
		return nil, err
	}
	parents := map[string]*units.Unit{}
	out := make([]searchResult, len(found))
	for i, u := range found {
		out[i].Unit = u
		if u.ParentCode == "" {
			continue
		}
		pu, ok := parents[u.ParentCode]
		if !ok {
			x, err := s.db.Unit(ctx, u.ParentCode, day)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			if err == nil {
				pu = &x
			}
			parents[u.ParentCode] = pu
		}
		out[i].Parent = pu
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------
// A unit's page

type unitData struct {
	Unit         units.Unit
	Trail        []units.Unit // from the province down to the parent
	Successors   []store.Link
	Predecessors []store.Link
	Children     []units.Unit
	ChildLevel   units.Level
	Map          *mapSpec
	MapNote      string       // translated: why there is no map
	Legend       []legendItem // the map's legend (none while the map only locates units)
	Figures      *unitFigures
}

// unitFigures is the unit's figures from app.UnitFiguresOn, laid out by unitFiguresFor
// (pages_figures.go). Each section the page cannot fill says "chưa có dữ liệu" and shows no
// number it does not have.
type unitFigures struct {
	app.UnitFigures
	// Hidden is set when the signed-in user may not read the unit's data: the page shows
	// the unit (reference data) and says so instead of the figures.
	Hidden       bool
	HistoryChart *lineChart // the criteria met per period (app.UnitFigures.History)
	NewLink      string     // the form that starts an assessment, when the user may enter data
}

// assessmentLink is one of a unit's assessments.
type assessmentLink = app.AssessmentLink

// GET /units/{code}?as_of=DATE
func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startDated(w, r, "unit.title", "units")
	if !ok {
		return
	}
	ctx := r.Context()
	code := r.PathValue("code")
	u, err := s.db.Unit(ctx, code, p.AsOf)
	if errors.Is(err, store.ErrNotFound) {
		s.goneUnit(w, r, p, code)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d := unitData{Unit: u}
	anc, err := s.db.Ancestors(ctx, code, p.AsOf)
	if err == nil {
		d.Trail = reverse(anc)
		d.Successors, err = s.db.NextLinks(ctx, u)
	}
	if err == nil {
		d.Predecessors, err = s.db.PrevLinks(ctx, u)
	}
	if err == nil {
		d.Children, err = s.db.Children(ctx, code, p.AsOf)
	}
	if err == nil {
		d.Figures, err = s.unitFiguresFor(r, p, u, d.Children)
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if len(d.Children) > 0 {
		d.ChildLevel = d.Children[0].Level
	}
	p.Title = p.UnitName(u)
	// The map: a province's communes; for a commune, the communes of its province with this
	// one marked.
	switch {
	case u.Level == units.LevelProvince && len(d.Children) > 0:
		d.Map, d.MapNote = p.childMap(u.Code, d.Children, "", p.UnitLink)
	case u.Level == units.LevelCommune && u.ParentCode != "":
		sib, err := s.db.Children(ctx, u.ParentCode, p.AsOf)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		d.Map, d.MapNote = p.childMap(u.ParentCode, sib, u.Code, p.UnitLink)
	}
	if d.Map != nil && u.Level != units.LevelCommune && d.Figures != nil && d.Figures.Below != nil {
		// A province's communes coloured as on its dashboard.
		d.Legend = p.colourMap(d.Map, d.Figures.Below, "criteria")
	}
	if d.Map != nil {
		p.Scripts = append(p.Scripts, "map.js")
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "unit", p)
}

func reverse(us []units.Unit) []units.Unit {
	out := make([]units.Unit, len(us))
	for i, u := range us {
		out[len(us)-1-i] = u
	}
	return out
}

// ---------------------------------------------------------------------------------------
// The map

// mapSpec tells map.js what to draw: the boundaries to fetch, the units to draw from them
// (with where each leads and its colour class), as JSON in the page.
type mapSpec struct {
	Boundaries string    `json:"boundaries"` // URL of a TopoJSON
	Object     string    `json:"object"`     // its object: "provinces" or "communes"
	Units      []mapUnit `json:"units"`
	Highlight  string    `json:"highlight,omitempty"` // code of a unit to mark
	Label      string    `json:"label"`               // the map's accessible name
}

type mapUnit struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Href  string `json:"href"`
	Class string `json:"class,omitempty"` // colour class from the metric (q0…q5, t-…); "" no data
	Value string `json:"value,omitempty"` // the figure, in words, for the tooltip
}

// childMap returns the map of the units in children (below parent: "" the country, or a
// province code), each leading to link(code), or the reason there is none.
func (p *page) childMap(parent string, children []units.Unit, highlight string, link func(string) string) (*mapSpec, string) {
	if p.AsOf < boundariesFrom {
		return nil, p.T("map.no_boundaries_before", p.Date(boundariesFrom))
	}
	if len(children) == 0 {
		return nil, ""
	}
	m := &mapSpec{Highlight: highlight}
	if parent == "" {
		m.Boundaries, m.Object, m.Label = "/api/v1/boundaries/provinces", "provinces", p.T("map.label.country")
	} else {
		m.Boundaries = "/api/v1/boundaries/communes?province=" + url.QueryEscape(parent)
		m.Object, m.Label = "communes", p.T("map.label.communes")
	}
	for _, c := range children {
		m.Units = append(m.Units, mapUnit{Code: c.Code, Name: p.UnitName(c), Href: link(c.Code)})
	}
	return m, ""
}

// ---------------------------------------------------------------------------------------
// The progress dashboard

type dashboardData struct {
	Unit     *units.Unit // nil: the whole country
	Trail    []units.Unit
	Children []units.Unit
	Metric   string          // "criteria" or "tier"
	SetParam string          // the set asked for in the URL ("" the one in force)
	Sets     []app.SetChoice // the sets the figures can be on
	Map      *mapSpec
	MapNote  string
	Legend   []legendItem
	// Figures are the progress below the unit (app.DashboardFigures). Without them the
	// dashboard says "chưa có số liệu" instead of showing numbers it does not have.
	Figures *app.Figures
	// Targets are the figures' targets in words (none for the whole country).
	Targets []targetRow
	// Note says why there are no figures (translated); CommuneLink leads a commune's
	// dashboard to the commune's own page.
	Note        string
	CommuneLink string
	// Charts drawn from Figures (nil without them).
	Distribution *barChart
	ByCriterion  *barChart
	// Reminders are the steering tasks overdue for the signed-in user's unit (as owner).
	Reminders []resources.TaskEntry
	// Registers is the funding, works and models of the unit shown (nil: none entered).
	Registers *dashRegisters
}

// setChoice is a criteria set a form or a page offers.
type setChoice = app.SetChoice

// GET /dashboard?unit=CODE&as_of=DATE&set=ID&metric=criteria|tier
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startDated(w, r, "dashboard.title", "dashboard")
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	d := dashboardData{Metric: "criteria", SetParam: q.Get("set")}
	if q.Get("metric") == "tier" {
		d.Metric = "tier"
	}
	code := q.Get("unit")
	if code == "" && p.User.UnitCode != "" && p.User.user.Role.Reach(auth.Read) != auth.Everywhere {
		// Officers whose figures stop at their home unit start from it.
		http.Redirect(w, r, p.Link("/dashboard", "unit", p.User.UnitCode, "set", d.SetParam, "metric", metricParam(d.Metric)), http.StatusSeeOther)
		return
	}
	key := s.dashboardPageKey(r, p)
	if s.serveKeptDashboard(w, r, p, key) {
		return
	}
	if code != "" && !s.dashboardUnit(w, r, p, &d, code) {
		return
	}
	// The figures of a unit are for those who may read them (the country's for the roles
	// that read everywhere); the map alone would be reference data, but a page of someone
	// else's figures with the figures cut out helps nobody.
	if !s.allowFigures(w, r, p, code, d.Unit) {
		return
	}
	if !s.dashboardFigures(w, r, p, &d, code) {
		return
	}
	p.dashboardMap(&d, code)
	var err error
	// The owner's reminders: steering tasks past their due date and not done.
	if d.Reminders, err = app.OverdueTasksFor(ctx, s.db, p.User.user, units.Today()); err != nil {
		s.internalError(w, r, err)
		return
	}
	if d.Registers, err = s.dashboardRegisters(ctx, p, code); err != nil {
		s.internalError(w, r, err)
		return
	}
	if d.Figures != nil {
		// The list beside the map: the units with figures first, most criteria met first.
		app.SortByFigure(d.Children, d.Figures)
		d.Distribution = p.distributionChart(d.Figures)
		d.ByCriterion = p.criterionChart(d.Figures)
	}
	if d.Map != nil {
		p.Scripts = append(p.Scripts, "map.js")
	}
	p.Data = d
	s.renderKept(w, r, http.StatusOK, "dashboard", p, key)
}

// dashboardUnit reads the unit the dashboard is of, with the trail above it, or answers
// (404, 500) and returns false.
func (s *Server) dashboardUnit(w http.ResponseWriter, r *http.Request, p *page, d *dashboardData, code string) bool {
	ctx := r.Context()
	u, err := s.db.Unit(ctx, code, p.AsOf)
	if errors.Is(err, store.ErrNotFound) {
		s.goneUnit(w, r, p, code) // a unit that ended: its archive, else 404
		return false
	}
	if err != nil {
		s.internalError(w, r, err)
		return false
	}
	d.Unit = &u
	anc, err := s.db.Ancestors(ctx, code, p.AsOf)
	if err != nil {
		s.internalError(w, r, err)
		return false
	}
	d.Trail = reverse(anc)
	p.Title = p.T("dashboard.title_of", p.UnitName(u))
	return true
}

// dashboardFigures picks the set, lists the sets and the unit's children, and computes the
// figures below the unit (code; "" the country) with their targets, or says why there are
// none; on an error it answers and returns false.
func (s *Server) dashboardFigures(w http.ResponseWriter, r *http.Request, p *page, d *dashboardData, code string) bool {
	ctx := r.Context()
	cat, err := s.rules(ctx)
	if err != nil {
		s.internalError(w, r, err)
		return false
	}
	set, err := app.PickSet(ctx, cat, d.SetParam, p.AsOf)
	switch {
	case err != nil && d.SetParam != "":
		s.errorPage(w, r, http.StatusBadRequest, "error.no_set", d.SetParam)
		return false
	case err != nil:
		d.Note = p.T("dashboard.no_set", p.Date(p.AsOf))
	}
	if d.Sets, err = app.SetChoices(ctx, cat, p.AsOf, set); err != nil {
		s.internalError(w, r, err)
		return false
	}
	if d.Children, err = s.db.Children(ctx, code, p.AsOf); err != nil {
		s.internalError(w, r, err)
		return false
	}
	switch {
	case set == nil:
	case d.Unit != nil && (d.Unit.Level == units.LevelCommune || d.Unit.Level == units.LevelVillage):
		// A commune's own standing is on its page: the dashboard counts units below.
		d.Note, d.CommuneLink = p.T("dashboard.commune_note"), p.UnitLink(d.Unit.Code)
	default:
		q := app.DashboardQuery{Set: set, Unit: code, Day: p.AsOf, Tiers: d.Metric == "tier", Lang: p.Lang}
		if len(d.Children) > 0 {
			q.ChildLevel = d.Children[0].Level
		}
		if d.Figures, err = app.DashboardFigures(ctx, s.db, cat, q); err == nil {
			d.Targets, err = s.targetRows(ctx, p, d.Figures.Targets)
		}
		if err != nil {
			s.internalError(w, r, err)
			return false
		}
	}
	return true
}

// dashboardMap draws the map, which drills down: country → provinces → communes. A commune
// has no map of its own.
func (p *page) dashboardMap(d *dashboardData, code string) {
	drill := func(c string) string {
		return p.Link("/dashboard", "unit", c, "set", d.SetParam, "metric", metricParam(d.Metric))
	}
	if d.Unit == nil || d.Unit.Level == units.LevelProvince || d.Unit.Level == units.LevelDistrict {
		d.Map, d.MapNote = p.childMap(code, d.Children, "", drill)
	}
	if len(d.Children) > 0 && d.Children[0].Level == units.LevelCommune {
		// Communes have nothing below them on the dashboard: they lead to their own page.
		if d.Map != nil {
			for i := range d.Map.Units {
				d.Map.Units[i].Href = p.UnitLink(d.Map.Units[i].Code)
			}
		}
	}
	d.Legend = p.colourMap(d.Map, d.Figures, d.Metric)
}

// PendingLink lists the dashboard's units whose latest assessment of status ("" any) is
// still on its way.
func (p *page) PendingLink(status string) string {
	d, _ := p.Data.(dashboardData)
	code := ""
	if d.Unit != nil {
		code = d.Unit.Code
	}
	setID := ""
	if d.Figures != nil {
		setID = d.Figures.SetID
	}
	return p.Link("/assessments/pending", "unit", code, "set", setID, "status", status, "as_of", string(p.AsOf))
}

// ChildLink is where a child unit in the dashboard's list leads: its own dashboard, or for
// a commune (nothing below it) its page.
func (p *page) ChildLink(u units.Unit) string {
	if u.Level == units.LevelCommune || u.Level == units.LevelVillage {
		return p.UnitLink(u.Code)
	}
	d, _ := p.Data.(dashboardData)
	return p.Link("/dashboard", "unit", u.Code, "set", d.SetParam, "metric", metricParam(d.Metric))
}

// childFigure returns the dashboard's figure for a child unit.
func (p *page) childFigure(code string) (app.ChildFigure, bool) {
	d, _ := p.Data.(dashboardData)
	if d.Figures == nil {
		return app.ChildFigure{}, false
	}
	cf, ok := d.Figures.Children[code]
	return cf, ok
}

// ChildCriteria is a child unit's criteria met (or average), "—" without figures.
func (p *page) ChildCriteria(code string) string {
	cf, ok := p.childFigure(code)
	if !ok {
		return "—"
	}
	return p.Dec(cf.CriteriaMet, decimals(cf.CriteriaMet))
}

// ChildTier is a child unit's tier, "—" without figures or for a group of units.
func (p *page) ChildTier(code string) string {
	cf, ok := p.childFigure(code)
	switch {
	case !ok || !cf.Single:
		return "—"
	case cf.Tier == "":
		return p.T("tier.none")
	}
	return p.T("tier." + cf.Tier)
}

func metricParam(m string) string {
	if m == "criteria" {
		return ""
	}
	return m
}

// legendItem is one colour of the map's legend.
type legendItem struct {
	Class string // CSS class of the swatch
	Label string
	Count int // units in it (-1: not counted)
}

// colourMap sets each unit's colour class and tooltip figure from the figures, and returns
// the legend. Without figures every unit stays uncoloured and the legend says there are no
// figures. Criteria met are banded by app.CriteriaBands.
func (p *page) colourMap(m *mapSpec, f *app.Figures, metric string) []legendItem {
	if f == nil || f.Children == nil {
		return []legendItem{{Class: "q-none", Label: p.T("map.no_data"), Count: -1}}
	}
	var legend []legendItem
	classOf := map[string]int{} // class → legend index
	add := func(class, label string) {
		classOf[class] = len(legend)
		legend = append(legend, legendItem{Class: class, Label: label})
	}
	var band func(cf app.ChildFigure) string
	if metric == "tier" {
		for i := len(app.Tiers) - 1; i >= 0; i-- {
			add("t-"+app.Tiers[i], p.T("tier."+app.Tiers[i]))
		}
		add("t-none", p.T("tier.none"))
		band = func(cf app.ChildFigure) string {
			if cf.Tier == "" {
				return "t-none"
			}
			return "t-" + cf.Tier
		}
	} else {
		n := f.Criteria
		cut := app.CriteriaBands(n)
		for i, lo := range cut {
			class := "q" + strconv.Itoa(5-i)
			switch {
			case i == 0:
				add(class, p.T("map.band.all", n))
			case lo == 0:
				add(class, p.T("map.band.below", cut[i-1]))
			default:
				add(class, p.T("map.band.range", lo, cut[i-1]-1))
			}
		}
		band = func(cf app.ChildFigure) string {
			for i, lo := range cut {
				if cf.CriteriaMet >= float64(lo) {
					return "q" + strconv.Itoa(5-i)
				}
			}
			return "q1"
		}
	}
	none := false
	if m != nil {
		for i := range m.Units {
			cf, ok := f.Children[m.Units[i].Code]
			if ok && metric == "tier" && !cf.Single {
				// A province is not of a tier: only units assessed one by one are.
				ok = false
			}
			if !ok {
				none = true
				m.Units[i].Value = p.T("map.no_data")
				continue
			}
			c := band(cf)
			m.Units[i].Class = c
			if metric == "tier" {
				m.Units[i].Value = legend[classOf[c]].Label
			} else {
				m.Units[i].Value = p.T("map.value.criteria", p.Dec(cf.CriteriaMet, decimals(cf.CriteriaMet)), f.Criteria)
			}
			legend[classOf[c]].Count++
		}
	}
	if none {
		legend = append(legend, legendItem{Class: "q-none", Label: p.T("map.no_data"), Count: -1})
	}
	return legend
}

// decimals is 0 for a whole number, else 2 ("11,78").
func decimals(x float64) int {
	if x == float64(int64(x)) {
		return 0
	}
	return 2
}

// ---------------------------------------------------------------------------------------
// Charts, drawn on the server as SVG: no chart library to download.

// barChart is a horizontal bar chart, drawn as a table whose rows carry their bar.
type barChart struct {
	ID    string // of its caption
	Title string
	Bars  []chartBar
}

type chartBar struct {
	Label string
	Value string  // formatted
	Width float64 // per cent of the longest bar
}

func newBarChart(id, title string, labels []string, values []float64, format func(float64) string) *barChart {
	c := &barChart{ID: id, Title: title}
	max := 0.0
	for _, v := range values {
		if v > max {
			max = v
		}
	}
	for i, v := range values {
		w := 0.0
		if max > 0 {
			w = 100 * v / max
		}
		c.Bars = append(c.Bars, chartBar{Label: labels[i], Value: format(v), Width: w})
	}
	return c
}

// distributionChart: how many units meet exactly k criteria, from the most to none.
func (p *page) distributionChart(f *app.Figures) *barChart {
	var labels []string
	var values []float64
	for k := len(f.Distribution) - 1; k >= 0; k-- {
		labels = append(labels, p.T("chart.k_criteria", k))
		values = append(values, float64(f.Distribution[k]))
	}
	return newBarChart("chart-distribution", p.T("chart.distribution"), labels, values, func(v float64) string { return p.Int(int(v)) })
}

// criterionChart: how many units meet each criterion, weakest first.
func (p *page) criterionChart(f *app.Figures) *barChart {
	var labels []string
	var values []float64
	for _, c := range f.ByCriterion {
		labels = append(labels, p.T("chart.criterion", c.Number, c.Name))
		values = append(values, float64(c.UnitsMet))
	}
	return newBarChart("chart-by-criterion", p.T("chart.by_criterion"), labels, values, func(v float64) string { return p.Int(int(v)) })
}

// lineChart is a line over periods (a unit's criteria met through time).
type lineChart struct {
	Title  string
	Points string // SVG polyline points in a 600 × 200 box
	Dots   []chartDot
	YMax   string
}

type chartDot struct {
	X, Y  float64
	Label string // "2024: 17"
}

// newLineChart lays out values (one per label) in a 600 × 200 box with a margin for labels.
func newLineChart(title string, labels []string, values []float64, max float64, format func(float64) string) *lineChart {
	c := &lineChart{Title: title, YMax: format(max)}
	if max <= 0 {
		max = 1
	}
	var pts []string
	for i, v := range values {
		x := 40.0
		if len(values) > 1 {
			x = 40 + 540*float64(i)/float64(len(values)-1)
		}
		y := 180 - 160*v/max
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
		c.Dots = append(c.Dots, chartDot{X: x, Y: y, Label: labels[i] + ": " + format(v)})
	}
	c.Points = strings.Join(pts, " ")
	return c
}
