package imports

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
)

// FuzzRead: any bytes give rows, a *sheet.LimitError or a Rejected fault naming the file,
// never a panic (run it with a memory cap: ulimit -v); every
// row has a line and a code column to point at.
func FuzzRead(f *testing.F) {
	f.Add("v.csv", []byte("unit,set,period,code,value,note\n23575,xa-ntm-2021,2024,17.1,92.5,x\n"))
	f.Add("v.csv", []byte("\ufeffcode,value,unit,set,period\r\nTC1,đạt,01,s,2024-Q1\r\n"))
	f.Add("v.csv", []byte("unit,set,period,code,value\n\"a\"b,,,,\n"))
	f.Add("v.csv", []byte(""))
	f.Add("v.xlsx", sheettest.Tall(2<<20))
	f.Add("v.xlsx", sheettest.Wide(20000))
	f.Add("v.xlsx", workbook(f, map[string][][]any{"S": {{"unit", "set", "period", "17.1", "TC1"}, {"01", "s", "2024", "=pct:0.5", "1"}}}, "S"))
	f.Add("v.xlsx", workbook(f, map[string][][]any{"S": {{"unit", "set", "period", "code", "value"}, {"01", "s", "2024", "1.1", 3}}}, "S"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		rows, err := Read(name, bytes.NewReader(data))
		var le *sheet.LimitError
		if errors.As(err, &le) {
			return
		}
		if err != nil {
			rep, ok := Rejected(err)
			if !ok || len(rep.Problems) == 0 {
				t.Fatalf("error %v is not a report of problems", err)
			}
			for _, p := range rep.Problems {
				if p.File != name || p.Message == "" || p.Code == "" {
					t.Fatalf("problem %+v", p)
				}
			}
			return
		}
		for _, r := range rows {
			if r.Line < 1 || r.Columns == nil || r.Columns.Code == "" || r.Columns.Value == "" {
				t.Fatalf("row %+v", r)
			}
		}
	})
}
