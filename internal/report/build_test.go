package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// world is a database with the shipped units and a few assessed communes of Hà Nội (01):
// against xa-ntm-2026 in 2026-Q1 and 2026-Q2 (criteria entered directly), and one commune
// against xa-ntm-2021 in 2025-Q4 with indicator values.
type world struct {
	db       *store.DB
	src      report.Source
	communes []string
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
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
	w := &world{db: db, src: report.Source{DB: db, Catalog: cat}}
	kids, err := db.Children(ctx, "01", "2026-06-30")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		if k.IsRuralCommune() && len(w.communes) < 4 {
			w.communes = append(w.communes, k.Code)
		}
	}
	// Criteria met: Q1 then Q2. The second commune falls back (loses TC7), the third meets
	// the set in Q2, the fourth is assessed only in Q2.
	q1 := []int{10, 9, 8, 0}
	q2 := []int{10, 8, 10, 5}
	for i, c := range w.communes {
		if q1[i] > 0 {
			w.assess(t, c, "xa-ntm-2026", "2026-Q1", tcValues(q1[i], false))
		}
		w.assess(t, c, "xa-ntm-2026", "2026-Q2", tcValues(q2[i], i == 1))
	}
	w.assess(t, w.communes[0], "xa-ntm-2021", "2025-Q4", map[string]string{"17.2": "92,5", "17.3": "đạt", "TC1": "đạt"})
	return w
}

// tcValues meets the first n of the 10 criteria of 2026; skip7 leaves out TC7 instead of the
// last one (a commune that had TC7 before and lost it).
func tcValues(n int, skip7 bool) map[string]string {
	v := map[string]string{}
	met := 0
	for k := 1; k <= 10 && met < n; k++ {
		if skip7 && k == 7 {
			continue
		}
		v[fmt.Sprintf("TC%d", k)] = "true"
		met++
	}
	for k := 1; k <= 10; k++ {
		if _, ok := v[fmt.Sprintf("TC%d", k)]; !ok {
			v[fmt.Sprintf("TC%d", k)] = "false"
		}
	}
	return v
}

func (w *world) assess(t *testing.T, unit, set, period string, values map[string]string) {
	t.Helper()
	ctx := context.Background()
	p, err := assessment.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	a, err := writer(t, w.db).CreateAssessment(ctx, app.System("t"), unit, set, p)
	if err != nil {
		t.Fatalf("assessment of %s %s %s: %v", unit, set, period, err)
	}
	var ch []store.ValueChange
	for code, v := range values {
		ch = append(ch, store.ValueChange{Code: code, Value: &v})
	}
	if a, err = writer(t, w.db).SetValues(ctx, app.System("t"), a.ID, a.Version, ch); err != nil {
		t.Fatal(err)
	}
	// The official figures count approved assessments: walk it through the workflow.
	// Three people: who enters may not check, who checks may not approve (separation of duties).
	actors := map[assessment.Action]string{assessment.Submit: "t", assessment.Verify: "kiem-tra", assessment.Approve: "phe-duyet"}
	for _, act := range []assessment.Action{assessment.Submit, assessment.Verify, assessment.Approve} {
		if a, err = w.db.ChangeStatus(ctx, actors[act], a.ID, a.Version, act, ""); err != nil {
			t.Fatalf("%s: %v", act, err)
		}
	}
}

// TestBuild runs the reports over one world per engine; the sections come last, since they
// fill the registers.
func TestBuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		t.Run("FiguresAreRollups", func(t *testing.T) { figuresAreRollups(t, w) })
		t.Run("EachTableInEachFormat", func(t *testing.T) { eachTableInEachFormat(t, w) })
		t.Run("Refusals", func(t *testing.T) { refusals(t, w) })
		t.Run("SectionsFromRegisters", func(t *testing.T) { sectionsFromRegisters(t, w) })
		t.Run("Trend", func(t *testing.T) { trendFigures(t, w) })
		t.Run("NextYearsTargets", func(t *testing.T) { nextYearsTargets(t, w) })
		t.Run("OfficeBands", func(t *testing.T) { officeBands(t, w) })
	})
}

// trendFigures: the trend chart's bars are the units meeting the set at each year's end since
// the set took effect (at most four) and on the period's end, each as app.ComputeProgress
// counts them; a set in force for less than a year has no trend.
func trendFigures(t *testing.T, w *world) {
	ctx := context.Background()
	b, err := report.Build(ctx, w.src, report.Request{Unit: "01", SetID: "xa-ntm-2021", Period: "2025-Q4"})
	if err != nil {
		t.Fatal(err)
	}
	set, _ := w.src.Catalog.Get(ctx, "xa-ntm-2021")
	var labels []string
	for i, bar := range b.Trend {
		labels = append(labels, bar.Label)
		day := units.Date(bar.Label + "-12-31")
		if i == len(b.Trend)-1 {
			day = "2025-12-31"
		}
		p, err := app.ComputeProgress(ctx, w.db, set, "01", day, true)
		if err != nil || float64(p.UnitsMet) != bar.Value {
			t.Errorf("trend %s: %v, ComputeProgress %d %v", bar.Label, bar.Value, p.UnitsMet, err)
		}
	}
	var want []string
	for y := max(2021, atoi(string(set.Basis.Effective)[:4])); y < 2025; y++ {
		want = append(want, fmt.Sprint(y))
	}
	if got := strings.Join(labels, " "); got != strings.Join(append(want, "31/12/2025"), " ") || len(want) < 2 {
		t.Errorf("trend labels %q, want %v then 31/12/2025", got, want)
	}
	b, err = report.Build(ctx, w.src, report.Request{Unit: "01", Period: "2026-Q2"})
	if err != nil || b.Trend != nil {
		t.Errorf("a set in force since 2026: trend %v, %v", b.Trend, err)
	}
}

// nextYearsTargets: a report ending on 31 December lists the next year's targets among the
// tasks ahead; one ending mid-year does not.
func nextYearsTargets(t *testing.T, w *world) {
	ctx := context.Background()
	if _, err := w.db.PutTarget(ctx, "t", store.Target{UnitCode: "01", Year: 2027, Metric: "units_met", SetID: "xa-ntm-2026", Value: 7}); err != nil {
		t.Fatal(err)
	}
	b, err := report.Build(ctx, w.src, report.Request{Unit: "01", Period: "2026"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.NextTargets) != 1 || !strings.Contains(string(d.Markdown), "- Chỉ tiêu kế hoạch năm 2027: ") {
		t.Errorf("the year's report: next targets %+v\n%s", b.NextTargets, d.Markdown)
	}
	b, err = report.Build(ctx, w.src, report.Request{Unit: "01", Period: "2026-Q2"})
	if err != nil || b.NextTargets != nil {
		t.Errorf("Q2's report lists next year's targets: %+v %v", b.NextTargets, err)
	}
	// A target on an indicator's value is named by the indicator, not only by its code.
	if _, err := w.db.PutTarget(ctx, "t", store.Target{UnitCode: "01", Year: 2025, Metric: "indicator:17.2", SetID: "xa-ntm-2021", Value: 95}); err != nil {
		t.Fatal(err)
	}
	b, err = report.Build(ctx, w.src, report.Request{Unit: "01", SetID: "xa-ntm-2021", Period: "2025-Q4"})
	if err != nil {
		t.Fatal(err)
	}
	set, _ := w.src.Catalog.Get(ctx, "xa-ntm-2021")
	in, _ := set.Indicator("17.2")
	d, err = b.Document()
	if err != nil || len(b.Targets) != 1 || b.Targets[0].Name != in.Name || !strings.Contains(string(d.Markdown), "Chỉ tiêu 17.2 ("+in.Name+")") {
		t.Errorf("the indicator target: %+v %v\n%s", b.Targets, err, d.Markdown)
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// officeBands: an office that groups communes its own way gets its bands in the bulletin's
// figures and sentence; bands that leave a gap are refused when saved, and bands written for
// another total are refused when a report uses them, naming the field.
func officeBands(t *testing.T, w *world) {
	ctx := context.Background()
	p, err := report.ProfileOf(ctx, w.db, "01", "Thành phố Hà Nội", units.LevelProvince)
	if err != nil {
		t.Fatal(err)
	}
	p.Bands = map[string]string{"xa-ntm-2026": "10 / 7-8"}
	if _, err := report.SaveProfile(ctx, w.db, "t", "01", p, p.Version); err == nil || !strings.Contains(err.Error(), "bands") {
		t.Fatalf("bands with a gap saved: %v", err)
	}
	p.Bands = map[string]string{"xa-ntm-2026": "10 / 8-9 / dưới 8"}
	if p, err = report.SaveProfile(ctx, w.db, "t", "01", p, p.Version); err != nil {
		t.Fatal(err)
	}
	b, err := report.Build(ctx, w.src, report.Request{Unit: "01", Period: "2026-Q2"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, band := range b.Progress.Bands {
		got = append(got, fmt.Sprintf("%s:%d", band.Label, band.Units))
	}
	if want := "10:2 8-9:1 <8:1"; strings.Join(got, " ") != want {
		t.Errorf("bands %v, want %s", got, want)
	}
	d, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	if want := "01 xã đạt dưới 8 tiêu chí"; !strings.Contains(string(d.Markdown), want) {
		t.Errorf("the bulletin lacks %q:\n%s", want, d.Markdown)
	}
	// The country's figures keep the set's usual bands.
	all, err := report.Build(ctx, w.src, report.Request{Period: "2026-Q2"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(all.Progress.Bands); n != 3 || all.Progress.Bands[1].Label != "5-9" {
		t.Errorf("the country's bands changed: %v", all.Progress.Bands)
	}
	p.Bands = map[string]string{"xa-ntm-2026": "19 / <19"}
	if _, err = report.SaveProfile(ctx, w.db, "t", "01", p, p.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := report.Build(ctx, w.src, report.Request{Unit: "01", Period: "2026-Q2"}); err == nil || !strings.Contains(err.Error(), "bands") {
		t.Errorf("bands for 19 criteria used for a set of 10: %v", err)
	}
}

// figuresAreRollups: a bulletin's figures are app.ComputeProgress's for the same unit, set
// and day, at the end of the period and at its start; the targets are the unit's.
func figuresAreRollups(t *testing.T, w *world) {
	db := w.db
	ctx := context.Background()
	if _, err := db.PutTarget(ctx, "t", store.Target{UnitCode: "01", Year: 2026, Metric: "units_met", SetID: "xa-ntm-2026", Value: 2}); err != nil {
		t.Fatal(err)
	}
	b, err := report.Build(ctx, w.src, report.Request{Unit: "01", Period: "2026-Q2"})
	if err != nil {
		t.Fatal(err)
	}
	set, _ := w.src.Catalog.Get(ctx, "xa-ntm-2026")
	for _, c := range []struct {
		day units.Date
		got *app.Progress
	}{{"2026-06-30", &b.Progress}, {"2026-03-31", b.Start}} {
		want, err := app.ComputeProgress(ctx, db, set, "01", c.day, true)
		if err != nil {
			t.Fatal(err)
		}
		gj, _ := json.Marshal(c.got)
		wj, _ := json.Marshal(want)
		if !bytes.Equal(gj, wj) {
			t.Errorf("figures as of %s differ from app.ComputeProgress:\n%s\n%s", c.day, gj, wj)
		}
	}
	if b.Progress.UnitsAssessed != 4 || b.Progress.UnitsMet != 2 || b.Start.UnitsMet != 1 || len(b.FellBack()) != 1 {
		t.Errorf("figures: assessed %d, met %d (start %d), fell back %v", b.Progress.UnitsAssessed, b.Progress.UnitsMet, b.Start.UnitsMet, b.FellBack())
	}
	if len(b.Targets) != 1 || b.Targets[0].Status.OnTrack != "met" {
		t.Errorf("targets: %+v", b.Targets)
	}
	d, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	md := string(d.Markdown)
	for _, want := range []string{"Thành phố Hà Nội", "QUÝ II/2026", "Số xã đạt chuẩn nông thôn mới: 02 xã, chiếm 2,7% tổng số xã; tăng 01 xã so với đầu kỳ.",
		"Có 01 xã bị giảm tiêu chí", "không còn đạt tiêu chí 7", "Đã hoàn thành 01/01 chỉ tiêu kế hoạch."} {
		if !strings.Contains(md, want) {
			t.Errorf("the bulletin lacks %q:\n%s", want, md)
		}
	}
	for _, f := range report.Formats {
		if out, err := d.Render(f); err != nil || len(out) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// eachTableInEachFormat: the three tables in every format; the workbooks keep numbers as
// numbers and the grid its marks.
func eachTableInEachFormat(t *testing.T, w *world) {
	ctx := context.Background()
	cases := []struct {
		kind  string
		req   report.Request
		sheet string
		cells map[string]string // cell → raw value
		nums  []string          // cells that must hold numbers
	}{
		{report.TableProgress, report.Request{Unit: "01", Period: "2026-Q2"}, "Theo đơn vị",
			map[string]string{"A1": "Mã", "B1": "Đơn vị", "C1": "Số xã"}, []string{"C2", "D2", "E2"}},
		{report.TableCriteria, report.Request{Unit: "01", Period: "2026-Q2"}, "Tiêu chí theo đơn vị",
			map[string]string{"C1": "TC1", "L1": "TC10", "C2": "✓", "M2": "10", "N2": "Đạt", "O2": "2026-Q2"}, []string{"M2", "M3"}},
		{report.TableIndicators, report.Request{Unit: w.communes[0], SetID: "xa-ntm-2021", Period: "2025-Q4"}, "Chỉ tiêu",
			map[string]string{"A1": "Mã", "E1": "Yêu cầu"}, nil},
	}
	for _, c := range cases {
		d, err := report.BuildTable(ctx, w.src, c.req, c.kind)
		if err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		for _, f := range report.Formats {
			out, err := d.Render(f)
			if err != nil || len(out) == 0 {
				t.Errorf("%s as %s: %v", c.kind, f, err)
			}
		}
		b, _ := d.XLSX()
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for cell, want := range c.cells {
			if got, _ := x.GetCellValue(c.sheet, cell, excelize.Options{RawCellValue: true}); got != want {
				t.Errorf("%s: %s!%s = %q, want %q", c.kind, c.sheet, cell, got, want)
			}
		}
		for _, cell := range c.nums {
			if typ, _ := x.GetCellType(c.sheet, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s: %s!%s is text, want a number", c.kind, c.sheet, cell)
			}
		}
		if p, err := x.GetPanes(c.sheet); err != nil || !p.Freeze || p.YSplit != 1 || p.XSplit < 1 {
			t.Errorf("%s: panes %+v %v", c.kind, p, err)
		}
		x.Close()
		if c.kind == report.TableIndicators {
			// 17.2 was entered as "92,5": a number in the workbook, "92,5" in the text.
			if !strings.Contains(string(d.Markdown), "| 17.2 |") || !strings.Contains(string(d.Markdown), "92,5") {
				t.Errorf("indicators table:\n%s", d.Markdown)
			}
			rows, _ := excelize.OpenReader(bytes.NewReader(b))
			all, _ := rows.GetRows(c.sheet, excelize.Options{RawCellValue: true})
			found := false
			for i, r := range all {
				if len(r) > 3 && r[0] == "17.2" {
					found = true
					cell := fmt.Sprintf("D%d", i+1)
					if typ, _ := rows.GetCellType(c.sheet, cell); typ == excelize.CellTypeSharedString || r[3] != "92.5" {
						t.Errorf("17.2's value in the workbook: %q (type %v)", r[3], typ)
					}
				}
			}
			if !found {
				t.Error("no row for 17.2 in the workbook")
			}
		}
	}
}

// refusals: what the user must fix says so.
func refusals(t *testing.T, w *world) {
	ctx := context.Background()
	notFound := func(err error) bool { return fault.Is(err, fault.NotFound) }
	input := func(err error) bool { return fault.Is(err, fault.InvalidValue) }
	for _, c := range []struct {
		name string
		kind string
		req  report.Request
		is   func(error) bool
		says string
	}{
		{"unknown unit", "", report.Request{Unit: "99999", Period: "2026"}, notFound, "không có đơn vị"},
		{"bad period", "", report.Request{Unit: "01", Period: "2026-Q5"}, input, "không đọc được"},
		{"day outside the period", "", report.Request{Unit: "01", Period: "2026-Q1", AsOf: "2026-05-01"}, input, "ngoài kỳ"},
		{"bad language", "", report.Request{Unit: "01", Period: "2026", Lang: "fr"}, input, "ngôn ngữ"},
		{"unknown table", "map", report.Request{Unit: "01", Period: "2026"}, notFound, "không có bảng"},
		{"indicators of no unit", report.TableIndicators, report.Request{Period: "2026"}, input, "một đơn vị"},
		{"indicators of a unit never assessed", report.TableIndicators, report.Request{Unit: "01", Period: "2026-Q2"}, notFound, "chưa có đánh giá"},
	} {
		var err error
		if c.kind == "" {
			_, err = report.Build(ctx, w.src, c.req)
		} else {
			_, err = report.BuildTable(ctx, w.src, c.req, c.kind)
		}
		if err == nil || !c.is(err) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// writer is the use cases over db: assessments written through it are evaluated.
func writer(t testing.TB, db *store.DB) *app.Catalog {
	t.Helper()
	c, err := app.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
