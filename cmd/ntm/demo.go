package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/ntm-vn/ntm/internal/demo"

	"github.com/ntm-vn/ntm/internal/units"
)

// demoMemoryLimit is the soft memory limit while the demo loads (see loadDemo).
const demoMemoryLimit = 150 << 20

func init() {
	register(func() *command {
		return &command{
			name:      "demo",
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				return loadDemo(ctx, e, true)
			},
		}
	})
}

// loadDemo loads the shipped units when the database has none (or always, when force is
// set; the import is idempotent).
func loadDemo(ctx context.Context, e *env, force bool) error {
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	n, err := db.CountUnits(ctx, units.LevelProvince, units.Today())
	if err != nil {
		return err
	}
	if n == 0 || force {
		us, ls, err := units.Shipped()
		if err != nil {
			return err
		}
		st, err := db.ImportUnits(ctx, us, ls)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "ntm: đã nạp %d đơn vị hành chính (%d mới) / loaded %d units (%d new)\n", st.Units, st.Inserted, st.Units, st.Inserted)
	}
	// The demo is loaded on first start on the modest machines offices have: a soft memory
	// limit for the load (unless GOMEMLIMIT says otherwise) makes the collector work a little
	// harder instead of letting the heap grow to twice its live size; the server's own limit
	// is left as it was once the load is done.
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(demoMemoryLimit))
	}
	start := time.Now()
	st, err := demo.Load(ctx, db, demo.Options{})
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if st.Values > 0 {
		fmt.Fprintf(e.stderr, "ntm: đã nạp dữ liệu mẫu: %d người dùng, %d đánh giá, %d giá trị, %d quyết định công nhận, %d sản phẩm OCOP (%.1f s) / loaded demo data\n",
			st.Users, st.Assessments, st.Values, st.Recognitions, st.OCOPProducts, time.Since(start).Seconds())
		fmt.Fprintf(e.stderr, "ntm: tài khoản mẫu / demo users: admin, trunguong, tinh, huyen, xa, xem, ocop — mật khẩu / password %q\n", demo.Password)
	}
	return nil
}
