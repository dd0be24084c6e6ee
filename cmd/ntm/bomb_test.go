package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestImportCLI_XLSXBomb: every import command refuses a workbook that unpacks to 410 MB,
// with exit status 3 and the limit named (issue 16.1). The message says the sheet would unpack
// to more than the limit, which the reader can only say before unpacking it; no wall-clock
// limit is asserted here (a timed test fails on a busy machine for no fault of the code; the
// memory bound is checked in internal/web's TestImports_XLSXBomb).
func TestImportCLI_XLSXBomb(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		path := filepath.Join(t.TempDir(), "bom.xlsx")
		if err := os.WriteFile(path, sheettest.Bomb(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"values import", "funding import", "works import", "models import",
			"ocop import", "recognition import", "criteria import"} {
			code, _, errs := ntm(t, append(append([]string{"--db", dsn}, strings.Fields(cmd)...), path)...)
			if code != 3 || !strings.Contains(errs, "giải nén ra hơn") || !strings.Contains(errs, "MB") {
				t.Errorf("ntm %s: exit %d %q", cmd, code, errs)
			}
		}
	})
}
