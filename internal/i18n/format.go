package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The formatters below are the one place the pages format numbers and dates. They follow
// the offices' conventions: Vietnamese "356.410" and "11,78", English "356,410" and "11.78",
// dates dd/mm/yyyy in both. (When internal/numfmt lands they delegate to it.)

// separators returns the thousands and decimal separators of lang.
func separators(lang string) (thousands, decimal string) {
	if lang == EN {
		return ",", "."
	}
	return ".", ","
}

// Int formats a whole number with thousands separators: 356410 → "356.410" (vi).
func Int(n int64, lang string) string {
	th, _ := separators(lang)
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(th)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Decimal formats x with the given number of decimal places: 11.78 → "11,78" (vi).
func Decimal(x float64, places int, lang string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	if places < 0 {
		places = 0
	}
	s := strconv.FormatFloat(x, 'f', places, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := Int(n, lang)
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-" + out
	}
	if places > 0 {
		_, dec := separators(lang)
		out += dec + frac
	}
	return out
}

// Percent formats x (already in per cent) with places decimals and a % sign: "91,4 %" (vi),
// "91.4%" (en).
func Percent(x float64, places int, lang string) string {
	if lang == EN {
		return Decimal(x, places, lang) + "%"
	}
	return Decimal(x, places, lang) + " %"
}

// Date formats a day given as YYYY-MM-DD as dd/mm/yyyy; text that is not such a day comes
// back unchanged.
func Date(day string, lang string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
