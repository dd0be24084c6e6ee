package demo_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// BenchmarkDemoLoad loads the national demo (units, then demo.Load: users, the whole
// history through the store's batch import, statuses, registers) into a fresh SQLite
// database (NTM_BENCH_ENGINE=postgres: PostgreSQL), as `ntm serve --demo` does on its first
// start. Issue 12 asks for under 10 s and a peak RSS under 200 MB (the RSS is measured on the
// command: /usr/bin/time -v ntm --db sqlite:/tmp/d.db demo).
func BenchmarkDemoLoad(b *testing.B) {
	engine := store.SQLite
	if os.Getenv("NTM_BENCH_ENGINE") == "postgres" {
		engine = store.Postgres
	}
	ctx := context.Background()
	us, ls, err := units.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, engine)
		b.StartTimer()
		cpu0 := cpuTime()
		if _, err := db.ImportUnits(ctx, us, ls); err != nil {
			b.Fatal(err)
		}
		st, err := demo.Load(ctx, db, demo.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s/op")
		b.ReportMetric(float64(st.Assessments), "assessments")
		db.Close()
		b.StartTimer()
	}
}

// cpuTime is the CPU the process used so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
