package ocop

import (
	"errors"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
)

func TestStars_AtEveryBandEdge(t *testing.T) {
	r := shippedRules(t)
	for _, id := range []string{"qd1048-2019", "qd148-2023"} {
		v, _ := r.Version(id)
		for _, c := range []struct {
			total float64
			want  int
		}{
			{0, 1}, {29.99, 1}, {30, 2}, {49.99, 2}, {50, 3}, {69.99, 3}, {70, 4}, {89.99, 4}, {90, 5}, {100, 5},
			{100.01, 0}, {-0.01, 0},
		} {
			if got := v.Stars(c.total); got != c.want {
				t.Errorf("%s: %v points: %d stars, want %d", id, c.total, got, c.want)
			}
		}
	}
}

// sheets makes one sheet per total (at most 95), split over the parts within the maxima of
// both 1048 and 148.
func sheets(totals ...float64) []Sheet {
	var out []Sheet
	for i, x := range totals {
		a := min(x, 35)
		b := min(x-a, 25)
		out = append(out, Sheet{Member: string(rune('a' + i)), A: a, B: b, C: x - a - b})
	}
	return out
}

// all148 confirms every mandatory condition of QĐ 148.
func all148(r *Rules) []string {
	v, _ := r.Version("qd148-2023")
	var ids []string
	for _, c := range v.Conditions {
		ids = append(ids, c.ID)
	}
	return ids
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

func TestEvaluate_AverageOfMembersGivesStars(t *testing.T) {
	r := shippedRules(t)
	all := all148(r)
	for _, c := range []struct {
		name       string
		level      Level
		date       string
		set        string
		totals     []float64
		conditions []string
		total      float64
		band       int
		stars      int
		certify    bool
		forward    Level
		reason     string // in the Vietnamese summary
	}{
		{"acceptance: 71, 69, 70 → 70 → 4 stars", LevelProvince, "2026-03-01", "1.3.b", []float64{71, 69, 70}, all, 70, 4, 4, true, "", "4 sao"},
		{"acceptance: a missing 3-star condition gives no certificate", LevelProvince, "2026-03-01", "1.3.b", []float64{71, 69, 70}, without(all, "kiem-nghiem"),
			70, 4, 2, false, "", "Chưa đạt điều kiện bắt buộc của hạng 3 sao: Có phiếu kết quả kiểm nghiệm sản phẩm"},
		{"a missing 4-star condition caps at 3", LevelProvince, "2026-03-01", "1.3.b", []float64{75, 80}, without(all, "truy-xuat-nguon-goc"),
			77.5, 4, 3, true, "", "giữ ở 3 sao"},
		{"a 5-star condition is not asked of a 4-star product", LevelProvince, "2026-03-01", "1.3.b", []float64{80}, without(all, "quan-ly-chat-luong"),
			80, 4, 4, true, "", "4 sao"},
		{"food safety is not asked of handicrafts", LevelProvince, "2026-03-01", "4.1.a", []float64{60}, without(all, "an-toan-thuc-pham"),
			60, 3, 3, true, "", "3 sao"},
		{"but is of food", LevelProvince, "2026-03-01", "1.1.a", []float64{60}, without(all, "an-toan-thuc-pham"),
			60, 3, 2, false, "", "an toàn thực phẩm"},
		{"exact average below an edge stays below", LevelProvince, "2026-03-01", "1.3.b", []float64{69.99, 70, 70}, all,
			69.99, 3, 3, true, "", "3 sao"},
		{"below 3 stars", LevelProvince, "2026-03-01", "1.3.b", []float64{45, 50}, all, 47.5, 2, 2, false, "", "dưới 3 sao"},
		{"5 stars go to the central council", LevelProvince, "2026-03-01", "1.3.b", []float64{92, 95}, all, 93.5, 5, 5, false, LevelCentral, "cấp trung ương"},
		{"4 stars in 2024 go from the district to the province", LevelDistrict, "2024-05-01", "1.3.b", []float64{72}, all, 72, 4, 4, false, LevelProvince, "cấp tỉnh"},
		{"3 stars in 2024 are the district's", LevelDistrict, "2024-05-01", "1.3.b", []float64{55}, all, 55, 3, 3, true, "", "3 sao"},
		{"1048 has no mandatory conditions before 781", LevelProvince, "2020-01-10", "1.3.b", []float64{65}, nil, 65, 3, 3, true, "", "3 sao"},
		{"no sheet yet", LevelProvince, "2026-03-01", "1.3.b", nil, all, 0, 0, 0, false, "", "Chưa có phiếu chấm"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := &Evaluation{Level: c.level, Date: unitsDate(c.date), ProductSet: c.set, Sheets: sheets(c.totals...), Conditions: c.conditions}
			o, err := r.Evaluate(e)
			if err != nil {
				t.Fatal(err)
			}
			sum := o.Summary().VI
			if o.Total != c.total || o.BandStars != c.band || o.Stars != c.stars || o.Certifiable != c.certify || o.Forward != c.forward || !strings.Contains(sum, c.reason) {
				t.Errorf("total %v band %d stars %d certifiable %v forward %q: %s", o.Total, o.BandStars, o.Stars, o.Certifiable, o.Forward, sum)
			}
			if o.Summary().EN == "" || strings.Contains(o.Summary().EN, "sao") {
				t.Errorf("English summary: %q", o.Summary().EN)
			}
		})
	}
}

func TestEvaluate_CapSaysUnverified(t *testing.T) {
	r := shippedRules(t)
	o, _ := r.Evaluate(&Evaluation{Level: LevelProvince, Date: "2026-03-01", ProductSet: "1.3.b", Sheets: sheets(71, 69, 70)})
	if !o.Unverified || !strings.Contains(o.Summary().VI, "chưa đối chiếu văn bản") || len(o.Missing) == 0 {
		t.Errorf("an unverified cap must say so: %+v", o)
	}
}

func TestCheckSheet_PartsOutsideTheirMaximumAreRefused(t *testing.T) {
	r := shippedRules(t)
	v148, _ := r.Version("qd148-2023")
	v1048, _ := r.Version("qd1048-2019")
	for _, c := range []struct {
		name    string
		v       *Version
		s       Sheet
		field   string
		message string
	}{
		{"A above 40 under 148", v148, Sheet{Member: "x", A: 40.5, B: 20, C: 30}, "a", "Phần A"},
		{"C above 35 under 148", v148, Sheet{Member: "x", A: 30, B: 20, C: 36}, "c", "vượt điểm tối đa 35"},
		{"C of 40 is fine under 1048", v1048, Sheet{Member: "x", A: 30, B: 20, C: 40}, "", ""},
		{"A above 35 under 1048", v1048, Sheet{Member: "x", A: 36, B: 20, C: 30}, "a", "tối đa 35"},
		{"negative B", v148, Sheet{Member: "x", A: 30, B: -1, C: 30}, "b", "số âm"},
		{"three decimals", v148, Sheet{Member: "x", A: 30.125, B: 1, C: 1}, "a", "hai chữ số"},
		{"no member", v148, Sheet{A: 1}, "member", "thành viên"},
		{"at the maxima", v148, Sheet{Member: "x", A: 40, B: 25, C: 35}, "", ""},
	} {
		s := c.s
		err := c.v.CheckSheet(&s)
		var fe *fault.Error
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Words.VI, c.message)):
			t.Errorf("%s: %v", c.name, err)
		}
	}
	s := Sheet{Member: "x", A: 30.1, B: 20.2, C: 19.7}
	if err := v148.CheckSheet(&s); err != nil || s.Total != 70 {
		t.Errorf("total of parts: %v %v", s.Total, err)
	}
	if _, err := r.Evaluate(&Evaluation{Date: "2026-01-01", Level: LevelProvince, Sheets: []Sheet{{Member: "x", A: 41}}}); err == nil {
		t.Error("Evaluate took a sheet above a part's maximum")
	}
}

func TestCheckEvaluation(t *testing.T) {
	r := shippedRules(t)
	e := &Evaluation{Date: "2024-03-01"}
	if err := r.CheckEvaluation(e); err != nil || e.Rules != "qd148-2023" || e.Level != LevelDistrict {
		t.Errorf("defaults in 2024: %+v %v", e, err)
	}
	e = &Evaluation{Date: "2026-03-01"}
	if err := r.CheckEvaluation(e); err != nil || e.Level != LevelProvince {
		t.Errorf("defaults in 2026: %+v %v", e, err)
	}
	for _, bad := range []*Evaluation{
		{Date: "2025-08-01", Level: LevelDistrict},
		{Date: "2026-01-01", Level: "commune"},
		{Date: "2026-01-01", Conditions: []string{"no-such"}},
		{Date: "01/01/2026"},
		{Date: "2018-01-01"},
	} {
		if err := r.CheckEvaluation(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
