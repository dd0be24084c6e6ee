package progress

import (
	"math"
	"strings"
	"time"
)

// Metrics a target can be set on, read from a Report by Metric.
const (
	MetricUnitsMet         = "units_met"          // units meeting the set
	MetricUnitsRecognized  = "units_recognized"   // units recognised for the set's tier
	MetricCriteriaMetAvg   = "criteria_met_avg"   // average criteria met per assessed unit
	MetricIndicatorsMetPct = "indicators_met_pct" // percent of indicators met
	MetricShareMet         = "share_met"          // percent of units (assessed or not) meeting the set
	// IndicatorPrefix starts the metric of an indicator's average value: "indicator:2.1".
	IndicatorPrefix = "indicator:"
)

// IndicatorMetric is the metric name of an indicator's average value.
func IndicatorMetric(code string) string { return IndicatorPrefix + code }

// Metric reads a metric from a report. It reports false when the report has no data for it:
// no units for counts and shares, no assessed unit for averages, no value for an indicator, or
// an unknown name.
func Metric(r Report, name string) (float64, bool) {
	switch name {
	case MetricUnitsMet:
		return float64(r.UnitsMet), r.UnitsTotal > 0
	case MetricUnitsRecognized:
		return float64(r.UnitsRecognized), r.UnitsTotal > 0
	case MetricCriteriaMetAvg:
		return r.CriteriaMetAvg, r.UnitsAssessed > 0
	case MetricIndicatorsMetPct:
		return r.IndicatorsMetPct, r.UnitsAssessed > 0 && r.IndicatorsTotal > 0
	case MetricShareMet:
		if r.UnitsTotal == 0 {
			return 0, false
		}
		return 100 * float64(r.UnitsMet) / float64(r.UnitsTotal), true
	}
	if code, ok := strings.CutPrefix(name, IndicatorPrefix); ok {
		v, ok := r.IndicatorAvg[code]
		return v, ok
	}
	return 0, false
}

// Directions of a target.
const (
	AtLeast = "at_least" // the actual must reach the value (the default)
	AtMost  = "at_most"  // the actual must not exceed the value (a poverty rate)
)

// Target is a plan figure (chỉ tiêu kế hoạch) for a unit, a year and a metric.
type Target struct {
	Unit      string  `json:"unit"`
	Metric    string  `json:"metric"`
	Year      int     `json:"year"`
	Value     float64 `json:"value"`
	Direction string  `json:"direction,omitempty"` // AtLeast when empty
	// Baseline is the metric's value at the start of the year, when known (0: unknown). The
	// expected path runs from it to Value over the year.
	Baseline float64 `json:"baseline,omitempty"`
}

// Target statuses.
const (
	StatusMet      = "met"
	StatusOnTrack  = "on_track"
	StatusOffTrack = "off_track"
	StatusNoData   = "no_data"
)

// TargetStatus is a target against the actual figure.
type TargetStatus struct {
	Target Target   `json:"target"`
	Actual *float64 `json:"actual"` // nil when there is no data
	// Expected is where the actual should be by the date asked (see Assess).
	Expected float64 `json:"expected"`
	OnTrack  string  `json:"on_track"` // met | on_track | off_track | no_data
	// Gap is how far the actual is from the target in the target's direction: positive while
	// short of it, zero or negative once met; nil when there is no data.
	Gap *float64 `json:"gap"`
}

// Assess compares a yearly target with the actual figure as of asOf (YYYY-MM-DD):
//   - no_data when there is no actual figure;
//   - met when the actual reaches the target (≥ for at_least, ≤ for at_most);
//   - otherwise on_track when the actual is at or beyond the expected figure, the point reached
//     on a straight line from Baseline at the start of the year to Value at its end, after the
//     elapsed share of the year (day of year / days in year; 0 before the year, 1 after it or
//     when asOf is not a date); off_track when not.
//
// With no baseline an at_least target expects Value × elapsed share, and an at_most target that
// is not met is off track: a ceiling has no path from zero.
func Assess(t Target, actual float64, hasActual bool, asOf string) TargetStatus {
	if t.Direction != AtMost {
		t.Direction = AtLeast
	}
	f := elapsed(t.Year, asOf)
	st := TargetStatus{Target: t, Expected: t.Baseline + (t.Value-t.Baseline)*f}
	if t.Direction == AtMost && t.Baseline == 0 {
		st.Expected = t.Value
	}
	if !hasActual || math.IsNaN(actual) {
		st.OnTrack = StatusNoData
		return st
	}
	gap := t.Value - actual
	if t.Direction == AtMost {
		gap = actual - t.Value
	}
	st.Actual, st.Gap = &actual, &gap
	switch {
	case gap <= 0:
		st.OnTrack = StatusMet
	case t.Direction == AtLeast && actual >= st.Expected, t.Direction == AtMost && actual <= st.Expected:
		st.OnTrack = StatusOnTrack
	default:
		st.OnTrack = StatusOffTrack
	}
	return st
}

// elapsed is the share of year gone by on day asOf, that day included.
func elapsed(year int, asOf string) float64 {
	d, err := time.Parse(time.DateOnly, asOf)
	switch {
	case err != nil || d.Year() > year:
		return 1
	case d.Year() < year:
		return 0
	}
	days := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24
	return float64(d.YearDay()) / days
}
