package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
)

var ocopLeftover = regexp.MustCompile(`\bocop\.[a-z_]+\.?[a-z_]*\b|<no value>|%!`)

// seedOCOP registers a product in Phường Pleiku with a 4-star certificate of 2023-03-15 and
// an open evaluation, and returns their ids.
func seedOCOP(t *testing.T, db *store.DB) (product, evaluation int64) {
	t.Helper()
	ctx := context.Background()
	rules, _ := ocop.Shipped()
	rows := []ocop.ImportRow{{Row: 2, UnitCode: "23575", Stars: 4, Decision: "15/QĐ-UBND", Date: "2023-03-15", Level: ocop.LevelProvince, Issuer: "UBND tỉnh Gia Lai",
		Producer: ocop.Producer{Name: "HTX Cà phê Pleiku", Kind: ocop.Cooperative}, Product: ocop.Product{Name: "Cà phê bột", ProductSet: "1.6.a"}}}
	if _, err := db.ImportOCOP(ctx, "seed", "ds.xlsx", rows, "2026-01-01", rules); err != nil {
		t.Fatal(err)
	}
	ps, _ := db.OCOPProducts(ctx, store.OCOPQuery{Day: "2026-01-01"})
	// The province's council: hd1, hd2 and hd3 (who sign in with testPassword).
	council := ocop.Council{UnitCode: "52", Name: "Hội đồng OCOP tỉnh Gia Lai", From: "2026-01-01"}
	for _, n := range []string{"hd1", "hd2", "hd3"} {
		newUser(t, db, n, auth.RoleOCOPCouncil, "52", testPassword)
		council.Members = append(council.Members, ocop.CouncilMember{Username: n})
	}
	council, err := db.CreateOCOPCouncil(ctx, "seed", council)
	if err != nil {
		t.Fatal(err)
	}
	e := ocop.Evaluation{ProductID: ps[0].ID, Date: "2026-03-01", CouncilID: council.ID}
	if err := rules.CheckEvaluation(&e); err != nil {
		t.Fatal(err)
	}
	e, err = db.OpenOCOPEvaluation(ctx, "seed", e)
	if err != nil {
		t.Fatal(err)
	}
	return ps[0].ID, e.ID
}

// postForm posts a form with the session cookie from this site's origin.
func postForm(t *testing.T, srv *httptest.Server, path, lang string, form url.Values, c *http.Cookie) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(c)
	if lang != "" {
		req.AddCookie(&http.Cookie{Name: "ntm_lang", Value: lang})
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func TestOCOPPages_RenderInBothLanguages(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	product, eval := seedOCOP(t, db)
	tinh := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
	var hd *http.Cookie
	for _, k := range signInForm(t, srv, "hd1", testPassword, "/ocop").Cookies() {
		if k.Name == "ntm_session" {
			hd = k
		}
	}
	for _, c := range []struct {
		path   string
		who    *http.Cookie
		status int
		vi, en []string
	}{
		{"/ocop?as_of=2026-02-20", tinh, 200, []string{"Sản phẩm OCOP: Tỉnh Gia Lai", "Cà phê bột", "4 sao", "Sắp hết hạn", "Sản phẩm đạt 3 sao trở lên"},
			[]string{"OCOP products: Gia Lai", "Cà phê bột", "4 stars", "Expiring", "Products of 3 stars or more"}},
		{"/ocop?as_of=2026-02-20&stars=3", tinh, 200, []string{"0 sản phẩm", "Không có sản phẩm nào khớp"}, []string{"Products: 0", "No product matches"}},
		{"/ocop?as_of=2026-03-16&status=expired", tinh, 200, []string{"Cà phê bột", "Hết hạn"}, []string{"Cà phê bột", "Expired"}},
		{"/ocop/expiring?unit=52&as_of=2026-02-20", tinh, 200, []string{"Giấy chứng nhận OCOP sắp hết hạn", "Cà phê bột", "15/03/2026", ">23<"},
			[]string{"OCOP certificates about to expire", "Cà phê bột", "2026-03-15", ">23<"}},
		{"/ocop/expiring?unit=52&as_of=2026-03-16", tinh, 200, []string{"Không có giấy chứng nhận nào sắp hết hạn"}, []string{"No certificate is about to expire"}},
		{fmt.Sprintf("/ocop/products/%d?as_of=2026-02-20", product), tinh, 200,
			[]string{"HTX Cà phê Pleiku", "Hợp tác xã", "Lịch sử đánh giá, phân hạng", "15/QĐ-UBND", "chưa đối chiếu văn bản", "Mở phiên đánh giá", "Sắp hết hạn"},
			[]string{"Cooperative", "Evaluation history", "not yet checked against", "Open an evaluation", "Expiring"}},
		{fmt.Sprintf("/ocop/evaluations/%d", eval), hd, 200,
			[]string{"Chấm điểm: Cà phê bột", "Bạn nhập phiếu chấm của chính mình", "Phần A – Sản phẩm và sức mạnh cộng đồng (tối đa 40 điểm)", "Chưa có phiếu chấm nào", "Điều kiện bắt buộc"},
			[]string{"Scoring: Cà phê bột", "You enter your own scoresheet", "Part A – Product and community strength (at most 40 points)", "No scoresheet yet", "Mandatory conditions"}},
		// Issue 16: an officer sees the council and its quorum, and enters no sheet.
		{fmt.Sprintf("/ocop/evaluations/%d", eval), tinh, 200, []string{"Thành viên hội đồng", "Người dùng hd1, Người dùng hd2, Người dùng hd3", "cần ít nhất 3 phiếu"},
			[]string{"Council members", "closing needs at least 3 sheets"}},
		{"/ocop/products/999999", tinh, 404, []string{"Không có sản phẩm"}, []string{"No such product"}},
		{"/ocop?unit=99", tinh, 404, []string{"Không có đơn vị mã 99"}, []string{"No unit with code 99"}},
	} {
		for _, lang := range []string{"vi", "en"} {
			status, _, body := fetch(t, srv, c.path, lang, c.who)
			want := c.vi
			if lang == "en" {
				want = c.en
			}
			if status != c.status {
				t.Errorf("%s (%s): status %d, want %d", c.path, lang, status, c.status)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s (%s): no %q in the page", c.path, lang, w)
				}
			}
			if m := ocopLeftover.FindString(scripts.ReplaceAllString(body, "")); m != "" {
				t.Errorf("%s (%s): untranslated %q", c.path, lang, m)
			}
			if lang == "en" && strings.Contains(body, "Sản phẩm OCOP") {
				t.Errorf("%s: Vietnamese text in the English page", c.path)
			}
		}
	}
	// The header links to the registry.
	if _, _, body := fetch(t, srv, "/units", "vi", tinh); !strings.Contains(body, `<a href="/ocop"`) {
		t.Error("no OCOP entry in the navigation")
	}
}

func TestOCOPPages_ScopeAndSignIn(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	product, eval := seedOCOP(t, db)
	danang := session(t, srv, db, "hd.da-nang", auth.RoleOCOPCouncil, "48")
	for _, path := range []string{fmt.Sprintf("/ocop/products/%d", product), fmt.Sprintf("/ocop/evaluations/%d", eval), "/ocop?unit=52"} {
		if status, _, body := fetch(t, srv, path, "vi", danang); status != 403 || strings.Contains(body, "Cà phê bột") {
			t.Errorf("%s for Đà Nẵng's council: %d", path, status)
		}
	}
	// Đà Nẵng's own registry is empty, not Gia Lai's.
	if status, _, body := fetch(t, srv, "/ocop", "vi", danang); status != 200 || strings.Contains(body, "Cà phê bột") {
		t.Errorf("Đà Nẵng's registry: %d", status)
	}
	if status, _, _ := fetch(t, srv, "/ocop", "vi"); status != http.StatusSeeOther {
		t.Errorf("anonymous: %d", status)
	}
	if status, _, _ := postForm(t, srv, fmt.Sprintf("/ocop/evaluations/%d", eval), "vi", url.Values{"action": {"score"}, "a": {"30"}, "b": {"20"}, "c": {"20"}}, danang); status != 403 {
		t.Errorf("Đà Nẵng's council scores Gia Lai's product: %d", status)
	}
}

func TestOCOPPages_ScoresheetForm(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	product, eval := seedOCOP(t, db)
	path := fmt.Sprintf("/ocop/evaluations/%d", eval)
	var members []*http.Cookie
	for _, n := range []string{"hd1", "hd2", "hd3"} {
		resp := signInForm(t, srv, n, testPassword, "/ocop")
		var c *http.Cookie
		for _, k := range resp.Cookies() {
			if k.Name == "ntm_session" {
				c = k
			}
		}
		if c == nil {
			t.Fatalf("sign-in of %s: %d", n, resp.StatusCode)
		}
		members = append(members, c)
	}
	tinh := session(t, srv, db, "tinh", auth.RoleProvince, "52")
	// Part A above its maximum: the form comes back naming the part, in the page's language.
	status, _, body := postForm(t, srv, path, "vi", url.Values{"action": {"score"}, "a": {"41"}, "b": {"20"}, "c": {"10"}}, members[0])
	if status != 422 || !strings.Contains(body, "Phần A (Sản phẩm và sức mạnh cộng đồng): 41 điểm vượt điểm tối đa 40") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("above the maximum: %d", status)
	}
	status, _, body = postForm(t, srv, path, "en", url.Values{"action": {"score"}, "a": {"abc"}, "b": {"20"}, "c": {"10"}}, members[0])
	if status != 422 || !strings.Contains(body, "Part A: enter a number") {
		t.Errorf("not a number: %d", status)
	}
	// Conditions confirmed by the secretary, then the three sheets 71, 69 and 70 (with a
	// decimal comma), then closing: 70 points, 4 stars.
	v, _ := func() (*ocop.Version, bool) { r, _ := ocop.Shipped(); return r.Version("qd148-2023") }()
	form := url.Values{"action": {"conditions"}}
	for _, c := range v.Conditions {
		form.Add("condition", c.ID)
	}
	if status, loc, _ := postForm(t, srv, path, "vi", form, tinh); status != 303 || loc != path+"?saved=1" {
		t.Fatalf("conditions: %d %s", status, loc)
	}
	for i, c := range []string{"16", "14", "15"} {
		if status, _, body := postForm(t, srv, path, "vi", url.Values{"action": {"score"}, "a": {"35"}, "b": {"19,5"}, "c": {c + ",5"}}, members[i]); status != 303 {
			t.Fatalf("sheet %d: %d %s", i, status, body)
		}
	}
	_, _, body = fetch(t, srv, path+"?saved=1", "vi", members[0])
	for _, want := range []string{"Đã lưu.", "Phiếu đã chấm (3)", "Người dùng hd2", "70/100", "4 sao", "Kết quả tạm tính"} {
		if !strings.Contains(body, want) {
			t.Errorf("after scoring: no %q", want)
		}
	}
	if status, loc, _ := postForm(t, srv, path, "vi", url.Values{"action": {"close"}}, tinh); status != 303 || loc != path+"?saved=1" {
		t.Fatalf("close: %d", status)
	}
	_, _, body = fetch(t, srv, path, "vi", tinh)
	if !strings.Contains(body, "Đã kết thúc") || !strings.Contains(body, "✓ Đủ điều kiện cấp giấy chứng nhận") || strings.Contains(body, `name="action" value="score"`) {
		t.Errorf("closed evaluation page")
	}
	// The product's history lists it.
	_, _, body = fetch(t, srv, fmt.Sprintf("/ocop/products/%d", product), "en", tinh)
	if !strings.Contains(body, "01/03/2026") && !strings.Contains(body, "2026-03-01") || !strings.Contains(body, "✓ Can be certified") {
		t.Errorf("history on the product page")
	}
	// Opening an evaluation from the product page goes to its scoresheet.
	status, loc, _ := postForm(t, srv, fmt.Sprintf("/ocop/products/%d/evaluations", product), "vi", url.Values{"date": {"05/04/2026"}, "level": {"province"}, "council": {"HĐ"}}, tinh)
	if status != 303 || !strings.HasPrefix(loc, "/ocop/evaluations/") {
		t.Errorf("open from the page: %d %s", status, loc)
	}
	status, _, body = postForm(t, srv, fmt.Sprintf("/ocop/products/%d/evaluations", product), "vi", url.Values{"date": {"05/04/2026"}, "level": {"district"}}, tinh)
	if status != 422 || !strings.Contains(body, "không còn cấp huyện") {
		t.Errorf("a district council in 2026: %d", status)
	}
	// A form from another site is refused.
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader("action=close"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.AddCookie(tinh)
	if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != 403 {
		t.Errorf("cross-site form: %v %v", resp.StatusCode, err)
	}
}
