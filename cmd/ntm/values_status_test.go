package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestValuesImport_Status (issue 13, point 2): figures approved on paper enter as approved
// — counted by the official progress, audited with the user and the file — and a user who
// may not approve the units is refused before anything is written.
func TestValuesImport_Status(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		province, commune := "52", ""
		kids, err := db.Children(ctx, province, "2025-12-31")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kids {
			if k.IsRuralCommune() {
				commune = k.Code
				break
			}
		}
		file := filepath.Join(t.TempDir(), "paper.csv")
		if err := os.WriteFile(file, []byte("unit,set,period,code,value\n"+commune+",xa-ntm-2021,Quý IV/2025,TC1,đạt\n"+commune+",xa-ntm-2021,Quý IV/2025,TC2,đạt\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][]string{{"xa", "commune", commune}, {"tinh", "province", province}} {
			if code, _, errs := ntm(t, "--db", dsn, "user", "add", c[0], "--role", c[1], "--unit", c[2]); code != 0 {
				t.Fatalf("user add %s: %d %s", c[0], code, errs)
			}
		}
		assessed := func() (int, string) {
			t.Helper()
			code, out, errs := ntm(t, "--db", dsn, "progress", "--unit", province, "--set", "xa-ntm-2021", "--as-of", "31/12/2025", "--json")
			var p struct {
				UnitsAssessed int    `json:"units_assessed"`
				Basis         string `json:"basis"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &p) != nil {
				t.Fatalf("progress: exit %d %s", code, errs)
			}
			return p.UnitsAssessed, p.Basis
		}
		// The commune's officer may import drafts, not approved figures: refused, nothing written.
		if code, _, errs := ntm(t, "--db", dsn, "values", "import", file, "--user", "xa", "--status", "approved"); code == 0 || !strings.Contains(errs, "verify") {
			t.Errorf("commune officer --status approved: exit %d %s", code, errs)
		}
		if list, _ := db.ListAssessments(ctx, store.AssessmentFilter{UnitCode: commune}); len(list) != 0 {
			t.Errorf("a refused import wrote %d assessments", len(list))
		}
		if code, _, _ := ntm(t, "--db", dsn, "values", "import", file, "--status", "signed"); code != 2 {
			t.Errorf("--status signed: exit %d, want 2", code)
		}
		// The province's officer loads them as approved: the official figures count them.
		if code, out, errs := ntm(t, "--db", dsn, "values", "import", file, "--user", "tinh", "--status", "approved"); code != 0 {
			t.Fatalf("province officer --status approved: exit %d %s %s", code, out, errs)
		}
		if n, basis := assessed(); n != 1 || basis != "approved" {
			t.Errorf("after the approved import: %d assessed on basis %s, want 1 approved", n, basis)
		}
		list, err := db.ListAssessments(ctx, store.AssessmentFilter{UnitCode: commune})
		if err != nil || len(list) != 1 || list[0].Status != "approved" || list[0].Period != "2025-Q4" {
			t.Fatalf("imported: %+v %v", list, err)
		}
		log, err := db.AuditLog(ctx, store.AuditFilter{Entity: "assessment", Actor: "tinh"})
		if err != nil || len(log) == 0 {
			t.Fatalf("audit: %v %v", log, err)
		}
		if b, _ := json.Marshal(log[0]); !strings.Contains(string(b), `approved`) || !strings.Contains(string(b), "paper.csv") {
			t.Errorf("the audit entry does not name the status and the file: %s", b)
		}
	})
}
