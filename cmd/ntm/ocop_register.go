package main

import (
	"context"
	"strconv"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
)

// The OCOP register's writes from the command line (issue 15.5): registering a producer and a
// product, issuing the certificate of a closed evaluation, revoking one. They call the use
// cases the API and the pages call, as the system (named in the audit log by --user).

func init() {
	register(ocopProducersAddCmd, ocopProductsAddCmd, ocopCertifyCmd, ocopRevokeCmd)
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
		usage:     "--unit CODE --name NAME --kind KIND [--registration-no N] [--address A] [--as-of DATE]",
		flagsOnly: true,
		asOf:      true,
		actor:     true,
		flags: []flagDef{{"unit", &p.UnitCode}, {"name", &p.Name}, {"kind", &kind},
			{"registration-no", &p.RegistrationNo}, {"address", &p.Address}},
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			p.Kind = ocop.ProducerKind(kind)
			made, err := app.RegisterOCOPProducer(ctx, db, app.System(e.actor), p, e.day)
			if err != nil {
				return err
			}
			return e.answer(made, "Đã đăng ký chủ thể %d: %s (%s), %s.\n", made.ID, made.Name, made.Kind.Label().VI, unitLabel(made.UnitName, made.UnitCode))
		}),
	}
}

// ocopProductsAddCmd is `ntm ocop products add`.
func ocopProductsAddCmd() *command {
	var p ocop.Product
	return &command{
		name:      "ocop products add",
		usage:     "--producer ID --name NAME --set CODE [--description D] [--unit CODE] [--as-of DATE]",
		flagsOnly: true,
		asOf:      true,
		actor:     true,
		flags: []flagDef{{"producer", &p.ProducerID}, {"name", &p.Name}, {"set", &p.ProductSet},
			{"description", &p.Description}, {"unit", &p.UnitCode}},
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			rules, err := ocop.Shipped()
			if err != nil {
				return err
			}
			made, err := app.RegisterOCOPProduct(ctx, db, app.System(e.actor), p, e.day, rules)
			if err != nil {
				return err
			}
			return e.answer(made, "Đã đăng ký sản phẩm %d: %s (%s), %s.\n", made.ID, made.Name, rules.Taxonomy.SetName(made.ProductSet, "vi"), unitLabel(made.UnitName, made.UnitCode))
		}),
	}
}

// ocopCertifyCmd is `ntm ocop certify`.
func ocopCertifyCmd() *command {
	var c ocop.Certificate
	var date string
	return &command{
		name:  "ocop certify",
		usage: "EVALUATION-ID --decision NUMBER --date DATE [--issuer NAME]",
		actor: true,
		flags: []flagDef{{"decision", &c.Decision}, {"date", &date}, {"issuer", &c.Issuer}},
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
		name:  "ocop revoke",
		usage: "CERTIFICATE-ID --reason TEXT [--date DATE]",
		actor: true,
		flags: []flagDef{{"reason", &reason}, {"date", &date}},
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
