package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// uiSourceHash recomputes what ui/build.mjs records as source_hash: for build.mjs,
// package.json, package-lock.json and every file under src/, in byte order of their paths
// relative to ui/, the lines "<path>\n<sha256 of the file>\n", hashed with SHA-256.
func uiSourceHash(t *testing.T, ui string) string {
	t.Helper()
	files := []string{"build.mjs", "package.json", "package-lock.json"}
	err := filepath.WalkDir(filepath.Join(ui, "src"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(ui, path)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(ui, f))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		h.Write([]byte(f + "\n" + hex.EncodeToString(sum[:]) + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestBundle_MatchesSources fails when ui/ was changed without rebuilding the committed
// bundle in static/dist (or the bundle was edited by hand).
func TestBundle_MatchesSources(t *testing.T) {
	m := loadManifest()
	if got := uiSourceHash(t, filepath.Join("..", "..", "ui")); got != m.SourceHash {
		t.Fatalf("internal/web/static/dist was built from other sources than ui/ holds now "+
			"(manifest %s, ui/ %s): run `cd ui && npm ci && npm run build` and commit static/dist", m.SourceHash, got)
	}
	want := map[string]bool{"manifest.json": true}
	for name, file := range m.Files {
		want[file] = true
		if _, err := staticFS.ReadFile("static/dist/" + file); err != nil {
			t.Errorf("manifest names %s → %s, which is not in static/dist", name, file)
		}
	}
	entries, _ := staticFS.ReadDir("static/dist")
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("static/dist/%s is in no manifest entry (left from an old build?)", e.Name())
		}
	}
	for _, name := range []string{"app.css", "app.js", "map.js"} {
		if m.Files[name] == "" {
			t.Errorf("the bundle has no %s", name)
		}
	}
}

// TestBundle_NoRemoteURLs: the pages fetch nothing from the internet at run time.
func TestBundle_NoRemoteURLs(t *testing.T) {
	for _, file := range loadManifest().Files {
		b, _ := staticFS.ReadFile("static/dist/" + file)
		for _, bad := range []string{"//cdn.", "unpkg.com", "jsdelivr", "googleapis", "cdnjs"} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s mentions %s", file, bad)
			}
		}
	}
	// package-lock.json records no download address other than the npm registry.
	lock, err := os.ReadFile(filepath.Join("..", "..", "ui", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(lock), "\n") {
		if strings.Contains(line, `"resolved"`) && !strings.Contains(line, "https://registry.npmjs.org/") {
			t.Errorf("package-lock.json: %s", strings.TrimSpace(line))
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"":                          false,
		"gzip":                      true,
		"gzip, deflate, br, zstd":   true,
		"br;q=1.0, gzip;q=0.8":      true,
		"gzip;q=0":                  false,
		"identity":                  false,
		"deflate, GZIP":             true,
		"x-gzip":                    false,
		"br, gzip; q=0.000, *;q=.1": false,
	} {
		r := newRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", h)
		if got := acceptsGzip(r); got != want {
			t.Errorf("acceptsGzip(%q) = %v", h, got)
		}
	}
}
