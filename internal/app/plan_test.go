package app_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/plan"
	"github.com/ntm-vn/ntm/internal/plan/plantest"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func planCodes(us []plan.UnitGap) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Code)
	}
	return out
}

// The constructed province on both engines: the order, the gaps and their thresholds by
// region, the commune with only data missing apart, the one not assessed named.
func TestGaps_ConstructedProvince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := plantest.Build(t, db)
		set, err := cat.Get(ctx, plantest.SetID)
		if err != nil {
			t.Fatal(err)
		}
		g, err := app.Gaps(ctx, db, set, plantest.Province, plantest.AsOf, false)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := planCodes(g.Units), []string{"99002", "99001", "99007", "99003"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("order %v, want %v", got, want)
		}
		if got := planCodes(g.Incomplete); !reflect.DeepEqual(got, []string{"99005"}) {
			t.Errorf("incomplete %v", got)
		}
		if g.Communes != 7 || g.Assessed != 6 || g.Met != 1 || len(g.NotAssessed) != 1 || g.NotAssessed[0].Code != "99006" || g.Empty {
			t.Errorf("counts %+v", g)
		}
		b := g.Units[0].Missing[0]
		if b.Criterion != 1 || len(b.Indicators) != 1 || *b.Indicators[0].Gap != 2 || b.Indicators[0].Threshold.Num != 95 {
			t.Errorf("99002: %+v", b)
		}
		c := g.Units[3]
		if c.CriteriaMissing != 2 || c.IndicatorsMissing != 2 || c.Missing[0].Indicators[0].Text != "1.2: 41,2 triệu đồng/người → 45 triệu đồng/người, còn thiếu 3,8 triệu đồng/người" {
			t.Errorf("99003: %+v", c)
		}
		text := g.Text("vi")
		for _, want := range []string{"1. Xã Bình (99002): thiếu 1 tiêu chí, 1 chỉ tiêu", "1.1: 93 % → 95 %, còn thiếu 2 điểm %",
			"Chưa đủ số liệu (1 xã):", "3.1: thiếu minh chứng", "Chưa đánh giá (1 xã): Xã Phú (99006)"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		// A commune (its own unit) and a day before any assessment: an empty plan that says so.
		g, err = app.Gaps(ctx, db, set, plantest.Province, "2025-07-01", false)
		if err != nil || !g.Empty || len(g.Units) != 0 || !strings.Contains(g.Message, "kế hoạch trống") {
			t.Errorf("empty plan: %+v %v", g, err)
		}
	})
}

// The early warning: 99004 (recognised) is within 5 % of 95 on 1.1 and its income (dynamic)
// fell from 48 to 46,5; 99001 (recognised) no longer meets 1.1.
func TestWarnings_ConstructedProvince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := plantest.Build(t, db)
		set, _ := cat.Get(ctx, plantest.SetID)
		w, err := app.Warnings(ctx, db, set, plantest.Province, plantest.AsOf, false)
		if err != nil {
			t.Fatal(err)
		}
		if w.Checked != 2 || len(w.Warnings) != 2 || w.Warnings[0].Code != "99001" || w.Warnings[1].Code != "99004" {
			t.Fatalf("%+v", w)
		}
		reasons := map[string]string{}
		for _, r := range w.Warnings[1].Risks {
			reasons[r.Code] = r.Reason
		}
		if !reflect.DeepEqual(reasons, map[string]string{"1.1": plan.RiskNear, "1.2": plan.RiskDeclined}) {
			t.Errorf("99004 risks %v", reasons)
		}
		if !strings.Contains(w.Text("vi"), "1.2: giảm từ 48 triệu đồng/người xuống 46,5 triệu đồng/người") {
			t.Errorf("text:\n%s", w.Text("vi"))
		}
	})
}

// costCSV is the province's cost table: 1.1 100 triệu đồng per point, 1.2 20 per triệu
// đồng/người, 2.1 50 per point, 3.1 300 for a plan.
const costCSV = "Mã chỉ tiêu,Tên chỉ tiêu,Đơn giá (triệu đồng),Ghi chú\n1.1,Đường,100,mỗi điểm %\n1.2,Thu nhập,20,\n2.1,Nước sạch,\"50\",\n3.1,Quy hoạch,300,\n"

// Costs and the proposal, by hand: 99002 2×100 = 200; 99001 8×100 = 800 less a planned work
// of 700 on criterion 1 = 100; 99007 10×100 + 5×20 = 1.100; 99003 3,8×20 + 10×50 = 576. Two
// communes: 99001 (100) and 99002 (200), 300 in all; with 99004 meeting, 3 would meet, which
// meets a units_met target of 3 and not one of 4.
func TestPropose_ConstructedProvince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := plantest.Build(t, db)
		set, _ := cat.Get(ctx, plantest.SetID)
		rows, err := app.ImportPlanCosts(ctx, db, "tinh", set, plantest.Province, 2026, "don-gia.csv", []byte(costCSV))
		if err != nil || len(rows) != 4 || rows[0].Code != "1.1" || rows[0].PerUnit.Float() != 100 {
			t.Fatalf("import: %v %+v", err, rows)
		}
		if _, err := db.CreateWork(ctx, "tinh", resources.Work{UnitCode: "99001", Year: 2026, Kind: "duong-lien-xa", Name: "Đường liên xã An",
			CriterionSet: plantest.SetID, Criterion: 1, Quantity: 2000, Measure: "km", Status: resources.WorkPlanned,
			Budget: map[string]resources.Fixed{"nsdp": resources.FromInt(700)}}); err != nil {
			t.Fatal(err)
		}
		target := func(v float64) {
			t.Helper()
			if _, err := db.PutTarget(ctx, "tinh", store.Target{UnitCode: plantest.Province, Year: 2026, Metric: "units_met", SetID: plantest.SetID, Value: v}); err != nil {
				t.Fatal(err)
			}
		}
		target(3)
		p, err := app.Propose(ctx, db, set, plantest.Province, 2026, 2, plantest.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Chosen) != 2 || p.Chosen[0].Code != "99001" || p.Chosen[0].Remaining != 100 || p.Chosen[0].Works != 700 ||
			p.Chosen[1].Code != "99002" || p.Chosen[1].Remaining != 200 || p.Total != 300 || p.CostsFrom != plantest.Province {
			t.Fatalf("proposal %+v", p.Proposal)
		}
		if p.Now.Met != 1 || p.Projected.Met != 3 || len(p.Targets) != 1 || !p.Targets[0].Met || p.Targets[0].Value != 3 {
			t.Errorf("figures %+v → %+v, targets %+v", p.Now, p.Projected, p.Targets)
		}
		// A target of 4 (it replaces the 3): the count comes from it, 4 − 1 = 3 communes, 99003
		// third at 576; total 876.
		target(4)
		p, err = app.Propose(ctx, db, set, plantest.Province, 2026, 0, plantest.AsOf)
		if err != nil || p.Asked != 3 || len(p.Chosen) != 3 || p.Chosen[2].Code != "99003" || p.Total != 876 || !p.Targets[0].Met || p.Projected.Met != 4 {
			t.Errorf("from the target: %v %+v %+v", err, p.Proposal, p.Targets)
		}
		// What the bulletin can say: the three communes and their cost, the two at risk.
		bl, err := app.PlanForBulletin(ctx, db, set, plantest.Province, 2026, plantest.AsOf)
		if err != nil || bl.TasksAhead != "Năm 2026 phấn đấu có thêm 03 xã đạt chuẩn: Xã An, Xã Bình, Xã Cát; kinh phí dự kiến còn cần 876 triệu đồng." ||
			bl.AtRisk != "Có 02 xã đã được công nhận có nguy cơ không giữ được chuẩn: Xã An, Xã Dương." {
			t.Errorf("bulletin: %v %q %q", err, bl.TasksAhead, bl.AtRisk)
		}
		// A table with an unknown code and a negative cost is refused whole, naming both.
		_, err = app.ImportPlanCosts(ctx, db, "tinh", set, plantest.Province, 2026, "sai.csv", []byte("Mã chỉ tiêu,Đơn giá (triệu đồng)\n1.1,100\n9.9,5\n2.1,-50\n"))
		_, probs, _ := resources.ImportFile(err)
		if len(probs) != 2 || probs[0].Line != 3 || probs[0].Column != "A" || probs[1].Line != 4 || probs[1].Column != "B" {
			t.Fatalf("bad table: %v", err)
		}
		if rows, _ := db.PlanCosts(ctx, plantest.Province, 2026, plantest.SetID); len(rows) != 4 || rows[0].PerUnit.Float() != 100 {
			t.Errorf("the stored table changed: %+v", rows)
		}
	})
}

// What-if and saved scenarios: 99002 expected at 95 % and 99003's works on criteria 1 and 2
// bring 3 communes to the standard; the scenario is saved, saved again with If-Match, and a
// stale save is refused with the current version.
func TestProjectAndScenarios_ConstructedProvince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := plantest.Build(t, db)
		set, _ := cat.Get(ctx, plantest.SetID)
		as := []app.AssumptionIn{{Unit: "99002", Values: map[string]string{"1.1": "95"}}, {Unit: "99003", Criteria: []int{1, 2}}}
		p, err := app.Project(ctx, db, set, plantest.Province, 2026, plantest.AsOf, as)
		if err != nil {
			t.Fatal(err)
		}
		if p.Now.Met != 1 || p.Projected.Met != 3 || len(p.Changes) != 2 || !p.Changes[0].MetTo {
			t.Fatalf("projection %+v", p.Projection)
		}
		if _, err := app.Project(ctx, db, set, plantest.Province, 2026, plantest.AsOf, []app.AssumptionIn{{Unit: "99002", Values: map[string]string{"1.1": "abc"}}}); err == nil || !strings.Contains(err.Error(), "1.1") {
			t.Errorf("a value that is not a number: %v", err)
		}
		body, _ := json.Marshal(as)
		proj, _ := json.Marshal(p)
		sc, err := db.CreateScenario(ctx, "tinh", store.Scenario{UnitCode: plantest.Province, Year: 2026, SetID: plantest.SetID, Name: "Phương án 1", Assumptions: body, Projected: proj})
		if err != nil || sc.Version != 1 {
			t.Fatalf("create: %v %+v", err, sc)
		}
		if _, err := db.CreateScenario(ctx, "tinh", store.Scenario{UnitCode: plantest.Province, Year: 2026, SetID: plantest.SetID, Name: "Phương án 1", Assumptions: body, Projected: proj}); err == nil {
			t.Error("a second scenario of the same name")
		}
		sc2, err := db.SaveScenario(ctx, "tinh", sc.ID, 1, body, proj)
		if err != nil || sc2.Version != 2 {
			t.Fatalf("save: %v %+v", err, sc2)
		}
		if _, err := db.SaveScenario(ctx, "huyen", sc.ID, 1, body, proj); !fault.Is(err, fault.Conflict) || err.(*fault.Error).Current.(store.Scenario).Version != 2 {
			t.Errorf("stale save: %v", err)
		}
		if vs, _ := db.ScenarioVersions(ctx, sc.ID); len(vs) != 2 {
			t.Errorf("versions %+v", vs)
		}
		cmp, err := app.CompareScenario(ctx, db, set, sc2, plantest.AsOf)
		if err != nil || cmp.Projected.Met != 3 || cmp.Actual.Met != 1 || len(cmp.Communes) != 2 || !cmp.Communes[0].ExpectedMet || cmp.Communes[0].Met {
			t.Errorf("compare: %v %+v", err, cmp)
		}
	})
}
