package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The OCOP register's writes (SPEC §1.7), one function each, shared by the API, the pages and
// the command line (which acts as System): registering a producer (chủ thể) and a product,
// issuing the certificate of a scored evaluation and revoking one. Each authorises, checks,
// then stores; the errors are the domain's (ocop.FieldFault naming the field, ocop.RuleFault,
// auth.Refusal, store.ErrNotFound, a fault.Exists with its words in both languages).

// allowOCOP refuses u action on the unit code as it was on day.
func allowOCOP(ctx context.Context, db *store.DB, u *auth.User, action auth.Action, code string, day units.Date) error {
	return auth.Authorize(u, action, code, func() (bool, error) {
		return db.InScope(ctx, u.UnitCode, code, day)
	})
}

// OCOPCommune checks that code names a commune on day: producers and products belong to one.
func OCOPCommune(ctx context.Context, db *store.DB, code string, day units.Date) error {
	un, err := db.Unit(ctx, code, day)
	if errors.Is(err, store.ErrNotFound) {
		return ocop.FieldFault("unit", fmt.Sprintf("không có đơn vị mã %s vào ngày %s", code, day), fmt.Sprintf("no unit with code %s on %s", code, day))
	}
	if err != nil {
		return err
	}
	if un.Level != units.LevelCommune {
		return ocop.FieldFault("unit", fmt.Sprintf("%s không phải là xã, phường: chủ thể và sản phẩm OCOP gắn với một xã, phường", un.FullName),
			fmt.Sprintf("%s is not a commune: OCOP producers and products belong to a commune", un.Name))
	}
	return nil
}

// RegisterOCOPProducer registers producer p in its commune as of day, for u (auth.Enter on
// the commune).
func RegisterOCOPProducer(ctx context.Context, db *store.DB, u *auth.User, p ocop.Producer, day units.Date) (ocop.Producer, error) {
	if err := p.Check(); err != nil {
		return p, err
	}
	if err := allowOCOP(ctx, db, u, auth.Enter, p.UnitCode, day); err != nil {
		return p, err
	}
	if err := OCOPCommune(ctx, db, p.UnitCode, day); err != nil {
		return p, err
	}
	return db.CreateOCOPProducer(ctx, u.Username, p, day)
}

// NoOCOPProducer is the error of a producer id that does not exist or is out of u's reach (a
// producer out of reach is as good as none, so that ids cannot be probed).
func NoOCOPProducer(id int64) error {
	return ocop.FieldFault("producer_id", fmt.Sprintf("không có chủ thể mã %d", id), fmt.Sprintf("no producer with id %d", id))
}

// RegisterOCOPProduct registers product p of a producer u may read, in a commune (the
// producer's when p names none) u may enter data of, as of day.
func RegisterOCOPProduct(ctx context.Context, db *store.DB, u *auth.User, p ocop.Product, day units.Date, rules *ocop.Rules) (ocop.Product, error) {
	if p.ProducerID > 0 {
		pr, err := db.OCOPProducer(ctx, p.ProducerID)
		if err == nil && allowOCOP(ctx, db, u, auth.Read, pr.UnitCode, pr.UnitFrom) != nil {
			err = store.ErrNotFound
		}
		if errors.Is(err, store.ErrNotFound) {
			return p, NoOCOPProducer(p.ProducerID)
		}
		if err != nil {
			return p, err
		}
		if strings.TrimSpace(p.UnitCode) == "" && pr.UnitFrom <= day {
			p.UnitCode = pr.UnitCode
		}
	}
	if err := p.Check(rules.Taxonomy); err != nil {
		return p, err
	}
	if err := allowOCOP(ctx, db, u, auth.Enter, p.UnitCode, day); err != nil {
		return p, err
	}
	if err := OCOPCommune(ctx, db, p.UnitCode, day); err != nil {
		return p, err
	}
	return db.CreateOCOPProduct(ctx, u.Username, p, day)
}

// IssueOCOPCertificate issues the certificate of closed evaluation evalID (the decision's
// number, date and issuer in c), for u (auth.ManageRecognition on the product's commune: the
// decision is the people's committee's).
func IssueOCOPCertificate(ctx context.Context, db *store.DB, u *auth.User, evalID int64, c ocop.Certificate, rules *ocop.Rules) (ocop.Certificate, error) {
	e, err := db.OCOPEvaluation(ctx, evalID)
	if err != nil {
		return c, err
	}
	if err := allowOCOP(ctx, db, u, auth.ManageRecognition, e.UnitCode, e.UnitFrom); err != nil {
		return c, err
	}
	return db.IssueOCOPCertificate(ctx, u.Username, evalID, c, rules)
}

// RevokeOCOPCertificate revokes certificate id from day for a reason, for u
// (auth.ManageRecognition on its commune).
func RevokeOCOPCertificate(ctx context.Context, db *store.DB, u *auth.User, id int64, day units.Date, reason string) (ocop.Certificate, error) {
	c, err := db.OCOPCertificate(ctx, id)
	if err != nil {
		return c, err
	}
	if err := allowOCOP(ctx, db, u, auth.ManageRecognition, c.UnitCode, c.UnitFrom); err != nil {
		return ocop.Certificate{}, err
	}
	return db.RevokeOCOPCertificate(ctx, u.Username, id, day, reason)
}
