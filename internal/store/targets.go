package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/units"
)

// Target is a plan target of a unit for a year.
type Target struct {
	ID        int64      `json:"id"`
	UnitCode  string     `json:"unit"`
	UnitFrom  units.Date `json:"unit_valid_from"`
	Year      int        `json:"year"`
	Metric    string     `json:"metric"`
	SetID     string     `json:"set,omitempty"`
	Value     float64    `json:"value"`
	Direction string     `json:"direction"` // at_least | at_most
	Baseline  float64    `json:"baseline,omitempty"`
	Note      string     `json:"note,omitempty"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

const targetColumns = `id, unit_code, unit_from, year, metric, set_id, value, direction, baseline, note, created_by, created_at`

func scanTarget(row interface{ Scan(...any) error }) (Target, error) {
	var t Target
	var from, at string
	err := row.Scan(&t.ID, &t.UnitCode, &from, &t.Year, &t.Metric, &t.SetID, &t.Value, &t.Direction, &t.Baseline, &t.Note, &t.CreatedBy, &at)
	t.UnitFrom, t.CreatedAt = units.Date(from), parseTime(at)
	return t, err
}

// PutTarget adds a target or replaces the value of the one with the same unit, year, metric
// and set, and returns it as stored. The unit is the one the code names during the year.
func (db *DB) PutTarget(ctx context.Context, actor string, t Target) (Target, error) {
	err := db.Write(ctx, func(tx *Tx) error {
		start, end := units.Date(fmt.Sprintf("%04d-01-01", t.Year)), units.Date(fmt.Sprintf("%04d-12-31", t.Year))
		u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units
			WHERE code = $1 AND valid_from <= $3 AND valid_to >= $2 ORDER BY valid_from DESC LIMIT 1`, t.UnitCode, string(start), string(end)))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		t.UnitFrom = u.ValidFrom
		if t.Direction == "" {
			t.Direction = "at_least"
		}
		old, err := scanTarget(tx.QueryRowContext(ctx, `SELECT `+targetColumns+` FROM targets
			WHERE unit_code = $1 AND unit_from = $2 AND year = $3 AND metric = $4 AND set_id = $5`,
			t.UnitCode, string(t.UnitFrom), t.Year, t.Metric, t.SetID))
		had := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO targets (unit_code, unit_from, year, metric, set_id, value, direction, baseline, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (unit_code, unit_from, year, metric, set_id) DO UPDATE SET value = excluded.value,
			direction = excluded.direction, baseline = excluded.baseline, note = excluded.note`,
			t.UnitCode, string(t.UnitFrom), t.Year, t.Metric, t.SetID, t.Value, t.Direction, t.Baseline, t.Note, actor, now()); err != nil {
			return err
		}
		t, err = scanTarget(tx.QueryRowContext(ctx, `SELECT `+targetColumns+` FROM targets
			WHERE unit_code = $1 AND unit_from = $2 AND year = $3 AND metric = $4 AND set_id = $5`,
			t.UnitCode, string(t.UnitFrom), t.Year, t.Metric, t.SetID))
		if err != nil {
			return err
		}
		e := AuditEntry{Actor: actor, Action: "create", Entity: "target", EntityID: strconv.FormatInt(t.ID, 10),
			UnitCode: t.UnitCode, UnitDate: max(t.UnitFrom, units.Date(fmt.Sprintf("%04d-01-01", t.Year))), New: t.Value,
			Detail: fmt.Sprintf("%d %s %s", t.Year, t.Metric, t.SetID)}
		if had {
			e.Action, e.Old = "update", old.Value
		}
		return tx.Audit(ctx, e)
	})
	return t, err
}

// Target returns one target.
func (db *DB) Target(ctx context.Context, id int64) (Target, error) {
	t, err := scanTarget(db.r.QueryRowContext(ctx, `SELECT `+targetColumns+` FROM targets WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// DeleteTarget removes a target.
func (db *DB) DeleteTarget(ctx context.Context, actor string, id int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		t, err := scanTarget(tx.QueryRowContext(ctx, `SELECT `+targetColumns+` FROM targets WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM targets WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "delete", Entity: "target", EntityID: strconv.FormatInt(id, 10),
			UnitCode: t.UnitCode, UnitDate: max(t.UnitFrom, units.Date(fmt.Sprintf("%04d-01-01", t.Year))), Old: t.Value,
			Detail: fmt.Sprintf("%d %s %s", t.Year, t.Metric, t.SetID)})
	})
}

// TargetFilter selects targets.
type TargetFilter struct {
	UnitCode string // exactly this unit code (any version)
	Year     int
}

// Targets lists targets by unit, year and metric.
func (db *DB) Targets(ctx context.Context, f TargetFilter) ([]Target, error) {
	var where []string
	var args []any
	if f.UnitCode != "" {
		args = append(args, f.UnitCode)
		where = append(where, fmt.Sprintf("unit_code = $%d", len(args)))
	}
	if f.Year != 0 {
		args = append(args, f.Year)
		where = append(where, fmt.Sprintf("year = $%d", len(args)))
	}
	q := `SELECT ` + targetColumns + ` FROM targets`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.r.QueryContext(ctx, q+` ORDER BY unit_code, year, metric, set_id`, args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, scanTarget)
}
