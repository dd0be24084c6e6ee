package web_test

import (
	"os"
	"testing"

	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestMain builds each test database once per engine and copies it for every test
// (storetest.Main), then drops the templates and stops the browser tests' Chromium.
func TestMain(m *testing.M) {
	code := storetest.Main(m)
	stopChromium()
	os.Exit(code)
}
