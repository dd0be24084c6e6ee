package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Kinds of data with a version counter (data_versions).
const (
	VersionAssessments  = "assessments"  // assessments, their values and kept evaluations
	VersionUnits        = "units"        // administrative units and lineage, their tags included
	VersionUnitTree     = "unit_tree"    // units and lineage without tags: what a scope depends on
	VersionRecognitions = "recognitions" // the recognition registry
	VersionRegisters    = "registers"    // OCOP, funding, works, models, tasks
)

// Touch bumps the version of a kind of data; call it in the transaction that changes it.
func (tx *Tx) Touch(ctx context.Context, kind string) error {
	res, err := tx.ExecContext(ctx, `UPDATE data_versions SET version = version + 1 WHERE name = $1`, kind)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO data_versions (name, version) VALUES ($1, 1)`, kind)
	}
	return err
}

// DataVersion is a stamp of the versions of every kind of data: it changes whenever any of
// them does. Figures cached under one stamp are good while the stamp stays the same.
func (db *DB) DataVersion(ctx context.Context) (string, error) {
	return dataVersion(ctx, db.r)
}

// VersionOf is the stamp of the versions of the named kinds of data only: figures that read
// nothing else stay good while it stays the same, whatever else is written.
func (db *DB) VersionOf(ctx context.Context, kinds ...string) (string, error) {
	all, err := db.DataVersion(ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, part := range strings.SplitAfter(all, ";") {
		if name, _, _ := strings.Cut(part, "="); slices.Contains(kinds, name) {
			b.WriteString(part)
		}
	}
	return b.String(), nil
}

// dataVersion is DataVersion read through q (a transaction: the stamp of what it sees).
func dataVersion(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, version FROM data_versions ORDER BY name`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s=%d;", name, v)
	}
	return b.String(), rows.Err()
}

// writeRegisters is Write for the registers (OCOP, funding, works, models, meetings, tasks):
// a transaction that succeeds bumps VersionRegisters, so the figures cached under the data
// version (rollup) are computed again after any change to a register.
func (db *DB) writeRegisters(ctx context.Context, fn func(tx *Tx) error) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Touch(ctx, VersionRegisters)
	})
}
