package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// CriteriaSetSource is a criteria set that an office imported (a provincial version or a
// completed annex), kept as its YAML text; the shipped sets live in the binary.
type CriteriaSetSource struct {
	ID         string
	Filename   string
	Source     []byte
	ImportedAt time.Time
}

// CriteriaSetSources returns the imported criteria sets, by id.
func (db *DB) CriteriaSetSources(ctx context.Context) ([]CriteriaSetSource, error) {
	return queryRows(ctx, db.r, func(row interface{ Scan(...any) error }) (CriteriaSetSource, error) {
		var s CriteriaSetSource
		var src, at string
		err := row.Scan(&s.ID, &s.Filename, &src, &at)
		s.Source, s.ImportedAt = []byte(src), parseTime(at)
		return s, err
	}, `SELECT id, filename, source, imported_at FROM criteria_sets ORDER BY id`)
}

// PutCriteriaSetSource adds an imported criteria set or replaces the one with the same id,
// and audits it: action is "import" or "verify", detail says what changed.
func (db *DB) PutCriteriaSetSource(ctx context.Context, s CriteriaSetSource, actor, action, detail string) error {
	return db.Write(ctx, func(tx *Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT filename FROM criteria_sets WHERE id = $1`, s.ID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO criteria_sets (id, filename, source, imported_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET filename = excluded.filename, source = excluded.source, imported_at = excluded.imported_at`,
			s.ID, s.Filename, string(s.Source), now()); err != nil {
			return err
		}
		e := AuditEntry{Actor: actor, Action: action, Entity: "criteria_set", EntityID: s.ID, New: s.Filename, Detail: detail}
		if old != "" {
			e.Old = old
		}
		return tx.Audit(ctx, e)
	})
}
