package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// asNTM, when set, makes the test binary run as the ntm command itself: the child process
// the kill test starts and kills.
const asNTM = "NTM_TEST_AS_NTM"

func init() {
	if os.Getenv(asNTM) == "1" {
		main() // exits
	}
}

// An import killed with SIGKILL while it writes — early, or well into its values — leaves
// none of its rows, and the same file then imports whole.
func TestValuesImport_KilledMidWay(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, _ *store.DB) {
		engine := engineOf(t)
		dsn := storetest.DSN(t, engine)
		if code, _, errs := ntm(t, "--db", dsn, "units", "import"); code != 0 {
			t.Fatalf("units import: exit %d: %s", code, errs)
		}
		file, values := killFile(t)
		db := rawDB(t, dsn)
		counts := func() (int, int) {
			var a, v int
			if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM assessments), (SELECT COUNT(*) FROM assessment_values)`).Scan(&a, &v); err != nil {
				t.Fatal(err)
			}
			return a, v
		}
		// Kill points: bytes the child has written to the database (SQLite spills the
		// transaction's pages to its journal as it goes), or PostgreSQL running its INSERTs or
		// the COPY of the values.
		for _, point := range []struct {
			name    string
			written int64
			query   string
		}{{"early", 64 << 10, "INSERT INTO assessments%"}, {"late", 4 << 20, "COPY%"}} {
			cmd := exec.Command(os.Args[0], "--db", dsn, "values", "import", file)
			cmd.Env = append(os.Environ(), asNTM+"=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			killed := false
		wait:
			for {
				select {
				case err := <-exited:
					t.Logf("%s: the import ended before it was seen writing (%v)", point.name, err)
					break wait
				default:
				}
				if engine == store.SQLite && writtenBy(cmd.Process.Pid) >= point.written ||
					engine == store.Postgres && running(t, db, point.query) {
					cmd.Process.Kill() // SIGKILL
					<-exited
					killed = true
					break
				}
			}
			a, v := counts()
			switch {
			case killed && (a != 0 || v != 0):
				t.Fatalf("%s: the killed import left %d assessments and %d values", point.name, a, v)
			case !killed && v != values:
				t.Fatalf("%s: the import ended with %d values, want %d", point.name, v, values)
			case !killed:
				return // nothing more to learn from a machine this fast
			}
		}
		if code, _, errs := ntm(t, "--db", dsn, "values", "import", file); code != 0 {
			t.Fatalf("import after the kills: exit %d: %s", code, errs)
		}
		if _, v := counts(); v != values {
			t.Errorf("after the kills the import wrote %d values, want %d", v, values)
		}
	})
}

// killFile writes the direct results TC1…TC19 of xa-ntm-2021 for 2024 of 6,000 communes.
func killFile(t *testing.T) (string, int) {
	t.Helper()
	us, _, err := units.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "national.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("unit,set,period,code,value\n")
	n, communes := 0, 0
	for _, u := range us {
		if u.Level != units.LevelCommune || !u.ValidOn("2023-01-01") || !u.ValidOn("2025-06-30") || communes == 6000 {
			continue
		}
		communes++
		for c := 1; c <= 19; c++ {
			fmt.Fprintf(w, "%s,xa-ntm-2021,2024,TC%d,%d\n", u.Code, c, (c+communes)%2)
			n++
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path, n
}

// rawDB opens the test's database with database/sql, to count rows as they are on disk.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver, name := "pgx", dsn
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		driver, name = "sqlite", p
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// writtenBy is how many bytes process pid has written (/proc/PID/io wchar), 0 if unknown.
func writtenBy(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// running reports whether another session of the database runs a statement like query.
func running(t *testing.T, db *sql.DB, query string) bool {
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
		AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE $1`, query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}
