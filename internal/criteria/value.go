package criteria

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
)

// ValueKind says which field of a Value holds it.
type ValueKind uint8

const (
	ValueNone          ValueKind = iota // no value (missing, or a threshold not known)
	ValueNumber                         // Num
	ValueBool                           // Bool
	ValueLevel                          // Level
	ValueNotApplicable                  // "không áp dụng": the indicator does not apply here
)

// Value is an entered or computed value, or a threshold.
type Value struct {
	Num   float64
	Level string
	Kind  ValueKind
	Bool  bool
}

// Values are one unit's values for one period, keyed by indicator code, data-element key
// (used by formulas) or TC<N> for a criterion assessed directly.
type Values map[string]Value

// Number, Bool, Level and NotApplicable build values.
func Number(f float64) Value { return Value{Kind: ValueNumber, Num: f} }
func Bool(b bool) Value      { return Value{Kind: ValueBool, Bool: b} }
func Level(s string) Value   { return Value{Kind: ValueLevel, Level: s} }
func NotApplicable() Value   { return Value{Kind: ValueNotApplicable} }

// IsSet reports whether v holds a value.
func (v Value) IsSet() bool { return v.Kind != ValueNone }

func (v Value) MarshalJSON() ([]byte, error) {
	switch v.Kind {
	case ValueNumber:
		if math.IsNaN(v.Num) || math.IsInf(v.Num, 0) {
			return []byte("null"), nil
		}
		return []byte(strconv.FormatFloat(v.Num, 'f', -1, 64)), nil
	case ValueBool:
		return []byte(strconv.FormatBool(v.Bool)), nil
	case ValueLevel:
		return json.Marshal(v.Level)
	case ValueNotApplicable:
		return []byte(`"not_applicable"`), nil
	}
	return []byte("null"), nil
}

func (v *Value) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	switch t := x.(type) {
	case nil:
		*v = Value{}
	case float64:
		*v = Number(t)
	case bool:
		*v = Bool(t)
	case string:
		if t == "not_applicable" {
			*v = NotApplicable()
		} else {
			*v = Level(t)
		}
	default:
		return fmt.Errorf("criteria: a value must be a number, a boolean or a string")
	}
	return nil
}

// valueErr is the fault of a value that cannot be read; its words are in Vietnamese and
// English (see ValueWords).
func valueErr(vi, en string) *fault.Error {
	return fault.Both(fault.InvalidValue, vi, en)
}

// ValueWords is what a value that cannot be read (ParseValue's fault) says, in both
// languages; any other error says its text in both.
func ValueWords(err error) fault.Words {
	if f, ok := fault.As(err); ok && f.Words != nil {
		return *f.Words
	}
	return fault.Words{VI: err.Error(), EN: err.Error()}
}

var trueWords = map[string]bool{
	"1": true, "true": true, "đạt": true, "đ": true, "có": true, "yes": true, "x": true, "✓": true, "met": true, "dat": true, "co": true,
	"0": false, "false": false, "không đạt": false, "chưa đạt": false, "không": false, "no": false, "✗": false,
	"not met": false, "khong dat": false, "chua dat": false, "khong": false,
}

var naWords = map[string]bool{
	"không áp dụng": true, "khong ap dung": true, "n/a": true, "na": true, "not applicable": true, "kad": true,
}

// ParseBool reads the booleans offices write: 1/0, true/false, đạt/không đạt/chưa đạt, có/không.
func ParseBool(text string) (bool, bool) {
	b, ok := trueWords[strings.ToLower(strings.TrimSpace(text))]
	return b, ok
}

// ParseValue reads text entered for an indicator of the given kind. Booleans: 1/0,
// true/false, đạt/không đạt/chưa đạt, có/không. Numbers: a dot for decimals ("92.5"); a
// Vietnamese decimal comma ("92,5") is accepted when it cannot be a thousands separator.
// A percent must lie between 0 and 100. "không áp dụng" (or n/a) marks the indicator as not
// applicable to the unit.
func ParseValue(kind Kind, text string) (Value, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return Value{}, valueErr("giá trị trống", "empty value")
	}
	if naWords[strings.ToLower(t)] {
		return NotApplicable(), nil
	}
	switch kind {
	case KindBool:
		if b, ok := ParseBool(t); ok {
			return Bool(b), nil
		}
		return Value{}, valueErr(
			fmt.Sprintf("%q không phải là đạt/không đạt (dùng 1/0, true/false, đạt/không đạt, có/không)", t),
			fmt.Sprintf("%q is not a yes/no value (use 1/0, true/false, đạt/không đạt, có/không)", t))
	case KindNumber, KindPercent:
		s := t
		if kind == KindPercent {
			s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
		}
		f, err := parseNumber(s)
		if err != nil {
			return Value{}, err
		}
		if kind == KindPercent && (f < 0 || f > 100) {
			return Value{}, valueErr(
				fmt.Sprintf("tỷ lệ %s không nằm trong khoảng 0–100", FormatNumber(f, "vi")),
				fmt.Sprintf("rate %s is not between 0 and 100", FormatNumber(f, "en")))
		}
		return Number(f), nil
	case KindLevel:
		return Level(t), nil
	}
	return Value{}, valueErr(fmt.Sprintf("loại chỉ tiêu %q không rõ", kind), fmt.Sprintf("unknown indicator kind %q", kind))
}

// parseNumber reads a decimal number with a dot, or a Vietnamese decimal comma when that is
// unambiguous; grouped thousands ("356.410" with two groups or more, "1.234,5") are accepted.
func parseNumber(text string) (float64, error) {
	notNum := func() error {
		return valueErr(fmt.Sprintf("%q không phải là số", text), fmt.Sprintf("%q is not a number", text))
	}
	s := text
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == ',' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, notNum()
		}
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots > 0 && commas > 0:
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") { // 1.234,5
			if commas > 1 || !grouped(s[:strings.LastIndex(s, ",")], '.') {
				return 0, notNum()
			}
			s = strings.ReplaceAll(s, ".", "")
			s = strings.Replace(s, ",", ".", 1)
		} else { // 1,234.5
			if dots > 1 || !grouped(s[:strings.LastIndex(s, ".")], ',') {
				return 0, notNum()
			}
			s = strings.ReplaceAll(s, ",", "")
		}
	case commas == 1:
		after := s[strings.Index(s, ",")+1:]
		if len(after) == 3 {
			return 0, valueErr(
				fmt.Sprintf("%q không rõ là số thập phân hay phần nghìn; dùng dấu chấm cho phần thập phân", text),
				fmt.Sprintf("%q is ambiguous (decimal or thousands?); use a dot for decimals", text))
		}
		s = strings.Replace(s, ",", ".", 1)
	case commas > 1:
		return 0, valueErr(
			fmt.Sprintf("%q không rõ cách viết số; dùng dấu chấm cho phần thập phân", text),
			fmt.Sprintf("%q is ambiguous; use a dot for decimals and no thousands separator", text))
	case dots > 1:
		if !grouped(s, '.') {
			return 0, notNum()
		}
		s = strings.ReplaceAll(s, ".", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, notNum()
	}
	return f, nil
}

// grouped reports whether s is digits grouped by three with sep ("356.410.000").
func grouped(s string, sep byte) bool {
	s = strings.TrimLeft(s, "+-")
	parts := strings.Split(s, string(sep))
	if len(parts) == 1 {
		return len(s) > 0
	}
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// FormatNumber writes f the Vietnamese way ("92,5", "356.410") for lang "vi" and the
// English way ("92.5", "356,410") otherwise, with at most two decimals.
func FormatNumber(f float64, lang string) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 2 {
		s = strconv.FormatFloat(f, 'f', 2, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	thou, dec := ",", "."
	if lang == "vi" {
		thou, dec = ".", ","
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(intPart); i++ {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteByte(intPart[i])
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// Text writes v for people in lang ("vi" or "en").
func (v Value) Text(lang string) string {
	switch v.Kind {
	case ValueNumber:
		return FormatNumber(v.Num, lang)
	case ValueBool:
		if lang == "vi" {
			if v.Bool {
				return "có"
			}
			return "không"
		}
		if v.Bool {
			return "yes"
		}
		return "no"
	case ValueLevel:
		return v.Level
	case ValueNotApplicable:
		if lang == "vi" {
			return "không áp dụng"
		}
		return "not applicable"
	}
	return "—"
}
