package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The report an office signs: its profile, the draft with its own paragraphs, issuing, and
// the archive of issued reports (the same steps as /reports and /api/v1/reports/drafts).

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// officeUnit is the unit's full name and level today ("" the country).
func officeUnit(ctx context.Context, db *store.DB, code string) (string, units.Level, error) {
	if code == "" {
		return report.CountryName(), "", nil
	}
	u, err := db.Unit(ctx, code, units.Today())
	if errors.Is(err, store.ErrNotFound) {
		return "", "", &report.UnitError{Code: code, Day: units.Today()}
	}
	return u.FullName, u.Level, err
}

func printProfile(e *env, p report.Profile) error {
	if e.json {
		return e.printJSON(p)
	}
	saved := i18n.Both("documents.cli.defaults")
	if p.Version > 0 {
		saved = i18n.Both("documents.cli.saved", p.Version)
	}
	fmt.Fprintf(e.stdout, "Cơ quan chủ quản:   %s\nCơ quan ban hành:   %s\nĐịa danh:           %s\nSố văn bản:         %s\nThẩm quyền ký:      %s\nChức vụ người ký:   %s\nNgười ký:           %s\nNơi nhận:\n",
		p.Parent, p.Body, p.Place, p.NumberPattern, p.Authority, p.SignerTitle, p.SignerName)
	for _, r := range p.Recipients {
		fmt.Fprintf(e.stdout, "  - %s\n", r)
	}
	fmt.Fprintf(e.stdout, "(%s)\n", saved)
	return nil
}

func init() {
	var unit string
	register(&command{
		name:    "report profile",
		summary: "show the office's profile (header and signature block of its reports)",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&unit, "unit", "", "unit code of the office (default: the country)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"report profile takes flags only"}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			name, level, err := officeUnit(ctx, db, unit)
			if err != nil {
				return err
			}
			p, err := report.ProfileOf(ctx, db, unit, name, level)
			if err != nil {
				return err
			}
			return printProfile(e, p)
		},
	})

	var pf struct {
		unit, user, parent, body, place, pattern, authority, title, name string
		recipients                                                       listFlag
		clear                                                            bool
	}
	register(&command{
		name:    "report profile set",
		summary: "change the office's profile: the fields given replace the current ones",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&pf.unit, "unit", "", "unit code of the office (default: the country)")
			fs.StringVar(&pf.user, "user", "system", "who changes it, for the audit log")
			fs.StringVar(&pf.parent, "parent", "", "cơ quan chủ quản as in the header: \"UBND THÀNH PHỐ HÀ NỘI\"")
			fs.StringVar(&pf.body, "body", "", "cơ quan ban hành: \"BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MTQG\"")
			fs.StringVar(&pf.place, "place", "", "địa danh of the date line: \"Hà Nội\"")
			fs.StringVar(&pf.pattern, "number-pattern", "", "document number with {n}: \"{n}/BC-BCĐ\"")
			fs.StringVar(&pf.authority, "authority", "", "thẩm quyền ký: \"TM. BAN CHỈ ĐẠO\"")
			fs.StringVar(&pf.title, "signer-title", "", "chức vụ: \"TRƯỞNG BAN\"")
			fs.StringVar(&pf.name, "signer-name", "", "họ và tên người ký")
			pf.recipients = nil
			fs.Var(&pf.recipients, "recipient", "a recipient (nơi nhận), repeated; replaces the list")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"report profile set takes flags only"}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			name, level, err := officeUnit(ctx, db, pf.unit)
			if err != nil {
				return err
			}
			p, err := report.ProfileOf(ctx, db, pf.unit, name, level)
			if err != nil {
				return err
			}
			for _, f := range []struct {
				v   string
				dst *string
			}{{pf.parent, &p.Parent}, {pf.body, &p.Body}, {pf.place, &p.Place}, {pf.pattern, &p.NumberPattern},
				{pf.authority, &p.Authority}, {pf.title, &p.SignerTitle}, {pf.name, &p.SignerName}} {
				if f.v != "" {
					*f.dst = f.v
				}
			}
			if len(pf.recipients) > 0 {
				p.Recipients = pf.recipients
			}
			out, err := report.SaveProfile(ctx, db, pf.user, pf.unit, p, p.Version)
			if err != nil {
				return profileError(err)
			}
			return printProfile(e, out)
		},
	})

	var df struct {
		unit, period, lang, set, user string
		texts                         listFlag
	}
	register(&command{
		name:    "report draft",
		summary: "open the report of a unit for a period and write the office's paragraphs (--text SLOT=FILE)",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&df.unit, "unit", "", "unit code (default: the country)")
			fs.StringVar(&df.period, "period", "", "period: 2026-Q2, 2026-H1, 2026, 2026-04")
			fs.StringVar(&df.lang, "lang", "vi", "vi or en")
			fs.StringVar(&df.set, "set", "", "criteria set id (default: the commune NTM set in force)")
			fs.StringVar(&df.user, "user", "system", "who writes it, for the audit log")
			df.texts = nil
			fs.Var(&df.texts, "text", "SLOT=FILE: the office's text of a slot ("+strings.Join(report.OwnSlots(), ", ")+"); FILE - reads standard input; an empty file clears the slot")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"report draft takes flags only"}
			}
			db, d, err := openDraft(ctx, e, df.unit, df.period, df.lang, df.set, df.user)
			if err != nil {
				return err
			}
			if len(df.texts) > 0 {
				paras := map[string]string{}
				json.Unmarshal(d.Paragraphs, &paras)
				for _, t := range df.texts {
					slot, file, ok := strings.Cut(t, "=")
					if !ok {
						return usageError{"--text: SLOT=FILE, e.g. general=danh-gia.txt"}
					}
					var b []byte
					if file == "-" {
						b, err = io.ReadAll(e.stdin)
					} else {
						b, err = os.ReadFile(file)
					}
					if err != nil {
						return err
					}
					paras[slot] = string(b)
				}
				if d, err = report.SetParagraphs(ctx, db, df.user, d, d.Version, paras); err != nil {
					return profileError(err)
				}
			}
			return printDraft(e, d)
		},
	})

	var isf struct {
		unit, period, lang, user, date string
		number                         int
	}
	register(&command{
		name:    "report issue",
		summary: "issue a unit's report for a period: its number and date; the figures are frozen and every format kept",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&isf.unit, "unit", "", "unit code (default: the country)")
			fs.StringVar(&isf.period, "period", "", "period: 2026-Q2, 2026-H1, 2026, 2026-04")
			fs.StringVar(&isf.lang, "lang", "vi", "vi or en")
			fs.IntVar(&isf.number, "number", 0, "the document number from the office's register")
			fs.StringVar(&isf.date, "date", "", "date of issue YYYY-MM-DD (default: today)")
			fs.StringVar(&isf.user, "user", "system", "who issues it, for the audit log")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"report issue takes flags only"}
			}
			if isf.number <= 0 {
				return usageError{"--number: the document number from the office's register is needed"}
			}
			day := units.Today()
			if isf.date != "" {
				d, err := dateFlag("date", isf.date)
				if err != nil {
					return err
				}
				day = d
			}
			db, d, err := openDraft(ctx, e, isf.unit, isf.period, isf.lang, "", isf.user)
			if err != nil {
				return err
			}
			cat, err := app.Open(ctx, db)
			if err != nil {
				return err
			}
			if d, err = report.IssueDraft(ctx, report.Source{DB: db, Catalog: cat}, isf.user, d, d.Version, isf.number, day); err != nil {
				return profileError(err)
			}
			return printDraft(e, d)
		},
	})

	var lf struct {
		unit, format, out string
		id                int64
	}
	register(&command{
		name:    "report issued",
		summary: "list a unit's reports (drafts and issued), or write one (--id) as it was issued",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&lf.unit, "unit", "", "unit code (default: the country)")
			fs.Int64Var(&lf.id, "id", 0, "the report to write")
			fs.StringVar(&lf.format, "format", "", "docx, pdf, html, md or xlsx (default: from --out's extension)")
			fs.StringVar(&lf.out, "out", "", "file to write")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"report issued takes flags only"}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			if lf.id == 0 {
				ds, err := db.ReportDrafts(ctx, []string{lf.unit})
				if err != nil {
					return err
				}
				if e.json {
					return e.printJSON(ds)
				}
				for _, d := range ds {
					state := i18n.Both("documents.cli.draft")
					if d.Status == store.DraftIssued {
						state = fmt.Sprintf("số %d, ngày %s", d.Number, numfmt.Date(string(d.IssuedOn), "vi"))
					}
					fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.UnitCode, d.Period, d.Lang, state)
				}
				return nil
			}
			if lf.out == "" {
				return usageError{"--out FILE is needed to write a report"}
			}
			format := lf.format
			if format == "" {
				format = strings.TrimPrefix(strings.ToLower(lf.out[strings.LastIndex(lf.out, ".")+1:]), ".")
			}
			if format, err = report.CheckFormat(format); err != nil {
				return usageError{"--format: " + err.Error()}
			}
			d, err := db.ReportDraftByID(ctx, lf.id)
			if err != nil {
				return err
			}
			if d.Status != store.DraftIssued {
				return usageError{fmt.Sprintf("--id: báo cáo %d chưa ban hành; xem bản dự thảo bằng ntm report bulletin (report %d is a draft)", d.ID, d.ID)}
			}
			b, _, err := db.ReportFile(ctx, d.ID, format)
			if err != nil {
				return err
			}
			if err := os.WriteFile(lf.out, b, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "ntm: đã ghi %s (%s, %d byte) / wrote %s\n", lf.out, report.DraftFileName(d, format), len(b), lf.out)
			return nil
		},
	})
}

// openDraft opens the report of a unit for a period (creating the draft when there is none).
func openDraft(ctx context.Context, e *env, unit, period, lang, set, user string) (*store.DB, store.ReportDraft, error) {
	if strings.TrimSpace(period) == "" {
		return nil, store.ReportDraft{}, usageError{"--period is needed: 2026-Q2, 2026-H1, 2026 or 2026-04"}
	}
	per, err := report.NewPeriod(period, "")
	if err != nil {
		return nil, store.ReportDraft{}, reportError(err)
	}
	l, err := report.CheckLang(lang)
	if err != nil {
		return nil, store.ReportDraft{}, usageError{"--lang: " + err.Error()}
	}
	db, err := e.store(ctx)
	if err != nil {
		return nil, store.ReportDraft{}, err
	}
	if unit != "" {
		if _, err := db.Unit(ctx, unit, per.End); errors.Is(err, store.ErrNotFound) {
			return nil, store.ReportDraft{}, &report.UnitError{Code: unit, Day: per.End}
		} else if err != nil {
			return nil, store.ReportDraft{}, err
		}
	}
	d, _, err := db.OpenReportDraft(ctx, user, unit, per.Text, l, set)
	return db, d, err
}

func printDraft(e *env, d store.ReportDraft) error {
	if e.json {
		return e.printJSON(d)
	}
	state := i18n.Both("documents.cli.draft_version", d.Version)
	if d.Status == store.DraftIssued {
		state = i18n.Both("documents.cli.issued", d.Number, numfmt.Date(string(d.IssuedOn), "vi")) + "; tệp: " + strings.Join(d.Formats, ", ")
	}
	var paras map[string]string
	json.Unmarshal(d.Paragraphs, &paras)
	fmt.Fprintf(e.stdout, "Báo cáo %d — %s, kỳ %s (%s): %s\n", d.ID, d.UnitCode, d.Period, d.Lang, state)
	for _, k := range report.OwnSlots() {
		if t := paras[k]; t != "" {
			fmt.Fprintf(e.stdout, "  %s: %d ký tự\n", report.SlotTitle("vi", k), len([]rune(t)))
		}
	}
	return nil
}

// profileError turns a field the user must fix into a usage error naming it.
func profileError(err error) error {
	var pe *report.ProfileError
	if errors.As(err, &pe) {
		return usageError{"--" + strings.ReplaceAll(pe.Field, "_", "-") + ": " + pe.Msg}
	}
	return err
}
