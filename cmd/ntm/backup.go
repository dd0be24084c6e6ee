package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/store"
)

// Backup and restore (issue 16): a consistent copy of the database while the server runs,
// in an archive that loads into either engine — the supported way from the embedded SQLite
// to PostgreSQL.

func init() {
	register(func() *command {
		var out string
		return &command{
			name:  "backup",
			usage: "--out FILE",
			flags: []flagDef{{"out", &out}},
			run: func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 || out == "" {
					return usageError{"cho --out TỆP, không có đối số (give --out FILE and no arguments)"}
				}
				db, err := e.store(ctx)
				if err != nil {
					return err
				}
				m, err := writeBackup(ctx, db, out)
				if err != nil {
					return err
				}
				if e.json {
					return e.printJSON(map[string]any{"file": out, "manifest": m})
				}
				var rows int64
				for _, t := range m.Tables {
					rows += t.Rows
				}
				fmt.Fprintf(e.stdout, "Đã sao lưu %s vào %s: %d bảng, %d dòng, lược đồ %03d.\n", db.String(), out, len(m.Tables), rows, m.SchemaVersion())
				return nil
			},
		}
	})

	register(func() *command {
		var force bool
		return &command{
			name:   "restore",
			usage:  "FILE [--force]",
			flags:  []flagDef{{"force", &force}},
			oneArg: &usageError{"cho một tệp sao lưu (give one archive)"},
			run: func(ctx context.Context, e *env, args []string) error {
				file := args[0]
				if _, err := os.Stat(file); err != nil {
					return err
				}
				db, err := e.store(ctx)
				if err != nil {
					return err
				}
				m, err := db.Restore(ctx, func() (io.ReadCloser, error) { return os.Open(file) }, store.RestoreOptions{Force: force})
				if err != nil {
					return fmt.Errorf("khôi phục %s (restore): %w", file, err)
				}
				if e.json {
					return e.printJSON(map[string]any{"db": db.String(), "manifest": m})
				}
				var rows int64
				for _, t := range m.Tables {
					rows += t.Rows
				}
				fmt.Fprintf(e.stdout, "Đã khôi phục %s vào %s: %d bảng, %d dòng (sao lưu lúc %s từ %s).\n", file, db.String(), len(m.Tables), rows,
					m.CreatedAt.Local().Format("2006-01-02 15:04:05"), m.Engine)
				return nil
			},
		}
	})
}

// writeBackup writes the archive beside its final name and renames it when complete, so
// that a file of that name is always a whole archive.
func writeBackup(ctx context.Context, db *store.DB, out string) (store.Manifest, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return store.Manifest{}, err
	}
	defer os.Remove(tmp.Name())
	m, err := db.Backup(ctx, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return m, err
	}
	return m, os.Rename(tmp.Name(), out)
}

// backupSchedule is serve's --backup-dir, --backup-every, --backup-keep.
type backupSchedule struct {
	dir   string
	every time.Duration
	keep  int
}

func (b backupSchedule) check() error {
	switch {
	case b.dir == "":
		return nil
	case b.every < time.Minute:
		return usageError{"--backup-every phải từ 1m trở lên (must be at least 1m)"}
	case b.keep < 1:
		return usageError{"--backup-keep phải từ 1 trở lên (must be 1 or more)"}
	}
	return os.MkdirAll(b.dir, 0o750)
}

// run takes a backup every b.every into b.dir (ntm-YYYYMMDD-HHMMSS.tar.gz) and keeps the
// newest b.keep, until ctx ends.
func (b backupSchedule) run(ctx context.Context, db *store.DB, log *slog.Logger) {
	if b.dir == "" {
		return
	}
	t := time.NewTicker(b.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := b.once(ctx, db, time.Now()); err != nil {
			log.Error("scheduled backup", "dir", b.dir, "err", err)
		} else {
			log.Info("scheduled backup", "dir", b.dir)
		}
	}
}

func (b backupSchedule) once(ctx context.Context, db *store.DB, now time.Time) error {
	name := filepath.Join(b.dir, "ntm-"+now.UTC().Format("20060102-150405")+".tar.gz")
	if _, err := writeBackup(ctx, db, name); err != nil {
		return err
	}
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return err
	}
	var ours []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "ntm-") && strings.HasSuffix(n, ".tar.gz") && !e.IsDir() {
			ours = append(ours, n)
		}
	}
	slices.Sort(ours) // the names sort by time
	for len(ours) > b.keep {
		if err := os.Remove(filepath.Join(b.dir, ours[0])); err != nil {
			return err
		}
		ours = ours[1:]
	}
	return nil
}
