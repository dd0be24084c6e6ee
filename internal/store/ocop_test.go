package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func ocopRules(t *testing.T) *ocop.Rules {
	t.Helper()
	r, err := ocop.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ocopProduct registers a producer and a product in the commune code names on day.
func ocopProduct(t *testing.T, db *store.DB, code string, day units.Date, name string) ocop.Product {
	t.Helper()
	ctx := context.Background()
	pr, err := db.CreateOCOPProducer(ctx, "lan", ocop.Producer{Name: "HTX " + name, Kind: ocop.Cooperative, UnitCode: code}, day)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.CreateOCOPProduct(ctx, "lan", ocop.Product{Name: name, ProducerID: pr.ID, UnitCode: code, ProductSet: "1.3.b"}, day)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ocopCouncil sets up a council of unit from day with members (users of the council role
// created here, home unit the council's).
func ocopCouncil(t *testing.T, db *store.DB, unit string, day units.Date, members ...string) ocop.Council {
	t.Helper()
	ctx := context.Background()
	c := ocop.Council{UnitCode: unit, Name: "Hội đồng OCOP tỉnh " + unit, From: day}
	for _, m := range members {
		if _, err := db.CreateUser(ctx, auth.User{Username: m, Name: "Thành viên " + m, Role: auth.RoleOCOPCouncil, UnitCode: unit}, "system"); err != nil {
			t.Fatal(err)
		}
		c.Members = append(c.Members, ocop.CouncilMember{Username: m})
	}
	c, err := db.CreateOCOPCouncil(ctx, "lan", c)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOCOP_ProducersAndProducts(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pr, err := db.CreateOCOPProducer(ctx, "lan", ocop.Producer{Name: "HTX Cà phê Pleiku", Kind: ocop.Cooperative, RegistrationNo: "5900123",
			Address: "Pleiku", UnitCode: "23575"}, "2026-01-01")
		if err != nil || pr.ID == 0 || pr.UnitFrom != "2025-07-01" || pr.UnitName != "Phường Pleiku" || pr.Version != 1 {
			t.Fatalf("create producer: %+v %v", pr, err)
		}
		// The same registration number again is refused, naming the producer there is.
		if _, err := db.CreateOCOPProducer(ctx, "minh", ocop.Producer{Name: "Khác", Kind: ocop.Cooperative, RegistrationNo: "5900123", UnitCode: "21607"}, "2026-01-01"); !isFault(err, fault.Exists, pr.ID) {
			t.Errorf("duplicate registration: %v", err)
		}
		// A code that names no unit on the day.
		var fe *fault.Error
		if _, err := db.CreateOCOPProducer(ctx, "lan", ocop.Producer{Name: "X", Kind: ocop.Household, UnitCode: "23557"}, "2026-01-01"); !errors.As(err, &fe) || fe.Field != "unit" {
			t.Errorf("abolished commune: %v", err)
		}
		if _, err := db.CreateOCOPProduct(ctx, "lan", ocop.Product{Name: "Cà phê", ProducerID: 999, UnitCode: "23575", ProductSet: "1.6.a"}, "2026-01-01"); !errors.As(err, &fe) || fe.Field != "producer_id" {
			t.Errorf("missing producer: %v", err)
		}
		p, err := db.CreateOCOPProduct(ctx, "lan", ocop.Product{Name: "Cà phê bột", ProducerID: pr.ID, UnitCode: "23575", ProductSet: "1.6.a"}, "2026-01-01")
		if err != nil || p.Producer != "HTX Cà phê Pleiku" || p.Group != "1" || p.SubGroup != "1.6" {
			t.Fatalf("create product: %+v %v", p, err)
		}
		// A change against an old version is a conflict; the right version goes through.
		p.Description = "Cà phê Robusta rang xay"
		p.Version = 7
		if _, err := db.UpdateOCOPProduct(ctx, "minh", p, "2026-01-01"); !fault.Is(err, fault.Conflict) || !strings.Contains(err.Error(), "đang lưu 1") {
			t.Errorf("stale update: %v", err)
		}
		p.Version = 1
		if p, err = db.UpdateOCOPProduct(ctx, "minh", p, "2026-01-01"); err != nil || p.Version != 2 || p.UpdatedBy != "minh" || p.Description != "Cà phê Robusta rang xay" {
			t.Errorf("update: %+v %v", p, err)
		}
		// Photos.
		ph, err := db.AddOCOPPhoto(ctx, "lan", p.ID, "goi.jpg", "image/jpeg", []byte("\xff\xd8\xff jpeg"))
		if err != nil {
			t.Fatal(err)
		}
		got, pid, data, err := db.OCOPPhoto(ctx, ph.ID)
		if err != nil || pid != p.ID || string(data) != "\xff\xd8\xff jpeg" || got.ContentType != "image/jpeg" {
			t.Errorf("photo: %+v %d %q %v", got, pid, data, err)
		}
		if full, _ := db.OCOPProduct(ctx, p.ID); len(full.Photos) != 1 || full.Photos[0].Name != "goi.jpg" {
			t.Errorf("product photos: %+v", full.Photos)
		}
		// A producer with products cannot be removed; a product without history can.
		if err := db.DeleteOCOPProducer(ctx, "lan", pr.ID); !fault.Is(err, fault.Rule) {
			t.Errorf("delete a producer with products: %v", err)
		}
		if err := db.DeleteOCOPProduct(ctx, "lan", p.ID); err != nil {
			t.Errorf("delete product: %v", err)
		}
		if err := db.DeleteOCOPProducer(ctx, "lan", pr.ID); err != nil {
			t.Errorf("delete producer: %v", err)
		}
		if _, err := db.OCOPProduct(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted product: %v", err)
		}
		// Every change is in the audit log, with the unit it concerns.
		log, _ := db.AuditLog(ctx, store.AuditFilter{UnitCode: "23575"})
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Entity+" "+e.Action)
		}
		want := []string{"ocop_producer delete", "ocop_product delete", "ocop_product add_photo", "ocop_product update", "ocop_product create", "ocop_producer create"}
		if !slices.Equal(actions, want) {
			t.Errorf("audit: %v", actions)
		}
	})
}

func TestOCOP_EvaluateCertifyAndKeepHistory(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rules := ocopRules(t)
		p := ocopProduct(t, db, "23575", "2026-01-01", "Bánh tráng")
		v, _ := rules.Version("qd148-2023")
		var all []string
		for _, c := range v.Conditions {
			all = append(all, c.ID)
		}
		council := ocopCouncil(t, db, "52", "2026-01-01", "a", "b", "c", "d")
		open := func(date units.Date, conds []string) ocop.Evaluation {
			t.Helper()
			e := ocop.Evaluation{ProductID: p.ID, Date: date, Level: ocop.LevelProvince, CouncilID: council.ID, Conditions: conds}
			if err := rules.CheckEvaluation(&e); err != nil {
				t.Fatal(err)
			}
			e, err := db.OpenOCOPEvaluation(ctx, "lan", e)
			if err != nil || e.Status != ocop.EvalOpen || e.UnitCode != "23575" || e.Rules != "qd148-2023" {
				t.Fatalf("open: %+v %v", e, err)
			}
			return e
		}
		score := func(e ocop.Evaluation, totals ...float64) ocop.Evaluation {
			t.Helper()
			var err error
			for i, x := range totals {
				m := string(rune('a' + i))
				e, err = db.PutOCOPSheet(ctx, m, e.ID, ocop.Sheet{Member: m, A: 35, B: 20, C: x - 55}, rules)
				if err != nil {
					t.Fatal(err)
				}
			}
			return e
		}

		// Issue 16: the council's quorum (2/3 of 4 members, at least 3 sheets) before closing;
		// only members, each as themself.
		e := open("2026-03-01", all)
		if e.Council != "Hội đồng OCOP tỉnh 52" || len(e.Members) != 4 {
			t.Errorf("the evaluation's council: %q %+v", e.Council, e.Members)
		}
		e = score(e, 71, 69)
		if _, err := db.CloseOCOPEvaluation(ctx, "lan", e.ID, 0, rules); !fault.Is(err, fault.Rule) || !strings.Contains(err.Error(), "2/4 phiếu") {
			t.Errorf("close below quorum: %v", err)
		}
		if _, err := db.PutOCOPSheet(ctx, "a", e.ID, ocop.Sheet{Member: "c", A: 35, B: 20, C: 15}, rules); !fault.Is(err, fault.Rule) {
			t.Errorf("a member enters another's sheet: %v", err)
		}
		if _, err := db.PutOCOPSheet(ctx, "lan", e.ID, ocop.Sheet{Member: "lan", A: 35, B: 20, C: 15}, rules); !fault.Is(err, fault.Rule) {
			t.Errorf("an officer who is not a member enters a sheet: %v", err)
		}
		e = score(e, 71, 69, 70)
		var fe *fault.Error
		if _, err := db.PutOCOPSheet(ctx, "d", e.ID, ocop.Sheet{Member: "d", A: 41, B: 20, C: 10}, rules); !errors.As(err, &fe) || fe.Field != "a" {
			t.Errorf("part A above 40: %v", err)
		}
		// A member may correct their sheet while the evaluation is open.
		e, _ = db.PutOCOPSheet(ctx, "c", e.ID, ocop.Sheet{Member: "c", A: 35, B: 20, C: 15}, rules)
		if len(e.Sheets) != 3 || e.Sheets[2].Total != 70 {
			t.Errorf("sheets: %+v", e.Sheets)
		}
		e, err := db.CloseOCOPEvaluation(ctx, "lan", e.ID, 0, rules)
		if err != nil || e.Status != ocop.EvalClosed || e.Outcome == nil || e.Outcome.Total != 70 || e.Outcome.Stars != 4 || !e.Outcome.Certifiable {
			t.Fatalf("close: %+v %v", e.Outcome, err)
		}
		if _, err := db.PutOCOPSheet(ctx, "d", e.ID, ocop.Sheet{Member: "d", A: 1}, rules); !fault.Is(err, fault.Rule) {
			t.Errorf("scoring a closed evaluation: %v", err)
		}
		c, err := db.IssueOCOPCertificate(ctx, "lan", e.ID, ocop.Certificate{Decision: "123/QĐ-UBND", Date: "2026-03-10", Issuer: "UBND tỉnh Gia Lai"}, rules)
		if err != nil || c.Stars != 4 || c.ValidTo != "2029-03-10" || c.EvaluationID != e.ID || c.Level != ocop.LevelProvince ||
			c.Council != "Hội đồng OCOP tỉnh 52" || strings.Join(c.CouncilMembers, ", ") != "Thành viên a, Thành viên b, Thành viên c, Thành viên d" {
			t.Fatalf("certify: %+v %v", c, err)
		}
		if _, err := db.IssueOCOPCertificate(ctx, "lan", e.ID, ocop.Certificate{Decision: "124/QĐ-UBND", Date: "2026-03-10"}, rules); !fault.Is(err, fault.Exists) {
			t.Errorf("second certificate of one evaluation: %v", err)
		}

		// Re-evaluation with a missing 3-star condition: no certificate, and it says why.
		e2 := score(open("2027-04-01", without(all, "kiem-nghiem")), 71, 69, 70)
		e2, err = db.CloseOCOPEvaluation(ctx, "lan", e2.ID, 0, rules)
		if err != nil || e2.Outcome.Stars != 2 || e2.Outcome.Certifiable {
			t.Fatalf("close without a condition: %+v %v", e2.Outcome, err)
		}
		if _, err := db.IssueOCOPCertificate(ctx, "lan", e2.ID, ocop.Certificate{Decision: "9/QĐ-UBND", Date: "2027-04-10"}, rules); !fault.Is(err, fault.Rule) ||
			!strings.Contains(err.Error(), "Chưa đạt điều kiện bắt buộc của hạng 3 sao") {
			t.Errorf("certify a capped result: %v", err)
		}

		// A later re-evaluation at 3 stars takes over from the 4-star certificate.
		e3 := score(open("2028-05-01", all), 60, 60, 60)
		e3, _ = db.CloseOCOPEvaluation(ctx, "lan", e3.ID, 0, rules)
		c3, err := db.IssueOCOPCertificate(ctx, "lan", e3.ID, ocop.Certificate{Decision: "55/QĐ-UBND", Date: "2028-05-20"}, rules)
		if err != nil || c3.Stars != 3 {
			t.Fatalf("re-certify: %+v %v", c3, err)
		}
		full, err := db.OCOPProduct(ctx, p.ID)
		if err != nil || len(full.Evaluations) != 3 || len(full.Certificates) != 2 || len(full.Evaluations[0].Sheets) != 3 {
			t.Fatalf("history: %d evaluations, %d certificates, %v", len(full.Evaluations), len(full.Certificates), err)
		}
		if old := full.Certificates[0]; old.ReplacedOn != "2028-05-20" || old.ReplacedBy != c3.ID || rules.Status(old, "2028-06-01") != ocop.CertReplaced {
			t.Errorf("the old certificate: %+v", old)
		}
		st := rules.StandingOf(full.Certificates, "2028-06-01")
		if st.Stars != 3 || st.Certificate.ID != c3.ID {
			t.Errorf("standing: %+v", st)
		}
		// Revocation needs a reason and dates from the decision on.
		if _, err := db.RevokeOCOPCertificate(ctx, "lan", c3.ID, "2028-09-01", " "); !errors.As(err, &fe) || fe.Field != "reason" {
			t.Errorf("revoke without reason: %v", err)
		}
		r, err := db.RevokeOCOPCertificate(ctx, "lan", c3.ID, "2028-09-01", "vi phạm an toàn thực phẩm")
		if err != nil || r.RevokedOn != "2028-09-01" || rules.Status(r, "2028-09-01") != ocop.CertRevoked {
			t.Errorf("revoke: %+v %v", r, err)
		}
		if _, err := db.RevokeOCOPCertificate(ctx, "lan", c3.ID, "2028-10-01", "lần nữa"); !fault.Is(err, fault.Rule) {
			t.Errorf("revoke twice: %v", err)
		}
		log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "ocop_certificate"})
		if len(log) != 3 || log[0].Action != "revoke" || log[0].Detail != "vi phạm an toàn thực phẩm" {
			t.Errorf("certificate audit: %+v", log)
		}
	})
}

func without(ids []string, drop string) []string {
	var out []string
	for _, id := range ids {
		if id != drop {
			out = append(out, id)
		}
	}
	return out
}

func TestOCOP_ProductsUnderAUnitAcrossTheReform(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ocopProduct(t, db, "23557", "2024-01-01", "Cũ Yên Đỗ")     // old Phường Yên Đỗ of old Gia Lai (64), now in 23563
		ocopProduct(t, db, "23575", "2026-01-01", "Mới Pleiku")    // new Phường Pleiku of new Gia Lai (52)
		ocopProduct(t, db, "21607", "2026-01-01", "Mới Nhơn Châu") // new Gia Lai, formerly Bình Định
		ocopProduct(t, db, "20335", "2026-01-01", "Đà Nẵng")       // new Phường Bàn Thạch of Đà Nẵng (48)
		for _, c := range []struct {
			root string
			day  units.Date
			text string
			want []string
		}{
			{"52", "2026-01-01", "", []string{"Cũ Yên Đỗ", "Mới Nhơn Châu", "Mới Pleiku"}},
			{"64", "2024-01-01", "", []string{"Cũ Yên Đỗ", "Mới Pleiku"}},
			{"52", "2024-01-01", "", []string{"Mới Nhơn Châu"}},
			{"23575", "2026-01-01", "", []string{"Mới Pleiku"}},
			{"23563", "2026-01-01", "", []string{"Cũ Yên Đỗ"}},
			{"48", "2026-01-01", "", []string{"Đà Nẵng"}},
			{"", "2026-01-01", "", []string{"Cũ Yên Đỗ", "Mới Nhơn Châu", "Mới Pleiku", "Đà Nẵng"}},
			{"52", "2026-01-01", "nhon chau", []string{"Mới Nhơn Châu"}},
		} {
			ps, err := db.OCOPProducts(ctx, store.OCOPQuery{Root: c.root, Day: c.day, Text: c.text})
			var names []string
			for _, p := range ps {
				names = append(names, p.Name)
			}
			slices.Sort(names)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if err != nil || !slices.Equal(names, want) {
				t.Errorf("under %q on %s: %v %v, want %v", c.root, c.day, names, err, want)
			}
		}
		prs, err := db.OCOPProducers(ctx, store.OCOPQuery{Root: "52", Day: "2026-01-01"})
		if err != nil || len(prs) != 3 || prs[0].Products != 1 {
			t.Errorf("producers under 52: %+v %v", prs, err)
		}
	})
}

func TestOCOP_ImportAllOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rules := ocopRules(t)
		row := func(n int, unit, product, producer string, stars int, decision string, date units.Date) ocop.ImportRow {
			return ocop.ImportRow{Sheet: "S", Row: n, UnitCode: unit, Stars: stars, Decision: decision, Date: date, Level: ocop.LevelProvince,
				Producer: ocop.Producer{Name: producer, Kind: ocop.Cooperative, UnitCode: unit},
				Product:  ocop.Product{Name: product, UnitCode: unit, ProductSet: "1.6.a"}}
		}
		rows := []ocop.ImportRow{
			row(2, "23575", "Cà phê bột", "HTX Pleiku", 4, "1/QĐ-UBND", "2023-03-15"),
			row(3, "23575", "Cà phê hạt", "HTX Pleiku", 3, "1/QĐ-UBND", "2023-03-15"),
			row(4, "23557", "Cà phê cũ", "HTX Cũ", 3, "2/QĐ-UBND", "2022-01-10"),
		}
		// One row in an abolished commune: nothing is stored, and the row is named.
		_, err := db.ImportOCOP(ctx, "lan", "ds.xlsx", rows, "2026-01-01", rules)
		probs, _ := fault.ProblemsOf[[]ocop.Problem](err)
		if len(probs) != 1 || probs[0].Row != 4 || !strings.Contains(probs[0].String(), "không có xã, phường mã 23557") {
			t.Fatalf("bad row: %v", err)
		}
		if ps, _ := db.OCOPProducts(ctx, store.OCOPQuery{Day: "2026-01-01"}); len(ps) != 0 {
			t.Fatalf("a failed import stored %d products", len(ps))
		}
		st, err := db.ImportOCOP(ctx, "lan", "ds.xlsx", rows[:2], "2026-01-01", rules)
		if err != nil || st != (store.OCOPImportStats{Rows: 2, Producers: 1, Products: 2, Certificates: 2}) {
			t.Fatalf("import: %+v %v", st, err)
		}
		// Importing it again changes nothing.
		if st, err := db.ImportOCOP(ctx, "lan", "ds.xlsx", rows[:2], "2026-01-01", rules); err != nil || st.Unchanged != 2 || st.Certificates+st.Products+st.Producers != 0 {
			t.Errorf("again: %+v %v", st, err)
		}
		// A later decision for the same product is its re-certification.
		again := row(2, "23575", "Cà phê bột", "HTX Pleiku", 5, "7/QĐ-BNNMT", "2025-12-01")
		again.Level = ocop.LevelCentral
		if st, err := db.ImportOCOP(ctx, "lan", "ds2.xlsx", []ocop.ImportRow{again}, "2026-01-01", rules); err != nil || st.Certificates != 1 || st.Products != 0 {
			t.Errorf("re-certification: %+v %v", st, err)
		}
		ps, _ := db.OCOPProducts(ctx, store.OCOPQuery{Root: "52", Day: "2026-02-20"})
		f := rules.Tally(ps, "2026-02-20", "2026-01-01")
		if f.Products != 2 || f.Certified != (ocop.StarCounts{Three: 1, Five: 1}) || f.Expiring != 1 {
			t.Errorf("figures after import: %+v", f)
		}
	})
}

// isFault reports whether err is a fault with the code carrying current.
func isFault(err error, code fault.Code, current any) bool {
	f, ok := fault.As(err)
	return ok && f.Code == code && f.Current == current
}
