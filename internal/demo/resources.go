package demo

import (
	"context"
	"fmt"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The resources register's demo data (SPEC §1.8): funding of each province for 2025 and
// 2026, a few works and models in its communes, and for Hà Nội one steering meeting whose
// tasks give the demo commune officer a reminder. Everything is drawn from each province's
// own random stream, so a load gives the same figures every time (the tasks' days alone
// follow today, so that one of them is always just overdue).

// fundingShares are the usual weights of the sources in a province's funding (central
// budget the largest, then local budget and enterprises); the community's share is split
// between cash and labour days.
var fundingShares = []struct {
	source string
	share  int // per cent, before the province's own variation
}{
	{"nstw", 38}, {"nsdp", 24}, {"long-ghep", 9}, {"tin-dung", 12}, {"doanh-nghiep", 10},
	{"cong-dong-tien", 4}, {"cong-dong-ngay-cong", 3},
}

// demoWorks are the kinds of works the demo enters: roads (km), schools and cultural houses.
var demoWorks = []struct {
	kind, measure, name string
}{
	{"duong-lien-xa", "km", "Đường liên xã %s"},
	{"duong-truc-xa", "km", "Đường trục xã %s"},
	{"truong-hoc", "công trình", "Trường Tiểu học %s"},
	{"nha-van-hoa", "công trình", "Nhà văn hóa %s"},
}

// loadResources writes the demo funding, works, models and steering tasks. old and cur are
// the units before and after the reform (models recognised in 2024 are on the communes of
// then); demoXa is the demo commune officer's commune.
func loadResources(ctx context.Context, db *store.DB, old, cur []units.Unit, demoXa string) error {
	cat, err := resources.Shipped()
	if err != nil {
		return err
	}
	byProvince := map[string][]units.Unit{}
	var provinces []string
	for _, u := range cur {
		if u.Level == units.LevelProvince {
			provinces = append(provinces, u.Code)
		}
		if u.IsRuralCommune() {
			byProvince[u.ParentCode] = append(byProvince[u.ParentCode], u)
		}
	}
	for i, p := range provinces {
		xs := byProvince[p]
		if len(xs) == 0 {
			continue
		}
		if err := demoFunding(ctx, db, cat, p, i); err != nil {
			return err
		}
		if err := demoWorksOf(ctx, db, cat, p, xs); err != nil {
			return err
		}
		var olds []units.Unit
		for _, u := range inProvinces(old, []string{p}) {
			if u.IsRuralCommune() {
				olds = append(olds, u)
			}
		}
		if err := demoModels(ctx, db, cat, p, olds, xs); err != nil {
			return err
		}
		if p == "01" && demoXa != "" {
			if err := demoTasks(ctx, db, demoXa); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoFunding enters the province's funding of 2025 and 2026; the i-th province reports a
// total equal to the sum of its sources, except every 17th (the first among them), whose
// 2026 total is off by a little so that the check flags it.
func demoFunding(ctx context.Context, db *store.DB, cat *resources.Catalog, p string, i int) error {
	r := seed(p, "funding")
	base := int64(150_000 + r.IntN(450_000)) // triệu đồng in 2025
	for _, year := range []int{2025, 2026} {
		total := base
		if year == 2026 {
			total = base * int64(95+r.IntN(25)) / 100
		}
		parts := map[string]resources.Fixed{}
		var sum resources.Fixed
		for _, s := range fundingShares {
			share := int64(s.share*10 + r.IntN(s.share*4+1) - s.share*2) // ±20 % of the weight, in tenths of a per cent
			v := resources.Fixed(total * share * resources.Scale / 1000)
			v -= v % 100 // to the tenth of a million
			parts[s.source] = v
			sum += v
		}
		reported := sum
		if year == 2026 && i%17 == 0 {
			reported += resources.FromInt(int64(1 + r.IntN(9)))
		}
		f := resources.Funding{UnitCode: p, Year: year, Parts: parts, ReportedTotal: &reported, Note: "Dữ liệu mẫu"}
		if err := cat.CheckFunding(f); err != nil {
			return fmt.Errorf("funding of %s in %d: %w", p, year, err)
		}
		if _, err := db.PutFunding(ctx, "demo", f); err != nil {
			return fmt.Errorf("funding of %s in %d: %w", p, year, err)
		}
	}
	return nil
}

// demoWorksOf enters four to six works in communes of the province, in 2025 and 2026: the
// 2025 ones done and paid, the 2026 ones partly paid or still planned.
func demoWorksOf(ctx context.Context, db *store.DB, cat *resources.Catalog, p string, xs []units.Unit) error {
	r := seed(p, "works")
	used := map[string]bool{} // commune, kind and year already given a work: a second one would be the same work
	for i, n := 0, 4+r.IntN(3); i < n; i++ {
		k := demoWorks[i%len(demoWorks)]
		year := 2025 + i%2
		x := pickUnused(xs, r.IntN(len(xs)), used, fmt.Sprintf("%s|%d", k.kind, year))
		w := resources.Work{UnitCode: x.Code, Year: year, Kind: k.kind, Name: fmt.Sprintf(k.name, x.Name), Measure: k.measure,
			Quantity: resources.FromInt(1), Status: resources.WorkDone, Note: "Dữ liệu mẫu"}
		if k.measure == "km" {
			w.Quantity = resources.Fixed(1500 + r.IntN(12000)) // 1,5 to 13,5 km
		}
		budget := resources.FromInt(int64(2_000 + r.IntN(18_000)))
		w.Budget = map[string]resources.Fixed{"nstw": budget * 6 / 10, "nsdp": budget - budget*6/10}
		var paid []resources.Disbursement
		switch {
		case year == 2025:
			paid = []resources.Disbursement{{Day: "2025-06-30", Amount: budget / 2}, {Day: "2025-12-15", Amount: budget * 2 / 5}}
		case i%4 == 1:
			w.Status = resources.WorkUnderConstruction
			paid = []resources.Disbursement{{Day: "2026-05-20", Amount: budget * 3 / 10}}
		case i%4 == 3:
			w.Status = resources.WorkPlanned
		default:
			paid = []resources.Disbursement{{Day: "2026-04-10", Amount: budget * 7 / 10}}
		}
		if err := cat.CheckWork(w); err != nil {
			return fmt.Errorf("work %q: %w", w.Name, err)
		}
		sw, err := db.CreateWork(ctx, "demo", w)
		if err != nil {
			return fmt.Errorf("work %q: %w", w.Name, err)
		}
		for _, d := range paid {
			d.Amount -= d.Amount % 100
			d.Source = "nstw"
			if _, err := db.AddDisbursement(ctx, "demo", sw.ID, d); err != nil {
				return fmt.Errorf("disbursement of %q: %w", w.Name, err)
			}
		}
	}
	return nil
}

// demoModels enters model residential areas (khu dân cư kiểu mẫu) and model gardens
// (vườn mẫu) recognised in 2024 (in communes of before the reform), 2025 and 2026.
func demoModels(ctx context.Context, db *store.DB, cat *resources.Catalog, p string, olds, xs []units.Unit) error {
	r := seed(p, "models")
	used := map[string]bool{}
	for i, n := 0, 3+r.IntN(4); i < n; i++ {
		year := 2024 + i%3
		pool := xs
		if year == 2024 && len(olds) > 0 {
			pool = olds
		}
		x := pickUnused(pool, r.IntN(len(pool)), used, fmt.Sprintf("%d|%d", year, i%2))
		m := resources.Model{Kind: "khu-dan-cu-kieu-mau", UnitCode: x.Code, Year: year, Note: "Dữ liệu mẫu",
			Decision: fmt.Sprintf("%d/QĐ-UBND", 200+r.IntN(700)), DecisionDate: units.Date(fmt.Sprintf("%04d-%02d-%02d", year, 3+r.IntN(8), 1+r.IntN(28)))}
		if i%2 == 0 {
			m.Village = fmt.Sprintf("Thôn %d", 1+r.IntN(9))
			m.Name = "Khu dân cư kiểu mẫu " + m.Village
		} else {
			m.Kind = "vuon-mau"
			m.Name = fmt.Sprintf("Vườn mẫu hộ %s", []string{"ông Nguyễn Văn An", "bà Trần Thị Bình", "ông Lê Văn Cường", "bà Phạm Thị Dung"}[r.IntN(4)])
		}
		if err := cat.CheckModel(m); err != nil {
			return fmt.Errorf("model %q: %w", m.Name, err)
		}
		if _, err := db.CreateModel(ctx, "demo", m); err != nil {
			return fmt.Errorf("model %q in %s: %w", m.Name, x.Code, err)
		}
	}
	return nil
}

// demoTasks holds Hà Nội's steering meeting of a month ago with three tasks for the demo
// commune: one done, one due yesterday and not done (the demo xa user's reminder), one due
// next month.
func demoTasks(ctx context.Context, db *store.DB, xa string) error {
	today := units.Today()
	m, err := db.SaveMeeting(ctx, "demo", 0, resources.Meeting{UnitCode: "01", Day: today.AddDays(-30),
		Chair: "Phó Chủ tịch UBND thành phố", Conclusions: "Rà soát tiêu chí, đẩy nhanh giải ngân vốn và hoàn thành công trình trước cuối năm (dữ liệu mẫu)."})
	if err != nil {
		return fmt.Errorf("meeting: %w", err)
	}
	tasks := []resources.Task{
		{Title: "Báo cáo kết quả rà soát 10 tiêu chí xã nông thôn mới", Due: today.AddDays(-10), Status: resources.TaskDone, DoneOn: today.AddDays(-12)},
		{Title: "Hoàn thành hồ sơ giải ngân vốn đường trục xã", Due: today.AddDays(-1), Status: resources.TaskInProgress},
		{Title: "Hoàn thiện nhà văn hóa thôn và tổ chức nghiệm thu", Due: today.AddDays(30), Status: resources.TaskOpen},
	}
	for _, t := range tasks {
		t.MeetingID, t.UnitCode, t.OwnerKind, t.Owner, t.Assigned = m.ID, "01", resources.OwnerUnit, xa, m.Day
		if err := resources.CheckTask(t); err != nil {
			return fmt.Errorf("task %q: %w", t.Title, err)
		}
		if _, err := db.SaveTask(ctx, "demo", 0, t); err != nil {
			return fmt.Errorf("task %q: %w", t.Title, err)
		}
	}
	return nil
}

// pickUnused returns the unit at index start, or the next one after it, whose key (its code
// and what) is not used yet, and marks it used: the demo never enters the same work or model
// twice in one commune.
func pickUnused(us []units.Unit, start int, used map[string]bool, what string) units.Unit {
	for i := 0; i < len(us); i++ {
		u := us[(start+i)%len(us)]
		if k := u.Code + "|" + what; !used[k] {
			used[k] = true
			return u
		}
	}
	return us[start]
}
