package i18n

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// languageBranch is a branch on the language in Go code ("if en {", "} else if !en {"): a
// sentence written twice in code instead of once per catalog.
var languageBranch = regexp.MustCompile(`\bif !?en\b`)

// Sentences are data (STYLE.md): no Go file outside the tests picks a sentence with if en.
func TestNoLanguageBranchesInCode(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "vendor", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if languageBranch.MatchString(line) {
				t.Errorf("%s:%d: %s — move the sentence into a catalog (i18n or data/reports)", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every key of every catalog file is in the same file of the other language, so that a
// module's texts are translated where they are written.
func TestCatalogs_FilesPaired(t *testing.T) {
	names, _ := fs.Glob(files, "*.json")
	for _, name := range names {
		for _, lang := range Langs {
			other := ""
			switch {
			case name == lang+".json":
				other = otherLang(lang) + ".json"
			case strings.HasSuffix(name, "."+lang+".json"):
				other = strings.TrimSuffix(name, lang+".json") + otherLang(lang) + ".json"
			default:
				continue
			}
			mine, theirs := readCatalog(t, name), readCatalog(t, other)
			for k := range mine {
				if _, ok := theirs[k]; !ok {
					t.Errorf("%s has %q, %s does not", name, k, other)
				}
			}
		}
	}
}

func readCatalog(t *testing.T, name string) map[string]string {
	t.Helper()
	m := map[string]string{}
	b, err := files.ReadFile(name)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return m
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Errorf("%s: %v", name, err)
	}
	return m
}

func otherLang(lang string) string {
	if lang == VI {
		return EN
	}
	return VI
}
