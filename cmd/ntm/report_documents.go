package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
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
		return "", "", report.UnknownUnit(code, units.Today())
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
	if len(p.Bands) > 0 {
		fmt.Fprintf(e.stdout, "Nhóm theo số tiêu chí đạt (bands):\n")
		for _, line := range strings.Split(p.BandLines(), "\n") {
			fmt.Fprintf(e.stdout, "  %s\n", line)
		}
	}
	fmt.Fprintf(e.stdout, "(%s)\n", saved)
	return nil
}

func init() {
	register(reportProfileCmd, reportProfileSetCmd, reportDraftCmd, reportIssueCmd, reportIssuedCmd)
}

// officeProfile opens the database and reads the profile of unit's office.
func officeProfile(ctx context.Context, e *env, unit string) (*store.DB, report.Profile, error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, report.Profile{}, err
	}
	name, level, err := officeUnit(ctx, db, unit)
	if err != nil {
		return nil, report.Profile{}, err
	}
	p, err := report.ProfileOf(ctx, db, unit, name, level)
	return db, p, err
}

// reportProfileCmd is `ntm report profile`.
func reportProfileCmd() *command {
	var unit string
	return &command{
		name:      "report profile",
		flags:     []flagDef{{"unit", &unit}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			_, p, err := officeProfile(ctx, e, unit)
			if err != nil {
				return err
			}
			return printProfile(e, p)
		},
	}
}

// reportProfileSetCmd is `ntm report profile set`.
func reportProfileSetCmd() *command {
	var pf struct {
		unit, parent, body, place, pattern, authority, title, name string
		recipients                                                 listFlag
		bands                                                      listFlag
		clear                                                      bool
	}
	return &command{
		name:  "report profile set",
		actor: true,
		flags: []flagDef{{"unit", &pf.unit}, {"parent", &pf.parent}, {"body", &pf.body}, {"place", &pf.place}, {"number-pattern", &pf.pattern},
			{"authority", &pf.authority}, {"signer-title", &pf.title}, {"signer-name", &pf.name}, {"recipient", &pf.recipients}, {"bands", &pf.bands}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			db, p, err := officeProfile(ctx, e, pf.unit)
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
			if len(pf.bands) > 0 {
				bands, err := report.ParseBandLines(strings.Join(pf.bands, "\n"))
				if err != nil {
					return profileError(err)
				}
				if p.Bands == nil {
					p.Bands = map[string]string{}
				}
				maps.Copy(p.Bands, bands)
			}
			out, err := report.SaveProfile(ctx, db, e.actor, pf.unit, p, p.Version)
			if err != nil {
				return profileError(err)
			}
			return printProfile(e, out)
		},
	}
}

// reportDraftCmd is `ntm report draft`.
func reportDraftCmd() *command {
	var df struct {
		draftFlags
		set   string
		texts listFlag
	}
	return &command{
		name:  "report draft",
		actor: true,
		flags: df.flags(flagDef{"set", &df.set}),
		setup: func(fs *flag.FlagSet, e *env) {
			fs.Var(&df.texts, "text", i18n.Both(cliKey("report draft")+".flag.text", strings.Join(report.OwnSlots(), ", ")))
		},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			db, d, err := df.open(ctx, e, df.set)
			if err != nil {
				return err
			}
			if len(df.texts) > 0 {
				paras := map[string]string{}
				json.Unmarshal(d.Paragraphs, &paras)
				for _, t := range df.texts {
					slot, file, ok := strings.Cut(t, "=")
					if !ok {
						return usageError{"--text: MỤC=TỆP, ví dụ general=danh-gia.txt (SLOT=FILE)"}
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
				if d, err = report.SetParagraphs(ctx, db, e.actor, d, d.Version, paras); err != nil {
					return profileError(err)
				}
			}
			return printDraft(e, d)
		},
	}
}

// reportIssueCmd is `ntm report issue`.
func reportIssueCmd() *command {
	var isf struct {
		draftFlags
		date   string
		number int
	}
	return &command{
		name:      "report issue",
		actor:     true,
		flags:     isf.flags(flagDef{"number", &isf.number}, flagDef{"date", &isf.date}),
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			if isf.number <= 0 {
				return usageError{"--number: cần số văn bản theo sổ của văn phòng (the document number is needed)"}
			}
			day, err := dateFlag("date", isf.date)
			if err != nil {
				return err
			}
			db, d, err := isf.open(ctx, e, "")
			if err != nil {
				return err
			}
			cat, err := app.Open(ctx, db)
			if err != nil {
				return err
			}
			if d, err = report.IssueDraft(ctx, report.Source{DB: db, Catalog: cat}, e.actor, d, d.Version, isf.number, day); err != nil {
				return profileError(err)
			}
			return printDraft(e, d)
		},
	}
}

// reportIssuedCmd is `ntm report issued`.
func reportIssuedCmd() *command {
	var lf struct {
		unit, format, out string
		id                int64
	}
	return &command{
		name:      "report issued",
		flags:     []flagDef{{"unit", &lf.unit}, {"id", &lf.id}, {"format", &lf.format}, {"out", &lf.out}},
		flagsOnly: true,
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
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
				return usageError{"cần --out TỆP để ghi báo cáo (--out FILE is needed to write a report)"}
			}
			format := lf.format
			if format == "" {
				format = strings.TrimPrefix(strings.ToLower(lf.out[strings.LastIndex(lf.out, ".")+1:]), ".")
			}
			format, err := report.CheckFormat(format)
			if err != nil {
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
		}),
	}
}

// draftFlags name a unit's report for a period in a language: the flags report draft and
// report issue share.
type draftFlags struct{ unit, period, lang string }

// flags lists these flags (--lang "vi" by default) followed by more of the command's own.
func (f *draftFlags) flags(more ...flagDef) []flagDef {
	f.lang = "vi"
	return append([]flagDef{{"unit", &f.unit}, {"period", &f.period}, {"lang", &f.lang}}, more...)
}

// open opens the report the flags name, creating the draft (on set, "" the one in force, by
// e.actor) when there is none.
func (f *draftFlags) open(ctx context.Context, e *env, set string) (*store.DB, store.ReportDraft, error) {
	unit, period, lang := f.unit, f.period, f.lang
	if strings.TrimSpace(period) == "" {
		return nil, store.ReportDraft{}, usageError{"cần --period: 2026-Q2, 2026-H1, 2026 hoặc 2026-04 (--period is needed)"}
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
			return nil, store.ReportDraft{}, report.UnknownUnit(unit, per.End)
		} else if err != nil {
			return nil, store.ReportDraft{}, err
		}
	}
	d, _, err := db.OpenReportDraft(ctx, e.actor, unit, per.Text, l, set)
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
func profileError(err error) error { return flagError(err) }
