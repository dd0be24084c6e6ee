package report

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/units"
)

func TestLabels_SameKeys(t *testing.T) {
	ls, err := labels()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := slices.Sorted(maps.Keys(ls["vi"])), slices.Sorted(maps.Keys(ls["en"]))
	for _, k := range vi {
		if _, ok := ls["en"][k]; !ok {
			t.Errorf("labels.en.yaml lacks %q", k)
		}
	}
	for _, k := range en {
		if _, ok := ls["vi"][k]; !ok {
			t.Errorf("labels.vi.yaml lacks %q", k)
		}
	}
	if len(vi) < 100 {
		t.Errorf("only %d labels: is the file read?", len(vi))
	}
	// Every metric a target can be set on has a name in the bulletin.
	metrics := append([]string{progress.MetricUnitsMet, progress.MetricUnitsRecognized, progress.MetricCriteriaMetAvg,
		progress.MetricIndicatorsMetPct, progress.MetricShareMet, app.MetricRecognitionsNew, app.MetricUnitsAtRisk,
		app.MetricDossiersOverdue}, app.OCOPMetrics...)
	for _, m := range append(metrics, app.ResourceMetrics()...) {
		for _, lang := range Langs {
			if !hasLabel(lang, "metric."+m) {
				t.Errorf("labels.%s.yaml names no metric %s", lang, m)
			}
		}
	}
}

func TestNewPeriod(t *testing.T) {
	for _, c := range []struct {
		period string
		asOf   units.Date
		want   Period
		vi, en string
		err    string
	}{
		{period: "2026-Q2", want: Period{Text: "2026-Q2", Start: "2026-04-01", End: "2026-06-30", AsOf: "2026-06-30", Before: "2026-03-31"},
			vi: "Quý II/2026", en: "Q2 2026"},
		{period: "2026-h1", want: Period{Text: "2026-H1", Start: "2026-01-01", End: "2026-06-30", AsOf: "2026-06-30", Before: "2025-12-31"},
			vi: "6 tháng đầu năm 2026", en: "first half of 2026"},
		{period: "2025", asOf: "2025-09-15", want: Period{Text: "2025", Start: "2025-01-01", End: "2025-12-31", AsOf: "2025-09-15", Before: "2024-12-31"},
			vi: "năm 2025", en: "2025"},
		{period: "2026-04", want: Period{Text: "2026-04", Start: "2026-04-01", End: "2026-04-30", AsOf: "2026-04-30", Before: "2026-03-31"},
			vi: "tháng 4/2026", en: "April 2026"},
		{asOf: "2024-03-01", want: Period{Text: "2024", Start: "2024-01-01", End: "2024-12-31", AsOf: "2024-03-01", Before: "2023-12-31"},
			vi: "năm 2024", en: "2024"},
		{period: "2026-Q2", asOf: "2026-07-01", err: "nằm ngoài kỳ"},
		// A period not over yet is reported as of today (2026-11-22 in these cases).
		{period: "2026", want: Period{Text: "2026", Start: "2026-01-01", End: "2026-12-31", AsOf: "2026-11-22", Before: "2025-12-31"},
			vi: "năm 2026", en: "2026"},
		{period: "2026-Q4", asOf: "2026-12-01", want: Period{Text: "2026-Q4", Start: "2026-10-01", End: "2026-12-31", AsOf: "2026-12-01", Before: "2026-09-30"},
			vi: "Quý IV/2026", en: "Q4 2026"},
		{period: "2027", want: Period{Text: "2027", Start: "2027-01-01", End: "2027-12-31", AsOf: "2027-12-31", Before: "2026-12-31"},
			vi: "năm 2027", en: "2027"},
		{period: "Q2", err: "Quý II/2026"}, // the message lists the accepted forms
		// Offices' own words, and the first months of a year (cumulative from 1 January).
		{period: "quý II năm 2026", want: Period{Text: "2026-Q2", Start: "2026-04-01", End: "2026-06-30", AsOf: "2026-06-30", Before: "2026-03-31"},
			vi: "Quý II/2026", en: "Q2 2026"},
		{period: "8 tháng đầu năm 2023", want: Period{Text: "2023-M8", Start: "2023-01-01", End: "2023-08-31", AsOf: "2023-08-31", Before: "2022-12-31"},
			vi: "8 tháng đầu năm 2023", en: "first 8 months of 2023"},
	} {
		got, err := newPeriod(c.period, c.asOf, "2026-11-22")
		if c.err != "" {
			if f, ok := fault.As(err); !ok || f.Code != fault.InvalidValue || f.Field == "" || !strings.Contains(f.Message("vi"), c.err) {
				t.Errorf("NewPeriod(%q, %q): %v, want an error saying %q", c.period, c.asOf, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("NewPeriod(%q, %q) = %+v, %v; want %+v", c.period, c.asOf, got, err, c.want)
		}
		if got.Name("vi") != c.vi || got.Name("en") != c.en {
			t.Errorf("%s is named %q / %q, want %q / %q", c.period, got.Name("vi"), got.Name("en"), c.vi, c.en)
		}
	}
}

// TestBulletin_Spread: the distribution as offices write it, from the example.
func TestBulletin_Spread(t *testing.T) {
	var es []progress.Entry
	add := func(n, k int) {
		for range n {
			es = append(es, progress.Entry{Unit: progress.Unit{Code: itoa(len(es))}, Assessed: true, CriteriaMet: metCriteria(k), CriteriaTotal: 19})
		}
	}
	add(3, 19)
	add(2, 15)
	add(4, 14)
	add(7, 10)
	add(1, 3)
	b := &Bulletin{Lang: "vi"}
	b.Progress.Report = progress.Rollup(progress.Unit{}, criteria19, es, progress.Options{UnitNoun: "xã"})
	got := b.Spread()
	want := []Spread{{3, 19, 19}, {2, 15, 15}, {11, 10, 14}, {1, 0, 4}}
	if !slices.Equal(got, want) {
		t.Fatalf("spread %v, want %v", got, want)
	}
	b.Period, _ = NewPeriod("2025", "")
	b.Tiers = []Tier{{Tier: "ntm", UnitsTotal: 17, UnitsMet: 3}}
	d, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	if want := "03 xã đạt 19 tiêu chí, 02 xã đạt 15 tiêu chí, 11 xã đạt từ 10 đến 14 tiêu chí, 01 xã đạt dưới 5 tiêu chí."; !strings.Contains(string(d.Markdown), want) {
		t.Errorf("the bulletin lacks %q:\n%s", want, d.Markdown)
	}
}

// TestBulletin_MetAndRecognised: where the units meeting the set by assessment and those
// recognised by decision differ, the bulletin states both (issue 13.4); where they agree, it
// says it once.
func TestBulletin_MetAndRecognised(t *testing.T) {
	for _, c := range []struct {
		lang       string
		recognised int
		want       string
	}{
		{"vi", 2, "Số xã đạt chuẩn trên đây theo kết quả đánh giá; 02 xã đã được công nhận bằng quyết định."},
		{"en", 2, "These figures are by assessment; 2 communes have been recognised by decision."},
		{"vi", 3, ""},
	} {
		b := fixtureBulletin(c.lang)
		b.Tiers = []Tier{{Tier: "ntm", UnitsTotal: 17, UnitsAssessed: 10, UnitsMet: 3, UnitsRecognized: c.recognised}}
		d, err := b.Document()
		if err != nil {
			t.Fatal(err)
		}
		md := string(d.Markdown)
		if c.want == "" {
			if strings.Contains(md, "bằng quyết định") {
				t.Errorf("%s, %d recognised of 3 met: the bulletin tells them apart", c.lang, c.recognised)
			}
		} else if !strings.Contains(md, c.want) {
			t.Errorf("%s: the bulletin lacks %q:\n%s", c.lang, c.want, md)
		}
	}
}

// zeroBulletin is a bulletin of a unit with communes of which none is assessed, or (assessed)
// some are assessed (their criteria entered directly, no indicator recorded) and none meets
// the set.
func zeroBulletin(lang string, assessed bool) *Bulletin {
	var es []progress.Entry
	for i := range 3 {
		e := progress.Entry{Unit: progress.Unit{Code: itoa(i), Name: "Xã " + itoa(i)}, CriteriaTotal: 19}
		if assessed {
			e.Assessed, e.Period, e.Status, e.CriteriaMet = true, "2025", "approved", metCriteria(12)
			// Criteria entered directly: the set has indicators, none was recorded.
			e.IndicatorsTotal = 57
		}
		es = append(es, e)
	}
	b := &Bulletin{Lang: lang, Unit: UnitRef{Code: "01", Name: "Huyện Thử"}, Set: SetRef{ID: "xa-ntm-2021", Title: "Bộ tiêu chí"}}
	b.Period, _ = NewPeriod("2025", "")
	b.Progress.Report = progress.Rollup(progress.Unit{Code: "01", Name: "Huyện Thử"}, criteria19, es, progress.Options{UnitNoun: "xã"})
	b.Tiers = []Tier{{Tier: "ntm", UnitsTotal: 3, UnitsAssessed: b.Progress.UnitsAssessed}}
	b.Targets = nil
	return b
}

// TestBulletin_ZeroCases: none is written "chưa có xã nào", never "0 xã" or "00 xã", and the
// sections the system has no data for are not there at all.
func TestBulletin_ZeroCases(t *testing.T) {
	for _, c := range []struct {
		name, lang string
		assessed   bool
		want, not  []string
	}{
		{"none assessed", "vi", false,
			[]string{"chưa có xã nào được đánh giá", "Hoàn thành đánh giá 03 xã chưa có kết quả.", "Còn 03 xã chưa có kết quả đánh giá: Xã 0, Xã 1 và Xã 2."},
			[]string{"00 xã", " 0 xã", "OCOP", "Huy động", "Công nhận", "chỉ tiêu kế hoạch năm", "<!-- chart"}},
		{"none meets", "vi", true,
			[]string{"Số xã đạt chuẩn nông thôn mới: chưa có xã nào đạt chuẩn nông thôn mới.", "Không có xã nào bị giảm tiêu chí trong kỳ.", "03 xã đạt từ 10 đến 14 tiêu chí",
				"tiêu chí 5 (Trường học) chưa có xã nào đạt;"},
			[]string{"00 xã", " 0 xã", "So với đầu kỳ", "OCOP", "chỉ tiêu/xã", "tỷ lệ chỉ tiêu đạt", "0/03", "(0,0%)"}},
		{"none assessed, English", "en", false,
			[]string{"no commune has been assessed", "3 communes have no assessment yet: Xã 0, Xã 1 and Xã 2."},
			[]string{" 0 commune", "OCOP", "Funding"}},
		{"none meets, English", "en", true,
			[]string{"Communes meeting the NTM standard: no commune yet.", "No commune fell back during the period.", "3 communes meet 10 to 14 criteria",
				"criterion 5 (Trường học), met by no commune yet;"},
			[]string{" 0 commune", "1 communes", "Indicators met", "by 0 of", "(0.0%)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := zeroBulletin(c.lang, c.assessed).Document()
			if err != nil {
				t.Fatal(err)
			}
			md := string(d.Markdown)
			for _, w := range c.want {
				if !strings.Contains(md, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(md, w) {
					t.Errorf("holds %q", w)
				}
			}
			if t.Failed() {
				t.Log(md)
			}
		})
	}
}

// TestFuncs_Plurals: counts in English agree with their nouns and verbs; Vietnamese counts
// take two digits under ten.
func TestFuncs_Plurals(t *testing.T) {
	call := func(lang, name string, args ...any) string {
		switch f := funcs(lang, "xã")[name].(type) {
		case func(int) string:
			return f(args[0].(int))
		case func(int, ...string) string:
			var forms []string
			for _, a := range args[1:] {
				forms = append(forms, a.(string))
			}
			return f(args[0].(int), forms...)
		case func(int, string, string) string:
			return f(args[0].(int), args[1].(string), args[2].(string))
		}
		t.Fatalf("no helper %s", name)
		return ""
	}
	for _, c := range []struct {
		lang, fn string
		args     []any
		want     string
	}{
		{"vi", "units", []any{3}, "03 xã"},
		{"vi", "units", []any{12}, "12 xã"},
		{"vi", "units", []any{0}, "0 xã"},
		{"vi", "units", []any{2611}, "2.611 xã"},
		{"en", "units", []any{1}, "1 commune"},
		{"en", "units", []any{0}, "0 communes"},
		{"en", "units", []any{1234}, "1,234 communes"},
		{"vi", "count", []any{8, "sản phẩm"}, "08 sản phẩm"},
		{"en", "count", []any{1, "criterion", "criteria"}, "1 criterion"},
		{"en", "count", []any{19, "criterion", "criteria"}, "19 criteria"},
		{"en", "plural", []any{1, "meets", "meet"}, "meets"},
		{"en", "plural", []any{2, "meets", "meet"}, "meet"},
		{"vi", "changeUnits", []any{-2}, "giảm 02 xã"},
		{"en", "changeUnits", []any{1}, "up 1 commune"},
		{"vi", "changeNum", []any{0}, "không thay đổi"},
	} {
		if got := call(c.lang, c.fn, c.args...); got != c.want {
			t.Errorf("%s %s %v = %q, want %q", c.lang, c.fn, c.args, got, c.want)
		}
	}
	if got := names("vi", "xã", []UnitRef{{Name: "A"}, {Name: "B"}, {Name: "C"}, {Name: "D"}}, 2); got != "A, B và 02 xã khác" {
		t.Errorf("names: %q", got)
	}
	if got := names("en", "xã", []UnitRef{{Name: "A"}, {Name: "B"}, {Name: "C"}}, 2); got != "A, B and 1 other commune" {
		t.Errorf("names: %q", got)
	}
}

// TestOffice_AnnexIntro: an annex names its report by number and date, blanks while a draft,
// and never repeats the issuing body in the header's capitals mid-sentence.
func TestOffice_AnnexIntro(t *testing.T) {
	p := Profile{Body: "BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MTQG", NumberPattern: "{n}/BC-BCĐ"}
	for _, c := range []struct {
		lang   string
		number int
		date   units.Date
		want   string
	}{
		{"vi", 125, "2026-07-05", "(Kèm theo Báo cáo số 125/BC-BCĐ ngày 05/07/2026)"},
		{"vi", 0, "", "(Kèm theo Báo cáo số      /BC-BCĐ ngày      )"},
		{"en", 125, "2026-07-05", "(Attached to Report No. 125/BC-BCĐ of 2026-07-05)"},
	} {
		o := &Office{Profile: p, Number: c.number, Date: c.date}
		if got := o.annexIntro(c.lang); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.number, got, c.want)
		}
	}
}
