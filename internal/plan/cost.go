package plan

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Price is the unit cost of closing an indicator's gap (đơn giá), in triệu đồng per one unit
// of the indicator's measure (per percentage point, per km, per triệu đồng/người…), or, for
// a yes/no indicator, for bringing one commune to the standard. An office enters them.
type Price struct {
	Code    string  `json:"code"`
	PerUnit float64 `json:"per_unit"` // triệu đồng
	Note    string  `json:"note,omitempty"`
}

// Prices are a cost table by indicator code.
type Prices map[string]Price

// PlannedWork is a work of the register, not done yet, linked to a criterion of a commune:
// its budget counts against that criterion's gap.
type PlannedWork struct {
	ID        int64   `json:"id"`
	Unit      string  `json:"unit"`
	Criterion int     `json:"criterion"`
	Name      string  `json:"name"`
	Budget    float64 `json:"budget"` // triệu đồng
}

// CriterionCost is what closing one criterion's gap costs.
type CriterionCost struct {
	Criterion int     `json:"criterion"`
	Name      string  `json:"name"`
	Cost      float64 `json:"cost"`      // the priced gaps, triệu đồng
	Works     float64 `json:"works"`     // the planned works' budget linked to it
	Remaining float64 `json:"remaining"` // cost not covered by works (0 when works cover it)
	// Unpriced are failing indicators with no price, or whose gap cannot be measured (a
	// missing value); "TC<N>" for a criterion entered as not met without its indicators.
	Unpriced []string `json:"unpriced"`
}

// UnitCost is what bringing one commune to the standard costs.
type UnitCost struct {
	Code              string          `json:"code"`
	Name              string          `json:"name"`
	CriteriaMissing   int             `json:"criteria_missing"`
	IndicatorsMissing int             `json:"indicators_missing"`
	Cost              float64         `json:"cost"`
	Works             float64         `json:"works"`
	Remaining         float64         `json:"remaining"`
	Complete          bool            `json:"complete"` // every gap priced
	Criteria          []CriterionCost `json:"criteria"`
	Unpriced          []string        `json:"unpriced"`
}

// CostOf prices a commune's gap: each measurable gap times its indicator's price (a yes/no
// indicator: its price once), less the budget of the planned works linked to the criterion.
func CostOf(g UnitGap, prices Prices, works []PlannedWork) UnitCost {
	uc := UnitCost{Code: g.Code, Name: g.Name, CriteriaMissing: g.CriteriaMissing, IndicatorsMissing: g.IndicatorsMissing,
		Criteria: []CriterionCost{}, Unpriced: []string{}}
	budget := map[int]float64{}
	for _, w := range works {
		if w.Unit == g.Code {
			budget[w.Criterion] += w.Budget
		}
	}
	for _, cg := range g.Missing {
		cc := CriterionCost{Criterion: cg.Criterion, Name: cg.Name, Works: budget[cg.Criterion], Unpriced: []string{}}
		if len(cg.Indicators) == 0 {
			cc.Unpriced = append(cc.Unpriced, fmt.Sprintf("TC%d", cg.Criterion))
		}
		for _, ig := range cg.Indicators {
			p, ok := prices[ig.Code]
			switch {
			case !ok || ig.Missing:
				cc.Unpriced = append(cc.Unpriced, ig.Code)
			case ig.Gap == nil:
				cc.Cost += p.PerUnit
			default:
				cc.Cost += *ig.Gap * p.PerUnit
			}
		}
		cc.Cost = round3(cc.Cost)
		cc.Remaining = round3(math.Max(0, cc.Cost-cc.Works))
		uc.Cost += cc.Cost
		uc.Works += cc.Works
		uc.Remaining += cc.Remaining
		uc.Unpriced = append(uc.Unpriced, cc.Unpriced...)
		uc.Criteria = append(uc.Criteria, cc)
	}
	uc.Cost, uc.Works, uc.Remaining = round3(uc.Cost), round3(uc.Works), round3(uc.Remaining)
	uc.Complete = len(uc.Unpriced) == 0
	return uc
}

// round3 keeps amounts to the thousand đồng (three decimals of triệu đồng).
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// Proposal is the communes whose remaining gaps cost least, for a target of more communes
// meeting the set.
type Proposal struct {
	Asked  int        `json:"asked"`  // communes wanted
	Chosen []UnitCost `json:"chosen"` // cheapest first
	Total  float64    `json:"total"`  // their remaining cost, triệu đồng
	// Short is how many of Asked could not be proposed: too few communes with every gap priced.
	Short int `json:"short"`
	// Unpriced are the communes left out because a gap of theirs has no price.
	Unpriced []UnitCost `json:"unpriced"`
}

// Propose picks n communes among gaps (the communes not meeting the set, closest first) whose
// remaining cost is least; ties keep the gaps' order. Communes with an unpriced gap are not
// proposed (their cost is not known) and are listed apart.
func Propose(gaps []UnitGap, prices Prices, works []PlannedWork, n int) Proposal {
	p := Proposal{Asked: n, Chosen: []UnitCost{}, Unpriced: []UnitCost{}}
	var priced []UnitCost
	for _, g := range gaps {
		uc := CostOf(g, prices, works)
		if uc.Complete {
			priced = append(priced, uc)
		} else {
			p.Unpriced = append(p.Unpriced, uc)
		}
	}
	slices.SortStableFunc(priced, func(a, b UnitCost) int { return cmp.Compare(a.Remaining, b.Remaining) })
	if n > len(priced) {
		p.Short = n - len(priced)
		n = len(priced)
	}
	if n > 0 {
		p.Chosen = priced[:n]
	}
	for _, c := range p.Chosen {
		p.Total += c.Remaining
	}
	p.Total = round3(p.Total)
	return p
}
