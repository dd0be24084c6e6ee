// Package period reads and writes reporting periods (kỳ báo cáo) as offices name them: a
// year, a half, a quarter, a month, or the first N months of a year (cumulative from
// 1 January: "8 tháng đầu năm 2023"). Every place that reads a period — the command line's
// --period, the API's period=, the pages' pickers, values files — calls Parse, and every
// place that shows one calls Label, so the forms accepted and written are the same
// everywhere.
//
// Codes (what the database keeps and the API returns): "2026" (year), "2026-H1" (half),
// "2026-Q2" (quarter), "2026-04" (month), "2026-M8" (the first 8 months). Parse also reads
// the Vietnamese forms ("năm 2026", "6 tháng đầu năm 2026", "Quý II/2026", "quý II năm 2026",
// "tháng 4/2026", "8 tháng đầu năm 2026") and the English ones ("Q2 2026", "first half of
// 2026", "April 2026", "first 8 months of 2026"), with or without diacritics, in any case.
package period

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/units"
)

// Kind is what a period spans.
type Kind string

const (
	Year        Kind = "year"    // năm
	Half        Kind = "half"    // 6 tháng đầu năm / cuối năm
	Quarter     Kind = "quarter" // quý
	Month       Kind = "month"   // tháng
	FirstMonths Kind = "months"  // N tháng đầu năm, cumulative from 1 January
)

// Period is a reporting period. N is the half (1-2), the quarter (1-4), the month (1-12) or
// the number of months from January (2-11; 3, 6 and 12 months are a quarter, a half and the
// year, and 1 is January).
type Period struct {
	Year int
	Kind Kind
	N    int
}

// MinYear and MaxYear bound the years a period may fall in.
const (
	MinYear = 1990
	MaxYear = 2100
)

// unreadable is the fault of a period that cannot be read; its message lists the accepted forms.
func unreadable(text string) *fault.Error {
	return fault.Newf(fault.InvalidValue, "kỳ %q không đọc được: dùng %s (period %q cannot be read: use %s)", text, FormsVI, text, FormsEN)
}

// The accepted forms, as error messages and help texts list them.
const (
	FormsVI = `2026, 2026-H1, 2026-Q2, 2026-04, 2026-M8, "năm 2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "Quý II/2026", "quý II năm 2026", "tháng 4/2026", "8 tháng đầu năm 2026"`
	FormsEN = `the codes, "Q2 2026", "H1 2026", "first half of 2026", "April 2026", "first 8 months of 2026"`
)

var months = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

var forms = []struct {
	re *regexp.Regexp
	// make builds the period from the submatches; it returns false for numbers out of range.
	make func(m []string) (Period, bool)
}{
	{regexp.MustCompile(`^(?:nam |year )?(\d{4})$`), func(m []string) (Period, bool) { return Period{atoi(m[1]), Year, 0}, true }},
	{regexp.MustCompile(`^(\d{4})-h(\d)$`), func(m []string) (Period, bool) { return Period{atoi(m[1]), Half, atoi(m[2])}, true }},
	{regexp.MustCompile(`^(\d{4})-q(\d)$`), func(m []string) (Period, bool) { return Period{atoi(m[1]), Quarter, atoi(m[2])}, true }},
	{regexp.MustCompile(`^(\d{4})-(\d{2})$`), func(m []string) (Period, bool) { return Period{atoi(m[1]), Month, atoi(m[2])}, true }},
	{regexp.MustCompile(`^(\d{4})-m(\d{1,2})$`), func(m []string) (Period, bool) { return firstMonths(atoi(m[1]), atoi(m[2])) }},
	// 6 tháng đầu năm 2026, 8 tháng đầu năm 2023, 6 tháng năm 2026, 6 tháng cuối năm 2026
	{regexp.MustCompile(`^(\d{1,2}) thang (dau |cuoi )?(?:nam )?(\d{4})$`), func(m []string) (Period, bool) {
		if m[2] == "cuoi " {
			return Period{atoi(m[3]), Half, 2}, m[1] == "6"
		}
		return firstMonths(atoi(m[3]), atoi(m[1]))
	}},
	// Quý II/2026, quý II năm 2026, quý 2/2026, quý II - 2026
	{regexp.MustCompile(`^quy ([ivx]+|\d) ?(?:/|-|nam|, nam)? ?(\d{4})$`), func(m []string) (Period, bool) {
		q, ok := roman(m[1])
		return Period{atoi(m[2]), Quarter, q}, ok
	}},
	// tháng 4/2023, tháng 04 năm 2023, tháng 4-2023
	{regexp.MustCompile(`^thang (\d{1,2}) ?(?:/|-|nam|, nam)? ?(\d{4})$`), func(m []string) (Period, bool) {
		return Period{atoi(m[2]), Month, atoi(m[1])}, true
	}},
	// 4/2023, 04/2023
	{regexp.MustCompile(`^(\d{1,2})/(\d{4})$`), func(m []string) (Period, bool) { return Period{atoi(m[2]), Month, atoi(m[1])}, true }},
	// Q2 2026, Q2/2026, H1 2026
	{regexp.MustCompile(`^q(\d) ?[/ -]? ?(\d{4})$`), func(m []string) (Period, bool) { return Period{atoi(m[2]), Quarter, atoi(m[1])}, true }},
	{regexp.MustCompile(`^h(\d) ?[/ -]? ?(\d{4})$`), func(m []string) (Period, bool) { return Period{atoi(m[2]), Half, atoi(m[1])}, true }},
	{regexp.MustCompile(`^(first|second) half (?:of )?(\d{4})$`), func(m []string) (Period, bool) {
		h := 1
		if m[1] == "second" {
			h = 2
		}
		return Period{atoi(m[2]), Half, h}, true
	}},
	{regexp.MustCompile(`^first (\d{1,2}) months (?:of )?(\d{4})$`), func(m []string) (Period, bool) { return firstMonths(atoi(m[2]), atoi(m[1])) }},
	{regexp.MustCompile(`^([a-z]+),? (\d{4})$`), func(m []string) (Period, bool) {
		for i, name := range months {
			if m[1] == name || len(m[1]) >= 3 && strings.HasPrefix(name, m[1]) {
				return Period{atoi(m[2]), Month, i + 1}, true
			}
		}
		return Period{}, false
	}},
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func roman(s string) (int, bool) {
	switch s {
	case "i", "1":
		return 1, true
	case "ii", "2":
		return 2, true
	case "iii", "3":
		return 3, true
	case "iv", "4":
		return 4, true
	}
	return 0, false
}

// firstMonths is the first n months of year, as the simplest kind that spans them.
func firstMonths(year, n int) (Period, bool) {
	switch n {
	case 1:
		return Period{year, Month, 1}, true
	case 3:
		return Period{year, Quarter, 1}, true
	case 6:
		return Period{year, Half, 1}, true
	case 12:
		return Period{year, Year, 0}, true
	}
	return Period{year, FirstMonths, n}, n >= 2 && n <= 11
}

// Parse reads a period in any of the accepted forms; an unreadable one is an *Error.
func Parse(text string) (Period, error) {
	s := units.Fold(text)
	s = strings.NewReplacer("–", "-", "—", "-", " / ", "/").Replace(s)
	for _, f := range forms {
		m := f.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		p, ok := f.make(m)
		if !ok || !p.valid() {
			return Period{}, unreadable(text)
		}
		return p, nil
	}
	return Period{}, unreadable(text)
}

func (p Period) valid() bool {
	if p.Year < MinYear || p.Year > MaxYear {
		return false
	}
	switch p.Kind {
	case Year:
		return p.N == 0
	case Half:
		return p.N == 1 || p.N == 2
	case Quarter:
		return p.N >= 1 && p.N <= 4
	case Month:
		return p.N >= 1 && p.N <= 12
	case FirstMonths:
		return p.N >= 2 && p.N <= 11
	}
	return false
}

// Code is the period as the database keeps it: "2026", "2026-H1", "2026-Q2", "2026-04",
// "2026-M8".
func (p Period) Code() string {
	switch p.Kind {
	case Half:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case FirstMonths:
		return fmt.Sprintf("%04d-M%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// String is the code.
func (p Period) String() string { return p.Code() }

// months returns the first and last month the period spans.
func (p Period) months() (first, last int) {
	switch p.Kind {
	case Half:
		return 6*p.N - 5, 6 * p.N
	case Quarter:
		return 3*p.N - 2, 3 * p.N
	case Month:
		return p.N, p.N
	case FirstMonths:
		return 1, p.N
	}
	return 1, 12
}

// Start is the period's first day.
func (p Period) Start() units.Date {
	first, _ := p.months()
	return units.Date(time.Date(p.Year, time.Month(first), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
}

// End is the period's last day.
func (p Period) End() units.Date {
	_, last := p.months()
	return units.Date(time.Date(p.Year, time.Month(last)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
}

// Label is the period as offices write it: "Quý II/2026", "6 tháng đầu năm 2026",
// "8 tháng đầu năm 2023", "tháng 4/2023", "năm 2021"; in English "Q2 2026", "first half of
// 2026", "first 8 months of 2023", "April 2023", "2021" (catalog keys period.*).
func (p Period) Label(lang string) string {
	year := strconv.Itoa(p.Year)
	n := strconv.Itoa(p.N)
	switch p.Kind {
	case Half:
		return i18n.T(lang, "period.half."+n, year)
	case Quarter:
		return i18n.T(lang, "period.quarter", year, i18n.T(lang, "period.quarter_name."+n))
	case Month:
		return i18n.T(lang, "period.month", year, i18n.T(lang, "period.month_label."+n))
	case FirstMonths:
		return i18n.T(lang, "period.first_months", year, n)
	}
	return i18n.T(lang, "period.year", year)
}

// OfYear lists the periods of a year as a picker offers them: the year, its halves, its
// quarters, then its months.
func OfYear(year int) []Period {
	out := []Period{{year, Year, 0}, {year, Half, 1}, {year, Half, 2}}
	for q := 1; q <= 4; q++ {
		out = append(out, Period{year, Quarter, q})
	}
	for m := 1; m <= 12; m++ {
		out = append(out, Period{year, Month, m})
	}
	return out
}

// Label writes a period code the way offices do, or the code itself when it cannot be read
// (for the templates and lists that hold codes).
func Label(code, lang string) string {
	p, err := Parse(code)
	if err != nil {
		return code
	}
	return p.Label(lang)
}
