package app

import (
	"context"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Grid is the criteria grid of the units below a unit (bảng tổng hợp tiêu chí theo đơn vị):
// for each unit the set applies to, which criteria its latest assessment meets. It is read
// from the same entries as ComputeProgress, so its counts add up to the progress figures.
type Grid struct {
	Code     string               `json:"code"`
	Name     string               `json:"name"`
	Set      string               `json:"set"`
	SetTitle string               `json:"set_title"`
	AsOf     units.Date           `json:"as_of"`
	Criteria []progress.Criterion `json:"criteria"`
	Rows     []GridRow            `json:"rows"` // in code order
}

// GridRow is one unit of a grid.
type GridRow struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Assessed bool   `json:"assessed"`
	Period   string `json:"period,omitempty"`
	Status   string `json:"status,omitempty"`
	// Met says, for each criterion of Grid.Criteria in order, whether the unit meets it.
	Met         []bool `json:"met"`
	CriteriaMet int    `json:"criteria_met"`
	SetMet      bool   `json:"set_met"` // đạt chuẩn
}

// CriteriaGrid is the grid of the units below unit ("" for the country) against set as of day.
func CriteriaGrid(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool) (Grid, error) {
	level := units.Level(set.Level)
	root, _, entries, err := db.ProgressEntries(ctx, store.ProgressQuery{Root: unit, SetID: set.ID, Level: level,
		RuralOnly: level == units.LevelCommune, AsOf: day, ApprovedOnly: approvedOnly})
	if err != nil {
		return Grid{}, err
	}
	g := Grid{Code: root.Code, Name: root.Name, Set: set.ID, SetTitle: set.Title, AsOf: day,
		Criteria: make([]progress.Criterion, len(set.Criteria)), Rows: make([]GridRow, 0, len(entries))}
	pos := map[int]int{}
	for i, c := range set.Criteria {
		g.Criteria[i] = progress.Criterion{Number: c.Number, Name: c.Name}
		pos[c.Number] = i
	}
	for _, e := range entries {
		row := GridRow{Code: e.Unit.Code, Name: e.Unit.Name, Assessed: e.Assessed, Met: make([]bool, len(set.Criteria))}
		if e.Assessed {
			row.Period, row.Status, row.CriteriaMet, row.SetMet = e.Period, e.Status, len(e.CriteriaMet), e.Met
			for _, n := range e.CriteriaMet {
				if i, ok := pos[n]; ok {
					row.Met[i] = true
				}
			}
		}
		g.Rows = append(g.Rows, row)
	}
	slices.SortFunc(g.Rows, func(a, b GridRow) int { return strings.Compare(a.Code, b.Code) })
	return g, nil
}
