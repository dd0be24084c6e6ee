package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/units"
)

// register is the one binding of a register's table (funding, works, models, meetings,
// tasks): read one row, list rows below a unit as of a day, save (create or update) and
// delete, each write audited. A register is this struct filled in: its table, its SQL, how a
// row is scanned and completed, and what the audit log keeps of it.
type register[R any] struct {
	entity string // the audit log's entity
	table  string
	id     string // the id column as query names it ("f.id")
	query  string // SELECT columns FROM the table and its joins, without WHERE
	// cols are the columns a save writes, in the order of its arguments (the stamps are added).
	cols []string
	// key is the natural key: the columns (of cols) that one row at most holds the values of.
	key  []string
	scan func(row interface{ Scan(...any) error }) (R, error)
	// fill completes rows read with what other tables hold and the computed fields (nil: none).
	fill func(ctx context.Context, tx *Tx, rs []R) error
	// about is the row's id, its unit and the day that names the unit (audit, placing).
	about func(r *R) (id int64, code string, day units.Date)
	// place gives the unit version a list places the row by, and where to set its placement.
	place func(r *R) (code string, from units.Date, pl *resources.Placement)
	// audited is what the audit log keeps of a row; detail a note in words (nil: none).
	audited func(r R) any
	detail  func(r R) string
}

// get reads one row by id (ErrNotFound when there is none).
func (g *register[R]) get(ctx context.Context, tx *Tx, id int64) (R, error) {
	r, err := g.scan(tx.QueryRowContext(ctx, g.query+` WHERE `+g.id+` = $1`, id))
	if err != nil {
		return r, notFound(err)
	}
	if g.fill == nil {
		return r, nil
	}
	rs := []R{r}
	err = g.fill(ctx, tx, rs)
	return rs[0], err
}

// read reads one row by id in its own transaction.
func (g *register[R]) read(ctx context.Context, db *DB, id int64) (R, error) {
	return readOne(ctx, db, func(tx *Tx) (R, error) { return g.get(ctx, tx, id) })
}

// filter is the WHERE of a list: conditions and their arguments.
type filter struct {
	conds []string
	args  []any
}

// add appends a condition when ok; format has the argument's place as %[1]d ($n).
func (f *filter) add(ok bool, format string, v any) {
	if !ok {
		return
	}
	f.args = append(f.args, v)
	f.conds = append(f.conds, fmt.Sprintf(format, len(f.args)))
}

// within adds the condition that the row's unit version (the columns code and from) lies
// below root ("" none) at any time, following parent links within each version's validity,
// and returns the WITH prefix the condition needs.
func (f *filter) within(root, code, from string) string {
	if root == "" {
		return ""
	}
	f.args = append(f.args, root)
	f.conds = append(f.conds, "EXISTS (SELECT 1 FROM sub WHERE sub.code = "+code+" AND sub.valid_from = "+from+")")
	return fmt.Sprintf(`WITH RECURSIVE sub(code, valid_from, valid_to) AS (
			SELECT code, valid_from, valid_to FROM units WHERE code = $%d
			UNION SELECT u.code, u.valid_from, u.valid_to FROM units u JOIN sub
			ON u.parent_code = sub.code AND u.valid_from <= sub.valid_to AND u.valid_to >= sub.valid_from) `, len(f.args))
}

func (f *filter) sql() string {
	if len(f.conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(f.conds, " AND ")
}

// list reads the rows that f selects, in order, keeps those that count below the scope's
// root on its day (each with its placement) and completes them.
func (g *register[R]) list(ctx context.Context, db *DB, sc AsOfScope, f filter, order string) ([]R, error) {
	var out []R
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, g.query+f.sql()+` ORDER BY `+order, f.args...)
		if err != nil {
			return err
		}
		rs, err := scanRows(rows, g.scan)
		if err != nil {
			return err
		}
		if rs, err = placeAll(ctx, tx, sc, rs, g.place); err != nil {
			return err
		}
		if g.fill != nil {
			if err := g.fill(ctx, tx, rs); err != nil {
				return err
			}
		}
		out = rs
		return nil
	})
	return out, err
}

// claim finds the row that has the register's natural key (cond, with args): saving row id
// under a key another row holds is an Exists fault carrying its id, unless upsert allows a new row (id 0)
// to update that one. It returns the id to save under (0: a new row).
func (g *register[R]) claim(ctx context.Context, tx *Tx, id int64, upsert bool, cond string, args ...any) (int64, error) {
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM `+g.table+` WHERE `+cond, args...).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return id, nil
	case err != nil:
		return 0, err
	case other != id && (id != 0 || !upsert):
		return 0, exists("mục", "entry", other)
	}
	return other, nil
}

// putInYear saves row id (0: a new row) of a year about the version of unit code that
// exists in it (unitInYear); vals gives the values of cols on that version. Saving under the
// natural key another row holds is refused, unless upsert lets a new row update that one
// (claim).
func (g *register[R]) putInYear(ctx context.Context, tx *Tx, actor string, id int64, upsert bool, code string, year int,
	vals func(u units.Unit) []any, after func(id int64) error) (R, bool, error) {
	var zero R
	u, err := unitInYear(ctx, tx, code, year)
	if err != nil {
		return zero, false, err
	}
	v := vals(u)
	conds := make([]string, len(g.key))
	args := make([]any, len(g.key))
	for i, k := range g.key {
		conds[i], args[i] = fmt.Sprintf("%s = $%d", k, i+1), v[slices.Index(g.cols, k)]
	}
	if id, err = g.claim(ctx, tx, id, upsert, strings.Join(conds, " AND "), args...); err != nil {
		return zero, false, err
	}
	return g.save(ctx, tx, actor, id, v, after)
}

// save writes vals into cols of row id, or of a new row (id 0), then runs after (the rows
// of other tables the row owns; nil: none), and audits the change. It returns the row as
// stored and whether it was an update.
func (g *register[R]) save(ctx context.Context, tx *Tx, actor string, id int64, vals []any, after func(id int64) error) (R, bool, error) {
	var zero R
	var old *R
	t := now()
	n := len(g.cols)
	args := append(append([]any{}, vals...), actor, t)
	if id != 0 {
		o, err := g.get(ctx, tx, id)
		if err != nil {
			return zero, false, err
		}
		old = &o
		set := make([]string, n)
		for i, c := range g.cols {
			set[i] = fmt.Sprintf("%s = $%d", c, i+1)
		}
		q := fmt.Sprintf(`UPDATE %s SET %s, updated_by = $%d, updated_at = $%d WHERE id = $%d`, g.table, strings.Join(set, ", "), n+1, n+2, n+3)
		if _, err := tx.ExecContext(ctx, q, append(args, id)...); err != nil {
			return zero, false, err
		}
	} else {
		ph := make([]string, n)
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		q := fmt.Sprintf(`INSERT INTO %s (%s, created_by, created_at, updated_by, updated_at) VALUES (%s, $%d, $%d, $%d, $%d) RETURNING id`,
			g.table, strings.Join(g.cols, ", "), strings.Join(ph, ", "), n+1, n+2, n+1, n+2)
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
			return zero, false, err
		}
	}
	if after != nil {
		if err := after(id); err != nil {
			return zero, false, err
		}
	}
	out, err := g.get(ctx, tx, id)
	if err != nil {
		return zero, false, err
	}
	_, code, day := g.about(&out)
	e := AuditEntry{Actor: actor, Action: "create", Entity: g.entity, EntityID: strconv.FormatInt(id, 10), UnitCode: code,
		UnitDate: day, New: g.audited(out)}
	if g.detail != nil {
		e.Detail = g.detail(out)
	}
	if old != nil {
		e.Action, e.Old = "update", g.audited(*old)
	}
	return out, old != nil, tx.Audit(ctx, e)
}

// write is save in its own transaction.
func (g *register[R]) write(ctx context.Context, db *DB, save func(tx *Tx) (R, bool, error)) (R, error) {
	var out R
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		var err error
		out, _, err = save(tx)
		return err
	})
	return out, err
}

// remove deletes row id, once guard (nil: none) allows it, and audits it.
func (g *register[R]) remove(ctx context.Context, db *DB, actor string, id int64, guard func(R) error) error {
	return db.writeRegisters(ctx, func(tx *Tx) error {
		r, err := g.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if guard != nil {
			if err := guard(r); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+g.table+` WHERE id = $1`, id); err != nil {
			return err
		}
		_, code, day := g.about(&r)
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "delete", Entity: g.entity, EntityID: strconv.FormatInt(id, 10),
			UnitCode: code, UnitDate: day, Old: g.audited(r)})
	})
}
