package web_test

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestMain builds each test database once per engine and copies it for every test
// (storetest.Main), then drops the templates and stops the browser tests' Chromium.
//
// The tests spend most of their time waiting for PostgreSQL, SQLite's disk writes and
// Chromium, other processes all: unless -test.parallel says otherwise, up to eight of them run
// at once even on two cores (Go's default is one per core). On the two-core machine, idle, the
// package took 195 s with four and 155 s with eight (8 December 2026).
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", strconv.Itoa(max(8, runtime.GOMAXPROCS(0))))
	}
	code := storetest.Main(m)
	stopChromium()
	os.Exit(code)
}
