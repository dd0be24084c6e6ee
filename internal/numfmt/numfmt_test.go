package numfmt

import (
	"math"
	"testing"
)

func TestDecimal(t *testing.T) {
	tests := []struct {
		x      float64
		places int
		lang   string
		want   string
	}{
		// SPEC §1.4 examples.
		{212.0 / 18, 2, "vi", "11,78"},
		{356410, 0, "vi", "356.410"},
		{16.4444, 2, "vi", "16,44"},
		{938.0 / 18, 2, "vi", "52,11"},
		{1234567.5, 1, "vi", "1.234.567,5"},
		{212, 0, "vi", "212"},
		{212.0 / 18, 2, "en", "11.78"},
		{356410, 0, "en", "356,410"},
		{1234567.5, 1, "en", "1,234,567.5"},
		// Half away from zero on the digits as written, though 11.775 is stored as 11.77499….
		{11.775, 2, "vi", "11,78"},
		{-11.775, 2, "vi", "-11,78"},
		{2.5, 0, "vi", "3"},
		{-2.5, 0, "vi", "-3"},
		{0.125, 2, "en", "0.13"},
		{1.005, 2, "en", "1.01"},
		{11.774, 2, "vi", "11,77"},
		// Carries across the decimal point and into a new group.
		{999.996, 2, "vi", "1.000,00"},
		{999999.5, 0, "en", "1,000,000"},
		{9.96, 1, "vi", "10,0"},
		// Padding, negatives, zero.
		{5, 2, "vi", "5,00"},
		{-1234.5, 2, "vi", "-1.234,50"},
		{-0.001, 2, "vi", "0,00"},
		{math.Copysign(0, -1), 0, "vi", "0"},
		{0, 0, "en", "0"},
		{0.1, -1, "vi", "0"},
		{1e-7, 7, "en", "0.0000001"},
		{1e21, 0, "en", "1,000,000,000,000,000,000,000"},
		// Not a number.
		{math.NaN(), 2, "vi", "—"},
		{math.Inf(1), 2, "en", "—"},
		{math.Inf(-1), 0, "vi", "—"},
		// Language selection: anything not English is Vietnamese.
		{1234.5, 1, "", "1.234,5"},
		{1234.5, 1, "EN-us", "1,234.5"},
		{1234.5, 1, "en_GB", "1,234.5"},
		{1234.5, 1, "eng", "1.234,5"},
	}
	for _, tt := range tests {
		if got := Decimal(tt.x, tt.places, tt.lang); got != tt.want {
			t.Errorf("Decimal(%v, %d, %q) = %q, want %q", tt.x, tt.places, tt.lang, got, tt.want)
		}
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		n    int
		lang string
		want string
	}{
		{10600, "vi", "10.600"},
		{10600, "en", "10,600"},
		{0, "vi", "0"},
		{999, "vi", "999"},
		{1000, "vi", "1.000"},
		{-356410, "vi", "-356.410"},
		{-100, "en", "-100"},
		{1234567890, "en", "1,234,567,890"},
		{math.MinInt32, "en", "-2,147,483,648"},
	}
	for _, tt := range tests {
		if got := Int(tt.n, tt.lang); got != tt.want {
			t.Errorf("Int(%d, %q) = %q, want %q", tt.n, tt.lang, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		x      float64
		places int
		lang   string
		want   string
	}{
		{91.42, 1, "vi", "91,4%"},
		{91.42, 1, "en", "91.4%"},
		{100, 0, "vi", "100%"},
		{math.NaN(), 1, "vi", "—"},
	}
	for _, tt := range tests {
		if got := Percent(tt.x, tt.places, tt.lang); got != tt.want {
			t.Errorf("Percent(%v, %d, %q) = %q, want %q", tt.x, tt.places, tt.lang, got, tt.want)
		}
	}
}

func TestTrim(t *testing.T) {
	tests := []struct {
		x    float64
		max  int
		lang string
		want string
	}{
		{92.50, 2, "vi", "92,5"},
		{95, 2, "vi", "95"},
		{95.001, 2, "vi", "95"},
		{1500.25, 2, "vi", "1.500,25"},
		{1500.25, 2, "en", "1,500.25"},
		{1000, 2, "vi", "1.000"}, // group separator zeros stay
		{-0.004, 2, "en", "0"},
		{11.775, 2, "vi", "11,78"},
		{math.Inf(1), 2, "vi", "—"},
	}
	for _, tt := range tests {
		if got := Trim(tt.x, tt.max, tt.lang); got != tt.want {
			t.Errorf("Trim(%v, %d, %q) = %q, want %q", tt.x, tt.max, tt.lang, got, tt.want)
		}
	}
}

func TestPad2(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "00"}, {3, "03"}, {9, "09"}, {10, "10"}, {212, "212"}, {-1, "-1"}}
	for _, tt := range tests {
		if got := Pad2(tt.n); got != tt.want {
			t.Errorf("Pad2(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		d, lang, want string
	}{
		{"2026-02-15", "vi", "15/02/2026"},
		{"2026-02-15", "en", "2026-02-15"},
		{"2026-02", "vi", "02/2026"},
		{"2026-02", "en", "2026-02"},
		{"2026-02-30", "vi", "2026-02-30"}, // not a date: left as it is
		{"15/02/2026", "vi", "15/02/2026"},
		{"", "vi", ""},
		{"2024-H1", "vi", "2024-H1"},
	}
	for _, tt := range tests {
		if got := Date(tt.d, tt.lang); got != tt.want {
			t.Errorf("Date(%q, %q) = %q, want %q", tt.d, tt.lang, got, tt.want)
		}
	}
}

func TestFirstLetterCase(t *testing.T) {
	tests := []struct{ in, lower, upper string }{
		{"Đường giao thông", "đường giao thông", "Đường giao thông"},
		{"ngân sách", "ngân sách", "Ngân sách"},
		{"Ủy ban", "ủy ban", "Ủy ban"},
		{"đất", "đất", "Đất"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := LowerFirst(tt.in); got != tt.lower {
			t.Errorf("LowerFirst(%q) = %q, want %q", tt.in, got, tt.lower)
		}
		if got := UpperFirst(tt.in); got != tt.upper {
			t.Errorf("UpperFirst(%q) = %q, want %q", tt.in, got, tt.upper)
		}
	}
}
