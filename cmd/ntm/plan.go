package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// planFlags are the flags every plan command shares: the unit, the set and the day, checked
// as ntm progress checks them (an unknown unit: exit 4; a bad date: exit 2).
type planFlags struct {
	unit, set, asOf, lang string
	approvedOnly          bool
}

func (f *planFlags) setup(fs *flag.FlagSet) {
	fs.StringVar(&f.unit, "unit", "", "unit code (default: the whole country)")
	fs.StringVar(&f.set, "set", "", "criteria set id (default: the commune NTM set in force)")
	fs.StringVar(&f.asOf, "as-of", "", "date YYYY-MM-DD (default today): each commune's latest assessment ending by then")
	fs.BoolVar(&f.approvedOnly, "approved-only", false, "count approved assessments only")
	fs.StringVar(&f.lang, "lang", "vi", "language of the text output: vi or en")
}

// open checks the flags and returns the database, the set and the day.
func (f *planFlags) open(ctx context.Context, e *env) (*store.DB, *app.Catalog, *criteria.Set, units.Date, error) {
	day, err := dateFlag("as-of", f.asOf)
	if err != nil {
		return nil, nil, nil, "", err
	}
	db, err := e.store(ctx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	cat, err := app.Open(ctx, db)
	if err != nil {
		return nil, nil, nil, "", err
	}
	s, err := app.PickSet(ctx, cat, f.set, day)
	if err != nil {
		return nil, nil, nil, "", err
	}
	if f.unit != "" {
		if _, err := db.Unit(ctx, f.unit, day); err != nil {
			return nil, nil, nil, "", fmt.Errorf("đơn vị %s ngày %s (unit %s on %s): %w", f.unit, day, f.unit, day, err)
		}
	}
	return db, cat, s, day, nil
}

func init() {
	var f planFlags
	register(&command{
		name:    "plan",
		summary: "plan the path to the standard: every commune below a unit not meeting a set, closest first, with the gap of each indicator",
		setup:   func(fs *flag.FlagSet, e *env) { f.setup(fs) },
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"plan takes flags only"}
			}
			db, _, set, day, err := f.open(ctx, e)
			if err != nil {
				return err
			}
			g, err := app.Gaps(ctx, db, set, f.unit, day, f.approvedOnly)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(g)
			}
			fmt.Fprint(e.stdout, g.Text(f.lang))
			return nil
		},
	})
	var w planFlags
	register(&command{
		name:    "plan warnings",
		summary: "early warning: recognised communes near a threshold (margins in data/plan/margins.yaml) or whose dynamic indicators went down",
		setup:   func(fs *flag.FlagSet, e *env) { w.setup(fs) },
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"plan warnings takes flags only"}
			}
			db, _, set, day, err := w.open(ctx, e)
			if err != nil {
				return err
			}
			ws, err := app.Warnings(ctx, db, set, w.unit, day, w.approvedOnly)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(ws)
			}
			fmt.Fprint(e.stdout, ws.Text(w.lang))
			return nil
		},
	})
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
	register(planCostsImportCmd())
	register(planProposeCmd())
	register(planWhatifCmd())
}

// planCostsImportCmd is `ntm plan costs import`.
func planCostsImportCmd() *command {
	var f planFlags
	var year int
	var user string
	return &command{
		name:    "plan costs import",
		usage:   "FILE.csv|FILE.xlsx",
		summary: "import a cost table (Mã chỉ tiêu, Đơn giá (triệu đồng), Ghi chú) for a unit, a year and a set; refused whole, every problem by row and column",
		setup: func(fs *flag.FlagSet, e *env) {
			f.setup(fs)
			fs.IntVar(&year, "year", 0, "the plan's year (default: the year of --as-of)")
			fs.StringVar(&user, "user", "system", "who imports, for the audit log")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 || f.unit == "" {
				return usageError{"plan costs import takes one file and --unit"}
			}
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			db, _, set, day, err := f.open(ctx, e)
			if err != nil {
				return err
			}
			rows, err := app.ImportPlanCosts(ctx, db, user, set, f.unit, planYearFlag(year, day), filepath.Base(args[0]), src)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(rows)
			}
			fmt.Fprintf(e.stdout, "%s\n", i18n.T(f.lang, "plan.costs.imported", len(rows), f.unit, fmt.Sprint(planYearFlag(year, day)), set.ID))
			return nil
		},
	}
}

// planProposeCmd is `ntm plan propose`.
func planProposeCmd() *command {
	var pf planFlags
	var pyear, count int
	return &command{
		name:    "plan propose",
		summary: "the communes whose remaining gaps cost least for a target (--count, or the units_met target of the year), with the cost per commune and the targets the plan would meet",
		setup: func(fs *flag.FlagSet, e *env) {
			pf.setup(fs)
			fs.IntVar(&pyear, "year", 0, "the plan's year (default: the year of --as-of)")
			fs.IntVar(&count, "count", 0, "communes wanted (default: the units_met target of the year less those meeting the set)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 || pf.unit == "" {
				return usageError{"plan propose takes flags only, with --unit"}
			}
			if count < 0 {
				return usageError{"--count must be 1 or more"}
			}
			db, _, set, day, err := pf.open(ctx, e)
			if err != nil {
				return err
			}
			p, err := app.Propose(ctx, db, set, pf.unit, planYearFlag(pyear, day), count, day)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(p)
			}
			fmt.Fprint(e.stdout, p.Text(pf.lang))
			return nil
		},
	}
}

// planWhatifCmd is `ntm plan whatif`.
func planWhatifCmd() *command {
	var wf planFlags
	var wyear, version int
	var assume, save, user string
	return &command{
		name:    "plan whatif",
		summary: "what-if: the figures at the year's end under assumptions (a JSON list of {unit, values, works, criteria}); --save NAME keeps it as a versioned scenario",
		setup: func(fs *flag.FlagSet, e *env) {
			wf.setup(fs)
			fs.IntVar(&wyear, "year", 0, "the plan's year (default: the year of --as-of)")
			fs.StringVar(&assume, "assume", "", "JSON file of assumptions: [{\"unit\": \"…\", \"values\": {\"2.1\": \"85\"}, \"works\": [id], \"criteria\": [n]}]")
			fs.StringVar(&save, "save", "", "save as the named scenario of the unit and year (a new version if it exists)")
			fs.IntVar(&version, "version", 0, "with --save of an existing scenario: the version it is based on")
			fs.StringVar(&user, "user", "system", "who saves, for the audit log")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 || wf.unit == "" || assume == "" {
				return usageError{"plan whatif takes --unit and --assume FILE.json"}
			}
			src, err := os.ReadFile(assume)
			if err != nil {
				return err
			}
			var as []app.AssumptionIn
			if err := json.Unmarshal(src, &as); err != nil {
				return &app.PlanInputError{Msg: fmt.Sprintf("%s: không phải danh sách giả định JSON (not a JSON list of assumptions): %v", assume, err)}
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
				s, err := db.CreateScenario(ctx, user, store.Scenario{UnitCode: wf.unit, Year: y, SetID: set.ID, Name: save, Assumptions: body, Projected: proj})
				var exists *store.ScenarioExistsError
				if errors.As(err, &exists) {
					if version == 0 {
						return usageError{fmt.Sprintf("scenario %q exists (id %d): give --version to save its next version", save, exists.ID)}
					}
					s, err = db.SaveScenario(ctx, user, exists.ID, version, body, proj)
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
