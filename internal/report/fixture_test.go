package report

import (
	"slices"
	"strconv"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The fixed fixture of the golden files: a province of two districts and 16 communes against
// the 19 criteria of 2021-2025, in the second quarter of 2025, with its standing at the start
// of the quarter, three targets and every optional section filled.

var criteria19 = []progress.Criterion{
	{Number: 1, Name: "Quy hoạch"}, {Number: 2, Name: "Giao thông"}, {Number: 3, Name: "Thủy lợi và phòng, chống thiên tai"},
	{Number: 4, Name: "Điện"}, {Number: 5, Name: "Trường học"}, {Number: 6, Name: "Cơ sở vật chất văn hóa"},
	{Number: 7, Name: "Cơ sở hạ tầng thương mại nông thôn"}, {Number: 8, Name: "Thông tin và Truyền thông"},
	{Number: 9, Name: "Nhà ở dân cư"}, {Number: 10, Name: "Thu nhập"}, {Number: 11, Name: "Nghèo đa chiều"},
	{Number: 12, Name: "Lao động"}, {Number: 13, Name: "Tổ chức sản xuất và phát triển kinh tế nông thôn"},
	{Number: 14, Name: "Giáo dục và Đào tạo"}, {Number: 15, Name: "Y tế"}, {Number: 16, Name: "Văn hóa"},
	{Number: 17, Name: "Môi trường và an toàn thực phẩm"}, {Number: 18, Name: "Hệ thống chính trị và tiếp cận pháp luật"},
	{Number: 19, Name: "Quốc phòng và An ninh"},
}

// lackOrder is the order in which communes miss criteria: one meeting k misses the first 19-k.
var lackOrder = []int{17, 13, 10, 11, 18, 6, 5, 15, 2, 9, 3, 14, 7, 12, 16, 4, 8, 19, 1}

func metCriteria(k int) []int {
	var met []int
	for n := 1; n <= 19; n++ {
		if !slices.Contains(lackOrder[:19-k], n) {
			met = append(met, n)
		}
	}
	return met
}

var communeNames = []string{"Xã Bắc Sơn", "Xã Hồng Kỳ", "Xã Nam Sơn", "Xã Trung Giã", "Xã Tân Hưng", "Xã Bắc Phú",
	"Xã Minh Trí", "Xã Xuân Giang", "Xã Đông Xuân", "Xã Kim Lũ", "Xã Phù Linh", "Xã Tiên Dược",
	"Xã Đồng Tâm", "Xã Hải Bối", "Xã Vĩnh Ngọc", "Xã Xuân Nộn"}

// fixtureEntries are the 16 communes: criteria met now, and at the start of the period.
func fixtureEntries(now bool) []progress.Entry {
	cur := []int{19, 19, 19, 15, 15, 14, 14, 13, 13, 12, 12, 11, 11, 10, 10, 10}
	start := []int{19, 19, 18, 15, 16, 13, 14, 13, 12, 12, 11, 11, 10, 10, 9, 0}
	var es []progress.Entry
	for i, name := range communeNames {
		district := "016"
		if i >= 8 {
			district = "017"
		}
		code := "0" + itoa(4000+i)
		e := progress.Entry{Unit: progress.Unit{Code: code, Name: name, Path: []string{"01", district}}, CriteriaTotal: 19, IndicatorsTotal: 57}
		k, period := cur[i], "2025-Q2"
		if !now {
			k, period = start[i], "2025-Q1"
		}
		if k == 0 {
			es = append(es, e) // not assessed yet
			continue
		}
		e.Assessed, e.Period, e.Status = true, period, "approved"
		if now && i >= 12 {
			e.Status = "submitted"
		}
		e.CriteriaMet, e.IndicatorsMet, e.Met = metCriteria(k), 3*k, k == 19
		if now && start[i] > 0 {
			e.Previous = &progress.Entry{Assessed: true, Period: "2025-Q1", Status: "approved", CriteriaMet: metCriteria(start[i]),
				CriteriaTotal: 19, IndicatorsMet: 3 * start[i], IndicatorsTotal: 57, Met: start[i] == 19}
		}
		es = append(es, e)
	}
	return es
}

func fixtureProgress(now bool) app.Progress {
	day := "2025-06-30"
	if !now {
		day = "2025-03-31"
	}
	rep := progress.Rollup(progress.Unit{Code: "01", Name: "Thành phố Hà Nội"}, criteria19, fixtureEntries(now),
		progress.Options{Children: []progress.Unit{{Code: "016", Name: "Huyện Sóc Sơn"}, {Code: "017", Name: "Huyện Đông Anh"}}, UnitNoun: "xã"})
	return app.Progress{Report: rep, Set: "xa-ntm-2021", SetTitle: "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025", AsOf: units.Date(day)}
}

func fixtureBulletin(lang string) *Bulletin {
	kindLabel := func(vi, en string) string {
		if lang == "en" {
			return en
		}
		return vi
	}
	per, err := NewPeriod("2025-Q2", "")
	if err != nil {
		panic(err)
	}
	now, start := fixtureProgress(true), fixtureProgress(false)
	b := &Bulletin{Lang: lang, Unit: UnitRef{Code: "01", Name: "Thành phố Hà Nội"},
		Set:    SetRef{ID: "xa-ntm-2021", Title: now.SetTitle, Tier: "ntm", Level: "commune", Decision: "318/QĐ-TTg"},
		Period: per, Progress: now, Start: &start}
	startMet, advStart := start.UnitsMet, 1
	b.Tiers = []Tier{
		{Tier: "ntm", Set: "xa-ntm-2021", UnitsTotal: 16, UnitsAssessed: now.UnitsAssessed, UnitsMet: now.UnitsMet, StartMet: &startMet},
		{Tier: "nang-cao", Set: "xa-nang-cao-2021", UnitsTotal: 16, UnitsAssessed: 3, UnitsMet: 2, StartMet: &advStart},
	}
	target := func(metric string, value, actual float64) app.TargetStatus {
		t := store.Target{ID: 1, UnitCode: "01", Year: 2025, Metric: metric, SetID: "xa-ntm-2021", Value: value, Direction: "at_least"}
		st := progress.Assess(progress.Target{Unit: "01", Metric: metric, Year: 2025, Value: value}, actual, true, "2025-06-30")
		return app.TargetStatus{Target: t, Status: st}
	}
	b.Targets = []app.TargetStatus{
		target("units_met", 3, 3),
		target("criteria_met_avg", 15, 13.56),
		target("share_met", 50, 18.75),
	}
	b.Recognition = &RecognitionSection{Own: []OwnRecognition{{Tier: "ntm", Standard: label(lang, "tier.own.province.ntm"), Decision: "1617/QĐ-TTg", Date: "2024-12-20"}},
		Tiers:   []RecognitionTier{{Tier: "ntm", Total: 3, New: 1, Units: []UnitRef{{Code: "04002", Name: "Xã Nam Sơn"}}}},
		AtRisk:  []AtRisk{{UnitRef: UnitRef{Code: "04004", Name: "Xã Tân Hưng"}, Tier: "ntm", Failing: []int{10, 11, 13, 17}}},
		Overdue: []DossierRef{{UnitRef: UnitRef{Code: "04005", Name: "Xã Bắc Phú"}, Tier: "ntm", Step: "Thẩm định cấp tỉnh", DaysLate: 12}}}
	b.OCOP = &OCOPSection{Products: 95, Total: 87, New: 12, Decided: 15, Expiring: 3,
		Stars: []StarCount{{Stars: 5, Total: 2}, {Stars: 4, Total: 20}, {Stars: 3, Total: 65}},
		Producers: []ProducerCount{{Kind: "doanh-nghiep", Label: kindLabel("Doanh nghiệp", "Enterprise"), Total: 30},
			{Kind: "hop-tac-xa", Label: kindLabel("Hợp tác xã", "Cooperative"), Total: 41}, {Kind: "ho-kinh-doanh", Label: kindLabel("Hộ sản xuất, kinh doanh", "Registered household business"), Total: 16}}}
	b.Models = &ModelsSection{Year: 2025, Kinds: []ModelCount{
		{Kind: "khu-dan-cu-kieu-mau", Label: "Khu dân cư nông thôn mới kiểu mẫu", Noun: "khu dân cư kiểu mẫu", Total: 87, New: 12},
		{Kind: "vuon-mau", Label: "Vườn mẫu", Noun: "vườn mẫu", Total: 140}}}
	change := 12.5
	b.Funding = &FundingSection{Year: 2025, Total: 356410, ChangePct: &change, Sources: []FundingSource{
		{Source: "ngan-sach-trung-uong", Label: "ngân sách trung ương", Amount: 120000, Share: 33.67},
		{Source: "ngan-sach-dia-phuong", Label: "ngân sách địa phương", Amount: 180410, Share: 50.62},
		{Source: "cong-dong", Label: "cộng đồng dân cư", Amount: 56000, Share: 15.71}},
		Mismatches: []FundingMismatch{{UnitName: "Xã Kim Lũ", Year: 2025, Reported: 1200, Sum: 1150, Difference: 50}}}
	b.Tasks = &TasksSection{Open: 2, OverdueTotal: 1, AheadTotal: 1,
		Overdue: []TaskRef{{Title: "Hoàn thành hồ sơ xã Xuân Nộn", Owner: "UBND huyện Đông Anh", Due: "2025-05-31"}},
		Ahead:   []TaskRef{{Title: "Thẩm định xã Kim Lũ", Owner: "Sở Nông nghiệp và Môi trường", Due: "2025-09-30"}}}
	committee, _ := committeeName("01", units.LevelProvince, lang)
	b.Meetings = &MeetingsSection{Committee: committee, Meetings: []MeetingRef{{Day: "2025-04-15", Chair: "Phó Chủ tịch UBND thành phố", Conclusions: "Tập trung hoàn thành tiêu chí môi trường",
		Tasks: 2, Done: 1, Listed: []TaskRef{{Title: "Thẩm định xã Kim Lũ", Owner: "Sở Nông nghiệp và Môi trường", Due: "2025-09-30"},
			{Title: "Báo cáo tiến độ giải ngân", Owner: "Sở Tài chính", Due: "2025-05-15"}}}}}
	return b
}

func itoa(n int) string { return strconv.Itoa(n) }
