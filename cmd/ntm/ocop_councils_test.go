package main

import (
	"context"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestOCOPCouncilsCommand(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, u := range []auth.User{{Username: "hd1", Role: auth.RoleOCOPCouncil, UnitCode: "52"}, {Username: "hd2", Role: auth.RoleOCOPCouncil, UnitCode: "52"},
			{Username: "tinh", Role: auth.RoleProvince, UnitCode: "52"}} {
			if _, err := db.CreateUser(ctx, u, "system"); err != nil {
				t.Fatal(err)
			}
		}
		dsn := db.DSN()
		code, _, errs := ntm(t, "--db", dsn, "ocop", "councils", "add", "--unit", "52", "--name", "Hội đồng OCOP tỉnh Gia Lai", "--from", "2026-01-01", "--members", "hd1,tinh")
		if code != 3 || !strings.Contains(errs, "tinh") {
			t.Errorf("a province officer as a member: exit %d %s", code, errs)
		}
		code, out, errs := ntm(t, "--db", dsn, "ocop", "councils", "add", "--unit", "52", "--name", "Hội đồng OCOP tỉnh Gia Lai", "--from", "2026-01-01", "--members", "hd1")
		if code != 0 || !strings.Contains(out, "1 thành viên") {
			t.Fatalf("add: exit %d %s %s", code, out, errs)
		}
		if code, out, errs := ntm(t, "--db", dsn, "ocop", "councils", "members", "1", "--members", "hd1, hd2"); code != 0 || !strings.Contains(out, "2 thành viên") {
			t.Errorf("members: exit %d %s %s", code, out, errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "ocop", "councils", "--as-of", "2026-06-30")
		if code != 0 || !strings.Contains(out, "Hội đồng OCOP tỉnh Gia Lai") || !strings.Contains(out, "hd1, hd2") {
			t.Errorf("list: %s", out)
		}
		if code, out, _ := ntm(t, "--db", dsn, "ocop", "councils", "--as-of", "2025-06-30"); code != 0 || !strings.Contains(out, "0 hội đồng") {
			t.Errorf("before it sits: %s", out)
		}
	})
}
