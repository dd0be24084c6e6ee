package app_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/plan/plantest"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// ncSetID is a nâng cao set of the constructed province, with the thresholds of its set.
const ncSetID = "thu-nghiem-nc-2026"

// figuresWorld is the constructed province (plantest) with a nâng cao set that 99004 meets
// in 2026, every assessment approved but 99005's (a draft, on its way), and a target of the
// province for 2026: 3 communes met.
//
// Criteria met in 2026 (of 3): 99004 3 (met; 3 in 2025 too), 99001, 99002, 99005 and
// 99007 2, 99003 1; 99006 not assessed. 99001 and 99004 are recognised (ntm).
func figuresWorld(t *testing.T, db *store.DB) *app.Catalog {
	t.Helper()
	ctx := context.Background()
	cat := plantest.Build(t, db)
	src := strings.NewReplacer("id: "+plantest.SetID, "id: "+ncSetID, "tier: ntm", "tier: nang-cao",
		"title: Bộ tiêu chí thử nghiệm", "title: Bộ tiêu chí nâng cao thử nghiệm").Replace(plantest.SetYAML)
	nc, err := criteria.Parse(ncSetID+".yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Import(ctx, "tinh", nc, ncSetID+".yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	p, _ := assessment.ParsePeriod("2026")
	a, err := cat.CreateAssessment(ctx, app.System("xa"), "99004", ncSetID, p)
	if err != nil {
		t.Fatal(err)
	}
	var ch []store.ValueChange
	for k, v := range plantest.Values["99004"] {
		ch = append(ch, store.ValueChange{Code: k, Value: &v})
	}
	if _, err := cat.SetValues(ctx, app.System("xa"), a.ID, a.Version, ch); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListAssessments(ctx, store.AssessmentFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.UnitCode == "99005" {
			continue
		}
		for _, step := range []struct {
			actor  string
			action assessment.Action
		}{{"xa", assessment.Submit}, {"huyen", assessment.Verify}, {"tinh", assessment.Approve}} {
			if a, err = db.ChangeStatus(ctx, step.actor, a.ID, a.Version, step.action, ""); err != nil {
				t.Fatalf("%s %s: %v", a.UnitCode, step.action, err)
			}
		}
	}
	if _, err := db.PutTarget(ctx, "tinh", store.Target{UnitCode: plantest.Province, Year: 2026, Metric: progress.MetricUnitsMet,
		SetID: plantest.SetID, Value: 3, Direction: "at_least"}); err != nil {
		t.Fatal(err)
	}
	return cat
}

// The dashboard's figures of the constructed province, and of the country (no targets), on
// both engines: the same numbers as the rollup, laid out (distribution by criteria met, each
// child's figure and tier) with the targets of the year.
func TestDashboardFigures_ConstructedProvince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := figuresWorld(t, db)
		set, err := cat.Get(ctx, plantest.SetID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name         string
			q            app.DashboardQuery
			total        int
			distribution []int
			children     map[string]app.ChildFigure
			targets      int
		}{
			{"province, tiers", app.DashboardQuery{Set: set, Unit: plantest.Province, ChildLevel: units.LevelCommune, Day: plantest.AsOf, Tiers: true},
				7, []int{0, 1, 3, 1}, map[string]app.ChildFigure{
					"99001": {CriteriaMet: 2, Single: true}, "99002": {CriteriaMet: 2, Single: true}, "99003": {CriteriaMet: 1, Single: true},
					"99004": {CriteriaMet: 3, Single: true, Tier: criteria.TierNangCao}, "99007": {CriteriaMet: 2, Single: true}},
				1},
			{"country: the province is a group", app.DashboardQuery{Set: set, ChildLevel: units.LevelProvince, Day: plantest.AsOf},
				7, []int{0, 1, 3, 1}, map[string]app.ChildFigure{plantest.Province: {CriteriaMet: 2}}, 0},
			{"2025: one assessment, ntm without tiers asked for", app.DashboardQuery{Set: set, Unit: plantest.Province, ChildLevel: units.LevelCommune, Day: "2025-12-31"},
				7, []int{0, 0, 0, 1}, map[string]app.ChildFigure{"99004": {CriteriaMet: 3, Single: true, Tier: criteria.TierNTM}}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f, err := app.DashboardFigures(ctx, db, cat, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := app.ComputeProgress(ctx, db, set, tc.q.Unit, tc.q.Day, true)
				if err != nil {
					t.Fatal(err)
				}
				if f.UnitsTotal != tc.total || f.UnitsTotal != rep.UnitsTotal || f.UnitsAssessed != rep.UnitsAssessed ||
					f.UnitsMet != rep.UnitsMet || f.CriteriaMetAvg != rep.CriteriaMetAvg || f.Pending != rep.Pending || f.Criteria != 3 {
					t.Errorf("figures %+v, rollup %+v", f, rep.Report)
				}
				if !reflect.DeepEqual(f.Distribution, tc.distribution) {
					t.Errorf("distribution %v, want %v", f.Distribution, tc.distribution)
				}
				if !reflect.DeepEqual(f.Children, tc.children) {
					t.Errorf("children %+v, want %+v", f.Children, tc.children)
				}
				if len(f.Targets) != tc.targets || strconv.Itoa(f.TargetsYear) != string(tc.q.Day[:4]) {
					t.Errorf("targets %+v (year %d)", f.Targets, f.TargetsYear)
				}
			})
		}
		// The province's figures: 5 assessed (99005's draft is on its way), 1 met, the
		// target of 3 met communes not met yet.
		f, err := app.DashboardFigures(ctx, db, cat, app.DashboardQuery{Set: set, Unit: plantest.Province, ChildLevel: units.LevelCommune, Day: plantest.AsOf})
		if err != nil {
			t.Fatal(err)
		}
		if f.UnitsAssessed != 5 || f.UnitsMet != 1 || f.Pending.Draft != 1 || len(f.ByCriterion) != 3 || f.ByCriterion[0].Number != 1 {
			t.Errorf("province: %+v", f)
		}
		if tg := f.Targets[0]; tg.Status.Actual == nil || *tg.Status.Actual != 1 || tg.Status.OnTrack == progress.StatusMet {
			t.Errorf("target: %+v", tg)
		}
		if f.Children["99004"].Tier != criteria.TierNTM {
			t.Errorf("no tiers asked for: %+v", f.Children["99004"])
		}
	})
}

func TestCriteriaBands(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want []int
	}{
		{19, []int{19, 15, 10, 5, 0}}, // as the offices band them
		{10, []int{10, 8, 5, 3, 0}},
		{3, []int{3, 3, 2, 1, 0}},
	} {
		if got := app.CriteriaBands(tc.n); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("CriteriaBands(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

// The list beside the map: the units with figures first, most criteria met first, the
// order otherwise kept.
func TestSortByFigure(t *testing.T) {
	f := &app.Figures{Children: map[string]app.ChildFigure{"b": {CriteriaMet: 2}, "c": {CriteriaMet: 5}, "e": {CriteriaMet: 2}}}
	us := []units.Unit{{Code: "a"}, {Code: "b"}, {Code: "c"}, {Code: "d"}, {Code: "e"}}
	app.SortByFigure(us, f)
	var got []string
	for _, u := range us {
		got = append(got, u.Code)
	}
	if want := []string{"c", "b", "e", "a", "d"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

// The tiers in order, and a commune set's choices on a day.
func TestTierRankAndSetChoices(t *testing.T) {
	for _, tc := range []struct {
		tier string
		want int
	}{{criteria.TierNTM, 0}, {criteria.TierNangCao, 1}, {criteria.TierKieuMau, 2}, {criteria.TierHienDai, 3}, {"", -1}} {
		if got := app.TierRank(tc.tier); got != tc.want {
			t.Errorf("TierRank(%q) = %d, want %d", tc.tier, got, tc.want)
		}
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat := plantest.Build(t, db)
		shown, _ := cat.Get(ctx, plantest.SetID)
		cs, err := app.SetChoices(ctx, cat, plantest.AsOf, shown)
		if err != nil {
			t.Fatal(err)
		}
		selected := 0
		for _, c := range cs {
			set, _ := cat.Get(ctx, c.ID)
			if !set.InForce(plantest.AsOf) || set.Level != "commune" && set.Level != "district" {
				t.Errorf("%s offered", c.ID)
			}
			if c.Selected {
				selected++
				if c.ID != plantest.SetID {
					t.Errorf("%s selected", c.ID)
				}
			}
		}
		if selected != 1 {
			t.Errorf("choices %+v", cs)
		}
	})
}
