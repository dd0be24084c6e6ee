package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func writeOCOPList(t *testing.T, path string, rows ...[]any) {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Sản phẩm")
	f.SetSheetRow("Sản phẩm", "A1", &[]any{"STT", "Mã xã", "Tên sản phẩm", "Chủ thể", "Loại chủ thể", "Bộ sản phẩm", "Số sao", "Số quyết định", "Ngày quyết định"})
	for i, r := range rows {
		row := append([]any{i + 1}, r...)
		f.SetSheetRow("Sản phẩm", fmt.Sprintf("A%d", i+2), &row)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestOCOPCommands(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		dir := t.TempDir()
		bad := filepath.Join(dir, "sai.xlsx")
		writeOCOPList(t, bad,
			[]any{"23575", "Cà phê bột", "HTX Cà phê Pleiku", "HTX", "1.6.a", 3, "15/QĐ-UBND", "15/03/2023"},
			[]any{"21607", "Nước mắm", "Hộ ông Ba", "Hộ kinh doanh", "1.4.a", 6, "16/QĐ-UBND", "10/01/2025"})
		if code, _, errs := ntm(t, "--db", dsn, "ocop", "import", bad); code != 3 || !strings.Contains(errs, `sai.xlsx: sheet "Sản phẩm", dòng 3, cột G`) {
			t.Errorf("bad list: exit %d %s", code, errs)
		}
		if code, out, _ := ntm(t, "--db", dsn, "ocop", "products", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
			t.Errorf("a failed import stored something: %s", out)
		}
		good := filepath.Join(dir, "ds.xlsx")
		writeOCOPList(t, good,
			[]any{"23575", "Cà phê bột", "HTX Cà phê Pleiku", "HTX", "1.6.a", 3, "15/QĐ-UBND", "15/03/2023"},
			[]any{"21607", "Nước mắm", "Hộ ông Ba", "Hộ kinh doanh", "1.4.a", 4, "16/QĐ-UBND", "10/01/2025"})
		code, out, errs := ntm(t, "--db", dsn, "ocop", "import", good, "--user", "lan")
		if code != 0 || !strings.Contains(out, "2 sản phẩm mới, 2 giấy chứng nhận mới") {
			t.Fatalf("import: exit %d %s %s", code, out, errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "ocop", "products", "--unit", "52", "--as-of", "2026-02-20")
		if code != 0 || !strings.Contains(out, "Cà phê bột") || !strings.Contains(out, "sắp hết hạn") || !strings.Contains(out, "★★★★") {
			t.Errorf("products: exit %d\n%s", code, out)
		}
		if code, out, _ := ntm(t, "--db", dsn, "ocop", "products", "--unit", "52", "--stars", "4", "--as-of", "2026-02-20"); code != 0 || strings.Contains(out, "Cà phê") || !strings.Contains(out, "Nước mắm") {
			t.Errorf("4 stars: %s", out)
		}
		code, out, _ = ntm(t, "--db", dsn, "ocop", "expiring", "--unit", "52", "--as-of", "2026-02-20")
		if code != 0 || !strings.Contains(out, "Cà phê bột") || !strings.Contains(out, "15/03/2026") || strings.Contains(out, "Nước mắm") {
			t.Errorf("expiring: exit %d\n%s", code, out)
		}
		if _, out, _ := ntm(t, "--db", dsn, "ocop", "expiring", "--unit", "52", "--as-of", "2026-03-16"); !strings.Contains(out, "Không có giấy chứng nhận nào") {
			t.Errorf("expiring after the end: %s", out)
		}
		code, out, _ = ntm(t, "--db", dsn, "ocop", "figures", "--unit", "52", "--as-of", "2026-02-20")
		if code != 0 || !strings.Contains(out, "Tỉnh Gia Lai") || !strings.Contains(out, "02 sản phẩm đạt 3 sao trở lên") || !strings.Contains(out, "01 sản phẩm sắp hết hạn") {
			t.Errorf("figures: exit %d\n%s", code, out)
		}
		code, out, _ = ntm(t, "--db", dsn, "ocop", "figures", "--unit", "52", "--as-of", "2026-02-20", "--json")
		var f struct {
			Certified map[string]int
			Expiring  int
		}
		if code != 0 || json.Unmarshal([]byte(out), &f) != nil || f.Certified["3"] != 1 || f.Certified["4"] != 1 || f.Expiring != 1 {
			t.Errorf("figures --json: %s", out)
		}
		if code, _, _ := ntm(t, "--db", dsn, "ocop", "figures", "--unit", "99"); code != 4 {
			t.Errorf("unknown unit: exit %d", code)
		}
		if code, _, _ := ntm(t, "--db", dsn, "ocop", "products", "--status", "sparkling"); code != 2 {
			t.Errorf("bad status: exit %d", code)
		}
	})
}
