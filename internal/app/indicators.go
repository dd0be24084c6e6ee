package app

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// UnitSheet is one unit's standing on a set (phiếu kết quả): its latest assessment whose
// period ends on or before a day, evaluated now with the rules in force, so every
// indicator carries its value, the threshold that applied and the verdict.
type UnitSheet struct {
	Unit       units.Unit       `json:"unit"`
	Set        string           `json:"set"`
	SetTitle   string           `json:"set_title"`
	AsOf       units.Date       `json:"as_of"`
	Assessment store.Assessment `json:"assessment"`
	Result     *criteria.Result `json:"result"`
}

// LatestSheet finds the latest assessment of unit (the unit that carries the code on day)
// on set whose period ends by day — the one ComputeProgress counts for it: the latest end,
// the longer period when two end together, then the newest — and evaluates it.
func LatestSheet(ctx context.Context, db *store.DB, cat *Catalog, set *criteria.Set, unit string, day units.Date) (UnitSheet, error) {
	u, err := db.Unit(ctx, unit, day)
	if err != nil {
		return UnitSheet{}, err
	}
	list, err := db.ListAssessments(ctx, store.AssessmentFilter{UnitCode: unit, SetID: set.ID, Limit: 5000})
	if err != nil {
		return UnitSheet{}, err
	}
	list = slices.DeleteFunc(list, func(a store.Assessment) bool { return a.UnitFrom != u.ValidFrom || a.PeriodEnd > day })
	if len(list) == 0 {
		return UnitSheet{}, fault.Newf(fault.NotFound, "%s chưa có đánh giá theo bộ %s đến ngày %s; hãy chọn ngày hoặc bộ tiêu chí khác (%s has no assessment on set %s by %s: choose another date or set)",
			u.FullName, set.ID, day, unit, set.ID, day)
	}
	slices.SortStableFunc(list, func(a, b store.Assessment) int {
		if c := strings.Compare(string(b.PeriodEnd), string(a.PeriodEnd)); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.PeriodStart), string(b.PeriodStart)); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	a, err := db.Assessment(ctx, list[0].ID)
	if err != nil {
		return UnitSheet{}, err
	}
	texts := make(map[string]string, len(a.Values))
	for k, v := range a.Values {
		texts[k] = v.Value
	}
	res, err := cat.Evaluate(ctx, set.ID, u, texts)
	if err != nil {
		return UnitSheet{}, err
	}
	return UnitSheet{Unit: u, Set: set.ID, SetTitle: set.Title, AsOf: day, Assessment: a, Result: res}, nil
}
