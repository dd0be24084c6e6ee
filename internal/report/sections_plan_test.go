package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/plan/plantest"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// The province's annual report carries the plan (issue 19, point 5): the communes proposed
// for the year with what they still cost under "Nhiệm vụ", and the recognised communes at
// risk under "Tồn tại, hạn chế" — the sentences of app.PlanForBulletin on the constructed
// province, whose costs and order are computed by hand in internal/app's plan tests.
func TestBulletin_PlanSections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := plantest.Build(t, db)
		set, err := cat.Get(ctx, plantest.SetID)
		if err != nil {
			t.Fatal(err)
		}
		src := report.Source{DB: db, Catalog: cat}
		req := report.Request{Unit: plantest.Province, SetID: plantest.SetID, Period: "2026", AsOf: plantest.AsOf}

		// No cost table yet: nothing to propose, but the communes at risk are named.
		b, err := report.Build(ctx, src, req)
		if err != nil {
			t.Fatal(err)
		}
		if b.Plan == nil || b.Plan.TasksAhead != "" || !strings.Contains(b.Plan.AtRisk, "Xã Dương") {
			t.Fatalf("plan without costs: %+v", b.Plan)
		}

		costs := "Mã chỉ tiêu,Đơn giá (triệu đồng)\n1.1,100\n1.2,20\n2.1,50\n3.1,300\n"
		if _, err := app.ImportPlanCosts(ctx, db, "tinh", set, plantest.Province, 2026, "don-gia.csv", []byte(costs)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutTarget(ctx, "tinh", store.Target{UnitCode: plantest.Province, Year: 2026, Metric: "units_met", SetID: plantest.SetID, Value: 4}); err != nil {
			t.Fatal(err)
		}
		b, err = report.Build(ctx, src, req)
		if err != nil {
			t.Fatal(err)
		}
		d, err := b.Document()
		if err != nil {
			t.Fatal(err)
		}
		// The same sentences as the plan's own (tested by hand in internal/app), each in
		// its section.
		want, err := app.PlanForBulletin(ctx, db, set, plantest.Province, 2026, b.Period.AsOf)
		if err != nil || !strings.HasPrefix(want.TasksAhead, "Năm 2026 phấn đấu có thêm 03 xã đạt chuẩn:") {
			t.Fatalf("plan: %v %+v", err, want)
		}
		md := string(d.Markdown)
		short, ahead := strings.Index(md, "## II."), strings.Index(md, "## III.")
		if risk := strings.Index(md, "- "+want.AtRisk); short < 0 || ahead < 0 || risk < short || risk > ahead {
			t.Errorf("the communes at risk (%q) are not under II:\n%s", want.AtRisk, md)
		}
		if tasks := strings.Index(md, "- "+want.TasksAhead); tasks < ahead {
			t.Errorf("the proposal (%q) is not under III:\n%s", want.TasksAhead, md[max(ahead, 0):])
		}

		// The whole country's report proposes nothing: the plan is a province's decision.
		b, err = report.Build(ctx, src, report.Request{SetID: plantest.SetID, Period: "2026", AsOf: plantest.AsOf})
		if err != nil {
			t.Fatal(err)
		}
		if b.Plan != nil {
			t.Errorf("the country's report carries a plan: %+v", b.Plan)
		}
	})
}
