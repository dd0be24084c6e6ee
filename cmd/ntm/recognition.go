package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Recognition on the command line: the registry, the revocation watch, overdue dossiers,
// importing an office's existing registry, and one dossier.

func init() {
	register(recognitionListCmd, recognitionWatchCmd, recognitionOverdueCmd, recognitionImportCmd,
		dossierShowCmd)
}

// recognitionListCmd is `ntm recognition list`.
func recognitionListCmd() *command {
	var unit, tier string
	var inForce bool
	return &command{
		name:      "recognition list",
		usage:     "[--unit CODE] [--as-of DATE] [--tier T] [--in-force]",
		asOf:      true,
		flags:     []flagDef{{"unit", &unit}, {"tier", &tier}, {"in-force", &inForce}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			f := store.RegistryFilter{Root: unit, AsOf: e.day, InForce: inForce}
			if tier != "" {
				t, ok := recognition.ParseTier(tier)
				if !ok {
					return usageError{"--tier là ntm, nang-cao, kieu-mau hoặc hien-dai (the tier)"}
				}
				f.Tier = t
			}
			db, err := e.storeFor(ctx, unit)
			if err != nil {
				return err
			}
			rs, err := db.Recognitions(ctx, f)
			if err != nil {
				return err
			}
			footer := fmt.Sprintf("%s quyết định công nhận đến ngày %s", numfmt.Int(len(rs), "vi"), numfmt.Date(string(e.day), "vi"))
			return printRows(e, rs, "MÃ\tĐƠN VỊ\tMỨC\tQUYẾT ĐỊNH\tNGÀY\tNGƯỜI KÝ\tTHU HỒI", footer, func(w io.Writer, r store.Recognition) {
				revoked := ""
				if r.Revocation != nil {
					revoked = r.Revocation.Decision.Number + " " + numfmt.Date(string(r.Revocation.Decision.Date), "vi")
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.UnitCode, r.UnitName, recognition.TierName(r.Tier, "vi"), r.Decision.Number,
					numfmt.Date(string(r.Decision.Date), "vi"), r.Decision.Signer, revoked)
			})
		},
	}
}

// recognitionWatchCmd is `ntm recognition watch`.
func recognitionWatchCmd() *command {
	var wUnit string
	var wApproved bool
	return &command{
		name:      "recognition watch",
		usage:     "[--unit CODE] [--as-of DATE] [--approved-only]",
		asOf:      true,
		flags:     []flagDef{{"unit", &wUnit}, {"approved-only", &wApproved}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			day := e.day
			db, err := e.storeFor(ctx, wUnit)
			if err != nil {
				return err
			}
			cat, err := app.Open(ctx, db)
			if err != nil {
				return err
			}
			lib, err := recognition.Shipped()
			if err != nil {
				return err
			}
			w, err := app.RevocationWatch(ctx, db, cat, lib, wUnit, day, wApproved)
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(w)
			}
			fmt.Fprintf(e.stdout, "Theo dõi thu hồi đến ngày %s: %s đơn vị đang được công nhận, %s có nguy cơ bị thu hồi\n",
				numfmt.Date(string(day), "vi"), numfmt.Int(w.Checked, "vi"), numfmt.Int(len(w.AtRisk), "vi"))
			for _, a := range w.AtRisk {
				var crit []string
				for _, f := range a.Failing {
					s := strconv.Itoa(f.Number)
					if f.Key {
						s += "*"
					}
					crit = append(crit, s)
				}
				period := ""
				if a.Assessment != nil {
					period = a.Assessment.Period
				}
				fmt.Fprintf(e.stdout, "  %s %s (%s, QĐ %s): không đạt %d/%d tiêu chí (%s%%) kỳ %s: %s\n", a.Recognition.UnitCode, a.Recognition.UnitName,
					recognition.TierName(a.Recognition.Tier, "vi"), a.Recognition.Decision.Number, len(a.Verdict.Failed), a.Verdict.Total,
					numfmt.Decimal(a.Verdict.FailedPct, 1, "vi"), period, strings.Join(crit, ", "))
				if a.Verdict.Clause == recognition.ClauseChildrenRevoked {
					fmt.Fprintf(e.stdout, "    %d/%d xã bị thu hồi\n", a.Verdict.ChildrenRevoked, a.Verdict.Children)
				}
				if !a.Verdict.Verified {
					fmt.Fprintln(e.stdout, "    (quy tắc cho bộ tiêu chí này chưa đối chiếu văn bản)")
				}
			}
			if len(w.AtRisk) > 0 {
				fmt.Fprintln(e.stdout, "  * tiêu chí then chốt (thu nhập; môi trường và an toàn thực phẩm; quốc phòng và an ninh)")
			}
			if len(w.NotAssessed) > 0 {
				fmt.Fprintf(e.stdout, "%s đơn vị được công nhận chưa có kết quả đánh giá để so sánh\n", numfmt.Int(len(w.NotAssessed), "vi"))
			}
			return nil
		},
	}
}

// recognitionOverdueCmd is `ntm recognition overdue`.
func recognitionOverdueCmd() *command {
	var oUnit string
	return &command{
		name:      "recognition overdue",
		usage:     "[--unit CODE] [--as-of DATE]",
		asOf:      true,
		flags:     []flagDef{{"unit", &oUnit}},
		flagsOnly: true,
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			lib, err := recognition.Shipped()
			if err != nil {
				return err
			}
			ds, err := app.OverdueDossiers(ctx, db, lib, oUnit, e.day)
			if err != nil {
				return err
			}
			footer := fmt.Sprintf("%s hồ sơ quá hạn ngày %s", numfmt.Int(len(ds), "vi"), numfmt.Date(string(e.day), "vi"))
			return printRows(e, ds, "HỒ SƠ\tĐƠN VỊ\tBƯỚC\tVAI TRÒ\tBẮT ĐẦU\tHẠN\tQUÁ HẠN", footer, func(w io.Writer, d app.OverdueDossier) {
				note := ""
				if !d.Lateness.Verified {
					note = " (thời hạn chưa đối chiếu văn bản)"
				}
				fmt.Fprintf(w, "%d\t%s %s\t%s\t%s\t%s\t%s\t%d ngày%s\n", d.ID, d.UnitCode, d.UnitName, d.StepName, roleVI(string(d.Role)),
					numfmt.Date(string(d.StepStarted), "vi"), numfmt.Date(string(d.Lateness.Deadline), "vi"), d.Lateness.DaysLate, note)
			})
		}),
	}
}

// recognitionImportCmd is `ntm recognition import`.
func recognitionImportCmd() *command {
	var iDry bool
	return &command{
		name:   "recognition import",
		usage:  "FILE.xlsx [--dry-run] [--user NAME]",
		actor:  true,
		flags:  []flagDef{{"dry-run", &iDry}},
		oneArg: &usageError{"cho một tệp XLSX (takes one FILE.xlsx)"},
		run: func(ctx context.Context, e *env, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			rows, err := recognition.ReadRegistry(f)
			if err != nil {
				return fmt.Errorf("%s:\n%w", args[0], e.refusedFile(args[0], err))
			}
			today := units.Today()
			var probs []recognition.RowProblem
			in := make([]store.RegistryImport, 0, len(rows))
			for _, r := range rows {
				if r.Date > today {
					probs = append(probs, recognition.RowProblem{Row: r.Row, Message: fmt.Sprintf("ngày %s chưa tới (the date is in the future)", r.Date)})
				}
				in = append(in, store.RegistryImport{Row: r.Row, UnitCode: r.Unit, Tier: r.Tier, SetID: r.Set,
					Decision: recognition.Decision{Number: r.Decision, Date: r.Date, Signer: r.Signer}})
			}
			if len(probs) > 0 {
				return fmt.Errorf("%s:\n%w", args[0], e.refusedFile(args[0], recognition.ImportFault(probs)))
			}
			db, cat, err := e.rules(ctx)
			if err != nil {
				return err
			}
			st, err := db.ImportRecognitions(ctx, e.actor, in, func(u units.Unit, tier string, day units.Date) string {
				return app.SetInForce(ctx, cat, u.Level, tier, day)
			}, iDry)
			if err != nil {
				return fmt.Errorf("%s:\n%w", args[0], e.refusedFile(args[0], err))
			}
			if e.json {
				return e.printJSON(map[string]any{"rows": st.Rows, "inserted": st.Inserted, "unchanged": st.Unchanged, "dry_run": iDry})
			}
			verb := "đã nhập"
			if iDry {
				verb = "sẽ nhập (chạy thử, chưa lưu)"
			}
			fmt.Fprintf(e.stdout, "%s: %s dòng, %s %s quyết định mới, %s đã có\n", args[0], numfmt.Int(st.Rows, "vi"), verb,
				numfmt.Int(st.Inserted, "vi"), numfmt.Int(st.Unchanged, "vi"))
			return nil
		},
	}
}

// dossierShowCmd is `ntm dossier show`.
func dossierShowCmd() *command {
	return &command{
		name:   "dossier show",
		usage:  "ID",
		oneArg: &usageError{"cho một mã hồ sơ (takes one ID)"},
		run: func(ctx context.Context, e *env, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{fmt.Sprintf("%q không phải mã hồ sơ (not a dossier id)", args[0])}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			v, err := db.DossierView(ctx, id)
			if err != nil {
				return fmt.Errorf("hồ sơ %d (dossier %d): %w", id, id, err)
			}
			lib, err := recognition.Shipped()
			if err != nil {
				return err
			}
			wf, ok := lib.Workflow(v.WorkflowID)
			if !ok {
				return fmt.Errorf("dossier %d: workflow %s is not shipped", id, v.WorkflowID)
			}
			late := wf.Late(v.State(), units.Today())
			if e.json {
				return e.printJSON(map[string]any{"dossier": v, "lateness": late})
			}
			return printDossier(e, v, wf, late)
		},
	}
}

var statusVI = map[recognition.Status]string{
	recognition.Preparing: "đang lập hồ sơ", recognition.InReview: "đang xét", recognition.Returned: "trả lại để bổ sung",
	recognition.Rejected: "không công nhận", recognition.Recognized: "đã công nhận",
}

func printDossier(e *env, v store.DossierView, wf *recognition.Workflow, late recognition.Lateness) error {
	w := e.stdout
	fmt.Fprintf(w, "Hồ sơ %d: %s (%s), mức %s — %s\n", v.ID, v.UnitName, v.UnitCode, recognition.TierName(v.Tier, "vi"), statusVI[v.Status])
	fmt.Fprintf(w, "Quy trình: %s\n", wf.Title)
	fmt.Fprintf(w, "Mở ngày %s; bộ tiêu chí %s\n", numfmt.Date(string(v.Opened), "vi"), v.SetID)
	if step, _, ok := wf.Step(v.StepID); ok && !v.Status.Closed() {
		fmt.Fprintf(w, "Bước hiện tại: %s (%s), từ ngày %s", step.Name, roleVI(string(step.Role)), numfmt.Date(string(v.StepStarted), "vi"))
		if late.Deadline != "" {
			fmt.Fprintf(w, ", hạn %s", numfmt.Date(string(late.Deadline), "vi"))
			if late.Overdue {
				fmt.Fprintf(w, " — QUÁ HẠN %d ngày", late.DaysLate)
			}
			if !late.Verified {
				fmt.Fprint(w, " (thời hạn chưa đối chiếu văn bản)")
			}
		}
		fmt.Fprintln(w)
	}
	if v.Assessment != nil {
		verdict := "chưa đạt chuẩn"
		if v.Assessment.Met {
			verdict = "đạt chuẩn"
		}
		fmt.Fprintf(w, "Đánh giá kèm theo: %s kỳ %s, đạt %d/%d tiêu chí — %s\n", v.Assessment.SetID, v.Assessment.Period,
			len(v.Assessment.CriteriaMet), v.Assessment.CriteriaTotal, verdict)
	}
	if v.PostingTo != "" {
		fmt.Fprintf(w, "Công khai: %s – %s %s\n", numfmt.Date(string(v.PostingFrom), "vi"), numfmt.Date(string(v.PostingTo), "vi"), v.PostingWhere)
	}
	if v.Vote != nil {
		fmt.Fprintf(w, "Biểu quyết ngày %s: %d thành viên, %d đồng ý, %d không đồng ý, %d không biểu quyết\n", numfmt.Date(string(v.Vote.On), "vi"),
			v.Vote.Members, v.Vote.Yes, v.Vote.No, v.Vote.Abstain)
	}
	if v.Recognition != nil {
		fmt.Fprintf(w, "Quyết định công nhận: số %s ngày %s, %s\n", v.Recognition.Decision.Number, numfmt.Date(string(v.Recognition.Decision.Date), "vi"), v.Recognition.Decision.Signer)
	}
	files := map[string]int{}
	for _, d := range v.Documents {
		files[d.Item]++
	}
	fmt.Fprintln(w, "\nThành phần hồ sơ:")
	for _, s := range wf.Steps {
		for _, d := range s.Documents {
			mark := "✗"
			if files[d.ID] > 0 {
				mark = "✓"
			}
			req := ""
			if !d.Required {
				req = " (không bắt buộc)"
			}
			name := d.Name
			if d.Condition != "" {
				name = "Điều kiện: " + d.Condition + " — minh chứng: " + d.Name
				if !d.Verified {
					name += " (" + criteria.UnverifiedVI + ")"
				}
			}
			fmt.Fprintf(w, "  %s %s%s: %d tệp\n", mark, name, req, files[d.ID])
		}
	}
	fmt.Fprintln(w, "\nQuá trình:")
	for _, h := range v.History {
		step, _, _ := wf.Step(h.StepID)
		end := "đang thực hiện"
		if h.Ended != "" {
			outcome := outcomeVI[h.Outcome]
			if h.Outcome == string(recognition.Pass) && step.Kind == recognition.KindDecision {
				outcome = "công nhận"
			}
			end = fmt.Sprintf("%s → %s bởi %s", numfmt.Date(string(h.Ended), "vi"), outcome, h.Actor)
		}
		fmt.Fprintf(w, "  %s  %s: %s", numfmt.Date(string(h.Started), "vi"), step.Name, end)
		if h.Comment != "" {
			fmt.Fprintf(w, " — %q", h.Comment)
		}
		fmt.Fprintln(w)
	}
	if len(v.Comments) > 0 {
		fmt.Fprintln(w, "\nÝ kiến:")
		for _, c := range v.Comments {
			who := c.CreatedBy
			if c.Kind == store.CommentPublic {
				who = "ý kiến nhân dân: " + c.Author
			}
			fmt.Fprintf(w, "  %s  %s: %s\n", numfmt.Date(string(c.Day), "vi"), who, c.Body)
		}
	}
	return nil
}

var outcomeVI = map[string]string{"pass": "chuyển bước", "return": "trả lại", "reject": "không công nhận"}
