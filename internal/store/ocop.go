package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/units"
)

// OCOP: producers, products, evaluations with scoresheets, certificates (SPEC §1.7). The
// rules (part maxima, bands, conditions, validity) are internal/ocop's; the store keeps the
// records, checks what only the database knows (units, versions, what exists), and writes
// each change with its audit entry in one transaction.

// ocopConflict is a change sent against an older version of a producer, product or
// evaluation than the stored one (a fault.Conflict).
func ocopConflict(entity string, id int64, sent, stored int) error {
	return fault.Newf(fault.Conflict, "%s %d đã được người khác sửa (phiên bản %d, đang lưu %d); tải lại rồi sửa (%s %d changed: version %d sent, %d stored)",
		entity, id, sent, stored, entity, id, sent, stored)
}

// ocopExists is the registration of something that is already registered (a fault.Exists
// carrying the id of the one there is, 0 when the message names it otherwise).
func ocopExists(id int64, m ocop.Message) error {
	// The words are in each language, for a page that shows them by its form.
	return &fault.Error{Code: fault.Exists, Text: m.String(), Current: id, Words: &fault.Words{VI: m.VI, EN: m.EN}}
}

// ocopUnitOn resolves the unit a code names on day.
func ocopUnitOn(ctx context.Context, tx *Tx, code string, day units.Date) (units.Unit, error) {
	u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE code = $1 AND valid_from <= $2 AND valid_to >= $2`, code, string(day)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ocop.FieldFault("unit", fmt.Sprintf("không có đơn vị mã %s vào ngày %s", code, day), fmt.Sprintf("no unit with code %s on %s", code, day))
	}
	return u, err
}

// ocopUnder is the condition that the row of alias (with unit_code, unit_from) lies at or below
// root on day: its unit exists on day below root; or it ended before day and its successor
// (unit_lineage) lies below root; or it began after day and a unit it was formed from did. It
// appends its arguments to args. An empty root is the whole country.
func ocopUnder(alias, root string, day units.Date, args *[]any) string {
	if root == "" {
		return "1 = 1"
	}
	*args = append(*args, root, string(day))
	r, d := len(*args)-1, len(*args)
	sub := fmt.Sprintf(`(WITH RECURSIVE sub(code) AS (
		SELECT code FROM units WHERE code = $%[1]d AND valid_from <= $%[2]d AND valid_to >= $%[2]d
		UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code WHERE u.valid_from <= $%[2]d AND u.valid_to >= $%[2]d)
		SELECT code FROM sub)`, r, d)
	return fmt.Sprintf(`EXISTS (SELECT 1 FROM units pu WHERE pu.code = %[1]s.unit_code AND pu.valid_from = %[1]s.unit_from AND (
		(pu.valid_from <= $%[3]d AND pu.valid_to >= $%[3]d AND pu.code IN %[2]s)
		OR (pu.valid_to < $%[3]d AND EXISTS (SELECT 1 FROM unit_lineage l WHERE l.old_code = pu.code AND l.effective > pu.valid_from
			AND l.effective <= $%[3]d AND l.new_code IN %[2]s))
		OR (pu.valid_from > $%[3]d AND EXISTS (SELECT 1 FROM unit_lineage l WHERE l.new_code = pu.code AND l.effective <= pu.valid_from
			AND l.effective > $%[3]d AND l.old_code IN %[2]s))))`, alias, sub, d)
}

// ---------------------------------------------------------------------------------------
// Producers

const producerColumns = `p.id, p.name, p.kind, p.registration_no, p.address, p.unit_code, p.unit_from, p.version,
	p.created_by, p.created_at, p.updated_by, p.updated_at,
	COALESCE((SELECT u.full_name FROM units u WHERE u.code = p.unit_code AND u.valid_from = p.unit_from), ''),
	(SELECT COUNT(*) FROM ocop_products x WHERE x.producer_id = p.id)`

func scanProducer(row interface{ Scan(...any) error }) (ocop.Producer, error) {
	var p ocop.Producer
	var kind, from, cat, uat string
	err := row.Scan(&p.ID, &p.Name, &kind, &p.RegistrationNo, &p.Address, &p.UnitCode, &from, &p.Version,
		&p.CreatedBy, &cat, &p.UpdatedBy, &uat, &p.UnitName, &p.Products)
	p.Kind, p.UnitFrom, p.CreatedAt, p.UpdatedAt = ocop.ProducerKind(kind), units.Date(from), parseTime(cat), parseTime(uat)
	return p, err
}

func getProducer(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (ocop.Producer, error) {
	p, err := scanProducer(q.QueryRowContext(ctx, `SELECT `+producerColumns+` FROM ocop_producers p WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// sameProducer finds a registered producer with p's registration number (and kind), or else
// its name in its commune; 0 when none.
func sameProducer(ctx context.Context, tx *Tx, p ocop.Producer, except int64) (int64, error) {
	var id int64
	var err error
	if p.RegistrationNo != "" {
		err = tx.QueryRowContext(ctx, `SELECT id FROM ocop_producers WHERE registration_no = $1 AND kind = $2 AND id <> $3 ORDER BY id LIMIT 1`,
			p.RegistrationNo, string(p.Kind), except).Scan(&id)
	} else {
		err = tx.QueryRowContext(ctx, `SELECT id FROM ocop_producers WHERE name_fold = $1 AND unit_code = $2 AND unit_from = $3 AND registration_no = '' AND id <> $4 ORDER BY id LIMIT 1`,
			units.Fold(p.Name), p.UnitCode, string(p.UnitFrom), except).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func producerExists(id int64, p ocop.Producer) error {
	return ocopExists(id, ocop.Message{
		VI: fmt.Sprintf("chủ thể %q đã có trong danh sách (mã %d)", p.Name, id),
		EN: fmt.Sprintf("producer %q is already registered (id %d)", p.Name, id)})
}

// ocopKind is what the writes of one kind of OCOP row share: how a row is read again after
// a change, and what the audit log keeps of it under which entity.
type ocopKind[T any] struct {
	entity  string
	get     func(ctx context.Context, tx *Tx, id int64) (T, error)
	audited func(T) map[string]any
	unit    func(T) (string, units.Date)
}

var (
	producerKind = ocopKind[ocop.Producer]{entity: "ocop_producer", audited: producerAudit,
		get:  func(ctx context.Context, tx *Tx, id int64) (ocop.Producer, error) { return getProducer(ctx, tx, id) },
		unit: func(p ocop.Producer) (string, units.Date) { return p.UnitCode, p.UnitFrom }}
	productKind = ocopKind[ocop.Product]{entity: "ocop_product", audited: productAudit,
		get: func(ctx context.Context, tx *Tx, id int64) (ocop.Product, error) {
			return getProduct(ctx, tx, id, false)
		},
		unit: func(p ocop.Product) (string, units.Date) { return p.UnitCode, p.UnitFrom }}
	evaluationKind = ocopKind[ocop.Evaluation]{entity: "ocop_evaluation", audited: evaluationAudit, get: getEvaluation,
		unit: func(e ocop.Evaluation) (string, units.Date) { return e.UnitCode, e.UnitFrom }}
)

// written reads row id again after it was created (old nil) or updated, and audits the change.
func (k ocopKind[T]) written(ctx context.Context, tx *Tx, actor string, id int64, old *T) (T, error) {
	r, err := k.get(ctx, tx, id)
	if err != nil {
		return r, err
	}
	code, day := k.unit(r)
	e := AuditEntry{Actor: actor, Action: "create", Entity: k.entity, EntityID: strconv.FormatInt(id, 10), UnitCode: code, UnitDate: day,
		New: k.audited(r)}
	if old != nil {
		e.Action, e.Old = "update", k.audited(*old)
	}
	return r, tx.Audit(ctx, e)
}

// deleted audits the deletion of row r.
func (k ocopKind[T]) deleted(ctx context.Context, tx *Tx, actor string, id int64, r T) error {
	code, day := k.unit(r)
	return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "delete", Entity: k.entity, EntityID: strconv.FormatInt(id, 10),
		UnitCode: code, UnitDate: day, Old: k.audited(r)})
}

func producerAudit(p ocop.Producer) map[string]any {
	return map[string]any{"name": p.Name, "kind": p.Kind, "registration_no": p.RegistrationNo, "address": p.Address, "unit": p.UnitCode}
}

// CreateOCOPProducer registers a producer in the commune its code names on day. The caller
// has checked its fields (ocop.Producer.Check). A producer with the same registration number,
// or without one the same name in the same commune, is refused with *OCOPExistsError.
func (db *DB) CreateOCOPProducer(ctx context.Context, actor string, p ocop.Producer, day units.Date) (ocop.Producer, error) {
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		u, err := ocopUnitOn(ctx, tx, p.UnitCode, day)
		if err != nil {
			return err
		}
		p.UnitFrom = u.ValidFrom
		if id, err := sameProducer(ctx, tx, p, 0); err != nil {
			return err
		} else if id != 0 {
			return producerExists(id, p)
		}
		id, err := insertProducer(ctx, tx, actor, p)
		if err != nil {
			return err
		}
		p, err = producerKind.written(ctx, tx, actor, id, nil)
		return err
	})
	return p, err
}

func insertProducer(ctx context.Context, tx *Tx, actor string, p ocop.Producer) (int64, error) {
	t := now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO ocop_producers (name, name_fold, kind, registration_no, address, unit_code, unit_from,
		version, created_by, created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9) RETURNING id`,
		p.Name, units.Fold(p.Name), string(p.Kind), p.RegistrationNo, p.Address, p.UnitCode, string(p.UnitFrom), actor, t).Scan(&id)
	return id, err
}

// UpdateOCOPProducer changes a producer to p (its ID; Version, when not 0, must be the stored
// one). A changed unit code is resolved on day.
func (db *DB) UpdateOCOPProducer(ctx context.Context, actor string, p ocop.Producer, day units.Date) (ocop.Producer, error) {
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		old, err := getProducer(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if p.Version != 0 && p.Version != old.Version {
			return ocopConflict("ocop_producer", p.ID, p.Version, old.Version)
		}
		p.UnitFrom = old.UnitFrom
		if p.UnitCode != old.UnitCode {
			u, err := ocopUnitOn(ctx, tx, p.UnitCode, day)
			if err != nil {
				return err
			}
			p.UnitFrom = u.ValidFrom
		}
		if id, err := sameProducer(ctx, tx, p, p.ID); err != nil {
			return err
		} else if id != 0 {
			return producerExists(id, p)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ocop_producers SET name = $1, name_fold = $2, kind = $3, registration_no = $4,
			address = $5, unit_code = $6, unit_from = $7, version = version + 1, updated_by = $8, updated_at = $9 WHERE id = $10`,
			p.Name, units.Fold(p.Name), string(p.Kind), p.RegistrationNo, p.Address, p.UnitCode, string(p.UnitFrom), actor, now(), p.ID); err != nil {
			return err
		}
		p, err = producerKind.written(ctx, tx, actor, p.ID, &old)
		return err
	})
	return p, err
}

// OCOPProducer returns one producer.
func (db *DB) OCOPProducer(ctx context.Context, id int64) (ocop.Producer, error) {
	return getProducer(ctx, db.r, id)
}

// DeleteOCOPProducer removes a producer that has no products.
func (db *DB) DeleteOCOPProducer(ctx context.Context, actor string, id int64) error {
	return db.writeRegisters(ctx, func(tx *Tx) error {
		p, err := getProducer(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Products > 0 {
			return ocop.RuleFault(fmt.Sprintf("chủ thể còn %d sản phẩm; xóa hoặc chuyển các sản phẩm trước", p.Products),
				fmt.Sprintf("the producer still has %d products; remove or move them first", p.Products))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ocop_producers WHERE id = $1`, id); err != nil {
			return err
		}
		return producerKind.deleted(ctx, tx, actor, id, p)
	})
}

// OCOPQuery selects producers or products: those at or below Root (empty: the whole
// country) on Day, whose name (or producer's name) contains Text.
type OCOPQuery struct {
	Root  string
	Day   units.Date
	Text  string
	Limit int // producers only; default 500
}

// OCOPProducers lists producers by name.
func (db *DB) OCOPProducers(ctx context.Context, q OCOPQuery) ([]ocop.Producer, error) {
	var args []any
	where := []string{ocopUnder("p", q.Root, q.Day, &args)}
	if t := strings.TrimSpace(q.Text); t != "" {
		args = append(args, "%"+escapeLike(units.Fold(t))+"%")
		where = append(where, fmt.Sprintf(`p.name_fold LIKE $%d ESCAPE '\'`, len(args)))
	}
	if q.Limit <= 0 || q.Limit > 5000 {
		q.Limit = 500
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+producerColumns+` FROM ocop_producers p WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY p.name_fold, p.id LIMIT %d`, q.Limit), args...)
	if err != nil {
		return nil, err
	}
	return scanList(rows, scanProducer)
}

// ---------------------------------------------------------------------------------------
// Products

const productColumns = `p.id, p.name, p.producer_id, pr.name, pr.kind, p.unit_code, p.unit_from, p.product_set, p.description,
	p.version, p.created_by, p.created_at, p.updated_by, p.updated_at,
	COALESCE((SELECT u.full_name FROM units u WHERE u.code = p.unit_code AND u.valid_from = p.unit_from), '')`

const productFrom = ` FROM ocop_products p JOIN ocop_producers pr ON pr.id = p.producer_id`

func scanProduct(row interface{ Scan(...any) error }) (ocop.Product, error) {
	var p ocop.Product
	var kind, from, cat, uat string
	err := row.Scan(&p.ID, &p.Name, &p.ProducerID, &p.Producer, &kind, &p.UnitCode, &from, &p.ProductSet, &p.Description,
		&p.Version, &p.CreatedBy, &cat, &p.UpdatedBy, &uat, &p.UnitName)
	p.ProducerKind, p.UnitFrom, p.CreatedAt, p.UpdatedAt = ocop.ProducerKind(kind), units.Date(from), parseTime(cat), parseTime(uat)
	p.Group, p.SubGroup = taxonomyParents(p.ProductSet)
	p.Photos = []ocop.Photo{}
	return p, err
}

// taxonomyParents derives the group and sub-group of a product set code ("1.3.b" → "1", "1.3").
func taxonomyParents(set string) (group, sub string) {
	parts := strings.Split(set, ".")
	if len(parts) >= 1 {
		group = parts[0]
	}
	if len(parts) >= 2 {
		sub = parts[0] + "." + parts[1]
	}
	return group, sub
}

func productAudit(p ocop.Product) map[string]any {
	return map[string]any{"name": p.Name, "producer_id": p.ProducerID, "unit": p.UnitCode, "product_set": p.ProductSet, "description": p.Description}
}

// CreateOCOPProduct registers a product of an existing producer in the commune its code names
// on day. The caller has checked its fields (ocop.Product.Check).
func (db *DB) CreateOCOPProduct(ctx context.Context, actor string, p ocop.Product, day units.Date) (ocop.Product, error) {
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		if _, err := getProducer(ctx, tx, p.ProducerID); err != nil {
			return producerMissing(err, p.ProducerID)
		}
		u, err := ocopUnitOn(ctx, tx, p.UnitCode, day)
		if err != nil {
			return err
		}
		p.UnitFrom = u.ValidFrom
		id, err := insertProduct(ctx, tx, actor, p)
		if err != nil {
			return err
		}
		p, err = productKind.written(ctx, tx, actor, id, nil)
		return err
	})
	return p, err
}

func producerMissing(err error, id int64) error {
	if errors.Is(err, ErrNotFound) {
		return ocop.FieldFault("producer_id", fmt.Sprintf("không có chủ thể mã %d; đăng ký chủ thể trước", id), fmt.Sprintf("no producer with id %d; register the producer first", id))
	}
	return err
}

func insertProduct(ctx context.Context, tx *Tx, actor string, p ocop.Product) (int64, error) {
	t := now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO ocop_products (producer_id, name, name_fold, unit_code, unit_from, product_set, description,
		version, created_by, created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9) RETURNING id`,
		p.ProducerID, p.Name, units.Fold(p.Name), p.UnitCode, string(p.UnitFrom), p.ProductSet, p.Description, actor, t).Scan(&id)
	return id, err
}

// UpdateOCOPProduct changes a product to p (its ID; Version, when not 0, must be the stored
// one). A changed unit code is resolved on day.
func (db *DB) UpdateOCOPProduct(ctx context.Context, actor string, p ocop.Product, day units.Date) (ocop.Product, error) {
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		old, err := getProduct(ctx, tx, p.ID, false)
		if err != nil {
			return err
		}
		if p.Version != 0 && p.Version != old.Version {
			return ocopConflict("ocop_product", p.ID, p.Version, old.Version)
		}
		if p.ProducerID != old.ProducerID {
			if _, err := getProducer(ctx, tx, p.ProducerID); err != nil {
				return producerMissing(err, p.ProducerID)
			}
		}
		p.UnitFrom = old.UnitFrom
		if p.UnitCode != old.UnitCode {
			u, err := ocopUnitOn(ctx, tx, p.UnitCode, day)
			if err != nil {
				return err
			}
			p.UnitFrom = u.ValidFrom
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ocop_products SET producer_id = $1, name = $2, name_fold = $3, unit_code = $4, unit_from = $5,
			product_set = $6, description = $7, version = version + 1, updated_by = $8, updated_at = $9 WHERE id = $10`,
			p.ProducerID, p.Name, units.Fold(p.Name), p.UnitCode, string(p.UnitFrom), p.ProductSet, p.Description, actor, now(), p.ID); err != nil {
			return err
		}
		p, err = productKind.written(ctx, tx, actor, p.ID, &old)
		return err
	})
	return p, err
}

// DeleteOCOPProduct removes a product that has never been evaluated or certified.
func (db *DB) DeleteOCOPProduct(ctx context.Context, actor string, id int64) error {
	return db.writeRegisters(ctx, func(tx *Tx) error {
		p, err := getProduct(ctx, tx, id, false)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM ocop_evaluations WHERE product_id = $1) +
			(SELECT COUNT(*) FROM ocop_certificates WHERE product_id = $1)`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ocop.RuleFault("sản phẩm đã được đánh giá hoặc chứng nhận: lịch sử được giữ, không xóa được",
				"the product has been evaluated or certified: its history is kept and it cannot be removed")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ocop_photos WHERE product_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ocop_products WHERE id = $1`, id); err != nil {
			return err
		}
		return productKind.deleted(ctx, tx, actor, id, p)
	})
}

func getProduct(ctx context.Context, tx *Tx, id int64, history bool) (ocop.Product, error) {
	p, err := scanProduct(tx.QueryRowContext(ctx, `SELECT `+productColumns+productFrom+` WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, content_type, size, created_by, created_at FROM ocop_photos WHERE product_id = $1 ORDER BY id`, id)
	if err != nil {
		return p, err
	}
	for rows.Next() {
		var ph ocop.Photo
		var at string
		if err := rows.Scan(&ph.ID, &ph.Name, &ph.ContentType, &ph.Size, &ph.CreatedBy, &at); err != nil {
			rows.Close()
			return p, err
		}
		ph.CreatedAt = parseTime(at)
		p.Photos = append(p.Photos, ph)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	if !history {
		return p, nil
	}
	if p.Certificates, err = queryCertificates(ctx, tx, `WHERE c.product_id = $1`, id); err != nil {
		return p, err
	}
	erows, err := tx.QueryContext(ctx, `SELECT id FROM ocop_evaluations WHERE product_id = $1 ORDER BY eval_date, id`, id)
	if err != nil {
		return p, err
	}
	var ids []int64
	for erows.Next() {
		var eid int64
		if err := erows.Scan(&eid); err != nil {
			erows.Close()
			return p, err
		}
		ids = append(ids, eid)
	}
	erows.Close()
	p.Evaluations = []ocop.Evaluation{}
	for _, eid := range ids {
		e, err := getEvaluation(ctx, tx, eid)
		if err != nil {
			return p, err
		}
		e.Product = p.Name
		p.Evaluations = append(p.Evaluations, e)
	}
	return p, nil
}

// OCOPProduct returns a product with its photos and its history: certificates and
// evaluations (with their scoresheets), oldest first.
func (db *DB) OCOPProduct(ctx context.Context, id int64) (ocop.Product, error) {
	return readOne(ctx, db, func(tx *Tx) (ocop.Product, error) { return getProduct(ctx, tx, id, true) })
}

// OCOPProducts returns the products at or below q.Root on q.Day (see ocopUnder) with their
// certificates, for lists and figures, which internal/ocop works out; photos and evaluations
// are left out.
func (db *DB) OCOPProducts(ctx context.Context, q OCOPQuery) ([]ocop.Product, error) {
	var out []ocop.Product
	err := db.Read(ctx, func(tx *Tx) error {
		out = []ocop.Product{}
		var args []any
		where := ocopUnder("p", q.Root, q.Day, &args)
		if t := strings.TrimSpace(q.Text); t != "" {
			args = append(args, "%"+escapeLike(units.Fold(t))+"%")
			where += fmt.Sprintf(` AND (p.name_fold LIKE $%[1]d ESCAPE '\' OR pr.name_fold LIKE $%[1]d ESCAPE '\')`, len(args))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+productColumns+productFrom+` WHERE `+where+` ORDER BY p.id`, args...)
		if err != nil {
			return err
		}
		index := map[int64]int{}
		for rows.Next() {
			p, err := scanProduct(rows)
			if err != nil {
				rows.Close()
				return err
			}
			index[p.ID] = len(out)
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		certs, err := queryCertificates(ctx, tx, `WHERE c.product_id IN (SELECT p.id`+productFrom+` WHERE `+where+`)`, args...)
		if err != nil {
			return err
		}
		for _, c := range certs {
			if i, ok := index[c.ProductID]; ok {
				out[i].Certificates = append(out[i].Certificates, c)
			}
		}
		return nil
	})
	return out, err
}

// ---------------------------------------------------------------------------------------
// Photos

// AddOCOPPhoto keeps a photo of a product. The caller has checked its type and size.
func (db *DB) AddOCOPPhoto(ctx context.Context, actor string, productID int64, name, contentType string, data []byte) (ocop.Photo, error) {
	var ph ocop.Photo
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		p, err := getProduct(ctx, tx, productID, false)
		if err != nil {
			return err
		}
		if len(p.Photos) >= ocop.MaxPhotos {
			return ocop.RuleFault(fmt.Sprintf("sản phẩm đã có %d ảnh, tối đa %d; xóa bớt ảnh cũ", len(p.Photos), ocop.MaxPhotos),
				fmt.Sprintf("the product has %d photos, the most allowed is %d; remove one first", len(p.Photos), ocop.MaxPhotos))
		}
		t := now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO ocop_photos (product_id, name, content_type, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, productID, name, contentType, len(data), data, actor, t).Scan(&ph.ID); err != nil {
			return err
		}
		ph = ocop.Photo{ID: ph.ID, Name: name, ContentType: contentType, Size: len(data), CreatedBy: actor, CreatedAt: parseTime(t)}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "add_photo", Entity: "ocop_product", EntityID: strconv.FormatInt(productID, 10),
			UnitCode: p.UnitCode, UnitDate: p.UnitFrom, New: map[string]any{"photo": ph.ID, "name": name, "size": len(data)}})
	})
	return ph, err
}

// OCOPPhoto returns a photo, its bytes and the id of its product.
func (db *DB) OCOPPhoto(ctx context.Context, id int64) (ocop.Photo, int64, []byte, error) {
	var ph ocop.Photo
	var productID int64
	var data []byte
	var at string
	err := db.r.QueryRowContext(ctx, `SELECT id, product_id, name, content_type, size, data, created_by, created_at FROM ocop_photos WHERE id = $1`, id).
		Scan(&ph.ID, &productID, &ph.Name, &ph.ContentType, &ph.Size, &data, &ph.CreatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return ph, 0, nil, ErrNotFound
	}
	ph.CreatedAt = parseTime(at)
	return ph, productID, data, err
}

// DeleteOCOPPhoto removes a photo.
func (db *DB) DeleteOCOPPhoto(ctx context.Context, actor string, id int64) error {
	return db.writeRegisters(ctx, func(tx *Tx) error {
		var productID int64
		if err := tx.QueryRowContext(ctx, `SELECT product_id FROM ocop_photos WHERE id = $1`, id).Scan(&productID); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		p, err := getProduct(ctx, tx, productID, false)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ocop_photos WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "delete_photo", Entity: "ocop_product", EntityID: strconv.FormatInt(productID, 10),
			UnitCode: p.UnitCode, UnitDate: p.UnitFrom, Old: map[string]any{"photo": id}})
	})
}

// ---------------------------------------------------------------------------------------
// Evaluations and scoresheets

const evaluationColumns = `id, product_id, unit_code, unit_from, product_set, level, council, eval_date, rules, conditions, status,
	outcome, version, created_by, created_at, closed_by, closed_at, COALESCE(council_id, 0)`

func scanEvaluation(row interface{ Scan(...any) error }) (ocop.Evaluation, error) {
	var e ocop.Evaluation
	var from, level, date, conds, status, outcome, cat, clat string
	err := row.Scan(&e.ID, &e.ProductID, &e.UnitCode, &from, &e.ProductSet, &level, &e.Council, &date, &e.Rules, &conds, &status,
		&outcome, &e.Version, &e.CreatedBy, &cat, &e.ClosedBy, &clat, &e.CouncilID)
	if err != nil {
		return e, err
	}
	e.UnitFrom, e.Level, e.Date, e.Status, e.CreatedAt = units.Date(from), ocop.Level(level), units.Date(date), ocop.EvalStatus(status), parseTime(cat)
	e.Conditions = []string{}
	if conds != "" {
		e.Conditions = strings.Split(conds, ",")
	}
	if clat != "" {
		t := parseTime(clat)
		e.ClosedAt = &t
	}
	if outcome != "" {
		var o ocop.Outcome
		if err := json.Unmarshal([]byte(outcome), &o); err != nil {
			return e, fmt.Errorf("ocop evaluation %d: outcome: %w", e.ID, err)
		}
		e.Outcome = &o
	}
	return e, nil
}

func getEvaluation(ctx context.Context, tx *Tx, id int64) (ocop.Evaluation, error) {
	e, err := scanEvaluation(tx.QueryRowContext(ctx, `SELECT `+evaluationColumns+` FROM ocop_evaluations WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	if err != nil {
		return e, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT member, member_name, part_a, part_b, part_c, total, note, entered_by, entered_at
		FROM ocop_scoresheets WHERE evaluation_id = $1 ORDER BY entered_at, member`, id)
	if err != nil {
		return e, err
	}
	defer rows.Close()
	e.Sheets = []ocop.Sheet{}
	for rows.Next() {
		var s ocop.Sheet
		var at string
		if err := rows.Scan(&s.Member, &s.MemberName, &s.A, &s.B, &s.C, &s.Total, &s.Note, &s.EnteredBy, &at); err != nil {
			return e, err
		}
		s.EnteredAt = parseTime(at)
		e.Sheets = append(e.Sheets, s)
	}
	if err := rows.Err(); err != nil {
		return e, err
	}
	rows.Close()
	if e.CouncilID != 0 {
		c, err := getCouncil(ctx, tx, e.CouncilID)
		if err != nil {
			return e, fmt.Errorf("ocop evaluation %d: council %d: %w", e.ID, e.CouncilID, err)
		}
		e.Members = c.Members
	}
	return e, nil
}

func evaluationAudit(e ocop.Evaluation) map[string]any {
	return map[string]any{"product_id": e.ProductID, "level": e.Level, "council": e.Council, "date": e.Date, "rules": e.Rules, "conditions": e.Conditions}
}

// OpenOCOPEvaluation starts the evaluation of a product by a council: members then enter
// their scoresheets. The caller has checked it (ocop.Rules.CheckEvaluation).
func (db *DB) OpenOCOPEvaluation(ctx context.Context, actor string, e ocop.Evaluation) (ocop.Evaluation, error) {
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		p, err := getProduct(ctx, tx, e.ProductID, false)
		if err != nil {
			return err
		}
		var council any
		if e.CouncilID != 0 {
			c, err := getCouncil(ctx, tx, e.CouncilID)
			if errors.Is(err, ErrNotFound) {
				return ocop.FieldFault("council_id", fmt.Sprintf("không có hội đồng %d", e.CouncilID), fmt.Sprintf("no council %d", e.CouncilID))
			}
			if err != nil {
				return err
			}
			if err := councilHolds(ctx, tx, c, p, e.Date); err != nil {
				return err
			}
			council, e.Council = c.ID, c.Name
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO ocop_evaluations (product_id, unit_code, unit_from, product_set, level, council, eval_date,
			rules, conditions, status, version, created_by, created_at, council_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', 1, $10, $11, $12) RETURNING id`,
			p.ID, p.UnitCode, string(p.UnitFrom), p.ProductSet, string(e.Level), e.Council, string(e.Date), e.Rules,
			strings.Join(e.Conditions, ","), actor, now(), council).Scan(&id); err != nil {
			return err
		}
		e, err = evaluationKind.written(ctx, tx, actor, id, nil)
		e.Product = p.Name
		return err
	})
	return e, err
}

// OCOPEvaluation returns an evaluation with its scoresheets.
func (db *DB) OCOPEvaluation(ctx context.Context, id int64) (ocop.Evaluation, error) {
	var e ocop.Evaluation
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		if e, err = getEvaluation(ctx, tx, id); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT name FROM ocop_products WHERE id = $1`, e.ProductID).Scan(&e.Product)
	})
	return e, err
}

// openEvaluation loads an evaluation for a change: it must be open and, when version is not
// 0, at that version.
func openEvaluation(ctx context.Context, tx *Tx, id int64, version int) (ocop.Evaluation, error) {
	e, err := getEvaluation(ctx, tx, id)
	if err != nil {
		return e, err
	}
	if version != 0 && version != e.Version {
		return e, ocopConflict("ocop_evaluation", id, version, e.Version)
	}
	if e.Status != ocop.EvalOpen {
		return e, ocop.RuleFault("phiên đánh giá đã kết thúc, không sửa được; mở phiên đánh giá lại nếu cần",
			"the evaluation is closed and cannot be changed; open a new evaluation if needed")
	}
	return e, nil
}

func bumpEvaluation(ctx context.Context, tx *Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE ocop_evaluations SET version = version + 1 WHERE id = $1`, id)
	return err
}

// UpdateOCOPEvaluation changes an open evaluation's level, council, date, rules and confirmed
// conditions to e's (e.Version, when not 0, must be the stored one). The caller has checked e.
func (db *DB) UpdateOCOPEvaluation(ctx context.Context, actor string, e ocop.Evaluation) (ocop.Evaluation, error) {
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		old, err := openEvaluation(ctx, tx, e.ID, e.Version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ocop_evaluations SET level = $1, council = $2, eval_date = $3, rules = $4, conditions = $5,
			version = version + 1 WHERE id = $6`, string(e.Level), e.Council, string(e.Date), e.Rules, strings.Join(e.Conditions, ","), e.ID); err != nil {
			return err
		}
		e, err = evaluationKind.written(ctx, tx, actor, e.ID, &old)
		return err
	})
	return e, err
}

// PutOCOPSheet enters (or replaces) a member's scoresheet of an open evaluation, checked
// against the part maxima of the evaluation's rule version, and returns the evaluation.
func (db *DB) PutOCOPSheet(ctx context.Context, actor string, evalID int64, s ocop.Sheet, rules *ocop.Rules) (ocop.Evaluation, error) {
	var e ocop.Evaluation
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		var err error
		if e, err = openEvaluation(ctx, tx, evalID, 0); err != nil {
			return err
		}
		v, ok := rules.Version(e.Rules)
		if !ok {
			return fmt.Errorf("ocop evaluation %d: unknown rules %q", e.ID, e.Rules)
		}
		if e.CouncilID == 0 {
			return ocop.RuleFault("phiên đánh giá chưa gắn với hội đồng nào; không nhập được phiếu chấm",
				"the evaluation has no council: no scoresheet can be entered")
		}
		c := ocop.Council{Name: e.Council, Members: e.Members}
		if !c.Member(s.Member) || s.Member != actor {
			return ocop.NotMemberError(e.Council)
		}
		for _, m := range e.Members {
			if m.Username == s.Member && m.Name != "" {
				s.MemberName = m.Name
			}
		}
		if err := v.CheckSheet(&s); err != nil {
			return err
		}
		var old *ocop.Sheet
		for i := range e.Sheets {
			if e.Sheets[i].Member == s.Member {
				old = &e.Sheets[i]
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ocop_scoresheets (evaluation_id, member, member_name, part_a, part_b, part_c, total, note, entered_by, entered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (evaluation_id, member) DO UPDATE SET member_name = excluded.member_name,
			part_a = excluded.part_a, part_b = excluded.part_b, part_c = excluded.part_c, total = excluded.total, note = excluded.note,
			entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
			e.ID, s.Member, s.MemberName, s.A, s.B, s.C, s.Total, s.Note, actor, now()); err != nil {
			return err
		}
		if err := bumpEvaluation(ctx, tx, e.ID); err != nil {
			return err
		}
		entry := AuditEntry{Actor: actor, Action: "score", Entity: "ocop_evaluation", EntityID: strconv.FormatInt(e.ID, 10),
			UnitCode: e.UnitCode, UnitDate: e.UnitFrom, Detail: s.Member, New: map[string]float64{"a": s.A, "b": s.B, "c": s.C, "total": s.Total}}
		if old != nil {
			entry.Old = map[string]float64{"a": old.A, "b": old.B, "c": old.C, "total": old.Total}
		}
		if err := tx.Audit(ctx, entry); err != nil {
			return err
		}
		e, err = getEvaluation(ctx, tx, e.ID)
		return err
	})
	return e, err
}

// DeleteOCOPSheet removes a member's scoresheet from an open evaluation.
func (db *DB) DeleteOCOPSheet(ctx context.Context, actor string, evalID int64, member string) (ocop.Evaluation, error) {
	var e ocop.Evaluation
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		var err error
		if e, err = openEvaluation(ctx, tx, evalID, 0); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM ocop_scoresheets WHERE evaluation_id = $1 AND member = $2`, evalID, member)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if err := bumpEvaluation(ctx, tx, e.ID); err != nil {
			return err
		}
		if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "delete_score", Entity: "ocop_evaluation", EntityID: strconv.FormatInt(e.ID, 10),
			UnitCode: e.UnitCode, UnitDate: e.UnitFrom, Detail: member}); err != nil {
			return err
		}
		e, err = getEvaluation(ctx, tx, e.ID)
		return err
	})
	return e, err
}

// CloseOCOPEvaluation ends an open evaluation that has at least one scoresheet and keeps its
// outcome: the members' average, the stars after the mandatory conditions, whether it can be
// certified at its level and why.
func (db *DB) CloseOCOPEvaluation(ctx context.Context, actor string, id int64, version int, rules *ocop.Rules) (ocop.Evaluation, error) {
	var e ocop.Evaluation
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		var err error
		if e, err = openEvaluation(ctx, tx, id, version); err != nil {
			return err
		}
		if len(e.Sheets) == 0 {
			return ocop.RuleFault("chưa có phiếu chấm nào: không kết thúc được phiên đánh giá", "no scoresheet yet: the evaluation cannot be closed")
		}
		v, ok := rules.Version(e.Rules)
		if !ok {
			return fmt.Errorf("ocop evaluation %d: unknown rules %q", e.ID, e.Rules)
		}
		// Only members' sheets count towards the quorum of the rules in force.
		c := ocop.Council{Members: e.Members}
		have := 0
		for _, s := range e.Sheets {
			if c.Member(s.Member) {
				have++
			}
		}
		if need := v.Council.Needed(len(e.Members)); e.CouncilID == 0 || have < need {
			return ocop.QuorumError(have, need, len(e.Members), v.Council)
		}
		o, err := rules.Evaluate(&e)
		if err != nil {
			return err
		}
		b, err := json.Marshal(o)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ocop_evaluations SET status = 'closed', total = $1, stars = $2, certifiable = $3, outcome = $4,
			closed_by = $5, closed_at = $6, version = version + 1 WHERE id = $7`, o.Total, o.Stars, o.Certifiable, string(b), actor, now(), id); err != nil {
			return err
		}
		if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "close", Entity: "ocop_evaluation", EntityID: strconv.FormatInt(id, 10),
			UnitCode: e.UnitCode, UnitDate: e.UnitFrom, New: map[string]any{"total": o.Total, "stars": o.Stars, "certifiable": o.Certifiable},
			Detail: o.Summary().VI}); err != nil {
			return err
		}
		e, err = getEvaluation(ctx, tx, id)
		return err
	})
	return e, err
}

// ---------------------------------------------------------------------------------------
// Certificates

const certificateColumns = `c.id, c.product_id, COALESCE(c.evaluation_id, 0), c.unit_code, c.unit_from, c.stars, c.decision, c.decision_date,
	c.valid_to, c.issuer, c.level, c.revoked_on, c.revoke_reason, c.replaced_on, COALESCE(c.replaced_by, 0), c.imported, c.created_by, c.created_at,
	c.council, c.council_members`

func queryCertificates(ctx context.Context, tx *Tx, where string, args ...any) ([]ocop.Certificate, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+certificateColumns+` FROM ocop_certificates c `+where+` ORDER BY c.decision_date, c.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ocop.Certificate
	for rows.Next() {
		var c ocop.Certificate
		var from, date, to, level, rev, repl, at, members string
		if err := rows.Scan(&c.ID, &c.ProductID, &c.EvaluationID, &c.UnitCode, &from, &c.Stars, &c.Decision, &date, &to, &c.Issuer, &level,
			&rev, &c.RevokeReason, &repl, &c.ReplacedBy, &c.Imported, &c.CreatedBy, &at, &c.Council, &members); err != nil {
			return nil, err
		}
		if members != "" {
			if err := json.Unmarshal([]byte(members), &c.CouncilMembers); err != nil {
				return nil, fmt.Errorf("ocop certificate %d: council members: %w", c.ID, err)
			}
		}
		c.UnitFrom, c.Date, c.ValidTo, c.Level, c.RevokedOn, c.ReplacedOn, c.CreatedAt =
			units.Date(from), units.Date(date), units.Date(to), ocop.Level(level), units.Date(rev), units.Date(repl), parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// OCOPCertificate returns one certificate.
func (db *DB) OCOPCertificate(ctx context.Context, id int64) (ocop.Certificate, error) {
	return readOne(ctx, db, func(tx *Tx) (ocop.Certificate, error) { return getCertificate(ctx, tx, id) })
}

// getCertificate reads one certificate (ErrNotFound when there is none).
func getCertificate(ctx context.Context, tx *Tx, id int64) (ocop.Certificate, error) {
	cs, err := queryCertificates(ctx, tx, `WHERE c.id = $1`, id)
	if err == nil && len(cs) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return ocop.Certificate{}, err
	}
	return cs[0], nil
}

func certificateAudit(c ocop.Certificate) map[string]any {
	return map[string]any{"product_id": c.ProductID, "stars": c.Stars, "decision": c.Decision, "date": c.Date, "valid_to": c.ValidTo, "issuer": c.Issuer,
		"council": c.Council, "council_members": c.CouncilMembers}
}

// insertCertificate stores c and links the product's certificates again: each one that a
// later one follows is replaced from that one's date.
func insertCertificate(ctx context.Context, tx *Tx, actor string, c *ocop.Certificate) error {
	var evalID any
	if c.EvaluationID != 0 {
		evalID = c.EvaluationID
	}
	members := ""
	if len(c.CouncilMembers) > 0 {
		b, err := json.Marshal(c.CouncilMembers)
		if err != nil {
			return err
		}
		members = string(b)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO ocop_certificates (product_id, evaluation_id, unit_code, unit_from, stars, decision, decision_date,
		valid_to, issuer, level, imported, created_by, created_at, council, council_members) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		c.ProductID, evalID, c.UnitCode, string(c.UnitFrom), c.Stars, c.Decision, string(c.Date), string(c.ValidTo), c.Issuer, string(c.Level),
		c.Imported, actor, now(), c.Council, members).Scan(&c.ID)
	if isUniqueViolation(err) {
		return ocopExists(0, ocop.Message{
			VI: fmt.Sprintf("sản phẩm đã có giấy chứng nhận theo quyết định %s", c.Decision),
			EN: fmt.Sprintf("the product already has a certificate under decision %s", c.Decision)})
	}
	if err != nil {
		return err
	}
	return relinkCertificates(ctx, tx, c.ProductID)
}

// relinkCertificates sets, for each certificate of the product, the later certificate that
// replaced it (the next one by date that was not revoked before it was decided).
func relinkCertificates(ctx context.Context, tx *Tx, productID int64) error {
	cs, err := queryCertificates(ctx, tx, `WHERE c.product_id = $1`, productID)
	if err != nil {
		return err
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Date < cs[j].Date || cs[i].Date == cs[j].Date && cs[i].ID < cs[j].ID })
	for i, c := range cs {
		var on units.Date
		var by any
		if i+1 < len(cs) && (c.RevokedOn == "" || c.RevokedOn > cs[i+1].Date) {
			on, by = cs[i+1].Date, cs[i+1].ID
		}
		if on == c.ReplacedOn && (by == nil && c.ReplacedBy == 0 || by != nil && by.(int64) == c.ReplacedBy) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ocop_certificates SET replaced_on = $1, replaced_by = $2 WHERE id = $3`, string(on), by, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// IssueOCOPCertificate records the recognition decision of a closed evaluation that can be
// certified: the product gets a certificate of the evaluation's stars, valid 36 months from
// the decision's date, which takes over from its earlier certificate. The caller has checked
// the decision number and date.
func (db *DB) IssueOCOPCertificate(ctx context.Context, actor string, evalID int64, c ocop.Certificate, rules *ocop.Rules) (ocop.Certificate, error) {
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		e, err := getEvaluation(ctx, tx, evalID)
		if err != nil {
			return err
		}
		switch {
		case e.Status != ocop.EvalClosed || e.Outcome == nil:
			return ocop.RuleFault("phiên đánh giá chưa kết thúc: kết thúc phiên trước khi cấp giấy chứng nhận",
				"the evaluation is still open: close it before certifying")
		case !e.Outcome.Certifiable:
			s := e.Outcome.Summary()
			return ocop.RuleFault("không cấp giấy chứng nhận: "+s.VI, "no certificate: "+s.EN)
		}
		c.ProductID, c.EvaluationID, c.UnitCode, c.UnitFrom = e.ProductID, e.ID, e.UnitCode, e.UnitFrom
		c.Stars, c.Level = e.Outcome.Stars, e.Level
		c.Council, c.CouncilMembers = e.Council, ocop.Council{Members: e.Members}.MemberNames()
		if err := rules.CheckCertificate(&c); err != nil {
			return err
		}
		if c.Date < e.Date {
			return ocop.FieldFault("date", fmt.Sprintf("ngày quyết định %s trước ngày đánh giá %s", c.Date, e.Date), fmt.Sprintf("the decision date %s is before the evaluation's %s", c.Date, e.Date))
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ocop_certificates WHERE evaluation_id = $1`, evalID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ocopExists(0, ocop.Message{
				VI: "phiên đánh giá này đã được cấp giấy chứng nhận", EN: "this evaluation already has its certificate"})
		}
		if err := insertCertificate(ctx, tx, actor, &c); err != nil {
			return err
		}
		if c, err = getCertificate(ctx, tx, c.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "certify", Entity: "ocop_certificate", EntityID: strconv.FormatInt(c.ID, 10),
			UnitCode: c.UnitCode, UnitDate: c.UnitFrom, New: certificateAudit(c)})
	})
	return c, err
}

// RevokeOCOPCertificate revokes a certificate from day, for a reason.
func (db *DB) RevokeOCOPCertificate(ctx context.Context, actor string, id int64, day units.Date, reason string) (ocop.Certificate, error) {
	var c ocop.Certificate
	reason = strings.TrimSpace(reason)
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		var err error
		if c, err = getCertificate(ctx, tx, id); err != nil {
			return err
		}
		switch {
		case reason == "":
			return ocop.FieldFault("reason", "cần lý do thu hồi", "a reason for the revocation is required")
		case len(reason) > 2000:
			return ocop.FieldFault("reason", "lý do quá dài (tối đa 2.000 ký tự)", "the reason is too long (2,000 characters at most)")
		case c.RevokedOn != "":
			return ocop.RuleFault(fmt.Sprintf("giấy chứng nhận đã bị thu hồi từ ngày %s", c.RevokedOn), fmt.Sprintf("the certificate was revoked on %s", c.RevokedOn))
		case day < c.Date:
			return ocop.FieldFault("date", fmt.Sprintf("ngày thu hồi %s trước ngày quyết định công nhận %s", day, c.Date), fmt.Sprintf("the revocation date %s is before the decision's %s", day, c.Date))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ocop_certificates SET revoked_on = $1, revoke_reason = $2 WHERE id = $3`, string(day), reason, id); err != nil {
			return err
		}
		if err := relinkCertificates(ctx, tx, c.ProductID); err != nil {
			return err
		}
		if c, err = getCertificate(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "revoke", Entity: "ocop_certificate", EntityID: strconv.FormatInt(id, 10),
			UnitCode: c.UnitCode, UnitDate: c.UnitFrom, New: map[string]any{"revoked_on": day}, Detail: reason})
	})
	return c, err
}

// ---------------------------------------------------------------------------------------
// Import

// OCOPImportStats says what an import of a product list changed.
type OCOPImportStats struct {
	Rows         int `json:"rows"`
	Producers    int `json:"producers_created"`
	Products     int `json:"products_created"`
	Certificates int `json:"certificates_created"`
	Unchanged    int `json:"unchanged"` // rows whose certificate was already recorded
}

// ImportOCOP stores a product list read by ocop.Rules.ReadImport, all of it or, on any
// problem, nothing: communes are the units their codes name on day; producers are matched by
// registration number (else by name in the commune), products by name and producer in the
// commune; a row whose certificate (product and decision) is recorded changes nothing, so
// importing a file twice is harmless. Row problems come back as the fault of ocop.ImportProblems.
func (db *DB) ImportOCOP(ctx context.Context, actor, file string, rows []ocop.ImportRow, day units.Date, rules *ocop.Rules) (OCOPImportStats, error) {
	var st OCOPImportStats
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		st = OCOPImportStats{Rows: len(rows)}
		ie := &ocop.ImportProblems{File: file}
		unitsByCode := map[string]*units.Unit{}
		for i := range rows {
			r := &rows[i]
			u, seen := unitsByCode[r.UnitCode]
			if !seen {
				x, err := ocopUnitOn(ctx, tx, r.UnitCode, day)
				if _, bad := ocop.FieldOf(err); err != nil && !bad {
					return err
				}
				if err == nil && x.Level == units.LevelCommune {
					u = &x
				}
				unitsByCode[r.UnitCode] = u
			}
			if u == nil {
				ie.Add(r.Problem(ocop.ColUnit, fmt.Sprintf("không có xã, phường mã %s vào ngày %s", r.UnitCode, day),
					fmt.Sprintf("no commune with code %s on %s", r.UnitCode, day)))
			}
		}
		if err := ie.Err(); err != nil {
			return err
		}
		producers := map[string]int64{}
		for i := range rows {
			r := &rows[i]
			u := unitsByCode[r.UnitCode]
			r.Producer.UnitCode, r.Producer.UnitFrom = u.Code, u.ValidFrom
			key := "r|" + string(r.Producer.Kind) + "|" + r.Producer.RegistrationNo
			if r.Producer.RegistrationNo == "" {
				key = "n|" + units.Fold(r.Producer.Name) + "|" + u.Code + "|" + string(u.ValidFrom)
			}
			pid, ok := producers[key]
			if !ok {
				var err error
				if pid, err = sameProducer(ctx, tx, r.Producer, 0); err != nil {
					return err
				}
				if pid == 0 {
					if pid, err = insertProducer(ctx, tx, actor, r.Producer); err != nil {
						return err
					}
					st.Producers++
					if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "import", Entity: "ocop_producer", EntityID: strconv.FormatInt(pid, 10),
						UnitCode: u.Code, UnitDate: u.ValidFrom, New: producerAudit(r.Producer), Detail: fmt.Sprintf("%s dòng %d", file, r.Row)}); err != nil {
						return err
					}
				}
				producers[key] = pid
			}
			p := r.Product
			p.ProducerID, p.UnitCode, p.UnitFrom = pid, u.Code, u.ValidFrom
			var prodID int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM ocop_products WHERE producer_id = $1 AND name_fold = $2 AND unit_code = $3 AND unit_from = $4 ORDER BY id LIMIT 1`,
				pid, units.Fold(p.Name), p.UnitCode, string(p.UnitFrom)).Scan(&prodID)
			if errors.Is(err, sql.ErrNoRows) {
				if prodID, err = insertProduct(ctx, tx, actor, p); err != nil {
					return err
				}
				st.Products++
				if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "import", Entity: "ocop_product", EntityID: strconv.FormatInt(prodID, 10),
					UnitCode: u.Code, UnitDate: u.ValidFrom, New: productAudit(p), Detail: fmt.Sprintf("%s dòng %d", file, r.Row)}); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ocop_certificates WHERE product_id = $1 AND decision = $2`, prodID, r.Decision).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				st.Unchanged++
				continue
			}
			c := ocop.Certificate{ProductID: prodID, UnitCode: u.Code, UnitFrom: u.ValidFrom, Stars: r.Stars, Decision: r.Decision, Date: r.Date,
				Issuer: r.Issuer, Level: r.Level, Imported: true}
			if err := rules.CheckCertificate(&c); err != nil {
				return err
			}
			if err := insertCertificate(ctx, tx, actor, &c); err != nil {
				return err
			}
			st.Certificates++
			if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "import", Entity: "ocop_certificate", EntityID: strconv.FormatInt(c.ID, 10),
				UnitCode: u.Code, UnitDate: u.ValidFrom, New: certificateAudit(c), Detail: fmt.Sprintf("%s dòng %d", file, r.Row)}); err != nil {
				return err
			}
		}
		return nil
	})
	return st, err
}
