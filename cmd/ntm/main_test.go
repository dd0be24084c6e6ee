package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// ntm runs the command line in-process and returns its exit code, stdout and stderr.
func ntm(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return ntmStdin(t, "", args...)
}

// ntmStdin is ntm with something on standard input.
func ntmStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	for name := range commands {
		args := append(strings.Fields(name), "--help")
		code, out, _ := ntm(t, args...)
		if code != 0 || !strings.Contains(out, "Usage: ntm "+name) {
			t.Errorf("ntm %s --help: exit %d, output %q", name, code, out)
		}
	}
	code, out, _ := ntm(t, "--help")
	if code != 0 || !strings.Contains(out, "units import") {
		t.Errorf("ntm --help: exit %d %q", code, out)
	}
	if code, _, errs := ntm(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: exit %d %q", code, errs)
	}
}

func TestUnitsImportAndShow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, _ *store.DB) {
		dsn := storetest.DSN(t, engineOf(t))
		if code, _, errs := ntm(t, "--db", dsn, "units", "import"); code != 0 {
			t.Fatalf("units import: exit %d: %s", code, errs)
		}
		code, out, _ := ntm(t, "--db", dsn, "units", "list", "--as-of", "2026-01-01", "--json")
		var list []map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 34 {
			t.Errorf("units list: exit %d, %d provinces", code, len(list))
		}
		code, out, _ = ntm(t, "--db", dsn, "units", "show", "00013", "--as-of", "2025-07-01")
		if code != 0 || !strings.Contains(out, "Phường Ba Đình") {
			t.Errorf("units show of an abolished commune: exit %d %q", code, out)
		}
		if code, _, _ := ntm(t, "--db", dsn, "units", "show", "99999"); code != 4 {
			t.Errorf("units show unknown: exit %d, want 4", code)
		}

		// A file with one bad row fails naming file, line and column, and stores nothing.
		dir := t.TempDir()
		file := filepath.Join(dir, "thon.csv")
		os.WriteFile(file, []byte("code,name,full_name,name_en,level,type,parent_code,region_code,valid_from,valid_to,tags\n"+
			"9000001,Thôn Một,Thôn Một,Thon Mot,village,thôn,00004,DBSH,2025-07-01,,\n"+
			"9000002,Thôn Hai,Thôn Hai,Thon Hai,hamlet,thôn,00004,DBSH,2025-07-01,,\n"), 0o644)
		code, _, errs := ntm(t, "--db", dsn, "units", "import", file)
		if code != 3 || !strings.Contains(errs, "thon.csv:3") || !strings.Contains(errs, "level") {
			t.Errorf("bad import: exit %d, stderr %q", code, errs)
		}
		if code, _, _ := ntm(t, "--db", dsn, "units", "show", "9000001", "--as-of", "2026-01-01"); code != 4 {
			t.Errorf("the good row of a failed import was stored (exit %d)", code)
		}
	})
}

// engineOf tells the engine of the subtest storetest.Each is running.
func engineOf(t *testing.T) store.Engine {
	if strings.HasSuffix(t.Name(), "/postgres") {
		return store.Postgres
	}
	return store.SQLite
}
