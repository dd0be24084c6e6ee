package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
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
	t.Parallel()
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

	// The cost table through the form, then the cheapest two communes: 99002 (2 × 100) and
	// 99003 (3,8 × 20 + 10 × 50 = 576).
	costs := filepath.Join(t.TempDir(), "don-gia.csv")
	if err := os.WriteFile(costs, []byte("Mã chỉ tiêu,Đơn giá (triệu đồng),Ghi chú\n1.1,100,\n1.2,20,\n2.1,50,\n3.1,300,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("choose the cost table", chromedp.SetUploadFiles(chromedp.ID("f-costs"), []string{costs}))
	b.do("import it", chromedp.Click(chromedp.CSS(`form[action^="/plan/costs"] button[type="submit"]`)))
	b.waitFor("the cost table", `!!document.getElementById('costs')`)
	b.do("ask for two communes", chromedp.SetValue(chromedp.ID("f-count"), "2"), chromedp.Click(chromedp.CSS(`#proposal form button[type="submit"]`)))
	b.waitFor("the proposal", `!!document.getElementById('proposal-total')`)
	if got := b.text(`document.getElementById('proposal-total').textContent`); !strings.Contains(got, "Đề xuất 2/2 xã") || !strings.Contains(got, "tổng 776 triệu đồng") {
		t.Errorf("proposal: %s", got)
	}
	b.shot("proposal")

	// What-if: 99002 at 95 % and 99003's criteria 1 and 2 met bring 3 communes to the standard.
	b.do("expect values", chromedp.SetValue(chromedp.CSS(`input[name="v:99002:1.1"]`), "95"),
		chromedp.Click(chromedp.CSS(`input[name="c:99003"][value="1"]`)), chromedp.Click(chromedp.CSS(`input[name="c:99003"][value="2"]`)),
		chromedp.Click(chromedp.CSS(`#whatif-form button[value="project"]`)))
	b.waitFor("the projection", `!!document.getElementById('projection')`)
	if got := b.text(`document.getElementById('projection').textContent.replace(/\s+/g, ' ')`); !strings.Contains(got, "dự kiến cuối năm 3 xã") || !strings.Contains(got, "Xã Bình (99002): 2 → 3 tiêu chí, đạt chuẩn") {
		t.Errorf("projection: %s", got)
	}
	b.do("save it", chromedp.SendKeys(chromedp.ID("f-name"), "Phương án A"), chromedp.Click(chromedp.CSS(`#whatif-form button[value="save"]`)))
	b.waitFor("the saved scenario", `document.getElementById('scenarios').textContent.includes('Phương án A')`)
	b.shot("whatif")
}
