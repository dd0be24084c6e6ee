package report

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test ./internal/report -update rewrites it):\n--- got\n%s", name, got)
	}
}

// TestBulletin_Golden: the bulletin of the fixed fixture, in both languages, word for word.
func TestBulletin_Golden(t *testing.T) {
	for _, lang := range Langs {
		t.Run(lang, func(t *testing.T) {
			d, err := fixtureBulletin(lang).Document()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "bulletin."+lang+".md", d.Markdown)
		})
	}
}
