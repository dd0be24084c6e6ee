package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// The bulletin prints models entered as counts with their share of the villages, and the
// unit's own figures by the names they were entered with, in each language (issue 13.8).
func TestBulletin_AggregateRegisters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		us, ls, err := units.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportUnits(ctx, us, ls); err != nil {
			t.Fatal(err)
		}
		cat, err := app.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		src := report.Source{DB: db, Catalog: cat}
		kids, err := db.Children(ctx, "01", "2025-12-31")
		if err != nil || len(kids) == 0 {
			t.Fatal(err)
		}
		if _, err := db.SaveModelTally(ctx, "t", 0, resources.ModelTally{Kind: "thon-ntm", UnitCode: kids[0].Code, Year: 2025, New: 3, Cumulative: 9, Of: 24}); err != nil {
			t.Fatal(err)
		}
		for _, x := range []resources.UnitIndicator{
			{UnitCode: "01", Year: 2025, Code: "thu-nhap", Name: "Thu nhập bình quân đầu người", Measure: "triệu đồng/người/năm", Value: 72.5},
			{UnitCode: "01", Year: 2024, Code: "thu-nhap", Name: "Thu nhập bình quân đầu người", Measure: "triệu đồng/người/năm", Value: 66},
			{UnitCode: kids[0].Code, Year: 2025, Code: "ho-ngheo", Name: "Tỷ lệ hộ nghèo của xã", Measure: "%", Value: 1.2},
		} {
			if _, err := db.SaveUnitIndicator(ctx, "t", 0, x); err != nil {
				t.Fatal(err)
			}
		}
		// Targets on them, named by what they measure rather than by their codes.
		for _, tg := range []store.Target{
			{UnitCode: "01", Year: 2025, Metric: "own:thu-nhap", Value: 70},
			{UnitCode: "01", Year: 2025, Metric: "models_share:thon-ntm", Value: 50},
			{UnitCode: "01", Year: 2026, Metric: "own:thu-nhap", Value: 80},
		} {
			if _, err := db.PutTarget(ctx, "t", tg); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			lang        string
			want, never []string
		}{
			{"vi", []string{"nâng tổng số lên 09 thôn đạt chuẩn nông thôn mới, đạt 9/24 thôn (37,5%).", "Một số chỉ tiêu kinh tế - xã hội năm 2025", "- Thu nhập bình quân đầu người: 72,5 triệu đồng/người/năm.",
				"- Thu nhập bình quân đầu người: kế hoạch 70, thực hiện 72,5", "- Tỷ lệ thôn đạt chuẩn nông thôn mới: kế hoạch 50%, thực hiện 37,5%",
				"chỉ tiêu thu-nhap của đơn vị đạt 80"},
				[]string{"66", "Tỷ lệ hộ nghèo của xã", "own:"}},
			{"en", []string{"bringing the total to 9: 9/24 villages (37.5%).", "Socio-economic figures of 2025", "- Thu nhập bình quân đầu người: 72.5 triệu đồng/người/năm."},
				[]string{"Tỷ lệ hộ nghèo của xã", "own:"}},
		} {
			b, err := report.Build(ctx, src, report.Request{Unit: "01", Period: "2025", Lang: c.lang})
			if err != nil {
				t.Fatal(err)
			}
			d, err := b.Document()
			if err != nil {
				t.Fatal(err)
			}
			md := string(d.Markdown)
			for _, w := range c.want {
				if !strings.Contains(md, w) {
					t.Errorf("%s: the bulletin lacks %q:\n%s", c.lang, w, md)
				}
			}
			for _, n := range c.never {
				if strings.Contains(md, n) {
					t.Errorf("%s: the bulletin says %q (another year's or another unit's figure)", c.lang, n)
				}
			}
		}
	})
}
