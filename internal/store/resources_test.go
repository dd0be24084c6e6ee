package store_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func million(n int64) resources.Fixed { return resources.FromInt(n) }

func TestFunding_PutFlagsTheReportedTotalAndAudits(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		parts := map[string]resources.Fixed{"nstw": million(195420), "nsdp": million(64310), "long-ghep": million(2150),
			"tin-dung": million(3900), "doanh-nghiep": million(98775), "cong-dong": million(6045)}
		total := million(370600)
		f, err := db.PutFunding(ctx, "lan", resources.Funding{UnitCode: "21607", Year: 2025, Parts: parts, ReportedTotal: &total})
		if err != nil {
			t.Fatal(err)
		}
		if f.Check.Flagged || f.Total != total || f.UnitName != "Xã Nhơn Châu" || f.UnitFrom != "2025-07-01" {
			t.Errorf("370.600: %+v", f)
		}
		// The same unit and year again replaces the entry; the total is kept as reported.
		wrong := million(370601)
		g, err := db.PutFunding(ctx, "minh", resources.Funding{UnitCode: "21607", Year: 2025, Parts: parts, ReportedTotal: &wrong, Note: "theo báo cáo"})
		if err != nil {
			t.Fatal(err)
		}
		if g.ID != f.ID || !g.Check.Flagged || g.Check.Difference != million(1) || *g.ReportedTotal != wrong || g.CreatedBy != "lan" || g.UpdatedBy != "minh" {
			t.Errorf("370.601: %+v", g)
		}
		log, err := db.AuditLog(ctx, store.AuditFilter{Entity: "funding"})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2 || log[0].Action != "update" || !strings.Contains(log[0].Detail, "chênh lệch 1 triệu đồng") || log[0].UnitCode != "21607" {
			t.Errorf("audit: %+v", log)
		}
		// A unit that did not exist in the year is refused.
		if _, err := db.PutFunding(ctx, "lan", resources.Funding{UnitCode: "99999", Year: 2025, Parts: parts}); !errors.Is(err, store.ErrNoUnit) || !fault.Is(err, fault.InvalidValue) {
			t.Errorf("unknown unit: %v", err)
		}
		if err := db.DeleteFunding(ctx, "lan", f.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Funding(ctx, f.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted: %v", err)
		}
	})
}

// Rows count where their unit lies on the day asked, and rows of units that no longer exist
// count under their successor: the new Gia Lai (52) sums in 2026 the 2024 funding of the old
// Gia Lai's wards, while in 2024 the code 52 is Bình Định, which holds none of them.
func TestFunding_RollsUpTheHierarchyAsOfADay(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		put := func(code string, year int, amount int64) {
			t.Helper()
			if _, err := db.PutFunding(ctx, "seed", resources.Funding{UnitCode: code, Year: year, Parts: map[string]resources.Fixed{"nstw": million(amount)}}); err != nil {
				t.Fatal(err)
			}
		}
		put("23566", 2024, 10) // Phường Hội Thương, old Gia Lai (64) → Phường Pleiku 23575
		put("21607", 2024, 20) // Xã Nhơn Châu, old Bình Định (52)
		put("21607", 2025, 30) // Xã Nhơn Châu, new Gia Lai (52)
		put("20335", 2024, 40) // Phường Tân Thạnh, Quảng Nam (49)
		put("52", 2025, 50)    // the new province itself
		put("540", 2024, 60)   // Thành phố Quy Nhơn, a district of old Bình Định: abolished
		put("64", 2024, 70)    // old Gia Lai: abolished, merged into the new Gia Lai
		type row struct {
			code  string
			year  int
			under string
			child string
		}
		list := func(root string, day units.Date) []row {
			t.Helper()
			fs, err := db.ListFunding(ctx, store.FundingFilter{AsOfScope: store.AsOfScope{Root: root, AsOf: day}})
			if err != nil {
				t.Fatal(err)
			}
			var out []row
			for _, f := range fs {
				out = append(out, row{f.UnitCode, f.Year, f.Under, f.Child})
			}
			sort.Slice(out, func(i, j int) bool {
				return out[i].code+string(rune(out[i].year)) < out[j].code+string(rune(out[j].year))
			})
			return out
		}
		// Abolished districts and provinces count under the unit that holds all their
		// communes' successors.
		if got, want := list("52", "2026-01-01"), []row{{"21607", 2024, "21607", "21607"}, {"21607", 2025, "21607", "21607"}, {"23566", 2024, "23575", "23575"},
			{"52", 2025, "52", ""}, {"540", 2024, "52", ""}, {"64", 2024, "52", ""}}; !slices.Equal(got, want) {
			t.Errorf("new Gia Lai in 2026: %v, want %v", got, want)
		}
		if got, want := list("52", "2024-06-30"), []row{{"21607", 2024, "21607", "540"}, {"540", 2024, "540", "540"}}; !slices.Equal(got, want) {
			t.Errorf("Bình Định in 2024: %v, want %v", got, want)
		}
		if got, want := list("23575", "2026-01-01"), []row{{"23566", 2024, "23575", ""}}; !slices.Equal(got, want) {
			t.Errorf("Phường Pleiku: %v, want %v", got, want)
		}
		if got := list("", "2026-01-01"); len(got) != 7 || got[5].under != "52" || got[5].child != "52" {
			t.Errorf("the country: %v", got)
		}
		fs, _ := db.ListFunding(ctx, store.FundingFilter{AsOfScope: store.AsOfScope{Root: "52", AsOf: "2026-01-01"}, Years: []int{2025}})
		if len(fs) != 2 || fs[0].Parts["nstw"] != million(30) && fs[1].Parts["nstw"] != million(30) {
			t.Errorf("2025 only: %+v", fs)
		}
		if _, err := db.ListFunding(ctx, store.FundingFilter{AsOfScope: store.AsOfScope{Root: "99", AsOf: "2026-01-01"}}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown root: %v", err)
		}
	})
}

func TestFunding_ImportAllOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rows := []resources.FundingRow{
			{Line: 2, Funding: resources.Funding{UnitCode: "21607", Year: 2025, Parts: map[string]resources.Fixed{"nstw": million(1)}}},
			{Line: 3, Funding: resources.Funding{UnitCode: "99999", Year: 2025, Parts: map[string]resources.Fixed{"nstw": million(1)}}},
		}
		_, err := db.ImportFunding(ctx, "lan", "von.xlsx", rows)
		_, probs, _ := resources.ImportFile(err)
		if len(probs) != 1 || probs[0].Line != 3 || !strings.Contains(probs[0].Text("vi"), "Dòng 3: không có đơn vị mã 99999") {
			t.Fatalf("bad row: %v", err)
		}
		if fs, _ := db.ListFunding(ctx, store.FundingFilter{}); len(fs) != 0 {
			t.Errorf("a failed import stored %d rows", len(fs))
		}
		n, err := db.ImportFunding(ctx, "lan", "von.xlsx", rows[:1])
		if err != nil || n.Inserted != 1 {
			t.Fatalf("import: %+v %v", n, err)
		}
		if n, err := db.ImportFunding(ctx, "lan", "von.xlsx", rows[:1]); err != nil || n.Updated != 1 || n.Inserted != 0 {
			t.Errorf("import again: %+v %v", n, err)
		}
	})
}

func TestWorks_DisbursementsAndDuplicates(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := resources.Work{UnitCode: "21607", Year: 2025, Kind: "duong-lien-xa", Name: "Đường Nhơn Châu", Quantity: 12480, Measure: "km",
			Status: resources.WorkUnderConstruction, CriterionSet: "xa-ntm-2021", Criterion: 2, Budget: map[string]resources.Fixed{"nstw": million(800), "nsdp": million(200)}}
		got, err := db.CreateWork(ctx, "lan", w)
		if err != nil {
			t.Fatal(err)
		}
		if got.Planned != million(1000) || got.Rate == nil || *got.Rate != 0 || len(got.Disbursements) != 0 {
			t.Errorf("new work: %+v", got)
		}
		w2 := w
		w2.Name = "đường  NHƠN CHÂU"
		if _, err := db.CreateWork(ctx, "lan", w2); !existsAs(err, got.ID) {
			t.Errorf("same work again: %v", err)
		}
		got, err = db.AddDisbursement(ctx, "lan", got.ID, resources.Disbursement{Day: "2025-09-30", Amount: million(250), Source: "nstw"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Disbursed != million(250) || *got.Rate != 25 || len(got.Disbursements) != 1 {
			t.Errorf("after a disbursement: %+v", got)
		}
		w.Status = resources.WorkDone
		if got, err = db.UpdateWork(ctx, "minh", got.ID, w); err != nil || got.Status != resources.WorkDone || got.Disbursed != million(250) {
			t.Errorf("update keeps disbursements: %+v %v", got, err)
		}
		if got, err = db.DeleteDisbursement(ctx, "minh", got.ID, got.Disbursements[0].ID); err != nil || got.Disbursed != 0 {
			t.Errorf("delete disbursement: %+v %v", got, err)
		}
		ws, err := db.ListWorks(ctx, store.WorkFilter{AsOfScope: store.AsOfScope{Root: "52"}, Kind: "duong-lien-xa"})
		if err != nil || len(ws) != 1 || ws[0].Under != "21607" {
			t.Errorf("list: %+v %v", ws, err)
		}
		// An import updates the work of the same name and sets its disbursement to the figure.
		d := million(600)
		n, err := db.ImportWorks(ctx, "lan", "ct.xlsx", []resources.WorkRow{{Line: 2, Work: w, Disbursed: &d, DisbursedOn: "2025-12-31"}})
		if err != nil || n.Updated != 1 {
			t.Fatalf("import: %+v %v", n, err)
		}
		if got, _ = db.Work(ctx, got.ID); got.Disbursed != million(600) || *got.Rate != 60 {
			t.Errorf("after import: %+v", got)
		}
		if err := db.DeleteWork(ctx, "lan", got.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestModels_ListAndImport(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := resources.Model{Kind: "khu-dan-cu-kieu-mau", UnitCode: "21607", Village: "Thôn Một", Name: "Khu dân cư thôn Một", Year: 2024,
			Decision: "123/QĐ-UBND", DecisionDate: "2024-11-15"}
		got, err := db.CreateModel(ctx, "lan", m)
		if err != nil || got.UnitFrom != units.Beginning || got.UnitLevel != units.LevelCommune {
			t.Fatalf("create: %+v %v", got, err)
		}
		rows := []resources.ModelRow{
			{Line: 2, Model: m},
			{Line: 3, Model: resources.Model{Kind: "vuon-mau", UnitCode: "21607", Name: "Vườn hộ ông A", Year: 2025}},
			{Line: 4, Model: resources.Model{Kind: "vuon-mau", UnitCode: "99999", Name: "Vườn", Year: 2025}},
		}
		_, err = db.ImportModels(ctx, "lan", "mh.csv", rows)
		_, probs, _ := resources.ImportFile(err)
		if len(probs) != 1 || probs[0].Line != 4 {
			t.Fatalf("import with an unknown unit: %v", err)
		}
		n, err := db.ImportModels(ctx, "lan", "mh.csv", rows[:2])
		if err != nil || n.Updated != 1 || n.Inserted != 1 {
			t.Fatalf("import: %+v %v", n, err)
		}
		ms, err := db.ListModels(ctx, store.ModelFilter{AsOfScope: store.AsOfScope{Root: "52", AsOf: "2026-01-01"}, ToYear: 2024})
		if err != nil || len(ms) != 1 || ms[0].Name != "Khu dân cư thôn Một" {
			t.Errorf("models to 2024: %+v %v", ms, err)
		}
	})
}

func TestTasks_OverdueAndNotes(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := units.Today()
		m, err := db.SaveMeeting(ctx, "lan", 0, resources.Meeting{UnitCode: "52", Day: today.AddDays(-30), Chair: "Phó Chủ tịch UBND tỉnh", Conclusions: "Đẩy nhanh giải ngân"})
		if err != nil {
			t.Fatal(err)
		}
		task := func(title, kind, owner string, due units.Date) resources.TaskEntry {
			t.Helper()
			x, err := db.SaveTask(ctx, "lan", 0, resources.Task{MeetingID: m.ID, UnitCode: "52", Title: title, OwnerKind: kind, Owner: owner,
				Assigned: m.Day, Due: due, Status: resources.TaskOpen})
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		late := task("Báo cáo giải ngân", resources.OwnerDepartment, "Sở Tài chính", today.AddDays(-1))
		task("Hoàn thành đường", resources.OwnerUnit, "21607", today)
		task("Chợ Nhơn Châu", resources.OwnerUnit, "21607", today.AddDays(-3))
		if !late.Overdue || late.DaysOverdue != 1 || late.MeetingDay != m.Day {
			t.Errorf("due yesterday: %+v", late)
		}
		overdue := func(root string) []string {
			t.Helper()
			ts, err := db.ListTasks(ctx, store.TaskFilter{AsOfScope: store.AsOfScope{Root: root, AsOf: today}, OverdueOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range ts {
				out = append(out, x.Title)
			}
			return out
		}
		if got := overdue("52"); !slices.Equal(got, []string{"Chợ Nhơn Châu", "Báo cáo giải ngân"}) {
			t.Errorf("overdue in the province: %v", got)
		}
		// The commune sees the task it owns, not the province's department's.
		if got := overdue("21607"); !slices.Equal(got, []string{"Chợ Nhơn Châu"}) {
			t.Errorf("overdue in the commune: %v", got)
		}
		// Done, with a note: no longer overdue.
		got, err := db.AddTaskNote(ctx, "minh", late.ID, today, "Đã gửi báo cáo", resources.TaskDone)
		if err != nil || got.Status != resources.TaskDone || got.DoneOn != today || got.Overdue || len(got.Notes) != 1 {
			t.Errorf("done: %+v %v", got, err)
		}
		if got := overdue("52"); !slices.Equal(got, []string{"Chợ Nhơn Châu"}) {
			t.Errorf("overdue after done: %v", got)
		}
		if err := db.DeleteMeeting(ctx, "lan", m.ID); !fault.Is(err, fault.InvalidValue) || !strings.Contains(err.Error(), "nhiệm vụ; xóa hoặc chuyển") {
			t.Errorf("delete a meeting with tasks: %v", err)
		}
		if _, err := db.SaveTask(ctx, "lan", 0, resources.Task{MeetingID: m.ID, UnitCode: "48", Title: "x", OwnerKind: resources.OwnerDepartment,
			Owner: "Sở", Assigned: today, Due: today, Status: resources.TaskOpen}); !fault.Is(err, fault.Invalid) || !strings.HasPrefix(err.Error(), "meeting_id: ") {
			t.Errorf("a task of another committee's meeting: %v", err)
		}
	})
}
