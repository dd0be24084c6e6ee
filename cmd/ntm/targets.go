package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/store"
)

func init() {
	register(func() *command {
		var unit string
		var year int
		return &command{
			name:    "targets",
			summary: "liệt kê chỉ tiêu kế hoạch với giá trị thực hiện và đánh giá đúng tiến độ hay không (list plan targets with their actual value and whether they are on track)",
			setup: func(fs *flag.FlagSet, e *env) {
				fs.StringVar(&unit, "unit", "", "chỉ chỉ tiêu của đơn vị này (only this unit's targets)")
				fs.IntVar(&year, "year", 0, "chỉ chỉ tiêu của năm này (only this year's targets)")
			},
			asOf:      asOfToday,
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				db, cat, err := e.rules(ctx)
				if err != nil {
					return err
				}
				ts, err := db.Targets(ctx, store.TargetFilter{UnitCode: unit, Year: year})
				if err != nil {
					return err
				}
				out, err := app.Targets(ctx, db, cat, ts, e.day, i18n.VI)
				if err != nil {
					return err
				}
				return printRows(e, out, "ĐƠN VỊ\tNĂM\tCHỈ SỐ\tBỘ\tMỤC TIÊU\tTHỰC HIỆN\tĐÁNH GIÁ", "", func(w io.Writer, t app.TargetStatus) {
					actual := "—"
					if t.Status.Actual != nil {
						actual = numfmt.Trim(*t.Status.Actual, 2, "vi")
					}
					fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", t.UnitCode, t.Year, t.Metric, t.SetID,
						numfmt.Trim(t.Value, 2, "vi"), actual, onTrackVI[t.Status.OnTrack])
				})
			},
		}
	})

	register(func() *command {
		var tUnit, tMetric, tSet, tDir, tNote string
		var tYear int
		var tValue, tBase float64
		return &command{
			name:    "targets set",
			summary: "đặt chỉ tiêu kế hoạch: đơn vị, năm, chỉ số và giá trị cần đạt (set a plan target: unit, year, metric and value to reach)",
			setup: func(fs *flag.FlagSet, e *env) {
				fs.StringVar(&tUnit, "unit", "", "mã đơn vị, bắt buộc (unit code, required)")
				fs.IntVar(&tYear, "year", 0, "năm, bắt buộc (year, required)")
				fs.StringVar(&tMetric, "metric", "", "chỉ số: units_met, units_recognized, criteria_met_avg, indicators_met_pct, share_met hoặc indicator:<mã> (the metric)")
				fs.StringVar(&tSet, "set", "", "mã bộ tiêu chí dùng để đo chỉ số (criteria set id the metric is measured on)")
				fs.Float64Var(&tValue, "value", 0, "giá trị cần đạt (value to reach)")
				fs.StringVar(&tDir, "direction", "at_least", "chiều: at_least là ít nhất, at_most là nhiều nhất (direction: at_least or at_most)")
				fs.Float64Var(&tBase, "baseline", 0, "giá trị đầu năm, nơi lộ trình dự kiến bắt đầu (value at the start of the year)")
				fs.StringVar(&tNote, "note", "", "ghi chú (a note)")
			},
			actor: audited("người đặt", "who sets it"),
			run: func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 || tUnit == "" || tYear == 0 || tMetric == "" {
					return usageError{"cần --unit, --year và --metric (--unit, --year and --metric are required)"}
				}
				if tDir != "at_least" && tDir != "at_most" {
					return usageError{"--direction là at_least hoặc at_most (--direction is at_least or at_most)"}
				}
				db, cat, err := e.rules(ctx)
				if err != nil {
					return err
				}
				if err := app.CheckMetric(ctx, cat, tMetric, tSet); err != nil {
					return err
				}
				t, err := db.PutTarget(ctx, e.actor, store.Target{UnitCode: tUnit, Year: tYear, Metric: tMetric, SetID: tSet,
					Value: tValue, Direction: tDir, Baseline: tBase, Note: tNote})
				if err != nil {
					return err
				}
				return e.answer(t, "Đã đặt chỉ tiêu %d: %s %d %s = %s\n", t.ID, t.UnitCode, t.Year, t.Metric, numfmt.Trim(t.Value, 2, "vi"))
			},
		}
	})
}

var onTrackVI = map[string]string{"met": "đã đạt", "on_track": "đúng tiến độ", "off_track": "chậm tiến độ", "no_data": "chưa có số liệu"}
