package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/web"
)

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "sign-in throttles", method: "GET", path: "/api/v1/sign-in-throttles", action: auth.ManageUsers},
		accessEndpoint{name: "clear sign-in throttles", method: "DELETE", path: "/api/v1/sign-in-throttles?username=lan", action: auth.ManageUsers},
	)
}

// clock is a settable time for the throttle tests (nothing sleeps).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time        { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration)   { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock                 { return &clock{t: time.Now()} }
func from(addr string) string          { return "X-Forwarded-For: " + addr }
func retryAfter(a answer) (int, error) { return strconv.Atoi(a.header.Get("Retry-After")) }

// throttleServer is a server whose clock the test moves, behind a trusted proxy (the test
// client on 127.0.0.1) when proxies is set, so X-Forwarded-For names the client.
func throttleServer(t *testing.T, db *store.DB, proxies string) (*httptest.Server, *clock) {
	t.Helper()
	s := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := newClock()
	s.SetClock(c.now)
	if proxies != "" {
		p, err := web.ParseTrustedProxies(proxies)
		if err != nil {
			t.Fatal(err)
		}
		s.SetTrustedProxies(p)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, c
}

// Issue 16, point 3: wrong passwords slow down the name from that address with growing
// waits; nobody else's failures keep a user with the right password out.
func TestSignIn_ThrottleGrowsPerNameAndAddress(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, clk := throttleServer(t, db, "127.0.0.1/32, ::1")
		newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")
		const attacker, office = "203.0.113.7", "198.51.100.20"
		for i := range 3 {
			if a := signIn(t, srv, "lan", fmt.Sprintf("đoán %d", i), from(attacker)); a.status != 401 {
				t.Fatalf("failure %d: %d %s", i+1, a.status, a.body)
			}
		}
		// The fourth attempt from there waits 5 s, right password or not…
		a := signIn(t, srv, "lan", "mật khẩu của Lan", from(attacker))
		if n, _ := retryAfter(a); a.status != 429 || a.errorCode() != "rate_limited" || n != 5 || a.cookie("ntm_session") != nil {
			t.Errorf("fourth attempt: %d Retry-After %q %s", a.status, a.header.Get("Retry-After"), a.body)
		}
		// …while Lan, at her office, signs in as usual.
		if a := signIn(t, srv, "lan", "mật khẩu của Lan", from(office)); a.status != 200 {
			t.Errorf("the right password from another address: %d %s", a.status, a.body)
		}
		// Each further failure doubles the wait: 10 s, then 20 s; never a lock.
		for i, want := range []int{10, 20, 40} {
			clk.add(time.Duration(want/2)*time.Second + time.Second)
			if a := signIn(t, srv, "lan", "đoán nữa", from(attacker)); a.status != 401 {
				t.Fatalf("failure %d after the wait: %d %s", 4+i, a.status, a.body)
			}
			a := signIn(t, srv, "lan", "đoán nữa", from(attacker))
			if n, _ := retryAfter(a); a.status != 429 || n != want {
				t.Errorf("after %d failures: %d Retry-After %d, want %d", 4+i, a.status, n, want)
			}
		}
		// Still the office signs in; and from the attacker's address, once the wait is over,
		// the right password works too.
		if a := signIn(t, srv, "lan", "mật khẩu của Lan", from(office)); a.status != 200 {
			t.Errorf("office during the attack: %d", a.status)
		}
		clk.add(41 * time.Second)
		if a := signIn(t, srv, "lan", "mật khẩu của Lan", from(attacker)); a.status != 200 {
			t.Errorf("the right password after the wait: %d %s", a.status, a.body)
		}
		// The waits grow to 15 minutes at most: an attacker waiting out each one gets about
		// ten guesses an hour.
		var waits []int
		for len(waits) < 10 {
			a := signIn(t, srv, "lan", "đoán", from(attacker))
			switch a.status {
			case 429:
				n, _ := retryAfter(a)
				waits = append(waits, n)
				clk.add(time.Duration(n+1) * time.Second)
			case 401:
			default:
				t.Fatalf("guess: %d", a.status)
			}
		}
		if got := fmt.Sprint(waits); got != "[5 10 20 40 80 160 320 640 900 900]" {
			t.Errorf("the waits: %s", got)
		}
		// Every failure and refusal is in the audit log, with the address.
		log, err := db.AuditLog(context.Background(), store.AuditFilter{Entity: "session", EntityID: "lan", Limit: 1000})
		if err != nil || len(log) < 20 || log[0].Action != "sign_in_failed" {
			t.Fatalf("audit: %d entries %v", len(log), err)
		}
		if got := fmt.Sprintf("%s", log[0].New); !strings.Contains(got, attacker) {
			t.Errorf("audit entry without the address: %s", got)
		}
	})
}

func TestSignIn_SprayingOneAddress(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, clk := throttleServer(t, db, "127.0.0.1/32, ::1")
		newUser(t, db, "minh", auth.RoleProvince, "52", "mật khẩu của Minh")
		const sprayer = "192.0.2.66"
		for i := range 10 {
			if a := signIn(t, srv, fmt.Sprintf("khach%d", i), "đoán", from(sprayer)); a.status != 401 {
				t.Fatalf("name %d: %d", i, a.status)
			}
		}
		if a := signIn(t, srv, "minh", "mật khẩu của Minh", from(sprayer)); a.status != 429 || a.header.Get("Retry-After") != "5" {
			t.Errorf("after 10 names from one address: %d %q", a.status, a.header.Get("Retry-After"))
		}
		if a := signIn(t, srv, "minh", "mật khẩu của Minh", from("192.0.2.67")); a.status != 200 {
			t.Errorf("the neighbouring address: %d", a.status)
		}
		clk.add(6 * time.Second)
		if a := signIn(t, srv, "minh", "mật khẩu của Minh", from(sprayer)); a.status != 200 {
			t.Errorf("after the wait: %d", a.status)
		}
	})
}

// X-Forwarded-For counts only from a trusted proxy; otherwise every client writes it.
func TestSignIn_TrustedProxies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")
		direct, _ := throttleServer(t, db, "")
		for i := range 3 { // a client cannot dodge the throttle by writing a new header each time
			signIn(t, direct, "lan", "đoán", from(fmt.Sprintf("10.9.9.%d", i)))
		}
		if a := signIn(t, direct, "lan", "mật khẩu của Lan", from("10.9.9.200")); a.status != 429 {
			t.Errorf("X-Forwarded-For believed without a trusted proxy: %d", a.status)
		}
		proxied, _ := throttleServer(t, db, "127.0.0.0/8,::1/128")
		for range 3 { // the proxy appends the client's address to what the client wrote
			signIn(t, proxied, "lan", "đoán", from("198.51.100.1, 203.0.113.9"))
		}
		if a := signIn(t, proxied, "lan", "mật khẩu của Lan", from("203.0.113.9")); a.status != 429 {
			t.Errorf("the client's address behind the proxy: %d", a.status)
		}
		if a := signIn(t, proxied, "lan", "mật khẩu của Lan", from("203.0.113.10")); a.status != 200 {
			t.Errorf("another client behind the same proxy: %d %s", a.status, a.body)
		}
	})
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0"} {
		if _, err := web.ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
	if p, err := web.ParseTrustedProxies(" 10.0.0.1 ,192.168.0.0/16 ::1"); err != nil || len(p) != 3 || p[0] != netip.MustParsePrefix("10.0.0.1/32") {
		t.Errorf("ParseTrustedProxies: %v %v", p, err)
	}
}

// An administrator sees who waits and lets them try again at once.
func TestSignIn_AdminClearsThrottles(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, _ := throttleServer(t, db, "127.0.0.1/32, ::1")
		newUser(t, db, "lan", auth.RoleProvince, "52", "mật khẩu của Lan")
		admin := "Authorization: Bearer " + newToken(t, db, newUser(t, db, "quantri", auth.RoleAdmin, "", ""))
		province := "Authorization: Bearer " + newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "52", ""))
		for range 3 {
			signIn(t, srv, "lan", "đoán", from("203.0.113.7"))
		}
		var got web.Throttles
		a := do(t, srv, call{"GET", "/api/v1/sign-in-throttles", "", []string{admin}})
		a.decode(t, &got)
		if a.status != 200 || len(got.Pairs) != 1 || got.Pairs[0].Username != "lan" || got.Pairs[0].IP != "203.0.113.7" ||
			got.Pairs[0].Count != 3 || got.Pairs[0].Until == nil || len(got.Addresses) != 1 {
			t.Fatalf("throttles: %d %s", a.status, a.body)
		}
		if a := do(t, srv, call{"DELETE", "/api/v1/sign-in-throttles?username=lan", "", []string{province}}); a.status != 403 {
			t.Errorf("a province officer clears: %d", a.status)
		}
		if a := do(t, srv, call{"DELETE", "/api/v1/sign-in-throttles", "", []string{admin}}); a.status != 400 {
			t.Errorf("clear nothing named: %d", a.status)
		}
		if a := do(t, srv, call{"DELETE", "/api/v1/sign-in-throttles?username=lan&ip=203.0.113.7", "", []string{admin}}); a.status != 200 || !strings.Contains(string(a.body), `"cleared":3`) {
			t.Errorf("clear: %d %s", a.status, a.body)
		}
		if a := signIn(t, srv, "lan", "mật khẩu của Lan", from("203.0.113.7")); a.status != 200 {
			t.Errorf("after clearing: %d", a.status)
		}
		if log, _ := db.AuditLog(context.Background(), store.AuditFilter{Entity: "sign_in_throttle"}); len(log) != 1 || log[0].Actor != "quantri" {
			t.Errorf("clearing audited: %+v", log)
		}
	})
}

func TestSignIn_ThrottlesPage(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	admin := session(t, srv, db, "quantri", auth.RoleAdmin, "")
	province := session(t, srv, db, "tinh", auth.RoleProvince, "01")
	for range 4 {
		db.RecordLoginFailure(context.Background(), "lan", "203.0.113.7", time.Now(), "wrong password", true)
	}
	status, _, body := fetch(t, srv, "/admin/sign-in-throttles", "", admin)
	if status != 200 || !strings.Contains(body, "203.0.113.7") || !strings.Contains(body, "Phải chờ đến") || !strings.Contains(body, "Cho thử lại ngay") {
		t.Fatalf("page: %d\n%s", status, body)
	}
	if _, _, home := fetch(t, srv, "/units", "", admin); !strings.Contains(home, `href="/admin/sign-in-throttles"`) {
		t.Error("no link to the throttles for the admin")
	}
	if status, _, _ := fetch(t, srv, "/admin/sign-in-throttles", "", province); status != 403 {
		t.Errorf("a province officer: %d", status)
	}
	form := url.Values{"username": {"lan"}, "ip": {"203.0.113.7"}}
	req, _ := http.NewRequest("POST", srv.URL+"/admin/sign-in-throttles", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(admin)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin/sign-in-throttles?cleared=4" {
		t.Fatalf("clear: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, _, body := fetch(t, srv, "/admin/sign-in-throttles?cleared=4", "", admin); !strings.Contains(body, "Đã xóa 4 lần đăng nhập sai.") || strings.Contains(body, "203.0.113.7") {
		t.Errorf("after clearing:\n%s", body)
	}
}

// The admin reaches the throttles from the header and lets a user retry, in the browser.
func TestBrowser_SignInThrottles(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	newUser(t, db, "quantri", auth.RoleAdmin, "", testPassword)
	for range 4 {
		db.RecordLoginFailure(context.Background(), "lan", "203.0.113.7", time.Now(), "wrong password", true)
	}
	b := newBrowser(t, srv)
	b.signIn("quantri")
	b.do("follow the header link", chromedp.Click(chromedp.CSS(`a[href="/admin/sign-in-throttles"]`)))
	b.waitFor("the throttles", `!!document.querySelector('table.list') && document.body.innerText.includes('203.0.113.7')`)
	b.shot("throttles")
	b.do("clear", chromedp.Click(chromedp.CSS(`table.list button`)))
	b.waitFor("the flash", `!!document.querySelector('.flash') && !document.body.innerText.includes('203.0.113.7')`)
}
