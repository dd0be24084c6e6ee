package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// env is what every command shares: global flags, the output streams and the database,
// opened on first use so that commands that need no database never create one.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dsn            string
	json           bool
	db             *store.DB
	// The common flags a command declares (command.asOf, command.actor), read before run.
	day   units.Date
	actor string
}

func newEnv(stdin io.Reader, stdout, stderr io.Writer) *env {
	dsn := os.Getenv("NTM_DB")
	if dsn == "" {
		dsn = "sqlite:ntm.db"
	}
	return &env{stdin: stdin, stdout: stdout, stderr: stderr, dsn: dsn}
}

func (e *env) globalFlags(fs *flag.FlagSet) {
	declare(fs, nil, []flagDef{{"db", &e.dsn}, {"json", &e.json}})
}

// commonFlags declares the flags cmd takes besides the global ones: its own (cmd.flags),
// --user into e.actor and --as-of, whose words it returns (read into e.day once the flags
// are parsed).
func (e *env) commonFlags(fs *flag.FlagSet, cmd *command) *string {
	asOf := new(string)
	defs := cmd.flags
	if cmd.asOf {
		defs = append(defs[:len(defs):len(defs)], flagDef{"as-of", asOf})
	}
	if cmd.actor {
		e.actor = "system"
		defs = append(defs[:len(defs):len(defs)], flagDef{"user", &e.actor})
	}
	declare(fs, cmd, defs)
	return asOf
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

// withStore makes the run of a command that works on the database: it opens the database
// (see store) and hands it to run.
func withStore(run func(ctx context.Context, e *env, db *store.DB, args []string) error) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		db, err := e.store(ctx)
		if err != nil {
			return err
		}
		return run(ctx, e, db, args)
	}
}

// rules opens the database and the criteria sets it holds (app.Open), which most commands
// that evaluate or check against a set need together.
func (e *env) rules(ctx context.Context) (*store.DB, *app.Catalog, error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, nil, err
	}
	cat, err := app.Open(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	return db, cat, nil
}

// table is a writer of aligned columns on standard output, its header line written; the
// caller writes the rows and flushes it.
func (e *env) table(header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(e.stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return tw
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

// answer writes v as JSON under --json, and otherwise the sentence format with args: the
// answer of a command that did one thing.
func (e *env) answer(v any, format string, args ...any) error {
	if e.json {
		return e.printJSON(v)
	}
	fmt.Fprintf(e.stdout, format, args...)
	return nil
}

// printRows writes list as JSON under --json (an empty list as []), and otherwise a table
// under header with a line per item that row writes, then the line footer unless empty.
func printRows[T any](e *env, list []T, header, footer string, row func(w io.Writer, x T)) error {
	if e.json {
		return e.printJSON(nonNil(list))
	}
	tw := e.table(header)
	for _, x := range list {
		row(tw, x)
	}
	if err := tw.Flush(); err != nil || footer == "" {
		return err
	}
	_, err := fmt.Fprintln(e.stdout, footer)
	return err
}

// storeFor opens the database and checks that unit, when given, exists on e.day.
func (e *env) storeFor(ctx context.Context, unit string) (*store.DB, error) {
	db, err := e.store(ctx)
	if err != nil {
		return nil, err
	}
	if unit != "" {
		if _, err := db.Unit(ctx, unit, e.day); err != nil {
			return nil, fmt.Errorf("đơn vị %s ngày %s (unit %s on %s): %w", unit, e.day, unit, e.day, err)
		}
	}
	return db, nil
}

// exitStatus is the exit status of each fault code: the one table from an error to the
// command line's answer. 1 is a general failure (and every error that is not a fault); 2, a
// command used wrongly, is main's; 3 is data the user must fix (a file, a row, a field, a rule
// it breaks); 4 is something not found.
var exitStatus = map[fault.Code]int{
	fault.Invalid:      3,
	fault.InvalidValue: 3,
	fault.InvalidFile:  3,
	fault.InvalidSet:   3,
	fault.Rule:         3,
	fault.TooLarge:     3,
	fault.NotFound:     4,
}

// refusedFile prints the rows at fault of file, when err is the fault of a refused import:
// one per line, "file: problem", on stderr, then returns err, whose short message (as the API
// answers it) main prints last. The lists of resources answer --json with the file and its
// problems on stdout instead, as they did before.
func (e *env) refusedFile(file string, err error) error {
	f, ok := fault.As(err)
	if !ok || f.Code != fault.InvalidFile || f.Problems == nil {
		return err
	}
	var lines []string
	switch ps := f.Problems.(type) {
	case []recognition.RowProblem:
		for _, p := range ps {
			lines = append(lines, p.String())
		}
	case []ocop.Problem:
		for _, p := range ps {
			lines = append(lines, p.String())
		}
	case []resources.Problem:
		if e.json {
			if jerr := e.printJSON(map[string]any{"file": file, "problems": ps}); jerr != nil {
				return jerr
			}
			return err
		}
		for _, p := range ps {
			lines = append(lines, p.Text(i18n.VI))
		}
	}
	for _, l := range lines {
		fmt.Fprintf(e.stderr, "%s: %s\n", file, l)
	}
	if f.Truncated {
		fmt.Fprintf(e.stderr, "… (dừng ở %d lỗi / stopped at %d problems)\n", len(lines), len(lines))
	}
	return err
}

// exitCode is the exit status of err (see exitStatus).
func exitCode(err error) int {
	if code, ok := exitStatus[fault.CodeOf(err)]; ok {
		return code
	}
	return 1
}
