package web_test

// Browser tests: the pages in headless Chromium (Debian's chromium package), driven over
// the DevTools protocol with chromedp, against a real server on 127.0.0.1 over SQLite with
// the shipped units. Screenshots go to test-artifacts/ at the repository root.
//
// Without /usr/bin/chromium (or $NTM_CHROMIUM) the tests skip, except in CI (CI set), where
// they fail: `.ci/run` installs Chromium.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/ntm-vn/ntm/internal/app"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Budgets of issue 7 and SPEC §5.
const (
	dashboardBudgetBytes = 300 * 1024 // transferred, gzip, before the map's boundaries
	firstRenderBudget    = time.Second
	// The throttled connection: 1.6 Mbit/s both ways, 150 ms latency.
	throttleBytesPerSec = 200000
	throttleLatencyMS   = 150
)

func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("NTM_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is not at %s: the browser tests must run in CI (.ci/run installs Debian's chromium)", path)
		}
		t.Skipf("no Chromium at %s (apt-get install chromium, or set NTM_CHROMIUM); browser tests skipped", path)
	}
	return path
}

// browser is a tab of the package's one headless Chromium, in a browser context of its own
// (cookies, storage and cache of its own, as a fresh profile has), so tests run in parallel.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string // the server's URL
}

// chromium is the one Chromium of the package's tests, started by the first that needs it
// (starting one costs a second of CPU or more) and stopped by TestMain (stopChromium).
var chromium struct {
	once   sync.Once
	ctx    context.Context // its first tab, which the tests' browser contexts come from
	cancel func()
	err    error
}

// startChromium starts the package's Chromium at path, once.
func startChromium(path string) (context.Context, error) {
	chromium.once.Do(func() {
		dir, err := os.MkdirTemp("", "ntm-chromium-")
		if err != nil {
			chromium.err = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			// Tabs in the background (every test's but one) keep running their timers.
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1280, 1000),
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelTab := chromedp.NewContext(actx)
		chromium.ctx = ctx
		chromium.cancel = func() {
			cancelTab()
			cancelAlloc()
			os.RemoveAll(dir)
		}
		if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx, not to a timeout
			chromium.err = fmt.Errorf("start Chromium: %w", err)
		}
	})
	return chromium.ctx, chromium.err
}

// stopChromium stops the package's Chromium, if a test started it.
func stopChromium() {
	if chromium.cancel != nil {
		chromium.cancel()
	}
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	t.Helper()
	return newBrowserFor(t, srv, 90*time.Second)
}

// newBrowserFor is newBrowser for a test that needs the browser longer than most.
func newBrowserFor(t *testing.T, srv *httptest.Server, timeout time.Duration) *browser {
	t.Helper()
	// This test's screenshots of an earlier run would mislead.
	old, _ := filepath.Glob(filepath.Join("..", "..", "test-artifacts", t.Name()+"-*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	root, err := startChromium(chromiumPath(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancelTab := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000)); err != nil { // opens the tab
		t.Fatalf("open a tab in Chromium: %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel)
	return &browser{t: t, ctx: tctx, base: srv.URL}
}

// do runs steps and fails the test on an error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.shot("failed")
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to path on the server.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
}

// eval evaluates a JavaScript expression and decodes its value into T.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript expression is true. It polls, and rides over the errors
// of a page that is being replaced by the next one.
//
// It also waits for the document to finish loading: right after a navigation commits,
// location already names the new page while its body is still being parsed, and a
// query for its heading would find nothing.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	expr = "document.readyState === 'complete' && (" + expr + ")"
	deadline := time.Now().Add(20 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		if b.ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.shot("failed")
	href, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("location.href"))
	b.t.Fatalf("waiting for %s (%s): last error %v; page: %s", what, expr, err, href)
}

// mapDrawn waits for the map to be drawn and returns the number of units on it.
func (b *browser) mapDrawn() int {
	b.t.Helper()
	b.waitFor("the map", `!!document.querySelector('.map-canvas[data-drawn]')`)
	return eval[int](b, `document.querySelectorAll('svg.choropleth path.unit').length`)
}

// shot saves a full-page screenshot as test-artifacts/<test>-<name>.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join("..", "..", "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(dir, strings.ReplaceAll(b.t.Name(), "/", "_")+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

func (b *browser) text(expr string) string { b.t.Helper(); return eval[string](b, expr) }

// mapColours checks the map drawn on the page in colour (issue 15.6: a rule of the
// stylesheet once painted every unit grey while the legend showed greens): the units of
// each colour class (q1…q5, q-none, t-…) are painted alike, units of different classes
// differently, and the same for the legend's swatches, whose colour is the one of the
// units of their class. It returns the classes drawn, so the caller can ask for some.
func (b *browser) mapColours() []string {
	b.t.Helper()
	const paints = `((sel, paint) => { const out = {};
	  for (const e of document.querySelectorAll(sel)) {
	    const c = [...e.classList].find((k) => /^(q\d|q-none|t-)/.test(k));
	    if (c) (out[c] = out[c] || []).push(paint(getComputedStyle(e)));
	  }
	  return out; })`
	units := eval[map[string][]string](b, paints+`('svg.choropleth path.unit:not(.hl)', (s) => s.fill)`)
	swatches := eval[map[string][]string](b, paints+`('.legend .swatch', (s) => s.backgroundColor + ' ' + s.backgroundImage)`)
	distinct := func(what string, byClass map[string][]string) map[string]string {
		one := map[string]string{}
		seen := map[string]string{}
		for class, ps := range byClass {
			for _, p := range ps[1:] {
				if p != ps[0] {
					b.t.Errorf("%s of class %s painted both %q and %q", what, class, ps[0], p)
				}
			}
			if other, ok := seen[ps[0]]; ok {
				b.t.Errorf("%s of classes %s and %s both painted %q", what, other, class, ps[0])
			}
			seen[ps[0]], one[class] = class, ps[0]
		}
		return one
	}
	fills, legend := distinct("map units", units), distinct("legend swatches", swatches)
	if len(legend) < 2 {
		b.t.Errorf("legend swatches: %v, want at least two classes", swatches)
	}
	var classes []string
	for class, fill := range fills {
		classes = append(classes, class)
		sw, ok := legend[class]
		switch {
		case !ok:
			b.t.Errorf("map units of class %s (%s) have no swatch in the legend", class, fill)
		case class != "q-none" && !strings.HasPrefix(sw, fill+" "):
			b.t.Errorf("class %s: the units are %s, the legend's swatch %s", class, fill, sw)
		}
	}
	return classes
}

// The password of the tests' users.
const testPassword = "mật khẩu đủ dài 2025"

// signIn signs in through the sign-in page, with the keyboard, and waits for the page the
// form leads to.
func (b *browser) signIn(username string) {
	b.t.Helper()
	b.open("/sign-in?next=%2Funits")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), testPassword+"\r"))
	b.waitFor("the page after sign-in", `location.pathname === '/units' && !!document.querySelector('.user .name')`)
}

// TestBrowser_UnitsAndMaps: the unit tree, a search without diacritics, a province's page
// with its communes on the map, the country dashboard with 34 provinces, a drill-down into
// a province by keyboard, and the language switch.
func TestBrowser_UnitsAndMaps(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	newUser(t, db, "vpdp.tw", auth.RoleCentral, "", testPassword)
	b := newBrowser(t, srv)
	ctx := context.Background()
	today := units.Today()

	b.signIn("vpdp.tw")
	// The skip link is the first thing the keyboard reaches.
	b.open("/units")
	b.do("tab", chromedp.KeyEvent("\t"))
	if cls := b.text(`document.activeElement.className`); cls != "skip" {
		t.Errorf("first Tab stop: %q, want the skip link", cls)
	}
	// The tree opens a province's communes in place.
	b.do("expand", chromedp.Click(chromedp.CSS(`[data-tree] > li[data-code="01"] > .tree-toggle`)))
	b.waitFor("Hà Nội's communes", `document.querySelectorAll('[data-tree] > li[data-code="01"] ul.tree > li').length > 100`)
	if got := b.text(`document.querySelector('[data-tree] > li[data-code="01"] > .tree-toggle').getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("toggle aria-expanded = %q", got)
	}
	b.shot("tree")

	// Search without diacritics: "thanh hoa" finds Tỉnh Thanh Hóa.
	b.do("search", chromedp.SendKeys(chromedp.ID("q"), "thanh hoa\n"))
	b.waitFor("results", `!!document.getElementById('h-results')`)
	b.shot("search")
	b.do("open the province", chromedp.Click(chromedp.CSS(`table.list a[href^="/units/38"]`)))
	b.waitFor("the province page", `location.pathname === '/units/38'`)
	if h1 := b.text(`document.querySelector('h1').textContent`); !strings.Contains(units.Fold(h1), "thanh hoa") {
		t.Errorf("province page heading %q", h1)
	}
	communes, err := db.Children(ctx, "38", today)
	if err != nil || len(communes) == 0 {
		t.Fatalf("communes of 38: %v", err)
	}
	if n := b.mapDrawn(); n != len(communes) {
		t.Errorf("Thanh Hóa's map: %d units, want %d", n, len(communes))
	}
	b.shot("province")

	// The country dashboard: 34 provinces.
	b.open("/dashboard")
	if n := b.mapDrawn(); n != 34 {
		t.Errorf("country map: %d provinces, want 34", n)
	}
	if legend := b.text(`document.querySelector('.legend').textContent`); !strings.Contains(legend, "Chưa có số liệu") {
		t.Errorf("legend %q", legend)
	}
	b.shot("dashboard-country")

	// Drill down with the keyboard: focus Nghệ An (40) on the map, press Enter.
	b.do("focus a province", chromedp.Evaluate[chromedp.Void](`document.querySelector('path[data-code="40"]').closest('a').focus()`))
	b.do("enter", chromedp.KeyEvent("\r"))
	b.waitFor("the province dashboard", `location.search.includes('unit=40')`)
	communes, _ = db.Children(ctx, "40", today)
	if n := b.mapDrawn(); n != len(communes) || n == 0 {
		t.Errorf("Nghệ An's map: %d communes, want %d", n, len(communes))
	}
	b.shot("dashboard-province")

	// English after the switch, and back.
	b.do("switch to English", chromedp.Click(chromedp.CSS(`form.lang button[value="en"]`)))
	b.waitFor("English", `document.documentElement.lang === 'en' && !!document.querySelector('.map-canvas[data-drawn]')`)
	if nav := b.text(`document.querySelector('.nav').textContent`); !strings.Contains(nav, "Administrative units") {
		t.Errorf("English navigation: %q", nav)
	}
	b.shot("dashboard-province-en")
	b.do("switch to Vietnamese", chromedp.Click(chromedp.CSS(`form.lang button[value="vi"]`)))
	b.waitFor("Vietnamese", `document.documentElement.lang === 'vi'`)
}

// TestBrowser_SignIn: the sign-in form works with the keyboard, reports a refusal in the
// page's language, signs a commune officer in to their commune's page with their name, role
// and unit in the header, and signs them out.
func TestBrowser_SignIn(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	newUser(t, db, "xa.ba-dinh", auth.RoleCommune, "00004", testPassword)
	b := newBrowser(t, srv)
	b.open("/")
	b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
	// Autofocus applies once the page is in place, which a busy machine may delay: wait for it
	// (a page without it fails here) before typing, or the keys would go nowhere.
	b.waitFor("focus on the username field on arrival", `document.activeElement && document.activeElement.id === 'username'`)
	b.do("type", chromedp.KeyEvent("xa.ba-dinh\tnot the password\r"))
	b.waitFor("the refusal", `!!document.querySelector('[role=alert]')`)
	if msg := b.text(`document.querySelector('[role=alert]').textContent`); !strings.Contains(msg, "Tên đăng nhập hoặc mật khẩu không đúng") {
		t.Errorf("refusal: %q", msg)
	}
	// Autofocus applies once the page is in place, which a busy machine may delay.
	b.waitFor("focus on the password field after a refusal", `document.activeElement && document.activeElement.id === 'password'`)
	b.shot("refused")
	b.do("type the password", chromedp.KeyEvent(testPassword+"\r"))
	b.waitFor("the home unit", `location.pathname === '/units/00004'`)
	header := b.text(`document.querySelector('.user').textContent`)
	for _, want := range []string{"Người dùng xa.ba-dinh", "Cán bộ cấp xã", "Phường Ba Đình"} {
		if !strings.Contains(header, want) {
			t.Errorf("header %q lacks %q", header, want)
		}
	}
	b.mapDrawn()
	// The province's communes only locate this one: not hatched as without data.
	if n := eval[int](b, `document.querySelectorAll('svg.choropleth path.q-none').length`); n != 0 {
		t.Errorf("the commune's locator map hatches %d units as without data", n)
	}
	b.shot("home")
	b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
	b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
	b.open("/units")
	b.waitFor("the sign-in page again", `location.pathname === '/sign-in'`)
}

// netLog sums what the network delivered to the page, by URL, from the DevTools events.
type netLog struct {
	mu    sync.Mutex
	urls  map[network.RequestID]string
	bytes map[string]float64
}

func listenNetwork(t *testing.T, ctx context.Context) *netLog {
	l := &netLog{urls: map[network.RequestID]string{}, bytes: map[string]float64{}}
	err := chromedp.Listen(ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			l.urls[ev.RequestID] = ev.Request.URL
		case *network.EventLoadingFinished:
			l.bytes[l.urls[ev.RequestID]] += ev.EncodedDataLength
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// total is the bytes of the URLs that keep accepts, and a list of them.
func (l *netLog) total(keep func(string) bool) (float64, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sum, list := 0.0, ""
	for u, n := range l.bytes {
		if keep(u) {
			sum += n
			list += fmt.Sprintf("\n  %7.0f B  %s", n, u)
		}
	}
	return sum, list
}

func notBoundaries(u string) bool { return !strings.Contains(u, "/api/v1/boundaries/") }

// prepareNetwork turns the network events on and the cache off, and throttles when asked.
func (b *browser) prepareNetwork(throttle bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.t.Fatal(err)
	}
	if !throttle {
		return
	}
	// Network.emulateNetworkConditions, in its current form: one rule with an empty URL
	// pattern matches every request.
	_, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{
			Latency:            throttleLatencyMS,
			DownloadThroughput: throttleBytesPerSec,
			UploadThroughput:   throttleBytesPerSec,
		}},
	})
	if err != nil {
		b.t.Fatalf("throttle: %v", err)
	}
}

// pageTimings reads the page's own measurements (Performance API).
type pageTimings struct {
	FCP      float64 `json:"fcp"`       // first contentful paint, ms after navigation start
	HTMLEnd  float64 `json:"html_end"`  // the HTML's last byte, ms after navigation start
	Loaded   float64 `json:"loaded"`    // load event end
	MapDrawn float64 `json:"map_drawn"` // the map drawn (performance.mark in map.js)
	Transfer float64 `json:"transfer"`  // transferSize of the page and its resources, boundaries excepted
	Blocking float64 `json:"blocking"`  // transferSize of the page and its render-blocking resources
}

func (b *browser) timings() pageTimings {
	b.t.Helper()
	raw := eval[[]byte](b, `(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		const fcp = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
		const map = performance.getEntriesByName('ntm-map-drawn')[0];
		let transfer = nav.transferSize, blocking = nav.transferSize;
		for (const r of performance.getEntriesByType('resource')) {
			if (!r.name.includes('/api/v1/boundaries/')) transfer += r.transferSize;
			if (r.renderBlockingStatus === 'blocking') blocking += r.transferSize;
		}
		return {fcp: fcp ? fcp.startTime : -1, html_end: nav.responseEnd,
			loaded: nav.loadEventEnd, map_drawn: map ? map.startTime : -1, transfer, blocking};
	})()`)
	var pt pageTimings
	if err := json.Unmarshal(raw, &pt); err != nil {
		b.t.Fatal(err)
	}
	return pt
}

// TestBrowser_DashboardWeight: the dashboard transfers under 300 KB (gzip) before the map's
// boundaries.
func TestBrowser_DashboardWeight(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	newUser(t, db, "vpdp.tw", auth.RoleCentral, "", testPassword)
	b := newBrowser(t, srv)
	b.signIn("vpdp.tw")
	b.prepareNetwork(false)
	log := listenNetwork(t, b.ctx)
	b.open("/dashboard")
	b.mapDrawn()
	total, list := log.total(notBoundaries)
	all, _ := log.total(func(string) bool { return true })
	pt := b.timings()
	t.Logf("dashboard: %.0f B transferred before the boundaries (%.0f B with them); Performance API: %.0f B%s",
		total, all, pt.Transfer, list)
	if total == 0 || total > dashboardBudgetBytes {
		t.Errorf("the dashboard transfers %.0f B before the boundaries; the budget is %d B", total, dashboardBudgetBytes)
	}
	if pt.Transfer > dashboardBudgetBytes {
		t.Errorf("Performance API: %.0f B; the budget is %d B", pt.Transfer, dashboardBudgetBytes)
	}
}

// TestBrowser_DashboardFirstRender: over a connection throttled to 1.6 Mbit/s with 150 ms
// latency, the dashboard's first contentful paint comes within 1 s. It measures time, so it
// does not run in parallel: it runs before the parallel tests start, with the machine to itself.
func TestBrowser_DashboardFirstRender(t *testing.T) {
	srv, db := pageServer(t)
	newUser(t, db, "vpdp.tw", auth.RoleCentral, "", testPassword)
	b := newBrowser(t, srv)
	b.signIn("vpdp.tw")
	// From here on: no cache, and the slow connection.
	b.prepareNetwork(true)
	b.open("/dashboard")
	b.mapDrawn()
	b.waitFor("the load event", `performance.getEntriesByType('navigation')[0].loadEventEnd > 0`)
	pt := b.timings()
	t.Logf("throttled (%d B/s, %d ms): first contentful paint %.0f ms, HTML received %.0f ms, load %.0f ms, map drawn %.0f ms",
		throttleBytesPerSec, throttleLatencyMS, pt.FCP, pt.HTMLEnd, pt.Loaded, pt.MapDrawn)
	b.shot("throttled")
	// Chromium's throttling holds back the body (not the headers) by the latency.
	if pt.HTMLEnd < throttleLatencyMS {
		t.Fatalf("the throttling is not in effect: the HTML was received %.0f ms after the navigation started", pt.HTMLEnd)
	}
	if pt.FCP <= 0 {
		t.Fatal("no first-contentful-paint entry")
	}
	// The paint time itself moves with the machine's load, so it is logged, not asserted (a
	// timed test fails on a busy CI machine for no fault of the page). What the page controls
	// is asserted: everything that blocks the first paint — the HTML and its render-blocking
	// resources — crosses the throttled link within the budget, after one round trip for the
	// page and one for its blocking resources.
	canSend := (firstRenderBudget.Seconds() - 2*throttleLatencyMS/1000.0) * throttleBytesPerSec
	t.Logf("render-blocking bytes: %.0f B; %.0f B fit the budget on this connection", pt.Blocking, canSend)
	if pt.Blocking <= 0 || pt.Blocking > canSend {
		t.Errorf("the first paint waits for %.0f B; at %d B/s with %d ms latency only %.0f B fit in %v",
			pt.Blocking, throttleBytesPerSec, throttleLatencyMS, canSend, firstRenderBudget)
	}
}

// TestBrowser_AssessmentFlow: the whole round of an assessment in the browser. A commune
// officer opens the commune's form from its page, types a value that turns an indicator
// from ✗ to ✓ and picks one that turns a criterion from ✗ to ✓ (the verdicts come from the
// server as they type), meets a conflict with another officer's change and writes over it
// knowingly, saves and submits; the province's officer verifies and approves; the province's
// dashboard draws its communes with the figures.
func TestBrowser_AssessmentFlow(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	const day = units.Date("2025-12-31")
	communes := ruralCommunes(t, db, "01", day)
	commune := communes[0].Code
	newUser(t, db, "xa.test", auth.RoleCommune, commune, testPassword)
	newUser(t, db, "tinh.test", auth.RoleProvince, "01", testPassword)
	newUser(t, db, "tinh.duyet", auth.RoleProvince, "01", testPassword)
	newUser(t, db, "admin.test", auth.RoleAdmin, "", testPassword)
	id := seedAssessment(t, db, "xa.test", commune, "xa-ntm-2021", "2025", map[string]string{"2.1": "90", "7": "false"})
	b := newBrowser(t, srv)

	b.signIn("xa.test")
	b.open("/units/" + commune)
	b.do("open the form", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#assessments a[href="/assessments/%d"]`, id))))
	b.waitFor("the form", fmt.Sprintf(`location.pathname === '/assessments/%d' && document.readyState === 'complete'`, id))
	verdict := func(attr, key string) string {
		return b.text(fmt.Sprintf(`(() => { const e = document.querySelector('[%s="%s"]'); return e.className + ' | ' + e.textContent.replace(/\s+/g, ' ').trim(); })()`, attr, key))
	}
	if v := verdict("data-verdict", "2.1"); !strings.Contains(v, "not_met") || !strings.Contains(v, "✗ Chưa đạt") {
		t.Fatalf("2.1 at 90 %%: %s", v)
	}
	if v := verdict("data-cverdict", "7"); !strings.Contains(v, "not_met") {
		t.Fatalf("criterion 7 before: %s", v)
	}
	b.shot("form")

	// Type 100 over 90: the indicator turns to ✓ as the server judges it.
	field := `document.querySelector('[data-code="2.1"]')`
	b.do("select 2.1", chromedp.Evaluate[chromedp.Void](field+`.focus(), `+field+`.select()`))
	b.do("type 100", chromedp.KeyEvent("100"))
	b.waitFor("2.1 met", `document.querySelector('[data-verdict="2.1"]').classList.contains('met')`)
	if v := verdict("data-verdict", "2.1"); !strings.Contains(v, "✓ Đạt") || !strings.Contains(v, "100 % ≥ 100 %") || !strings.Contains(v, "chưa đối chiếu văn bản") {
		t.Errorf("2.1 at 100 %%: %s", v)
	}
	// Pick "Có" for indicator 7 with the keyboard: criterion 7 turns to ✓.
	b.do("focus 7", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-code="7"]').focus()`))
	b.do("pick Có", chromedp.KeyEvent("c"))
	b.waitFor("criterion 7 met", `document.querySelector('[data-cverdict="7"]').classList.contains('met')`)
	if live := b.text(`document.getElementById('form-live').textContent`); !strings.Contains(live, "7: Đạt") {
		t.Errorf("the live region says %q", live)
	}
	if sum := b.text(`document.querySelector('[data-summary] .text').textContent`); !strings.HasPrefix(sum, "Đạt 1/19 tiêu chí") {
		t.Errorf("summary: %q", sum)
	}
	b.shot("typed")

	// Meanwhile the province's officer changes 2.1: saving meets a conflict, shown with both values.
	a, _ := db.Assessment(ctx, id)
	v95 := "95"
	if _, err := writer(t, db).SetValues(ctx, app.System("tinh.test"), id, a.Version, []store.ValueChange{{Code: "2.1", Value: &v95}}); err != nil {
		t.Fatal(err)
	}
	b.do("save", chromedp.Click(chromedp.CSS(`button[value="save"]`)))
	b.waitFor("the conflict", `!!document.querySelector('#form-messages .conflict')`)
	conflict := b.text(`document.querySelector('#form-messages .conflict').textContent`)
	for _, want := range []string{"Phiếu đã bị người khác sửa", "tinh.test", "100", "95"} {
		if !strings.Contains(conflict, want) {
			t.Errorf("conflict notice %q lacks %q", conflict, want)
		}
	}
	if focused := b.text(`document.activeElement.id`); focused != "conflict" {
		t.Errorf("focus after the conflict: %q", focused)
	}
	b.shot("conflict")
	b.do("write mine over", chromedp.Click(chromedp.CSS(`#conflict button`)))
	b.waitFor("saved", `document.getElementById('save-status').textContent.includes('Đã lưu')`)
	a, _ = db.Assessment(ctx, id)
	if a.Values["2.1"].Value != "100" || a.Values["7"].Value != "true" {
		t.Errorf("saved values: 2.1 = %q, 7 = %q", a.Values["2.1"].Value, a.Values["7"].Value)
	}
	// The header names the version just saved, as the save bar does (issue 15.7), and who saved.
	want := fmt.Sprintf("phiên bản %d", a.Version)
	if bar := b.text(`document.getElementById('save-status').textContent`); !strings.Contains(bar, want) {
		t.Errorf("save bar %q lacks %q", bar, want)
	}
	if head := b.text(`document.querySelector('[data-version]').textContent`); head != want {
		t.Errorf("header's version %q, want %q as in the save bar", head, want)
	}
	if by := b.text(`document.querySelector('[data-updated]').textContent`); !strings.HasPrefix(by, "xa.test, ") {
		t.Errorf("header's last change %q, want xa.test's", by)
	}
	b.do("submit", chromedp.Click(chromedp.CSS(`button[value="submit"]`)))
	b.waitFor("submitted", `location.search.includes('done=submit') && !!document.querySelector('.flash')`)
	if flash := b.text(`document.querySelector('.flash').textContent`); !strings.Contains(flash, "Đã gửi phiếu lên cấp trên") {
		t.Errorf("after submitting: %q", flash)
	}
	b.shot("submitted")
	b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
	b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)

	// The province verifies, then approves: two officers, neither of whom entered a value
	// (tinh.test changed 2.1 above, so the rules of data/assessment/duties.yaml keep it out).
	for _, step := range []struct{ who, action, flash string }{{"tinh.duyet", "verify", "Đã xác nhận thẩm tra"}, {"admin.test", "approve", "Đã phê duyệt phiếu"}} {
		b.signIn(step.who)
		b.open(fmt.Sprintf("/assessments/%d", id))
		b.waitFor("the "+step.action+" button", fmt.Sprintf(`document.readyState === 'complete' && !!document.querySelector('button[value="%s"]')`, step.action))
		b.do(step.action, chromedp.Click(chromedp.CSS(fmt.Sprintf(`button[value="%s"]`, step.action))))
		if step.action == "approve" { // approving asks to confirm first
			b.waitFor("the confirmation", `document.readyState === 'complete' && !!document.getElementById('approve-confirmed')`)
			b.do("confirm", chromedp.Click(chromedp.ID("approve-confirmed")))
		}
		b.waitFor(step.action+"d", fmt.Sprintf(`location.search.includes('done=%s') && !!document.querySelector('.flash')`, step.action))
		if flash := b.text(`document.querySelector('.flash').textContent`); !strings.Contains(flash, step.flash) {
			t.Errorf("after %s: %q", step.action, flash)
		}
		b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
		b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
	}
	b.signIn("tinh.test")
	if a, _ := db.Assessment(ctx, id); a.Status != "approved" {
		t.Errorf("status %s, want approved", a.Status)
	}
	b.shot("approved")

	// The province's dashboard at the end of 2025: every commune on the map, the figures.
	b.open("/dashboard?unit=01&as_of=" + string(day))
	all, _ := db.Children(ctx, "01", day)
	if n := b.mapDrawn(); n != len(all) {
		t.Errorf("Hà Nội's map: %d units, want %d", n, len(all))
	}
	figures := b.text(`[...document.querySelectorAll('[data-figure]')].map(e => e.dataset.figure + '=' + e.dataset.value).join(' ')`)
	if want := fmt.Sprintf("units_total=%d units_met=0", len(communes)); !strings.HasPrefix(figures, want) {
		t.Errorf("figures %q, want them to start %q", figures, want)
	}
	if cls := b.text(fmt.Sprintf(`document.querySelector('path[data-code="%s"]').getAttribute('class')`, commune)); !strings.Contains(cls, "q1") {
		t.Errorf("the assessed commune on the map: class %q", cls)
	}
	// The assessed commune in the first step's colour, the others hatched as without data.
	if classes := b.mapColours(); len(classes) < 2 {
		t.Errorf("the map's classes: %v, want the assessed commune's and no data", classes)
	}
	b.shot("dashboard")
}

// TestBrowser_FormSummaryWithoutIndicators (issue 15.7): in a set whose criteria have no
// indicators (2026-2030), the summary the script rewrites as a criterion is entered counts
// criteria only, as the server renders it, never "0/0 chỉ tiêu".
func TestBrowser_FormSummaryWithoutIndicators(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	commune := ruralCommunes(t, db, "01", "2026-06-30")[0].Code
	newUser(t, db, "xa.2026", auth.RoleCommune, commune, testPassword)
	id := seedAssessment(t, db, "xa.2026", commune, "xa-ntm-2026", "2026", nil)
	b := newBrowser(t, srv)
	b.signIn("xa.2026")
	b.open(fmt.Sprintf("/assessments/%d", id))
	b.waitFor("the form", `document.readyState === 'complete' && !!document.querySelector('[data-code="TC1"]')`)
	before := b.text(`document.querySelector('[data-summary] .text').textContent`)
	b.do("TC1 met", chromedp.Evaluate[chromedp.Void](`(() => { const c = document.querySelector('[data-code="TC1"]'); c.value = 'true'; c.dispatchEvent(new Event('change', { bubbles: true })); })()`))
	b.waitFor("criterion 1 met", `document.querySelector('[data-cverdict="1"]').classList.contains('met')`)
	after := b.text(`document.querySelector('[data-summary] .text').textContent`)
	if !strings.HasPrefix(before, "Đạt 0/") || !strings.HasPrefix(after, "Đạt 1/") || !strings.HasSuffix(after, " tiêu chí.") || strings.Contains(after, "chỉ tiêu") {
		t.Errorf("summary before %q, after %q: want \"Đạt 1/n tiêu chí.\" as the server writes it", before, after)
	}
}

// TestBrowser_EveryRoleLands (issue 15.4): each demo user signs in through the form (no
// next page: "/") and lands on a page without an error that shows its own unit — the former
// district's officer on the archive of Sóc Sơn — and the province's landing dashboard has
// its map in colour.
func TestBrowser_EveryRoleLands(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, demo.Options{Provinces: []string{"01"}}); err != nil {
		t.Fatal(err)
	}
	all, _, _ := units.Shipped()
	b := newBrowser(t, srv)
	for _, u := range demo.Users(demo.DemoCommune(all)) {
		own := "Cả nước" // national roles: the country
		// What the landing page is for: the figures of the unit, the commune's standing, the
		// council's open evaluations, or the archive leading to who took over a unit.
		work := map[auth.Role]string{auth.RoleCommune: "#standing", auth.RoleOCOPCouncil: "#open-evaluations"}[u.Role]
		if work == "" {
			work = `[data-figure="units_total"]`
		}
		if u.Unit != "" {
			home, err := db.Unit(ctx, u.Unit, units.Today())
			if err != nil { // a unit that ended: named as it was on its last day
				home, err = db.Unit(ctx, u.Unit, "2025-06-30")
				work = `#archive-took-over a[href^="/units/"]`
			}
			if err != nil {
				t.Fatalf("%s's unit %s: %v", u.Username, u.Unit, err)
			}
			own = home.FullName
		}
		b.open("/sign-in")
		b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
		b.do("sign in as "+u.Username, chromedp.SendKeys(chromedp.ID("username"), u.Username), chromedp.SendKeys(chromedp.ID("password"), demo.Password+"\r"))
		b.waitFor(u.Username+"'s landing page", `location.pathname !== '/sign-in' && !!document.querySelector('.user .name')`)
		where := b.text(`location.pathname + location.search`)
		if e := b.text(`[...document.querySelectorAll('main .error, main [role=alert]')].map((e) => e.textContent).join(' | ')`); e != "" {
			t.Errorf("%s lands on %s with an error: %s", u.Username, where, e)
		}
		if h1 := b.text(`document.querySelector('h1').textContent`); strings.Contains(h1, "Có lỗi") {
			t.Errorf("%s lands on the error page %s", u.Username, where)
		}
		if main := b.text(`document.querySelector('main').innerText`); !strings.Contains(main, own) {
			t.Errorf("%s lands on %s, which does not name its unit %q", u.Username, where, own)
		}
		if !eval[bool](b, fmt.Sprintf("!!document.querySelector(%q)", work)) {
			t.Errorf("%s lands on %s, which lacks %s", u.Username, where, work)
		}
		b.shot(u.Username)
		if u.Role == auth.RoleProvince {
			b.mapDrawn()
			if classes := b.mapColours(); len(classes) < 3 {
				t.Errorf("%s's dashboard map: classes %v, want the demo's several steps", u.Username, classes)
			}
			b.shot(u.Username + "-map")
		}
		b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
		b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
	}
}
