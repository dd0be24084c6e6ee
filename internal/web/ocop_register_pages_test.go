package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// counts is how many producers and products the store holds, to show a refused form
// changed nothing.
func ocopCounts(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	prs, err := db.OCOPProducers(ctx, store.OCOPQuery{Day: units.Today()})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := db.OCOPProducts(ctx, store.OCOPQuery{Day: units.Today()})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d producers, %d products", len(prs), len(ps))
}

func TestOCOPPages_RegisterProducerAndProduct(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		xa := session(t, srv, db, "xa.pleiku", auth.RoleCommune, "23575")
		tinh := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
		xem := session(t, srv, db, "xem", auth.RoleViewer, "23575")
		hd := session(t, srv, db, "hd", auth.RoleOCOPCouncil, "52")

		// Who sees the page, and the registry's link to it.
		for _, c := range []struct {
			who    *http.Cookie
			status int
		}{{xa, 200}, {tinh, 200}, {xem, 403}, {hd, 403}} {
			status, _, body := fetch(t, srv, "/ocop/register", "vi", c.who)
			if status != c.status {
				t.Errorf("register page: %d, want %d", status, c.status)
			}
			_, _, reg := fetch(t, srv, "/ocop", "vi", c.who)
			if link := strings.Contains(reg, `href="/ocop/register"`); link != (c.status == 200) {
				t.Errorf("registry's link to the forms: %v, want %v", link, c.status == 200)
			}
			if c.status == 200 && (!strings.Contains(body, "Đăng ký chủ thể") || !strings.Contains(body, "Hợp tác xã") || !strings.Contains(body, "Chưa có chủ thể nào")) {
				t.Errorf("register page: %s", body)
			}
		}
		if status, _, _ := fetch(t, srv, "/ocop/register", "vi"); status != http.StatusSeeOther {
			t.Errorf("anonymous: %d", status)
		}
		// The commune officer finds their commune filled in.
		if _, _, body := fetch(t, srv, "/ocop/register", "vi", xa); !strings.Contains(body, `name="unit" type="text" inputmode="numeric" size="8" value="23575"`) {
			t.Error("the commune officer's unit is not filled in")
		}

		before := ocopCounts(t, db)
		good := url.Values{"name": {"HTX Rau sạch Pleiku"}, "kind": {"hop-tac-xa"}, "registration_no": {"5900123456"}, "address": {"tổ 3"}, "unit": {"23575"}}
		with := func(k, v string) url.Values {
			f := url.Values{}
			for key, vs := range good {
				f[key] = vs
			}
			f.Set(k, v)
			return f
		}
		for _, c := range []struct {
			name   string
			who    *http.Cookie
			lang   string
			form   url.Values
			status int
			want   string
		}{
			{"no name", xa, "vi", with("name", " "), 422, `id="pr-name-err">chủ thể cần có tên</p>`},
			{"no name, English", xa, "en", with("name", ""), 422, `id="pr-name-err">a producer needs a name</p>`},
			{"unknown kind", xa, "vi", with("kind", "xyz"), 422, `id="pr-kind-err">loại chủ thể &#34;xyz&#34; không có`},
			{"a commune out of reach", xa, "vi", with("unit", "21607"), 403, `id="pr-unit-err">Bạn không được đăng ký chủ thể, sản phẩm OCOP tại đơn vị 21607`},
			{"a province is not a commune", tinh, "en", with("unit", "52"), 422, `id="pr-unit-err">Gia Lai is not a commune`},
			{"no such unit", tinh, "vi", with("unit", "99999"), 403, `id="pr-unit-err">Bạn không được đăng ký chủ thể, sản phẩm OCOP tại đơn vị 99999`},
			{"a viewer", xem, "vi", good, 403, "Vai trò của bạn không đăng ký"},
		} {
			status, _, body := postForm(t, srv, "/ocop/producers", c.lang, c.form, c.who)
			if status != c.status || !strings.Contains(body, c.want) {
				t.Errorf("%s: %d, want %d with %q", c.name, status, c.status, c.want)
			}
			if status == 422 && !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%s: the field is not marked", c.name)
			}
			if status != 403 && !strings.Contains(body, `value="`+strings.TrimSpace(c.form.Get("address"))+`"`) {
				t.Errorf("%s: the form lost what was typed", c.name)
			}
			if got := ocopCounts(t, db); got != before {
				t.Errorf("%s: %s after a refused form, had %s", c.name, got, before)
			}
		}

		// Registered: back on the page with the producer chosen for its product.
		status, loc, _ := postForm(t, srv, "/ocop/producers", "vi", good, xa)
		if status != 303 || !strings.HasPrefix(loc, "/ocop/register?producer=") {
			t.Fatalf("register a producer: %d %s", status, loc)
		}
		// The same producer twice is refused, in the page's language.
		if status, _, body := postForm(t, srv, "/ocop/producers", "en", good, xa); status != 409 || !strings.Contains(body, "is already registered") {
			t.Errorf("the same producer twice: %d", status)
		}
		id := strings.TrimSuffix(strings.TrimPrefix(loc, "/ocop/register?producer="), "#product")
		_, _, body := fetch(t, srv, loc, "vi", xa)
		if !strings.Contains(body, "Đã đăng ký chủ thể “HTX Rau sạch Pleiku”") || !strings.Contains(body, `<option value="`+id+`" selected>HTX Rau sạch Pleiku — Hợp tác xã`) {
			t.Errorf("after registering the producer: %s", body)
		}

		// The product: errors by their field, then registered in the producer's commune.
		before = ocopCounts(t, db)
		product := url.Values{"producer_id": {id}, "name": {"Rau cải ngọt"}, "product_set": {"1.1.a"}, "description": {"rau trồng theo VietGAP"}}
		for _, c := range []struct {
			name, lang, field, value string
			status                   int
			want                     string
		}{
			{"no producer", "vi", "producer_id", "", 422, `id="pd-producer-err">cần chủ thể của sản phẩm`},
			{"a producer that is not", "en", "producer_id", "999999", 422, `id="pd-producer-err">no producer with id 999999`},
			{"no such set", "vi", "product_set", "9.9.z", 422, `id="pd-set-err">bộ sản phẩm &#34;9.9.z&#34; không có trong danh mục`},
			{"no name", "en", "name", "", 422, `id="pd-name-err">a product needs a name`},
			{"a commune out of reach", "vi", "unit", "21607", 403, `id="pd-unit-err">Bạn không được đăng ký`},
		} {
			f := url.Values{}
			for k, v := range product {
				f[k] = v
			}
			f.Set(c.field, c.value)
			status, _, body := postForm(t, srv, "/ocop/products", c.lang, f, xa)
			if status != c.status || !strings.Contains(body, c.want) {
				t.Errorf("product, %s: %d, want %d with %q", c.name, status, c.status, c.want)
			}
			if !strings.Contains(body, "rau trồng theo VietGAP</textarea>") {
				t.Errorf("product, %s: the form lost what was typed", c.name)
			}
			if got := ocopCounts(t, db); got != before {
				t.Errorf("product, %s: %s after a refused form, had %s", c.name, got, before)
			}
		}
		if status, _, _ := postForm(t, srv, "/ocop/products", "vi", product, xem); status != 403 {
			t.Errorf("a viewer registers a product: %d", status)
		}
		status, loc, _ = postForm(t, srv, "/ocop/products", "vi", product, xa)
		if status != 303 || !strings.HasSuffix(loc, "?done=registered") {
			t.Fatalf("register a product: %d %s", status, loc)
		}
		_, _, body = fetch(t, srv, loc, "vi", xa)
		for _, want := range []string{"Đã đăng ký sản phẩm.", "Rau cải ngọt", "HTX Rau sạch Pleiku", "Phường Pleiku", "rau trồng theo VietGAP"} {
			if !strings.Contains(body, want) {
				t.Errorf("the new product's page: no %q", want)
			}
		}
		if got := ocopCounts(t, db); got != "1 producers, 1 products" {
			t.Errorf("after registering: %s", got)
		}
	})
}

// scoreOCOP confirms the conditions of evaluation id, enters the three members' 70-point
// sheets and closes it: 4 stars, certifiable.
func scoreOCOP(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	ctx := context.Background()
	rules, _ := ocop.Shipped()
	e, err := db.OCOPEvaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := rules.Version(e.Rules)
	e.Conditions = nil
	for _, c := range v.Conditions {
		e.Conditions = append(e.Conditions, c.ID)
	}
	if _, err := db.UpdateOCOPEvaluation(ctx, "seed", e); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"hd1", "hd2", "hd3"} {
		if _, err := db.PutOCOPSheet(ctx, m, id, ocop.Sheet{Member: m, A: 35, B: 20, C: 15}, rules); err != nil {
			t.Fatal(err)
		}
	}
	if e, err = db.CloseOCOPEvaluation(ctx, "seed", id, 0, rules); err != nil || !e.Outcome.Certifiable {
		t.Fatalf("close: %v %+v", err, e.Outcome)
	}
}

func TestOCOPPages_IssueAndRevokeCertificate(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		product, eval := seedOCOP(t, db)
		scoreOCOP(t, db, eval)
		tinh := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
		xa := session(t, srv, db, "xa.pleiku", auth.RoleCommune, "23575")
		page := fmt.Sprintf("/ocop/products/%d", product)
		certs := func() []ocop.Certificate {
			p, err := db.OCOPProduct(context.Background(), product)
			if err != nil {
				t.Fatal(err)
			}
			return p.Certificates
		}

		// Only a role that decides recognitions sees the forms and may post them.
		_, _, body := fetch(t, srv, page, "vi", tinh)
		if !strings.Contains(body, "Cấp giấy chứng nhận") || !strings.Contains(body, "01/03/2026, Cấp tỉnh: 4 sao, 70 điểm") ||
			!strings.Contains(body, "Thu hồi giấy chứng nhận") || !strings.Contains(body, "Quyết định 15/QĐ-UBND ngày 15/03/2023, 4 sao") {
			t.Errorf("the province's product page has no certificate forms: %s", body)
		}
		if _, _, body := fetch(t, srv, page, "vi", xa); strings.Contains(body, `action="`+page+`/certificate"`) || strings.Contains(body, `action="`+page+`/revoke"`) {
			t.Error("the commune officer is offered the certificate forms")
		}
		issue := url.Values{"evaluation": {fmt.Sprint(eval)}, "decision": {"99/QĐ-UBND"}, "date": {"10/03/2026"}, "issuer": {"UBND tỉnh Gia Lai"}}
		if status, _, _ := postForm(t, srv, page+"/certificate", "vi", issue, xa); status != 403 {
			t.Errorf("the commune officer issues a certificate: %d", status)
		}

		with := func(f url.Values, k, v string) url.Values {
			g := url.Values{}
			for key, vs := range f {
				g[key] = vs
			}
			g.Set(k, v)
			return g
		}
		for _, c := range []struct {
			name, lang string
			form       url.Values
			want       string
		}{
			{"no decision", "vi", with(issue, "decision", ""), `id="is-decision-err">cần số quyết định công nhận`},
			{"no decision, English", "en", with(issue, "decision", " "), `id="is-decision-err">the recognition decision&#39;s number is required`},
			{"not a date", "vi", with(issue, "date", "31/02/2026"), `id="is-date-err">“31/02/2026” không phải là ngày`},
			{"before the evaluation", "en", with(issue, "date", "01/02/2026"), `id="is-date-err">the decision date 2026-02-01 is before the evaluation&#39;s 2026-03-01`},
			{"not an evaluation of the product", "vi", with(issue, "evaluation", "999999"), `id="is-eval-err">Hãy chọn một phiên đánh giá`},
		} {
			status, _, body := postForm(t, srv, page+"/certificate", c.lang, c.form, tinh)
			if status != 422 || !strings.Contains(body, c.want) {
				t.Errorf("issue, %s: %d, want 422 with %q", c.name, status, c.want)
			}
			if n := len(certs()); n != 1 {
				t.Errorf("issue, %s: %d certificates after a refused form", c.name, n)
			}
		}
		status, loc, _ := postForm(t, srv, page+"/certificate", "vi", issue, tinh)
		if status != 303 || loc != page+"?done=certified" {
			t.Fatalf("issue: %d %s", status, loc)
		}
		cs := certs()
		if len(cs) != 2 || cs[1].Decision != "99/QĐ-UBND" || cs[1].Stars != 4 || cs[1].ValidTo != "2029-03-10" {
			t.Fatalf("certificates after issuing: %+v", cs)
		}
		_, _, body = fetch(t, srv, loc, "vi", tinh)
		if !strings.Contains(body, "Đã cấp giấy chứng nhận.") || !strings.Contains(body, "Chưa có phiên đánh giá nào đã kết thúc") {
			t.Errorf("after issuing: %s", body)
		}

		revoke := url.Values{"certificate": {fmt.Sprint(cs[1].ID)}, "date": {"01/06/2026"}, "reason": {"không duy trì chất lượng"}, "confirm": {"1"}}
		for _, c := range []struct {
			name, lang string
			form       url.Values
			want       string
		}{
			{"not confirmed", "vi", with(revoke, "confirm", ""), `id="rv-confirm-err">Hãy đánh dấu ô xác nhận`},
			{"no reason", "en", with(revoke, "reason", ""), `id="rv-reason-err">a reason for the revocation is required`},
			{"before the decision", "vi", with(revoke, "date", "01/01/2026"), `id="rv-date-err">ngày thu hồi 2026-01-01 trước ngày quyết định công nhận 2026-03-10`},
			{"a certificate of another product", "vi", with(revoke, "certificate", "999999"), `id="rv-cert-err">Hãy chọn một giấy chứng nhận`},
		} {
			status, _, body := postForm(t, srv, page+"/revoke", c.lang, c.form, tinh)
			if status != 422 || !strings.Contains(body, c.want) {
				t.Errorf("revoke, %s: %d, want 422 with %q", c.name, status, c.want)
			}
			if got := certs()[1].RevokedOn; got != "" {
				t.Errorf("revoke, %s: revoked on %s by a refused form", c.name, got)
			}
		}
		if status, _, _ := postForm(t, srv, page+"/revoke", "vi", revoke, xa); status != 403 || certs()[1].RevokedOn != "" {
			t.Errorf("the commune officer revokes: %d", status)
		}
		status, loc, _ = postForm(t, srv, page+"/revoke", "vi", revoke, tinh)
		if status != 303 || loc != page+"?done=revoked" {
			t.Fatalf("revoke: %d %s", status, loc)
		}
		if c := certs()[1]; c.RevokedOn != "2026-06-01" || c.RevokeReason != "không duy trì chất lượng" {
			t.Errorf("revoked: %+v", c)
		}
		if _, _, body := fetch(t, srv, loc, "en", tinh); !strings.Contains(body, "Certificate revoked.") || !strings.Contains(body, "revoked on") {
			t.Errorf("after revoking: %s", body)
		}
	})
}
