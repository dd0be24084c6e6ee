package plan

import (
	"fmt"
	"maps"
	"math"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
)

// Assumption is what an office expects of one commune by the year's end: values it expects
// (by indicator code) and criteria it expects met because planned works will be done.
type Assumption struct {
	Unit     string          `json:"unit"`
	Values   criteria.Values `json:"values,omitempty"`
	Criteria []int           `json:"criteria,omitempty"`
}

// Figures are a unit's figures over its communes.
type Figures struct {
	Communes    int     `json:"communes"`
	Assessed    int     `json:"assessed"`
	Met         int     `json:"met"`
	CriteriaAvg float64 `json:"criteria_met_avg"` // over assessed communes
	// Distribution maps a number of criteria met ("17") to the communes meeting that many.
	Distribution map[string]int `json:"distribution"`
}

// Change is a commune whose standing the assumptions change.
type Change struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	CriteriaFrom int    `json:"criteria_from"`
	CriteriaTo   int    `json:"criteria_to"`
	MetFrom      bool   `json:"met_from"`
	MetTo        bool   `json:"met_to"`
	// Failing are the criteria still not met under the assumptions.
	Failing []int `json:"failing"`
}

// Projection compares the figures now with those under the assumptions.
type Projection struct {
	Now       Figures  `json:"now"`
	Projected Figures  `json:"projected"`
	Changes   []Change `json:"changes"`
}

// Project evaluates every commune with the assumptions applied (expected values replace the
// latest ones; a criterion expected met is entered as met, TC<N>) and compares the figures.
// A commune without an assessment counts as assessed when an assumption gives it values.
func Project(set *criteria.Set, communes []Commune, as []Assumption) (Projection, error) {
	by := map[string]Assumption{}
	known := map[string]bool{}
	for _, c := range communes {
		known[c.Code] = true
	}
	for _, a := range as {
		if !known[a.Unit] {
			return Projection{}, fault.Newf(fault.InvalidValue, "giả định cho xã %s, không thuộc đơn vị đang lập kế hoạch (an assumption names commune %s, which is not in the plan's unit)", a.Unit, a.Unit)
		}
		prev := by[a.Unit]
		if prev.Values == nil {
			prev.Values = criteria.Values{}
		}
		maps.Copy(prev.Values, a.Values)
		prev.Unit, prev.Criteria = a.Unit, append(prev.Criteria, a.Criteria...)
		by[a.Unit] = prev
	}
	ev, err := compile(set)
	if err != nil {
		return Projection{}, err
	}
	p := Projection{Now: newFigures(len(communes)), Projected: newFigures(len(communes)), Changes: []Change{}}
	for _, c := range communes {
		var now *criteria.Result
		if c.Assessed {
			now = ev.Evaluate(c.Unit, c.Values, criteria.Options{})
			p.Now.add(now)
		}
		a, ok := by[c.Code]
		if !ok {
			if now != nil {
				p.Projected.add(now)
			}
			continue
		}
		vals := make(criteria.Values, len(c.Values)+len(a.Values)+len(a.Criteria))
		maps.Copy(vals, c.Values)
		maps.Copy(vals, a.Values)
		for _, n := range a.Criteria {
			vals[fmt.Sprintf("TC%d", n)] = criteria.Bool(true)
		}
		after := ev.Evaluate(c.Unit, vals, criteria.Options{})
		p.Projected.add(after)
		ch := Change{Code: c.Code, Name: c.Name, CriteriaTo: after.CriteriaMet, MetTo: after.Met, Failing: []int{}}
		if now != nil {
			ch.CriteriaFrom, ch.MetFrom = now.CriteriaMet, now.Met
		}
		for _, cv := range after.Criteria {
			if cv.Status != criteria.StatusMet && cv.Status != criteria.StatusNotApplicable {
				ch.Failing = append(ch.Failing, cv.Number)
			}
		}
		p.Changes = append(p.Changes, ch)
	}
	p.Now.finish()
	p.Projected.finish()
	return p, nil
}

func newFigures(n int) Figures { return Figures{Communes: n, Distribution: map[string]int{}} }

func (f *Figures) add(r *criteria.Result) {
	f.Assessed++
	if r.Met {
		f.Met++
	}
	f.CriteriaAvg += float64(r.CriteriaMet)
	f.Distribution[fmt.Sprint(r.CriteriaMet)]++
}

func (f *Figures) finish() {
	if f.Assessed > 0 {
		f.CriteriaAvg = math.Round(f.CriteriaAvg/float64(f.Assessed)*100) / 100
	}
}

// TargetCheck is a target of the year against the figures a plan projects.
type TargetCheck struct {
	ID        int64   `json:"id"`
	Metric    string  `json:"metric"`
	Value     float64 `json:"value"`
	Direction string  `json:"direction"`
	Projected float64 `json:"projected"`
	Met       bool    `json:"met"`
}

// Metrics a plan projects (the names targets use).
const (
	MetricUnitsMet    = "units_met"
	MetricShareMet    = "share_met"
	MetricCriteriaAvg = "criteria_met_avg"
)

// CheckTarget compares a target with projected figures; false when the plan does not
// project the metric.
func CheckTarget(id int64, metric string, value float64, direction string, f Figures) (TargetCheck, bool) {
	t := TargetCheck{ID: id, Metric: metric, Value: value, Direction: direction}
	switch metric {
	case MetricUnitsMet:
		t.Projected = float64(f.Met)
	case MetricShareMet:
		if f.Communes > 0 {
			t.Projected = math.Round(10000*float64(f.Met)/float64(f.Communes)) / 100
		}
	case MetricCriteriaAvg:
		t.Projected = f.CriteriaAvg
	default:
		return t, false
	}
	if strings.EqualFold(direction, "at_most") {
		t.Met = t.Projected <= value
	} else {
		t.Met = t.Projected >= value
	}
	return t, true
}
