package recognition

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
)

// workbook builds an .xlsx whose first sheet holds rows; a time.Time becomes a date cell.
func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellValue(sheet, cell, v)
			if _, ok := v.(time.Time); ok {
				f.SetCellStyle(sheet, cell, cell, dateStyle)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadRegistry(t *testing.T) {
	head := []any{"STT", "Mã đơn vị", "Tên đơn vị", "Mức đạt chuẩn", "Số quyết định", "Ngày quyết định", "Người ký"}
	good := workbook(t, [][]any{
		{"DANH SÁCH XÃ ĐẠT CHUẨN NÔNG THÔN MỚI"}, // a title above the header
		{},
		head,
		{1, "00004", "Xã A", "NTM", "1234/QĐ-UBND", time.Date(2019, 12, 20, 0, 0, 0, 0, time.UTC), "Chủ tịch UBND tỉnh"},
		{2, "00007", "Xã B", "Nông thôn mới nâng cao", "15/QĐ-UBND", "05/01/2021", ""},
		{},
		{3, "00010", "Xã C", "kieu-mau", "99/QĐ-UBND", "2023-11-30", ""},
	})
	rows, err := ReadRegistry(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []RegistryRow{
		{Row: 4, Unit: "00004", Tier: "ntm", Decision: "1234/QĐ-UBND", Date: "2019-12-20", Signer: "Chủ tịch UBND tỉnh"},
		{Row: 5, Unit: "00007", Tier: "nang-cao", Decision: "15/QĐ-UBND", Date: "2021-01-05"},
		{Row: 7, Unit: "00010", Tier: "kieu-mau", Decision: "99/QĐ-UBND", Date: "2023-11-30"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows: %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
}

func TestReadRegistry_RowErrors(t *testing.T) {
	bad := workbook(t, [][]any{
		{"Mã đơn vị", "Mức đạt chuẩn", "Số quyết định", "Ngày quyết định"},
		{"00004", "NTM", "1/QĐ", "31/02/2020"},
		{"Xã A", "vàng", "", "2020-01-01"},
		{"00004", "NTM", "1/QĐ", "2020-03-01"},
	})
	_, err := ReadRegistry(bytes.NewReader(bad))
	probs, ok := fault.ProblemsOf[[]RowProblem](err)
	if !ok || !fault.Is(err, fault.InvalidFile) {
		t.Fatalf("want an import fault, got %v", err)
	}
	msg := problemLines(err)
	for _, want := range []string{
		`Dòng 2, cột D: "31/02/2020" không phải là ngày`,
		`Dòng 3, cột A: "Xã A" không phải là mã đơn vị`,
		`Dòng 3, cột B: mức "vàng" không rõ`,
		`Dòng 3, cột C: thiếu số quyết định`,
		`Dòng 4: trùng với dòng 2`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("no %q in:\n%s", want, msg)
		}
	}
	if len(probs) != 5 {
		t.Errorf("%d problems: %s", len(probs), msg)
	}
	// A missing column, a file that is not a workbook.
	if _, err := ReadRegistry(bytes.NewReader(workbook(t, [][]any{{"Mã đơn vị", "Số quyết định"}, {"00004", "1"}}))); err == nil ||
		!strings.Contains(problemLines(err), `thiếu cột "Mức đạt chuẩn"`) || !strings.Contains(problemLines(err), `thiếu cột "Ngày quyết định"`) {
		t.Errorf("missing columns: %v", err)
	}
	if _, err := ReadRegistry(strings.NewReader("unit,tier\n")); err == nil || !strings.Contains(problemLines(err), ".xlsx") {
		t.Errorf("not a workbook: %v", err)
	}
}

// problemLines is the problems of err, an import fault, one per line.
func problemLines(err error) string {
	probs, _ := fault.ProblemsOf[[]RowProblem](err)
	lines := make([]string, len(probs))
	for i, p := range probs {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func TestParseTier(t *testing.T) {
	for in, want := range map[string]string{"NTM": "ntm", "ntm": "ntm", "Nông thôn mới": "ntm", "NTM nâng cao": "nang-cao",
		"nang-cao": "nang-cao", "Xã NTM kiểu mẫu": "kieu-mau", "NTM hiện đại": "hien-dai", "vàng": "", "": ""} {
		got, ok := ParseTier(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseTier(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

// FuzzReadRegistry: any bytes are read, refused with problems or refused over a limit of
// package sheet, never a panic (run it with a memory cap: ulimit -v).
func FuzzReadRegistry(f *testing.F) {
	f.Add(workbook(f, [][]any{{"Mã đơn vị", "Mức đạt chuẩn", "Số quyết định", "Ngày quyết định"}, {"00004", "NTM", "1/QĐ", "01/02/2020"}}))
	f.Add(sheettest.Tall(200000))
	f.Add(sheettest.Wide(300))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ReadRegistry(bytes.NewReader(b))
		var le *sheet.LimitError
		if _, ok := fault.ProblemsOf[[]RowProblem](err); err != nil && !ok && !errors.As(err, &le) {
			t.Fatalf("%T %v", err, err)
		}
	})
}

// FuzzReadRegistryRows: any table of cells is either read or refused with row-level
// problems, never a panic, and every row read is complete.
func FuzzReadRegistryRows(f *testing.F) {
	f.Add("Mã đơn vị|Mức đạt chuẩn|Số quyết định|Ngày quyết định\n00004|NTM|1/QĐ|01/02/2020")
	f.Add("ma don vi|tier|decision|date|set\n123|nang cao|x|45000|xa-ntm-2021\n\n1|ntm|y|2020-1-1|")
	f.Add("unit|tier|decision|date\n|||")
	f.Fuzz(func(t *testing.T, s string) {
		var rows [][]string
		for _, line := range strings.Split(s, "\n") {
			rows = append(rows, strings.Split(line, "|"))
		}
		out, err := parseRegistryRows(rows)
		if err != nil {
			if probs, _ := fault.ProblemsOf[[]RowProblem](err); len(probs) == 0 {
				t.Fatalf("error %v is not an import error with problems", err)
			}
			return
		}
		for _, r := range out {
			if r.Unit == "" || r.Tier == "" || r.Decision == "" || r.Date == "" || r.Row < 2 {
				t.Fatalf("incomplete row %+v", r)
			}
		}
	})
}

func TestCheckFile(t *testing.T) {
	big := append([]byte("%PDF-1.4\n"), make([]byte, MaxFileSize)...)
	for _, c := range []struct {
		name    string
		content []byte
		want    string // content type, or "" for a refusal
	}{
		{"to-trinh.pdf", []byte("%PDF-1.7 ..."), "application/pdf"},
		{`C:\Users\xa\Bien ban.PDF`, []byte("%PDF-1.7"), "application/pdf"},
		{"anh.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, "image/jpeg"},
		{"bao-cao.docx", []byte("PK\x03\x04rest"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"bao-cao.doc", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, "application/msword"},
		{"virus.exe", []byte("MZ"), ""},
		{"fake.pdf", []byte("<html>"), ""},
		{"empty.pdf", nil, ""},
		{"big.pdf", big, ""},
		{"", []byte("%PDF-"), ""},
	} {
		name, ct, err := CheckFile(c.name, c.content)
		if ct != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%q: %q %v, want %q", c.name, ct, err, c.want)
		}
		if err == nil && strings.ContainsAny(name, `/\`) {
			t.Errorf("%q: name %q keeps a directory", c.name, name)
		}
	}
}
