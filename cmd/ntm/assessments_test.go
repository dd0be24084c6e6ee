package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestAssessmentsQueueAndBulkApprove(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		for _, u := range [][]string{{"tinh", "province", "01"}, {"tinh2", "province", "01"}, {"xem", "viewer", "01"}} {
			if code, _, errs := ntm(t, "--db", dsn, "user", "add", u[0], "--role", u[1], "--unit", u[2]); code != 0 {
				t.Fatalf("user add %s: %s", u[0], errs)
			}
		}
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		p, _ := assessment.ParsePeriod("2026-Q2")
		var ids []string
		for _, code := range []string{"00004", "00008"} {
			a, err := db.CreateAssessment(ctx, "xa", code, "xa-ntm-2026", p, store.Evaluation{}) // a fixture: the store assesses any unit
			if err != nil {
				t.Fatal(err)
			}
			if a, err = db.ChangeStatus(ctx, "xa", a.ID, a.Version, assessment.Submit, ""); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, fmt.Sprint(a.ID))
		}
		code, out, errs := ntm(t, "--db", dsn, "assessments", "queue", "--user", "tinh")
		if code != 0 || !strings.Contains(out, "2 phiếu chờ tinh xử lý") || !strings.Contains(out, "đã gửi") {
			t.Fatalf("queue: exit %d %q %s", code, out, errs)
		}
		if code, _, errs := ntm(t, "--db", dsn, "assessments", "queue", "--user", "xem"); code != 1 || !strings.Contains(errs, "viewer") {
			t.Errorf("a viewer's queue: exit %d %s", code, errs)
		}
		// Without --yes the rows are listed and nothing moves (exit 2).
		code, out, errs = ntm(t, append([]string{"--db", dsn, "assessments", "verify", "--user", "tinh"}, ids...)...)
		if code != 2 || !strings.Contains(out, "Sẽ thẩm tra 2 phiếu") || !strings.Contains(errs, "--yes") {
			t.Fatalf("verify without --yes: exit %d %q %s", code, out, errs)
		}
		if code, out, errs := ntm(t, append([]string{"--db", dsn, "assessments", "verify", "--user", "tinh", "--yes"}, ids...)...); code != 0 || !strings.Contains(out, "Đã thẩm tra 2 phiếu") {
			t.Fatalf("verify: exit %d %q %s", code, out, errs)
		}
		// The verifier may not approve (exit 1, the rule named); the second officer may.
		if code, _, errs := ntm(t, append([]string{"--db", dsn, "assessments", "approve", "--user", "tinh", "--yes"}, ids...)...); code != 1 || !strings.Contains(errs, "tham-tra-khac-phe-duyet") {
			t.Errorf("approve by the verifier: exit %d %s", code, errs)
		}
		if code, out, errs := ntm(t, append([]string{"--db", dsn, "assessments", "approve", "--user", "tinh2", "--yes"}, ids...)...); code != 0 || !strings.Contains(out, "Đã phê duyệt 2 phiếu") {
			t.Fatalf("approve: exit %d %q %s", code, out, errs)
		}
	})
}

func TestUserLifecycleCommands(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		if code, _, errs := ntm(t, "--db", dsn, "user", "add", "lan", "--role", "province", "--unit", "01"); code != 0 {
			t.Fatal(errs)
		}
		if code, out, _ := ntm(t, "--db", dsn, "token", "create", "lan"); code != 0 || !strings.Contains(out, "Token 1") {
			t.Fatalf("token create: %s", out)
		}
		steps := []struct {
			args []string
			code int
			want string
		}{
			{[]string{"token", "list", "lan"}, 0, "còn hiệu lực"},
			{[]string{"user", "set", "lan", "--role", "commune"}, 2, "needs a commune home unit"},
			{[]string{"user", "set", "lan", "--role", "viewer"}, 0, "viewer, 01"},
			{[]string{"token", "list", "lan"}, 0, "đã thu hồi"}, // the role change revoked it
			{[]string{"user", "sessions", "lan"}, 0, "0 phiên"},
			{[]string{"user", "sessions", "lan", "--end"}, 0, "Đã kết thúc 0 phiên"},
			{[]string{"user", "disable", "lan"}, 0, "Đã khóa lan"},
			{[]string{"user", "list"}, 0, "đã khóa"},
			{[]string{"user", "enable", "lan"}, 0, "Đã mở khóa lan"},
			{[]string{"user", "passwd", "lan"}, 0, "Mật khẩu mới"},
			{[]string{"token", "revoke", "99"}, 4, "token 99"},
			{[]string{"user", "disable", "ai-do"}, 4, "không có người dùng ai-do"},
		}
		for _, s := range steps {
			code, out, errs := ntm(t, append([]string{"--db", dsn}, s.args...)...)
			if code != s.code || !strings.Contains(out+errs, s.want) {
				t.Errorf("ntm %s: exit %d, want %d with %q\n%s%s", strings.Join(s.args, " "), code, s.code, s.want, out, errs)
			}
		}
	})
}

// writer is the use cases over db: assessments written through it are evaluated.
func writer(t testing.TB, db *store.DB) *app.Catalog {
	t.Helper()
	c, err := app.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
