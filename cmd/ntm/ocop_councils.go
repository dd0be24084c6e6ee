package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/units"
)

// OCOP councils from the command line (issue 16): list them, set one up, replace its
// members. Changes are audited as made by "system".

func init() {
	register(ocopCouncilsCmd, ocopCouncilsAddCmd, ocopCouncilsMembersCmd)
}

// ocopCouncilsCmd is `ntm ocop councils`.
func ocopCouncilsCmd() *command {
	var asOf string
	return &command{
		name:      "ocop councils",
		usage:     "[--as-of DATE]",
		flags:     []flagDef{{"as-of", &asOf}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			var day units.Date
			if asOf != "" {
				d, err := units.ReadDate(asOf)
				if err != nil {
					return usageError{"--as-of: " + err.Error()}
				}
				day = d
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			list, err := db.OCOPCouncils(ctx, day)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(list)
			}
			tw := e.table("MÃ\tHỘI ĐỒNG\tĐƠN VỊ\tTỪ NGÀY\tĐẾN NGÀY\tTHÀNH VIÊN")
			for _, c := range list {
				names := make([]string, len(c.Members))
				for i, m := range c.Members {
					names[i] = m.Username
				}
				to := string(c.To)
				if to == "" {
					to = "—"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.UnitCode, c.From, to, strings.Join(names, ", "))
			}
			tw.Flush()
			fmt.Fprintf(e.stdout, "%d hội đồng\n", len(list))
			return nil
		},
	}
}

// ocopCouncilsAddCmd is `ntm ocop councils add`.
func ocopCouncilsAddCmd() *command {
	var unit, name, decision, from, to, members string
	return &command{
		name:  "ocop councils add",
		usage: "--unit CODE --name NAME --from DATE [--to DATE] [--decision D] --members U1,U2,…",
		flags: []flagDef{{"unit", &unit}, {"name", &name}, {"decision", &decision}, {"from", &from},
			{"to", &to}, {"members", &members}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			c := ocop.Council{UnitCode: unit, Name: name, Decision: decision}
			for _, f := range []struct {
				flag, v string
				to      *units.Date
			}{{"from", from, &c.From}, {"to", to, &c.To}} {
				if f.v == "" {
					continue
				}
				d, err := units.ReadDate(f.v)
				if err != nil {
					return usageError{"--" + f.flag + ": " + err.Error()}
				}
				*f.to = d
			}
			for _, m := range splitNames(members) {
				c.Members = append(c.Members, ocop.CouncilMember{Username: m})
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			c, err = db.CreateOCOPCouncil(ctx, "system", c)
			if err != nil {
				return err
			}
			return e.answer(c, "Đã lập hội đồng %d: %s (%s), %d thành viên.\n", c.ID, c.Name, c.UnitCode, len(c.Members))
		},
	}
}

// ocopCouncilsMembersCmd is `ntm ocop councils members`.
func ocopCouncilsMembersCmd() *command {
	var setMembers string
	return &command{
		name:   "ocop councils members",
		usage:  "ID --members U1,U2,…",
		flags:  []flagDef{{"members", &setMembers}},
		oneArg: &usageError{"cho mã hội đồng (give the council's id)"},
		run: func(ctx context.Context, e *env, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{"mã hội đồng là một số (the council's id is a number)"}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			c, err := db.SetOCOPCouncilMembers(ctx, "system", id, splitNames(setMembers))
			if err != nil {
				return err
			}
			return e.answer(c, "Hội đồng %d (%s) có %d thành viên.\n", c.ID, c.Name, len(c.Members))
		},
	}
}

func splitNames(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
