package main

import (
	"context"
	"flag"
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
	register(ocopProductsCmd)
	register(ocopExpiringCmd)
	register(ocopFiguresCmd)
	register(ocopImportCmd)
}

// ocopProductsCmd is `ntm ocop products`.
func ocopProductsCmd() *command {
	var unit, status, group, q string
	var stars int
	return &command{
		name:    "ocop products",
		summary: "liệt kê sản phẩm OCOP với số sao và tình trạng giấy chứng nhận vào một ngày (list OCOP products with their stars and certificate status on a date)",
		usage:   "[--unit CODE] [--stars N] [--status S] [--group G] [--q TEXT] [--as-of DATE]",
		asOf:    asOfToday,
		setup: func(fs *flag.FlagSet, e *env) {
			unitFlag(fs, &unit)
			fs.IntVar(&stars, "stars", 0, "chỉ sản phẩm có giấy chứng nhận mới nhất đạt số sao này: 3, 4, 5 (only products with this many stars)")
			fs.StringVar(&status, "status", "", "chỉ sản phẩm có giấy chứng nhận ở tình trạng: valid (còn hiệu lực), expiring (sắp hết hạn), expired (hết hạn), revoked (thu hồi), replaced (thay thế), none (chưa có) (only products whose certificate is in this status)")
			fs.StringVar(&group, "group", "", "chỉ sản phẩm của nhóm này, 1 đến 6 (only products of this group)")
			fs.StringVar(&q, "q", "", "chữ có trong tên sản phẩm hoặc tên chủ thể (text in the product's or the producer's name)")
		},
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
		name:    "ocop expiring",
		summary: "giấy chứng nhận OCOP hết hạn trong 30 ngày tới: các chủ thể cần nhắc (OCOP certificates that end within 30 days: the holders to warn)",
		usage:   "[--unit CODE] [--as-of DATE]",
		asOf:    asOfToday,
		setup: func(fs *flag.FlagSet, e *env) {
			unitFlag(fs, &xUnit)
		},
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
	var fUnit, fFrom, fLang string
	return &command{
		name:    "ocop figures",
		summary: "số liệu OCOP của một đơn vị: sản phẩm theo số sao, được công nhận trong kỳ, sắp hết hạn (OCOP figures of a unit: by stars, certified in the period, expiring soon)",
		usage:   "--unit CODE --as-of DATE [--from DATE] [--lang vi|en]",
		asOf:    asOfToday,
		setup: func(fs *flag.FlagSet, e *env) {
			unitFlag(fs, &fUnit)
			fs.StringVar(&fFrom, "from", "", "ngày đầu kỳ, dd/mm/yyyy; mặc định 01/01 của năm --as-of (start of the period; default: 1 January of --as-of's year)")
			textLangFlag(fs, &fLang)
		},
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
		name:    "ocop import",
		summary: "nhập danh sách sản phẩm OCOP sẵn có (XLSX, mỗi dòng một sản phẩm với số sao và quyết định), nhận cả hoặc không nhận gì (import an existing OCOP product list, all or nothing)",
		usage:   "[--as-of DATE] [--user NAME] FILE.xlsx",
		asOf:    "ngày dùng để đọc mã xã, dd/mm/yyyy; mặc định hôm nay (the day the commune codes are read on; default today)",
		actor:   imported,
		oneArg:  &usageError{"cho một tệp XLSX (takes one XLSX file)"},
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
