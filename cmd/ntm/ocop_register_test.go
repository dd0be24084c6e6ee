package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestOCOPCommands_RegisterAndRevoke(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, _ *store.DB) {
		dsn := storetest.DSN(t, engineOf(t))
		if code, _, errs := ntm(t, "--db", dsn, "units", "import"); code != 0 {
			t.Fatal(errs)
		}
		for _, c := range []struct {
			name string
			args []string
			code int
			want string // in the output, or in the errors when the command fails
		}{
			{"a producer without a name", []string{"ocop", "producers", "add", "--unit", "23575", "--kind", "htx"}, 3, "chủ thể cần có tên"},
			{"a producer in a province", []string{"ocop", "producers", "add", "--unit", "52", "--name", "HTX A", "--kind", "htx"}, 3, "không phải là xã, phường"},
			{"a producer", []string{"ocop", "producers", "add", "--unit", "23575", "--name", "HTX Rau Pleiku", "--kind", "HTX", "--registration-no", "5900123456"}, 0,
				"Đã đăng ký chủ thể 1: HTX Rau Pleiku (Hợp tác xã), Phường Pleiku"},
			{"the same producer again", []string{"ocop", "producers", "add", "--unit", "23575", "--name", "HTX Rau Pleiku", "--kind", "hop-tac-xa", "--registration-no", "5900123456"}, 1,
				"đã có trong danh sách"},
			{"a product of no producer", []string{"ocop", "products", "add", "--producer", "9", "--name", "Rau", "--set", "1.1.a"}, 3, "không có chủ thể mã 9"},
			{"a product in no set", []string{"ocop", "products", "add", "--producer", "1", "--name", "Rau", "--set", "9.9"}, 3, "không có trong danh mục"},
			{"a product", []string{"ocop", "products", "add", "--producer", "1", "--name", "Rau cải ngọt", "--set", "1.1.a"}, 0, "Đã đăng ký sản phẩm 1: Rau cải ngọt"},
			{"certify without a date", []string{"ocop", "certify", "1", "--decision", "9/QĐ-UBND"}, 2, "--date"},
			{"certify no evaluation", []string{"ocop", "certify", "7", "--decision", "9/QĐ-UBND", "--date", "10/03/2026"}, 4, ""},
		} {
			code, out, errs := ntm(t, append([]string{"--db", dsn}, c.args...)...)
			text := out
			if c.code != 0 {
				text = errs
			}
			if code != c.code || !strings.Contains(text, c.want) {
				t.Errorf("%s: exit %d, want %d with %q\n%s%s", c.name, code, c.code, c.want, out, errs)
			}
		}
		// A certificate imported from a list, revoked with a reason.
		list := filepath.Join(t.TempDir(), "ds.xlsx")
		writeOCOPList(t, list, []any{"23575", "Cà phê bột", "HTX Cà phê Pleiku", "HTX", "1.6.a", 3, "15/QĐ-UBND", "15/03/2023"})
		if code, _, errs := ntm(t, "--db", dsn, "ocop", "import", list); code != 0 {
			t.Fatal(errs)
		}
		if code, _, errs := ntm(t, "--db", dsn, "ocop", "revoke", "1", "--date", "01/06/2024"); code != 3 || !strings.Contains(errs, "cần lý do thu hồi") {
			t.Errorf("revoke without a reason: exit %d %s", code, errs)
		}
		if code, out, errs := ntm(t, "--db", dsn, "ocop", "revoke", "1", "--date", "01/06/2024", "--reason", "không duy trì chất lượng"); code != 0 || !strings.Contains(out, "Đã thu hồi giấy chứng nhận 1 (quyết định 15/QĐ-UBND) từ ngày 01/06/2024") {
			t.Errorf("revoke: exit %d %s %s", code, out, errs)
		}
		if code, out, _ := ntm(t, "--db", dsn, "ocop", "products", "--status", "revoked", "--as-of", "2024-07-01"); code != 0 || !strings.Contains(out, "Cà phê bột") {
			t.Errorf("the revoked certificate is not listed: %s", out)
		}
	})
}
