package sheet_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
)

// office builds a workbook the way Excel users fill one in: shared strings, numbers,
// a percentage, a zero-padded code, a yes/no, a gap row, rich text.
func office(t testing.TB) []byte {
	f := excelize.NewFile()
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	pad := `00000`
	padded, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &pad})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetSheetRow("Sheet1", "A1", &[]any{"unit", "set", "period", "17.1", "note"})
	f.SetCellInt("Sheet1", "A2", 23575)
	f.SetCellStyle("Sheet1", "A2", "A2", padded)
	f.SetCellValue("Sheet1", "B2", "xa-ntm-2021")
	f.SetCellInt("Sheet1", "C2", 2024)
	f.SetCellFloat("Sheet1", "D2", 0.925, -1, 64)
	f.SetCellStyle("Sheet1", "D2", "D2", pct)
	f.SetCellBool("Sheet1", "E2", true)
	f.SetCellValue("Sheet1", "A4", "Nước sạch")
	f.SetCellRichText("Sheet1", "C4", []excelize.RichTextRun{{Text: "đạt "}, {Text: "chuẩn", Font: &excelize.Font{Bold: true}}})
	f.SetCellFloat("Sheet1", "E4", 46000, -1, 64)
	f.SetCellStyle("Sheet1", "E4", "E4", date)
	f.NewSheet("Hai")
	f.SetCellValue("Hai", "B3", "x")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRows_AsExcelShowsThem(t *testing.T) {
	b, err := sheet.OpenBytes(office(t), sheet.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Sheets(); len(got) != 2 || got[0] != "Sheet1" || got[1] != "Hai" {
		t.Fatalf("sheets %v", got)
	}
	raw, shown, err := b.Grid("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"unit", "set", "period", "17.1", "note"}, {"23575", "xa-ntm-2021", "2024", "92.50%", "TRUE"}, nil, {"Nước sạch", "", "đạt chuẩn", "", "46000"}}
	if len(shown) != len(want) {
		t.Fatalf("rows %q", shown)
	}
	for i := range want {
		if len(shown[i]) != len(want[i]) {
			t.Fatalf("row %d: %q, want %q", i+1, shown[i], want[i])
		}
		for j := range want[i] {
			if shown[i][j] != want[i][j] {
				t.Errorf("row %d col %d: %q, want %q", i+1, j, shown[i][j], want[i][j])
			}
		}
	}
	if raw[1][3] != "0.925" || raw[1][0] != "23575" {
		t.Errorf("raw %q", raw[1])
	}
	var kinds []sheet.Kind
	b.Rows("Sheet1", func(r *sheet.Row) error {
		if r.Line == 4 {
			for _, c := range r.Cells {
				kinds = append(kinds, c.Kind)
			}
			if !r.Cells[4].Date {
				t.Errorf("E4 is a date")
			}
		}
		return nil
	})
	if len(kinds) != 5 || kinds[0] != sheet.Text || kinds[1] != sheet.Empty || kinds[4] != sheet.Number {
		t.Errorf("kinds %v", kinds)
	}
	raw, _, err = b.Grid("Hai")
	if err != nil || len(raw) != 3 || raw[2][1] != "x" {
		t.Errorf("Hai: %q %v", raw, err)
	}
}

func TestOpen_Limits(t *testing.T) {
	read := func(data []byte, lim sheet.Limits) error {
		b, err := sheet.OpenBytes(data, lim)
		if err != nil {
			return err
		}
		for _, s := range b.Sheets() {
			if err := b.Rows(s, func(*sheet.Row) error { return nil }); err != nil {
				return err
			}
		}
		return nil
	}
	many, _ := sheettest.Workbook(func(w io.Writer) error {
		for i := 1; i <= 50; i++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d"><v>2</v></c></row>`, i, i, i)
		}
		return nil
	})
	for _, c := range []struct {
		name  string
		data  []byte
		lim   sheet.Limits
		limit string
	}{
		{"bomb", sheettest.Bomb(), sheet.Limits{}, sheet.LimitPart},
		{"bomb, in all", sheettest.Bomb(), sheet.Limits{Unpacked: 100 << 20, Part: 1 << 30}, sheet.LimitUnpacked},
		{"file", office(t), sheet.Limits{File: 1000}, sheet.LimitFile},
		{"columns", sheettest.Wide(200), sheet.Limits{Cols: 100}, sheet.LimitCols},
		{"columns beyond Excel", sheettest.Wide(20000), sheet.Limits{}, sheet.LimitCols},
		{"rows", sheettest.Tall(2000), sheet.Limits{Rows: 1000}, sheet.LimitRows},
		{"rows beyond Excel", sheettest.Tall(2 << 20), sheet.Limits{}, sheet.LimitRows},
		{"cells", many, sheet.Limits{Cells: 99}, sheet.LimitCells},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := read(c.data, c.lim)
			var le *sheet.LimitError
			if !errors.As(err, &le) || le.Limit != c.limit {
				t.Fatalf("want the %s limit, got %v", c.limit, err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refused after %v", d)
			}
			if le.VI() == "" || le.EN() == "" || !fault.Is(err, fault.TooLarge) {
				t.Errorf("message %q", le.Error())
			}
		})
	}
	if err := read(many, sheet.Limits{Cells: 100}); err != nil {
		t.Errorf("100 cells within a limit of 100: %v", err)
	}
}

// TestRows_LyingDirectory: a part whose directory entry says it is small is stopped at its
// limit as it unpacks, and the reader's memory stays small.
func TestRows_BombMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b, err := sheet.OpenBytes(sheettest.Bomb(), sheet.Limits{Unpacked: 1 << 30, Part: 1 << 30, Cells: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	err = b.Rows("Sheet1", func(r *sheet.Row) error {
		if rows++; rows == 3000 {
			return errors.New("enough")
		}
		return nil
	})
	if err == nil || err.Error() != "enough" {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if grown := int64(after.TotalAlloc-before.TotalAlloc) >> 20; grown > 200 {
		t.Errorf("reading 3,000 rows allocated %d MB", grown)
	}
}

func TestOpen_NotAWorkbook(t *testing.T) {
	for _, data := range [][]byte{[]byte("PK\x03\x04 not a zip"), []byte("unit,set\n"), nil} {
		_, err := sheet.OpenBytes(data, sheet.Limits{})
		if !fault.Is(err, fault.InvalidValue) || !strings.Contains(err.Error(), "not a readable .xlsx workbook") {
			t.Errorf("%q: %v", data, err)
		}
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 16383: "XFD"} {
		if got := sheet.ColumnName(i); got != want {
			t.Errorf("%d: %s, want %s", i, got, want)
		}
	}
}

// FuzzOpen: any bytes give rows, a fault of the file or a *LimitError, never a panic, within
// small limits.
func FuzzOpen(f *testing.F) {
	f.Add(office(f))
	f.Add(sheettest.Wide(30))
	f.Add(sheettest.Tall(40))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := sheet.Limits{Unpacked: 8 << 20, Part: 4 << 20, Rows: 5000, Cols: 200, Cells: 100000}
		b, err := sheet.OpenBytes(data, lim)
		if err == nil {
			for _, s := range b.Sheets() {
				if _, _, err = b.Grid(s); err != nil {
					break
				}
			}
		}
		var le *sheet.LimitError
		if err != nil && !fault.Is(err, fault.InvalidValue) && !errors.As(err, &le) {
			t.Fatalf("%T %v", err, err)
		}
	})
}
