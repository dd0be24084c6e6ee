// Package store is ntm's database: one package of hand-written SQL that runs unchanged on
// SQLite (embedded, the default) and PostgreSQL (production).
//
// The SQL keeps to what both engines accept: $N placeholders (the SQLite driver accepts them
// too), TEXT dates in ISO form, ON CONFLICT upserts and WITH RECURSIVE. Where the engines
// differ in DDL, migrations use a few tokens that Migrate expands per engine.
//
// SQLite has one writer: writes go through a pool of one connection whose transactions
// begin IMMEDIATE, so two writers queue instead of failing half-way; reads use a separate pool.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
)

// ErrNotFound is returned when the thing asked for does not exist (as of the date asked).
var ErrNotFound error = fault.New(fault.NotFound, "error.not_found")

// Engine names the database engine behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open database.
type DB struct {
	engine Engine
	w      *sql.DB // writes (and for PostgreSQL, everything)
	r      *sql.DB // reads
	dsn    string

	scopes scopeCache
	duties *assessment.Duties // separation of duties; nil: the shipped rules (duties.go)
	pasts  dayCache[*pastIndex]
	counts countCache
	days   dayCache[*dayUnits]
}

// Open opens the database named by dsn: "sqlite:PATH" (the file is created on first use),
// a bare path ending in .db, or a "postgres://" / "postgresql://" URL.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasSuffix(dsn, ".db") && !strings.Contains(dsn, "://"):
		return openSQLite(ctx, dsn)
	}
	return nil, fmt.Errorf("database %q: want sqlite:PATH or postgres://…", dsn)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("database: sqlite: empty path")
	}
	params := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	// The path may itself contain "?" (e.g. file::memory:?cache=shared) — keep it simple and
	// treat everything after sqlite: as a file name.
	name := "file:" + (&url.URL{Path: path}).EscapedPath()
	w, err := sql.Open("sqlite", name+"?"+params+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", name+"?"+params+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	return &DB{engine: SQLite, w: w, r: r, dsn: "sqlite:" + path}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	// JIT compilation costs about a second on the first run of a recursive unit query and
	// never pays back on ntm's short queries.
	if !strings.Contains(dsn, "jit=") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + "jit=off"
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", redact(dsn), err)
	}
	return &DB{engine: Postgres, w: db, r: db, dsn: dsn}, nil
}

// redact hides a password in a URL for messages and logs.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// DSN is the data source name the database was opened with (it may hold a password).
func (db *DB) DSN() string { return db.dsn }

// Engine reports which engine the database runs on.
func (db *DB) Engine() Engine { return db.engine }

// String names the database for logs, without a password.
func (db *DB) String() string {
	if db.engine == Postgres {
		return redact(db.dsn)
	}
	return db.dsn
}

// Close closes the database.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		if err2 := db.r.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Tx is a transaction. Its methods are those of *sql.Tx that the store uses.
type Tx struct {
	*sql.Tx
	engine Engine
	db     *DB       // the database it runs on (for its caches)
	conn   *sql.Conn // the connection it runs on, for pgx's COPY (PostgreSQL writes only)
}

// Write runs fn in a read-write transaction and commits it, or rolls it back when fn returns
// an error. When the engine reports a conflict with a concurrent writer (SQLITE_BUSY, or a
// PostgreSQL serialization failure or deadlock) the whole transaction is retried, so fn must
// not have effects outside the transaction.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.retry(ctx, func() error { return db.tx(ctx, db.w, false, fn) })
}

// Read runs fn in a read-only transaction, so that it sees one consistent snapshot.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	return db.retry(ctx, func() error { return db.tx(ctx, db.r, true, fn) })
}

func (db *DB) tx(ctx context.Context, pool *sql.DB, readOnly bool, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: readOnly && db.engine == Postgres}
	var conn *sql.Conn
	if db.engine == Postgres && !readOnly {
		// A write holds its connection, so that COPY (pgx, outside database/sql) runs in
		// the same transaction.
		c, err := pool.Conn(ctx)
		if err != nil {
			return err
		}
		defer c.Close()
		conn = c
	}
	var sqlTx *sql.Tx
	var err error
	if conn != nil {
		sqlTx, err = conn.BeginTx(ctx, opts)
	} else {
		sqlTx, err = pool.BeginTx(ctx, opts)
	}
	if err != nil {
		return err
	}
	tx := &Tx{Tx: sqlTx, engine: db.engine, db: db, conn: conn}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	return sqlTx.Commit()
}

const maxAttempts = 8

func (db *DB) retry(ctx context.Context, op func() error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err = op()
		if err == nil || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		}
	}
	return err
}

// retryable reports whether err is a transient conflict between concurrent writers.
func retryable(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff // primary result code
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}

// now is the time stamp stored for changes: UTC, fixed width so that it sorts as text.
func now() string { return time.Now().UTC().Format(timeLayout) }

const timeLayout = "2006-01-02T15:04:05.000000Z"

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// readOne runs fn in a read transaction and returns what it read.
func readOne[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// querier is a transaction or a pool of connections.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryRows runs query and reads every row with scan (nil when there are none).
func queryRows[T any](ctx context.Context, q querier, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, scan)
}

// queryList is queryRows for a list that is answered as such (see scanList).
func queryList[T any](ctx context.Context, q querier, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	out, err := queryRows(ctx, q, scan, query, args...)
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}

// scanList is scanRows for a list that is answered as such: no rows is an empty list, not nil
// (JSON [] rather than null).
func scanList[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	out, err := scanRows(rows, scan)
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}

// scanRows reads every row with scan and closes rows.
func scanRows[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
