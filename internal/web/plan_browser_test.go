package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/plan/plantest"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/web"
)

// planPageServer is a server over the constructed province of the plan's tests, with a
// province officer of it.
func planPageServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	plantest.Build(t, db)
	srv := httptest.NewServer(web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	newUser(t, db, "tinh.tn", auth.RoleProvince, plantest.Province, testPassword)
	return srv, db
}

// TestBrowser_Plan: the plan page is reached from the navigation, lists the communes closest
// first with what each lacks, the one with data missing apart, and the early warning.
func TestBrowser_Plan(t *testing.T) {
	srv, _ := planPageServer(t)
	b := newBrowser(t, srv)
	b.signIn("tinh.tn")
	b.do("open the plan from the navigation", chromedp.Click(chromedp.CSS(`.nav a[href="/plan"]`)))
	b.waitFor("the plan page", `location.pathname === '/plan' && !!document.getElementById('gaps')`)
	b.do("choose the set and the day",
		chromedp.SetValue(chromedp.ID("f-set"), "thu-nghiem-2026"),
		chromedp.SetValue(chromedp.ID("as_of"), "31/12/2026"),
		chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	b.waitFor("the plan of the province", `location.search.includes('set=thu-nghiem-2026') && !!document.getElementById('gaps')`)
	rows := b.text(`Array.from(document.querySelectorAll('#gaps tbody tr')).map(r => r.querySelector('.code').textContent).join(',')`)
	if rows != "99002,99001,99007,99003" {
		t.Errorf("order on the page: %s", rows)
	}
	first := b.text(`document.querySelector('#gaps tbody tr').textContent.replace(/\s+/g, ' ')`)
	if !strings.Contains(first, "1.1: 93 % → 95 %, còn thiếu 2 điểm %") {
		t.Errorf("first row: %s", first)
	}
	if inc := b.text(`document.getElementById('incomplete').textContent`); !strings.Contains(inc, "99005") || !strings.Contains(inc, "thiếu minh chứng") {
		t.Errorf("incomplete: %s", inc)
	}
	warn := b.text(`document.getElementById('warnings').textContent.replace(/\s+/g, ' ')`)
	if !strings.Contains(warn, "Xã Dương") || !strings.Contains(warn, "giảm từ 48") || !strings.Contains(warn, "Xã An") {
		t.Errorf("warnings: %s", warn)
	}
	b.shot("plan")
}
