package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
)

// The aggregate registers on the command line (issue 13.8): models entered as counts for a
// unit, a kind and a year (`ntm models count`), and a unit's own figures (`ntm unit-indicators
// set|list`).

func init() {
	register(modelsCountCmd, unitIndicatorSetCmd, unitIndicatorListCmd)
}

// modelsCountCmd is `ntm models count`.
func modelsCountCmd() *command {
	var t resources.ModelTally
	return &command{
		name:      "models count",
		flagsOnly: true,
		actor:     true,
		flags: []flagDef{{"unit", &t.UnitCode}, {"kind", &t.Kind}, {"year", &t.Year}, {"new", &t.New},
			{"cumulative", &t.Cumulative}, {"of", &t.Of}, {"note", &t.Note}},
		run: func(ctx context.Context, e *env, args []string) error {
			if err := resources.MustShipped().CheckTally(t); err != nil {
				return err
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			x, err := db.SaveModelTally(ctx, e.actor, 0, t)
			if err != nil {
				return err
			}
			k, _ := resources.MustShipped().ModelKind(x.Kind)
			return e.answer(x, "Đã ghi %s, năm %d, %s: mới %d, lũy kế %d.\n", x.UnitName, x.Year, k.Name, x.New, x.Cumulative)
		},
	}
}

// unitIndicatorSetCmd is `ntm unit-indicators set`.
func unitIndicatorSetCmd() *command {
	var x resources.UnitIndicator
	var value string
	return &command{
		name:      "unit-indicators set",
		flagsOnly: true,
		actor:     true,
		flags: []flagDef{{"unit", &x.UnitCode}, {"year", &x.Year}, {"code", &x.Code}, {"name", &x.Name},
			{"measure", &x.Measure}, {"value", &value}, {"note", &x.Note}},
		run: func(ctx context.Context, e *env, args []string) error {
			v, err := parseDecimal(value)
			if err != nil {
				return usageError{fmt.Sprintf("--value %q không phải là số (is not a number)", value)}
			}
			x.Value = v
			if err := resources.CheckUnitIndicator(x); err != nil {
				return err
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			saved, err := db.SaveUnitIndicator(ctx, e.actor, 0, x)
			if err != nil {
				return err
			}
			return e.answer(saved, "Đã ghi %s, năm %d: %s.\n", saved.UnitName, saved.Year, saved.Text("vi"))
		},
	}
}

// unitIndicatorListCmd is `ntm unit-indicators list`.
func unitIndicatorListCmd() *command {
	var f resFlags
	var below bool
	return &command{
		name:      "unit-indicators list",
		flagsOnly: true,
		asOf:      true,
		flags:     f.flags(flagDef{"year", &f.year}, flagDef{"below", &below}),
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			list, err := db.ListUnitIndicators(ctx, store.UnitIndicatorFilter{AsOfScope: f.scope(e), Year: f.year,
				OnlyUnit: f.unit != "" && !below})
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(map[string]any{"indicators": nonNil(list)})
			}
			tw := e.table("ĐƠN VỊ\tNĂM\tMÃ\tCHỈ TIÊU")
			for _, x := range list {
				fmt.Fprintf(tw, "%s %s\t%d\t%s\t%s\n", x.UnitCode, x.UnitName, x.Year, x.Code, x.Text("vi"))
			}
			return tw.Flush()
		}),
	}
}

// parseDecimal reads a number written either way: "72,5" or "72.5".
func parseDecimal(s string) (float64, error) {
	return strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
}
