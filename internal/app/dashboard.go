// The figures of the progress dashboard: the progress of the units below a unit against a
// criteria set on a day, each child's figure and tier, and the unit's targets for the year.
// They come from ComputeProgress, the same rollup as GET /api/v1/progress, so the page and
// the API cannot disagree.

package app

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Tiers are the tiers of recognition in order: nông thôn mới < nâng cao < kiểu mẫu < hiện đại.
var Tiers = []string{criteria.TierNTM, criteria.TierNangCao, criteria.TierKieuMau, criteria.TierHienDai}

// TierRank orders the tiers (Tiers); -1 for none.
func TierRank(t string) int { return slices.Index(Tiers, t) }

// Figures is the progress of the units below one unit against one criteria set on a day
// (SPEC §1.4), from ComputeProgress: the same figures as GET /api/v1/progress, laid out for
// the dashboard and a unit's page.
type Figures struct {
	SetID, SetTitle  string
	Criteria         int // criteria in the set (19, 10…)
	UnitsTotal       int
	UnitsAssessed    int
	UnitsMet         int
	UnitsRecognized  int
	CriteriaMetSum   int
	CriteriaMetAvg   float64
	IndicatorsTotal  int
	IndicatorsMetAvg float64
	IndicatorsMetPct float64
	// Distribution[k] is how many units meet exactly k criteria (k = 0…Criteria).
	Distribution []int
	ByCriterion  []CriterionCount // weakest first
	// Delta is the change since each unit's previous assessment; FellBack counts the units
	// that lost a criterion they had.
	Delta    progress.Figures
	FellBack int
	ByStatus progress.StatusCounts
	// Pending counts the units whose latest assessment is not approved yet (the official
	// figures count approved ones only).
	Pending progress.StatusCounts
	// Children holds each child unit's figure by code: for a province its communes; for
	// the country the provinces (their average criteria met and units met).
	Children map[string]ChildFigure
	// Targets of the unit for TargetsYear, the year of the day, against the actual figures
	// (none for the whole country).
	Targets     []TargetStatus
	TargetsYear int
}

// CriterionCount is how many of the units assessed meet one criterion.
type CriterionCount struct {
	Number   int
	Name     string
	UnitsMet int
	Share    float64 // per cent of the units assessed
}

// ChildFigure is one child unit on the map and in the ranking.
type ChildFigure struct {
	CriteriaMet float64 // a commune: criteria met; a province: average over its communes
	Tier        string  // ntm, nang-cao, kieu-mau, hien-dai; "" none
	Single      bool    // the child is one assessed unit (a commune), not a group
}

// DashboardQuery asks for the dashboard's figures.
type DashboardQuery struct {
	Set  *criteria.Set
	Unit string // "" the country
	// ChildLevel is the level of the unit's children ("" none): when it is the set's level
	// (a province's communes) each child is one assessed unit, else a group of them.
	ChildLevel units.Level
	Day        units.Date
	// Tiers gives each child commune the highest tier whose set it meets.
	Tiers bool
	// Lang is the language the targets' sources are written in ("" Vietnamese).
	Lang string
}

// DashboardFigures is the dashboard's figures over the units below q.Unit against q.Set on
// q.Day, with the unit's targets for the year. The caller has checked that the user may
// read them.
func DashboardFigures(ctx context.Context, db *store.DB, cat *Catalog, q DashboardQuery) (*Figures, error) {
	rep, err := ComputeProgress(ctx, db, q.Set, q.Unit, q.Day, true)
	if err != nil {
		return nil, err
	}
	f := FiguresOf(rep, q.ChildLevel != "" && string(q.ChildLevel) == q.Set.Level)
	f.TargetsYear, _ = strconv.Atoi(string(q.Day)[:4])
	if q.Tiers {
		if err := childTiers(ctx, db, cat, f, q.Set, q.Unit, q.Day); err != nil {
			return nil, err
		}
	}
	if q.Unit != "" {
		if f.Targets, err = UnitTargets(ctx, db, cat, q.Unit, f.TargetsYear, q.Day, q.Lang); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// FiguresOf takes the figures from a progress report whose children are single units
// (single) or groups of them.
func FiguresOf(rep Progress, single bool) *Figures {
	f := &Figures{
		SetID: rep.Set, SetTitle: rep.SetTitle, Criteria: rep.CriteriaTotal,
		UnitsTotal: rep.UnitsTotal, UnitsAssessed: rep.UnitsAssessed, UnitsMet: rep.UnitsMet, UnitsRecognized: rep.UnitsRecognized,
		CriteriaMetSum: rep.CriteriaMetSum, CriteriaMetAvg: rep.CriteriaMetAvg,
		IndicatorsTotal: rep.IndicatorsTotal, IndicatorsMetAvg: rep.IndicatorsMetAvg, IndicatorsMetPct: rep.IndicatorsMetPct,
		Delta: rep.Delta, FellBack: len(rep.FellBack), ByStatus: rep.ByStatus, Pending: rep.Pending,
		Distribution: make([]int, rep.CriteriaTotal+1),
		Children:     map[string]ChildFigure{},
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
			f.ByCriterion = append(f.ByCriterion, CriterionCount{Number: c.Number, Name: c.Name, UnitsMet: c.UnitsMet, Share: c.Share})
		}
	}
	for _, c := range rep.Children {
		if c.UnitsAssessed == 0 {
			continue
		}
		cf := ChildFigure{CriteriaMet: c.CriteriaMetAvg, Single: single}
		if cf.Single && c.UnitsMet == 1 {
			cf.Tier = criteria.TierNTM
		}
		f.Children[c.Code] = cf
	}
	return f
}

// childTiers raises each child commune's tier to the highest tier set (of the same level,
// in force on day) that it meets.
func childTiers(ctx context.Context, db *store.DB, cat *Catalog, f *Figures, base *criteria.Set, code string, day units.Date) error {
	cur, err := cat.Current(ctx)
	if err != nil {
		return err
	}
	for _, set := range cur.Sets() {
		if set.ID == base.ID || set.Level != base.Level || !set.InForce(day) || TierRank(set.Tier) <= 0 {
			continue
		}
		rep, err := ComputeProgress(ctx, db, set, code, day, true)
		if err != nil {
			return err
		}
		for _, c := range rep.Children {
			cf, ok := f.Children[c.Code]
			if !ok || !cf.Single || c.UnitsMet != 1 {
				continue
			}
			if TierRank(set.Tier) > TierRank(cf.Tier) {
				cf.Tier = set.Tier
				f.Children[c.Code] = cf
			}
		}
	}
	return nil
}

// UnitTargets is the unit's targets for year, assessed by Targets as of day as
// GET /api/v1/targets assesses them, their sources in lang; none when the unit has none.
func UnitTargets(ctx context.Context, db *store.DB, cat *Catalog, code string, year int, day units.Date, lang string) ([]TargetStatus, error) {
	ts, err := db.Targets(ctx, store.TargetFilter{UnitCode: code, Year: year})
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	if lang == "" {
		lang = i18n.Default
	}
	return Targets(ctx, db, cat, ts, day, lang)
}

// SetChoice is a criteria set the dashboard can count on.
type SetChoice struct {
	ID, Title string
	Selected  bool
}

// SetChoices lists the sets the dashboard can count on day: the commune and district sets
// in force, with the one shown selected.
func SetChoices(ctx context.Context, cat *Catalog, day units.Date, shown *criteria.Set) ([]SetChoice, error) {
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []SetChoice
	for _, set := range cur.Sets() {
		if set.InForce(day) && (set.Level == string(units.LevelCommune) || set.Level == string(units.LevelDistrict)) {
			out = append(out, SetChoice{ID: set.ID, Title: set.Title, Selected: shown != nil && set.ID == shown.ID})
		}
	}
	return out, nil
}

// SortByFigure orders children as the list beside the dashboard's map shows them: the units
// with figures first, most criteria met first; the order is otherwise kept.
func SortByFigure(children []units.Unit, f *Figures) {
	slices.SortStableFunc(children, func(a, b units.Unit) int {
		fa, oka := f.Children[a.Code]
		fb, okb := f.Children[b.Code]
		switch {
		case oka != okb && oka:
			return -1
		case oka != okb:
			return 1
		}
		return cmp.Compare(fb.CriteriaMet, fa.CriteriaMet)
	})
}

// CriteriaBands are the lower bounds of the map's five bands of criteria met, highest
// first, as the offices band them for 19 criteria (19 / 15-18 / 10-14 / 5-9 / under 5),
// scaled for sets with another number of criteria: all, ≥ ¾, ≥ ½, ≥ ¼, less.
func CriteriaBands(n int) []int {
	return []int{n, ceilDiv(3*n, 4), ceilDiv(n, 2), ceilDiv(n, 4), 0}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
