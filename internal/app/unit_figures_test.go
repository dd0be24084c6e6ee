package app_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/plan/plantest"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// standingOn returns the unit's standing on set, or fails.
func standingOn(t *testing.T, f *app.UnitFigures, set string) app.Standing {
	t.Helper()
	for _, st := range f.Standings {
		if st.SetID == set {
			return st
		}
	}
	t.Fatalf("no standing on %s: %+v", set, f.Standings)
	return app.Standing{}
}

// A unit's figures in the constructed province, on both engines: each commune's standing
// (official: approved only, a draft named beside it), its tier, its recognition, the grid
// and history of its assessments; the province's children ranked, ties sharing a rank.
func TestUnitFiguresOn_ConstructedProvince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := figuresWorld(t, db)
		unit := func(code string) (units.Unit, []units.Unit) {
			u, err := db.Unit(ctx, code, plantest.AsOf)
			if err != nil {
				t.Fatal(err)
			}
			children, err := db.Children(ctx, code, plantest.AsOf)
			if err != nil {
				t.Fatal(err)
			}
			return u, children
		}
		for _, tc := range []struct {
			code       string
			day        units.Date
			assessed   bool // on the set of the province
			met        int
			pending    bool
			tier       string
			recognized bool
			periods    []string // of the grid
			history    []app.HistoryPoint
		}{
			{"99004", plantest.AsOf, true, 3, false, criteria.TierNangCao, true, []string{"2025", "2026"},
				[]app.HistoryPoint{{Period: "2025", CriteriaMet: 3}, {Period: "2026", CriteriaMet: 3}}},
			{"99004", "2025-12-31", true, 3, false, criteria.TierNTM, true, []string{"2025"}, []app.HistoryPoint{{Period: "2025", CriteriaMet: 3}}},
			{"99003", plantest.AsOf, true, 1, false, "", false, []string{"2026"}, []app.HistoryPoint{{Period: "2026", CriteriaMet: 1}}},
			{"99005", plantest.AsOf, false, 0, true, "", false, []string{"2026"}, []app.HistoryPoint{{Period: "2026", CriteriaMet: 2}}},
			{"99006", plantest.AsOf, false, 0, false, "", false, nil, nil},
		} {
			t.Run(tc.code+"@"+string(tc.day), func(t *testing.T) {
				u, children := unit(tc.code)
				f, err := app.UnitFiguresOn(ctx, db, cat, u, children, tc.day)
				if err != nil {
					t.Fatal(err)
				}
				if !f.Assessable || !f.Applies || f.Ranked != nil || f.Below != nil {
					t.Errorf("a commune: %+v", f)
				}
				st := standingOn(t, f, plantest.SetID)
				if st.Assessed != tc.assessed || st.CriteriaMet != tc.met || (st.Pending != nil) != tc.pending || !st.InForce || st.CriteriaTotal != 3 {
					t.Errorf("standing %+v", st)
				}
				if f.Standings[0].SetTier != criteria.TierNTM {
					t.Errorf("standings not by tier: %+v", f.Standings)
				}
				if f.Tier != tc.tier || f.Recognition.Recognized != tc.recognized {
					t.Errorf("tier %q, recognition %+v", f.Tier, f.Recognition)
				}
				var periods []string
				if f.Grid != nil {
					for _, p := range f.Grid.Periods {
						periods = append(periods, p.Period)
					}
					if f.Grid.Criteria != 3 || len(f.Grid.Rows) != 3 || len(f.Grid.Rows[0].Cells) != len(periods) {
						t.Errorf("grid %+v", f.Grid)
					}
				}
				if !reflect.DeepEqual(periods, tc.periods) || !reflect.DeepEqual(f.History, tc.history) {
					t.Errorf("grid periods %v, history %+v", periods, f.History)
				}
			})
		}
		// The grid's cells carry the engine's verdict: 99003 misses criteria 1 (income) and 2.
		u, _ := unit("99003")
		f, err := app.UnitFiguresOn(ctx, db, cat, u, nil, plantest.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		var states []string
		for _, r := range f.Grid.Rows {
			states = append(states, r.Cells[0].State)
			if r.Cells[0].Verdict == nil || r.Cells[0].Verdict.Number != r.Number {
				t.Errorf("cell of %d: %+v", r.Number, r.Cells[0])
			}
		}
		if want := []string{"not_met", "not_met", "met"}; !reflect.DeepEqual(states, want) {
			t.Errorf("99003's grid %v, want %v", states, want)
		}
		if len(f.Assessments) != 1 || f.Assessments[0].SetTitle != "Bộ tiêu chí thử nghiệm" || f.Assessments[0].CriteriaMet != 1 {
			t.Errorf("99003's assessments %+v", f.Assessments)
		}

		// The province: its communes ranked on the commune set in force, ties sharing a rank,
		// the ones not assessed (on approved figures) after them.
		u, children := unit(plantest.Province)
		f, err = app.UnitFiguresOn(ctx, db, cat, u, children, plantest.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Code string
			Rank int
			Met  float64
		}
		var got []row
		for _, r := range f.Ranked {
			got = append(got, row{r.Unit.Code, r.Rank, r.CriteriaMet})
		}
		want := []row{{"99004", 1, 3}, {"99001", 2, 2}, {"99002", 2, 2}, {"99007", 2, 2}, {"99003", 5, 1}, {"99005", 0, 0}, {"99006", 0, 0}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ranked %+v, want %+v", got, want)
		}
		if f.RankedSet != "Bộ tiêu chí thử nghiệm" || f.Below == nil || f.Below.UnitsAssessed != 5 || f.Below.UnitsMet != 1 {
			t.Errorf("ranked on %q, below %+v", f.RankedSet, f.Below)
		}
		if f.Ranked[0].Tier != criteria.TierNTM || !f.Ranked[0].Single || f.Ranked[1].Tier != "" {
			t.Errorf("tiers of the ranked: %+v", f.Ranked[:2])
		}
	})
}

// The recognition registry of a unit: the decision in force of the highest tier.
func TestRecognitionOf(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		figuresWorld(t, db)
		recognise(t, db, "99004", criteria.TierNangCao, "2/QĐ-UBND-99004", "2026-06-01")
		for _, tc := range []struct {
			code string
			day  units.Date
			want app.UnitRecognition
		}{
			{"99004", plantest.AsOf, app.UnitRecognition{Recognized: true, Tier: criteria.TierNangCao, Decision: "2/QĐ-UBND-99004", Date: "2026-06-01"}},
			{"99004", "2026-01-01", app.UnitRecognition{Recognized: true, Tier: criteria.TierNTM, Decision: "1/QĐ-UBND-99004", Date: "2025-12-01"}},
			{"99001", plantest.AsOf, app.UnitRecognition{Recognized: true, Tier: criteria.TierNTM, Decision: "1/QĐ-UBND-99001", Date: "2025-12-01"}},
			{"99002", plantest.AsOf, app.UnitRecognition{}},
		} {
			got, err := app.RecognitionOf(ctx, db, tc.code, tc.day)
			if err != nil || *got != tc.want {
				t.Errorf("%s on %s: %+v %v, want %+v", tc.code, tc.day, got, err, tc.want)
			}
		}
	})
}
