package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() {
	register(func() *command {
		return &command{
			name:   "units tags import",
			usage:  "FILE.csv|FILE.xlsx",
			actor:  true,
			oneArg: &usageError{"cho một tệp: unit_code, tag, decision, decided, valid_from (give one file)"},
			run: func(ctx context.Context, e *env, args []string) error {
				rows, err := readTagFile(args[0])
				if err != nil {
					return e.refusedFile(filepath.Base(args[0]), err)
				}
				db, err := e.store(ctx)
				if err != nil {
					return err
				}
				st, err := db.ImportUnitTags(ctx, rows, filepath.Base(args[0]), e.actor, units.Today())
				if err != nil {
					return err
				}
				if e.json {
					return e.printJSON(st)
				}
				key := "tags.imported"
				if st.Pending > 0 {
					key = "tags.imported_pending"
				}
				fmt.Fprintln(e.stdout, i18n.T(i18n.VI, key, st.Rows, st.New, st.Unchanged, st.Units, st.Pending))
				return nil
			},
		}
	})

	register(func() *command {
		var utSet, utParent string
		return &command{
			name:  "units untagged",
			usage: "--set ID",
			flags: []flagDef{{"set", &utSet}, {"parent", &utParent}},
			asOf:  true,
			run: func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 || utSet == "" {
					return usageError{"cần --set MÃ (và --parent, --as-of) (takes --set ID, and --parent, --as-of)"}
				}
				day := e.day
				cat, _, err := criteriaCatalog(ctx, e)
				if err != nil {
					return err
				}
				set, err := getSet(cat, utSet)
				if err != nil {
					return err
				}
				db, err := e.store(ctx)
				if err != nil {
					return err
				}
				communes, err := communesBelow(ctx, db, utParent, day)
				if err != nil {
					return err
				}
				list := app.UntaggedFor(set, communes)
				if e.json {
					return e.printJSON(map[string]any{"set": set.ID, "as_of": day, "communes": countCommunes(communes), "untagged": nonNil(list)})
				}
				tw := e.table("Mã\tTên\tThuộc\tThiếu")
				for _, x := range list {
					missing := i18n.T(i18n.VI, "tags.cli.missing.group")
					if x.Missing == "region" {
						missing = i18n.T(i18n.VI, "tags.cli.missing.region")
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", x.Unit.Code, x.Unit.FullName, x.Unit.ParentCode, missing)
				}
				tw.Flush()
				key := "tags.cli.untagged"
				if len(list) > 0 && set.VariesBy == "group" {
					key = "tags.cli.untagged_group"
				}
				// Counts as the command line always wrote them (no thousands separator).
				fmt.Fprintln(e.stdout, i18n.T(i18n.VI, key, strconv.Itoa(len(list)), strconv.Itoa(countCommunes(communes)), set.ID, showDate(day)))
				return nil
			},
		}
	})
}

func countCommunes(us []units.Unit) int {
	n := 0
	for _, u := range us {
		if u.IsRuralCommune() {
			n++
		}
	}
	return n
}

// communesBelow lists every unit below parent (or the whole country) on day.
func communesBelow(ctx context.Context, db *store.DB, parent string, day units.Date) ([]units.Unit, error) {
	if parent != "" {
		return db.Descendants(ctx, parent, day)
	}
	provinces, err := db.Children(ctx, "", day)
	if err != nil {
		return nil, err
	}
	var all []units.Unit
	for _, p := range provinces {
		us, err := db.Descendants(ctx, p.Code, day)
		if err != nil {
			return nil, err
		}
		all = append(all, us...)
	}
	return all, nil
}

// readTagFile reads a tags file (CSV or the first sheet of a workbook) into decision rows.
func readTagFile(path string) ([]units.TagAssignment, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := resources.ReadTable(filepath.Base(path), b)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	var lines []int
	for _, r := range t.Rows {
		cells := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			cells[i] = c.Text
		}
		rows = append(rows, cells)
		lines = append(lines, r.Line)
	}
	return units.ParseTagRows(filepath.Base(path), rows, lines)
}
