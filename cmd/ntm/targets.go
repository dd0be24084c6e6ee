package main

import (
	"context"
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
			name:      "targets",
			flags:     []flagDef{{"unit", &unit}, {"year", &year}},
			asOf:      true,
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
		var tUnit, tMetric, tSet, tNote string
		tDir := "at_least"
		var tYear int
		var tValue, tBase float64
		return &command{
			name: "targets set",
			flags: []flagDef{{"unit", &tUnit}, {"year", &tYear}, {"metric", &tMetric}, {"set", &tSet},
				{"value", &tValue}, {"direction", &tDir}, {"baseline", &tBase}, {"note", &tNote}},
			actor: true,
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
