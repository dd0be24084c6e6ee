package resources

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/numfmt"
)

// Fixed is a decimal number with up to three places, kept exactly as a whole number of
// thousandths: amounts of money in triệu đồng (million VND, so the unit of Fixed is one
// thousand VND) and quantities of works (km to the metre). Sums of Fixed never drift the way
// sums of float64 do, so a reported total is compared with the sum of its parts exactly.
type Fixed int64

// Scale is the number of thousandths in one.
const Scale = 1000

// maxFixed keeps sums of many amounts far from overflowing int64 (about 9.2e15 triệu đồng).
const maxFixed = Fixed(math.MaxInt64 / 1024)

// FromInt is n as a Fixed (n triệu đồng, n km).
func FromInt(n int64) Fixed { return Fixed(n * Scale) }

// Float is x as a float64, for ratios and charts only; never add Floats of money.
func (x Fixed) Float() float64 { return float64(x) / Scale }

// String writes x as the API and files write numbers: a dot for decimals, no grouping, no
// trailing zeros ("370600", "104.48", "-1").
func (x Fixed) String() string {
	neg := x < 0
	if neg {
		x = -x
	}
	s := strconv.FormatInt(int64(x/Scale), 10)
	if frac := int64(x % Scale); frac != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Format writes x for people in lang: "370.600", "104,48" in Vietnamese, "370,600",
// "104.48" in English (numfmt's conventions), with no trailing zeros.
func (x Fixed) Format(lang string) string {
	neg := x < 0
	if neg {
		x = -x
	}
	s := numfmt.Int(int(x/Scale), lang)
	if frac := int64(x % Scale); frac != 0 {
		dec := ","
		if numfmt.English(lang) {
			dec = "."
		}
		s += dec + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MarshalJSON writes x as a plain JSON number.
func (x Fixed) MarshalJSON() ([]byte, error) { return []byte(x.String()), nil }

// UnmarshalJSON reads a JSON number (or a string holding one) exactly, without passing
// through float64: 0.1 is 100 thousandths, not 99.99999….
func (x *Fixed) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 1 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	v, err := ParseFixed(string(b))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

var plainNumber = regexp.MustCompile(`^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$`)

// ParseFixed reads a number written plainly, as JSON and the command line write it ("370600",
// "104.48", "1e3"); more than three decimal places that are not zeros are refused rather than
// rounded, since they would be lost.
func ParseFixed(s string) (Fixed, error) {
	s = strings.TrimSpace(s)
	m := plainNumber.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q không phải là số (%q is not a number)", s, s)
	}
	digits, frac := m[1], m[2]
	if m[3] != "" {
		exp, err := strconv.Atoi(m[3])
		if err != nil || exp > 18 || exp < -18 {
			return 0, fmt.Errorf("%q: số quá lớn hoặc quá nhỏ (%q is out of range)", s, s)
		}
		all := digits + frac
		point := len(digits) + exp
		for point > len(all) {
			all += "0"
		}
		for point < 0 {
			all = "0" + all
			point++
		}
		digits, frac = all[:point], all[point:]
	}
	return fixedFromParts(s, strings.HasPrefix(s, "-"), digits, frac)
}

func fixedFromParts(s string, neg bool, digits, frac string) (Fixed, error) {
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 3 {
		return 0, fmt.Errorf("%q có quá 3 chữ số thập phân (%q has more than 3 decimal places)", s, s)
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 15 {
		return 0, fmt.Errorf("%q: số quá lớn (%q is too large)", s, s)
	}
	var whole int64
	if digits != "" {
		whole, _ = strconv.ParseInt(digits, 10, 64)
	}
	f, _ := strconv.ParseInt((frac + "000")[:3], 10, 64)
	v := Fixed(whole*Scale + f)
	if v > maxFixed {
		return 0, fmt.Errorf("%q: số quá lớn (%q is too large)", s, s)
	}
	if neg {
		v = -v
	}
	return v, nil
}

var (
	viGrouped = regexp.MustCompile(`^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$`)
	enGrouped = regexp.MustCompile(`^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$`)
)

// ParseLocal reads a number as people type it in lang: in Vietnamese "370.600" (a dot groups
// thousands when every group after it has three digits), "1.234,5" and "104,48" (a comma is
// the decimal mark); in English "370,600" and "104.48". A plain number such as "104.48" in a
// Vietnamese form is read with a decimal dot, since its dot cannot be a thousands separator.
func ParseLocal(s, lang string) (Fixed, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	t = strings.ReplaceAll(t, "\u00a0", "")
	group, dec := ".", ","
	grouped := viGrouped
	if numfmt.English(lang) {
		group, dec, grouped = ",", ".", enGrouped
	}
	switch {
	case grouped.MatchString(t):
		t = strings.ReplaceAll(t, group, "")
		t = strings.Replace(t, dec, ".", 1)
	case dec == "," && strings.Count(t, ",") == 1 && !strings.Contains(t, "."):
		t = strings.Replace(t, ",", ".", 1)
	}
	v, err := ParseFixed(t)
	if err != nil {
		return 0, fmt.Errorf("%q không phải là số (%q is not a number)", strings.TrimSpace(s), strings.TrimSpace(s))
	}
	return v, nil
}

// FromFloat rounds x to thousandths: for numbers that come as binary floating point
// (spreadsheet cells), each rounded on its own before any sum.
func FromFloat(x float64) (Fixed, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > maxFixed.Float() {
		return 0, fmt.Errorf("%v: số không hợp lệ (not a valid number)", x)
	}
	return Fixed(math.Round(x * Scale)), nil
}

// Sum adds xs.
func Sum(xs ...Fixed) Fixed {
	var s Fixed
	for _, x := range xs {
		s += x
	}
	return s
}

// Percent is 100 × part / whole, for shares and rates; ok is false when whole is zero.
func Percent(part, whole Fixed) (float64, bool) {
	if whole == 0 {
		return 0, false
	}
	return 100 * float64(part) / float64(whole), true
}
