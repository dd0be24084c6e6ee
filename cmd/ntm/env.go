package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"

	"github.com/ntm-vn/ntm/internal/store"
)

// env is what every command shares: global flags, the output streams and the database,
// opened on first use so that commands that need no database never create one.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dsn            string
	json           bool
	db             *store.DB
}

func newEnv(stdin io.Reader, stdout, stderr io.Writer) *env {
	dsn := os.Getenv("NTM_DB")
	if dsn == "" {
		dsn = "sqlite:ntm.db"
	}
	return &env{stdin: stdin, stdout: stdout, stderr: stderr, dsn: dsn}
}

func (e *env) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.dsn, "db", e.dsn, "cơ sở dữ liệu: sqlite:ĐƯỜNG_DẪN hoặc postgres://…; hoặc biến NTM_DB (database: sqlite:PATH or postgres://…, env NTM_DB)")
	fs.BoolVar(&e.json, "json", e.json, "in dạng JSON cho máy đọc (print machine-readable JSON)")
}

// store opens the database and applies pending migrations.
func (e *env) store(ctx context.Context) (*store.DB, error) {
	if e.db != nil {
		return e.db, nil
	}
	db, err := store.Open(ctx, e.dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	e.db = db
	return db, nil
}

func (e *env) close() {
	if e.db != nil {
		e.db.Close()
	}
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// exitCode maps errors the user must act on to distinct exit statuses: 1 for a general
// failure, 3 for bad input data, 4 for something not found.
func exitCode(err error) int {
	var nf interface{ NotFound() bool }
	switch {
	case errors.Is(err, store.ErrNotFound), errors.As(err, &nf) && nf.NotFound():
		return 4
	case isInputError(err):
		return 3
	}
	return 1
}

// isInputError reports whether err is about the user's data (a file, a row, a field).
func isInputError(err error) bool {
	var ie interface{ InputError() bool }
	return errors.As(err, &ie) && ie.InputError()
}
