package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/units"
)

// OCOP councils (issue 16): a council of a unit for a period, with its members.

func getCouncil(ctx context.Context, tx *Tx, id int64) (ocop.Council, error) {
	var c ocop.Council
	var from, to, at string
	err := tx.QueryRowContext(ctx, `SELECT id, unit_code, name, decision, valid_from, valid_to, created_by, created_at
		FROM ocop_councils WHERE id = $1`, id).Scan(&c.ID, &c.UnitCode, &c.Name, &c.Decision, &from, &to, &c.CreatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	c.From, c.To, c.CreatedAt = units.Date(from), units.Date(to), parseTime(at)
	rows, err := tx.QueryContext(ctx, `SELECT username, name FROM ocop_council_members WHERE council_id = $1 ORDER BY username`, id)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	c.Members = []ocop.CouncilMember{}
	for rows.Next() {
		var m ocop.CouncilMember
		if err := rows.Scan(&m.Username, &m.Name); err != nil {
			return c, err
		}
		c.Members = append(c.Members, m)
	}
	return c, rows.Err()
}

// OCOPCouncil returns a council with its members.
func (db *DB) OCOPCouncil(ctx context.Context, id int64) (ocop.Council, error) {
	return readOne(ctx, db, func(tx *Tx) (ocop.Council, error) { return getCouncil(ctx, tx, id) })
}

// OCOPCouncils lists the councils, those in force on day when it is set, oldest first.
func (db *DB) OCOPCouncils(ctx context.Context, day units.Date) ([]ocop.Council, error) {
	out := []ocop.Council{}
	err := db.Read(ctx, func(tx *Tx) error {
		q := `SELECT id FROM ocop_councils`
		var args []any
		if day != "" {
			q += ` WHERE valid_from <= $1 AND (valid_to = '' OR valid_to >= $1)`
			args = append(args, string(day))
		}
		ids, err := queryStrings(ctx, tx, `SELECT CAST(id AS TEXT) FROM (`+q+`) x ORDER BY id`, args...)
		if err != nil {
			return err
		}
		for _, s := range ids {
			id, _ := strconv.ParseInt(s, 10, 64)
			c, err := getCouncil(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// councilMembers checks that each member is a user with the ocop-council role whose home
// unit holds the council's unit, and fills in their names.
func councilMembers(ctx context.Context, tx *Tx, c *ocop.Council) error {
	for i, m := range c.Members {
		name := strings.TrimSpace(strings.ToLower(m.Username))
		var role, unit, full string
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT role, unit_code, name, disabled FROM users WHERE username = $1`, name).Scan(&role, &unit, &full, &disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return ocop.FieldFault("members", fmt.Sprintf("không có người dùng %s", name), fmt.Sprintf("no user %s", name))
		}
		if err != nil {
			return err
		}
		if auth.Role(role) != auth.RoleOCOPCouncil || disabled {
			return ocop.FieldFault("members", fmt.Sprintf("%s không phải người dùng vai trò hội đồng OCOP (ocop-council) đang hoạt động", name),
				fmt.Sprintf("%s is not an active user with the ocop-council role", name))
		}
		in, err := inScopeTx(ctx, tx, unit, c.UnitCode, c.From)
		if err != nil {
			return err
		}
		if !in {
			return ocop.FieldFault("members", fmt.Sprintf("đơn vị của %s (%s) không bao gồm đơn vị của hội đồng %s", name, unit, c.UnitCode),
				fmt.Sprintf("the home unit of %s (%s) does not hold the council's unit %s", name, unit, c.UnitCode))
		}
		c.Members[i] = ocop.CouncilMember{Username: name, Name: full}
	}
	return nil
}

func councilAudit(c ocop.Council) map[string]any {
	names := make([]string, len(c.Members))
	for i, m := range c.Members {
		names[i] = m.Username
	}
	return map[string]any{"unit": c.UnitCode, "name": c.Name, "decision": c.Decision, "from": c.From, "to": c.To, "members": names}
}

// CreateOCOPCouncil stores a council and its members (checked: users of the ocop-council role
// whose home unit holds the council's unit, which must exist on its first day).
func (db *DB) CreateOCOPCouncil(ctx context.Context, actor string, c ocop.Council) (ocop.Council, error) {
	if err := c.Check(); err != nil {
		return c, err
	}
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := ocopUnitOn(ctx, tx, c.UnitCode, c.From); err != nil {
			return err
		}
		if err := councilMembers(ctx, tx, &c); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO ocop_councils (unit_code, name, decision, valid_from, valid_to, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.UnitCode, c.Name, c.Decision, string(c.From), string(c.To), actor, now()).Scan(&c.ID); err != nil {
			return err
		}
		if err := putMembers(ctx, tx, c); err != nil {
			return err
		}
		var err error
		if c, err = getCouncil(ctx, tx, c.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "ocop_council", EntityID: strconv.FormatInt(c.ID, 10),
			UnitCode: c.UnitCode, UnitDate: c.From, New: councilAudit(c)})
	})
	return c, err
}

func putMembers(ctx context.Context, tx *Tx, c ocop.Council) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM ocop_council_members WHERE council_id = $1`, c.ID); err != nil {
		return err
	}
	for _, m := range c.Members {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ocop_council_members (council_id, username, name) VALUES ($1, $2, $3)`, c.ID, m.Username, m.Name); err != nil {
			return err
		}
	}
	return nil
}

// SetOCOPCouncilMembers replaces a council's members (checked as CreateOCOPCouncil does).
func (db *DB) SetOCOPCouncilMembers(ctx context.Context, actor string, id int64, usernames []string) (ocop.Council, error) {
	var c ocop.Council
	err := db.Write(ctx, func(tx *Tx) error {
		old, err := getCouncil(ctx, tx, id)
		if err != nil {
			return err
		}
		c = old
		c.Members = nil
		for _, u := range usernames {
			c.Members = append(c.Members, ocop.CouncilMember{Username: u})
		}
		if err := c.Check(); err != nil {
			return err
		}
		if err := councilMembers(ctx, tx, &c); err != nil {
			return err
		}
		if err := putMembers(ctx, tx, c); err != nil {
			return err
		}
		if c, err = getCouncil(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "members", Entity: "ocop_council", EntityID: strconv.FormatInt(id, 10),
			UnitCode: c.UnitCode, UnitDate: c.From, Old: councilAudit(old), New: councilAudit(c)})
	})
	return c, err
}

// inScopeTx is InScope inside a transaction (one that has not changed the units); an empty
// home is the whole country.
func inScopeTx(ctx context.Context, tx *Tx, home, code string, asOf units.Date) (bool, error) {
	if home == "" {
		return true, nil
	}
	spans, err := tx.spansOf(ctx, home)
	if err != nil {
		return false, err
	}
	return covers(spans[code], code, asOf), nil
}

// councilHolds checks that council c may evaluate product p on day: it sits that day and its
// unit holds the product's.
func councilHolds(ctx context.Context, tx *Tx, c ocop.Council, p ocop.Product, day units.Date) error {
	if !c.InForce(day) {
		return ocop.FieldFault("council_id", fmt.Sprintf("hội đồng %s không làm việc vào ngày %s", c.Name, day), fmt.Sprintf("council %s does not sit on %s", c.Name, day))
	}
	in, err := inScopeTx(ctx, tx, c.UnitCode, p.UnitCode, p.UnitFrom)
	if err != nil {
		return err
	}
	if !in {
		return ocop.FieldFault("council_id", fmt.Sprintf("hội đồng %s (đơn vị %s) không đánh giá sản phẩm của đơn vị %s", c.Name, c.UnitCode, p.UnitCode),
			fmt.Sprintf("council %s (unit %s) does not evaluate products of unit %s", c.Name, c.UnitCode, p.UnitCode))
	}
	return nil
}

// OCOPCouncilFor returns the council that evaluates products of a unit on day: the one in
// force whose unit holds it, the nearest (the deepest unit) first; ErrNotFound when none.
func (db *DB) OCOPCouncilFor(ctx context.Context, p ocop.Product, day units.Date) (ocop.Council, error) {
	cs, err := db.OCOPCouncils(ctx, day)
	if err != nil {
		return ocop.Council{}, err
	}
	var best ocop.Council
	err = db.Read(ctx, func(tx *Tx) error {
		for _, c := range cs {
			if councilHolds(ctx, tx, c, p, day) != nil {
				continue
			}
			if best.ID == 0 || len(c.UnitCode) > len(best.UnitCode) {
				best = c
			}
		}
		return nil
	})
	if err == nil && best.ID == 0 {
		err = ErrNotFound
	}
	return best, err
}

// OpenOCOPEvaluationsOf lists the open evaluations held by the councils username sits on,
// oldest first, with their products' names and without scoresheets: the landing page of a
// council member (issue 15.4).
func (db *DB) OpenOCOPEvaluationsOf(ctx context.Context, username string) ([]ocop.Evaluation, error) {
	out := []ocop.Evaluation{}
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT e.id, p.name FROM ocop_evaluations e
			JOIN ocop_council_members m ON m.council_id = e.council_id
			JOIN ocop_products p ON p.id = e.product_id
			WHERE m.username = $1 AND e.status = $2 ORDER BY e.eval_date, e.id`, username, string(ocop.EvalOpen))
		if err != nil {
			return err
		}
		defer rows.Close()
		type idName struct {
			id   int64
			name string
		}
		var found []idName
		for rows.Next() {
			var f idName
			if err := rows.Scan(&f.id, &f.name); err != nil {
				return err
			}
			found = append(found, f)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for _, f := range found {
			e, err := scanEvaluation(tx.QueryRowContext(ctx, `SELECT `+evaluationColumns+` FROM ocop_evaluations WHERE id = $1`, f.id))
			if err != nil {
				return err
			}
			e.Product = f.name
			out = append(out, e)
		}
		return nil
	})
	return out, err
}
