package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() {
	register(unitsImportCmd, unitsListCmd, unitsShowCmd)
}

// unitsImportCmd is `ntm units import`.
func unitsImportCmd() *command {
	var lineageFile string
	return &command{
		name:  "units import",
		usage: "[FILE.csv]",
		flags: []flagDef{{"lineage", &lineageFile}},
		run: func(ctx context.Context, e *env, args []string) error {
			var us []units.Unit
			var ls []units.Lineage
			var err error
			switch len(args) {
			case 0:
				if lineageFile != "" {
					return usageError{"--lineage đi cùng một TỆP đơn vị (--lineage goes with a units FILE)"}
				}
				us, ls, err = units.Shipped()
			case 1:
				us, ls, err = readUnitFiles(args[0], lineageFile)
			default:
				return usageError{"cho nhiều nhất một tệp đơn vị (give at most one units file)"}
			}
			if err != nil {
				return err
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			st, err := db.ImportUnits(ctx, us, ls)
			if err != nil {
				return err
			}
			return e.answer(st, "Đã nạp %d đơn vị: %d mới, %d cập nhật, %d không đổi; %d dòng kế thừa (%d mới).\n",
				st.Units, st.Inserted, st.Updated, st.Unchanged, st.Lineage, st.LineageIn)
		},
	}
}

// unitsListCmd is `ntm units list`.
func unitsListCmd() *command {
	var listParent, listQuery, listLevel string
	listLimit := 50
	return &command{
		name:      "units list",
		usage:     "",
		asOf:      true,
		flags:     []flagDef{{"parent", &listParent}, {"q", &listQuery}, {"level", &listLevel}, {"limit", &listLimit}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			day := e.day
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			var list []units.Unit
			if listQuery != "" || listLevel != "" {
				list, err = db.SearchUnits(ctx, store.UnitQuery{AsOf: day, Text: listQuery, Within: listParent, Level: units.Level(listLevel), Limit: listLimit})
			} else {
				list, err = db.Children(ctx, listParent, day)
			}
			if err != nil {
				return err
			}
			return printRows(e, list, "MÃ\tTÊN\tCẤP\tLOẠI\tVÙNG", fmt.Sprintf("%d đơn vị, ngày %s", len(list), showDate(day)), func(w io.Writer, u units.Unit) {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Code, u.FullName, levelVI(string(u.Level)), u.Type, u.Region)
			})
		},
	}
}

// unitsShowCmd is `ntm units show`.
func unitsShowCmd() *command {
	return &command{
		name:   "units show",
		usage:  "CODE",
		asOf:   true,
		oneArg: &usageError{"cho một mã đơn vị (give one unit code)"},
		run: func(ctx context.Context, e *env, args []string) error {
			day := e.day
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			u, err := db.Unit(ctx, args[0], day)
			if err == store.ErrNotFound {
				// The code may name a unit that no longer exists: say what became of it.
				old, links, serr := db.Successors(ctx, args[0], day)
				if serr == nil {
					return printSuccessors(e, old, links, day)
				}
				return fmt.Errorf("không có đơn vị mã %s vào ngày %s (no unit %s on %s): %w", args[0], day, args[0], day, store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			anc, err := db.Ancestors(ctx, u.Code, day)
			if err != nil {
				return err
			}
			next, err := db.NextLinks(ctx, u)
			if err != nil {
				return err
			}
			prev, err := db.PrevLinks(ctx, u)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(map[string]any{"unit": u, "as_of": day, "ancestors": nonNil(anc), "successors": nonNil(next), "predecessors": nonNil(prev)})
			}
			w := e.stdout
			fmt.Fprintf(w, "%s  %s (%s, %s)\n", u.Code, u.FullName, u.Type, levelVI(string(u.Level)))
			if len(anc) > 0 {
				var names []string
				for _, a := range anc {
					names = append(names, a.FullName+" ("+a.Code+")")
				}
				fmt.Fprintf(w, "Thuộc:       %s\n", strings.Join(names, ", "))
			}
			if reg, ok := units.LookupRegion(u.Region); ok {
				fmt.Fprintf(w, "Vùng:        %s (%s)\n", reg.NameVI, reg.Code)
			}
			fmt.Fprintf(w, "Hiệu lực:    %s → %s\n", showDate(u.ValidFrom), showDate(u.ValidTo))
			for _, l := range prev {
				fmt.Fprintf(w, "Hình thành từ: %s %s (%s, %s)\n", l.Unit.Code, l.Unit.FullName, lineageVI(string(l.Kind)), showDate(l.Effective))
			}
			for _, l := range next {
				fmt.Fprintf(w, "Chuyển thành:  %s %s (%s, %s)\n", l.Unit.Code, l.Unit.FullName, lineageVI(string(l.Kind)), showDate(l.Effective))
			}
			return nil
		},
	}
}

func printSuccessors(e *env, old units.Unit, links []store.Link, day units.Date) error {
	if e.json {
		return e.printJSON(map[string]any{"unit": old, "as_of": day, "successors": nonNil(links)})
	}
	fmt.Fprintf(e.stdout, "%s  %s không còn tồn tại vào ngày %s (hiệu lực đến %s).\n", old.Code, old.FullName, showDate(day), showDate(old.ValidTo))
	for _, l := range links {
		fmt.Fprintf(e.stdout, "Chuyển thành:  %s %s (%s, %s)\n", l.Unit.Code, l.Unit.FullName, lineageVI(string(l.Kind)), showDate(l.Effective))
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func showDate(d units.Date) string {
	switch d {
	case units.Beginning, units.Forever:
		return "…"
	}
	return numfmt.Date(string(d), "vi")
}

// dateFlag parses a date flag; empty means today.
func dateFlag(name, v string) (units.Date, error) {
	if v == "" {
		return units.Today(), nil
	}
	d, err := units.ReadDate(v)
	if err != nil {
		return "", usageError{"--" + name + ": " + err.Error()}
	}
	return d, nil
}

// readUnitFiles parses a units CSV (whose parents may already be in the database) and an
// optional lineage CSV.
func readUnitFiles(unitsPath, lineagePath string) ([]units.Unit, []units.Lineage, error) {
	f, err := os.Open(unitsPath)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	us, err := units.ParseCSVOptions{AllowExternalParents: true}.Parse(filepath.Base(unitsPath), f)
	if err != nil {
		return nil, nil, err
	}
	var ls []units.Lineage
	if lineagePath != "" {
		lf, err := os.Open(lineagePath)
		if err != nil {
			return nil, nil, err
		}
		defer lf.Close()
		if ls, err = units.ParseLineageCSV(filepath.Base(lineagePath), lf); err != nil {
			return nil, nil, err
		}
	}
	return us, ls, nil
}
