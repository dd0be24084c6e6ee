// Package rollup computes the figures offices read — progress of the units below a unit
// against a criteria set, targets against actuals — from the database. The API, the command
// line, the pages and the reports all call it, so their numbers cannot disagree.
package rollup

import (
	"context"
	"fmt"

	"github.com/ntm-vn/ntm/internal/catalog"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Progress is a progress report with what it was computed for. Its JSON is the body of
// GET /api/v1/progress and of ntm progress --json.
type Progress struct {
	progress.Report
	Set          string     `json:"set"`
	SetTitle     string     `json:"set_title"`
	AsOf         units.Date `json:"as_of"`
	ApprovedOnly bool       `json:"approved_only"`
}

// SetError is a criteria set that cannot be used for the request.
type SetError struct{ Msg string }

func (e *SetError) Error() string { return e.Msg }

// InputError marks it as the user's to fix.
func (e *SetError) InputError() bool { return true }

// PickSet returns the set named id, or without one the commune NTM set in force on day.
func PickSet(ctx context.Context, cat *catalog.Catalog, id string, day units.Date) (*criteria.Set, error) {
	if id != "" {
		return cat.Get(ctx, id)
	}
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	for _, set := range cur.Sets() {
		if set.Level == string(units.LevelCommune) && set.Tier == criteria.TierNTM && set.Basis.Effective <= day &&
			(set.Basis.Superseded == "" || day < set.Basis.Superseded) {
			return set, nil
		}
	}
	return nil, &SetError{fmt.Sprintf("không có bộ tiêu chí xã NTM hiệu lực ngày %s; hãy chọn một bộ (no commune NTM set in force on %s: name one)", day, day)}
}

// ComputeProgress rolls up set over the units below unit ("" for the country) as of day.
func ComputeProgress(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool) (Progress, error) {
	level := units.Level(set.Level)
	root, children, entries, err := db.ProgressEntries(ctx, store.ProgressQuery{Root: unit, SetID: set.ID, Level: level,
		RuralOnly: level == units.LevelCommune, AsOf: day, ApprovedOnly: approvedOnly})
	if err != nil {
		return Progress{}, err
	}
	crits := make([]progress.Criterion, len(set.Criteria))
	for i, c := range set.Criteria {
		crits[i] = progress.Criterion{Number: c.Number, Name: c.Name}
	}
	rep := progress.Rollup(root, crits, entries, progress.Options{Children: children, UnitNoun: Noun(level)})
	return Progress{Report: rep, Set: set.ID, SetTitle: set.Title, AsOf: day, ApprovedOnly: approvedOnly}, nil
}

// Noun is the Vietnamese noun for units of a level, as reports count them.
func Noun(l units.Level) string {
	switch l {
	case units.LevelDistrict:
		return "huyện"
	case units.LevelProvince:
		return "tỉnh"
	case units.LevelVillage:
		return "thôn"
	}
	return "xã"
}
