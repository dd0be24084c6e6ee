package report

import (
	"fmt"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/ntm-vn/ntm/data/reports"
	"github.com/ntm-vn/ntm/internal/fault"
)

// Langs are the languages the reports are written in, the default first.
var Langs = []string{"vi", "en"}

// CheckLang returns the language to write in: "vi" for "", an error for one without layouts.
func CheckLang(lang string) (string, error) {
	if lang == "" {
		return "vi", nil
	}
	for _, l := range Langs {
		if strings.EqualFold(l, lang) {
			return l, nil
		}
	}
	return "", fault.Newf(fault.InvalidValue, "ngôn ngữ %q không có; dùng vi hoặc en (no reports in language %q: use vi or en)", lang, lang)
}

// labels are the short texts of the reports (column headers, names of tiers, metrics and
// statuses), from data/reports/labels.LANG.yaml.
var labels = sync.OnceValues(func() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, lang := range Langs {
		name := "labels." + lang + ".yaml"
		b, err := reportdata.FS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := yaml.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("data/reports/%s: %w", name, err)
		}
		out[lang] = m
	}
	return out, nil
})

// label returns the text of key in lang with {name} placeholders replaced by the pairs of
// args; an unknown key comes back as itself, so a missing label shows rather than vanishes
// (and the tests catch it).
func label(lang, key string, args ...string) string {
	ls, err := labels()
	if err != nil {
		panic(err) // the files are embedded: a broken one fails every test
	}
	s, ok := ls[lang][key]
	if !ok {
		return key
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
		// {Name} is the value with a capital, for a placeholder that starts a sentence.
		s = strings.ReplaceAll(s, "{"+upperFirst(args[i])+"}", upperFirst(args[i+1]))
	}
	return s
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// hasLabel reports whether lang has a label for key.
func hasLabel(lang, key string) bool {
	ls, err := labels()
	if err != nil {
		return false
	}
	_, ok := ls[lang][key]
	return ok
}
