// The figures of a unit's page: its standing against the sets in force, the criteria grid
// and history of its assessments, its children ranked, its recognition and its assessments.

package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// MaxGridPeriods is how many periods the criteria grid shows, the latest ones.
const MaxGridPeriods = 8

// MaxAssessmentLinks is how many of a unit's assessments its page lists.
const MaxAssessmentLinks = 20

// UnitFigures is a unit's figures on a day. Each section a page cannot fill stays empty.
type UnitFigures struct {
	// Assessable is false for a unit that no criteria set assesses and that has no
	// assessment (a province since 2025): its page shows the progress of the units below.
	Assessable bool
	// Applies is true when some criteria set assesses units like this one (in force or not):
	// an assessment of it can be started.
	Applies   bool
	Standings []Standing // against the sets in force (and the set of the latest assessment)
	Tier      string     // the highest tier whose set in force the unit meets; "" none
	// Recognition is what the registry says of the unit on the day.
	Recognition *UnitRecognition
	// Grid is criteria × the latest periods of the assessments on one set, History the
	// criteria met in every period of that set; nil and empty without assessments.
	Grid    *UnitGrid
	History []HistoryPoint
	// Ranked lists the children ranked by criteria met (a province or district), best first.
	Ranked    []RankedChild
	RankedSet string // the title of the set they are ranked on
	// Below is the progress of the units below (a province or district), from the same
	// rollup as the dashboard.
	Below *Figures
	// Assessments are the unit's assessments, newest period first (at most
	// MaxAssessmentLinks; MoreAssessments counts those left out).
	Assessments     []AssessmentLink
	MoreAssessments int
}

// Standing is the unit against one criteria set.
type Standing struct {
	SetID, SetTitle string
	SetTier         string
	InForce         bool // the set is in force on the day
	Assessed        bool
	AssessmentID    int64
	Period          string
	Status          string
	CriteriaMet     int
	CriteriaTotal   int
	Met             bool // meets the whole set
	// Pending is the unit's latest assessment on the set when it is newer than the approved
	// one the standing comes from and not approved yet (on its way); nil otherwise.
	Pending *AssessmentLink
}

// UnitRecognition is what the recognition registry says of a unit.
type UnitRecognition struct {
	Recognized bool
	Tier       string // ntm, nang-cao, kieu-mau, hien-dai
	Decision   string // its number
	Date       units.Date
}

// UnitGrid is criteria × periods, each cell met/not met with the engine's verdict.
type UnitGrid struct {
	SetTitle string
	Criteria int // in the set
	Periods  []UnitGridPeriod
	Rows     []UnitGridRow
}

// UnitGridPeriod is one assessment, a column of the grid.
type UnitGridPeriod struct {
	AssessmentID int64
	Period       string // "2025", "2026-Q2"
	Status       string // the assessment's workflow status
}

// UnitGridRow is one criterion, a row of the grid.
type UnitGridRow struct {
	Number int
	Name   string
	Cells  []UnitGridCell // one per period
}

// UnitGridCell is a criterion in one period.
type UnitGridCell struct {
	State   string                     // "met", "not_met", "missing", "not_applicable"
	Verdict *criteria.CriterionVerdict // nil when the values could not be evaluated
}

// HistoryPoint is the criteria met in one period.
type HistoryPoint struct {
	Period      string
	CriteriaMet int
}

// RankedChild is a child unit in the ranking.
type RankedChild struct {
	Unit        units.Unit
	Rank        int     // 0: not ranked (no assessment)
	CriteriaMet float64 // a unit's criteria met, or a group's average
	UnitsMet    int
	UnitsTotal  int
	Single      bool // the child is one assessed unit, not a group of them
	Tier        string
	NotAssessed bool // the set does not assess it (a ward) and nothing below it
}

// AssessmentLink is one of a unit's assessments.
type AssessmentLink struct {
	ID            int64
	SetID         string
	SetTitle      string
	Period        string
	Status        string
	CriteriaMet   int
	CriteriaTotal int
	Met           bool
}

// SetApplies reports whether set assesses units like u (the level; only xã for commune sets).
func SetApplies(set *criteria.Set, u units.Unit) bool {
	return set.Level == string(u.Level) && (u.Level != units.LevelCommune || u.IsRuralCommune())
}

// UnitFiguresOn is the figures of unit u, whose children are children, as of day. The
// caller has checked that the user may read them.
func UnitFiguresOn(ctx context.Context, db *store.DB, cat *Catalog, u units.Unit, children []units.Unit, day units.Date) (*UnitFigures, error) {
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	f := &UnitFigures{}
	// The assessments of this unit (the unit the code names on the day: codes were reused).
	list, err := db.ListAssessments(ctx, store.AssessmentFilter{UnitCode: u.Code, Limit: 5000})
	if err != nil {
		return nil, err
	}
	list = slices.DeleteFunc(list, func(a store.Assessment) bool { return a.UnitFrom != u.ValidFrom })
	f.Assessments, f.MoreAssessments = assessmentLinks(cur, list)
	counted := countedOn(list, day)
	var applying []*criteria.Set
	for _, set := range cur.Sets() {
		if SetApplies(set, u) {
			applying = append(applying, set)
		}
	}
	f.Applies = len(applying) > 0
	f.Assessable = len(applying) > 0 || len(list) > 0
	gridSet := gridSetOf(cur, u, counted)
	f.Standings, f.Tier = standings(applying, gridSet, counted, day)
	if gridSet != nil {
		if f.Grid, f.History, err = gridAndHistory(ctx, db, cat, u, gridSet, counted); err != nil {
			return nil, err
		}
	}
	if u.Level == units.LevelProvince || u.Level == units.LevelDistrict {
		if f.Ranked, f.RankedSet, f.Below, err = RankChildren(ctx, db, cat, u, children, day); err != nil {
			return nil, err
		}
	}
	if f.Recognition, err = RecognitionOf(ctx, db, u.Code, day); err != nil {
		return nil, err
	}
	return f, nil
}

// assessmentLinks lists the first MaxAssessmentLinks of list and counts the others.
func assessmentLinks(cur *criteria.Catalog, list []store.Assessment) ([]AssessmentLink, int) {
	var out []AssessmentLink
	for i, a := range list {
		if i == MaxAssessmentLinks {
			return out, len(list) - i
		}
		out = append(out, linkOf(cur, a))
	}
	return out, 0
}

// linkOf is a as a page links it: its set's title (its id when the set is unknown), period,
// status and criteria met.
func linkOf(cur *criteria.Catalog, a store.Assessment) AssessmentLink {
	title := a.SetID
	if set, ok := cur.Get(a.SetID); ok {
		title = set.Title
	}
	l := AssessmentLink{ID: a.ID, SetID: a.SetID, SetTitle: title, Period: a.Period, Status: string(a.Status)}
	if a.Evaluation != nil {
		l.CriteriaMet, l.CriteriaTotal, l.Met = a.Evaluation.CriteriaMetN, a.Evaluation.CriteriaTotal, a.Evaluation.Met
	}
	return l
}

// countedOn is the assessments of list counted on day: those whose period has ended by then,
// latest first as the progress rollup orders them (latest end, the longer period when two
// end together, then the newest).
func countedOn(list []store.Assessment, day units.Date) []store.Assessment {
	counted := slices.DeleteFunc(slices.Clone(list), func(a store.Assessment) bool { return a.PeriodEnd > day })
	slices.SortStableFunc(counted, latestFirst)
	return counted
}

// latestFirst orders assessments as the progress rollup picks them: latest end, the longer
// period when two end together, then the newest.
func latestFirst(a, b store.Assessment) int {
	return cmp.Or(cmp.Compare(b.PeriodEnd, a.PeriodEnd), cmp.Compare(a.PeriodStart, b.PeriodStart), cmp.Compare(b.ID, a.ID))
}

// gridSetOf is the set the grid and the history follow: the set of the latest assessment
// counted, preferring the basic (ntm) tier; nil without one.
func gridSetOf(cur *criteria.Catalog, u units.Unit, counted []store.Assessment) *criteria.Set {
	var gridSet *criteria.Set
	for _, a := range counted {
		set, ok := cur.Get(a.SetID)
		if !ok || !SetApplies(set, u) {
			continue
		}
		if gridSet == nil || set.Tier == criteria.TierNTM && gridSet.Tier != criteria.TierNTM {
			gridSet = set
		}
		if gridSet.Tier == criteria.TierNTM {
			break
		}
	}
	return gridSet
}

// latestOn returns the official standing on setID, the latest approved assessment of
// counted, and a later one not approved yet, shown beside it as on its way.
func latestOn(counted []store.Assessment, setID string) (official, pending *store.Assessment) {
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

// standings is the unit against the sets applying to it that are in force on day, and
// gridSet if it is not, those in force first, by tier; and the highest tier it meets.
func standings(applying []*criteria.Set, gridSet *criteria.Set, counted []store.Assessment, day units.Date) ([]Standing, string) {
	var out []Standing
	tier := ""
	for _, set := range applying {
		inForce := set.InForce(day)
		if !inForce && set != gridSet {
			continue
		}
		st := Standing{SetID: set.ID, SetTitle: set.Title, SetTier: set.Tier, InForce: inForce, CriteriaTotal: len(set.Criteria)}
		a, pending := latestOn(counted, set.ID)
		if pending != nil {
			st.Pending = &AssessmentLink{ID: pending.ID, SetID: pending.SetID, SetTitle: set.Title, Period: pending.Period, Status: string(pending.Status)}
		}
		if a != nil {
			st.Assessed, st.AssessmentID, st.Period, st.Status = true, a.ID, a.Period, string(a.Status)
			if a.Evaluation != nil {
				st.CriteriaMet, st.CriteriaTotal, st.Met = a.Evaluation.CriteriaMetN, a.Evaluation.CriteriaTotal, a.Evaluation.Met
			}
			if st.Met && inForce && TierRank(set.Tier) > TierRank(tier) {
				tier = set.Tier
			}
		}
		out = append(out, st)
	}
	slices.SortStableFunc(out, func(a, b Standing) int {
		if a.InForce != b.InForce {
			if a.InForce {
				return -1
			}
			return 1
		}
		return cmp.Compare(TierRank(a.SetTier), TierRank(b.SetTier))
	})
	return out, tier
}

// gridAndHistory is the criteria grid (the latest periods, each cell with the engine's
// verdict) and the history (criteria met per period) of the unit's assessments on set.
func gridAndHistory(ctx context.Context, db *store.DB, cat *Catalog, u units.Unit, set *criteria.Set, counted []store.Assessment) (*UnitGrid, []HistoryPoint, error) {
	var own []store.Assessment // oldest first
	for i := len(counted) - 1; i >= 0; i-- {
		if counted[i].SetID == set.ID {
			own = append(own, counted[i])
		}
	}
	if len(own) == 0 {
		return nil, nil, nil
	}
	var history []HistoryPoint
	for _, a := range own {
		if a.Evaluation != nil {
			history = append(history, HistoryPoint{Period: a.Period, CriteriaMet: a.Evaluation.CriteriaMetN})
		}
	}
	shown := own
	if len(shown) > MaxGridPeriods {
		shown = shown[len(shown)-MaxGridPeriods:]
	}
	g := &UnitGrid{SetTitle: set.Title, Criteria: len(set.Criteria)}
	index := map[int]int{}
	for i, c := range set.Criteria {
		index[c.Number] = i
		g.Rows = append(g.Rows, UnitGridRow{Number: c.Number, Name: c.Name, Cells: make([]UnitGridCell, len(shown))})
	}
	for j, listed := range shown {
		g.Periods = append(g.Periods, UnitGridPeriod{AssessmentID: listed.ID, Period: listed.Period, Status: string(listed.Status)})
		if err := gridColumn(ctx, db, cat, u, set, g, index, j, listed.ID); err != nil {
			return nil, nil, err
		}
	}
	return g, history, nil
}

// gridColumn fills column j of g with the verdicts of assessment id, evaluated again under
// the rules in force.
func gridColumn(ctx context.Context, db *store.DB, cat *Catalog, u units.Unit, set *criteria.Set, g *UnitGrid, index map[int]int, j int, id int64) error {
	a, err := db.Assessment(ctx, id)
	if err != nil {
		return err
	}
	texts := make(map[string]string, len(a.Values))
	for k, v := range a.Values {
		texts[k] = v.Value
	}
	res, err := cat.Evaluate(ctx, set.ID, u, texts)
	if err != nil {
		// Values that no longer read under the rules in force (an imported set changed an
		// indicator's kind): the cells say the data are missing.
		for i := range g.Rows {
			g.Rows[i].Cells[j] = UnitGridCell{State: "missing"}
		}
		return nil
	}
	for k := range res.Criteria {
		cv := &res.Criteria[k]
		i, ok := index[cv.Number]
		if !ok {
			continue
		}
		g.Rows[i].Cells[j] = UnitGridCell{State: gridState(cv.Status), Verdict: cv}
	}
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

// RankChildren ranks a province's or district's children by criteria met (a group by its
// average), from the progress rollup of the commune set in force on day; it returns them
// with the set's title and the progress of the units below. Nothing is ranked when no
// commune set is in force.
func RankChildren(ctx context.Context, db *store.DB, cat *Catalog, u units.Unit, children []units.Unit, day units.Date) ([]RankedChild, string, *Figures, error) {
	set, err := PickSet(ctx, cat, "", day)
	if err != nil {
		return nil, "", nil, nil // no commune set in force on the day: nothing to rank on
	}
	rep, err := ComputeProgress(ctx, db, set, u.Code, day, true)
	if err != nil {
		return nil, "", nil, err
	}
	below := FiguresOf(rep, len(children) > 0 && string(children[0].Level) == set.Level)
	ranked := rankedChildren(set, rep.Children, children)
	if len(ranked) == 0 {
		return nil, "", below, nil
	}
	// Children the set does not assess (wards) close the list.
	for _, c := range children {
		if !slices.ContainsFunc(rep.Children, func(r progress.Report) bool { return r.Code == c.Code }) {
			ranked = append(ranked, RankedChild{Unit: c, NotAssessed: true})
		}
	}
	return ranked, set.Title, below, nil
}

// rankedChildren ranks the children's reports: the assessed ones by criteria met (ties
// share a rank: "1, 1, 3"), then the others.
func rankedChildren(set *criteria.Set, reports []progress.Report, children []units.Unit) []RankedChild {
	byCode := map[string]units.Unit{}
	for _, c := range children {
		byCode[c.Code] = c
	}
	var ranked []RankedChild
	for _, c := range reports {
		cu, ok := byCode[c.Code]
		if !ok {
			cu = units.Unit{Code: c.Code, Name: c.Name, FullName: c.Name}
		}
		rc := RankedChild{Unit: cu, CriteriaMet: c.CriteriaMetAvg, UnitsMet: c.UnitsMet, UnitsTotal: c.UnitsTotal,
			Single: c.UnitsTotal == 1 && cu.Level == units.Level(set.Level)}
		if rc.Single && c.UnitsMet == 1 {
			rc.Tier = set.Tier
		}
		if c.UnitsAssessed > 0 {
			rc.Rank = -1 // ranked below
		}
		ranked = append(ranked, rc)
	}
	slices.SortStableFunc(ranked, func(a, b RankedChild) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(b.CriteriaMet, a.CriteriaMet), cmp.Compare(b.UnitsMet, a.UnitsMet),
			cmp.Compare(a.Unit.Code, b.Unit.Code))
	})
	for i := range ranked {
		switch {
		case ranked[i].Rank >= 0:
		case i > 0 && ranked[i-1].Rank > 0 && ranked[i-1].CriteriaMet == ranked[i].CriteriaMet:
			ranked[i].Rank = ranked[i-1].Rank // tied: the same rank ("1, 1, 3")
		default:
			ranked[i].Rank = i + 1
		}
	}
	return ranked
}

// RecognitionOf reads the recognition registry (quyết định công nhận) for the unit as of
// day: the highest tier it holds a decision for that is in force, or "not recognised".
func RecognitionOf(ctx context.Context, db *store.DB, code string, day units.Date) (*UnitRecognition, error) {
	list, err := db.Recognitions(ctx, store.RegistryFilter{Root: code, AsOf: day, InForce: true})
	if err != nil {
		return nil, err
	}
	out := &UnitRecognition{}
	for _, rec := range list {
		if rec.UnitCode != code || !rec.InForce(day) {
			continue
		}
		if out.Recognized && TierRank(rec.Tier) < TierRank(out.Tier) {
			continue
		}
		*out = UnitRecognition{Recognized: true, Tier: rec.Tier, Decision: rec.Decision.Number, Date: rec.Decision.Date}
	}
	return out, nil
}
