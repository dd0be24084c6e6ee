package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/plan/plantest"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// planDB is a database holding the constructed province of the plan's tests.
func planDB(t *testing.T) string {
	t.Helper()
	dsn := storetest.DSN(t, engineOf(t))
	if code, _, errs := ntm(t, "--db", dsn, "migrate"); code != 0 {
		t.Fatal(errs)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plantest.Build(t, db)
	return dsn
}

func TestPlanCommand(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, _ *store.DB) {
		dsn := planDB(t)
		code, out, errs := ntm(t, "--db", dsn, "plan", "--unit", "99", "--set", "thu-nghiem-2026", "--as-of", "2026-12-31")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		for _, want := range []string{
			"Tỉnh Thử Nghiệm — Bộ tiêu chí thử nghiệm, 31/12/2026",
			"7 xã: 6 đã đánh giá, 1 đạt chuẩn; 4 xã chưa đạt (gần đạt nhất trước), 1 xã chưa đủ số liệu, 1 xã chưa đánh giá",
			"1. Xã Bình (99002): thiếu 1 tiêu chí, 1 chỉ tiêu\n   Tiêu chí 1 Giao thông: 1.1: 93 % → 95 %, còn thiếu 2 điểm %\n2. Xã An (99001)",
			"4. Xã Cát (99003): thiếu 2 tiêu chí, 2 chỉ tiêu",
			"Tiêu chí 2 Nước sạch: 2.1: 70 % → 80 %, còn thiếu 10 điểm %",
			"Chưa đủ số liệu (1 xã):\n1. Xã Đông (99005)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		code, out, _ = ntm(t, "--db", dsn, "plan", "--unit", "99", "--set", "thu-nghiem-2026", "--as-of", "2026-12-31", "--json")
		var g struct {
			Units []struct {
				Code            string `json:"code"`
				CriteriaMissing int    `json:"criteria_missing"`
			} `json:"units"`
		}
		if err := json.Unmarshal([]byte(out), &g); code != 0 || err != nil || len(g.Units) != 4 || g.Units[0].Code != "99002" {
			t.Errorf("--json: %d %v %s", code, err, out)
		}
		code, out, _ = ntm(t, "--db", dsn, "plan", "warnings", "--unit", "99", "--set", "thu-nghiem-2026", "--as-of", "2026-12-31")
		if code != 0 || !strings.Contains(out, "1. Xã An (99001)") || !strings.Contains(out, "2. Xã Dương (99004), 2026: đạt 3/3 tiêu chí\n   1.1: 96 %, sát ngưỡng 95 %") {
			t.Errorf("warnings: %d\n%s", code, out)
		}
		// A day before any assessment: an empty plan that says so (exit 0).
		code, out, _ = ntm(t, "--db", dsn, "plan", "--unit", "99", "--set", "thu-nghiem-2026", "--as-of", "2025-08-01")
		if code != 0 || !strings.Contains(out, "kế hoạch trống") {
			t.Errorf("empty plan: %d %s", code, out)
		}
		// Unknown unit, set or date: the exit statuses of ntm progress.
		for _, c := range []struct {
			args []string
			want int
		}{
			{[]string{"--unit", "98", "--set", "thu-nghiem-2026"}, 4},
			{[]string{"--unit", "99", "--set", "nope"}, 4},
			{[]string{"--unit", "99", "--as-of", "31/13/2026"}, 2},
		} {
			got, _, _ := ntm(t, append([]string{"--db", dsn, "plan"}, c.args...)...)
			prog, _, _ := ntm(t, append([]string{"--db", dsn, "progress"}, c.args...)...)
			if got != c.want || prog != c.want {
				t.Errorf("%v: plan exit %d, progress %d, want %d", c.args, got, prog, c.want)
			}
		}
	})
}

func TestPlanCostsProposeWhatIfCommands(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, _ *store.DB) {
		dsn := planDB(t)
		dir := t.TempDir()
		bad := filepath.Join(dir, "sai.csv")
		os.WriteFile(bad, []byte("Mã chỉ tiêu,Đơn giá (triệu đồng)\n1.1,100\n9.9,5\n2.1,-50\n"), 0o644)
		code, _, errs := ntm(t, "--db", dsn, "plan", "costs", "import", bad, "--unit", "99", "--set", "thu-nghiem-2026", "--year", "2026")
		if code != 3 || !strings.Contains(errs, "Dòng 3, cột A") || !strings.Contains(errs, "Dòng 4, cột B") {
			t.Errorf("bad table: exit %d: %s", code, errs)
		}
		good := filepath.Join(dir, "don-gia.csv")
		os.WriteFile(good, []byte("Mã chỉ tiêu,Đơn giá (triệu đồng),Ghi chú\n1.1,100,\n1.2,20,\n2.1,50,\n3.1,300,\n"), 0o644)
		if code, out, errs := ntm(t, "--db", dsn, "plan", "costs", "import", good, "--unit", "99", "--set", "thu-nghiem-2026", "--year", "2026"); code != 0 || !strings.Contains(out, "Đã nhập 4 đơn giá") {
			t.Fatalf("import: %d %s %s", code, out, errs)
		}
		// 99002: 2 × 100 = 200; 99001: 8 × 100 = 800; 99003: 3,8 × 20 + 10 × 50 = 576.
		code, out, errs := ntm(t, "--db", dsn, "plan", "propose", "--unit", "99", "--set", "thu-nghiem-2026", "--year", "2026", "--as-of", "2026-12-31", "--count", "3")
		for _, want := range []string{"Đề xuất 3/3 xã có chi phí còn lại thấp nhất: tổng 1.576 triệu đồng (đơn giá của 99)",
			"1. Xã Bình (99002): 200 triệu đồng; tiêu chí 1", "2. Xã Cát (99003): 576 triệu đồng; tiêu chí 1, 2", "3. Xã An (99001): 800 triệu đồng; tiêu chí 1",
			"dự kiến cuối năm 4 xã", "năm 2026 (số liệu đến 31/12/2026)"} {
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("propose lacks %q: %d\n%s%s", want, code, out, errs)
			}
		}
		as := filepath.Join(dir, "gia-dinh.json")
		os.WriteFile(as, []byte(`[{"unit": "99002", "values": {"1.1": "95"}}, {"unit": "99007", "values": {"1.1": "90"}}]`), 0o644)
		code, out, errs = ntm(t, "--db", dsn, "plan", "whatif", "--unit", "99", "--set", "thu-nghiem-2026", "--as-of", "2026-12-31", "--assume", as, "--save", "Phương án 1")
		for _, want := range []string{"Hiện nay 1/7 xã đạt chuẩn", "dự kiến cuối năm 2 xã", "Xã Bình (99002): 2 → 3 tiêu chí, đạt chuẩn",
			"Xã Giang (99007): 2 → 2 tiêu chí, còn thiếu tiêu chí 1", "(mã 1, phiên bản 1)"} {
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("whatif lacks %q: %d\n%s%s", want, code, out, errs)
			}
		}
		if code, out, _ := ntm(t, "--db", dsn, "plan", "whatif", "--unit", "99", "--set", "thu-nghiem-2026", "--as-of", "2026-12-31", "--assume", as, "--save", "Phương án 1", "--version", "1"); code != 0 || !strings.Contains(out, "phiên bản 2") {
			t.Errorf("second version: %d %s", code, out)
		}
		if code, _, errs := ntm(t, "--db", dsn, "plan", "whatif", "--unit", "99", "--set", "thu-nghiem-2026", "--assume", as, "--save", "Phương án 1", "--version", "1"); code == 0 || !strings.Contains(errs, "phiên bản 2") {
			t.Errorf("a stale version: %d %s", code, errs)
		}
	})
}
