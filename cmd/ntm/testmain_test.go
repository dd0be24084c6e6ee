package main

import (
	"os"
	"testing"

	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// TestMain builds each test database once per engine and copies it for every test
// (storetest.Main), then drops the templates.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
