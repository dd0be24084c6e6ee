package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/store"
)

// ntm values import: the administrator's bulk import of values (SPEC §6 "Values CSV"). It
// runs as "system" with every unit in scope, or as a user of the database (--user) whose
// role and home unit then decide which rows it may write.

func init() {
	register(func() *command {
		var dryRun bool
		var username string
		status := "draft"
		return &command{
			name:   "values import",
			usage:  "FILE.csv|FILE.xlsx [--dry-run] [--user USERNAME] [--status draft|submitted|verified|approved]",
			flags:  []flagDef{{"dry-run", &dryRun}, {"user", &username}, {"status", &status}},
			oneArg: &usageError{"cho một tệp số liệu (give one values file)"},
			run: func(ctx context.Context, e *env, args []string) error {
				switch st := assessment.Status(status); st {
				case assessment.Draft, assessment.Submitted, assessment.Verified, assessment.Approved:
				default:
					return usageError{"--status: " + store.StatusFault(status).Error()}
				}
				return importValues(ctx, e, args[0], username, assessment.Status(status), dryRun)
			},
		}
	})
}

// rejectedFile is the fault of a file whose n problems were printed: nothing was imported
// (exit 3).
func rejectedFile(file string, n int) error {
	return fault.Newf(fault.InvalidFile, "%s: %s lỗi, không nhập số liệu nào (%d problem(s), nothing imported)", file, numfmt.Int(n, "vi"), n)
}

func importValues(ctx context.Context, e *env, path, username string, status assessment.Status, dryRun bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	db, cat, err := e.rules(ctx)
	if err != nil {
		return err
	}
	actor := "system"
	var user *auth.User
	if username != "" {
		u, err := db.UserByUsername(ctx, username)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("không có người dùng %q (no user %q): %w", username, username, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		user, actor = &u, u.Username
	}
	bar := newProgressBar(e.stderr)
	// The file is read as a stream, in batches: memory holds what it found, not the file.
	res, err := cat.ImportFrom(ctx, actor, imports.Open(path, f), store.ImportOptions{Filename: path, DryRun: dryRun, User: user, Status: status}, bar.update)
	bar.finish()
	if rep, ok := imports.Rejected(err); ok {
		return e.printImportReport(rep)
	}
	if err != nil {
		return err
	}
	return e.printImportReport(&res)
}

// printImportReport prints what an import did, or its problems (then exit 3).
func (e *env) printImportReport(r *imports.Report) error {
	if e.json {
		if r.Problems == nil {
			r.Problems = []imports.Problem{}
		}
		if err := e.printJSON(r); err != nil {
			return err
		}
	}
	if r.Failed() {
		if !e.json {
			for _, p := range r.Problems {
				fmt.Fprintln(e.stderr, p.String())
			}
			if r.MoreProblems > 0 {
				fmt.Fprintln(e.stderr, i18n.Both("values.cli.more_problems", r.MoreProblems))
			}
		}
		return rejectedFile(r.File, len(r.Problems)+r.MoreProblems)
	}
	if e.json {
		return nil
	}
	key := "values.cli.imported"
	if r.DryRun {
		key = "values.cli.dry_run"
	}
	args := []any{r.File, r.Values, r.Assessments, r.Created, r.Updated, r.Added, r.Changed, r.Unchanged}
	fmt.Fprintf(e.stdout, "%s\n(%s)\n", i18n.T(i18n.VI, key, args...), i18n.T(i18n.EN, key, args...))
	return nil
}

// progressBar draws the progress of a long import on a terminal; elsewhere it draws nothing.
type progressBar struct {
	w     io.Writer
	tty   bool
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer) *progressBar {
	b := &progressBar{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.tty = true
		}
	}
	return b
}

// update takes the import's steps: each row is checked (the first half), then written.
func (b *progressBar) update(done, total int) {
	if !b.tty || total == 0 || time.Since(b.last) < 100*time.Millisecond && done < total {
		return
	}
	b.last = time.Now()
	const width = 30
	frac := float64(done) / float64(total)
	fill := int(frac * width)
	phase := i18n.Both("values.cli.checking")
	if done > total/2 {
		phase = i18n.Both("values.cli.writing")
	}
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %s ", strings.Repeat("#", fill), strings.Repeat(".", width-fill), frac*100, phase)
	b.drawn = true
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 60))
	}
}
