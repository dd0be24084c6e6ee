// Package i18n holds the user-interface text of ntm in Vietnamese (the default) and English,
// as message catalogs in data files (vi.json, en.json), and the formatting of numbers and
// dates the way each language writes them ("11,78" and "356.410" in Vietnamese).
//
// Messages are looked up by key ("nav.units") and may carry positional placeholders {0},
// {1}…; whole numbers given as arguments are formatted for the language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Languages.
const (
	VI = "vi" // Tiếng Việt, the default
	EN = "en"
)

// Default is the language used when none is chosen.
const Default = VI

// Langs lists the languages with a catalog, the default first.
var Langs = []string{VI, EN}

// A language's catalog is vi.json plus any module catalogs named like ocop.vi.json, so that
// each part of the program keeps its texts in its own file. A key may be defined only once.
//
//go:embed *.json
var files embed.FS

var catalogs = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range Langs {
		names, _ := fs.Glob(files, "*."+lang+".json")
		names = append([]string{lang + ".json"}, names...)
		m := map[string]string{}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				panic(err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", name, err))
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					panic(fmt.Sprintf("i18n: %s: key %q is defined twice", name, k))
				}
				m[k] = v
			}
		}
		out[lang] = m
	}
	return out
}()

// Supported reports whether lang has a catalog.
func Supported(lang string) bool {
	_, ok := catalogs[lang]
	return ok
}

// Has reports whether the catalog of lang has key.
func Has(lang, key string) bool {
	_, ok := catalogs[lang][key]
	return ok
}

// Keys returns the keys of lang's catalog, sorted.
func Keys(lang string) []string {
	keys := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WithPrefix returns the messages of lang whose keys start with prefix (for scripts that need
// a few texts of their own).
func WithPrefix(lang, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range catalog(lang) {
		if strings.HasPrefix(k, prefix) {
			out[k] = v
		}
	}
	return out
}

func catalog(lang string) map[string]string {
	if c, ok := catalogs[lang]; ok {
		return c
	}
	return catalogs[Default]
}

// T returns the message key in lang with its placeholders {0}, {1}… replaced by args. Whole
// numbers are formatted for the language (Int); other values with fmt.Sprint. An unknown key
// comes back as itself, so a missing text shows up on the page instead of vanishing (the
// tests check that every key used exists in both catalogs).
func T(lang, key string, args ...any) string {
	msg, ok := catalog(lang)[key]
	if !ok {
		return key
	}
	if len(args) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(msg[i:], '}')
		if j < 0 {
			break
		}
		n, err := strconv.Atoi(msg[i+1 : i+j])
		if err != nil || n < 0 || n >= len(args) {
			b.WriteString(msg[:i+j+1])
			msg = msg[i+j+1:]
			continue
		}
		b.WriteString(msg[:i])
		b.WriteString(arg(lang, args[n]))
		msg = msg[i+j+1:]
	}
	b.WriteString(msg)
	return b.String()
}

func arg(lang string, v any) string {
	switch x := v.(type) {
	case int:
		return Int(int64(x), lang)
	case int64:
		return Int(x, lang)
	case string:
		return x
	// A template passes an optional field as it is, a pointer (a dossier's id on a
	// recognition): the value is what the sentence means, never the address.
	case *int64:
		if x == nil {
			return ""
		}
		return Int(*x, lang)
	case *int:
		if x == nil {
			return ""
		}
		return Int(int64(*x), lang)
	case *string:
		if x == nil {
			return ""
		}
		return *x
	}
	return fmt.Sprint(v)
}
