package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/units"
)

// OCOP councils from the command line (issue 16): list them, set one up, replace its
// members. Changes are audited as made by "system".

func init() {
	register(ocopCouncilsCmd())
	register(ocopCouncilsAddCmd())
	register(ocopCouncilsMembersCmd())
}

// ocopCouncilsCmd is `ntm ocop councils`.
func ocopCouncilsCmd() *command {
	var asOf string
	return &command{
		name:    "ocop councils",
		summary: "list the OCOP councils (those sitting on --as-of when given) with their members",
		usage:   "[--as-of DATE]",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&asOf, "as-of", "", "only councils sitting on this date (YYYY-MM-DD)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"ocop councils takes flags only"}
			}
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
			tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "MÃ\tHỘI ĐỒNG\tĐƠN VỊ\tTỪ NGÀY\tĐẾN NGÀY\tTHÀNH VIÊN")
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
		name:    "ocop councils add",
		summary: "set up an OCOP council of a unit for a period, with its members (users of the ocop-council role)",
		usage:   "--unit CODE --name NAME --from DATE [--to DATE] [--decision D] --members U1,U2,…",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&unit, "unit", "", "the council's unit code")
			fs.StringVar(&name, "name", "", "the council's name, e.g. \"Hội đồng OCOP tỉnh Gia Lai\"")
			fs.StringVar(&decision, "decision", "", "the decision that set it up")
			fs.StringVar(&from, "from", "", "first day it sits (YYYY-MM-DD)")
			fs.StringVar(&to, "to", "", "last day it sits (YYYY-MM-DD; default: no end)")
			fs.StringVar(&members, "members", "", "user names of its members, separated by commas")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"ocop councils add takes flags only"}
			}
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
			if e.json {
				return e.printJSON(c)
			}
			fmt.Fprintf(e.stdout, "Đã lập hội đồng %d: %s (%s), %d thành viên.\n", c.ID, c.Name, c.UnitCode, len(c.Members))
			return nil
		},
	}
}

// ocopCouncilsMembersCmd is `ntm ocop councils members`.
func ocopCouncilsMembersCmd() *command {
	var setMembers string
	return &command{
		name:    "ocop councils members",
		summary: "replace the members of an OCOP council",
		usage:   "ID --members U1,U2,…",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&setMembers, "members", "", "user names of its members, separated by commas")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 {
				return usageError{"give the council's id"}
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{"the council's id is a number"}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			c, err := db.SetOCOPCouncilMembers(ctx, "system", id, splitNames(setMembers))
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(c)
			}
			fmt.Fprintf(e.stdout, "Hội đồng %d (%s) có %d thành viên.\n", c.ID, c.Name, len(c.Members))
			return nil
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
