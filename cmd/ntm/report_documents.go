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
	register(reportProfileCmd)
	register(reportProfileSetCmd)
	register(reportDraftCmd)
	register(reportIssueCmd)
	register(reportIssuedCmd)
}

// officeFlag declares --unit, the office whose profile a command reads or changes.
func officeFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "unit", "", "mã đơn vị của văn phòng; mặc định cả nước (unit code of the office; default: the country)")
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
		summary:   "xem thông tin văn phòng (tiêu đề và phần chữ ký của báo cáo) (show the office's profile: header and signature block)",
		setup:     func(fs *flag.FlagSet, e *env) { officeFlag(fs, &unit) },
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
		name:    "report profile set",
		summary: "sửa thông tin văn phòng: các trường được cho thay trường hiện có (change the office's profile: the fields given replace the current ones)",
		actor:   audited("người sửa", "who changes it"),
		setup: func(fs *flag.FlagSet, e *env) {
			officeFlag(fs, &pf.unit)
			fs.StringVar(&pf.parent, "parent", "", "cơ quan chủ quản ở tiêu đề, ví dụ \"UBND THÀNH PHỐ HÀ NỘI\" (parent body, as in the header)")
			fs.StringVar(&pf.body, "body", "", "cơ quan ban hành, ví dụ \"BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MTQG\" (issuing body)")
			fs.StringVar(&pf.place, "place", "", "địa danh ở dòng ngày tháng, ví dụ \"Hà Nội\" (place of the date line)")
			fs.StringVar(&pf.pattern, "number-pattern", "", "mẫu số văn bản có {n}, ví dụ \"{n}/BC-BCĐ\" (document number pattern)")
			fs.StringVar(&pf.authority, "authority", "", "thẩm quyền ký, ví dụ \"TM. BAN CHỈ ĐẠO\" (signing authority)")
			fs.StringVar(&pf.title, "signer-title", "", "chức vụ người ký, ví dụ \"TRƯỞNG BAN\" (the signer's title)")
			fs.StringVar(&pf.name, "signer-name", "", "họ và tên người ký (the signer's name)")
			pf.recipients = nil
			fs.Var(&pf.recipients, "recipient", "một nơi nhận, lặp lại cờ cho nhiều nơi; thay cả danh sách (a recipient, repeated; replaces the list)")
			pf.bands = nil
			fs.Var(&pf.bands, "bands", "nhóm theo số tiêu chí đạt của một bộ: BỘ=19/15-18/9-14/5-8/<5; BỘ= bỏ nhóm riêng; lặp lại cho nhiều bộ (an office's bands for a set, SET=SPEC; SET= drops them; repeated)")
		},
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
		name:    "report draft",
		summary: "mở dự thảo báo cáo của một đơn vị cho một kỳ và viết các đoạn của văn phòng (--text MỤC=TỆP) (open a unit's report for a period and write the office's paragraphs)",
		actor:   audited("người viết", "who writes it"),
		setup: func(fs *flag.FlagSet, e *env) {
			df.setup(fs)
			setFlag(fs, &df.set)
			df.texts = nil
			fs.Var(&df.texts, "text", "MỤC=TỆP: đoạn văn của văn phòng cho một mục ("+strings.Join(report.OwnSlots(), ", ")+"); TỆP là - thì đọc từ đầu vào chuẩn; tệp rỗng thì xóa mục (SLOT=FILE: the office's text of a slot; - reads standard input; an empty file clears it)")
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
		name:    "report issue",
		summary: "ban hành báo cáo của một đơn vị cho một kỳ: số và ngày; số liệu được chốt, mọi định dạng được lưu (issue a unit's report: number and date; figures frozen, every format kept)",
		actor:   audited("người ban hành", "who issues it"),
		setup: func(fs *flag.FlagSet, e *env) {
			isf.setup(fs)
			fs.IntVar(&isf.number, "number", 0, "số văn bản theo sổ của văn phòng (the document number from the office's register)")
			fs.StringVar(&isf.date, "date", "", "ngày ban hành, dd/mm/yyyy hoặc YYYY-MM-DD; mặc định hôm nay (date of issue; default: today)")
		},
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
		name:    "report issued",
		summary: "liệt kê báo cáo của một đơn vị (dự thảo và đã ban hành), hoặc ghi một báo cáo (--id) đúng như khi ban hành (list a unit's reports, or write one as it was issued)",
		setup: func(fs *flag.FlagSet, e *env) {
			unitFlag(fs, &lf.unit)
			fs.Int64Var(&lf.id, "id", 0, "mã báo cáo cần ghi (the report to write)")
			fs.StringVar(&lf.format, "format", "", "docx, pdf, html, md hoặc xlsx; mặc định theo đuôi tệp --out (default: from --out's extension)")
			fs.StringVar(&lf.out, "out", "", "tệp sẽ ghi (file to write)")
		},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
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
				return usageError{"cần --out TỆP để ghi báo cáo (--out FILE is needed to write a report)"}
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
	}
}

// draftFlags name a unit's report for a period in a language: the flags report draft and
// report issue share.
type draftFlags struct{ unit, period, lang string }

func (f *draftFlags) setup(fs *flag.FlagSet) {
	unitFlag(fs, &f.unit)
	fs.StringVar(&f.period, "period", "", "kỳ: 2026-Q2, 2026-H1, 2026, 2026-04 (period)")
	fs.StringVar(&f.lang, "lang", "vi", "vi hoặc en (language)")
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
