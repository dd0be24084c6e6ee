// Package numfmt writes numbers and dates the Vietnamese way ("11,78", "356.410", "91,4 %",
// "15/02/2026") and the English way ("11.78", "356,410", "91.4%", "2026-02-15").
//
// lang selects English when it is "en" or starts with "en-" or "en_" (any case); anything else,
// the empty string included, is Vietnamese. Rounding is half away from zero on the shortest
// decimal form of the number (the digits a user typed), not on its binary value, so 11.775 is
// "11,78" although the float64 nearest 11.775 lies just below it.
package numfmt

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Invalid is what NaN and infinities are written as.
const Invalid = "—"

// English reports whether lang selects English.
func English(lang string) bool {
	if len(lang) < 2 || !strings.EqualFold(lang[:2], "en") {
		return false
	}
	return len(lang) == 2 || lang[2] == '-' || lang[2] == '_'
}

func separators(lang string) (group, decimal byte) {
	if English(lang) {
		return ',', '.'
	}
	return '.', ','
}

// Decimal writes x with exactly places decimals (negative places count as 0), digits grouped by
// thousands: Decimal(1234567.5, 1, "vi") = "1.234.567,5", Decimal(11.775, 2, "en") = "11.78".
func Decimal(x float64, places int, lang string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Invalid
	}
	places = max(places, 0)
	neg := x < 0
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64) // never an exponent with 'f'
	intPart, frac, _ := strings.Cut(s, ".")
	intLen := len(intPart)
	digits := make([]byte, 0, len(s)+places+1)
	digits = append(digits, intPart...)
	digits = append(digits, frac...)
	keep := intLen + places
	if len(digits) > keep {
		up := digits[keep] >= '5'
		digits = digits[:keep]
		if up {
			i := keep - 1
			for ; i >= 0 && digits[i] == '9'; i-- {
				digits[i] = '0'
			}
			if i >= 0 {
				digits[i]++
			} else {
				digits = append(digits, 0)
				copy(digits[1:], digits)
				digits[0] = '1'
				intLen++
			}
		}
	}
	for len(digits) < intLen+places {
		digits = append(digits, '0')
	}
	if neg && strings.Trim(string(digits), "0") == "" {
		neg = false // no "-0,00"
	}
	group, decimal := separators(lang)
	var b strings.Builder
	b.Grow(len(digits) + intLen/3 + 2)
	if neg {
		b.WriteByte('-')
	}
	writeGrouped(&b, digits[:intLen], group)
	if places > 0 {
		b.WriteByte(decimal)
		b.Write(digits[intLen:])
	}
	return b.String()
}

func writeGrouped(b *strings.Builder, digits []byte, sep byte) {
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(sep)
		}
		b.WriteByte(d)
	}
}

// Int writes n with thousands grouped: "10.600" in Vietnamese, "10,600" in English.
func Int(n int, lang string) string {
	s := strconv.Itoa(n)
	digits := strings.TrimPrefix(s, "-")
	if len(digits) <= 3 {
		return s
	}
	group, _ := separators(lang)
	var b strings.Builder
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	writeGrouped(&b, []byte(digits), group)
	return b.String()
}

// Percent writes x (already multiplied by 100) with places decimals and a percent sign close
// to the number, as administrative documents write it in both languages: "91,4%", "91.4%".
// Pages, reports and the command line all write shares through it, so that a figure reads the
// same wherever it is shown.
func Percent(x float64, places int, lang string) string {
	s := Decimal(x, places, lang)
	if s == Invalid {
		return s
	}
	return s + "%"
}

// Trim writes x with at most maxPlaces decimals and no trailing zeros: Trim(92.50, 2, "vi") =
// "92,5", Trim(95, 2, "vi") = "95".
func Trim(x float64, maxPlaces int, lang string) string {
	s := Decimal(x, maxPlaces, lang)
	_, decimal := separators(lang)
	if s == Invalid || strings.IndexByte(s, decimal) < 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, string(decimal))
}

// Pad2 writes counts 0 to 9 with a leading zero, as offices do in prose ("03 xã", "08 sản
// phẩm"); other numbers are written as they are.
func Pad2(n int) string {
	if n >= 0 && n <= 9 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Date writes a date given as YYYY-MM-DD: "15/02/2026" in Vietnamese, "2026-02-15" (unchanged)
// in English. A month YYYY-MM is written "02/2026" in Vietnamese. Anything else is returned as
// it is.
func Date(d string, lang string) string {
	switch len(d) {
	case len("2006-01-02"):
		if _, err := time.Parse(time.DateOnly, d); err != nil || English(lang) {
			return d
		}
		return d[8:10] + "/" + d[5:7] + "/" + d[0:4]
	case len("2006-01"):
		if _, err := time.Parse("2006-01", d); err != nil || English(lang) {
			return d
		}
		return d[5:7] + "/" + d[0:4]
	}
	return d
}

// LowerFirst lower-cases the first letter of s, rune-safe: "Đường" becomes "đường" (slicing
// the first byte would cut the two-byte "Đ" in half).
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// UpperFirst upper-cases the first letter of s, rune-safe: "đất" becomes "Đất".
func UpperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
