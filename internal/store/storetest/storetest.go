// Package storetest runs store-backed tests on every engine: SQLite in a temporary file and
// PostgreSQL in a database of its own, created for the test and dropped after it.
//
// PostgreSQL is found through NTM_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). When it cannot be reached the
// tests fail, because a skipped PostgreSQL test proves nothing; a developer without
// PostgreSQL can set NTM_TEST_POSTGRES=off to skip it knowingly.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/store"
)

// Engines lists the engines the tests run on.
var Engines = []store.Engine{store.SQLite, store.Postgres}

// Each runs fn as a subtest on each engine, with a fresh migrated database. The subtests
// run in parallel (each owns its database; the test function must end with Each, and fn
// must not call t.Parallel).
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh migrated database on engine e, removed when the test ends.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	ctx := context.Background()
	dsn := DSN(t, e)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return db
}

// DSN creates an empty database on engine e for the test and returns its data source name.
func DSN(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "ntm.db")
	}
	admin := os.Getenv("NTM_TEST_POSTGRES")
	if admin == "off" {
		t.Skip("PostgreSQL tests switched off by NTM_TEST_POSTGRES=off")
	}
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer adm.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := adm.PingContext(ctx); err != nil {
		t.Fatalf("PostgreSQL is not reachable at %s (%v); start it, point NTM_TEST_POSTGRES at one, or set NTM_TEST_POSTGRES=off to skip", admin, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "ntm_test_" + hex.EncodeToString(b)
	if _, err := adm.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("postgres: create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Reopen opens a second handle on the database of db (as another server process would),
// closed when the test ends.
func Reopen(t testing.TB, db *store.DB) *store.DB {
	t.Helper()
	other, err := store.Open(context.Background(), db.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}
