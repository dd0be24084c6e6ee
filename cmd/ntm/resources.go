package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
)

// The resources register on the command line: lists with their roll-up (funding, works,
// models, tasks), the overdue tasks, and the import of offices' existing lists.

// resFlags are the flags the register's lists share, with --as-of.
type resFlags struct {
	unit string
	year int
}

// flags lists --unit followed by more of the command's own.
func (f *resFlags) flags(more ...flagDef) []flagDef {
	return append([]flagDef{{"unit", &f.unit}}, more...)
}

// scope is the units the list covers: f.unit and those below it, on the day of --as-of.
func (f *resFlags) scope(e *env) store.AsOfScope { return store.AsOfScope{Root: f.unit, AsOf: e.day} }

func init() {
	register(fundingListCmd, worksListCmd, modelsListCmd, tasksListCmd, tasksOverdueCmd)

	for _, kind := range []string{"funding", "works", "models"} {
		register(func() *command { return resourceImportCmd(kind) })
	}
}

// fundingListCmd is `ntm funding list`.
func fundingListCmd() *command {
	var fund resFlags
	return &command{
		name:      "funding list",
		asOf:      true,
		flags:     fund.flags(flagDef{"year", &fund.year}),
		flagsOnly: true,
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			f := store.FundingFilter{AsOfScope: fund.scope(e)}
			if fund.year != 0 {
				f.Years = []int{fund.year}
			}
			list, err := db.ListFunding(ctx, f)
			if err != nil {
				return err
			}
			var sum *app.FundingReport
			if fund.year != 0 {
				r, err := app.FundingSummary(ctx, db, fund.unit, fund.year, e.day)
				if err != nil {
					return err
				}
				sum = &r
			}
			if e.json {
				return e.printJSON(map[string]any{"funding": nonNil(list), "summary": sum})
			}
			cat := resources.MustShipped()
			tw := e.table("ĐƠN VỊ\tNĂM\tTỔNG CÁC NGUỒN\tTỔNG BÁO CÁO\tKIỂM TRA\tCÁC NGUỒN")
			for _, x := range list {
				reported, check := "—", "khớp"
				if x.ReportedTotal != nil {
					reported = x.ReportedTotal.Format("vi")
				} else {
					check = "—"
				}
				if x.Check.Flagged {
					check = "✗ chênh lệch " + x.Check.Difference.Format("vi")
				}
				var parts []string
				for _, code := range cat.SourceCodes() {
					if v, ok := x.Parts[code]; ok {
						parts = append(parts, cat.SourceName(code, "vi")+" "+v.Format("vi"))
					}
				}
				fmt.Fprintf(tw, "%s %s\t%d\t%s\t%s\t%s\t%s\n", x.UnitCode, x.UnitName, x.Year, x.Total.Format("vi"), reported, check, strings.Join(parts, "; "))
			}
			tw.Flush()
			if sum != nil {
				fmt.Fprintln(e.stdout, "\n"+sum.Text("vi"))
			}
			return nil
		}),
	}
}

// worksListCmd is `ntm works list`.
func worksListCmd() *command {
	var works resFlags
	var kind, status string
	return &command{
		name:      "works list",
		asOf:      true,
		flags:     works.flags(flagDef{"year", &works.year}, flagDef{"kind", &kind}, flagDef{"status", &status}),
		flagsOnly: true,
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			list, err := db.ListWorks(ctx, store.WorkFilter{AsOfScope: works.scope(e), Year: works.year, Kind: kind, Status: status})
			if err != nil {
				return err
			}
			sum, err := app.WorksSummary(ctx, db, works.unit, works.year, e.day)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(map[string]any{"works": nonNil(list), "summary": sum})
			}
			tw := e.table("ĐƠN VỊ\tNĂM\tCÔNG TRÌNH\tKHỐI LƯỢNG\tTÌNH TRẠNG\tKẾ HOẠCH VỐN\tĐÃ GIẢI NGÂN\tTỶ LỆ")
			for _, w := range list {
				rate := "—"
				if w.Rate != nil {
					rate = numfmt.Percent(*w.Rate, 1, "vi")
				}
				status := workStatusVI[w.Status]
				if w.DoneOn != "" {
					status += " (" + showDate(w.DoneOn) + ")"
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s %s\t%s\t%s\t%s\t%s\n", w.UnitCode, w.Year, w.Name, w.Quantity.Format("vi"), w.Measure,
					status, w.Planned.Format("vi"), w.Disbursed.Format("vi"), rate)
			}
			tw.Flush()
			fmt.Fprintln(e.stdout, "\n"+sum.Text("vi"))
			return nil
		}),
	}
}

// modelsListCmd is `ntm models list`.
func modelsListCmd() *command {
	var models resFlags
	var from, to int
	var mkind string
	return &command{
		name:      "models list",
		asOf:      true,
		flags:     models.flags(flagDef{"from", &from}, flagDef{"to", &to}, flagDef{"kind", &mkind}),
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			if to == 0 {
				fmt.Sscan(string(e.day)[:4], &to)
			}
			if from == 0 {
				from = to
			}
			if from > to {
				return usageError{"--from sau --to (--from is after --to)"}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			list, err := db.ListModels(ctx, store.ModelFilter{AsOfScope: models.scope(e), Kind: mkind, ToYear: to})
			if err != nil {
				return err
			}
			tallies, err := db.ListModelTallies(ctx, store.TallyFilter{AsOfScope: models.scope(e), Kind: mkind, ToYear: to})
			if err != nil {
				return err
			}
			sum, err := app.ModelsSummary(ctx, db, models.unit, from, to, e.day)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(map[string]any{"models": nonNil(list), "tallies": nonNil(tallies), "summary": sum})
			}
			cat := resources.MustShipped()
			tw := e.table("LOẠI\tĐƠN VỊ\tTHÔN\tTÊN\tNĂM CÔNG NHẬN\tQUYẾT ĐỊNH\tTHU HỒI")
			for _, m := range list {
				k, _ := cat.ModelKind(m.Kind)
				revoked := ""
				if m.RevokedYear != 0 {
					revoked = fmt.Sprint(m.RevokedYear)
				}
				fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%d\t%s\t%s\n", k.Name, m.UnitCode, m.UnitName, m.Village, m.Name, m.Year, m.Decision, revoked)
			}
			tw.Flush()
			if len(tallies) > 0 {
				fmt.Fprintln(e.stdout, "\nSố liệu tổng hợp (models entered as counts):")
				tw = e.table("LOẠI\tĐƠN VỊ\tNĂM\tMỚI\tLŨY KẾ\tTỔNG SỐ THÔN")
				for _, t := range tallies {
					k, _ := cat.ModelKind(t.Kind)
					of := "—"
					if t.Of > 0 {
						of = fmt.Sprint(t.Of)
					}
					fmt.Fprintf(tw, "%s\t%s %s\t%d\t%d\t%d\t%s\n", k.Name, t.UnitCode, t.UnitName, t.Year, t.New, t.Cumulative, of)
				}
				tw.Flush()
			}
			fmt.Fprintln(e.stdout, "\n"+sum.Text("vi"))
			return nil
		},
	}
}

// tasksListCmd is `ntm tasks list`.
func tasksListCmd() *command {
	var tasks resFlags
	var tstatus string
	return &command{
		name:      "tasks list",
		asOf:      true,
		flags:     tasks.flags(flagDef{"status", &tstatus}),
		flagsOnly: true,
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			list, err := db.ListTasks(ctx, store.TaskFilter{AsOfScope: tasks.scope(e), Status: tstatus})
			if err != nil {
				return err
			}
			return printRows(e, list, "SỐ\tBAN CHỈ ĐẠO\tNHIỆM VỤ\tCHỦ TRÌ\tHẠN\tTÌNH TRẠNG", "", func(w io.Writer, t resources.TaskEntry) {
				st := taskStatusVI[t.Status]
				if t.Overdue {
					st += fmt.Sprintf(" — ✗ quá hạn %d ngày", t.DaysOverdue)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UnitName, t.Title, t.OwnerName, numfmt.Date(string(t.Due), "vi"), st)
			})
		}),
	}
}

// tasksOverdueCmd is `ntm tasks overdue`.
func tasksOverdueCmd() *command {
	var overdue resFlags
	return &command{
		name:      "tasks overdue",
		asOf:      true,
		flags:     overdue.flags(),
		flagsOnly: true,
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			r, err := app.OverdueTasks(ctx, db, overdue.unit, e.day)
			if err != nil {
				return err
			}
			return e.answer(r, "%s\n", r.Text("vi"))
		}),
	}
}

var workStatusVI = map[string]string{resources.WorkPlanned: "kế hoạch", resources.WorkUnderConstruction: "đang thi công", resources.WorkDone: "hoàn thành"}

var taskStatusVI = map[string]string{resources.TaskOpen: "chưa thực hiện", resources.TaskInProgress: "đang thực hiện", resources.TaskDone: "hoàn thành"}

// importResourceList reads and stores a list; every problem is printed, one per line, and
// nothing is stored unless the whole file is good.
func importResourceList(ctx context.Context, e *env, kind, path string) error {
	user := e.actor
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	cat := resources.MustShipped()
	tab, err := resources.ReadTable(name, data)
	if err != nil {
		return e.refusedFile(name, err)
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	var n store.ListImport
	switch kind {
	case "funding":
		rows, err := cat.ReadFunding(tab)
		if err != nil {
			return e.refusedFile(name, err)
		}
		n, err = db.ImportFunding(ctx, user, name, rows)
		if err != nil {
			return e.refusedFile(name, err)
		}
	case "works":
		rows, err := cat.ReadWorks(tab)
		if err != nil {
			return e.refusedFile(name, err)
		}
		rules, err := app.Open(ctx, db)
		if err != nil {
			return err
		}
		var probs []resources.Problem
		for _, r := range rows {
			err := app.CheckLinkedCriterion(ctx, rules, r.CriterionSet, r.Criterion)
			if fe, ok := resources.FieldOf(err); ok {
				probs = append(probs, resources.Problem{Line: r.Line, Field: fe.Field, VI: fe.Words.VI, EN: fe.Words.EN})
			} else if err != nil {
				return err
			}
		}
		if len(probs) > 0 {
			return e.refusedFile(name, resources.ImportFault(name, probs))
		}
		if n, err = db.ImportWorks(ctx, user, name, rows); err != nil {
			return e.refusedFile(name, err)
		}
	case "models":
		rows, err := cat.ReadModels(tab)
		if err != nil {
			return e.refusedFile(name, err)
		}
		if n, err = db.ImportModels(ctx, user, name, rows); err != nil {
			return e.refusedFile(name, err)
		}
	}
	return e.answer(n, "Đã nhập %s: %d dòng, thêm mới %d, cập nhật %d.\n", name, n.Rows, n.Inserted, n.Updated)
}

// resourceImportCmd is `ntm funding import`, `ntm works import` or `ntm models import`.
func resourceImportCmd(kind string) *command {
	return &command{
		name:   kind + " import",
		usage:  "FILE.xlsx|FILE.csv",
		actor:  true,
		oneArg: &usageError{"cho một tệp (takes one file)"},
		run: func(ctx context.Context, e *env, args []string) error {
			return importResourceList(ctx, e, kind, args[0])
		},
	}
}
