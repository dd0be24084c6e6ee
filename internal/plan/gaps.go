// Package plan plans the path to the standard (lập kế hoạch đạt chuẩn): what each commune
// still lacks against a criteria set and how far it is from each threshold (gaps), what
// closing those gaps costs (costs, the cheapest communes for a target), what the unit's
// figures would be if some values changed or some works were done (what-if), and which
// recognised communes are slipping (early warning). Values in, results out: no I/O.
package plan

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

// Commune is one commune's latest standing on a set, as the store reads it.
type Commune struct {
	Code       string
	Name       string
	Unit       criteria.Unit   // region, group and tags: which thresholds apply
	Assessed   bool            // has an assessment of the set by the day
	Period     string          // of the latest assessment
	Values     criteria.Values // of the latest assessment
	Previous   criteria.Values // of the assessment before it; nil when none
	PrevPeriod string
	Recognized bool // holds a recognition of the set's tier on the day
}

// IndicatorGap is one failing indicator of a commune: its value, the threshold that applies
// to this commune, and the distance in the indicator's own measure.
type IndicatorGap struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Measure   string         `json:"measure,omitempty"` // the indicator's unit: "%", "triệu đồng/người"
	Value     criteria.Value `json:"value"`
	Threshold criteria.Value `json:"threshold"`
	Op        criteria.Op    `json:"op"`
	// Gap is how much the value must move to reach the threshold, in the indicator's measure
	// (levels for a graded indicator); nil for a yes/no indicator and for a missing value.
	Gap *float64 `json:"gap"`
	// Missing says the value (or the threshold that applies) is not there: thiếu minh chứng.
	Missing bool `json:"missing,omitempty"`
	// Norm is the gap as a share of the threshold (1 for yes/no and missing), for ordering.
	Norm float64 `json:"normalised_gap"`
	// Text and TextEN are filled by Gaps.Describe: "2.1: 82 % → 90 %, còn thiếu 8 điểm %".
	Text   string `json:"text"`
	TextEN string `json:"text_en"`

	kind   criteria.Kind
	status criteria.Status
	reason func(lang string) string
}

// CriterionGap is a criterion a commune does not meet, with its failing indicators.
type CriterionGap struct {
	Criterion int    `json:"criterion"`
	Name      string `json:"name"`
	// Direct says the criterion was entered as not met (TC<N>), whatever its indicators say.
	Direct     bool           `json:"direct,omitempty"`
	Indicators []IndicatorGap `json:"indicators"`
}

// UnitGap is what one commune lacks to meet the set.
type UnitGap struct {
	Code              string         `json:"code"`
	Name              string         `json:"name"`
	Period            string         `json:"period,omitempty"`
	CriteriaMet       int            `json:"criteria_met"`
	CriteriaTotal     int            `json:"criteria_total"`
	CriteriaMissing   int            `json:"criteria_missing"`
	IndicatorsMissing int            `json:"indicators_missing"`
	Norm              float64        `json:"normalised_gap"`
	Missing           []CriterionGap `json:"missing"`
	// DataOnly: every gap is a missing value (chưa đủ số liệu), not a value below a threshold.
	DataOnly bool `json:"data_only,omitempty"`
}

// Ref names a commune.
type Ref struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Gaps is the gap of every commune below a unit.
type Gaps struct {
	Communes int `json:"communes"` // communes the set applies to
	Assessed int `json:"assessed"`
	Met      int `json:"met"` // meeting the set already
	// Units are the communes that do not meet the set, closest first: fewest criteria
	// missing, then fewest indicators, then the smallest normalised gap, then by code.
	Units []UnitGap `json:"units"`
	// Incomplete are those whose gaps are only missing values (chưa đủ số liệu), same order.
	Incomplete  []UnitGap `json:"incomplete"`
	NotAssessed []Ref     `json:"not_assessed"`
}

// compile prepares the set for a pass over many communes.
func compile(set *criteria.Set) (*criteria.Evaluator, error) {
	ev, err := criteria.Compile(set)
	if err != nil {
		return nil, fmt.Errorf("bộ tiêu chí %s (criteria set %s): %w", set.ID, set.ID, err)
	}
	return ev, nil
}

// ComputeGaps finds what each commune lacks against set, and orders them closest first.
func ComputeGaps(set *criteria.Set, communes []Commune) (Gaps, error) {
	g := Gaps{Communes: len(communes), Units: []UnitGap{}, Incomplete: []UnitGap{}, NotAssessed: []Ref{}}
	ev, err := compile(set)
	if err != nil {
		return g, err
	}
	res := &criteria.Result{}
	var idx critIndex
	for _, c := range communes {
		if !c.Assessed {
			g.NotAssessed = append(g.NotAssessed, Ref{c.Code, c.Name})
			continue
		}
		g.Assessed++
		ev.EvaluateInto(res, c.Unit, c.Values, criteria.Options{})
		if res.Met {
			g.Met++
			continue
		}
		if idx == nil {
			idx = indexOf(res)
		}
		ug := unitGap(c, res, idx)
		if ug.DataOnly {
			g.Incomplete = append(g.Incomplete, ug)
		} else {
			g.Units = append(g.Units, ug)
		}
	}
	SortGaps(g.Units)
	SortGaps(g.Incomplete)
	return g, nil
}

// SortGaps orders gaps closest first.
func SortGaps(us []UnitGap) {
	slices.SortStableFunc(us, func(a, b UnitGap) int {
		if c := cmp.Compare(a.CriteriaMissing, b.CriteriaMissing); c != 0 {
			return c
		}
		if c := cmp.Compare(a.IndicatorsMissing, b.IndicatorsMissing); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Norm, b.Norm); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
}

// critIndex lists, for each criterion verdict of a set's results, its indicators' verdicts:
// the same for every result of one evaluator.
type critIndex [][]int

func indexOf(res *criteria.Result) critIndex {
	pos := map[int]int{}
	idx := make(critIndex, len(res.Criteria))
	for i, cv := range res.Criteria {
		pos[cv.Number] = i
	}
	for i := range res.Indicators {
		if p, ok := pos[res.Indicators[i].Criterion]; ok {
			idx[p] = append(idx[p], i)
		}
	}
	return idx
}

// UnitGapOf reads a commune's gap from its evaluation.
func UnitGapOf(c Commune, res *criteria.Result) UnitGap {
	return unitGap(c, res, indexOf(res))
}

func unitGap(c Commune, res *criteria.Result, idx critIndex) UnitGap {
	ug := UnitGap{Code: c.Code, Name: c.Name, Period: c.Period, CriteriaMet: res.CriteriaMet, CriteriaTotal: res.CriteriaTotal,
		Missing: make([]CriterionGap, 0, res.CriteriaTotal-res.CriteriaMet)}
	real := 0
	for ci := range res.Criteria {
		cv := &res.Criteria[ci]
		if cv.Status == criteria.StatusMet || cv.Status == criteria.StatusNotApplicable {
			continue
		}
		cg := CriterionGap{Criterion: cv.Number, Name: cv.Name, Direct: cv.Direct,
			Indicators: make([]IndicatorGap, 0, cv.IndicatorsTotal-cv.IndicatorsMet)}
		for _, i := range idx[ci] {
			v := &res.Indicators[i]
			switch v.Status {
			case criteria.StatusMet, criteria.StatusNotApplicable:
				continue
			}
			ig := indicatorGap(v)
			if !ig.Missing {
				real++
			}
			cg.Indicators = append(cg.Indicators, ig)
			ug.Norm += ig.Norm
		}
		if len(cg.Indicators) == 0 {
			// Entered as not met, or a criterion whose indicators are all met but is partial:
			// one whole step to take.
			ug.Norm++
			if cv.Direct {
				real++
			}
		}
		ug.IndicatorsMissing += len(cg.Indicators)
		ug.Missing = append(ug.Missing, cg)
	}
	ug.CriteriaMissing = len(ug.Missing)
	ug.DataOnly = real == 0 && len(ug.Missing) > 0
	ug.Norm = math.Round(ug.Norm*1e6) / 1e6
	return ug
}

// indicatorGap measures how far a failing indicator is from its threshold.
func indicatorGap(v *criteria.IndicatorVerdict) IndicatorGap {
	in := v.Indicator()
	ig := IndicatorGap{Code: v.Code, Value: v.Value, Threshold: v.Threshold, Norm: 1, status: v.Status}
	if in != nil {
		ig.Name, ig.Measure, ig.Op, ig.kind = in.Name, in.Unit, in.Op, in.Kind
	}
	if v.Status != criteria.StatusNotMet {
		// Missing value, no threshold that applies, or a value that cannot be compared: the
		// office must supply evidence before the gap can be measured.
		ig.Missing = true
		if v.Status != criteria.StatusMissing {
			vv := *v
			ig.reason = vv.Reason
		}
		return ig
	}
	switch {
	case v.Value.Kind == criteria.ValueNumber && v.Threshold.Kind == criteria.ValueNumber:
		d := distance(v.Value.Num, ig.Op, v.Threshold.Num)
		ig.Gap = &d
		if t := math.Abs(v.Threshold.Num); t > 0 {
			ig.Norm = d / t
		}
	case v.Value.Kind == criteria.ValueLevel && v.Threshold.Kind == criteria.ValueLevel && in != nil:
		a, b := slices.Index(in.Levels, v.Value.Level), slices.Index(in.Levels, v.Threshold.Level)
		d := math.Abs(float64(b - a))
		ig.Gap = &d
		if n := len(in.Levels) - 1; n > 0 {
			ig.Norm = d / float64(n)
		}
	}
	return ig
}

// Describe writes the gap in lang.
func (ig *IndicatorGap) Describe(lang string) string {
	switch {
	case ig.Missing && ig.reason != nil:
		return ig.reason(lang)
	case ig.Missing:
		return ig.Code + ": " + i18n.T(lang, "plan.gap.missing")
	case ig.Gap != nil && ig.Value.Kind == criteria.ValueNumber:
		return numberText(ig.Code, ig.kind, *ig, lang)
	case ig.Gap != nil:
		return i18n.T(lang, "plan.gap.level", ig.Code, ig.Value.Level, ig.Threshold.Level, int(*ig.Gap))
	}
	return i18n.T(lang, "plan.gap.bool", ig.Code, ig.Value.Text(lang), ig.Threshold.Text(lang))
}

// Describe fills the texts of every gap of us (both languages).
func Describe(us []UnitGap) {
	for u := range us {
		for c := range us[u].Missing {
			for i := range us[u].Missing[c].Indicators {
				ig := &us[u].Missing[c].Indicators[i]
				ig.Text, ig.TextEN = ig.Describe("vi"), ig.Describe("en")
			}
		}
	}
}

// Describe fills the texts of every gap (Describe of Units and Incomplete).
func (g *Gaps) Describe() {
	Describe(g.Units)
	Describe(g.Incomplete)
}

// distance is how far value is from meeting op threshold (positive when it fails).
func distance(value float64, op criteria.Op, threshold float64) float64 {
	var d float64
	switch op {
	case criteria.OpAtMost:
		d = value - threshold
	case criteria.OpEqual:
		d = math.Abs(value - threshold)
	default:
		d = threshold - value
	}
	return math.Round(d*1e6) / 1e6
}

// numberText writes "2.1: 82 % → 90 %, còn thiếu 8 điểm %" or "10.1: 41,2 → 45 triệu
// đồng/người, còn thiếu 3,8 triệu đồng/người"; for an upper limit "vượt" (over by).
func numberText(code string, kind criteria.Kind, ig IndicatorGap, lang string) string {
	num := func(x float64) string { return numfmt.Trim(x, 2, lang) }
	measure := ig.Measure
	gapMeasure := measure
	if kind == criteria.KindPercent || measure == "%" {
		measure, gapMeasure = "%", i18n.T(lang, "plan.gap.points")
	}
	with := func(x float64, m string) string {
		if m == "" {
			return num(x)
		}
		if m == "%" && numfmt.English(lang) {
			return num(x) + "%"
		}
		return num(x) + " " + m
	}
	key := "plan.gap.short"
	if ig.Op == criteria.OpAtMost {
		key = "plan.gap.over"
	}
	return i18n.T(lang, key, code, with(ig.Value.Num, measure), with(ig.Threshold.Num, measure), with(*ig.Gap, gapMeasure))
}
