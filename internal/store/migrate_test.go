package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestMigrate_SQLiteOnly: migration 023 (a .sqlite.sql file) makes the values a WITHOUT ROWID
// table on SQLite and is recorded, not run, on PostgreSQL, so both count the same migrations.
func TestMigrate_SQLiteOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.Read(ctx, func(tx *store.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = 23`).Scan(&n); err != nil {
				return err
			}
			if n != 1 {
				t.Errorf("migration 23 recorded %d times, want 1", n)
			}
			if db.Engine() != store.SQLite {
				return nil
			}
			var ddl string
			if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'assessment_values'`).Scan(&ddl); err != nil {
				return err
			}
			if !strings.Contains(ddl, "WITHOUT ROWID") {
				t.Errorf("assessment_values on SQLite:\n%s\nwant a WITHOUT ROWID table", ddl)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
