package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/units"
)

// funcs are the helpers the layouts use, bound to a language and to the noun of the units
// counted. Numbers follow package numfmt: "11,78", "356.410", "15/02/2026" in
// Vietnamese, shares with the sign close as documents write them ("91,4%"); counts of things
// in Vietnamese prose take two digits ("03 xã", "08 sản phẩm");
// English counts agree in number ("1 commune", "3 communes").
func funcs(lang, noun string) template.FuncMap {
	fm := countFuncs(lang, noun)
	for k, f := range numberFuncs(lang) {
		fm[k] = f
	}
	counters := map[string]int{}
	for k, f := range (template.FuncMap{
		// period names a period: "quý II năm 2026", "Q2 2026".
		"period": func(p Period) string { return p.Name(lang) },
		"label":  func(key string, args ...string) string { return label(lang, key, args...) },
		"tier":   func(t string) string { return label(lang, "tier."+t) },
		// metric names a target's metric: "số xã đạt chuẩn", "giá trị chỉ tiêu 17.1".
		"metric": func(m string, name ...string) string {
			if code, ok := strings.CutPrefix(m, progress.IndicatorPrefix); ok && len(name) > 0 && name[0] != "" {
				return label(lang, "metric.indicator.named", "code", code, "name", name[0])
			}
			// A unit's own figure goes by the name it was entered with.
			if strings.HasPrefix(m, app.OwnIndicatorPrefix) && len(name) > 0 && name[0] != "" {
				return name[0]
			}
			return metricName(lang, noun, m)
		},
		// metricValue writes a value of a metric: a percentage with its sign, others trimmed.
		"metricValue": func(m string, v float64) string { return metricValue(lang, m, v) },
		// names lists units by name, at most max of them, then "và 5 xã khác".
		"names": func(list any, max int) string { return names(lang, noun, list, max) },
		// criteriaList writes criterion numbers: "5, 17".
		"criteriaList": func(ns []int) string {
			s := make([]string, len(ns))
			for i, n := range ns {
				s[i] = strconv.Itoa(n)
			}
			return strings.Join(s, ", ")
		},
		// next numbers the headings of a part: next "I" gives 1, 2, 3… so that a section
		// left out leaves no gap.
		"next": func(part string) int {
			counters[part]++
			return counters[part]
		},
	}) {
		fm[k] = f
	}
	for k, f := range textFuncs() {
		fm[k] = f
	}
	return fm
}

// countFuncs count things in lang: the units of the report (noun, "xã"), anything else, and
// changes in counts. How a count is written (two digits, singular and plural) is in the labels.
func countFuncs(lang, noun string) template.FuncMap {
	count := func(n int, forms ...string) string {
		if len(forms) == 0 {
			return pad(n, lang)
		}
		word := forms[0]
		if n != 1 && len(forms) > 1 {
			word = forms[1]
		}
		return pad(n, lang) + " " + word
	}
	unitsText := func(n int) string { return count(n, nounFor(lang, noun, n)) }
	return template.FuncMap{
		// units counts the units of the report: "03 xã", "1 commune", "12 communes".
		"units": unitsText,
		// unitNoun is the noun alone, singular or plural after n.
		"unitNoun": func(n int) string { return nounFor(lang, noun, n) },
		// count counts anything: count 3 "sản phẩm" → "03 sản phẩm"; count 3 "product" "products".
		"count": count,
		// plural picks the form for n.
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
		"pad": func(n int) string { return pad(n, lang) },
		// changeUnits writes a change in the number of units: "tăng 02 xã", "up 2 communes".
		"changeUnits": func(n int) string {
			return change(lang, float64(n), func(x float64) string { return unitsText(int(x)) })
		},
		// changeNum writes a change in a count: "tăng 15", "down 3".
		"changeNum": func(n int) string {
			return change(lang, float64(n), func(x float64) string { return numfmt.Int(int(x), lang) })
		},
	}
}

// numberFuncs write numbers, dates and changes the way lang writes them (package numfmt).
func numberFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"num": func(n int) string { return numfmt.Int(n, lang) },
		"avg": func(x float64) string { return numfmt.Decimal(x, 2, lang) },
		// pct writes a share as offices write it in a document, the sign close: "80,0%"
		// (label value.percent).
		"pct":  func(x float64) string { return label(lang, "value.percent", "x", numfmt.Decimal(x, 1, lang)) },
		"dec":  func(x float64, places int) string { return numfmt.Decimal(x, places, lang) },
		"trim": func(x float64) string { return numfmt.Trim(x, 2, lang) },
		"date": func(d units.Date) string { return numfmt.Date(string(d), lang) },
		// changeDec writes a change in an average or a share with places decimals.
		"changeDec": func(x float64, places int) string {
			return change(lang, x, func(x float64) string { return numfmt.Decimal(x, places, lang) })
		},
		// changePct writes a change in per cent: "tăng 12,5%", "down 3.0%".
		"changePct": func(x float64) string {
			return change(lang, x, func(x float64) string { return label(lang, "value.percent", "x", numfmt.Decimal(x, 1, lang)) })
		},
		// money writes an amount in million VND: "356.410", "1.250,5".
		"money": func(x float64) string { return numfmt.Trim(x, 1, lang) },
	}
}

// textFuncs are the helpers that do not depend on the language.
func textFuncs() template.FuncMap {
	return template.FuncMap{
		"abs":     func(n int) int { return max(n, -n) },
		"absf":    func(x float64) float64 { return max(x, -x) },
		"sub":     func(a, b int) int { return a - b },
		"upper":   strings.ToUpper,
		"capital": upperFirst,
		// lowerFirst puts a name in the middle of a sentence: "Ngân sách trung ương" → "ngân…".
		"lowerFirst": func(s string) string {
			for i, r := range s {
				return strings.ToLower(string(r)) + s[i+len(string(r)):]
			}
			return s
		},
		"inc": func(n int) int { return n + 1 },
		// deref reads an optional number (a target's actual), 0 when absent.
		"deref": func(x *float64) float64 {
			if x == nil {
				return 0
			}
			return *x
		},
		// cell makes text safe inside a Markdown table cell.
		"cell": func(s string) string { return strings.ReplaceAll(s, "|", "/") },
		// md writes text a user typed (a task's title, a set's name) as literal Markdown text.
		"md": mdEscape,
		// paras writes the office's own text (a slot of a draft) as paragraphs: one per line,
		// "- " items kept, and nothing that would read as a heading, a table or a marker.
		"paras": ownParagraphs,
		// chart places a chart (the distribution) where the layout wants it: an HTML comment,
		// invisible in Markdown, drawn in HTML and PDF.
		"chart": func(name string) string { return "<!-- chart: " + name + " -->" },
	}
}

// pad writes a count the offices' way: two digits under 10 in Vietnamese prose ("03"), but 0
// as "0"; thousands grouped ("2.611", "2,611")
// (label count.min_digits: 2 in Vietnamese, 1 in English).
func pad(n int, lang string) string {
	if n == 0 || n >= 10 || label(lang, "count.min_digits") != "2" {
		return numfmt.Int(n, lang)
	}
	return numfmt.Pad2(n)
}

var percentMetrics = map[string]bool{progress.MetricIndicatorsMetPct: true, progress.MetricShareMet: true, "disbursement_pct": true}

func metricName(lang, noun, m string) string {
	if code, ok := strings.CutPrefix(m, progress.IndicatorPrefix); ok {
		return label(lang, "metric.indicator", "code", code)
	}
	if code, ok := strings.CutPrefix(m, app.OwnIndicatorPrefix); ok {
		return label(lang, "metric.own", "code", code)
	}
	if hasLabel(lang, "metric."+m) {
		return label(lang, "metric."+m, "noun", nounFor(lang, noun, 2), "noun1", nounFor(lang, noun, 1))
	}
	return m
}

// change writes a change: "tăng 0,35", "giảm 02 xã", "không thay đổi" (label change.*); the
// number is written by num from its absolute value.
func change(lang string, x float64, num func(float64) string) string {
	s := num(math.Abs(x))
	switch {
	case strings.Trim(s, "0.,") == "":
		return label(lang, "change.none")
	case x > 0:
		return label(lang, "change.up", "x", s)
	}
	return label(lang, "change.down", "x", s)
}

func metricValue(lang, m string, v float64) string {
	if percentMetrics[m] || strings.HasPrefix(m, app.ModelsSharePrefix) {
		return label(lang, "value.percent", "x", numfmt.Trim(v, 1, lang))
	}
	return numfmt.Trim(v, 2, lang)
}

// names lists the names of units (UnitRef, progress.UnitRef or progress.FellBack lists).
func names(lang, noun string, list any, limit int) string {
	var ns []string
	switch l := list.(type) {
	case []UnitRef:
		for _, u := range l {
			ns = append(ns, u.Name)
		}
	case []progress.UnitRef:
		for _, u := range l {
			ns = append(ns, u.Name)
		}
	case []progress.FellBack:
		for _, u := range l {
			ns = append(ns, u.Name)
		}
	default:
		return fmt.Sprint(list)
	}
	if limit <= 0 || len(ns) <= limit {
		return joinList(lang, ns)
	}
	rest := len(ns) - limit
	more := label(lang, "more", "n", pad(rest, lang), "noun", nounFor(lang, noun, rest))
	return strings.Join(ns[:limit], ", ") + " " + more
}

// joinList joins with commas and a final "và" / "and".
func joinList(lang string, s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + label(lang, "and") + " " + s[len(s)-1]
}
