package main

import (
	"context"
	"encoding/json"
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
			{[]string{"--unit", "99", "--as-of", "31/12/2026"}, 2},
		} {
			got, _, _ := ntm(t, append([]string{"--db", dsn, "plan"}, c.args...)...)
			prog, _, _ := ntm(t, append([]string{"--db", dsn, "progress"}, c.args...)...)
			if got != c.want || prog != c.want {
				t.Errorf("%v: plan exit %d, progress %d, want %d", c.args, got, prog, c.want)
			}
		}
	})
}
