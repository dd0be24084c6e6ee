package main

import (
	"context"
	"fmt"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
)

func init() {
	register(func() *command {
		var unit, set string
		lang := "vi"
		var approvedOnly, includeUnapproved bool
		return &command{
			name: "progress",
			asOf: true,
			flags: []flagDef{{"unit", &unit}, {"set", &set}, {"include-unapproved", &includeUnapproved},
				{"approved-only", &approvedOnly}, {"lang", &lang}},
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
