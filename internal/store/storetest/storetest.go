// Package storetest runs store-backed tests on every engine: SQLite in a temporary file and
// PostgreSQL in a database of its own, created for the test and dropped after it.
//
// PostgreSQL is found through NTM_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). When it cannot be reached the
// tests fail, because a skipped PostgreSQL test proves nothing; a developer without
// PostgreSQL can set NTM_TEST_POSTGRES=off to skip it knowingly.
//
// Building a database (the migrations, and for many tests the 14 000 shipped units and their
// lineage) costs far more than copying one. In a package whose TestMain runs Main, each
// database state (a Seed) is built once per engine — a PostgreSQL template database, an
// SQLite file — and every test gets a copy of it (CREATE DATABASE … TEMPLATE, a file copy).
// Without Main each test builds its database itself, as slowly as before.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Engines lists the engines the tests run on.
var Engines = []store.Engine{store.SQLite, store.Postgres}

// A Seed is a database state that tests start from: migrated, then filled by fill (nil:
// left empty). Declare it as a package variable; under Main it is built once per engine.
type Seed struct {
	name  string
	fill  func(ctx context.Context, db *store.DB) error
	built map[store.Engine]func() (string, error) // the template's DSN, built on first use
}

// NewSeed returns a seed named for messages; fill runs on a freshly migrated database.
func NewSeed(name string, fill func(ctx context.Context, db *store.DB) error) *Seed {
	s := &Seed{name: name, fill: fill, built: map[store.Engine]func() (string, error){}}
	for _, e := range Engines {
		s.built[e] = sync.OnceValues(func() (string, error) { return s.template(e) })
	}
	return s
}

// Migrated is the empty, migrated database that Open and Each give.
var Migrated = NewSeed("migrated", nil)

// Units is a migrated database with the shipped units and lineage (units.Shipped).
var Units = NewSeed("units", func(ctx context.Context, db *store.DB) error {
	us, ls, err := units.Shipped()
	if err != nil {
		return err
	}
	_, err = db.ImportUnits(ctx, us, ls)
	return err
})

// Each runs fn as a subtest on each engine, with a fresh migrated database. The subtests
// run in parallel (each owns its database; the test function must end with Each, and fn
// must not call t.Parallel).
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) { Migrated.Each(t, fn) }

// Open returns a fresh migrated database on engine e, removed when the test ends.
func Open(t testing.TB, e store.Engine) *store.DB { return Migrated.Open(t, e) }

// Each runs fn as a subtest on each engine with a fresh copy of the seed, as Each does.
func (s *Seed) Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, s.Open(t, e))
		})
	}
}

// Open returns a fresh copy of the seed on engine e, removed when the test ends.
func (s *Seed) Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	ctx := context.Background()
	if run.dir == "" {
		db := open(t, DSN(t, e))
		if err := s.make(ctx, db); err != nil {
			t.Fatalf("%s database on %s: %v", s.name, e, err)
		}
		return db
	}
	if e == store.Postgres {
		skipIfOff(t)
	}
	tpl, err := s.built[e]()
	if err != nil {
		t.Fatalf("%s database on %s: %v", s.name, e, err)
	}
	if e == store.SQLite {
		path := filepath.Join(t.TempDir(), "ntm.db")
		if err := copySQLite(tpl, path); err != nil {
			t.Fatalf("%s database on %s: %v", s.name, e, err)
		}
		return open(t, "sqlite:"+path)
	}
	return open(t, createPostgres(t, tpl))
}

// make migrates db and fills it.
func (s *Seed) make(ctx context.Context, db *store.DB) error {
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if s.fill == nil {
		return nil
	}
	return s.fill(ctx, db)
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// run is the state of Main: the folder of the SQLite templates ("" outside Main) and the
// PostgreSQL templates to drop at the end.
var run struct {
	dir string
	mu  sync.Mutex
	pg  []string
}

// Main runs the tests of a package (call it from TestMain: os.Exit(storetest.Main(m))),
// building each seed once per engine, and removes the templates when they end.
func Main(m *testing.M) int {
	dir, err := os.MkdirTemp("", "ntm-storetest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		return 1
	}
	run.dir = dir
	code := m.Run()
	run.mu.Lock()
	defer run.mu.Unlock()
	for _, name := range run.pg {
		dropPostgres(name)
	}
	os.RemoveAll(dir)
	return code
}

// template builds the seed on engine e once and returns the DSN of the result.
func (s *Seed) template(e store.Engine) (string, error) {
	ctx := context.Background()
	var dsn, name string
	if e == store.SQLite {
		dsn = "sqlite:" + filepath.Join(run.dir, "template-"+s.name+".db")
	} else {
		var err error
		if name, dsn, err = newPostgres(ctx, "ntm_tpl_"); err != nil {
			return "", err
		}
		run.mu.Lock()
		run.pg = append(run.pg, name)
		run.mu.Unlock()
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	err = s.make(ctx, db)
	// Closed before copying: SQLite folds its log into the file, and PostgreSQL copies
	// only a database that nobody is connected to.
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if e == store.SQLite {
		return filepath.Join(run.dir, "template-"+s.name+".db"), nil
	}
	return name, idle(ctx, name)
}

// copySQLite copies the database file from (and its write-ahead log, if one was left) to to.
func copySQLite(from, to string) error {
	for _, suffix := range []string{"", "-wal"} {
		err := copyFile(from+suffix, to+suffix)
		if suffix != "" && errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// adminURL is the PostgreSQL server's URL for creating databases.
func adminURL() string {
	if a := os.Getenv("NTM_TEST_POSTGRES"); a != "" {
		return a
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// admin is one pool of connections to the server's maintenance database, shared by the
// tests of the process.
var admin = sync.OnceValues(func() (*sql.DB, error) {
	adm, err := sql.Open("pgx", adminURL())
	if err != nil {
		return nil, err
	}
	adm.SetMaxIdleConns(4)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := adm.PingContext(ctx); err != nil {
		adm.Close()
		return nil, fmt.Errorf("PostgreSQL is not reachable at %s (%v); start it, point NTM_TEST_POSTGRES at one, or set NTM_TEST_POSTGRES=off to skip", adminURL(), err)
	}
	return adm, nil
})

func skipIfOff(t testing.TB) {
	t.Helper()
	if os.Getenv("NTM_TEST_POSTGRES") == "off" {
		t.Skip("PostgreSQL tests switched off by NTM_TEST_POSTGRES=off")
	}
}

// newPostgres creates a database named prefix and random letters, copied from template
// ("" for the server's default), and returns its name and data source name.
func newPostgres(ctx context.Context, prefix string, template ...string) (name, dsn string, err error) {
	adm, err := admin()
	if err != nil {
		return "", "", err
	}
	b := make([]byte, 6)
	rand.Read(b)
	name = prefix + hex.EncodeToString(b)
	stmt := "CREATE DATABASE " + name
	if len(template) > 0 {
		stmt += " TEMPLATE " + template[0]
	}
	if _, err := adm.ExecContext(ctx, stmt); err != nil {
		return "", "", fmt.Errorf("postgres: create database: %w", err)
	}
	u, err := url.Parse(adminURL())
	if err != nil {
		return "", "", fmt.Errorf("postgres: %w", err)
	}
	u.Path = "/" + name
	return name, u.String(), nil
}

// idle waits until the server has ended the sessions of the closed template (a backend
// exits a moment after its client hangs up), so that copying it does not fail.
func idle(ctx context.Context, name string) error {
	adm, err := admin()
	if err != nil {
		return err
	}
	for range 200 {
		var n int
		if err := adm.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1`, name).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("postgres: template %s still has sessions", name)
}

// createPostgres creates the test's database as a copy of template and returns its DSN.
func createPostgres(t testing.TB, template string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name, dsn, err := newPostgres(ctx, "ntm_test_", template)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55006" { // object in use: a session still closing
		if err = idle(ctx, template); err == nil {
			name, dsn, err = newPostgres(ctx, "ntm_test_", template)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropPostgres(name) })
	return dsn
}

func dropPostgres(name string) {
	if adm, err := admin(); err == nil {
		adm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	}
}

// DSN creates an empty database on engine e for the test and returns its data source name.
func DSN(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "ntm.db")
	}
	skipIfOff(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name, dsn, err := newPostgres(ctx, "ntm_test_")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropPostgres(name) })
	return dsn
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
