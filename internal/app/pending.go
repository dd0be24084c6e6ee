// The figures on their way: each unit's latest assessment on each set that is not approved
// yet, the assessments the dashboard's "pending" counts (progress.Report.Pending).

package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// PendingAssessment is a unit's latest assessment on a set, not approved yet.
type PendingAssessment struct {
	UnitCode string
	Unit     *units.Unit // the unit at the end of its first period listed; nil if not found
	AssessmentLink
}

// PendingOn lists, by unit and set, the latest assessment ending by day of each unit below
// within ("" the country) on setID ("" every set) when it is not approved, and has status
// ("" any status).
func PendingOn(ctx context.Context, db *store.DB, cat *Catalog, within, setID, status string, day units.Date) ([]PendingAssessment, error) {
	list, err := db.ListAssessments(ctx, store.AssessmentFilter{Within: within, SetID: setID, Limit: 5000})
	if err != nil {
		return nil, err
	}
	list = slices.DeleteFunc(list, func(a store.Assessment) bool { return a.PeriodEnd > day })
	slices.SortStableFunc(list, func(a, b store.Assessment) int {
		return cmp.Or(cmp.Compare(a.UnitCode, b.UnitCode), cmp.Compare(a.SetID, b.SetID), latestFirst(a, b))
	})
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []PendingAssessment
	found := map[string]*units.Unit{}
	for i, a := range list {
		if i > 0 && list[i-1].UnitCode == a.UnitCode && list[i-1].SetID == a.SetID {
			continue // not the latest
		}
		if a.Status == assessment.Approved || status != "" && string(a.Status) != status {
			continue
		}
		u, ok := found[a.UnitCode]
		if !ok {
			if un, err := db.Unit(ctx, a.UnitCode, a.PeriodEnd); err == nil {
				u = &un
			}
			found[a.UnitCode] = u
		}
		out = append(out, PendingAssessment{UnitCode: a.UnitCode, Unit: u, AssessmentLink: linkOf(cur, a)})
	}
	return out, nil
}
