package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// TestCutoff proves section by section that the bulletin of a period is as of its end: what
// is dated after 30/06/2026 stays out of the bulletin of Q2 2026 (issue 13, "one cut-off";
// recognitions, meetings and tasks are proven in sectionsFromRegisters). Each section reads
// its own register, so the sections share one world per engine.
func TestCutoff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		t.Run("OCOP", func(t *testing.T) { cutoffOCOP(t, w) })
		t.Run("Funding", func(t *testing.T) { cutoffFunding(t, w) })
		t.Run("Works", func(t *testing.T) { cutoffWorks(t, w) })
		t.Run("Models", func(t *testing.T) { cutoffModels(t, w) })
		t.Run("Progress", func(t *testing.T) { cutoffProgress(t, w) })
	})
}

// q2 builds the Vietnamese bulletin of Q2 2026 for Hà Nội and its text.
func q2(t *testing.T, w *world) (*report.Bulletin, string) {
	t.Helper()
	return bulletinOf(t, w, "2026-Q2")
}

func bulletinOf(t *testing.T, w *world, period string) (*report.Bulletin, string) {
	t.Helper()
	b, err := report.Build(context.Background(), w.src, report.Request{Unit: "01", Period: period})
	if err != nil {
		t.Fatal(err)
	}
	d, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	return b, string(d.Markdown)
}

// cutoffOCOP: the certificates counted are those valid on 30/06 — not one issued later, nor
// one revoked or expired before; one revoked after the end still counts, and a product whose
// only certificate comes later is not yet a product of the register.
func cutoffOCOP(t *testing.T, w *world) {
	ctx := context.Background()
	rules, _ := ocop.Shipped()
	x := w.communes[1]
	row := func(n, stars int, name string, kind ocop.ProducerKind, day units.Date) ocop.ImportRow {
		return ocop.ImportRow{Row: n, UnitCode: x, Stars: stars, Decision: "QĐ " + name, Date: day,
			Producer: ocop.Producer{Name: "Chủ thể " + name, Kind: kind}, Product: ocop.Product{Name: name, ProductSet: "1.2.b"}}
	}
	if _, err := w.db.ImportOCOP(ctx, "t", "ocop.xlsx", []ocop.ImportRow{
		row(2, 4, "Issued in August", ocop.Cooperative, "2026-08-10"),
		row(3, 3, "Revoked in May", ocop.Household, "2025-03-01"),
		row(4, 3, "Expired in January", ocop.Household, "2023-01-10"), // 36 months: valid to 09/01/2026
		row(5, 5, "Valid to 14 July", ocop.Cooperative, "2023-07-15"),
		row(6, 4, "Revoked in September", ocop.Household, "2026-01-20"),
	}, units.Today(), rules); err != nil {
		t.Fatal(err)
	}
	ps, err := w.db.OCOPProducts(ctx, store.OCOPQuery{Root: "01", Day: units.Today()})
	if err != nil {
		t.Fatal(err)
	}
	revoke := map[string]units.Date{"Revoked in May": "2026-05-01", "Revoked in September": "2026-09-01"}
	for _, p := range ps {
		if day, ok := revoke[p.Name]; ok {
			if _, err := w.db.RevokeOCOPCertificate(ctx, "t", p.Certificates[0].ID, day, "vi phạm"); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, md := q2(t, w)
	if b.OCOP == nil || b.OCOP.Total != 2 || b.OCOP.Products != 4 || b.OCOP.New != 0 || b.OCOP.Decided != 0 {
		t.Fatalf("OCOP of Q2: %+v, want 2 in force of 4 products, none decided in Q2", b.OCOP)
	}
	want := "Có 02 sản phẩm OCOP đạt từ 3 sao trở lên còn hiệu lực chứng nhận, gồm 01 sản phẩm 5 sao, 01 sản phẩm 4 sao."
	if !strings.Contains(md, want) {
		t.Errorf("the bulletin of Q2 lacks %q:\n%s", want, md)
	}
	// The bulletin of Q3 knows the certificate of August: the test can tell.
	if b3, _ := bulletinOf(t, w, "2026-Q3"); b3.OCOP == nil || b3.OCOP.Products != 5 || b3.OCOP.New != 1 {
		t.Errorf("OCOP of Q3: %+v, want the product of August in it", b3.OCOP)
	}
}

// cutoffFunding: funding is entered per year, so the bulletin of Q2 counts the year's entry and
// says "năm 2026", never the quarter; the entry of a later year is left out.
func cutoffFunding(t *testing.T, w *world) {
	ctx := context.Background()
	for _, f := range []resources.Funding{
		{UnitCode: w.communes[0], Year: 2026, Parts: map[string]resources.Fixed{"nstw": resources.FromInt(1000)}},
		{UnitCode: w.communes[0], Year: 2027, Parts: map[string]resources.Fixed{"nstw": resources.FromInt(700)}},
	} {
		if _, err := w.db.PutFunding(ctx, "t", f); err != nil {
			t.Fatal(err)
		}
	}
	b, md := q2(t, w)
	if b.Funding == nil || b.Funding.Total != 1000 || b.Funding.Year != 2026 {
		t.Fatalf("funding of Q2: %+v, want 1.000 of 2026", b.Funding)
	}
	line := lineWith(md, "Tổng nguồn lực huy động")
	if !strings.Contains(line, "Tổng nguồn lực huy động năm 2026: 1.000 triệu đồng") || strings.Contains(line, "Quý") || strings.Contains(line, "trong kỳ") {
		t.Errorf("the funding of a yearly figure reads %q; want it of năm 2026, not of the quarter", line)
	}
}

// cutoffWorks: the works of the year as of 30/06: money paid in July is not disbursed by then,
// a work completed on 10/08 is not yet done (it is in Q3), and a work of the next year is not
// one of the year's.
func cutoffWorks(t *testing.T, w *world) {
	ctx := context.Background()
	for _, wk := range []resources.Work{
		{UnitCode: w.communes[2], Year: 2026, Kind: "duong-lien-xa", Name: "Đường liên xã", Quantity: resources.FromInt(3), Measure: "km",
			Status: resources.WorkUnderConstruction, Budget: map[string]resources.Fixed{"nstw": resources.FromInt(4000)}},
		{UnitCode: w.communes[2], Year: 2026, Kind: "nha-van-hoa", Name: "Nhà văn hóa tháng Tám", Quantity: resources.FromInt(1), Measure: "công trình",
			Status: resources.WorkDone, DoneOn: "2026-08-10"},
		{UnitCode: w.communes[2], Year: 2027, Kind: "duong-lien-xa", Name: "Đường năm sau", Quantity: resources.FromInt(5), Measure: "km",
			Status: resources.WorkPlanned, Budget: map[string]resources.Fixed{"nstw": resources.FromInt(9000)}},
	} {
		saved, err := w.db.CreateWork(ctx, "t", wk)
		if err != nil {
			t.Fatal(err)
		}
		if wk.Year != 2026 || wk.Status == resources.WorkDone {
			continue
		}
		for _, pay := range []resources.Disbursement{{Day: "2026-06-30", Amount: resources.FromInt(1000)}, {Day: "2026-07-01", Amount: resources.FromInt(2000)}} {
			if _, err := w.db.AddDisbursement(ctx, "t", saved.ID, pay); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, md := q2(t, w)
	if b.Works == nil || b.Works.Works != 2 || b.Works.Done != 0 || b.Works.Budget != 4000 || b.Works.Disbursed != 1000 {
		t.Fatalf("works of Q2: %+v, want the two of 2026, none done by 30/06, with 1.000 paid", b.Works)
	}
	if strings.Contains(md, "nhà văn hóa") {
		t.Errorf("the bulletin of Q2 counts the work completed on 10/08:\n%s", lineWith(md, "công trình"))
	}
	if want := "giải ngân 1.000 triệu đồng, đạt 25,0% kế hoạch vốn (4.000 triệu đồng)"; !strings.Contains(md, want) {
		t.Errorf("the bulletin of Q2 lacks %q:\n%s", want, lineWith(md, "công trình"))
	}
	b3, md3 := bulletinOf(t, w, "2026-Q3")
	if b3.Works == nil || b3.Works.Disbursed != 3000 || b3.Works.Done != 1 {
		t.Errorf("works of Q3: %+v, want the payment of July and the work completed on 10/08 in it", b3.Works)
	}
	if want := "1 công trình nhà văn hóa"; !strings.Contains(md3, want) {
		t.Errorf("the bulletin of Q3 lacks %q:\n%s", want, lineWith(md3, "công trình"))
	}
}

// cutoffModels: a model recognised by a decision of September is not one of the bulletin of
// Q2, though it is of the same year; one decided in May, or known only by its year, is.
func cutoffModels(t *testing.T, w *world) {
	ctx := context.Background()
	for _, m := range []resources.Model{
		{Kind: "vuon-mau", UnitCode: w.communes[3], Name: "Vườn tháng Năm", Year: 2026, Decision: "5/QĐ-UBND", DecisionDate: "2026-05-10"},
		{Kind: "vuon-mau", UnitCode: w.communes[3], Name: "Vườn năm 2026", Year: 2026},
		{Kind: "vuon-mau", UnitCode: w.communes[3], Name: "Vườn tháng Chín", Year: 2026, Decision: "9/QĐ-UBND", DecisionDate: "2026-09-10"},
	} {
		if _, err := w.db.CreateModel(ctx, "t", m); err != nil {
			t.Fatal(err)
		}
	}
	b, md := q2(t, w)
	if b.Models == nil || len(b.Models.Kinds) != 1 || b.Models.Kinds[0].Total != 2 || b.Models.Kinds[0].New != 2 {
		t.Fatalf("models of Q2: %+v, want 2 gardens, the one of September left out", b.Models)
	}
	if want := "Vườn mẫu: năm 2026 có thêm 02 vườn mẫu, nâng tổng số lên 02 vườn mẫu."; !strings.Contains(md, want) {
		t.Errorf("the bulletin of Q2 lacks %q:\n%s", want, lineWith(md, "Vườn mẫu"))
	}
	if b3, _ := bulletinOf(t, w, "2026-Q3"); b3.Models == nil || b3.Models.Kinds[0].Total != 3 {
		t.Errorf("models of Q3: %+v, want the garden of September in it", b3.Models)
	}
}

// cutoffProgress: the bulletin counts, for each commune, its latest approved assessment of a
// period ending by the cut-off. An assessment of Q2 approved in July still counts for Q2 —
// the quarter's own assessments are always approved after it ends (the world's are approved
// today) — but an assessment of Q3, approved after the end of Q2, does not.
func cutoffProgress(t *testing.T, w *world) {
	b, _ := q2(t, w)
	if b.Progress.UnitsMet != 2 || b.Progress.CriteriaMetSum != 33 {
		t.Fatalf("progress of Q2 before: met %d, criteria %d; want 2 and 10+8+10+5", b.Progress.UnitsMet, b.Progress.CriteriaMetSum)
	}
	w.assess(t, w.communes[3], "xa-ntm-2026", "2026-Q3", tcValues(10, false))
	b, md := q2(t, w)
	if b.Progress.UnitsMet != 2 || b.Progress.CriteriaMetSum != 33 {
		t.Errorf("progress of Q2 after an assessment of Q3: met %d, criteria %d; want 2 and 33", b.Progress.UnitsMet, b.Progress.CriteriaMetSum)
	}
	if strings.Contains(md, "2026-Q3") || strings.Contains(md, "Quý III") {
		t.Error("the bulletin of Q2 speaks of Q3")
	}
	if b3, _ := bulletinOf(t, w, "2026-Q3"); b3.Progress.UnitsMet != 3 || b3.Progress.CriteriaMetSum != 38 {
		t.Errorf("progress of Q3: met %d, criteria %d; want 3 and 38", b3.Progress.UnitsMet, b3.Progress.CriteriaMetSum)
	}
}

// lineWith is the first line of md holding s ("" when none).
func lineWith(md, s string) string {
	for _, l := range strings.Split(md, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
