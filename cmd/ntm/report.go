package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/units"
)

// reportFlags are the flags both report commands take.
type reportFlags struct {
	unit, set, period, asOf, format, lang, out, table string
	approvedOnly, includeUnapproved                   bool
}

func (f *reportFlags) setup(fs *flag.FlagSet) {
	fs.StringVar(&f.unit, "unit", "", "unit code (default: the whole country)")
	fs.StringVar(&f.set, "set", "", "criteria set id (default: the commune NTM set in force)")
	fs.StringVar(&f.period, "period", "", "period: 2026, 2026-H1, 2026-Q2, 2026-04, 2026-M8 or as offices write it (\"Quý II/2026\", \"6 tháng đầu năm 2026\", \"8 tháng đầu năm 2026\", \"tháng 4/2026\"); default: the year of --as-of; figures as of its end")
	fs.StringVar(&f.asOf, "as-of", "", "a day (dd/mm/yyyy or YYYY-MM-DD) within the period, for a report written before the period ends")
	fs.StringVar(&f.format, "format", "", "md, html, pdf, xlsx or docx (default: from --out's extension, else md)")
	fs.StringVar(&f.lang, "lang", "vi", "language: vi or en")
	fs.StringVar(&f.out, "out", "", "file to write (md and html go to standard output without it)")
	fs.BoolVar(&f.includeUnapproved, "include-unapproved", false, "count every assessment, drafts included (default: approved ones only, the official figures); the title says so")
	fs.BoolVar(&f.approvedOnly, "approved-only", false, "count approved assessments only (the default; kept for scripts)")
}

func init() {
	var bf reportFlags
	register(&command{
		name:    "report bulletin",
		summary: "write the bulletin (báo cáo kết quả) of a unit for a period: md, html, pdf or xlsx",
		setup:   func(fs *flag.FlagSet, e *env) { bf.setup(fs) },
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"report bulletin takes flags only"}
			}
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
	})

	var tf reportFlags
	register(&command{
		name:    "report table",
		summary: "write a table — progress by unit, the criteria grid, a unit's indicators — as md, html, pdf or xlsx",
		setup: func(fs *flag.FlagSet, e *env) {
			tf.setup(fs)
			fs.StringVar(&tf.table, "table", report.TableProgress, "progress (by unit), criteria (units × criteria) or indicators (of --unit)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"report table takes flags only"}
			}
			src, req, format, err := tf.prepare(ctx, e)
			if err != nil {
				return err
			}
			if format == "json" {
				return usageError{"tables are written as md, html, pdf or xlsx"}
			}
			d, err := report.BuildTable(ctx, src, req, tf.table)
			if err != nil {
				return reportError(err)
			}
			return tf.write(e, d, format)
		},
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
		return report.Source{}, report.Request{}, "", usageError{fmt.Sprintf("--out FILE is needed for %s (a binary file)", format)}
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
	db, err := e.store(ctx)
	if err != nil {
		return report.Source{}, report.Request{}, "", err
	}
	cat, err := app.Open(ctx, db)
	if err != nil {
		return report.Source{}, report.Request{}, "", err
	}
	req := report.Request{Unit: f.unit, SetID: f.set, Period: f.period, AsOf: day, Lang: f.lang, IncludeUnapproved: !basis.ApprovedOnly()}
	return report.Source{DB: db, Catalog: cat}, req, format, nil
}

// reportError turns the mistakes of the command line (period, day, language, table kind)
// into usage errors; the rest keep their exit status (4 for a unit or set not found).
func reportError(err error) error {
	var pe *report.PeriodError
	var ke *report.KindError
	switch {
	case errors.As(err, &pe):
		return usageError{"--" + strings.ReplaceAll(pe.Field, "_", "-") + ": " + pe.Msg}
	case errors.As(err, &ke):
		return usageError{"--table: " + ke.Error()}
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
