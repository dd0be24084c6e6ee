package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/ntm-vn/ntm/internal/catalog"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/rollup"
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
func (f *planFlags) open(ctx context.Context, e *env) (*store.DB, *catalog.Catalog, *criteria.Set, units.Date, error) {
	day, err := dateFlag("as-of", f.asOf)
	if err != nil {
		return nil, nil, nil, "", err
	}
	db, err := e.store(ctx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	cat, err := catalog.Open(ctx, db)
	if err != nil {
		return nil, nil, nil, "", err
	}
	s, err := rollup.PickSet(ctx, cat, f.set, day)
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
			g, err := rollup.Gaps(ctx, db, set, f.unit, day, f.approvedOnly)
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
			ws, err := rollup.Warnings(ctx, db, set, w.unit, day, w.approvedOnly)
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
