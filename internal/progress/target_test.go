package progress

import (
	"encoding/json"
	"math"
	"testing"
)

func TestAssess(t *testing.T) {
	tests := []struct {
		name      string
		target    Target
		actual    float64
		hasActual bool
		asOf      string
		want      string
		expected  float64
		gap       float64
	}{
		{"reached", Target{Year: 2026, Value: 12}, 12, true, "2026-03-01", StatusMet, 12 * 60.0 / 365, 0},
		{"beyond", Target{Year: 2026, Value: 12}, 14, true, "2026-03-01", StatusMet, 12 * 60.0 / 365, -2},
		{"no data", Target{Year: 2026, Value: 12}, 0, false, "2026-03-01", StatusNoData, 12 * 60.0 / 365, 0},
		{"NaN is no data", Target{Year: 2026, Value: 12}, math.NaN(), true, "2026-03-01", StatusNoData, 12 * 60.0 / 365, 0},
		// 1 March is day 60 of 365: expected 12 × 60/365 = 1.97.
		{"ahead of the share of the year", Target{Year: 2026, Value: 12}, 2, true, "2026-03-01", StatusOnTrack, 1.9726027397260273, 10},
		{"behind the share of the year", Target{Year: 2026, Value: 12}, 1, true, "2026-03-01", StatusOffTrack, 1.9726027397260273, 11},
		{"year over, not reached", Target{Year: 2025, Value: 12}, 11, true, "2026-01-10", StatusOffTrack, 12, 1},
		{"last day, not reached", Target{Year: 2026, Value: 12}, 11.99, true, "2026-12-31", StatusOffTrack, 12, 0.009999999999999787},
		{"year not begun", Target{Year: 2027, Value: 12}, 0, true, "2026-12-31", StatusOnTrack, 0, 12},
		{"leap year halfway", Target{Year: 2024, Value: 366}, 183, true, "2024-07-01", StatusOnTrack, 183, 183},
		{"date not understood: judged on the whole year", Target{Year: 2026, Value: 12}, 11, true, "soon", StatusOffTrack, 12, 1},
		// From a baseline: 10 → 12 over the year; by 1 July (day 182) 10 + 2 × 182/365 = 11.0.
		{"baseline, on track", Target{Year: 2026, Value: 12, Baseline: 10}, 11, true, "2026-07-01", StatusOnTrack, 10.997260273972604, 1},
		{"baseline, behind", Target{Year: 2026, Value: 12, Baseline: 10}, 10.5, true, "2026-07-01", StatusOffTrack, 10.997260273972604, 1.5},
		// At most: a poverty rate not above 3 %.
		{"at most, met", Target{Year: 2026, Value: 3, Direction: AtMost}, 2.5, true, "2026-07-01", StatusMet, 3, -0.5},
		{"at most, above, no baseline", Target{Year: 2026, Value: 3, Direction: AtMost}, 3.5, true, "2026-02-01", StatusOffTrack, 3, 0.5},
		{"at most, falling on the path", Target{Year: 2026, Value: 3, Direction: AtMost, Baseline: 5}, 3.9, true, "2026-07-01", StatusOnTrack, 4.002739726027397, 0.9},
		{"at most, falling too slowly", Target{Year: 2026, Value: 3, Direction: AtMost, Baseline: 5}, 4.5, true, "2026-07-01", StatusOffTrack, 4.002739726027397, 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Assess(tt.target, tt.actual, tt.hasActual, tt.asOf)
			if st.OnTrack != tt.want || !near(st.Expected, tt.expected) {
				t.Errorf("on_track %q, expected %v; want %q, %v", st.OnTrack, st.Expected, tt.want, tt.expected)
			}
			if tt.want == StatusNoData {
				if st.Actual != nil || st.Gap != nil {
					t.Errorf("actual %v, gap %v; want none", st.Actual, st.Gap)
				}
				return
			}
			if st.Actual == nil || *st.Actual != tt.actual || st.Gap == nil || !near(*st.Gap, tt.gap) {
				t.Errorf("actual %v, gap %v; want %v, %v", st.Actual, st.Gap, tt.actual, tt.gap)
			}
		})
	}
}

func TestAssess_JSON(t *testing.T) {
	b, err := json.Marshal(Assess(Target{Unit: "001", Metric: MetricUnitsMet, Year: 2026, Value: 12}, 0, false, "2026-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"target":{"unit":"001","metric":"units_met","year":2026,"value":12,"direction":"at_least"},"actual":null,"expected":1.9726027397260273,"on_track":"no_data","gap":null}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
}

func TestMetric(t *testing.T) {
	es := acceptanceDistrict()
	es[0].Values = map[string]float64{"10.1": 72.5}
	r := Rollup(district, nationalSet, es, Options{})
	empty := Rollup(district, nationalSet, []Entry{{Unit: Unit{Code: "x"}}}, Options{})
	none := Rollup(district, nationalSet, nil, Options{})
	tests := []struct {
		r      Report
		name   string
		want   float64
		wantOK bool
	}{
		{r, MetricUnitsMet, 3, true},
		{r, MetricUnitsRecognized, 3, true},
		{r, MetricCriteriaMetAvg, 13.842105263157896, true},
		{r, MetricIndicatorsMetPct, 72.85318559556787, true},
		{r, MetricShareMet, 15, true}, // 3 of 20 communes, the one not assessed included
		{r, IndicatorMetric("10.1"), 72.5, true},
		{r, IndicatorMetric("11.1"), 0, false},
		{r, "ocop_3_stars", 0, false},
		{empty, MetricUnitsMet, 0, true},
		{empty, MetricShareMet, 0, true},
		{empty, MetricCriteriaMetAvg, 0, false},
		{empty, MetricIndicatorsMetPct, 0, false},
		{none, MetricUnitsMet, 0, false},
		{none, MetricShareMet, 0, false},
	}
	for _, tt := range tests {
		got, ok := Metric(tt.r, tt.name)
		if ok != tt.wantOK || !near(got, tt.want) {
			t.Errorf("Metric(%d units, %q) = %v, %v; want %v, %v", tt.r.UnitsTotal, tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}
