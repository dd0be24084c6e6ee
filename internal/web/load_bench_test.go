package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
	"github.com/ntm-vn/ntm/internal/web"
)

// clients is how many users the load benchmarks run at once.
const clients = 50

// BenchmarkServeNation starts the server in-process on the national demo (SQLite, built
// once per run; NTM_BENCH_DB=PATH keeps it in PATH and reuses it on the next run) and drives
// it as the offices would:
//
//   - warm: 50 clients ask the same thing over and over (the figures cached) — progress of
//     the country (admin), of Hà Nội (its province officer), of the demo commune (its
//     officer), and Hà Nội's dashboard page;
//   - cold: one client, the data version bumped before each request, so every request
//     computes its figures from the database.
//
// Each reports req/s and the p50/p95/p99 latencies in ms, and the process's resident memory
// (rss-MB, and peak-rss-MB since the process started, the demo load included).
//
// A cold request costs hundreds of times a warm one: give each its own count,
//
//	go test ./internal/web -run '^$' -bench 'ServeNation/.*/warm' -benchtime 2000x
//	go test ./internal/web -run '^$' -bench 'ServeNation/.*/cold' -benchtime 20x
func BenchmarkServeNation(b *testing.B) {
	ctx := context.Background()
	db, commune := nationalDemo(b)
	srv := httptest.NewServer(web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))))
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2, DisableCompression: true}}
	admin, tinh, xa := benchSession(b, client, srv, "admin"), benchSession(b, client, srv, "tinh"), benchSession(b, client, srv, "xa")
	cases := []struct {
		name, path, cookie string
	}{
		{"country", "/api/v1/progress", admin},
		{"province", "/api/v1/progress?unit=01", tinh},
		{"commune", "/api/v1/progress?unit=" + commune, xa},
		{"dashboard", "/dashboard?unit=01", tinh},
	}
	for _, c := range cases {
		get := func() time.Duration {
			start := time.Now()
			req, _ := http.NewRequest("GET", srv.URL+c.path, nil)
			req.Header.Set("Cookie", c.cookie)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return 0
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("%s: %d", c.path, resp.StatusCode)
			}
			return time.Since(start)
		}
		b.Run(c.name+"/warm", func(b *testing.B) {
			get()
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start, cpu0 := time.Now(), cpuTime()
			for range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
						lat[i] = get()
					}
				}()
			}
			wg.Wait()
			report(b, lat, time.Since(start))
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/req")
		})
		if c.name == "dashboard" {
			continue // the page's figures are the progress ones, measured cold above
		}
		b.Run(c.name+"/cold", func(b *testing.B) {
			lat := make([]time.Duration, b.N)
			var spent time.Duration
			for i := range b.N {
				b.StopTimer()
				// A new kind of data version: the version stamp changes, every cache misses.
				if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Touch(ctx, "bench") }); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				lat[i] = get()
				spent += lat[i]
			}
			report(b, lat, spent)
		})
	}
}

// report adds req/s, latency percentiles and memory to a benchmark's result.
func report(b *testing.B, lat []time.Duration, elapsed time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	rss, peak := memory()
	b.ReportMetric(rss, "rss-MB")
	b.ReportMetric(peak, "peak-rss-MB")
}

// cpuTime is the CPU time (user and system) the process has used, the clients included, in
// clock ticks of 10 ms (Linux; 0 elsewhere).
func cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The fields after the command's name (in parentheses): utime and stime are the 12th and 13th.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// memory reads the process's resident and peak resident memory in MB (Linux; 0 elsewhere).
func memory() (rss, peak float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		switch name {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			peak = kb / 1024
		}
	}
	return rss, peak
}

// nationalDemo opens the national demo database, loading it when new, and returns the
// demo commune officer's commune.
func nationalDemo(b *testing.B) (*store.DB, string) {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv("NTM_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "ntm.db")
	}
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	us, ls, err := units.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ImportUnits(ctx, us, ls); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	st, err := demo.Load(ctx, db, demo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if st.Assessments > 0 {
		b.Logf("national demo loaded in %v: %+v", time.Since(start).Round(time.Millisecond), st)
	}
	return db, demo.DemoCommune(us)
}

// benchSession signs a demo user in and returns the session cookie ("name=value").
func benchSession(b *testing.B, client *http.Client, srv *httptest.Server, username string) string {
	b.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": demo.Password})
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/session", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Requested-With", "XMLHttpRequest")
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "ntm_session" {
			return c.Name + "=" + c.Value
		}
	}
	b.Fatalf("sign in as %s: %d, no session cookie", username, resp.StatusCode)
	return ""
}
