package plan

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	plandata "github.com/ntm-vn/ntm/data/plan"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

// Margins are how close to its threshold a recognised commune's value may come before it is
// flagged (cảnh báo sớm), as a percentage of the threshold: Default for every indicator,
// ByCode for those an office names. Data (data/plan/margins.yaml), not code.
type Margins struct {
	Default float64            `json:"default_pct"`
	ByCode  map[string]float64 `json:"by_code,omitempty"`
}

// For is the margin of an indicator, in percent of its threshold.
func (m Margins) For(code string) float64 {
	if v, ok := m.ByCode[code]; ok {
		return v
	}
	return m.Default
}

// Reasons an indicator is at risk.
const (
	RiskNear     = "near"     // met, within the margin of its threshold
	RiskDeclined = "declined" // a dynamic indicator (re-checked yearly) worse than last time
	RiskFailing  = "failing"  // no longer met
)

// Risk is one indicator of a recognised commune at risk.
type Risk struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Criterion int            `json:"criterion"`
	Reason    string         `json:"reason"` // near, declined, failing
	Value     criteria.Value `json:"value"`
	Previous  criteria.Value `json:"previous"`
	Threshold criteria.Value `json:"threshold"`
	Op        criteria.Op    `json:"op"`
	MarginPct float64        `json:"margin_pct,omitempty"`
	Text      string         `json:"text"`
	TextEN    string         `json:"text_en"`
}

// Warning is a recognised commune with indicators at risk.
type Warning struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Period        string `json:"period"`
	PrevPeriod    string `json:"previous_period,omitempty"`
	CriteriaMet   int    `json:"criteria_met"`
	CriteriaTotal int    `json:"criteria_total"`
	Failing       []int  `json:"failing"` // criteria not met now
	Risks         []Risk `json:"risks"`
}

// EarlyWarning lists the recognised communes whose latest values sit within a margin of a
// threshold, whose dynamic indicators went down since the assessment before, or that no
// longer meet an indicator: most failing criteria first, then most risks, then by code.
// Communes without an assessment cannot be judged and are left out.
func EarlyWarning(set *criteria.Set, communes []Commune, m Margins) ([]Warning, error) {
	out := []Warning{}
	ev, err := compile(set)
	if err != nil {
		return nil, err
	}
	for _, c := range communes {
		if !c.Recognized || !c.Assessed {
			continue
		}
		res := ev.Evaluate(c.Unit, c.Values, criteria.Options{})
		w := Warning{Code: c.Code, Name: c.Name, Period: c.Period, PrevPeriod: c.PrevPeriod,
			CriteriaMet: res.CriteriaMet, CriteriaTotal: res.CriteriaTotal, Failing: []int{}, Risks: []Risk{}}
		for _, cv := range res.Criteria {
			if cv.Status != criteria.StatusMet && cv.Status != criteria.StatusNotApplicable {
				w.Failing = append(w.Failing, cv.Number)
			}
		}
		for i := range res.Indicators {
			if r, ok := risk(&res.Indicators[i], c.Previous, m); ok {
				w.Risks = append(w.Risks, r)
			}
		}
		if len(w.Risks) > 0 || len(w.Failing) > 0 {
			out = append(out, w)
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		if c := cmp.Compare(len(b.Failing), len(a.Failing)); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.Risks), len(a.Risks)); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, nil
}

func risk(v *criteria.IndicatorVerdict, prev criteria.Values, m Margins) (Risk, bool) {
	in := v.Indicator()
	if in == nil {
		return Risk{}, false
	}
	r := Risk{Code: v.Code, Name: in.Name, Criterion: v.Criterion, Value: v.Value, Threshold: v.Threshold, Op: in.Op}
	if prev != nil {
		r.Previous = prev[v.Code]
	}
	switch {
	case v.Status == criteria.StatusNotMet:
		r.Reason = RiskFailing
	case v.Status != criteria.StatusMet:
		return Risk{}, false
	case in.Dynamic && worse(in, r.Previous, v.Value):
		r.Reason = RiskDeclined
	case v.Value.Kind == criteria.ValueNumber && v.Threshold.Kind == criteria.ValueNumber && in.Op != criteria.OpEqual:
		r.MarginPct = m.For(v.Code)
		room := math.Abs(v.Value.Num - v.Threshold.Num)
		if room > r.MarginPct/100*math.Abs(v.Threshold.Num) {
			return Risk{}, false
		}
		r.Reason = RiskNear
	default:
		return Risk{}, false
	}
	r.Text, r.TextEN = riskText(r, in, "vi"), riskText(r, in, "en")
	return r, true
}

// worse says whether now is worse than before for the indicator's direction.
func worse(in *criteria.Indicator, before, now criteria.Value) bool {
	switch {
	case before.Kind == criteria.ValueNumber && now.Kind == criteria.ValueNumber:
		if in.Op == criteria.OpAtMost {
			return now.Num > before.Num
		}
		return now.Num < before.Num
	case before.Kind == criteria.ValueBool && now.Kind == criteria.ValueBool:
		return before.Bool && !now.Bool
	case before.Kind == criteria.ValueLevel && now.Kind == criteria.ValueLevel:
		return slices.Index(in.Levels, now.Level) < slices.Index(in.Levels, before.Level)
	}
	return false
}

func riskText(r Risk, in *criteria.Indicator, lang string) string {
	val := func(v criteria.Value) string {
		if v.Kind == criteria.ValueNumber {
			s := numfmt.Trim(v.Num, 2, lang)
			if in.Unit == "%" && numfmt.English(lang) {
				return s + "%"
			}
			if in.Unit != "" {
				return s + " " + in.Unit
			}
			return s
		}
		return v.Text(lang)
	}
	switch r.Reason {
	case RiskDeclined:
		return i18n.T(lang, "plan.risk.declined", r.Code, val(r.Previous), val(r.Value), val(r.Threshold))
	case RiskNear:
		return i18n.T(lang, "plan.risk.near", r.Code, val(r.Value), val(r.Threshold), numfmt.Trim(r.MarginPct, 2, lang))
	}
	return i18n.T(lang, "plan.risk.failing", r.Code, val(r.Value), val(r.Threshold))
}

// ParseMargins reads a margins file (data/plan/margins.yaml): default_pct and by_code, each
// a percentage from 0 to 100. Problems name the file and the field.
func ParseMargins(file string, src []byte) (Margins, error) {
	var raw struct {
		Default *float64           `yaml:"default_pct"`
		ByCode  map[string]float64 `yaml:"by_code"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return Margins{}, fmt.Errorf("%s: %w", file, err)
	}
	if raw.Default == nil {
		return Margins{}, fmt.Errorf("%s: default_pct: thiếu biên mặc định (the default margin is missing)", file)
	}
	m := Margins{Default: *raw.Default, ByCode: raw.ByCode}
	var bad []string
	if m.Default < 0 || m.Default > 100 {
		bad = append(bad, fmt.Sprintf("%s: default_pct: %v không nằm trong 0-100 (not within 0-100)", file, m.Default))
	}
	keys := slices.Sorted(maps.Keys(m.ByCode))
	for _, k := range keys {
		if v := m.ByCode[k]; v < 0 || v > 100 {
			bad = append(bad, fmt.Sprintf("%s: by_code.%s: %v không nằm trong 0-100 (not within 0-100)", file, k, v))
		}
	}
	if len(bad) > 0 {
		return Margins{}, errors.New(strings.Join(bad, "; "))
	}
	return m, nil
}

// ShippedMargins are the margins of data/plan/margins.yaml.
var ShippedMargins = sync.OnceValues(func() (Margins, error) {
	src, err := plandata.FS.ReadFile("margins.yaml")
	if err != nil {
		return Margins{}, err
	}
	return ParseMargins("data/plan/margins.yaml", src)
})
