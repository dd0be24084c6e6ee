package main

import (
	"context"
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

// flags lists these flags (--lang "vi" by default) followed by more of the command's own.
func (f *reportFlags) flags(more ...flagDef) []flagDef {
	f.lang = "vi"
	return append([]flagDef{{"unit", &f.unit}, {"set", &f.set}, {"period", &f.period}, {"as-of", &f.asOf}, {"format", &f.format},
		{"lang", &f.lang}, {"out", &f.out}, {"include-unapproved", &f.includeUnapproved}, {"approved-only", &f.approvedOnly}}, more...)
}

func init() {
	register(func() *command {
		var bf reportFlags
		return &command{
			name:      "report bulletin",
			flags:     bf.flags(),
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
		tf := reportFlags{table: report.TableProgress}
		return &command{
			name:      "report table",
			flags:     tf.flags(flagDef{"table", &tf.table}),
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
