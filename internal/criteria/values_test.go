package criteria

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
)

func TestParseValue(t *testing.T) {
	tests := []struct {
		kind Kind
		text string
		want Value
		err  string // part of the English message
	}{
		{KindBool, "1", Bool(true), ""},
		{KindBool, "0", Bool(false), ""},
		{KindBool, "TRUE", Bool(true), ""},
		{KindBool, "Đạt", Bool(true), ""},
		{KindBool, "không đạt", Bool(false), ""},
		{KindBool, "chưa đạt", Bool(false), ""},
		{KindBool, "có", Bool(true), ""},
		{KindBool, "không", Bool(false), ""},
		{KindBool, "không áp dụng", NotApplicable(), ""},
		{KindBool, "có lẽ", Value{}, "is not a yes/no value"},
		{KindPercent, "92.5", Number(92.5), ""},
		{KindPercent, "92,5", Number(92.5), ""},
		{KindPercent, "92,5%", Number(92.5), ""},
		{KindPercent, "100", Number(100), ""},
		{KindPercent, "100.5", Value{}, "not between 0 and 100"},
		{KindPercent, "-1", Value{}, "not between 0 and 100"},
		{KindNumber, "356.410.000", Number(356410000), ""},
		{KindNumber, "1.234,5", Number(1234.5), ""},
		{KindNumber, "1,234.5", Number(1234.5), ""},
		{KindNumber, "1,234", Value{}, "ambiguous"},
		{KindNumber, "1,2,3", Value{}, "ambiguous"},
		{KindNumber, "abc", Value{}, "is not a number"},
		{KindNumber, "NaN", Value{}, "is not a number"},
		{KindNumber, "1e400", Value{}, "is not a number"},
		{KindNumber, "", Value{}, "empty value"},
		{KindLevel, "Tốt", Level("Tốt"), ""},
	}
	for _, tt := range tests {
		got, err := ParseValue(tt.kind, tt.text)
		if tt.err != "" {
			w := ValueWords(err)
			if !fault.Is(err, fault.InvalidValue) || !strings.Contains(w.EN, tt.err) || w.VI == "" || w.VI == w.EN {
				t.Errorf("ParseValue(%s, %q): error %v, want %q", tt.kind, tt.text, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseValue(%s, %q) = %+v, %v; want %+v", tt.kind, tt.text, got, err, tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		f      float64
		vi, en string
	}{
		{92.5, "92,5", "92.5"},
		{356410, "356.410", "356,410"},
		{11.7777, "11,78", "11.78"},
		{-1234.5, "-1.234,5", "-1,234.5"},
		{0, "0", "0"},
	}
	for _, tt := range tests {
		if vi, en := FormatNumber(tt.f, "vi"), FormatNumber(tt.f, "en"); vi != tt.vi || en != tt.en {
			t.Errorf("%v: %q %q", tt.f, vi, en)
		}
	}
}

func TestReadValuesCSV_AndSetValues(t *testing.T) {
	s := shippedSet(t, "xa-kieu-mau-2021")
	src := "\ufeffunit,set,period,code,value,note\n" +
		"00001,xa-kieu-mau-2021,2024,KM.1,đạt,\n" +
		"00001,xa-kieu-mau-2021,2024,thu_nhap_binh_quan,80.5,ghi chú\n" +
		"00001,xa-kieu-mau-2021,2024,thu_nhap_nang_cao,\"70,0\",\n" +
		"00001,xa-kieu-mau-2021,2024,tc3,1,\n"
	rows, err := ReadValuesCSV("v.csv", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1].Line != 3 || rows[1].Note != "ghi chú" {
		t.Fatalf("rows: %+v", rows)
	}
	vals, err := s.Values("v.csv", rows)
	if err != nil {
		t.Fatal(err)
	}
	if vals["KM.1"] != Bool(true) || vals["thu_nhap_nang_cao"] != Number(70) || vals["TC3"] != Bool(true) {
		t.Errorf("values: %+v", vals)
	}

	bad := "unit,set,period,code,value\n" +
		"1,x,2024,KM.3,abc\n" +
		"1,x,2024,KM.9,1\n" +
		"1,x,2024,KM.3,2\n"
	rows, _ = ReadValuesCSV("bad.csv", strings.NewReader(bad))
	_, err = s.Values("bad.csv", rows)
	for _, want := range []string{`bad.csv:2: value: "abc" không phải là số`, `bad.csv:3: code: mã "KM.9"`, `bad.csv:4: code: mã "KM.3" đã có ở dòng 2`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	if _, err := ReadValuesCSV("h.csv", strings.NewReader("unit,code,value\n")); err == nil || !strings.Contains(err.Error(), "missing column set") {
		t.Errorf("header: %v", err)
	}
}
