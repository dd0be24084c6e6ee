package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/plan"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// ImportPlanCosts reads a cost table for unit, year and set and stores it in place of the
// one there was; a table with any problem is refused whole (resources.ImportFault).
func ImportPlanCosts(ctx context.Context, db *store.DB, actor string, set *criteria.Set, unit string, year int, file string, src []byte) ([]store.PlanCost, error) {
	prices, err := plan.ReadPrices(file, src, set)
	if err != nil {
		return nil, err
	}
	rows := make([]store.PlanCost, 0, len(prices))
	for _, p := range prices {
		v, err := resources.FromFloat(p.PerUnit)
		if err != nil {
			return nil, err
		}
		rows = append(rows, store.PlanCost{Code: p.Code, PerUnit: v, Note: p.Note})
	}
	if err := db.ReplacePlanCosts(ctx, actor, unit, year, set.ID, rows); err != nil {
		return nil, err
	}
	return db.PlanCosts(ctx, unit, year, set.ID)
}

// PlanCostTable finds the cost table that prices unit's communes for a year: the unit's own,
// else the nearest unit above it that has one. from is the unit whose table it is ("" none).
func PlanCostTable(ctx context.Context, db *store.DB, set *criteria.Set, unit string, year int, day units.Date) (from string, rows []store.PlanCost, err error) {
	for code, depth := unit, 0; code != "" && depth < 6; depth++ {
		if rows, err = db.PlanCosts(ctx, code, year, set.ID); err != nil || len(rows) > 0 {
			return code, rows, err
		}
		u, err := db.Unit(ctx, code, day)
		if err != nil {
			return "", nil, err
		}
		code = u.ParentCode
	}
	return "", []store.PlanCost{}, nil
}

// PlanProposal is the cheapest communes for a target of more communes meeting the set: the
// body of GET /api/v1/plan/proposal and of ntm plan propose --json.
type PlanProposal struct {
	Unit      string             `json:"unit"`
	Name      string             `json:"name"`
	Set       string             `json:"set"`
	SetTitle  string             `json:"set_title"`
	Year      int                `json:"year"`
	AsOf      units.Date         `json:"as_of"`
	CostsFrom string             `json:"costs_from"` // the unit whose cost table priced the gaps
	Prices    []store.PlanCost   `json:"prices"`
	Works     []plan.PlannedWork `json:"works"` // planned works linked to a criterion of the set
	plan.Proposal
	Now       plan.Figures       `json:"now"`
	Projected plan.Figures       `json:"projected"` // if the proposed communes meet the set
	Targets   []plan.TargetCheck `json:"targets"`   // the year's targets against Projected
}

// Propose proposes count communes below unit whose remaining gaps (as of day) cost least for
// year; count 0 takes it from the unit's units_met target for the year and set.
func Propose(ctx context.Context, db *store.DB, set *criteria.Set, unit string, year, count int, day units.Date) (PlanProposal, error) {
	name, cs, err := PlanCommunes(ctx, db, set, unit, day, false)
	if err != nil {
		return PlanProposal{}, err
	}
	g, err := plan.ComputeGaps(set, cs)
	if err != nil {
		return PlanProposal{}, err
	}
	out := PlanProposal{Unit: unit, Name: name, Set: set.ID, SetTitle: set.Title, Year: year, AsOf: day, Works: []plan.PlannedWork{}, Targets: []plan.TargetCheck{}}
	targets, err := db.Targets(ctx, store.TargetFilter{UnitCode: unit, Year: year})
	if err != nil {
		return out, err
	}
	targets = slices.DeleteFunc(targets, func(t store.Target) bool { return t.SetID != set.ID })
	if count <= 0 {
		for _, t := range targets {
			if t.Metric == plan.MetricUnitsMet {
				count = int(t.Value) - g.Met
			}
		}
		if count <= 0 {
			return out, fault.Newf(fault.InvalidValue, "cần số xã đề xuất (count) hoặc chỉ tiêu units_met của %s năm %d theo bộ %s cao hơn số xã đang đạt (%d) (give a count, or a units_met target above the %d communes meeting the set)",
				unit, year, set.ID, g.Met, g.Met)
		}
	}
	var prices plan.Prices
	out.CostsFrom, out.Prices, err = PlanCostTable(ctx, db, set, unit, year, day)
	if err != nil {
		return out, err
	}
	prices = plan.Prices{}
	for _, p := range out.Prices {
		prices[p.Code] = plan.Price{Code: p.Code, PerUnit: p.PerUnit.Float(), Note: p.Note}
	}
	ws, err := db.ListWorks(ctx, store.WorkFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}, Year: year})
	if err != nil {
		return out, err
	}
	for _, w := range ws {
		if w.Status == resources.WorkDone || w.CriterionSet != set.ID || w.Criterion == 0 {
			continue
		}
		out.Works = append(out.Works, plan.PlannedWork{ID: w.ID, Unit: w.UnitCode, Criterion: w.Criterion, Name: w.Name, Budget: w.Planned.Float()})
	}
	out.Proposal = plan.Propose(g.Units, prices, out.Works, count)
	var as []plan.Assumption
	for _, c := range out.Chosen {
		a := plan.Assumption{Unit: c.Code}
		for _, cc := range c.Criteria {
			a.Criteria = append(a.Criteria, cc.Criterion)
		}
		as = append(as, a)
	}
	proj, err := plan.Project(set, cs, as)
	if err != nil {
		return out, err
	}
	out.Now, out.Projected = proj.Now, proj.Projected
	for _, t := range targets {
		if tc, ok := plan.CheckTarget(t.ID, t.Metric, t.Value, t.Direction, out.Projected); ok {
			out.Targets = append(out.Targets, tc)
		}
	}
	return out, nil
}

// AssumptionIn is an assumption as the page, the API and the command line send it: expected
// values as entered ("82,5", "đạt"), works of the register expected done, criteria expected met.
type AssumptionIn struct {
	Unit     string            `json:"unit"`
	Values   map[string]string `json:"values,omitempty"`
	Works    []int64           `json:"works,omitempty"`
	Criteria []int             `json:"criteria,omitempty"`
}

// PlanProjection is what the unit's figures would be at the year's end under assumptions.
type PlanProjection struct {
	Unit        string         `json:"unit"`
	Name        string         `json:"name"`
	Set         string         `json:"set"`
	Year        int            `json:"year"`
	AsOf        units.Date     `json:"as_of"`
	Assumptions []AssumptionIn `json:"assumptions"`
	plan.Projection
	Targets []plan.TargetCheck `json:"targets"`
}

// Project evaluates the communes below unit (as of day) under the assumptions; nothing is
// stored. A value that cannot be read, a work that is not linked to a criterion of the set, or
// a commune outside the unit is refused (fault.InvalidValue) naming it.
func Project(ctx context.Context, db *store.DB, set *criteria.Set, unit string, year int, day units.Date, in []AssumptionIn) (PlanProjection, error) {
	name, cs, err := PlanCommunes(ctx, db, set, unit, day, false)
	if err != nil {
		return PlanProjection{}, err
	}
	out := PlanProjection{Unit: unit, Name: name, Set: set.ID, Year: year, AsOf: day, Assumptions: in, Targets: []plan.TargetCheck{}}
	if out.Assumptions == nil {
		out.Assumptions = []AssumptionIn{}
	}
	var as []plan.Assumption
	var bad []string
	for i, a := range in {
		pa := plan.Assumption{Unit: strings.TrimSpace(a.Unit), Criteria: a.Criteria}
		if len(a.Values) > 0 {
			pa.Values = criteria.Values{}
			for _, code := range slices.Sorted(maps.Keys(a.Values)) {
				vals, err := set.Values("", []criteria.ValueRow{{Unit: pa.Unit, Code: code, Text: a.Values[code]}})
				if err != nil {
					msg := criteria.ValueWords(err).String()
					bad = append(bad, fmt.Sprintf("assumptions[%d]: xã %s, chỉ tiêu %s: %s", i, pa.Unit, code, msg))
					continue
				}
				maps.Copy(pa.Values, vals)
			}
		}
		for _, id := range a.Works {
			w, err := db.Work(ctx, id)
			switch {
			case err != nil:
				bad = append(bad, fmt.Sprintf("assumptions[%d]: công trình %d không có (work %d not found)", i, id, id))
			case w.UnitCode != pa.Unit || w.CriterionSet != set.ID || w.Criterion == 0:
				bad = append(bad, fmt.Sprintf("assumptions[%d]: công trình %d không thuộc xã %s hoặc không gắn với tiêu chí của bộ %s (work %d is not of commune %s or not linked to a criterion of %s)",
					i, id, pa.Unit, set.ID, id, pa.Unit, set.ID))
			default:
				pa.Criteria = append(pa.Criteria, w.Criterion)
			}
		}
		for _, n := range pa.Criteria {
			if set.Criterion(n) == nil {
				bad = append(bad, fmt.Sprintf("assumptions[%d]: bộ %s không có tiêu chí %d (set %s has no criterion %d)", i, set.ID, n, set.ID, n))
			}
		}
		as = append(as, pa)
	}
	if len(bad) > 0 {
		return out, &fault.Error{Code: fault.InvalidValue, Text: strings.Join(bad, "; ")}
	}
	if out.Projection, err = plan.Project(set, cs, as); err != nil {
		return out, err
	}
	out.Targets, err = checkTargets(ctx, db, set, unit, year, out.Projected, out.Targets)
	return out, err
}

// ScenarioComparison is a saved scenario beside what happened: the figures it projected and
// those of the latest assessments as of a day, and, for each commune it made assumptions
// about, whether it was expected to meet the set and whether it does.
type ScenarioComparison struct {
	Scenario  store.Scenario     `json:"scenario"`
	AsOf      units.Date         `json:"as_of"`
	Projected plan.Figures       `json:"projected"`
	Actual    plan.Figures       `json:"actual"`
	Communes  []ScenarioCommune  `json:"communes"`
	Targets   []plan.TargetCheck `json:"targets"` // the year's targets against Actual
}

// ScenarioCommune is one commune of a scenario, expected against actual.
type ScenarioCommune struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	ExpectedMet bool   `json:"expected_met"`
	Met         bool   `json:"met"`
	CriteriaMet int    `json:"criteria_met"`
}

// CompareScenario compares a saved scenario with the communes' latest assessments by day.
func CompareScenario(ctx context.Context, db *store.DB, set *criteria.Set, sc store.Scenario, day units.Date) (ScenarioComparison, error) {
	out := ScenarioComparison{Scenario: sc, AsOf: day, Communes: []ScenarioCommune{}, Targets: []plan.TargetCheck{}}
	var saved PlanProjection
	if err := json.Unmarshal(sc.Projected, &saved); err != nil {
		return out, fmt.Errorf("scenario %d: %w", sc.ID, err)
	}
	out.Projected = saved.Projected
	now, err := Project(ctx, db, set, sc.UnitCode, sc.Year, day, nil)
	if err != nil {
		return out, err
	}
	out.Actual = now.Now
	_, cs, err := PlanCommunes(ctx, db, set, sc.UnitCode, day, false)
	if err != nil {
		return out, err
	}
	ev, err := criteria.Compile(set)
	if err != nil {
		return out, err
	}
	byCode := map[string]plan.Commune{}
	for _, c := range cs {
		byCode[c.Code] = c
	}
	for _, ch := range saved.Changes {
		sci := ScenarioCommune{Code: ch.Code, Name: ch.Name, ExpectedMet: ch.MetTo}
		if c, ok := byCode[ch.Code]; ok && c.Assessed {
			r := ev.Evaluate(c.Unit, c.Values, criteria.Options{})
			sci.Met, sci.CriteriaMet = r.Met, r.CriteriaMet
		}
		out.Communes = append(out.Communes, sci)
	}
	out.Targets, err = checkTargets(ctx, db, set, sc.UnitCode, sc.Year, out.Actual, out.Targets)
	return out, err
}

// checkTargets appends to checks the targets of unit's year for set, checked against figures.
func checkTargets(ctx context.Context, db *store.DB, set *criteria.Set, unit string, year int, figures plan.Figures, checks []plan.TargetCheck) ([]plan.TargetCheck, error) {
	targets, err := db.Targets(ctx, store.TargetFilter{UnitCode: unit, Year: year})
	if err != nil {
		return checks, err
	}
	for _, t := range targets {
		if t.SetID != set.ID {
			continue
		}
		if tc, ok := plan.CheckTarget(t.ID, t.Metric, t.Value, t.Direction, figures); ok {
			checks = append(checks, tc)
		}
	}
	return checks, nil
}

func money(x float64, lang string) string { return numfmt.Trim(x, 3, lang) }

func targetLines(b *strings.Builder, lang string, year int, ts []plan.TargetCheck) {
	for _, t := range ts {
		key := "plan.target.not_met"
		if t.Met {
			key = "plan.target.met"
		}
		fmt.Fprintln(b, i18n.T(lang, key, t.Metric, fmt.Sprint(year), numfmt.Trim(t.Value, 2, lang), numfmt.Trim(t.Projected, 2, lang)))
	}
}

func criteriaList(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}

// Text writes the proposal as the command line prints it.
func (p PlanProposal) Text(lang string) string {
	var b strings.Builder
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	fmt.Fprintf(&b, "%s — %s, %s\n", p.Name, p.SetTitle, T("plan.propose.year", fmt.Sprint(p.Year), numfmt.Date(string(p.AsOf), lang)))
	if p.CostsFrom == "" {
		b.WriteString(T("plan.propose.no_costs", p.Unit, fmt.Sprint(p.Year), p.Set) + "\n")
	}
	b.WriteString(T("plan.propose.head", len(p.Chosen), p.Asked, money(p.Total, lang), p.CostsFrom) + "\n")
	for i, c := range p.Chosen {
		var ns []int
		for _, cc := range c.Criteria {
			ns = append(ns, cc.Criterion)
		}
		line := T("plan.propose.commune", i+1, c.Name, c.Code, money(c.Remaining, lang), criteriaList(ns))
		if c.Works > 0 {
			line += " " + T("plan.propose.works", money(c.Cost, lang), money(c.Works, lang))
		}
		b.WriteString(line + "\n")
	}
	if p.Short > 0 {
		b.WriteString(T("plan.propose.short", p.Short) + "\n")
	}
	for _, u := range p.Unpriced {
		b.WriteString(T("plan.propose.unpriced", u.Name, u.Code, strings.Join(u.Unpriced, ", ")) + "\n")
	}
	b.WriteString(T("plan.projection.figures", p.Now.Met, p.Now.Communes, numfmt.Trim(p.Now.CriteriaAvg, 2, lang), p.Projected.Met, numfmt.Trim(p.Projected.CriteriaAvg, 2, lang)) + "\n")
	targetLines(&b, lang, p.Year, p.Targets)
	return b.String()
}

// Text writes the projection as the command line prints it.
func (p PlanProjection) Text(lang string) string {
	var b strings.Builder
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	fmt.Fprintf(&b, "%s — %s, %s\n", p.Name, p.Set, T("plan.propose.year", fmt.Sprint(p.Year), numfmt.Date(string(p.AsOf), lang)))
	b.WriteString(T("plan.projection.figures", p.Now.Met, p.Now.Communes, numfmt.Trim(p.Now.CriteriaAvg, 2, lang), p.Projected.Met, numfmt.Trim(p.Projected.CriteriaAvg, 2, lang)) + "\n")
	for _, c := range p.Changes {
		state := T("plan.projection.meets")
		if !c.MetTo {
			state = T("plan.projection.still_short", criteriaList(c.Failing))
		}
		b.WriteString(T("plan.projection.change", c.Name, c.Code, c.CriteriaFrom, c.CriteriaTo, state) + "\n")
	}
	targetLines(&b, lang, p.Year, p.Targets)
	return b.String()
}

// PlanBulletin is what the bulletin can say of the plan (issue 19, point 5): in "Phương
// hướng, nhiệm vụ" the communes proposed for the year and their cost, in the shortcomings the
// recognised communes at risk. Sentences are empty when there is nothing to say (no units_met
// target above the communes meeting the set; no commune at risk).
type PlanBulletin struct {
	Proposal   *PlanProposal `json:"proposal,omitempty"`
	Warnings   PlanWarnings  `json:"warnings"`
	TasksAhead string        `json:"tasks_ahead"` // Vietnamese
	AtRisk     string        `json:"at_risk"`
	TasksEN    string        `json:"tasks_ahead_en"`
	AtRiskEN   string        `json:"at_risk_en"`
}

// PlanForBulletin computes the plan's sentences for a bulletin of unit for year as of day.
func PlanForBulletin(ctx context.Context, db *store.DB, set *criteria.Set, unit string, year int, day units.Date) (PlanBulletin, error) {
	var out PlanBulletin
	var err error
	if out.Warnings, err = Warnings(ctx, db, set, unit, day, false); err != nil {
		return out, err
	}
	p, err := Propose(ctx, db, set, unit, year, 0, day)
	switch {
	case fault.Is(err, fault.InvalidValue):
	case err != nil:
		return out, err
	case len(p.Chosen) > 0:
		out.Proposal = &p
		var names []string
		for _, c := range p.Chosen {
			names = append(names, c.Name)
		}
		list := strings.Join(names, ", ")
		out.TasksAhead = i18n.T("vi", "plan.bulletin.tasks", fmt.Sprint(year), numfmt.Pad2(len(p.Chosen)), list, money(p.Total, "vi"))
		out.TasksEN = i18n.T("en", "plan.bulletin.tasks", fmt.Sprint(year), len(p.Chosen), list, money(p.Total, "en"))
	}
	if n := len(out.Warnings.Warnings); n > 0 {
		var names []string
		for _, w := range out.Warnings.Warnings {
			names = append(names, w.Name)
		}
		out.AtRisk = i18n.T("vi", "plan.bulletin.at_risk", numfmt.Pad2(n), strings.Join(names, ", "))
		out.AtRiskEN = i18n.T("en", "plan.bulletin.at_risk", n, strings.Join(names, ", "))
	}
	return out, nil
}
