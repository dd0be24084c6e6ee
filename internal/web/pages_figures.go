package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The figures on the pages. The dashboard's come from app.ComputeProgress, the same
// rollup as GET /api/v1/progress, so the page and the API cannot disagree; a unit's page
// reads its assessments (their kept evaluation, and the engine for the reasons) and ranks
// its children with the same rollup.

// ---------------------------------------------------------------------------------------
// The dashboard

// setChoices lists the sets the dashboard can count on day: the commune and district sets
// in force, with the one shown selected.
func setChoices(ctx context.Context, cat *app.Catalog, day units.Date, shown *criteria.Set) ([]setChoice, error) {
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []setChoice
	for _, set := range cur.Sets() {
		if set.InForce(day) && (set.Level == string(units.LevelCommune) || set.Level == string(units.LevelDistrict)) {
			out = append(out, setChoice{ID: set.ID, Title: set.Title, Selected: shown != nil && set.ID == shown.ID})
		}
	}
	return out, nil
}

// progressFor is the dashboard's figures over the units below unit (nil: the country)
// against set on the page's day. The caller has checked that the user may read them.
// children are the unit's children: when they are of the set's level (a province's
// communes) each is one assessed unit, else a group (the country's provinces). With tiers,
// each child commune also gets the highest tier whose set it meets.
func (s *Server) progressFor(r *http.Request, p *page, unit *units.Unit, children []units.Unit, set *criteria.Set, tiers bool) (*progressFigures, error) {
	ctx := r.Context()
	code := ""
	if unit != nil {
		code = unit.Code
	}
	rep, err := app.ComputeProgress(ctx, s.db, set, code, p.AsOf, true)
	if err != nil {
		return nil, err
	}
	f := figuresOf(rep, len(children) > 0 && string(children[0].Level) == set.Level)
	f.PendingLink = func(status string) string {
		return p.Link("/assessments/pending", "unit", code, "set", set.ID, "status", status, "as_of", string(p.AsOf))
	}
	f.TargetsYear, _ = strconv.Atoi(string(p.AsOf)[:4])
	if tiers {
		if err := s.childTiers(ctx, f, set, code, p.AsOf); err != nil {
			return nil, err
		}
	}
	if unit != nil {
		if err := s.targetRows(r, p, f, unit.Code); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// figuresOf takes the dashboard's figures from a progress report whose children are single
// units or groups of them.
func figuresOf(rep app.Progress, single bool) *progressFigures {
	f := &progressFigures{
		SetID: rep.Set, SetTitle: rep.SetTitle, Criteria: rep.CriteriaTotal,
		UnitsTotal: rep.UnitsTotal, UnitsAssessed: rep.UnitsAssessed, UnitsMet: rep.UnitsMet, UnitsRecognized: rep.UnitsRecognized,
		CriteriaMetSum: rep.CriteriaMetSum, CriteriaMetAvg: rep.CriteriaMetAvg,
		IndicatorsTotal: rep.IndicatorsTotal, IndicatorsMetAvg: rep.IndicatorsMetAvg, IndicatorsMetPct: rep.IndicatorsMetPct,
		Delta: rep.Delta, FellBack: len(rep.FellBack), ByStatus: rep.ByStatus, Pending: rep.Pending,
		Distribution: make([]int, rep.CriteriaTotal+1),
		Children:     map[string]childFigure{},
	}
	for k, n := range rep.Distribution {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 {
			continue
		}
		for len(f.Distribution) <= i {
			f.Distribution = append(f.Distribution, 0)
		}
		f.Distribution[i] = n
	}
	if rep.UnitsAssessed > 0 {
		for _, c := range rep.Weakest {
			f.ByCriterion = append(f.ByCriterion, criterionCount{Number: c.Number, Name: c.Name, UnitsMet: c.UnitsMet, Share: c.Share})
		}
	}
	for _, c := range rep.Children {
		if c.UnitsAssessed == 0 {
			continue
		}
		cf := childFigure{CriteriaMet: c.CriteriaMetAvg, Single: single}
		if cf.Single && c.UnitsMet == 1 {
			cf.Tier = criteria.TierNTM
		}
		f.Children[c.Code] = cf
	}
	return f
}

// tierRank orders the tiers: nông thôn mới < nâng cao < kiểu mẫu < hiện đại.
func tierRank(t string) int { return slices.Index(tiers, t) }

// childTiers raises each child commune's tier to the highest tier set (of the same level,
// in force on day) that it meets.
func (s *Server) childTiers(ctx context.Context, f *progressFigures, base *criteria.Set, code string, day units.Date) error {
	cat, err := s.rules(ctx)
	if err != nil {
		return err
	}
	cur, err := cat.Current(ctx)
	if err != nil {
		return err
	}
	for _, set := range cur.Sets() {
		if set.ID == base.ID || set.Level != base.Level || !set.InForce(day) || tierRank(set.Tier) <= 0 {
			continue
		}
		rep, err := app.ComputeProgress(ctx, s.db, set, code, day, true)
		if err != nil {
			return err
		}
		for _, c := range rep.Children {
			cf, ok := f.Children[c.Code]
			if !ok || !cf.Single || c.UnitsMet != 1 {
				continue
			}
			if tierRank(set.Tier) > tierRank(cf.Tier) {
				cf.Tier = set.Tier
				f.Children[c.Code] = cf
			}
		}
	}
	return nil
}

// targetRow is a plan target against the actual figure.
type targetRow struct {
	Metric   string // in words
	Value    string
	Actual   string // "—" without data
	Expected string
	Status   string // met | on_track | off_track | no_data
	Source   string
}

// targetRows adds the unit's targets for the year of the page's day, assessed by
// app.Targets as GET /api/v1/targets does.
func (s *Server) targetRows(r *http.Request, p *page, f *progressFigures, code string) error {
	ctx := r.Context()
	ts, err := s.db.Targets(ctx, store.TargetFilter{UnitCode: code, Year: f.TargetsYear})
	if err != nil || len(ts) == 0 {
		return err
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return err
	}
	st, err := app.Targets(ctx, s.db, cat, ts, p.AsOf, p.Lang)
	if err != nil {
		return err
	}
	for _, t := range st {
		format := p.metricFormat(t.Metric)
		row := targetRow{Metric: p.metricName(ctx, cat, t.Metric, t.SetID), Value: format(t.Value), Actual: "—",
			Expected: format(t.Status.Expected), Status: t.Status.OnTrack, Source: t.Source}
		if t.Status.Actual != nil {
			row.Actual = format(*t.Status.Actual)
		}
		if row.Status == "" {
			row.Status = progress.StatusNoData
		}
		f.Targets = append(f.Targets, row)
	}
	return nil
}

// metricName says what a target measures, in the page's language.
func (p *page) metricName(ctx context.Context, cat *app.Catalog, metric, setID string) string {
	switch metric {
	case progress.MetricUnitsMet, progress.MetricUnitsRecognized, progress.MetricCriteriaMetAvg,
		progress.MetricIndicatorsMetPct, progress.MetricShareMet:
		return p.T("metric." + metric)
	}
	if code, ok := strings.CutPrefix(metric, progress.IndicatorPrefix); ok {
		name := ""
		if set, err := cat.Get(ctx, setID); err == nil {
			if in, _ := set.Indicator(code); in != nil {
				name = in.Name
			}
		}
		return p.T("metric.indicator", code, name)
	}
	return metric
}

// metricFormat formats a metric's values: counts whole, averages with two decimals,
// shares as per cent.
func (p *page) metricFormat(metric string) func(float64) string {
	switch metric {
	case progress.MetricUnitsMet, progress.MetricUnitsRecognized:
		return func(x float64) string { return p.Dec(x, decimals(x)) }
	case progress.MetricIndicatorsMetPct, progress.MetricShareMet:
		return func(x float64) string { return p.Pct(x, 1) }
	}
	return func(x float64) string { return p.Dec(x, 2) }
}

// TargetSymbol is the sign of a target's status, beside its words.
func (p *page) TargetSymbol(status string) string {
	switch status {
	case progress.StatusMet:
		return "✓"
	case progress.StatusOnTrack:
		return "↗"
	case progress.StatusOffTrack:
		return "✗"
	}
	return "?"
}

// Signed writes a change with its sign: "+3", "−0,25", "0".
func (p *page) Signed(x float64, places int) string {
	switch {
	case x > 0:
		return "+" + p.Dec(x, places)
	case x < 0:
		return "−" + p.Dec(-x, places)
	}
	return p.Dec(0, 0)
}

// Raw writes a figure as the API does (a plain number), for data attributes that tests and
// scripts read.
func (p *page) Raw(x any) string {
	switch v := x.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(x)
}

// ---------------------------------------------------------------------------------------
// A unit's page

// maxGridPeriods is how many periods the criteria grid shows, the latest ones.
const maxGridPeriods = 8

// maxAssessmentLinks is how many of a unit's assessments its page lists.
const maxAssessmentLinks = 20

// appliesTo reports whether set assesses units like u (the level; only xã for commune sets).
func setApplies(set *criteria.Set, u units.Unit) bool {
	return set.Level == string(u.Level) && (u.Level != units.LevelCommune || u.IsRuralCommune())
}

// unitFiguresFor is the unit page's figures as of the page's day: the standing against the
// sets in force, the criteria grid and history of its assessments, its children ranked, and
// its assessments with links to the form — as far as the signed-in user may read them.
func (s *Server) unitFiguresFor(r *http.Request, p *page, u units.Unit, children []units.Unit) (*unitFigures, error) {
	ctx := r.Context()
	user := p.User.user
	if err := s.allow(r, user, auth.Read, u.Code, p.AsOf); err != nil {
		if isForbidden(err) {
			return &unitFigures{Hidden: true}, nil
		}
		return nil, err
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	f := &unitFigures{}
	// The assessments of this unit (the unit the code names on the day: codes were reused).
	list, err := s.db.ListAssessments(ctx, store.AssessmentFilter{UnitCode: u.Code, Limit: 5000})
	if err != nil {
		return nil, err
	}
	list = slices.DeleteFunc(list, func(a store.Assessment) bool { return a.UnitFrom != u.ValidFrom })
	title := func(id string) string {
		if set, ok := cur.Get(id); ok {
			return set.Title
		}
		return id
	}
	for i, a := range list {
		if i == maxAssessmentLinks {
			f.MoreAssessments = len(list) - i
			break
		}
		l := assessmentLink{ID: a.ID, SetID: a.SetID, SetTitle: title(a.SetID), Period: a.Period, Status: string(a.Status)}
		if a.Evaluation != nil {
			l.CriteriaMet, l.CriteriaTotal, l.Met = a.Evaluation.CriteriaMetN, a.Evaluation.CriteriaTotal, a.Evaluation.Met
		}
		f.Assessments = append(f.Assessments, l)
	}
	// Counted on the day: assessments whose period has ended by then, latest first as the
	// progress rollup orders them (latest end, the longer period when two end together,
	// then the newest).
	counted := slices.DeleteFunc(slices.Clone(list), func(a store.Assessment) bool { return a.PeriodEnd > p.AsOf })
	slices.SortStableFunc(counted, func(a, b store.Assessment) int {
		return cmp.Or(cmp.Compare(b.PeriodEnd, a.PeriodEnd), cmp.Compare(a.PeriodStart, b.PeriodStart), cmp.Compare(b.ID, a.ID))
	})
	// The standing is the official one: the latest approved assessment; a later one not
	// approved yet is shown beside it as on its way.
	latest := func(setID string) (official, pending *store.Assessment) {
		for i := range counted {
			if counted[i].SetID != setID {
				continue
			}
			if counted[i].Status == assessment.Approved {
				return &counted[i], pending
			}
			if pending == nil {
				pending = &counted[i]
			}
		}
		return nil, pending
	}
	var applying []*criteria.Set
	for _, set := range cur.Sets() {
		if setApplies(set, u) {
			applying = append(applying, set)
		}
	}
	f.Assessable = len(applying) > 0 || len(list) > 0
	// The grid and the history follow the set of the latest assessment, preferring the
	// basic (ntm) tier; the standings cover the sets in force, and that set if it is not.
	var gridSet *criteria.Set
	for _, a := range counted {
		set, ok := cur.Get(a.SetID)
		if !ok || !setApplies(set, u) {
			continue
		}
		if gridSet == nil || set.Tier == criteria.TierNTM && gridSet.Tier != criteria.TierNTM {
			gridSet = set
		}
		if gridSet.Tier == criteria.TierNTM {
			break
		}
	}
	for _, set := range applying {
		inForce := set.InForce(p.AsOf)
		if !inForce && set != gridSet {
			continue
		}
		st := standing{SetID: set.ID, SetTitle: set.Title, SetTier: set.Tier, InForce: inForce, CriteriaTotal: len(set.Criteria)}
		a, pending := latest(set.ID)
		if pending != nil {
			st.Pending = &assessmentLink{ID: pending.ID, SetID: pending.SetID, SetTitle: set.Title, Period: pending.Period, Status: string(pending.Status)}
		}
		if a != nil {
			st.Assessed, st.AssessmentID, st.Period, st.Status = true, a.ID, a.Period, string(a.Status)
			if a.Evaluation != nil {
				st.CriteriaMet, st.CriteriaTotal, st.Met = a.Evaluation.CriteriaMetN, a.Evaluation.CriteriaTotal, a.Evaluation.Met
			}
			if st.Met && inForce && tierRank(set.Tier) > tierRank(f.Tier) {
				f.Tier = set.Tier
			}
		}
		f.Standings = append(f.Standings, st)
	}
	slices.SortStableFunc(f.Standings, func(a, b standing) int {
		if a.InForce != b.InForce {
			if a.InForce {
				return -1
			}
			return 1
		}
		return cmp.Compare(tierRank(a.SetTier), tierRank(b.SetTier))
	})
	if gridSet != nil {
		if err := s.gridAndHistory(ctx, p, cat, f, u, gridSet, counted); err != nil {
			return nil, err
		}
	}
	if u.Level == units.LevelProvince || u.Level == units.LevelDistrict {
		if err := s.rankChildren(ctx, cat, p, f, u, children); err != nil {
			return nil, err
		}
	}
	if f.Recognition, err = s.recognitionFor(ctx, u.Code, p.AsOf); err != nil {
		return nil, err
	}
	// New assessments start from today's unit (codes were reused: the code of a unit that
	// no longer exists may name another one today).
	if today := units.Today(); len(applying) > 0 && u.ValidFrom <= today && today <= u.ValidTo &&
		s.allow(r, user, auth.Enter, u.Code, today) == nil {
		f.NewLink = newAssessmentLink(u.Code)
	}
	return f, nil
}

// gridAndHistory fills the criteria grid (the latest periods, each cell with the engine's
// reason) and the history chart (criteria met per period) of the unit's assessments on set.
func (s *Server) gridAndHistory(ctx context.Context, p *page, cat *app.Catalog, f *unitFigures, u units.Unit, set *criteria.Set, counted []store.Assessment) error {
	var own []store.Assessment // oldest first
	for i := len(counted) - 1; i >= 0; i-- {
		if counted[i].SetID == set.ID {
			own = append(own, counted[i])
		}
	}
	if len(own) == 0 {
		return nil
	}
	var labels []string
	var values []float64
	for _, a := range own {
		if a.Evaluation == nil {
			continue
		}
		labels = append(labels, p.PeriodName(a.Period))
		values = append(values, float64(a.Evaluation.CriteriaMetN))
	}
	if len(values) > 0 {
		f.History = newLineChart(p.T("unit.history_chart", set.Title), labels, values, float64(len(set.Criteria)),
			func(v float64) string { return p.Dec(v, decimals(v)) })
	}
	shown := own
	if len(shown) > maxGridPeriods {
		shown = shown[len(shown)-maxGridPeriods:]
	}
	g := &criteriaGrid{SetTitle: set.Title}
	index := map[int]int{}
	for i, c := range set.Criteria {
		index[c.Number] = i
		g.Rows = append(g.Rows, gridRow{Number: c.Number, Name: c.Name, Cells: make([]gridCell, len(shown))})
	}
	for j, listed := range shown {
		g.Periods = append(g.Periods, gridPeriod{Label: p.PeriodName(listed.Period), Status: string(listed.Status), Href: fmt.Sprintf("/assessments/%d", listed.ID)})
		a, err := s.db.Assessment(ctx, listed.ID)
		if err != nil {
			return err
		}
		texts := make(map[string]string, len(a.Values))
		for k, v := range a.Values {
			texts[k] = v.Value
		}
		res, err := cat.Evaluate(ctx, set.ID, u, texts)
		if err != nil {
			// Values that no longer read under the rules in force (an imported set changed
			// an indicator's kind): the cells say the data are missing.
			for i := range g.Rows {
				g.Rows[i].Cells[j] = gridCell{State: "missing"}
			}
			continue
		}
		for k := range res.Criteria {
			cv := &res.Criteria[k]
			i, ok := index[cv.Number]
			if !ok {
				continue
			}
			g.Rows[i].Cells[j] = gridCell{State: gridState(cv.Status), Reason: cv.Reason(p.Lang)}
		}
	}
	f.Grid = g
	return nil
}

// gridState maps a criterion's verdict to the grid's four states.
func gridState(st criteria.Status) string {
	switch st {
	case criteria.StatusMet:
		return "met"
	case criteria.StatusNotMet:
		return "not_met"
	case criteria.StatusNotApplicable:
		return "not_applicable"
	}
	return "missing"
}

// rankChildren ranks a province's or district's children by criteria met (a group by its
// average), from the progress rollup of the commune set in force.
func (s *Server) rankChildren(ctx context.Context, cat *app.Catalog, p *page, f *unitFigures, u units.Unit, children []units.Unit) error {
	set, err := app.PickSet(ctx, cat, "", p.AsOf)
	if err != nil {
		return nil // no commune set in force on the day: nothing to rank on
	}
	rep, err := app.ComputeProgress(ctx, s.db, set, u.Code, p.AsOf, true)
	if err != nil {
		return err
	}
	f.Below = figuresOf(rep, len(children) > 0 && string(children[0].Level) == set.Level)
	byCode := map[string]units.Unit{}
	for _, c := range children {
		byCode[c.Code] = c
	}
	for _, c := range rep.Children {
		cu, ok := byCode[c.Code]
		if !ok {
			cu = units.Unit{Code: c.Code, Name: c.Name, FullName: c.Name}
		}
		rc := rankedChild{Unit: cu, CriteriaMet: c.CriteriaMetAvg, UnitsMet: c.UnitsMet, UnitsTotal: c.UnitsTotal,
			Single: c.UnitsTotal == 1 && cu.Level == units.Level(set.Level)}
		if rc.Single && c.UnitsMet == 1 {
			rc.Tier = set.Tier
		}
		if c.UnitsAssessed > 0 {
			rc.Rank = -1 // ranked below
		}
		f.Ranked = append(f.Ranked, rc)
	}
	slices.SortStableFunc(f.Ranked, func(a, b rankedChild) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(b.CriteriaMet, a.CriteriaMet), cmp.Compare(b.UnitsMet, a.UnitsMet),
			cmp.Compare(a.Unit.Code, b.Unit.Code))
	})
	for i := range f.Ranked {
		switch {
		case f.Ranked[i].Rank >= 0:
		case i > 0 && f.Ranked[i-1].Rank > 0 && f.Ranked[i-1].CriteriaMet == f.Ranked[i].CriteriaMet:
			f.Ranked[i].Rank = f.Ranked[i-1].Rank // tied: the same rank ("1, 1, 3")
		default:
			f.Ranked[i].Rank = i + 1
		}
	}
	if len(f.Ranked) == 0 {
		return nil
	}
	// Children the set does not assess (wards) close the list.
	for _, c := range children {
		if !slices.ContainsFunc(rep.Children, func(r progress.Report) bool { return r.Code == c.Code }) {
			f.Ranked = append(f.Ranked, rankedChild{Unit: c, NotAssessed: true})
		}
	}
	f.RankedSet = set.Title
	return nil
}

// recognitionFor reads the recognition registry (quyết định công nhận) for the unit as of
// day: the highest tier it holds a decision for that is in force, or "not recognised".
func (s *Server) recognitionFor(ctx context.Context, code string, day units.Date) (*recognitionInfo, error) {
	list, err := s.db.Recognitions(ctx, store.RegistryFilter{Root: code, AsOf: day, InForce: true})
	if err != nil {
		return nil, err
	}
	out := &recognitionInfo{}
	for _, rec := range list {
		if rec.UnitCode != code || !rec.InForce(day) {
			continue
		}
		if out.Recognized && tierRank(rec.Tier) < tierRank(out.Tier) {
			continue
		}
		*out = recognitionInfo{Recognized: true, Tier: rec.Tier, Decision: rec.Decision.Number, Date: rec.Decision.Date}
	}
	return out, nil
}

// StatusName is an assessment's workflow status in words.
func (p *page) StatusName(status string) string { return p.T("status." + status) }
