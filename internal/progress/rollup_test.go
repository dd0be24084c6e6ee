package progress

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// nationalSet is the 19 criteria of the commune set 2021-2025.
var nationalSet = []Criterion{
	{1, "Quy hoạch"}, {2, "Giao thông"}, {3, "Thủy lợi và phòng, chống thiên tai"}, {4, "Điện"},
	{5, "Trường học"}, {6, "Cơ sở vật chất văn hóa"}, {7, "Cơ sở hạ tầng thương mại nông thôn"},
	{8, "Thông tin và Truyền thông"}, {9, "Nhà ở dân cư"}, {10, "Thu nhập"}, {11, "Nghèo đa chiều"},
	{12, "Lao động"}, {13, "Tổ chức sản xuất và phát triển kinh tế nông thôn"},
	{14, "Giáo dục và Đào tạo"}, {15, "Y tế"}, {16, "Văn hóa"}, {17, "Môi trường và an toàn thực phẩm"},
	{18, "Hệ thống chính trị và tiếp cận pháp luật"}, {19, "Quốc phòng và An ninh"},
}

// lackOrder is the order in which the test communes miss criteria: a commune meeting k criteria
// misses the first 19-k.
var lackOrder = []int{17, 13, 10, 11, 18, 6, 5, 15, 2, 9, 3, 14, 7, 12, 16, 4, 8, 19, 1}

// metExcept returns 1..19 without the given numbers.
func metExcept(lacking ...int) []int {
	var met []int
	for n := 1; n <= 19; n++ {
		if !slices.Contains(lacking, n) {
			met = append(met, n)
		}
	}
	return met
}

func commune(code string, k int) Entry {
	return Entry{
		Unit:     Unit{Code: code, Name: "Xã " + code, Path: []string{"D"}},
		Assessed: true, Period: "2025", Status: "approved",
		CriteriaMet: metExcept(lackOrder[:19-k]...), CriteriaTotal: 19,
		IndicatorsMet: 3 * k, IndicatorsTotal: 57, Met: k == 19,
	}
}

// acceptanceDistrict is a district of 20 communes: c01-c19 assessed in 2025 with the counts
// below, c20 never assessed. c04 fell back from 19 (it lost criterion 17), c05 rose from 15 to
// 17, c10 kept 14 but swapped criterion 18 for 6.
func acceptanceDistrict() []Entry {
	counts := []int{19, 19, 19, 18, 17, 17, 16, 15, 15, 14, 14, 13, 12, 12, 11, 10, 9, 8, 5}
	var es []Entry
	for i, k := range counts {
		code := "c" + string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
		es = append(es, commune(code, k))
	}
	for i := range es {
		switch {
		case i >= 18:
			es[i].Status = "draft"
		case i >= 17:
			es[i].Status = "returned"
		case i >= 14:
			es[i].Status = "submitted"
		case i >= 10:
			es[i].Status = "verified"
		}
	}
	es[0].Recognized, es[1].Recognized, es[3].Recognized = true, true, true
	es[3].Previous = &Entry{Assessed: true, Period: "2024", Status: "approved", CriteriaMet: metExcept(),
		CriteriaTotal: 19, IndicatorsMet: 57, IndicatorsTotal: 57, Met: true, Recognized: true}
	es[4].Previous = &Entry{Assessed: true, Period: "2024", Status: "approved",
		CriteriaMet: metExcept(17, 13, 10, 11), CriteriaTotal: 19, IndicatorsMet: 45, IndicatorsTotal: 57}
	es[9].Previous = &Entry{Assessed: true, Period: "2024-H1", Status: "approved",
		CriteriaMet: metExcept(17, 13, 10, 11, 6), CriteriaTotal: 19, IndicatorsMet: 42, IndicatorsTotal: 57}
	es = append(es, Entry{Unit: Unit{Code: "c20", Name: "Xã c20", Path: []string{"D"}},
		CriteriaTotal: 19, IndicatorsTotal: 57})
	return es
}

var district = Unit{Code: "D", Name: "Huyện Mẫu"}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestRollup_AcceptanceDistrict(t *testing.T) {
	r := Rollup(district, nationalSet, acceptanceDistrict(), Options{})

	ints := []struct {
		name      string
		got, want int
	}{
		{"units_total", r.UnitsTotal, 20},
		{"units_assessed", r.UnitsAssessed, 19},
		{"units_not_assessed", r.UnitsNotAssessed, 1},
		{"units_met", r.UnitsMet, 3},
		{"units_recognized", r.UnitsRecognized, 3},
		{"criteria_total", r.CriteriaTotal, 19},
		// 19+19+19+18+17+17+16+15+15+14+14+13+12+12+11+10+9+8+5
		{"criteria_met_sum", r.CriteriaMetSum, 263},
		{"indicators_total", r.IndicatorsTotal, 57},
		{"indicators_met_sum", r.IndicatorsMetSum, 789}, // 3 × 263
	}
	for _, f := range ints {
		if f.got != f.want {
			t.Errorf("%s = %d, want %d", f.name, f.got, f.want)
		}
	}
	floats := []struct {
		name      string
		got, want float64
	}{
		{"criteria_met_avg", r.CriteriaMetAvg, 13.842105263157896},     // 263 / 19, c20 not counted
		{"indicators_met_avg", r.IndicatorsMetAvg, 41.526315789473685}, // 789 / 19
		{"indicators_met_pct", r.IndicatorsMetPct, 72.85318559556787},  // 789 / (19 × 57) × 100
	}
	for _, f := range floats {
		if !near(f.got, f.want) {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}

	wantDist := map[string]int{"19": 3, "18": 1, "17": 2, "16": 1, "15": 2, "14": 2, "13": 1, "12": 2,
		"11": 1, "10": 1, "9": 1, "8": 1, "5": 1}
	if !reflect.DeepEqual(r.Distribution, wantDist) {
		t.Errorf("distribution = %v, want %v", r.Distribution, wantDist)
	}
	wantBands := []BandCount{
		{Band{"19", 19, 19}, 3}, {Band{"15-18", 15, 18}, 6}, {Band{"10-14", 10, 14}, 7},
		{Band{"5-9", 5, 9}, 3}, {Band{"<5", 0, 4}, 0},
	}
	if !reflect.DeepEqual(r.Bands, wantBands) {
		t.Errorf("bands = %v, want %v", r.Bands, wantBands)
	}
	wantStatus := StatusCounts{Draft: 1, Submitted: 3, Verified: 4, Returned: 1, Approved: 10}
	if r.ByStatus != wantStatus {
		t.Errorf("by_status = %+v, want %+v", r.ByStatus, wantStatus)
	}
	if want := []UnitRef{{"c20", "Xã c20"}}; !reflect.DeepEqual(r.NotAssessed, want) {
		t.Errorf("not_assessed = %v, want %v", r.NotAssessed, want)
	}

	// Criterion → units meeting it, counted by hand from lackOrder.
	wantMet := map[int]int{17: 3, 13: 4, 10: 6, 11: 7, 18: 9, 6: 11, 5: 12, 15: 14, 2: 15, 9: 16, 3: 17,
		14: 18, 7: 18, 12: 18, 16: 19, 4: 19, 8: 19, 19: 19, 1: 19}
	if len(r.ByCriterion) != 19 {
		t.Fatalf("by_criterion has %d rows, want 19", len(r.ByCriterion))
	}
	for i, row := range r.ByCriterion {
		if row.Number != i+1 || row.UnitsMet != wantMet[row.Number] || row.UnitsNotMet != 19-wantMet[row.Number] {
			t.Errorf("by_criterion[%d] = %+v, want number %d, %d met", i, row, i+1, wantMet[i+1])
		}
	}
	if row := r.ByCriterion[16]; row.Name != "Môi trường và an toàn thực phẩm" || !near(row.Share, 15.789473684210526) {
		t.Errorf("criterion 17 = %+v, want share 3/19 = 15.79 %%", row)
	}
	var weakest []int
	for _, row := range r.Weakest {
		weakest = append(weakest, row.Number)
	}
	// Fewest first; 7, 12, 14 tie at 18 and 1, 4, 8, 16, 19 at 19: by number.
	if want := []int{17, 13, 10, 11, 18, 6, 5, 15, 2, 9, 3, 7, 12, 14, 1, 4, 8, 16, 19}; !slices.Equal(weakest, want) {
		t.Errorf("weakest = %v, want %v", weakest, want)
	}

	wantFell := []FellBack{
		{Code: "c04", Name: "Xã c04", Lost: []int{17}, Period: "2025", PreviousPeriod: "2024"},
		{Code: "c10", Name: "Xã c10", Lost: []int{18}, Period: "2025", PreviousPeriod: "2024-H1"},
	}
	if !reflect.DeepEqual(r.FellBack, wantFell) {
		t.Errorf("fell_back = %+v, want %+v", r.FellBack, wantFell)
	}
	// One assessment ago: c04 had 19 and met the set, c05 had 15, c10 had 14; the rest as now.
	// 263 - 18 + 19 - 17 + 15 = 262; indicators 789 - 54 + 57 - 51 + 45 - 42 + 42 = 786.
	wantPrev := Figures{UnitsMet: 4, CriteriaMetSum: 262, CriteriaMetAvg: 13.789473684210526,
		IndicatorsMetSum: 786, UnitsRecognized: 3}
	wantDelta := Figures{UnitsMet: -1, CriteriaMetSum: 1, CriteriaMetAvg: 0.05263157894736842,
		IndicatorsMetSum: 3, UnitsRecognized: 0}
	for _, f := range []struct {
		name      string
		got, want Figures
	}{{"previous", r.Previous, wantPrev}, {"delta", r.Delta, wantDelta}} {
		if f.got.UnitsMet != f.want.UnitsMet || f.got.CriteriaMetSum != f.want.CriteriaMetSum ||
			f.got.IndicatorsMetSum != f.want.IndicatorsMetSum || f.got.UnitsRecognized != f.want.UnitsRecognized ||
			!near(f.got.CriteriaMetAvg, f.want.CriteriaMetAvg) {
			t.Errorf("%s = %+v, want %+v", f.name, f.got, f.want)
		}
	}

	vi, en := r.Text("vi"), r.Text("en")
	for _, want := range []string{
		"Huyện Mẫu: 20 xã (19 xã đã đánh giá, 01 xã chưa đánh giá); 03 xã đạt chuẩn (03 xã đã được công nhận); tổng 263 tiêu chí, bình quân 13,84 tiêu chí/xã; 41,53/57 chỉ tiêu, đạt 72,9%.\n",
		"Phân bố: 03 xã đạt 19 tiêu chí, 01 xã đạt 18 tiêu chí, 02 xã đạt 17 tiêu chí, 01 xã đạt 16 tiêu chí, 02 xã đạt 15 tiêu chí, 02 xã đạt 14 tiêu chí, 01 xã đạt 13 tiêu chí, 02 xã đạt 12 tiêu chí, 01 xã đạt 11 tiêu chí, 01 xã đạt 10 tiêu chí, 01 xã đạt 9 tiêu chí, 01 xã đạt 8 tiêu chí, 01 xã đạt 5 tiêu chí.\n",
		"Theo nhóm: 19 tiêu chí: 03 xã; 15-18 tiêu chí: 06 xã; 10-14 tiêu chí: 07 xã; 5-9 tiêu chí: 03 xã; dưới 5 tiêu chí: 0 xã.\n",
		"Tiêu chí đạt thấp nhất: 17. Môi trường và an toàn thực phẩm: 03/19 xã (15,8%); 13. Tổ chức sản xuất và phát triển kinh tế nông thôn: 04/19 xã (21,1%); 10. Thu nhập: 06/19 xã (31,6%); 11. Nghèo đa chiều: 07/19 xã (36,8%); 18. Hệ thống chính trị và tiếp cận pháp luật: 09/19 xã (47,4%).\n",
		"So với lần đánh giá trước: -1 xã đạt chuẩn, 0 xã được công nhận, +1 tiêu chí, bình quân +0,05 tiêu chí/xã, +3 chỉ tiêu.\n",
		"Theo đơn vị:\n- Xã c01: 19/19 tiêu chí; đạt chuẩn; đã được công nhận; 57/57 chỉ tiêu\n",
		"- Xã c04: 18/19 tiêu chí; đã được công nhận; 54/57 chỉ tiêu\n",
		"- Xã c20: chưa đánh giá\n",
		"Chưa đánh giá (01 xã): Xã c20.\n",
		"Giảm tiêu chí (02 xã): Xã c04 (mất tiêu chí 17; năm 2024 → năm 2025); Xã c10 (mất tiêu chí 18; 6 tháng đầu năm 2024 → năm 2025).\n",
	} {
		if !strings.Contains(vi, want) {
			t.Errorf("Vietnamese text lacks\n%s\ntext:\n%s", want, vi)
		}
	}
	for _, want := range []string{
		"Huyện Mẫu: 20 communes (19 assessed, 1 not assessed); 3 meet the set (3 recognised); 263 criteria met in total, 13.84 per commune on average; 41.53/57 indicators, 72.9%.\n",
		"Distribution: 3 communes meet 19 criteria, 1 commune meets 18 criteria,",
		"Bands: 19 criteria: 3 communes; 15-18 criteria: 6 communes;",
		"Weakest criteria: 17. Môi trường và an toàn thực phẩm: 3/19 communes (15.8%);",
		"Since the previous assessment: -1 communes meeting the set, 0 recognised, +1 criteria, +0.05 per commune on average, +3 indicators.\n",
		"- Xã c04: 18/19 criteria; recognised; 54/57 indicators\n",
		"Not assessed (1): Xã c20.\n",
		"Fell back (2): Xã c04 (lost criteria 17; 2024 → 2025);",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("English text lacks\n%s\ntext:\n%s", want, en)
		}
	}
}

// The figures of SPEC §1.4: 18 communes, 212 criteria, 938 indicators of 57 each.
func TestText_SpecHeadline(t *testing.T) {
	counts := []int{19, 19, 19, 19, 19, 19, 19, 19, 19, 8, 7, 6, 5, 5, 4, 3, 2, 1}
	indicators := []int{57, 57, 57, 57, 57, 57, 57, 57, 57, 50, 49, 48, 47, 47, 46, 46, 46, 46}
	var es []Entry
	for i, k := range counts {
		e := commune(string(rune('a'+i)), k)
		e.IndicatorsMet = indicators[i]
		es = append(es, e)
	}
	r := Rollup(Unit{Code: "D"}, nationalSet, es, Options{})
	tests := []struct{ lang, want string }{
		{"vi", "18 xã; 09 xã đạt chuẩn; tổng 212 tiêu chí, bình quân 11,78 tiêu chí/xã; 52,11/57 chỉ tiêu, đạt 91,4%.\n"},
		{"", "18 xã; 09 xã đạt chuẩn; tổng 212 tiêu chí, bình quân 11,78 tiêu chí/xã; 52,11/57 chỉ tiêu, đạt 91,4%.\n"},
		{"en", "18 communes; 9 meet the set; 212 criteria met in total, 11.78 per commune on average; 52.11/57 indicators, 91.4%.\n"},
	}
	for _, tt := range tests {
		if got, _, _ := strings.Cut(r.Text(tt.lang), "Phân bố"); tt.lang != "en" && got != tt.want {
			t.Errorf("Text(%q) headline = %q, want %q", tt.lang, got, tt.want)
		}
		if got, _, _ := strings.Cut(r.Text(tt.lang), "Distribution"); tt.lang == "en" && got != tt.want {
			t.Errorf("Text(%q) headline = %q, want %q", tt.lang, got, tt.want)
		}
	}
	if r.CriteriaMetSum != 212 || r.IndicatorsMetSum != 938 {
		t.Errorf("sums = %d, %d, want 212, 938", r.CriteriaMetSum, r.IndicatorsMetSum)
	}
}

func TestText_UnitNoun(t *testing.T) {
	es := []Entry{commune("h1", 9), commune("h2", 8)}
	for i := range es {
		es[i].CriteriaMet, es[i].CriteriaTotal, es[i].IndicatorsTotal, es[i].IndicatorsMet = es[i].CriteriaMet[:9-i], 9, 0, 0
	}
	r := Rollup(Unit{Code: "P", Name: "Tỉnh Mẫu"}, nationalSet[:9], es, Options{UnitNoun: "huyện"})
	for _, tt := range []struct{ lang, want string }{
		{"vi", "Tỉnh Mẫu: 02 huyện; 0 huyện đạt chuẩn; tổng 17 tiêu chí, bình quân 8,50 tiêu chí/huyện.\n"},
		{"en", "Tỉnh Mẫu: 2 districts; 0 meet the set; 17 criteria met in total, 8.50 per district on average.\n"},
	} {
		if got := r.Text(tt.lang); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Text(%q) =\n%s\nwant it to start with\n%s", tt.lang, got, tt.want)
		}
	}
}

func TestRollup_NotAssessedDoNotLowerAverage(t *testing.T) {
	assessed := []Entry{commune("a", 19), commune("b", 10), commune("c", 4)} // 33 criteria
	tests := []struct {
		name        string
		notAssessed int
	}{{"all assessed", 0}, {"one not assessed", 1}, {"most not assessed", 7}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := slices.Clone(assessed)
			for i := range tt.notAssessed {
				es = append(es, Entry{Unit: Unit{Code: "z" + string(rune('0'+i)), Name: "Xã mới"}, IndicatorsTotal: 57})
			}
			r := Rollup(district, nationalSet, es, Options{})
			if r.UnitsTotal != 3+tt.notAssessed || r.UnitsAssessed != 3 || len(r.NotAssessed) != tt.notAssessed {
				t.Errorf("total %d, assessed %d, not assessed %v", r.UnitsTotal, r.UnitsAssessed, r.NotAssessed)
			}
			if r.CriteriaMetSum != 33 || !near(r.CriteriaMetAvg, 11) {
				t.Errorf("sum %d, average %v, want 33, 11", r.CriteriaMetSum, r.CriteriaMetAvg)
			}
			if _, ok := r.Distribution["0"]; ok {
				t.Errorf("units not assessed counted as meeting 0 criteria: %v", r.Distribution)
			}
			if got := r.ByCriterion[0].UnitsNotMet; got != 0 { // criterion 1 is met by all three
				t.Errorf("criterion 1 units_not_met = %d, want 0", got)
			}
		})
	}
}

func TestRollup_NothingAssessed(t *testing.T) {
	es := []Entry{{Unit: Unit{Code: "b", Name: "Xã B"}}, {Unit: Unit{Code: "a", Name: "Xã A"}, Recognized: true}}
	r := Rollup(district, nationalSet, es, Options{})
	if r.UnitsTotal != 2 || r.UnitsAssessed != 0 || r.CriteriaMetAvg != 0 || r.IndicatorsMetPct != 0 {
		t.Errorf("report = %+v", r)
	}
	if r.UnitsRecognized != 1 || r.Previous.UnitsRecognized != 1 {
		t.Errorf("recognised = %d, previous %d; a decision counts without an assessment", r.UnitsRecognized, r.Previous.UnitsRecognized)
	}
	if want := []UnitRef{{"a", "Xã A"}, {"b", "Xã B"}}; !reflect.DeepEqual(r.NotAssessed, want) {
		t.Errorf("not_assessed = %v, want %v (code order)", r.NotAssessed, want)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("marshal: %v", err)
	}
	want := "Huyện Mẫu: 02 xã (0 xã đã đánh giá, 02 xã chưa đánh giá); chưa có đánh giá.\n"
	if got := r.Text("vi"); !strings.HasPrefix(got, want) || strings.Contains(got, "bình quân") {
		t.Errorf("Text =\n%s\nwant it to start with\n%s", got, want)
	}
}

func TestRollup_FellBack(t *testing.T) {
	tests := []struct {
		name      string
		now, prev []int
		want      []int // nil: not fallen back
	}{
		{"lost one", metExcept(17), metExcept(), []int{17}},
		{"lost two, gained one", metExcept(2, 5), metExcept(9), []int{2, 5}},
		{"gained only", metExcept(), metExcept(3, 4), nil},
		{"unchanged", metExcept(3), metExcept(3), nil},
		{"previous out of order", []int{1, 3}, []int{3, 2, 1}, []int{2}},
		{"lost all", nil, []int{1, 2}, []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := commune("x", 19)
			e.CriteriaMet = tt.now
			e.Previous = &Entry{Assessed: true, Period: "2024", CriteriaMet: tt.prev}
			r := Rollup(district, nationalSet, []Entry{e}, Options{})
			var got []int
			if len(r.FellBack) == 1 {
				got = r.FellBack[0].Lost
			}
			if len(r.FellBack) > 1 || !slices.Equal(got, tt.want) {
				t.Errorf("fell_back = %+v, want lost %v", r.FellBack, tt.want)
			}
		})
	}
}

func TestRollup_Children(t *testing.T) {
	prov := Unit{Code: "P", Name: "Tỉnh Mẫu"}
	in := func(code string, k int, path ...string) Entry {
		e := commune(code, k)
		e.Unit.Path = path
		return e
	}
	es := []Entry{
		in("x1", 19, "P", "003"), in("x2", 10, "P", "003"),
		in("y1", 15, "001"), // a path may start below the root
		in("y2", 5, "P", "001"),
		{Unit: Unit{Code: "y3", Name: "Xã y3", Path: []string{"P", "001"}}},
	}
	children := []Unit{{Code: "003", Name: "Huyện Ba"}, {Code: "001", Name: "Huyện Một"}, {Code: "002", Name: "Huyện Hai"}}

	r := Rollup(prov, nationalSet, es, Options{Children: children})
	type fig struct {
		Code, Name                    string
		Total, Assessed, Met, CritSum int
		Avg                           float64
		NotAssessed                   int
	}
	var got []fig
	for _, c := range r.Children {
		got = append(got, fig{c.Code, c.Name, c.UnitsTotal, c.UnitsAssessed, c.UnitsMet, c.CriteriaMetSum,
			c.CriteriaMetAvg, len(c.NotAssessed)})
		if c.Children != nil {
			t.Errorf("child %s has children %v", c.Code, c.Children)
		}
	}
	want := []fig{
		{"001", "Huyện Một", 3, 2, 0, 20, 10, 1},
		{"002", "Huyện Hai", 0, 0, 0, 0, 0, 0}, // listed, no communes
		{"003", "Huyện Ba", 2, 2, 1, 29, 14.5, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("children =\n%+v\nwant\n%+v", got, want)
	}
	if r.UnitsTotal != 5 || r.CriteriaMetSum != 49 {
		t.Errorf("root: %d units, %d criteria, want 5, 49", r.UnitsTotal, r.CriteriaMetSum)
	}
	text := r.Text("vi")
	for _, want := range []string{
		"Theo đơn vị:\n",
		"- Huyện Một: 03 xã (01 xã chưa đánh giá); 0 xã đạt chuẩn; bình quân 10,00 tiêu chí/xã; chỉ tiêu đạt 52,6%\n",
		"- Huyện Hai: 0 xã\n",
		"- Huyện Ba: 02 xã; 01 xã đạt chuẩn; bình quân 14,50 tiêu chí/xã; chỉ tiêu đạt 76,3%\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}

	t.Run("no children", func(t *testing.T) {
		if r := Rollup(prov, nationalSet, es, Options{ChildLevel: -1}); r.Children != nil {
			t.Errorf("children = %v, want none", r.Children)
		}
	})
	t.Run("names from entries, units directly below the root are their own group", func(t *testing.T) {
		r := Rollup(district, nationalSet, []Entry{commune("b", 12), commune("a", 11)}, Options{})
		if len(r.Children) != 2 || r.Children[0].Code != "a" || r.Children[0].Name != "Xã a" || r.Children[0].CriteriaMetSum != 11 {
			t.Errorf("children = %+v", r.Children)
		}
	})
	t.Run("second level", func(t *testing.T) {
		nation := []Entry{in("x1", 19, "VN", "P", "003"), in("x2", 10, "VN", "P", "003"), in("y1", 15, "VN", "Q", "001")}
		r := Rollup(Unit{Code: "VN"}, nationalSet, nation, Options{ChildLevel: 2})
		var codes []string
		for _, c := range r.Children {
			codes = append(codes, c.Code+":"+string(rune('0'+c.UnitsTotal)))
		}
		if want := []string{"001:1", "003:2"}; !slices.Equal(codes, want) {
			t.Errorf("children = %v, want %v", codes, want)
		}
	})
}

func TestDefaultBands(t *testing.T) {
	tests := []struct {
		total int
		want  []Band
	}{
		{19, []Band{{"19", 19, 19}, {"15-18", 15, 18}, {"10-14", 10, 14}, {"5-9", 5, 9}, {"<5", 0, 4}}},
		{9, []Band{{"9", 9, 9}, {"5-8", 5, 8}, {"<5", 0, 4}}},
		{16, []Band{{"16", 16, 16}, {"15", 15, 15}, {"10-14", 10, 14}, {"5-9", 5, 9}, {"<5", 0, 4}}},
		{5, []Band{{"5", 5, 5}, {"<5", 0, 4}}},
		{3, []Band{{"3", 3, 3}, {"<3", 0, 2}}},
		{1, []Band{{"1", 1, 1}, {"<1", 0, 0}}},
		{0, []Band{{"0", 0, 0}}},
	}
	for _, tt := range tests {
		if got := DefaultBands(tt.total); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DefaultBands(%d) = %v, want %v", tt.total, got, tt.want)
		}
	}
}

func TestRollup_CustomBands(t *testing.T) {
	bands := []Band{{"Đạt chuẩn", 19, 19}, {"Gần đạt", 17, 18}, {"Còn lại", 0, 16}}
	r := Rollup(district, nationalSet, acceptanceDistrict(), Options{Bands: bands})
	want := []BandCount{{bands[0], 3}, {bands[1], 3}, {bands[2], 13}}
	if !reflect.DeepEqual(r.Bands, want) {
		t.Errorf("bands = %v, want %v", r.Bands, want)
	}
	if text := r.Text("vi"); !strings.Contains(text, "Theo nhóm: 19 tiêu chí: 03 xã; 17-18 tiêu chí: 03 xã; dưới 17 tiêu chí: 13 xã.") {
		t.Errorf("text:\n%s", text)
	}
}

func TestRollup_IndicatorAverages(t *testing.T) {
	es := []Entry{commune("a", 19), commune("b", 12), commune("c", 10), {Unit: Unit{Code: "d"}}}
	es[0].Values = map[string]float64{"10.1": 72.5, "11.1": 1.2}
	es[1].Values = map[string]float64{"10.1": 60.5}
	r := Rollup(district, nationalSet, es, Options{})
	if want := map[string]float64{"10.1": 66.5, "11.1": 1.2}; !reflect.DeepEqual(r.IndicatorAvg, want) {
		t.Errorf("indicator_avg = %v, want %v", r.IndicatorAvg, want)
	}
}

// The JSON names are the contract of GET /api/v1/progress.
func TestReport_JSONFields(t *testing.T) {
	r := Rollup(district, nationalSet, acceptanceDistrict(), Options{})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"code", "name", "units_total", "units_assessed", "units_not_assessed", "not_assessed",
		"units_met", "units_recognized", "criteria_total", "criteria_met_sum", "criteria_met_avg",
		"indicators_total", "indicators_met_sum", "indicators_met_avg", "indicators_met_pct", "distribution",
		"bands", "by_criterion", "weakest", "by_status", "pending", "children", "fell_back", "previous", "delta"}
	var got []string
	for k := range m {
		got = append(got, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("keys = %v\nwant %v", got, want)
	}
	for key, want := range map[string]string{
		"distribution":       `{"10":1,"11":1,"12":2,"13":1,"14":2,"15":2,"16":1,"17":2,"18":1,"19":3,"5":1,"8":1,"9":1}`,
		"by_status":          `{"draft":1,"submitted":3,"verified":4,"returned":1,"approved":10}`,
		"not_assessed":       `[{"code":"c20","name":"Xã c20"}]`,
		"criteria_met_avg":   `13.842105263157896`,
		"previous":           `{"units_met":4,"criteria_met_sum":262,"criteria_met_avg":13.789473684210526,"indicators_met_sum":786,"units_recognized":3}`,
		"criteria_met_sum":   `263`,
		"indicators_met_pct": `72.85318559556787`,
	} {
		if got := string(m[key]); got != want {
			t.Errorf("%s = %s, want %s", key, got, want)
		}
	}
	for _, key := range []string{"bands", "by_criterion", "weakest", "fell_back", "children"} {
		var rows []map[string]any
		if err := json.Unmarshal(m[key], &rows); err != nil || len(rows) == 0 {
			t.Errorf("%s = %s", key, m[key])
		}
	}
	if got := string(m["bands"]); !strings.HasPrefix(got, `[{"label":"19","min":19,"max":19,"units":3},`) {
		t.Errorf("bands = %s", got)
	}
	if got := string(m["fell_back"]); !strings.HasPrefix(got, `[{"code":"c04","name":"Xã c04","lost":[17],"period":"2025","previous_period":"2024"}`) {
		t.Errorf("fell_back = %s", got)
	}
	if got := string(m["weakest"]); !strings.HasPrefix(got, `[{"number":17,"name":"Môi trường và an toàn thực phẩm","units_met":3,"units_not_met":16,"share":15.789473684210526}`) {
		t.Errorf("weakest = %s", got)
	}

	empty, _ := json.Marshal(Rollup(district, nil, nil, Options{}))
	for _, key := range []string{`"not_assessed":[]`, `"bands":[`, `"by_criterion":[]`, `"weakest":[]`, `"fell_back":[]`, `"distribution":{}`} {
		if !strings.Contains(string(empty), key) {
			t.Errorf("empty report lacks %s: %s", key, empty)
		}
	}
}
