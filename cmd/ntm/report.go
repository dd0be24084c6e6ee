package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/units"
)

// reportFlags are the flags both report commands take.
type reportFlags struct {
	unit, set, period, asOf, format, lang, out, table string
	approvedOnly, includeUnapproved                   bool
}

func (f *reportFlags) setup(fs *flag.FlagSet) {
	unitFlag(fs, &f.unit)
	setFlag(fs, &f.set)
	fs.StringVar(&f.period, "period", "", "kỳ báo cáo: 2026, 2026-H1, 2026-Q2, 2026-04, 2026-M8 hoặc như văn phòng viết (\"Quý II/2026\", \"6 tháng đầu năm 2026\", \"8 tháng đầu năm 2026\", \"tháng 4/2026\"); mặc định năm của --as-of; số liệu tính đến cuối kỳ (the period; default: the year of --as-of; figures as of its end)")
	fs.StringVar(&f.asOf, "as-of", "", "một ngày trong kỳ (dd/mm/yyyy hoặc YYYY-MM-DD), cho báo cáo viết trước khi hết kỳ (a day within the period, for a report written before it ends)")
	fs.StringVar(&f.format, "format", "", "md, html, pdf, xlsx hoặc docx; mặc định theo đuôi tệp --out, không có thì md (default: from --out's extension, else md)")
	fs.StringVar(&f.lang, "lang", "vi", "ngôn ngữ: vi hoặc en (language)")
	fs.StringVar(&f.out, "out", "", "tệp sẽ ghi; không có thì md và html in ra màn hình (file to write; md and html go to standard output without it)")
	fs.BoolVar(&f.includeUnapproved, "include-unapproved", false, "tính mọi phiếu, kể cả phiếu nháp, và ghi rõ ở tiêu đề; mặc định chỉ phiếu đã phê duyệt (count every assessment, drafts included; the title says so)")
	fs.BoolVar(&f.approvedOnly, "approved-only", false, "chỉ tính phiếu đã phê duyệt; đây là mặc định, giữ cho các kịch bản cũ (count approved assessments only; the default, kept for scripts)")
}

func init() {
	register(func() *command {
		var bf reportFlags
		return &command{
			name:      "report bulletin",
			summary:   "viết báo cáo kết quả của một đơn vị cho một kỳ: md, html, pdf hoặc xlsx (write the bulletin of a unit for a period)",
			setup:     func(fs *flag.FlagSet, e *env) { bf.setup(fs) },
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				src, req, format, err := bf.prepare(ctx, e)
				if err != nil {
					return err
				}
				b, err := report.Build(ctx, src, req)
				if err != nil {
					return reportError(err)
				}
				if format == "json" {
					return e.printJSON(b)
				}
				d, err := b.Document()
				if err != nil {
					return err
				}
				return bf.write(e, d, format)
			},
		}
	})

	register(func() *command {
		var tf reportFlags
		return &command{
			name:    "report table",
			summary: "xuất một bảng — tiến độ theo đơn vị, bảng tiêu chí, các chỉ tiêu của một đơn vị — dạng md, html, pdf hoặc xlsx (write a table: progress, the criteria grid, a unit's indicators)",
			setup: func(fs *flag.FlagSet, e *env) {
				tf.setup(fs)
				fs.StringVar(&tf.table, "table", report.TableProgress, "bảng: progress là tiến độ theo đơn vị, criteria là đơn vị × tiêu chí, indicators là chỉ tiêu của --unit (which table: progress, criteria or indicators)")
			},
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				src, req, format, err := tf.prepare(ctx, e)
				if err != nil {
					return err
				}
				if format == "json" {
					return usageError{"bảng được xuất dạng md, html, pdf hoặc xlsx (tables are written as md, html, pdf or xlsx)"}
				}
				if !slices.Contains(report.TableKinds, tf.table) {
					return usageError{"--table: " + report.UnknownTable(tf.table).Error()}
				}
				d, err := report.BuildTable(ctx, src, req, tf.table)
				if err != nil {
					return reportError(err)
				}
				return tf.write(e, d, format)
			},
		}
	})
}

// prepare checks the flags, opens the database and returns what to build.
func (f *reportFlags) prepare(ctx context.Context, e *env) (report.Source, report.Request, string, error) {
	format := f.format
	if format == "" && f.out != "" {
		format = strings.TrimPrefix(filepath.Ext(f.out), ".")
	}
	if e.json {
		format = "json"
	} else {
		var err error
		if format, err = report.CheckFormat(format); err != nil {
			return report.Source{}, report.Request{}, "", usageError{"--format: " + err.Error()}
		}
	}
	if (format == report.FormatPDF || format == report.FormatXLSX || format == report.FormatDOCX) && f.out == "" {
		return report.Source{}, report.Request{}, "", usageError{fmt.Sprintf("cần --out TỆP cho định dạng %s, một tệp nhị phân (--out FILE is needed for a binary format)", format)}
	}
	if _, err := report.CheckLang(f.lang); err != nil {
		return report.Source{}, report.Request{}, "", usageError{"--lang: " + err.Error()}
	}
	basis, err := basisFlags(f.approvedOnly, f.includeUnapproved)
	if err != nil {
		return report.Source{}, report.Request{}, "", err
	}
	var day units.Date
	if f.asOf != "" {
		d, err := dateFlag("as-of", f.asOf)
		if err != nil {
			return report.Source{}, report.Request{}, "", err
		}
		day = d
	}
	db, cat, err := e.rules(ctx)
	if err != nil {
		return report.Source{}, report.Request{}, "", err
	}
	req := report.Request{Unit: f.unit, SetID: f.set, Period: f.period, AsOf: day, Lang: f.lang, IncludeUnapproved: !basis.ApprovedOnly()}
	return report.Source{DB: db, Catalog: cat}, req, format, nil
}

// reportError turns the mistakes of the command line (period, day, unit: a fault on its
// field) into usage errors; the rest keep their exit status (4 for a unit or set not found).
func reportError(err error) error {
	return flagError(err)
}

// flagError turns a fault on a field the user must fix into a usage error naming its flag.
func flagError(err error) error {
	if f, ok := fault.As(err); ok && f.Code == fault.InvalidValue && f.Field != "" {
		return usageError{"--" + strings.ReplaceAll(f.Field, "_", "-") + ": " + f.Message(i18n.VI)}
	}
	return err
}

// write renders d in format to --out, or to standard output.
func (f *reportFlags) write(e *env, d *report.Document, format string) error {
	b, err := d.Render(format)
	if err != nil {
		return err
	}
	if f.out == "" {
		_, err := e.stdout.Write(b)
		return err
	}
	if err := os.WriteFile(f.out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "ntm: đã ghi %s (%s, %d byte) / wrote %s\n", f.out, format, len(b), f.out)
	return nil
}
