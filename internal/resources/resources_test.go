package resources

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/units"
)

func vi(t *testing.T, s string) Fixed {
	t.Helper()
	v, err := ParseLocal(s, "vi")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The acceptance case of issue 9: parts 195.420, 64.310, 2.150, 3.900, 98.775, 6.045 (triệu
// đồng, written the Vietnamese way) add up to 370.600.
func TestCheckTotal_ReportedTotalFlaggedWithDifference(t *testing.T) {
	var parts []Fixed
	for _, s := range []string{"195.420", "64.310", "2.150", "3.900", "98.775", "6.045"} {
		parts = append(parts, vi(t, s))
	}
	for _, c := range []struct {
		reported string
		flagged  bool
		diff     Fixed
		text     string
	}{
		{"370.600", false, 0, ""},
		{"370.601", true, FromInt(1), "Tổng số báo cáo 370.601 triệu đồng khác tổng các nguồn 370.600 triệu đồng: chênh lệch 1 triệu đồng"},
		{"370.599,5", true, -500, "chênh lệch -0,5 triệu đồng"},
	} {
		r := vi(t, c.reported)
		got := CheckTotal(parts, &r)
		if got.Sum != FromInt(370600) || got.Flagged != c.flagged || got.Difference != c.diff || *got.Reported != r {
			t.Errorf("reported %s: %+v", c.reported, got)
		}
		if !strings.Contains(got.Text("vi"), c.text) || (c.text == "") != (got.Text("vi") == "") {
			t.Errorf("reported %s: text %q", c.reported, got.Text("vi"))
		}
	}
	// Without a reported total there is nothing to flag; the sum is still given.
	if got := CheckTotal(parts, nil); got.Flagged || got.Sum != FromInt(370600) || got.Reported != nil {
		t.Errorf("no total: %+v", got)
	}
}

// Ten parts of 0,1 make exactly 1: float64 would make 0.9999999999999999 and flag a total of 1.
func TestCheckTotal_NoFloatDrift(t *testing.T) {
	var parts []Fixed
	var float float64
	for i := 0; i < 10; i++ {
		parts = append(parts, vi(t, "0,1"))
		float += 0.1
	}
	one := FromInt(1)
	if got := CheckTotal(parts, &one); got.Flagged {
		t.Errorf("ten times 0,1 flagged against 1: %+v", got)
	}
	if float == 1 {
		t.Skip("this platform's float64 does not drift here")
	}
}

func TestParse_NumbersAsOfficesWriteThem(t *testing.T) {
	for _, c := range []struct {
		in, lang string
		want     Fixed
		bad      bool
	}{
		{"195.420", "vi", FromInt(195420), false},
		{"1.234.567,5", "vi", 1234567500, false},
		{"104,48", "vi", 104480, false},
		{"104.48", "vi", 104480, false}, // not thousands: a decimal dot
		{"370 600", "vi", FromInt(370600), false},
		{"0,001", "vi", 1, false},
		{"0,0001", "vi", 0, true}, // below a thousand đồng: refused, not rounded away
		{"abc", "vi", 0, true},
		{"370,600", "en", FromInt(370600), false},
		{"104.48", "en", 104480, false},
		{"1e3", "", FromInt(1000), false},
		{"-2.5", "", -2500, false},
	} {
		var got Fixed
		var err error
		if c.lang == "" {
			got, err = ParseFixed(c.in)
		} else {
			got, err = ParseLocal(c.in, c.lang)
		}
		if (err != nil) != c.bad || !c.bad && got != c.want {
			t.Errorf("%q (%s): %v, %v; want %v", c.in, c.lang, got, err, c.want)
		}
	}
}

func TestFixed_FormatAndJSON(t *testing.T) {
	x := Fixed(104480)
	if x.Format("vi") != "104,48" || x.Format("en") != "104.48" || x.String() != "104.48" {
		t.Errorf("104.48: %s %s %s", x.Format("vi"), x.Format("en"), x)
	}
	if y := FromInt(370600); y.Format("vi") != "370.600" || y.Format("en") != "370,600" {
		t.Errorf("370600: %s %s", y.Format("vi"), y.Format("en"))
	}
	var f struct{ A, B Fixed }
	if err := json.Unmarshal([]byte(`{"A": 0.1, "B": "195420"}`), &f); err != nil || f.A != 100 || f.B != FromInt(195420) {
		t.Errorf("json: %+v %v", f, err)
	}
	b, _ := json.Marshal(f)
	if string(b) != `{"A":0.1,"B":195420}` {
		t.Errorf("json out: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"A": 0.0001}`), &f); err == nil {
		t.Errorf("more than three places accepted")
	}
}

func TestShipped_ListsLoad(t *testing.T) {
	c, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"nstw", "nsdp", "long-ghep", "tin-dung", "doanh-nghiep", "cong-dong", "cong-dong-tien", "cong-dong-ngay-cong", "cong-dong-hien-dat", "khac"}
	if got := c.SourceCodes(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sources: %v", got)
	}
	if s, _ := c.Source("cong-dong-ngay-cong"); s.Parent != "cong-dong" || s.Name != "Ngày công (quy đổi)" {
		t.Errorf("community labour days: %+v", s)
	}
	if k, ok := c.WorkKind("duong-lien-xa"); !ok || k.Measure != "km" || k.Name != "Đường liên xã" {
		t.Errorf("inter-commune road: %+v", k)
	}
	if k, ok := c.ModelKind("khu-dan-cu-kieu-mau"); !ok || k.Noun != "khu dân cư kiểu mẫu" {
		t.Errorf("model residential area: %+v", k)
	}
}

func TestCheckFunding_Refusals(t *testing.T) {
	c := MustShipped()
	ok := Funding{UnitCode: "23575", Year: 2025, Parts: map[string]Fixed{"nstw": FromInt(10), "cong-dong-tien": FromInt(2), "cong-dong-ngay-cong": FromInt(1)}}
	if err := c.CheckFunding(ok); err != nil {
		t.Errorf("good entry: %v", err)
	}
	for _, c2 := range []struct {
		name  string
		f     Funding
		field string
	}{
		{"unknown source", Funding{UnitCode: "1", Year: 2025, Parts: map[string]Fixed{"vay": 1}}, "parts.vay"},
		{"negative", Funding{UnitCode: "1", Year: 2025, Parts: map[string]Fixed{"nstw": -1}}, "parts.nstw"},
		{"whole and kind", Funding{UnitCode: "1", Year: 2025, Parts: map[string]Fixed{"cong-dong": 1, "cong-dong-tien": 1}}, "parts.cong-dong-tien"},
		{"no year", Funding{UnitCode: "1", Parts: map[string]Fixed{"nstw": 1}}, "year"},
		{"nothing", Funding{UnitCode: "1", Year: 2025}, "parts"},
	} {
		err := c.CheckFunding(c2.f)
		fe, isFE := FieldOf(err)
		if !isFE || fe.Field != c2.field || fe.Words.VI == "" || fe.Words.EN == "" {
			t.Errorf("%s: %v", c2.name, err)
		}
	}
}

func TestSummariseFunding_SharesAndYearOnYear(t *testing.T) {
	c := MustShipped()
	cur := []Funding{
		{UnitCode: "a", Year: 2025, Parts: map[string]Fixed{"nstw": FromInt(60), "nsdp": FromInt(20), "cong-dong-tien": FromInt(5), "cong-dong-hien-dat": FromInt(15)}},
		{UnitCode: "b", Year: 2025, Parts: map[string]Fixed{"doanh-nghiep": 0}},
	}
	prev := []Funding{{UnitCode: "a", Year: 2024, Parts: map[string]Fixed{"nstw": FromInt(40), "cong-dong": FromInt(10)}}}
	f := c.SummariseFunding(cur, prev)
	if f.Total != FromInt(100) || f.Previous != FromInt(50) || f.Change != FromInt(50) || f.ChangePct == nil || *f.ChangePct != 100 {
		t.Fatalf("totals: %+v", f)
	}
	if f.StateBudget != FromInt(80) || f.StateShare != 80 {
		t.Errorf("state budget: %v %v", f.StateBudget, f.StateShare)
	}
	by := map[string]SourceFigure{}
	for _, s := range f.Sources {
		by[s.Code] = s
	}
	if s := by["nstw"]; s.Amount != FromInt(60) || s.Share != 60 || s.Change != FromInt(20) || *s.ChangePc != 50 {
		t.Errorf("nstw: %+v", s)
	}
	// The community's kinds count toward it and are shown beneath it; last year it was
	// entered as a whole.
	if s := by["cong-dong"]; s.Amount != FromInt(20) || s.Previous != FromInt(10) || len(s.Kinds) != 2 || s.Kinds[1].Code != "cong-dong-hien-dat" {
		t.Errorf("community: %+v", s)
	}
	if s := by["tin-dung"]; s.Amount != 0 || s.ChangePc != nil {
		t.Errorf("credit: %+v", s)
	}
	// No previous year: no change figure, not a change of 100 %.
	if f := c.SummariseFunding(cur, nil); f.ChangePct != nil || f.Change != 0 {
		t.Errorf("without a previous year: %+v", f)
	}
}

func TestSummariseWorks_QuantitiesAndDisbursementRate(t *testing.T) {
	c := MustShipped()
	ws := []WorkRecord{
		{Work: Work{Kind: "duong-lien-xa", Measure: "km", Quantity: vi(t, "60,2"), Status: WorkDone, Budget: map[string]Fixed{"nstw": FromInt(100)}},
			Disbursements: []Disbursement{{Day: "2025-03-01", Amount: FromInt(40), Source: "nstw"}, {Day: "2025-09-01", Amount: FromInt(50), Source: "nstw"}}},
		{Work: Work{Kind: "duong-lien-xa", Measure: "km", Quantity: vi(t, "44,28"), Status: WorkDone, Budget: map[string]Fixed{"nsdp": FromInt(100)}}},
		{Work: Work{Kind: "duong-lien-xa", Measure: "km", Quantity: vi(t, "7"), Status: WorkUnderConstruction}},
		{Work: Work{Kind: "nha-van-hoa", Measure: "công trình", Quantity: FromInt(1), Status: WorkPlanned}},
	}
	f := c.SummariseWorks(ws, "2025-06-30")
	if f.Works != 4 || f.Done != 2 || f.Budget != FromInt(200) || f.Disbursed != FromInt(40) || f.Rate == nil || *f.Rate != 20 {
		t.Fatalf("as of 30/6: %+v", f)
	}
	road := f.ByKind[0]
	if road.Kind != "duong-lien-xa" || road.QuantityDone != 104480 || road.Quantity != 111480 || road.Text("vi") != "104,48 km đường liên xã" {
		t.Errorf("roads: %+v %q", road, road.Text("vi"))
	}
	if road.Text("en") != "104.48 km of inter-commune road" {
		t.Errorf("roads in English: %q", road.Text("en"))
	}
	if f := c.SummariseWorks(ws, "2025-12-31"); *f.Rate != 45 || f.BySource[0].Source != "nstw" || *f.BySource[0].Rate != 90 {
		t.Errorf("as of 31/12: %v %+v", *f.Rate, f.BySource)
	}
	if f := c.SummariseWorks(ws[3:], "2025-12-31"); f.Rate != nil {
		t.Errorf("a rate without a plan: %v", *f.Rate)
	}
}

// A work is done in a report only when it was completed by the report's cut-off: by its
// completion day when known, else by its year.
func TestWork_DoneBy(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    Work
		day  units.Date
		want bool
	}{
		{"completed after the end of Q2", Work{Year: 2026, Status: WorkDone, DoneOn: "2026-08-10"}, "2026-06-30", false},
		{"completed within Q3", Work{Year: 2026, Status: WorkDone, DoneOn: "2026-08-10"}, "2026-09-30", true},
		{"completed on the cut-off", Work{Year: 2026, Status: WorkDone, DoneOn: "2026-06-30"}, "2026-06-30", true},
		{"no day: done in its year", Work{Year: 2026, Status: WorkDone}, "2026-03-31", true},
		{"no day: not done the year before", Work{Year: 2026, Status: WorkDone}, "2025-12-31", false},
		{"under construction", Work{Year: 2026, Status: WorkUnderConstruction}, "2026-12-31", false},
	} {
		if got := tc.w.DoneBy(tc.day); got != tc.want {
			t.Errorf("%s: DoneBy(%s) = %v, want %v", tc.name, tc.day, got, tc.want)
		}
	}
	c := MustShipped()
	ws := []WorkRecord{{Work: Work{Kind: "nha-van-hoa", Measure: "công trình", Quantity: FromInt(1), Year: 2026, Status: WorkDone, DoneOn: "2026-08-10"}}}
	if f := c.SummariseWorks(ws, "2026-06-30"); f.Done != 0 || f.ByKind[0].UnderConstruction != 1 || f.ByKind[0].QuantityDone != 0 {
		t.Errorf("as of 30/06, a work completed on 10/08 is still under construction: %+v", f)
	}
	if f := c.SummariseWorks(ws, "2026-09-30"); f.Done != 1 || f.ByKind[0].QuantityDone != FromInt(1) {
		t.Errorf("as of 30/09, the work completed on 10/08 is done: %+v", f)
	}
}

// New and cumulative counts over periods: what is new in one period is in the cumulative
// count of every later one, and a revoked model leaves it.
func TestCountModels_NewAndCumulativeOverPeriods(t *testing.T) {
	c := MustShipped()
	var ms []Model
	add := func(n, year, revoked int) {
		for i := 0; i < n; i++ {
			ms = append(ms, Model{Kind: "khu-dan-cu-kieu-mau", Year: year, RevokedYear: revoked})
		}
	}
	add(50, 2022, 0)
	add(30, 2023, 0)
	add(35, 2025, 0)
	add(1, 2023, 2025)
	ms = append(ms, Model{Kind: "vuon-mau", Year: 2025})
	count := func(from, to int) ModelCount { return c.CountModels(ms, from, to)[0] }
	for _, x := range []struct {
		from, to                         int
		before, new, revoked, cumulative int
		text                             string
	}{
		{2025, 2025, 81, 35, 1, 115, "có thêm 35 khu dân cư kiểu mẫu, nâng tổng số lên 115 khu dân cư kiểu mẫu"},
		{2023, 2023, 50, 31, 0, 81, "có thêm 31 khu dân cư kiểu mẫu, nâng tổng số lên 81 khu dân cư kiểu mẫu"},
		{2024, 2024, 81, 0, 0, 81, "chưa có thêm khu dân cư kiểu mẫu, tổng số 81"},
		{2021, 2025, 0, 116, 1, 115, "có thêm 116 khu dân cư kiểu mẫu, nâng tổng số lên 115 khu dân cư kiểu mẫu"},
		{2010, 2021, 0, 0, 0, 0, "chưa có thêm khu dân cư kiểu mẫu, tổng số 00"},
	} {
		got := count(x.from, x.to)
		if got.Before != x.before || got.New != x.new || got.Revoked != x.revoked || got.Cumulative != x.cumulative {
			t.Errorf("%d-%d: %+v", x.from, x.to, got)
		}
		if got.Before+got.New-got.Revoked != got.Cumulative {
			t.Errorf("%d-%d: before + new − revoked ≠ cumulative", x.from, x.to)
		}
		if got.Text("vi") != x.text {
			t.Errorf("%d-%d: %q", x.from, x.to, got.Text("vi"))
		}
	}
	if g := c.CountModels(ms, 2025, 2025)[1]; g.Kind != "vuon-mau" || g.New != 1 || g.Text("en") != "1 more model gardens, 1 in all" {
		t.Errorf("gardens: %+v %q", g, g.Text("en"))
	}
}

func TestTask_OverdueAroundTheDueDate(t *testing.T) {
	const today = units.Date("2026-03-10")
	for _, c := range []struct {
		name    string
		task    Task
		overdue bool
		days    int
	}{
		{"due yesterday, not done", Task{Due: "2026-03-09", Status: TaskOpen}, true, 1},
		{"due yesterday, in progress", Task{Due: "2026-03-09", Status: TaskInProgress}, true, 1},
		{"due today", Task{Due: today, Status: TaskOpen}, false, 0},
		{"due tomorrow", Task{Due: "2026-03-11", Status: TaskOpen}, false, 0},
		{"due a month ago, done late", Task{Due: "2026-02-10", Status: TaskDone, DoneOn: "2026-03-01"}, false, 0},
		{"done, but after the day asked", Task{Due: "2026-02-10", Status: TaskDone, DoneOn: "2026-03-20"}, true, 28},
	} {
		if got := c.task.Overdue(today); got != c.overdue || c.task.DaysOverdue(today) != c.days {
			t.Errorf("%s: overdue %v, %d days", c.name, got, c.task.DaysOverdue(today))
		}
	}
}

func TestCheckTask_Refusals(t *testing.T) {
	good := Task{UnitCode: "52", Title: "Hoàn thành đường liên xã", OwnerKind: OwnerDepartment, Owner: "Sở Xây dựng",
		Assigned: "2026-01-05", Due: "2026-03-31", Status: TaskOpen}
	if err := CheckTask(good); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		edit  func(*Task)
	}{
		{"due", func(t *Task) { t.Due = "2025-12-31" }},
		{"done_on", func(t *Task) { t.Status = TaskDone }},
		{"done_on", func(t *Task) { t.DoneOn = "2026-02-01" }},
		{"owner_kind", func(t *Task) { t.OwnerKind = "person" }},
		{"status", func(t *Task) { t.Status = "late" }},
		{"due", func(t *Task) { t.Due = "31/03/2026" }},
	} {
		x := good
		c.edit(&x)
		if fe, ok := FieldOf(CheckTask(x)); !ok || fe.Field != c.field {
			t.Errorf("%s: %v", c.field, CheckTask(x))
		}
	}
}

func TestByOwner_MostTasksFirst(t *testing.T) {
	ts := []Task{
		{Title: "a", OwnerKind: OwnerDepartment, Owner: "Sở Xây dựng"},
		{Title: "b", OwnerKind: OwnerUnit, Owner: "23575"},
		{Title: "c", OwnerKind: OwnerDepartment, Owner: "sở  xây dựng"},
	}
	got := ByOwner(ts, func(t Task) Task { return t })
	if len(got) != 2 || got[0].Owner != "Sở Xây dựng" || got[0].Count != 2 || got[1].Key != "unit:23575" {
		t.Errorf("%+v", got)
	}
}
