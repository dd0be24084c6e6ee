package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// planFlags are the flags every plan command shares: the unit and the set, checked as ntm
// progress checks them (an unknown unit: exit 4), with the day of --as-of.
type planFlags struct {
	unit, set, lang string
	approvedOnly    bool
}

// flags lists these flags (--lang "vi" by default) followed by more of the command's own.
func (f *planFlags) flags(more ...flagDef) []flagDef {
	f.lang = "vi"
	return append([]flagDef{{"unit", &f.unit}, {"set", &f.set}, {"approved-only", &f.approvedOnly}, {"lang", &f.lang}}, more...)
}

// planFigure is a plan command that computes one figure of the plan (app.Gaps,
// app.Warnings) for the flags and prints it.
func planFigure[T interface{ Text(lang string) string }](name string,
	compute func(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool) (T, error)) func() *command {
	return func() *command {
		var f planFlags
		return &command{
			name:      name,
			asOf:      true,
			flags:     f.flags(),
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				db, _, set, day, err := f.open(ctx, e)
				if err != nil {
					return err
				}
				x, err := compute(ctx, db, set, f.unit, day, f.approvedOnly)
				if err != nil {
					return err
				}
				return e.answer(x, "%s", x.Text(f.lang))
			},
		}
	}
}

// open checks the flags and returns the database, the set and the day.
func (f *planFlags) open(ctx context.Context, e *env) (*store.DB, *app.Catalog, *criteria.Set, units.Date, error) {
	db, cat, err := e.rules(ctx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	s, err := app.PickSet(ctx, cat, f.set, e.day)
	if err == nil {
		_, err = e.storeFor(ctx, f.unit)
	}
	return db, cat, s, e.day, err
}

func init() {
	register(planFigure("plan", app.Gaps), planFigure("plan warnings", app.Warnings))
}

// planYearFlag is the plan's year: --year, else the year of the day.
func planYearFlag(year int, day units.Date) int {
	if year != 0 {
		return year
	}
	var y int
	fmt.Sscanf(string(day), "%d", &y)
	return y
}

func init() {
	register(planCostsImportCmd, planProposeCmd, planWhatifCmd)
}

// planCostsImportCmd is `ntm plan costs import`.
func planCostsImportCmd() *command {
	var f planFlags
	var year int
	return &command{
		name:  "plan costs import",
		usage: "FILE.csv|FILE.xlsx",
		asOf:  true,
		actor: true,
		flags: f.flags(flagDef{"year", &year}),
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 || f.unit == "" {
				return usageError{"cho một tệp và --unit (takes one file and --unit)"}
			}
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			db, _, set, day, err := f.open(ctx, e)
			if err != nil {
				return err
			}
			rows, err := app.ImportPlanCosts(ctx, db, e.actor, set, f.unit, planYearFlag(year, day), filepath.Base(args[0]), src)
			if err != nil {
				return e.refusedFile(filepath.Base(args[0]), err)
			}
			return e.answer(rows, "%s\n", i18n.T(f.lang, "plan.costs.imported", len(rows), f.unit, fmt.Sprint(planYearFlag(year, day)), set.ID))
		},
	}
}

// planProposeCmd is `ntm plan propose`.
func planProposeCmd() *command {
	var pf planFlags
	var pyear, count int
	return &command{
		name:  "plan propose",
		asOf:  true,
		flags: pf.flags(flagDef{"year", &pyear}, flagDef{"count", &count}),
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 || pf.unit == "" {
				return usageError{"chỉ nhận cờ, cần --unit (takes flags only, with --unit)"}
			}
			if count < 0 {
				return usageError{"--count phải từ 1 trở lên (must be 1 or more)"}
			}
			db, _, set, day, err := pf.open(ctx, e)
			if err != nil {
				return err
			}
			p, err := app.Propose(ctx, db, set, pf.unit, planYearFlag(pyear, day), count, day)
			if err != nil {
				return err
			}
			return e.answer(p, "%s", p.Text(pf.lang))
		},
	}
}

// planWhatifCmd is `ntm plan whatif`.
func planWhatifCmd() *command {
	var wf planFlags
	var wyear, version int
	var assume, save string
	return &command{
		name:  "plan whatif",
		asOf:  true,
		actor: true,
		flags: wf.flags(flagDef{"year", &wyear}, flagDef{"assume", &assume}, flagDef{"save", &save}, flagDef{"version", &version}),
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 || wf.unit == "" || assume == "" {
				return usageError{"cần --unit và --assume TỆP.json (takes --unit and --assume FILE.json)"}
			}
			src, err := os.ReadFile(assume)
			if err != nil {
				return err
			}
			var as []app.AssumptionIn
			if err := json.Unmarshal(src, &as); err != nil {
				return fault.Newf(fault.InvalidValue, "%s: không phải danh sách giả định JSON (not a JSON list of assumptions): %v", assume, err)
			}
			db, _, set, day, err := wf.open(ctx, e)
			if err != nil {
				return err
			}
			y := planYearFlag(wyear, day)
			p, err := app.Project(ctx, db, set, wf.unit, y, day, as)
			if err != nil {
				return err
			}
			var sc *store.Scenario
			if save != "" {
				body, _ := json.Marshal(p.Assumptions)
				proj, _ := json.Marshal(p)
				s, err := db.CreateScenario(ctx, e.actor, store.Scenario{UnitCode: wf.unit, Year: y, SetID: set.ID, Name: save, Assumptions: body, Projected: proj})
				if id, ok := store.ExistingID(err); ok {
					if version == 0 {
						return usageError{fmt.Sprintf("kịch bản %q đã có (mã %d): cho --version để lưu phiên bản tiếp theo (the scenario exists: give --version to save its next version)", save, id)}
					}
					s, err = db.SaveScenario(ctx, e.actor, id, version, body, proj)
				}
				if err != nil {
					return err
				}
				sc = &s
			}
			if e.json {
				return e.printJSON(struct {
					app.PlanProjection
					Scenario *store.Scenario `json:"scenario,omitempty"`
				}{p, sc})
			}
			fmt.Fprint(e.stdout, p.Text(wf.lang))
			if sc != nil {
				fmt.Fprintln(e.stdout, i18n.T(wf.lang, "plan.scenario.saved", sc.Name, sc.ID, sc.Version))
			}
			return nil
		},
	}
}
