package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func withUnits(t *testing.T, db *store.DB) {
	t.Helper()
	us, ls, _ := units.Shipped()
	if _, err := db.ImportUnits(context.Background(), us, ls); err != nil {
		t.Fatal(err)
	}
}

func tr(n int64) resources.Fixed { return resources.FromInt(n) }

// Acceptance (issue 9): a task due yesterday and not done is overdue on its owner's
// dashboard and among the bulletin's shortcomings; one due today is not.
func TestOverdueTasks_OnTheOwnersDashboardAndInShortcomings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		withUnits(t, db)
		ctx := context.Background()
		today := units.Today()
		m, err := db.SaveMeeting(ctx, "lan", 0, resources.Meeting{UnitCode: "52", Day: today.AddDays(-20), Chair: "Phó Chủ tịch UBND tỉnh", Conclusions: "Hoàn thành chợ"})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			title string
			due   units.Date
		}{{"Hoàn thành chợ Nhơn Châu", today.AddDays(-1)}, {"Báo cáo tiến độ", today}} {
			if _, err := db.SaveTask(ctx, "lan", 0, resources.Task{MeetingID: m.ID, UnitCode: "52", Title: x.title, OwnerKind: resources.OwnerUnit,
				Owner: "21607", Assigned: m.Day, Due: x.due, Status: resources.TaskOpen}); err != nil {
				t.Fatal(err)
			}
		}
		owner := &auth.User{Username: "xa.nhon-chau", Role: auth.RoleCommune, UnitCode: "21607"}
		got, err := app.OverdueTasksFor(ctx, db, owner, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Title != "Hoàn thành chợ Nhơn Châu" || got[0].DaysOverdue != 1 || got[0].OwnerName != "Xã Nhơn Châu" {
			t.Errorf("owner's dashboard: %+v", got)
		}
		// Another commune's officer has no reminder of it.
		if got, _ := app.OverdueTasksFor(ctx, db, &auth.User{Role: auth.RoleCommune, UnitCode: "23575"}, today); len(got) != 0 {
			t.Errorf("another commune: %+v", got)
		}
		if got, _ := app.OverdueTasksFor(ctx, db, &auth.User{Role: auth.RoleCentral}, today); len(got) != 1 {
			t.Errorf("national: %+v", got)
		}
		year, _ := strconv.Atoi(string(today)[:4])
		sc, err := app.ResourceShortcomings(ctx, db, "52", year, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc) != 1 || sc[0].Kind != "overdue_tasks" || !strings.HasPrefix(sc[0].Text, "Xã Nhơn Châu: 01 nhiệm vụ quá hạn — Hoàn thành chợ Nhơn Châu (hạn ") ||
			!strings.Contains(sc[0].Text, "quá 1 ngày") {
			t.Errorf("shortcomings: %+v", sc)
		}
		// Tomorrow the task due today is overdue too.
		if r, _ := app.OverdueTasks(ctx, db, "52", today.AddDays(1)); r.Count != 2 || r.Tasks[0].DaysOverdue != 2 || len(r.ByOwner) != 1 {
			t.Errorf("tomorrow: %+v", r)
		}
	})
}

func TestFundingSummary_SourcesYearOnYearAndFlags(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		withUnits(t, db)
		ctx := context.Background()
		put := func(code string, year int, parts map[string]resources.Fixed, total *resources.Fixed) {
			t.Helper()
			if _, err := db.PutFunding(ctx, "seed", resources.Funding{UnitCode: code, Year: year, Parts: parts, ReportedTotal: total}); err != nil {
				t.Fatal(err)
			}
		}
		wrong := tr(370601)
		put("21607", 2025, map[string]resources.Fixed{"nstw": tr(195420), "nsdp": tr(64310), "long-ghep": tr(2150), "tin-dung": tr(3900),
			"doanh-nghiep": tr(98775), "cong-dong-tien": tr(6045)}, &wrong)
		put("23575", 2025, map[string]resources.Fixed{"nstw": tr(29580)}, nil)
		put("23566", 2024, map[string]resources.Fixed{"nstw": tr(200000)}, nil) // old ward, now in Phường Pleiku
		put("20335", 2025, map[string]resources.Fixed{"nstw": tr(1)}, nil)      // Đà Nẵng
		r, err := app.FundingSummary(ctx, db, "52", 2025, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if r.UnitName != "Tỉnh Gia Lai" || r.Entries != 2 || r.Total != tr(400180) || r.Previous != tr(200000) || r.ChangePct == nil || *r.ChangePct != 100.09 {
			t.Errorf("totals: %+v", r.FundingFigures)
		}
		if len(r.Flags) != 1 || r.Flags[0].Unit != "21607" || r.Flags[0].Difference != tr(1) {
			t.Errorf("flags: %+v", r.Flags)
		}
		if len(r.Children) != 2 || r.Children[0].Code != "21607" || r.Children[0].Total != tr(370600) {
			t.Errorf("children: %+v", r.Children)
		}
		text := r.Text("vi")
		for _, want := range []string{"Năm 2025 huy động 400.180 triệu đồng (tăng 100,1% so với năm 2024)", "ngân sách trung ương 225.000 triệu đồng (56,2%)",
			"cộng đồng dân cư 6.045 triệu đồng", "Có 01 báo cáo có tổng số không khớp"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		if en := r.Text("en"); !strings.Contains(en, "In 2025, 400,180 million VND was mobilised (up 100.1% from 2024)") ||
			!strings.Contains(en, " 1 reported total differs from the sum of its sources.") {
			t.Errorf("English: %s", en)
		}
		sc, _ := app.ResourceShortcomings(ctx, db, "52", 2025, "2026-01-01")
		if len(sc) != 1 || sc[0].Kind != "funding_total_mismatch" || !strings.Contains(sc[0].Text, "Xã Nhơn Châu: Tổng số báo cáo 370.601 triệu đồng") {
			t.Errorf("shortcomings: %+v", sc)
		}
		if v, ok, _, err := app.ResourceMetric(ctx, db, "52", 2025, app.MetricFundingTotal, "2026-01-01", "vi"); err != nil || !ok || v != 400180 {
			t.Errorf("funding_total: %v %v %v", v, ok, err)
		}
		if _, ok, _, _ := app.ResourceMetric(ctx, db, "52", 2023, app.MetricFundingTotal, "2026-01-01", "vi"); ok {
			t.Errorf("funding_total of a year with no entries has a value")
		}
	})
}

func TestWorksAndModelsSummary(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		withUnits(t, db)
		ctx := context.Background()
		for _, w := range []resources.Work{
			{UnitCode: "21607", Year: 2025, Kind: "duong-lien-xa", Name: "Đường A", Quantity: 60200, Measure: "km", Status: resources.WorkDone, Budget: map[string]resources.Fixed{"nstw": tr(6000)}},
			{UnitCode: "23575", Year: 2025, Kind: "duong-lien-xa", Name: "Đường B", Quantity: 44280, Measure: "km", Status: resources.WorkDone, Budget: map[string]resources.Fixed{"nsdp": tr(4000)}},
			{UnitCode: "23575", Year: 2025, Kind: "nha-van-hoa", Name: "Nhà văn hóa tổ 1", Quantity: tr(1), Measure: "công trình", Status: resources.WorkUnderConstruction},
		} {
			if _, err := db.CreateWork(ctx, "seed", w); err != nil {
				t.Fatal(err)
			}
		}
		ws, _ := db.ListWorks(ctx, store.WorkFilter{})
		if _, err := db.AddDisbursement(ctx, "seed", ws[0].ID, resources.Disbursement{Day: "2025-10-01", Amount: tr(2500)}); err != nil {
			t.Fatal(err)
		}
		r, err := app.WorksSummary(ctx, db, "52", 2025, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Lines) != 1 || r.Lines[0] != "104,48 km đường liên xã" || *r.Rate != 25 {
			t.Errorf("works: %v %v", r.Lines, *r.Rate)
		}
		if text := r.Text("vi"); text != "Hoàn thành 104,48 km đường liên xã; giải ngân 2.500 triệu đồng, đạt 25,0% kế hoạch vốn (10.000 triệu đồng)." {
			t.Errorf("text: %s", text)
		}
		for metric, want := range map[string]float64{app.MetricRoadKm: 104.48, app.MetricWorksDone: 2, app.MetricDisbursementPct: 25} {
			if v, ok, _, err := app.ResourceMetric(ctx, db, "52", 2025, metric, "2026-01-01", "vi"); err != nil || !ok || v != want {
				t.Errorf("%s: %v %v %v", metric, v, ok, err)
			}
		}
		// Before the disbursement's day, none of it counts.
		if r, _ := app.WorksSummary(ctx, db, "52", 2025, "2025-09-30"); r.Disbursed != 0 {
			t.Errorf("disbursed before the day: %v", r.Disbursed)
		}

		// Models: 2 in 2024, 3 in 2025 → 2025 adds 3, total 5.
		for i, y := range []int{2024, 2024, 2025, 2025, 2025} {
			if _, err := db.CreateModel(ctx, "seed", resources.Model{Kind: "khu-dan-cu-kieu-mau", UnitCode: "21607", Name: "Khu dân cư " + string(rune('A'+i)), Year: y}); err != nil {
				t.Fatal(err)
			}
		}
		mr, err := app.ModelsSummary(ctx, db, "52", 2025, 2025, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if c := mr.Counts[0]; c.New != 3 || c.Cumulative != 5 || c.Before != 2 {
			t.Errorf("2025: %+v", c)
		}
		if text := mr.Text("vi"); text != "Năm 2025 có thêm 03 khu dân cư kiểu mẫu, nâng tổng số lên 05 khu dân cư kiểu mẫu." {
			t.Errorf("text: %s", text)
		}
		if mr, _ := app.ModelsSummary(ctx, db, "52", 2024, 2024, "2026-01-01"); mr.Counts[0].New != 2 || mr.Counts[0].Cumulative != 2 || len(mr.Children) != 1 {
			t.Errorf("2024: %+v", mr)
		}
		if v, ok, _, _ := app.ResourceMetric(ctx, db, "52", 2024, app.MetricModelsKhuDanCu, "2026-01-01", "vi"); !ok || v != 2 {
			t.Errorf("models_khu_dan_cu 2024: %v %v", v, ok)
		}
		if _, ok, _, _ := app.ResourceMetric(ctx, db, "52", 2024, app.MetricModelsVuonMau, "2026-01-01", "vi"); ok {
			t.Errorf("models_vuon_mau with no garden has a value")
		}
	})
}
