package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/units"
)

// Issue 15.9: usable by everyone, on a phone too. Every page a demo role reaches — found by
// following the links of the pages, from the landing page and the navigation on — is checked
// by axe-core (testdata/axe, MPL-2.0) against the WCAG 2.2 A and AA rules, and at 360 px wide
// must not scroll sideways.

// axeTags are the rule sets axe runs: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']`

// phoneWidth is the narrowest screen the pages are made for (issue 15.9: 320-360 px).
const phoneWidth = 360

// maxPagesPerRole bounds the pages a role reaches (reach); a role reaching more kinds of pages
// fails the test, so that a new page is never left out silently.
const maxPagesPerRole = 60

// pageKind is what two URLs of the same page share: the path with its numbers (unit codes,
// ids, years) taken out, so /units/01 and /units/00004 are one page to check.
var digits = regexp.MustCompile(`\d+`)

func pageKind(path string) string { return digits.ReplaceAllString(path, "N") }

// skipLink says which links are not pages: the API, files to download, the static assets.
func skipLink(u *url.URL) bool {
	if strings.HasPrefix(u.Path, "/api/") || strings.HasPrefix(u.Path, "/static/") || u.Path == "/sign-out" {
		return true
	}
	switch strings.ToLower(filepath.Ext(u.Path)) {
	case ".xlsx", ".pdf", ".csv", ".docx", ".odt", ".zip", ".json", ".png", ".geojson":
		return true
	}
	return strings.Contains(u.RawQuery, "format=")
}

// axeViolation is one failed rule on a page, with a few of the elements that fail it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs axe-core on the page (injected into every document by withAxe).
func (b *browser) axeRun() []axeViolation {
	b.t.Helper()
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: 'tag', values: `+axeTags+`}, resultTypes: ['violations']})
		.then((r) => JSON.stringify(r.violations.map((v) => ({id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' '))}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", b.text(`location.href`), err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatal(err)
	}
	return vs
}

// withAxe makes axe-core part of every document the tab loads from now on.
func (b *browser) withAxe() {
	b.t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: string(src)}); err != nil {
		b.t.Fatal(err)
	}
}

// sideways reports what sticks out of the page at phoneWidth, if the page scrolls sideways.
func (b *browser) sideways() string {
	b.t.Helper()
	b.do("narrow the window", chromedp.EmulateViewport(phoneWidth, 800))
	defer b.do("widen the window", chromedp.EmulateViewport(1280, 1000))
	return b.text(`(() => { const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return '';
		const out = [];
		for (const e of document.body.querySelectorAll('*')) {
			const r = e.getBoundingClientRect();
			if (r.right > w + 1 && r.width > 0 && getComputedStyle(e).position !== 'fixed') {
				const p = e.parentElement && e.parentElement.getBoundingClientRect();
				if (p && p.right > w + 1) continue; // its parent sticks out already
				out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' (' + Math.round(r.right) + ' px)');
			}
		}
		return 'page ' + document.documentElement.scrollWidth + ' px wide: ' + out.slice(0, 6).join(', '); })()`)
}

// checkPage waits for the page to settle (its map drawn), then runs axe and the phone check.
func (b *browser) checkPage(who, where string) {
	b.t.Helper()
	b.waitFor("the page "+where, `!document.querySelector('.map-canvas') || !!document.querySelector('.map-canvas[data-drawn], .map-canvas [role=alert]')`)
	for _, v := range b.axeRun() {
		b.t.Errorf("%s, %s: %s (%s): %s\n    %s", who, where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}
	if os.Getenv("NTM_SHOTS") != "" { // to look at every page as a phone shows it
		b.do("narrow the window for a picture", chromedp.EmulateViewport(phoneWidth, 800))
		b.shot(who + "-" + strings.ReplaceAll(pageKind(where), "/", "_") + "-phone")
		b.do("widen the window after the picture", chromedp.EmulateViewport(1280, 1000))
	}
	if wide := b.sideways(); wide != "" {
		b.do("narrow the window again", chromedp.EmulateViewport(phoneWidth, 800))
		b.shot(who + "-" + strings.ReplaceAll(pageKind(where), "/", "_") + "-360")
		b.do("widen the window again", chromedp.EmulateViewport(1280, 1000))
		b.t.Errorf("%s, %s scrolls sideways at %d px: %s", who, where, phoneWidth, wide)
	}
}

// hrefs are the links of a page's HTML.
var hrefs = regexp.MustCompile(`href="([^"#]*)`)

// reach lists the pages a signed-in role reaches from start by links, one of each kind, breadth
// first. It reads the pages over HTTP, not in the browser: finding the links of every page is
// quick that way, and the browser checks each kind of page only once (checkPage).
func reach(t *testing.T, srv *httptest.Server, cookie *http.Cookie, start string) []string {
	t.Helper()
	seen := map[string]bool{}
	if u, err := url.Parse(start); err == nil {
		seen[pageKind(u.Path)] = true
	}
	queue, out := []string{start}, []string{}
	for len(queue) > 0 {
		where := queue[0]
		queue = queue[1:]
		if len(out) == maxPagesPerRole {
			t.Errorf("more than %d kinds of pages are reachable; raise maxPagesPerRole (next: %s)", maxPagesPerRole, where)
			break
		}
		req, _ := http.NewRequest("GET", srv.URL+where, nil)
		req.AddCookie(cookie)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue // a file, or a page that leads elsewhere (its target is linked too)
		}
		out = append(out, where)
		for _, m := range hrefs.FindAllSubmatch(body, -1) {
			u, err := url.Parse(html.UnescapeString(string(m[1])))
			if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || skipLink(u) || seen[pageKind(u.Path)] {
				continue
			}
			seen[pageKind(u.Path)] = true
			queue = append(queue, u.RequestURI())
		}
	}
	return out
}

// sessionOf signs a demo user in over HTTP and returns the session cookie.
func sessionOf(t *testing.T, srv *httptest.Server, username string) *http.Cookie {
	t.Helper()
	resp := signInForm(t, srv, username, demo.Password, "")
	for _, c := range resp.Cookies() {
		if c.Name == "ntm_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("sign-in of %s: %d, no session cookie", username, resp.StatusCode)
	return nil
}

// checksPerTab is how many pages one tab checks: a role that checks more shares them out
// among several tabs, side by side.
const checksPerTab = 8

// partsOf cuts list into parts of at most n.
func partsOf(list []string, n int) [][]string {
	var out [][]string
	for len(list) > n {
		out = append(out, list[:n])
		list = list[n:]
	}
	return append(out, list)
}

// landingOf is where a signed-in user lands from "/" (following the redirects).
func landingOf(t *testing.T, srv *httptest.Server, cookie *http.Cookie) string {
	t.Helper()
	where := "/"
	for range 10 {
		req, _ := http.NewRequest("GET", srv.URL+where, nil)
		req.AddCookie(cookie)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 300 || resp.StatusCode > 399 {
			return where
		}
		u, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		where = u.RequestURI()
	}
	t.Fatalf("redirects from / do not end")
	return ""
}

// TestBrowser_EveryPageAccessible (issue 15.9): on the demo data, every kind of page the demo
// roles reach, and the sign-in page, has no axe-core violation of WCAG 2.2 A/AA and does not
// scroll sideways at 360 px.
func TestBrowser_EveryPageAccessible(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, demo.Options{Provinces: []string{"01"}}); err != nil {
		t.Fatal(err)
	}
	all, _, _ := units.Shipped()
	// Each kind of page is checked once, as the first role that reaches it: the commune
	// officer first (the forms it fills in are editable for it alone), then the province's,
	// the council's and the national roles. Every role's landing page is checked. The pages
	// are found over HTTP, in that order, before any is checked; then each role checks its
	// pages in tabs of its own (checksPerTab pages a tab), all the tabs side by side.
	users := map[auth.Role]demo.User{}
	for _, u := range demo.Users(demo.DemoCommune(all)) {
		if _, ok := users[u.Role]; !ok { // the council's other members see what its first one sees
			users[u.Role] = u
		}
	}
	type visit struct {
		user  demo.User
		pages []string // the landing page first
	}
	var visits []visit
	seen := map[string]bool{}
	for _, role := range []auth.Role{auth.RoleCommune, auth.RoleProvince, auth.RoleOCOPCouncil, auth.RoleAdmin, auth.RoleCentral, auth.RoleDistrict, auth.RoleViewer} {
		u, ok := users[role]
		if !ok {
			t.Fatalf("no demo user of role %s", role)
		}
		cookie := sessionOf(t, srv, u.Username)
		pages := reach(t, srv, cookie, landingOf(t, srv, cookie))
		v := visit{user: u}
		for i, where := range pages {
			if kind := pageKind(strings.SplitN(where, "?", 2)[0]); i == 0 || !seen[kind] {
				seen[kind] = true
				v.pages = append(v.pages, where)
			}
		}
		if len(pages) == 0 {
			t.Fatalf("%s reaches no page", u.Username)
		}
		t.Logf("%s reaches %d kinds of pages, %d checked as this role: %s", u.Username, len(pages), len(v.pages), strings.Join(pages, " "))
		visits = append(visits, v)
	}
	t.Run("roles", func(t *testing.T) {
		t.Run("anonymous", func(t *testing.T) {
			t.Parallel()
			b := newBrowserFor(t, srv, 15*time.Minute)
			b.withAxe()
			b.open("/sign-in")
			b.checkPage("anonymous", "/sign-in")
		})
		for _, v := range visits {
			for part, pages := range partsOf(v.pages, checksPerTab) {
				t.Run(fmt.Sprintf("%s-%d", v.user.Role, part), func(t *testing.T) {
					t.Parallel()
					u := v.user
					b := newBrowserFor(t, srv, 15*time.Minute)
					b.withAxe()
					b.open("/sign-in")
					b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
					b.do("sign in as "+u.Username, chromedp.SendKeys(chromedp.ID("username"), u.Username), chromedp.SendKeys(chromedp.ID("password"), demo.Password+"\r"))
					b.waitFor(u.Username+"'s landing page", `location.pathname !== '/sign-in' && !!document.querySelector('.user .name')`)
					if where := b.text(`location.pathname + location.search`); where != v.pages[0] {
						t.Errorf("%s lands on %s in the browser, on %s over HTTP", u.Username, where, v.pages[0])
					}
					for _, where := range pages {
						b.open(where)
						b.checkPage(u.Username, where)
					}
					b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
					b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
				})
			}
		}
	})
	if t.Failed() {
		fmt.Fprintln(os.Stderr, "screenshots of the pages too wide at 360 px: test-artifacts/")
	}
}
