package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// views are what a user reads of a database: the progress and every register list.
var backupViews = [][]string{
	{"progress", "--unit", "01", "--as-of", "2026-06-30"},
	{"progress", "--as-of", "2025-06-30"},
	{"funding", "list", "--unit", "01", "--as-of", "2026-06-30"},
	{"works", "list", "--unit", "01", "--as-of", "2026-06-30"},
	{"models", "list", "--unit", "01", "--as-of", "2026-06-30"},
	{"tasks", "list", "--unit", "01", "--as-of", "2026-06-30"},
	{"ocop", "products", "--unit", "01", "--as-of", "2026-06-30"},
	{"recognition", "list", "--unit", "01", "--as-of", "2026-06-30"},
	{"targets", "--unit", "01", "--year", "2026"},
	{"user", "list"},
	{"extra", "rows"}, // the table a later migration added (below)
}

func views(t *testing.T, dsn string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range backupViews {
		if v[0] == "extra" {
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			var s string
			err = db.Read(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRowContext(context.Background(), `SELECT note FROM extra_later_migration WHERE id = 7`).Scan(&s)
			})
			db.Close()
			if err != nil {
				t.Fatalf("%s: extra table: %v", dsn, err)
			}
			out["extra"] = s
			continue
		}
		code, stdout, errs := ntm(t, append([]string{"--db", dsn, "--json"}, v...)...)
		if code != 0 {
			t.Fatalf("%v on %s: exit %d %s", v, dsn, code, errs)
		}
		out[strings.Join(v, " ")] = stdout
	}
	return out
}

// Issue 16, point 5: a backup taken while writes go on, restored into the other engine (and
// back), shows the same progress and registers; restore refuses a non-empty target without
// --force, a damaged archive and a newer schema.
func TestBackupAndRestoreAcrossEngines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := storetest.Units.Open(t, store.SQLite)
	if _, err := demo.Load(ctx, src, demo.Options{Provinces: []string{"01"}}); err != nil {
		t.Fatal(err)
	}
	// A table another engineer's migration adds later, with a blob: carried because the
	// tables come from the database's catalog.
	pg := storetest.DSN(t, store.Postgres)
	for dsn, ddl := range map[string]string{
		src.DSN(): `CREATE TABLE extra_later_migration (id INTEGER PRIMARY KEY, note TEXT NOT NULL, data BLOB, ok INTEGER)`,
		pg:        `CREATE TABLE extra_later_migration (id BIGINT PRIMARY KEY, note TEXT NOT NULL, data BYTEA, ok BOOLEAN)`,
	} {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { _, err := tx.ExecContext(ctx, ddl); return err }); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	if err := src.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO extra_later_migration VALUES (7, 'Tổ tư vấn ''OCOP''', $1, 1)`, []byte{0, 1, 2, 255})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := ntm(t, "--db", src.DSN(), "targets", "set", "--unit", "01", "--year", "2026", "--metric", "units_met", "--set", "xa-ntm-2026", "--value", "40"); code != 0 {
		t.Fatal(errs)
	}
	want := views(t, src.DSN())
	for k, v := range want {
		if k != "extra" && len(v) < 200 {
			t.Fatalf("the source shows little for %s: %s", k, v)
		}
	}

	// Writes go on while the backup runs.
	stop := make(chan struct{})
	var writes atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := src.RecordLoginFailure(ctx, "khach", "192.0.2.1", time.Now(), "test", true); err == nil {
				writes.Add(1)
			}
		}
	}()
	dir := t.TempDir()
	archive := filepath.Join(dir, "ntm.tar.gz")
	code, out, errs := ntm(t, "--db", src.DSN(), "backup", "--out", archive)
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "Đã sao lưu") {
		t.Fatalf("backup: exit %d %s %s", code, out, errs)
	}
	if writes.Load() == 0 {
		t.Error("no write went on during the backup")
	}

	// Into PostgreSQL.
	if code, out, errs := ntm(t, "--db", pg, "restore", archive); code != 0 || !strings.Contains(out, "Đã khôi phục") {
		t.Fatalf("restore into PostgreSQL: exit %d %s %s", code, out, errs)
	}
	got := views(t, pg)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s differs after restoring into PostgreSQL:\n%.600s\n---\n%.600s", k, v, got[k])
		}
	}
	// The target now holds data: refused without --force, replaced with it.
	code, _, errs = ntm(t, "--db", pg, "restore", archive)
	if code != 3 || !strings.Contains(errs, "--force") {
		t.Errorf("restore into a non-empty target: exit %d %s", code, errs)
	}
	if code, _, errs := ntm(t, "--db", pg, "restore", "--force", archive); code != 0 {
		t.Errorf("restore --force: exit %d %s", code, errs)
	}
	// New rows get new ids after a restore (the sequences moved past the restored ids).
	if code, _, errs := ntm(t, "--db", pg, "targets", "set", "--unit", "01", "--year", "2027", "--metric", "units_met", "--set", "xa-ntm-2026", "--value", "3"); code != 0 {
		t.Errorf("a new row after the restore: exit %d %s", code, errs)
	}

	// And back from PostgreSQL into a new SQLite database.
	back := filepath.Join(dir, "back.tar.gz")
	if code, _, errs := ntm(t, "--db", pg, "backup", "--out", back); code != 0 {
		t.Fatalf("backup of PostgreSQL: %s", errs)
	}
	lite := "sqlite:" + filepath.Join(dir, "lite.db")
	if code, _, errs := ntm(t, "--db", lite, "migrate"); code != 0 {
		t.Fatal(errs)
	}
	db, _ := store.Open(ctx, lite)
	db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE extra_later_migration (id INTEGER PRIMARY KEY, note TEXT NOT NULL, data BLOB, ok INTEGER)`)
		return err
	})
	db.Close()
	if code, _, errs := ntm(t, "--db", lite, "restore", back); code != 0 {
		t.Fatalf("restore into SQLite: exit %d %s", code, errs)
	}
	got = views(t, lite)
	for k, v := range want {
		if got[k] == v {
			continue
		}
		t.Errorf("%s differs after PostgreSQL → SQLite:\n%.600s\n---\n%.600s", k, v, got[k])
	}

	// A damaged archive changes nothing.
	raw, _ := os.ReadFile(archive)
	bad := filepath.Join(dir, "bad.tar.gz")
	damaged := bytes.Clone(raw)
	damaged[len(damaged)/2] ^= 0xff
	os.WriteFile(bad, damaged, 0o600)
	empty := "sqlite:" + filepath.Join(dir, "empty.db")
	if code, _, errs := ntm(t, "--db", empty, "restore", bad); code != 3 || !strings.Contains(errs, "damaged archive") {
		t.Errorf("damaged archive: exit %d %s", code, errs)
	}
	// A table whose rows were changed but whose archive is well formed fails its checksum.
	forged := rewriteArchive(t, raw, func(name string, b []byte) []byte {
		if name == "tables/users.jsonl" {
			return bytes.Replace(b, []byte(`"admin"`), []byte(`"admim"`), 1)
		}
		return b
	})
	os.WriteFile(bad, forged, 0o600)
	if code, _, errs := ntm(t, "--db", empty, "restore", bad); code != 3 || !strings.Contains(errs, "SHA-256") {
		t.Errorf("forged rows: exit %d %s", code, errs)
	}
	// An archive of a newer schema is refused.
	newer := rewriteArchive(t, raw, func(name string, b []byte) []byte {
		if name == "manifest.json" {
			var m map[string]any
			json.Unmarshal(b, &m)
			m["schema_versions"] = append(m["schema_versions"].([]any), 999)
			b, _ = json.Marshal(m)
		}
		return b
	})
	os.WriteFile(bad, newer, 0o600)
	if code, _, errs := ntm(t, "--db", empty, "restore", bad); code != 3 || !strings.Contains(errs, "mới hơn") {
		t.Errorf("newer schema: exit %d %s", code, errs)
	}
	if code, out, _ := ntm(t, "--db", empty, "--json", "user", "list"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("the refused restores changed the target: %s", out)
	}
}

// rewriteArchive rewrites each file of a backup archive through edit.
func rewriteArchive(t *testing.T, raw []byte, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out bytes.Buffer
	gw := gzip.NewWriter(&out)
	tw := tar.NewWriter(gw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		b = edit(h.Name, b)
		h.Size = int64(len(b))
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	gw.Close()
	return out.Bytes()
}

// serve --backup-dir keeps the newest --backup-keep archives.
func TestScheduledBackupsKeepTheNewest(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	dir := t.TempDir()
	b := backupSchedule{dir: dir, every: time.Hour, keep: 2}
	if err := b.check(); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC)
	for i := range 4 {
		if err := b.once(context.Background(), db, start.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "ntm-20261204-030000.tar.gz ntm-20261204-040000.tar.gz" {
		t.Errorf("kept: %v", names)
	}
	f, _ := os.Open(filepath.Join(dir, names[1]))
	defer f.Close()
	if m, err := store.ReadManifest(f); err != nil || m.SchemaVersion() < 10 {
		t.Errorf("a scheduled archive: %+v %v", m, err)
	}
	for _, bad := range []backupSchedule{{dir: dir, every: time.Second, keep: 1}, {dir: dir, every: time.Hour, keep: 0}} {
		if bad.check() == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
