package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestValuesImport(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		dir := t.TempDir()
		write := func(name, body string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
		good := write("values.csv", "unit,set,period,code,value,note\n"+
			"23575,xa-ntm-2021,2025-Q4,17.1,\"92,5\",theo biên bản\n"+
			"23575,xa-ntm-2021,2025-Q4,TC1,đạt,\n"+
			"21607,xa-ntm-2021,2025-Q4,TC1,0,\n")
		bad := write("bad.csv", "unit,set,period,code,value\n"+
			"23575,xa-ntm-2021,2025-Q4,17.1,92.5\n"+
			"23575,xa-ntm-2021,2025-Q4,2.1,abc\n")

		// A dry run counts and writes nothing.
		code, out, errs := ntm(t, "--db", dsn, "values", "import", good, "--dry-run", "--json")
		var rep struct {
			DryRun  bool `json:"dry_run"`
			Added   int  `json:"values_added"`
			Created int  `json:"assessments_created"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || !rep.DryRun || rep.Added != 3 || rep.Created != 2 {
			t.Fatalf("dry run: exit %d, %s %s", code, out, errs)
		}
		// A bad row: exit 3, the row named, nothing written.
		code, _, errs = ntm(t, "--db", dsn, "values", "import", bad)
		if code != 3 || !strings.Contains(errs, `bad.csv: Dòng 3, cột value: "abc" không phải là số / line 3, column value`) ||
			!strings.Contains(errs, "1 lỗi, không nhập số liệu nào") {
			t.Errorf("bad file: exit %d, stderr %q", code, errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "values", "import", bad, "--json")
		var failed struct {
			Problems []struct {
				Line   int
				Column string
				Code   string
			}
		}
		if code != 3 || json.Unmarshal([]byte(out), &failed) != nil || len(failed.Problems) != 1 || failed.Problems[0].Line != 3 ||
			failed.Problems[0].Column != "value" || failed.Problems[0].Code != "not_a_number" {
			t.Errorf("bad file, JSON: exit %d, %s", code, out)
		}
		code, out, errs = ntm(t, "--db", dsn, "values", "import", good)
		if code != 0 || !strings.Contains(out, "Đã nhập") || !strings.Contains(out, "thêm 3, sửa 0") {
			t.Errorf("import: exit %d, %q %q", code, out, errs)
		}
		// Files that cannot be read are bad input too; a missing user is not found.
		if code, _, errs := ntm(t, "--db", dsn, "values", "import", write("x.csv", "unit,set\n")); code != 3 || !strings.Contains(errs, "thiếu cột period") {
			t.Errorf("bad header: exit %d %q", code, errs)
		}
		if code, _, _ := ntm(t, "--db", dsn, "values", "import", good, "--user", "nobody"); code != 4 {
			t.Errorf("unknown user: exit %d, want 4", code)
		}
		// A user's scope applies: a Đà Nẵng officer may not write Gia Lai's communes.
		if code, _, errs := ntm(t, "--db", dsn, "user", "add", "danang", "--role", "province", "--unit", "48"); code != 0 {
			t.Fatalf("user add: %d %s", code, errs)
		}
		code, _, errs = ntm(t, "--db", dsn, "values", "import", good, "--user", "danang")
		if code != 3 || strings.Count(errs, "không có quyền nhập số liệu") != 3 {
			t.Errorf("out of scope: exit %d %q", code, errs)
		}
		if code, _, _ := ntm(t, "--db", dsn, "values", "import"); code != 2 {
			t.Errorf("no file: exit %d, want 2", code)
		}
	})
}
