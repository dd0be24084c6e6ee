package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The OCOP commands: the registry, the import of an existing product list, the certificates
// about to expire and the figures of a unit.

func init() {
	register(ocopProductsCmd, ocopExpiringCmd, ocopFiguresCmd, ocopImportCmd)
}

// ocopProductsCmd is `ntm ocop products`.
func ocopProductsCmd() *command {
	var unit, status, group, q string
	var stars int
	return &command{
		name:      "ocop products",
		usage:     "[--unit CODE] [--stars N] [--status S] [--group G] [--q TEXT] [--as-of DATE]",
		asOf:      true,
		flags:     []flagDef{{"unit", &unit}, {"stars", &stars}, {"status", &status}, {"group", &group}, {"q", &q}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			if stars < 0 || stars > 5 {
				return usageError{"--stars từ 1 đến 5 (--stars is 1 to 5)"}
			}
			if status != "" && ocop.CertStatus(status) != ocop.NotCertified && ocop.CertStatus(status).Label().EN == "not certified" {
				return usageError{"--status là valid, expiring, expired, revoked, replaced hoặc none (the certificate's status)"}
			}
			rules, products, err := ocopRegistry(ctx, e, unit)
			if err != nil {
				return err
			}
			list := rules.List(products, e.day, ocop.Filter{Stars: stars, Status: ocop.CertStatus(status), Group: group, Text: q})
			footer := fmt.Sprintf("%s sản phẩm, ngày %s", numfmt.Int(len(list), "vi"), numfmt.Date(string(e.day), "vi"))
			return printRows(e, list, "MÃ\tSẢN PHẨM\tCHỦ THỂ\tXÃ\tBỘ SẢN PHẨM\tSAO\tGIẤY CHỨNG NHẬN\tHIỆU LỰC ĐẾN", footer, func(w io.Writer, p ocop.Listed) {
				st := p.Standing
				starsText, validTo := "—", "—"
				if st.Certificate != nil {
					starsText = strings.Repeat("★", st.LastStars)
					validTo = numfmt.Date(string(st.Certificate.ValidTo), "vi")
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Name, p.Producer, unitLabel(p.UnitName, p.UnitCode), p.ProductSet,
					starsText, st.Status.Label().VI, validTo)
			})
		},
	}
}

// ocopExpiringCmd is `ntm ocop expiring`.
func ocopExpiringCmd() *command {
	var xUnit string
	return &command{
		name:      "ocop expiring",
		usage:     "[--unit CODE] [--as-of DATE]",
		asOf:      true,
		flags:     []flagDef{{"unit", &xUnit}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			rules, products, err := ocopRegistry(ctx, e, xUnit)
			if err != nil {
				return err
			}
			list := rules.Expiring(products, e.day)
			if len(list) == 0 && !e.json {
				fmt.Fprintf(e.stdout, "Không có giấy chứng nhận nào hết hạn trong %d ngày tới (tính từ %s).\n", rules.Validity.NoticeDays, numfmt.Date(string(e.day), "vi"))
				return nil
			}
			return printRows(e, list, "MÃ\tSẢN PHẨM\tCHỦ THỂ\tXÃ\tSAO\tQUYẾT ĐỊNH\tHẾT HẠN\tCÒN (NGÀY)", "", func(w io.Writer, p ocop.Listed) {
				c := p.Standing.Certificate
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", p.ID, p.Name, p.Producer, unitLabel(p.UnitName, p.UnitCode),
					strings.Repeat("★", c.Stars), c.Decision, numfmt.Date(string(c.ValidTo), "vi"), *c.DaysLeft)
			})
		},
	}
}

// ocopFiguresCmd is `ntm ocop figures`.
func ocopFiguresCmd() *command {
	var fUnit, fFrom string
	fLang := "vi"
	return &command{
		name:      "ocop figures",
		usage:     "--unit CODE --as-of DATE [--from DATE] [--lang vi|en]",
		asOf:      true,
		flags:     []flagDef{{"unit", &fUnit}, {"from", &fFrom}, {"lang", &fLang}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			day := e.day
			var from units.Date
			var err error
			if fFrom != "" {
				if from, err = dateFlag("from", fFrom); err != nil {
					return err
				}
				if from > day {
					return usageError{"--from sau --as-of (--from is after --as-of)"}
				}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			f, err := app.OCOP(ctx, db, fUnit, day, from)
			if err != nil {
				return fmt.Errorf("đơn vị %s ngày %s (unit %s on %s): %w", fUnit, day, fUnit, day, err)
			}
			name := f.UnitName
			if name == "" {
				name = i18n.T(fLang, "country")
			}
			return e.answer(f, "%s — OCOP, %s\n%s\n", name, numfmt.Date(string(day), fLang), app.OCOPText(f, fLang))
		},
	}
}

// ocopImportCmd is `ntm ocop import`.
func ocopImportCmd() *command {
	return &command{
		name:   "ocop import",
		usage:  "[--as-of DATE] [--user NAME] FILE.xlsx",
		asOf:   true,
		actor:  true,
		oneArg: &usageError{"cho một tệp XLSX (takes one XLSX file)"},
		run: func(ctx context.Context, e *env, args []string) error {
			rules, err := ocop.Shipped()
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			name := filepath.Base(args[0])
			rows, err := rules.ReadImport(name, f, units.Today())
			if err != nil {
				return e.refusedFile(name, err)
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			st, err := db.ImportOCOP(ctx, e.actor, name, rows, e.day, rules)
			if err != nil {
				return e.refusedFile(name, err)
			}
			return e.answer(st, "Đã nhập %s: %d dòng; %d chủ thể mới, %d sản phẩm mới, %d giấy chứng nhận mới; %d dòng đã có.\n",
				name, st.Rows, st.Producers, st.Products, st.Certificates, st.Unchanged)
		},
	}
}

// ocopRegistry loads the rules and the products at or below unit ("" the country) on e.day.
func ocopRegistry(ctx context.Context, e *env, unit string) (*ocop.Rules, []ocop.Product, error) {
	rules, err := ocop.Shipped()
	if err != nil {
		return nil, nil, err
	}
	db, err := e.storeFor(ctx, unit)
	if err != nil {
		return nil, nil, err
	}
	products, err := db.OCOPProducts(ctx, store.OCOPQuery{Root: unit, Day: e.day})
	return rules, products, err
}

func unitLabel(name, code string) string {
	if name == "" {
		return code
	}
	return name
}
