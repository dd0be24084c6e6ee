package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/store"
)

// ntm values import: the administrator's bulk import of values (SPEC §6 "Values CSV"). It
// runs as "system" with every unit in scope, or as a user of the database (--user) whose
// role and home unit then decide which rows it may write.

func init() {
	var dryRun bool
	var username, status string
	register(&command{
		name:  "values import",
		usage: "FILE.csv|FILE.xlsx [--dry-run] [--user USERNAME] [--status draft|submitted|verified|approved]",
		summary: "import values (CSV unit,set,period,code,value[,note]; XLSX long or wide) all or nothing; " +
			"bad rows are listed with line and column (exit 3)",
		setup: func(fs *flag.FlagSet, e *env) {
			fs.BoolVar(&dryRun, "dry-run", false, "check everything and report what would change, without writing")
			fs.StringVar(&username, "user", "", "import as this user of the database, within their scope (default: system, every unit)")
			fs.StringVar(&status, "status", "draft", "status of the imported assessments: draft, or submitted, verified, approved for figures approved on paper (the user must be allowed to approve the units)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 {
				return usageError{"give one values file"}
			}
			switch st := assessment.Status(status); st {
			case assessment.Draft, assessment.Submitted, assessment.Verified, assessment.Approved:
			default:
				return usageError{"--status: " + (&store.StatusError{Status: status}).Error()}
			}
			return importValues(ctx, e, args[0], username, assessment.Status(status), dryRun)
		},
	})
}

// rejectedFile is a file whose problems were printed: nothing was imported (exit 3).
type rejectedFile struct {
	file string
	n    int
}

func (e rejectedFile) Error() string {
	return fmt.Sprintf("%s: %s lỗi, không nhập số liệu nào (%d problem(s), nothing imported)", e.file, numfmt.Int(e.n, "vi"), e.n)
}

func (e rejectedFile) InputError() bool { return true }

func importValues(ctx context.Context, e *env, path, username string, status assessment.Status, dryRun bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := imports.Read(path, f)
	var re *imports.RejectedError
	if errors.As(err, &re) {
		return e.printImportReport(re.Report)
	}
	if err != nil {
		return err
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	cat, err := app.Open(ctx, db)
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
	res, err := cat.ImportValues(ctx, actor, rows, store.ImportOptions{Filename: path, DryRun: dryRun, User: user, Status: status}, bar.update)
	bar.finish()
	if errors.As(err, &re) {
		return e.printImportReport(re.Report)
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
				fmt.Fprintf(e.stderr, "… và %s lỗi nữa (and %d more problems)\n", numfmt.Int(r.MoreProblems, "vi"), r.MoreProblems)
			}
		}
		return rejectedFile{file: r.File, n: len(r.Problems) + r.MoreProblems}
	}
	if e.json {
		return nil
	}
	n := func(x int) string { return numfmt.Int(x, "vi") }
	verb, verbEN := "Đã nhập", "imported"
	if r.DryRun {
		verb, verbEN = "Chạy thử (chưa ghi gì)", "dry run, nothing written"
	}
	fmt.Fprintf(e.stdout, "%s %s: %s giá trị, %s đánh giá (tạo mới %s, cập nhật %s); thêm %s, sửa %s, giữ nguyên %s giá trị.\n",
		verb, r.File, n(r.Values), n(r.Assessments), n(r.Created), n(r.Updated), n(r.Added), n(r.Changed), n(r.Unchanged))
	fmt.Fprintf(e.stdout, "(%s: %d values, %d assessments (%d created, %d updated); %d values added, %d changed, %d unchanged.)\n",
		verbEN, r.Values, r.Assessments, r.Created, r.Updated, r.Added, r.Changed, r.Unchanged)
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
	phase := "kiểm tra (checking)"
	if done > total/2 {
		phase = "ghi (writing)"
	}
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %s ", strings.Repeat("#", fill), strings.Repeat(".", width-fill), frac*100, phase)
	b.drawn = true
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 60))
	}
}
