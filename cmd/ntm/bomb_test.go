package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestImportCLI_XLSXBomb: every import command refuses a workbook that unpacks to 410 MB
// at once, with exit status 3 and the limit named (issue 16.1).
func TestImportCLI_XLSXBomb(t *testing.T) {
	t.Parallel()
	// The database storetest made, migrated already: the time measured is the refusal's, not
	// the first command's migrations (seconds on a busy PostgreSQL).
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		path := filepath.Join(t.TempDir(), "bom.xlsx")
		if err := os.WriteFile(path, sheettest.Bomb(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"values import", "funding import", "works import", "models import",
			"ocop import", "recognition import", "criteria import"} {
			start := time.Now()
			code, _, errs := ntm(t, append(append([]string{"--db", dsn}, strings.Fields(cmd)...), path)...)
			if code != 3 || !strings.Contains(errs, "giải nén ra hơn") || !strings.Contains(errs, "MB") {
				t.Errorf("ntm %s: exit %d %q", cmd, code, errs)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("ntm %s: refused after %v", cmd, d)
			}
		}
	})
}
