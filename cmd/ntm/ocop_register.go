package main

import (
	"context"
	"flag"
	"strconv"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/ocop"
)

// The OCOP register's writes from the command line (issue 15.5): registering a producer and a
// product, issuing the certificate of a closed evaluation, revoking one. They call the use
// cases the API and the pages call, as the system (named in the audit log by --user).

func init() {
	register(ocopProducersAddCmd)
	register(ocopProductsAddCmd)
	register(ocopCertifyCmd)
	register(ocopRevokeCmd)
}

// idArg reads the one argument of a command that names a record by its id.
func idArg(args []string, what string) (int64, error) {
	if len(args) != 1 {
		return 0, usageError{"cho mã " + what + " (give the " + what + "'s id)"}
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{"mã " + what + " là một số (the id is a number)"}
	}
	return id, nil
}

// ocopProducersAddCmd is `ntm ocop producers add`.
func ocopProducersAddCmd() *command {
	var p ocop.Producer
	var kind string
	return &command{
		name:      "ocop producers add",
		summary:   "đăng ký một chủ thể OCOP tại một xã, phường (register an OCOP producer in a commune)",
		usage:     "--unit CODE --name NAME --kind KIND [--registration-no N] [--address A] [--as-of DATE]",
		flagsOnly: true,
		asOf:      "ngày đọc mã xã, dd/mm/yyyy; mặc định hôm nay (the day the commune code is read on)",
		actor:     audited("người đăng ký", "who registers it"),
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&p.UnitCode, "unit", "", "mã xã, phường nơi đặt trụ sở (the commune's code)")
			fs.StringVar(&p.Name, "name", "", "tên chủ thể (the producer's name)")
			fs.StringVar(&kind, "kind", "", "loại hình: doanh-nghiep, hop-tac-xa, to-hop-tac, ho-kinh-doanh (the kind of producer)")
			fs.StringVar(&p.RegistrationNo, "registration-no", "", "mã số doanh nghiệp, hợp tác xã, hộ kinh doanh (registration number)")
			fs.StringVar(&p.Address, "address", "", "địa chỉ (address)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			p.Kind = ocop.ProducerKind(kind)
			made, err := app.RegisterOCOPProducer(ctx, db, app.System(e.actor), p, e.day)
			if err != nil {
				return err
			}
			return e.answer(made, "Đã đăng ký chủ thể %d: %s (%s), %s.\n", made.ID, made.Name, made.Kind.Label().VI, unitLabel(made.UnitName, made.UnitCode))
		},
	}
}

// ocopProductsAddCmd is `ntm ocop products add`.
func ocopProductsAddCmd() *command {
	var p ocop.Product
	return &command{
		name:      "ocop products add",
		summary:   "đăng ký một sản phẩm OCOP của một chủ thể (register an OCOP product of a producer)",
		usage:     "--producer ID --name NAME --set CODE [--description D] [--unit CODE] [--as-of DATE]",
		flagsOnly: true,
		asOf:      "ngày đọc mã xã, dd/mm/yyyy; mặc định hôm nay (the day the commune code is read on)",
		actor:     audited("người đăng ký", "who registers it"),
		setup: func(fs *flag.FlagSet, e *env) {
			fs.Int64Var(&p.ProducerID, "producer", 0, "mã chủ thể (the producer's id)")
			fs.StringVar(&p.Name, "name", "", "tên sản phẩm (the product's name)")
			fs.StringVar(&p.ProductSet, "set", "", "bộ sản phẩm trong danh mục, ví dụ 1.3.b (the product set)")
			fs.StringVar(&p.Description, "description", "", "mô tả (description)")
			fs.StringVar(&p.UnitCode, "unit", "", "mã xã, phường nơi sản xuất; mặc định xã của chủ thể (the commune; default: the producer's)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			rules, err := ocop.Shipped()
			if err != nil {
				return err
			}
			made, err := app.RegisterOCOPProduct(ctx, db, app.System(e.actor), p, e.day, rules)
			if err != nil {
				return err
			}
			return e.answer(made, "Đã đăng ký sản phẩm %d: %s (%s), %s.\n", made.ID, made.Name, rules.Taxonomy.SetName(made.ProductSet, "vi"), unitLabel(made.UnitName, made.UnitCode))
		},
	}
}

// ocopCertifyCmd is `ntm ocop certify`.
func ocopCertifyCmd() *command {
	var c ocop.Certificate
	var date string
	return &command{
		name:    "ocop certify",
		summary: "cấp giấy chứng nhận OCOP theo kết quả một phiên đánh giá đã kết thúc (issue the OCOP certificate of a closed evaluation)",
		usage:   "EVALUATION-ID --decision NUMBER --date DATE [--issuer NAME]",
		actor:   recorded,
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&c.Decision, "decision", "", "số quyết định công nhận, ví dụ 1234/QĐ-UBND (the decision's number)")
			fs.StringVar(&date, "date", "", "ngày quyết định, dd/mm/yyyy (the decision's date)")
			fs.StringVar(&c.Issuer, "issuer", "", "cơ quan ban hành, ví dụ UBND tỉnh Gia Lai (issued by)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			id, err := idArg(args, "phiên đánh giá")
			if err != nil {
				return err
			}
			if date == "" {
				return usageError{"cần --date, ngày quyết định (--date is required)"}
			}
			if c.Date, err = dateFlag("date", date); err != nil {
				return err
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			rules, err := ocop.Shipped()
			if err != nil {
				return err
			}
			made, err := app.IssueOCOPCertificate(ctx, db, app.System(e.actor), id, c, rules)
			if err != nil {
				return err
			}
			return e.answer(made, "Đã cấp giấy chứng nhận %d: %d sao, quyết định %s ngày %s, hiệu lực đến %s.\n", made.ID, made.Stars, made.Decision,
				numfmt.Date(string(made.Date), "vi"), numfmt.Date(string(made.ValidTo), "vi"))
		},
	}
}

// ocopRevokeCmd is `ntm ocop revoke`.
func ocopRevokeCmd() *command {
	var date, reason string
	return &command{
		name:    "ocop revoke",
		summary: "thu hồi một giấy chứng nhận OCOP, có lý do (revoke an OCOP certificate, with a reason)",
		usage:   "CERTIFICATE-ID --reason TEXT [--date DATE]",
		actor:   recorded,
		setup: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&reason, "reason", "", "lý do thu hồi (the reason)")
			fs.StringVar(&date, "date", "", "thu hồi từ ngày, dd/mm/yyyy; mặc định hôm nay (revoked from; default today)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			id, err := idArg(args, "giấy chứng nhận")
			if err != nil {
				return err
			}
			day, err := dateFlag("date", date)
			if err != nil {
				return err
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			c, err := app.RevokeOCOPCertificate(ctx, db, app.System(e.actor), id, day, reason)
			if err != nil {
				return err
			}
			return e.answer(c, "Đã thu hồi giấy chứng nhận %d (quyết định %s) từ ngày %s.\n", c.ID, c.Decision, numfmt.Date(string(c.RevokedOn), "vi"))
		},
	}
}
