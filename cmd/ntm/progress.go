package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

func init() {
	register(func() *command {
		var unit, set, lang string
		var approvedOnly, includeUnapproved bool
		return &command{
			name:    "progress",
			summary: "tiến độ của các đơn vị cấp dưới theo một bộ tiêu chí, tính đến một ngày (progress of the units below a unit against a criteria set, as of a date)",
			asOf:    "ngày, dd/mm/yyyy hoặc YYYY-MM-DD; mặc định hôm nay: phiếu mới nhất của mỗi đơn vị kết thúc trước ngày này (day, default today: each unit's latest assessment ending by then)",
			setup: func(fs *flag.FlagSet, e *env) {
				unitFlag(fs, &unit)
				setFlag(fs, &set)
				fs.BoolVar(&includeUnapproved, "include-unapproved", false, "tính mọi phiếu, kể cả phiếu nháp; mặc định chỉ phiếu đã phê duyệt, là số liệu chính thức (count every assessment, drafts included; default: approved only, the official figures)")
				fs.BoolVar(&approvedOnly, "approved-only", false, "chỉ tính phiếu đã phê duyệt; đây là mặc định, giữ cho các kịch bản cũ (count approved assessments only; the default, kept for scripts)")
				textLangFlag(fs, &lang)
			},
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				basis, err := basisFlags(approvedOnly, includeUnapproved)
				if err != nil {
					return err
				}
				day := e.day
				db, cat, err := e.rules(ctx)
				if err != nil {
					return err
				}
				s, err := app.PickSet(ctx, cat, set, day)
				if err != nil {
					return err
				}
				if _, err := e.storeFor(ctx, unit); err != nil {
					return err
				}
				rep, err := app.ComputeProgress(ctx, db, s, unit, day, basis.ApprovedOnly())
				if err != nil {
					return err
				}
				regs, err := app.Registers(ctx, db, unit, day)
				if err != nil {
					return err
				}
				if e.json {
					return e.printJSON(struct {
						app.Progress
						app.RegisterFigures
					}{rep, regs})
				}
				fmt.Fprintf(e.stdout, "%s — %s, %s (%s)\n", rep.Name, rep.SetTitle, numfmt.Date(string(day), lang), rep.Basis.Label(lang))
				fmt.Fprint(e.stdout, rep.Text(lang))
				if rep.GroupUnassigned > 0 {
					fmt.Fprintln(e.stdout, i18n.T(lang, "progress.group_unassigned", rep.GroupUnassigned))
				}
				fmt.Fprint(e.stdout, regs.Text(lang))
				return nil
			},
		}
	})
}

// basisFlags reads --include-unapproved against --approved-only (the default, kept for the
// scripts that name it): the figures count approved assessments unless told otherwise.
func basisFlags(approvedOnly, includeUnapproved bool) (app.Basis, error) {
	if approvedOnly && includeUnapproved {
		return "", usageError{"--approved-only và --include-unapproved loại trừ nhau (--approved-only and --include-unapproved exclude each other)"}
	}
	return app.BasisOf(includeUnapproved), nil
}
