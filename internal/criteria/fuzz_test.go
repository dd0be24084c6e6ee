package criteria

import (
	"bytes"
	"io/fs"
	"math"
	"testing"

	"github.com/ntm-vn/ntm/data"

	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
)

// FuzzParseYAML: the loader never panics, and a set it accepts formats, parses back and
// evaluates without panicking.
func FuzzParseYAML(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("id: x\ncriteria: *a\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("- 1\n- 2\n"))
	f.Add([]byte(""))
	names, _ := fs.Glob(data.FS, "criteria/*.yaml")
	for _, n := range names {
		b, _ := fs.ReadFile(data.FS, n)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("fuzz.yaml", src)
		if err != nil || !s.Resolved() {
			return
		}
		out, err := Format(s)
		if err != nil {
			t.Fatalf("format: %v", err)
		}
		if _, err := Parse("formatted.yaml", out); err != nil {
			t.Fatalf("a set that loads must load again after Format: %v\n%s", err, out)
		}
		vals := Values{"17.1": Number(50), "a": Number(0), "b": Bool(true), "TC1": Bool(true)}
		for _, c := range s.Criteria {
			for _, in := range c.Indicators {
				vals[in.Code] = Number(1)
			}
		}
		for _, u := range []Unit{{}, {Region: "DBSH", Group: "nhom-1", Tags: []string{"dac-biet-kho-khan"}}} {
			r, err := Evaluate(s, u, vals, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range r.Indicators {
				_ = r.Indicators[i].ReasonVI()
			}
		}
	})
}

// FuzzImportXLSX: the workbook reader never panics on any bytes.
func FuzzImportXLSX(f *testing.F) {
	f.Add(officeWorkbook(f))
	var buf bytes.Buffer
	if s, err := ShippedSets(); err == nil {
		ExportXLSX(s[0], &buf)
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Add(sheettest.Tall(30000))
	f.Add(sheettest.Wide(300))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ImportXLSX("fuzz.xlsx", bytes.NewReader(b))
		if err == nil && s.Resolved() {
			if _, err := Evaluate(s, Unit{Region: "DBSH"}, Values{}, Options{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzParseValue: reading entered text never panics, and a number it reads is finite.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"92,5", "1.234,5", "đạt", "", "1e5", "356.410.000", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []Kind{KindBool, KindNumber, KindPercent, KindLevel} {
			v, err := ParseValue(k, s)
			if err == nil && v.Kind == ValueNumber && (math.IsNaN(v.Num) || math.IsInf(v.Num, 0)) {
				t.Fatalf("%q read as %v", s, v.Num)
			}
		}
	})
}
