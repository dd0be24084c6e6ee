package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestThrottlesListAndClear(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		ctx := context.Background()
		for range 3 {
			if err := db.RecordLoginFailure(ctx, "lan", "203.0.113.7", time.Now(), "wrong password", true); err != nil {
				t.Fatal(err)
			}
		}
		code, out, errs := ntm(t, "--db", dsn, "throttles", "list")
		if code != 0 || !strings.Contains(out, "lan") || !strings.Contains(out, "203.0.113.7") || !strings.Contains(out, "chờ đến") {
			t.Fatalf("throttles list: exit %d %q %s", code, out, errs)
		}
		if code, _, _ := ntm(t, "--db", dsn, "throttles", "clear"); code != 2 {
			t.Errorf("clear without a target: exit %d", code)
		}
		if code, out, errs := ntm(t, "--db", dsn, "throttles", "clear", "--user", "lan"); code != 0 || !strings.Contains(out, "Đã xóa 3 lần") {
			t.Errorf("throttles clear: exit %d %q %s", code, out, errs)
		}
		if code, out, _ := ntm(t, "--db", dsn, "--json", "throttles", "list"); code != 0 || !strings.Contains(out, `"pairs": []`) {
			t.Errorf("after clearing: %s", out)
		}
	})
}
