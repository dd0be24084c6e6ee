package main

import (
	"context"
	"flag"
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
	register(modelsCountCmd)
	register(unitIndicatorSetCmd)
	register(unitIndicatorListCmd)
}

// modelsCountCmd is `ntm models count`.
func modelsCountCmd() *command {
	var t resources.ModelTally
	return &command{
		name:      "models count",
		flagsOnly: true,
		actor:     entered,
		summary: "nhập số mô hình của một đơn vị theo loại và năm: số mới trong năm, lũy kế, tổng số thôn để tính tỷ lệ; thay số đã nhập của năm đó " +
			"(enter a unit's models of a kind and year as counts: new in the year, cumulative, the total a share counts against; replaces that year's count)",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&t.UnitCode, "unit", "", "mã đơn vị (unit code)")
			fs.StringVar(&t.Kind, "kind", "", "loại mô hình: khu-dan-cu-kieu-mau, vuon-mau, thon-ntm (kind of model)")
			fs.IntVar(&t.Year, "year", 0, "năm (year)")
			fs.IntVar(&t.New, "new", 0, "số mô hình mới được công nhận trong năm (recognised in the year)")
			fs.IntVar(&t.Cumulative, "cumulative", 0, "lũy kế đến cuối năm (cumulative at the year's end)")
			fs.IntVar(&t.Of, "of", 0, "tổng số thôn để tính tỷ lệ, như 24 trong 9/24 thôn; 0: số thôn trong danh mục đơn vị (the total a share counts against; 0: the villages in the unit list)")
			fs.StringVar(&t.Note, "note", "", "ghi chú (note)")
		},
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
		actor:     entered,
		summary: "nhập chỉ tiêu kinh tế - xã hội của chính một huyện, tỉnh (thu nhập bình quân, tỷ lệ hộ nghèo…) cho một năm; thay số đã nhập cùng mã và năm " +
			"(enter a unit's own figure for a year: income per person, poverty rate…; replaces the figure of that code and year)",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&x.UnitCode, "unit", "", "mã đơn vị (unit code)")
			fs.IntVar(&x.Year, "year", 0, "năm (year)")
			fs.StringVar(&x.Code, "code", "", "mã chỉ tiêu, như thu-nhap; chỉ tiêu kế hoạch gọi là own:thu-nhap (the figure's code; targets name it own:CODE)")
			fs.StringVar(&x.Name, "name", "", "tên chỉ tiêu, như 'Thu nhập bình quân đầu người' (the name outputs print)")
			fs.StringVar(&x.Measure, "measure", "", "đơn vị tính, như 'triệu đồng/người/năm' hoặc % (measure)")
			fs.StringVar(&value, "value", "", "giá trị, như 72,5 hoặc 72.5 (value)")
			fs.StringVar(&x.Note, "note", "", "ghi chú, nguồn số liệu (note, source)")
		},
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
		summary:   "liệt kê chỉ tiêu kinh tế - xã hội đã nhập của chính đơn vị (list a unit's own figures)",
		asOf:      resAsOf,
		setup: func(fs *flag.FlagSet, e *env) {
			f.setup(fs)
			fs.IntVar(&f.year, "year", 0, "chỉ năm này (only this year)")
			fs.BoolVar(&below, "below", false, "cả các đơn vị cấp dưới (also the units below)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
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
		},
	}
}

// parseDecimal reads a number written either way: "72,5" or "72.5".
func parseDecimal(s string) (float64, error) {
	return strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
}
