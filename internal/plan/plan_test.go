package plan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/criteria"
)

func ptr(v criteria.Value) *criteria.Value { return &v }

// testSet: three criteria, thresholds by region (1.1: 90 %, 95 % in DBSH).
func testSet() *criteria.Set {
	return &criteria.Set{ID: "test-plan", Title: "Bộ thử", Level: "commune", Tier: criteria.TierNTM, VariesBy: criteria.VariesRegion,
		Criteria: []criteria.Criterion{
			{Number: 1, Name: "Giao thông", Indicators: []criteria.Indicator{
				{Code: "1.1", Name: "Tỷ lệ đường cứng hóa", Kind: criteria.KindPercent, Unit: "%", Op: criteria.OpAtLeast,
					Threshold: ptr(criteria.Number(90)), By: criteria.Overrides{{Key: "DBSH", Value: criteria.Number(95)}}, Verified: true},
				{Code: "1.2", Name: "Thu nhập", Kind: criteria.KindNumber, Unit: "triệu đồng/người", Op: criteria.OpAtLeast,
					Threshold: ptr(criteria.Number(45)), Dynamic: true, Verified: true},
			}},
			{Number: 2, Name: "Nước sạch", Indicators: []criteria.Indicator{
				{Code: "2.1", Name: "Tỷ lệ hộ dùng nước sạch", Kind: criteria.KindPercent, Unit: "%", Op: criteria.OpAtLeast,
					Threshold: ptr(criteria.Number(80)), Verified: true},
			}},
			{Number: 3, Name: "Quy hoạch", Indicators: []criteria.Indicator{
				{Code: "3.1", Name: "Có quy hoạch", Kind: criteria.KindBool, Op: criteria.OpEqual, Threshold: ptr(criteria.Bool(true)), Verified: true},
			}},
		}}
}

func commune(code, region string, vals map[string]any) Commune {
	c := Commune{Code: code, Name: "Xã " + code, Unit: criteria.Unit{Code: code, Region: region, Level: "commune"}, Period: "2026"}
	if vals == nil {
		return c
	}
	c.Assessed, c.Values = true, criteria.Values{}
	for k, v := range vals {
		switch x := v.(type) {
		case float64:
			c.Values[k] = criteria.Number(x)
		case int:
			c.Values[k] = criteria.Number(float64(x))
		case bool:
			c.Values[k] = criteria.Bool(x)
		}
	}
	return c
}

// The constructed province, its gaps worked out by hand:
//
//	A (TDMNPB) 1.1 = 82 < 90: 1 criterion, 1 indicator, gap 8 points, norm 8/90 = 0.0889
//	B (DBSH)   1.1 = 93 < 95: 1 criterion, 1 indicator, gap 2 points, norm 2/95 = 0.0211
//	C (TDMNPB) 1.2 = 41.2 < 45 (3.8), 2.1 = 70 < 80 (10): 2 criteria, 2 indicators
//	D          meets everything
//	E          3.1 missing: only data missing (chưa đủ số liệu)
//	F          not assessed
//	G (TDMNPB) 1.1 = 80 (10), 1.2 = 40 (5): 1 criterion, 2 indicators
//
// Closest first: B, A, G, C.
func province() []Commune {
	full := func(over map[string]any) map[string]any {
		m := map[string]any{"1.1": 96, "1.2": 50, "2.1": 85, "3.1": true}
		for k, v := range over {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	return []Commune{
		commune("A", "TDMNPB", full(map[string]any{"1.1": 82})),
		commune("B", "DBSH", full(map[string]any{"1.1": 93})),
		commune("C", "TDMNPB", full(map[string]any{"1.2": 41.2, "2.1": 70})),
		commune("D", "DBSH", full(nil)),
		commune("E", "DBSH", full(map[string]any{"3.1": nil})),
		commune("F", "DBSH", nil),
		commune("G", "TDMNPB", full(map[string]any{"1.1": 80, "1.2": 40})),
	}
}

func codes(us []UnitGap) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Code)
	}
	return out
}

func TestComputeGaps_ClosestFirstWithThresholdOfTheCommune(t *testing.T) {
	g, err := ComputeGaps(testSet(), province())
	if err != nil {
		t.Fatal(err)
	}
	g.Describe()
	if got, want := codes(g.Units), []string{"B", "A", "G", "C"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	if got := codes(g.Incomplete); !reflect.DeepEqual(got, []string{"E"}) {
		t.Errorf("incomplete %v, want [E]", got)
	}
	if len(g.NotAssessed) != 1 || g.NotAssessed[0].Code != "F" || g.Met != 1 || g.Assessed != 6 || g.Communes != 7 {
		t.Errorf("counts %+v", g)
	}
	b := g.Units[0]
	ig := b.Missing[0].Indicators[0]
	if b.CriteriaMissing != 1 || b.IndicatorsMissing != 1 || ig.Code != "1.1" || *ig.Gap != 2 || ig.Threshold.Num != 95 || ig.Op != ">=" {
		t.Errorf("B: %+v %+v", b, ig)
	}
	if ig.Text != "1.1: 93 % → 95 %, còn thiếu 2 điểm %" {
		t.Errorf("text %q", ig.Text)
	}
	c := g.Units[3]
	if c.CriteriaMissing != 2 || c.IndicatorsMissing != 2 {
		t.Errorf("C: %+v", c)
	}
	inc := c.Missing[0].Indicators[0]
	if *inc.Gap != 3.8 || inc.Text != "1.2: 41,2 triệu đồng/người → 45 triệu đồng/người, còn thiếu 3,8 triệu đồng/người" {
		t.Errorf("C 1.2: %v %q", *inc.Gap, inc.Text)
	}
	a := g.Units[1]
	if got := a.Missing[0].Indicators[0]; *got.Gap != 8 || got.Threshold.Num != 90 {
		t.Errorf("A: the TDMNPB threshold is 90: %+v", got)
	}
	e := g.Incomplete[0].Missing[0].Indicators[0]
	if !e.Missing || e.Gap != nil || e.Text != "3.1: thiếu minh chứng" {
		t.Errorf("E: %+v", e)
	}
}

func TestComputeGaps_NoCommunes(t *testing.T) {
	g, err := ComputeGaps(testSet(), nil)
	if err != nil || len(g.Units) != 0 || g.Units == nil || g.Communes != 0 {
		t.Fatalf("%+v %v", g, err)
	}
}

func TestPropose_CheapestRemainingCost(t *testing.T) {
	g, _ := ComputeGaps(testSet(), province())
	prices := Prices{"1.1": {Code: "1.1", PerUnit: 100}, "1.2": {Code: "1.2", PerUnit: 20}, "2.1": {Code: "2.1", PerUnit: 50}, "3.1": {Code: "3.1", PerUnit: 300}}
	works := []PlannedWork{{ID: 1, Unit: "A", Criterion: 1, Budget: 700}}
	// By hand: B 2×100 = 200; A 8×100 = 800 less 700 of works = 100; G 10×100 + 5×20 = 1100;
	// C 3.8×20 + 10×50 = 576.
	want := map[string][2]float64{"A": {800, 100}, "B": {200, 200}, "G": {1100, 1100}, "C": {576, 576}}
	for _, u := range g.Units {
		uc := CostOf(u, prices, works)
		if w := want[u.Code]; uc.Cost != w[0] || uc.Remaining != w[1] || !uc.Complete {
			t.Errorf("%s: cost %v remaining %v, want %v", u.Code, uc.Cost, uc.Remaining, w)
		}
	}
	p := Propose(g.Units, prices, works, 2)
	if len(p.Chosen) != 2 || p.Chosen[0].Code != "A" || p.Chosen[1].Code != "B" || p.Total != 300 || p.Short != 0 {
		t.Fatalf("proposal %+v", p)
	}
	// Without a price for 2.1, C cannot be costed: 5 asked, 3 proposed, C apart.
	delete(prices, "2.1")
	p = Propose(g.Units, prices, works, 5)
	if len(p.Chosen) != 3 || p.Short != 2 || len(p.Unpriced) != 1 || p.Unpriced[0].Code != "C" || !reflect.DeepEqual(p.Unpriced[0].Unpriced, []string{"2.1"}) {
		t.Fatalf("proposal %+v", p)
	}
}

func TestEarlyWarning_NearDeclinedFailing(t *testing.T) {
	cs := province()
	d := &cs[3]
	d.Recognized = true
	d.Values["1.1"] = criteria.Number(96)   // DBSH 95: 1 above, within 5 % (4,75)
	d.Values["1.2"] = criteria.Number(46.5) // dynamic, was 48: declined
	d.Values["2.1"] = criteria.Number(87)   // 7 above 80: outside 5 % (4), inside 10 % (8)
	d.Previous = criteria.Values{"1.2": criteria.Number(48)}
	cs[0].Recognized = true // A: 1.1 fails
	ws, err := EarlyWarning(testSet(), cs, Margins{Default: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Code != "A" || ws[1].Code != "D" {
		t.Fatalf("warnings %+v", ws)
	}
	reasons := map[string]string{}
	for _, r := range ws[1].Risks {
		reasons[r.Code] = r.Reason
	}
	if !reflect.DeepEqual(reasons, map[string]string{"1.1": RiskNear, "1.2": RiskDeclined}) {
		t.Errorf("D risks %v", reasons)
	}
	if ws[0].Risks[0].Reason != RiskFailing || !reflect.DeepEqual(ws[0].Failing, []int{1}) {
		t.Errorf("A %+v", ws[0])
	}
	ws, _ = EarlyWarning(testSet(), cs, Margins{Default: 5, ByCode: map[string]float64{"2.1": 10}})
	if len(ws[1].Risks) != 3 {
		t.Errorf("with 10 %% on 2.1: %+v", ws[1].Risks)
	}
}

func TestProject_ExpectedValuesAndWorks(t *testing.T) {
	cs := province()
	p, err := Project(testSet(), cs, []Assumption{
		{Unit: "B", Values: criteria.Values{"1.1": criteria.Number(95)}},
		{Unit: "C", Criteria: []int{1, 2}},
		{Unit: "G", Values: criteria.Values{"1.1": criteria.Number(90)}}, // 1.2 still short
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Now.Met != 1 || p.Projected.Met != 3 || p.Now.Assessed != 6 {
		t.Fatalf("figures %+v → %+v", p.Now, p.Projected)
	}
	// Now: A 2, B 2, C 1, D 3, E 2, G 2 = 12/6 = 2; projected: B 3, C 3 → 15/6 = 2,5.
	if p.Now.CriteriaAvg != 2 || p.Projected.CriteriaAvg != 2.5 || p.Projected.Distribution["3"] != 3 {
		t.Errorf("avg %v → %v, distribution %v", p.Now.CriteriaAvg, p.Projected.CriteriaAvg, p.Projected.Distribution)
	}
	if len(p.Changes) != 3 || p.Changes[2].MetTo || !reflect.DeepEqual(p.Changes[2].Failing, []int{1}) {
		t.Errorf("changes %+v", p.Changes)
	}
	if _, err := Project(testSet(), cs, []Assumption{{Unit: "Z"}}); err == nil {
		t.Error("an assumption on an unknown commune is refused")
	}
	tc, ok := CheckTarget(1, MetricUnitsMet, 3, "at_least", p.Projected)
	if !ok || !tc.Met || tc.Projected != 3 {
		t.Errorf("target %+v", tc)
	}
}

func TestParseMargins(t *testing.T) {
	m, err := ShippedMargins()
	if err != nil || m.Default != 5 || m.For("10.1") != 10 || m.For("2.1") != 5 {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = ParseMargins("m.yaml", []byte("default_pct: 5\nby_code: {\"2.1\": -1, \"3.1\": 120}\n"))
	if err == nil || !strings.Contains(err.Error(), "by_code.2.1") || !strings.Contains(err.Error(), "by_code.3.1") {
		t.Errorf("bad margins: %v", err)
	}
	if _, err := ParseMargins("m.yaml", []byte("by_code: {}\n")); err == nil {
		t.Error("a file without default_pct is refused")
	}
}
