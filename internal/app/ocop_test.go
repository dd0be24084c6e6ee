package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func TestOCOP_FiguresOfAProvince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		us, ls, _ := units.Shipped()
		if _, err := db.ImportUnits(ctx, us, ls); err != nil {
			t.Fatal(err)
		}
		rules, _ := ocop.Shipped()
		var rows []ocop.ImportRow
		for i, r := range []struct {
			unit  string
			stars int
			date  units.Date
		}{
			{"23575", 4, "2024-05-01"}, {"23575", 4, "2026-01-15"}, {"21607", 3, "2023-03-15"}, {"21607", 3, "2023-02-01"}, {"20335", 5, "2025-01-01"},
		} {
			rows = append(rows, ocop.ImportRow{Row: i + 2, UnitCode: r.unit, Stars: r.stars, Decision: "QĐ " + string(rune('A'+i)), Date: r.date,
				Producer: ocop.Producer{Name: "Chủ thể " + string(rune('A'+i)), Kind: ocop.Household},
				Product:  ocop.Product{Name: "Sản phẩm " + string(rune('A'+i)), ProductSet: "1.2.b"}})
		}
		if _, err := db.ImportOCOP(ctx, "t", "x.xlsx", rows, "2026-01-20", rules); err != nil {
			t.Fatal(err)
		}
		f, err := app.OCOP(ctx, db, "52", "2026-02-20", "")
		if err != nil {
			t.Fatal(err)
		}
		// Gia Lai: two 4-star products and one 3-star still valid (expiring); the other
		// 3-star lapsed on 2026-02-01; Đà Nẵng's 5 stars are not Gia Lai's.
		if f.UnitName != "Tỉnh Gia Lai" || f.From != "2026-01-01" || f.Products != 4 || f.Certified != (ocop.StarCounts{Three: 1, Four: 2}) ||
			f.InPeriod.Total() != 1 || f.Expiring != 1 || f.Expired != 1 {
			t.Errorf("figures: %+v", f)
		}
		for name, want := range map[string]float64{app.MetricOCOP3StarPlus: 3, app.MetricOCOPProducts4: 2, app.MetricOCOPProducts5: 0,
			app.MetricOCOPCertified: 1, app.MetricOCOPExpiring: 1} {
			if got, ok := app.OCOPMetric(f, name); !ok || got != want {
				t.Errorf("%s: %v %v, want %v", name, got, ok, want)
			}
		}
		if _, ok := app.OCOPMetric(f, "units_met"); ok || app.IsOCOPMetric("units_met") || !app.IsOCOPMetric("ocop_3star_plus") {
			t.Error("a progress metric read as an OCOP one")
		}
		text := app.OCOPText(f, "vi")
		for _, want := range []string{"03 sản phẩm đạt 3 sao trở lên", "02 sản phẩm 4 sao, 01 sản phẩm 3 sao", "Từ 01/01/2026 đến 20/02/2026, 01 sản phẩm được công nhận", "01 sản phẩm sắp hết hạn"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q: %s", want, text)
			}
		}
		if en := app.OCOPText(f, "en"); !strings.Contains(en, "3 products of 3 stars or more") || strings.Contains(en, "sản phẩm") {
			t.Errorf("English: %s", en)
		}
		if _, err := app.OCOP(ctx, db, "99", "2026-02-20", ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown unit: %v", err)
		}
		all, _ := app.OCOP(ctx, db, "", "2026-02-20", "2025-01-01")
		if all.Certified.Five != 1 || all.Products != 5 {
			t.Errorf("country: %+v", all)
		}
		if got := app.OCOPText(app.OCOPFigures{}, "vi"); !strings.Contains(got, "chưa có sản phẩm") {
			t.Errorf("empty: %s", got)
		}
	})
}
