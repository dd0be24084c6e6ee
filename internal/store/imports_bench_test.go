package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// nationalCSV writes n values of the set xa-ntm-2021 (every indicator and every TC<n>, 74
// codes) for the shipped communes: before the reform for 2024, after it for 2025-Q4, then
// before it again for 2023, until n values are written. Every value is valid.
func nationalCSV(tb testing.TB, n int) []byte {
	tb.Helper()
	sets, err := criteria.ShippedSets()
	if err != nil {
		tb.Fatal(err)
	}
	var set *criteria.Set
	for _, s := range sets {
		if s.ID == "xa-ntm-2021" {
			set = s
		}
	}
	type code struct{ code, a, b string }
	var codes []code
	for _, c := range set.Criteria {
		for _, in := range c.Indicators {
			switch in.Kind {
			case criteria.KindBool:
				codes = append(codes, code{in.Code, "1", "0"})
			case criteria.KindPercent:
				codes = append(codes, code{in.Code, "92.5", "100"})
			case criteria.KindLevel:
				codes = append(codes, code{in.Code, "tốt", "khá"})
			default:
				codes = append(codes, code{in.Code, "3", "12.75"})
			}
		}
	}
	for _, c := range set.Criteria {
		codes = append(codes, code{criteria.DirectKey(c.Number), "đạt", "không đạt"})
	}
	us, _, err := units.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	var before, after []string
	for _, u := range us {
		if u.Level != units.LevelCommune {
			continue
		}
		// The communes of the day before and of the day of the reform, each code once; those
		// before it also valid through 2023 and 2024 (some were made in 2025).
		if u.ValidOn("2025-06-30") && u.ValidOn("2023-01-01") {
			before = append(before, u.Code)
		} else if u.ValidOn("2025-07-01") {
			after = append(after, u.Code)
		}
	}
	var b bytes.Buffer
	b.WriteString("unit,set,period,code,value\n")
	written := 0
	for _, batch := range []struct {
		codes  []string
		period string
	}{{before, "2024"}, {after, "2025-Q4"}, {before, "2023"}} {
		for i, u := range batch.codes {
			for j, c := range codes {
				if written == n {
					return b.Bytes()
				}
				v := c.a
				if (i+j)%3 == 0 {
					v = c.b
				}
				fmt.Fprintf(&b, "%s,xa-ntm-2021,%s,%s,%s\n", u, batch.period, c.code, v)
				written++
			}
		}
	}
	return b.Bytes()
}

// BenchmarkImportCSV imports 1,000,000 values (13,514 new assessments of 74 values) from CSV
// into SQLite (NTM_BENCH_ENGINE=postgres: PostgreSQL): read, check, write, evaluate, audit,
// in one transaction. SPEC §5: under 10 s on SQLite. NTM_BENCH_CSV=NAME also writes the file
// there, to measure the command on it.
func BenchmarkImportCSV(b *testing.B) {
	const n = 1_000_000
	engine := store.SQLite
	if os.Getenv("NTM_BENCH_ENGINE") == "postgres" {
		engine = store.Postgres
	}
	data := nationalCSV(b, n)
	if name := os.Getenv("NTM_BENCH_CSV"); name != "" {
		// The file, for measuring the command: ntm values import NAME.
		if err := os.WriteFile(name, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, engine)
		shippedUnits(b, db)
		cat, err := app.Open(context.Background(), db)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0 := cpuTime()
		src := imports.Open("national.csv", bytes.NewReader(data))
		res, err := cat.ImportFrom(context.Background(), "bench", src, store.ImportOptions{Filename: "national.csv"}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s/op")
		if res.Added != n {
			b.Fatalf("added %d values, want %d", res.Added, n)
		}
		b.ReportMetric(float64(res.Assessments), "assessments")
		db.Close()
		b.StartTimer()
	}
}

// shippedUnits loads the shipped units and lineage.
func shippedUnits(tb testing.TB, db *store.DB) {
	tb.Helper()
	us, ls, err := units.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ImportUnits(context.Background(), us, ls); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkReadCSV reads and parses the file of BenchmarkImportCSV as the import reads it,
// one row at a time, and nothing else: the CPU an import is measured against (issue 12: an
// import at most 3× the CPU of parsing its file).
func BenchmarkReadCSV(b *testing.B) {
	data := nationalCSV(b, 1_000_000)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		cpu0 := cpuTime()
		n := 0
		err := imports.Open("national.csv", bytes.NewReader(data)).Each(func(*imports.Row) error { n++; return nil })
		if err != nil || n != 1_000_000 {
			b.Fatal(n, err)
		}
		b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s/op")
	}
}

// cpuTime is the CPU the process used so far, user and system: on a machine shared with
// other work, the figure that does not depend on the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
