package main

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// Models entered as counts and a unit's own figures from the command line: bad input exits
// with a message naming the field and stores nothing; the summary prints the share.
func TestTalliesCLI_CountsAndOwnFigures(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, _ *store.DB) {
		dsn := storetest.DSN(t, engineOf(t))
		if code, _, errs := ntm(t, "--db", dsn, "units", "import"); code != 0 {
			t.Fatalf("units import: %s", errs)
		}
		for _, c := range []struct {
			args      []string
			code      int
			out, errs string
		}{
			{[]string{"models", "count", "--unit", "21607", "--kind", "thon-ntm", "--year", "2025", "--new", "5", "--cumulative", "4"}, 3, "", "lũy kế 4 nhỏ hơn số mới trong năm 5"},
			{[]string{"models", "count", "--unit", "21607", "--kind", "thon-ntm", "--year", "2025", "--new", "3", "--cumulative", "9", "--of", "24"}, 0, "mới 3, lũy kế 9", ""},
			{[]string{"models", "list", "--unit", "52", "--to", "2025", "--as-of", "2025-12-31"}, 0, "đạt 9/24 thôn (37,5%)", ""},
			{[]string{"unit-indicators", "set", "--unit", "52", "--year", "2025", "--code", "Thu nhập", "--name", "Thu nhập", "--value", "1"}, 3, "", "mã chỉ tiêu \"Thu nhập\" không hợp lệ"},
			{[]string{"unit-indicators", "set", "--unit", "52", "--year", "2025", "--code", "thu-nhap", "--name", "Thu nhập bình quân đầu người",
				"--measure", "triệu đồng/người/năm", "--value", "72,5"}, 0, "Thu nhập bình quân đầu người: 72,5 triệu đồng/người/năm", ""},
			{[]string{"unit-indicators", "list", "--unit", "52", "--as-of", "2025-12-31"}, 0, "thu-nhap", ""},
		} {
			code, out, errs := ntm(t, append([]string{"--db", dsn}, c.args...)...)
			if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errs, c.errs) {
				t.Errorf("%v: exit %d\n%s\n%s", c.args, code, out, errs)
			}
		}
	})
}
