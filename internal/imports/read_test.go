package imports

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/sheet/sheettest"
)

func rejected(t *testing.T, err error) *Report {
	t.Helper()
	rep, ok := Rejected(err)
	if !ok {
		t.Fatalf("want a file rejected with its problems, got %v", err)
	}
	return rep
}

func TestReadCSV_LongLayout(t *testing.T) {
	src := "\ufeffCode,unit,Set,period,value,note,tên\r\n" +
		"17.1,23575,xa-ntm-2021,2024,\"92,5\",theo biên bản,Phường Pleiku\r\n" +
		"\r\n" +
		" TC1 , 23575 ,xa-ntm-2021,2024,đạt,,\r\n"
	rows, err := Read("v.csv", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	r := rows[0]
	if r.Line != 2 || r.Unit != "23575" || r.Set != "xa-ntm-2021" || r.Period != "2024" || r.Code != "17.1" || r.Value != "92,5" || r.Note != "theo biên bản" {
		t.Errorf("row 1: %+v", r)
	}
	if rows[1].Line != 4 || rows[1].Code != "TC1" || rows[1].Unit != "23575" {
		t.Errorf("row 2: %+v", rows[1])
	}
	p := rows[0].Problem("v.csv", FieldValue, NotANumber, `"abc" không phải là số`, `"abc" is not a number`)
	if p.Line != 2 || p.Column != "value" || p.Message != `Dòng 2, cột value: "abc" không phải là số / line 2, column value: "abc" is not a number` {
		t.Errorf("problem: %+v", p)
	}
}

func TestReadCSV_FileProblems(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // substrings of the problems, in order
	}{
		{"empty", "", []string{"tệp trống"}},
		{"no values", "unit,set,period,code,value\n\n", []string{"tệp không có giá trị nào để nhập / the file holds no values to import"}},
		{"missing columns", "unit,set,code\n", []string{"thiếu cột period", "thiếu cột value"}},
		{"unknown column", "unit,set,period,code,value,extra\n", []string{`cột "extra"`}},
		{"twice", "unit,set,period,code,value,unit\n", []string{"cột unit có hai lần"}},
		{"broken quote", "unit,set,period,code,value\n01,a,2024,1.1,\"x\"y\n01,a,2024,1.2,1\n", []string{"Dòng 2", "CSV"}},
		{"not utf-8", "unit,set,period,code,value\n01,a,2024,1.1,\xff\n", []string{"UTF-8"}},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", []string{".xls"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read("v.csv", strings.NewReader(c.src))
			rep := rejected(t, err)
			var all []string
			for _, p := range rep.Problems {
				all = append(all, p.Message)
				if p.File != "v.csv" {
					t.Errorf("problem names file %q", p.File)
				}
			}
			joined := strings.Join(all, "\n")
			for _, w := range c.want {
				if !strings.Contains(joined, w) {
					t.Errorf("problems %q lack %q", joined, w)
				}
			}
		})
	}
}

// workbook builds an XLSX file from sheets of rows; a cell "=pct:0.925" is stored as the
// number 0.925 shown as a percent.
func workbook(t testing.TB, sheets map[string][][]any, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if s, ok := v.(string); ok && strings.HasPrefix(s, "=pct:") {
					f.SetCellFloat(name, cell, mustFloat(s[5:]), -1, 64)
					f.SetCellStyle(name, cell, cell, pct)
					continue
				}
				if v != nil {
					f.SetCellValue(name, cell, v)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustFloat(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return f
}

func TestReadXLSX_WideLayout(t *testing.T) {
	data := workbook(t, map[string][][]any{
		"Hướng dẫn": {{"Điền mỗi xã một dòng"}},
		"Số liệu": {
			{"BIỂU NHẬP SỐ LIỆU NÔNG THÔN MỚI"},
			{},
			{"STT", "unit", "Tên", "set", "period", "17.1", "TC1", "2.1"},
			{1, "23575", "Phường Pleiku", "xa-ntm-2021", "2024", "=pct:0.925", "đạt", nil},
			{2, "21607", "Xã Nhơn Châu", "xa-ntm-2021", "2024", 88, "0", 100},
		},
	}, "Hướng dẫn", "Số liệu")
	rows, err := Read("bieu.xlsx", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	type pos struct {
		line            int
		unit, code, val string
		valCol, unitCol string
		codeLine        int
	}
	var got []pos
	for _, r := range rows {
		if r.Sheet != "Số liệu" || r.Set != "xa-ntm-2021" || r.Period != "2024" {
			t.Errorf("row %+v", r)
		}
		got = append(got, pos{r.Line, r.Unit, r.Code, r.Value, r.Columns.Value, r.Columns.Unit, r.Columns.CodeLine})
	}
	want := []pos{
		{4, "23575", "17.1", "92.5", "F", "B", 3},
		{4, "23575", "TC1", "đạt", "G", "B", 3},
		{5, "21607", "17.1", "88", "F", "B", 3},
		{5, "21607", "TC1", "0", "G", "B", 3},
		{5, "21607", "2.1", "100", "H", "B", 3},
	}
	if len(got) != len(want) {
		t.Fatalf("rows %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// A value problem names the cell; a code problem names the header cell.
	p := rows[2].Problem("bieu.xlsx", FieldValue, NotANumber, "x", "x")
	if p.Sheet != "Số liệu" || p.Line != 5 || p.Column != "F" || !strings.HasPrefix(p.Message, "Trang tính Số liệu, dòng 5, cột F: x / sheet Số liệu, row 5, column F: x") {
		t.Errorf("value problem %+v", p)
	}
	p = rows[2].Problem("bieu.xlsx", FieldCode, UnknownCode, "x", "x")
	if p.Line != 3 || p.Column != "F" {
		t.Errorf("code problem %+v", p)
	}
}

func TestReadXLSX_LongLayout(t *testing.T) {
	data := workbook(t, map[string][][]any{
		"Values": {
			{"unit", "set", "period", "code", "value", "note"},
			{"23575", "xa-ntm-2021", "2024-Q1", "17.1", "=pct:0.9", "ghi chú"},
			{"23575", "xa-ntm-2021", "2024-Q1", "TC2", true, nil},
		},
	}, "Values")
	rows, err := Read("long.xlsx", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Value != "90" || rows[0].Note != "ghi chú" || rows[0].Line != 2 || rows[0].Columns.Value != "E" ||
		rows[1].Code != "TC2" || rows[1].Value != "1" || rows[1].Columns.CodeLine != 0 {
		t.Errorf("rows %+v / %+v", rows[0], rows[1])
	}
}

func TestReadXLSX_HeaderProblems(t *testing.T) {
	cases := []struct {
		name  string
		sheet [][]any
		want  string
	}{
		{"no header", [][]any{{"a", "b"}, {1, 2}}, "không trang tính nào có dòng tiêu đề"},
		{"wide without period", [][]any{{"unit", "set", "17.1"}}, "thiếu cột period"},
		{"code twice", [][]any{{"unit", "set", "period", "17.1", "17.1"}}, `mã "17.1" đã có ở cột D`},
		{"values without a code", [][]any{{"unit", "set", "period", "17.1"}, {"01", "s", "2024", 1, nil, 5}}, "cột F"},
		{"long with a stray column", [][]any{{"unit", "set", "period", "code", "value", "17.1"}}, `cột "17.1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read("b.xlsx", bytes.NewReader(workbook(t, map[string][][]any{"S": c.sheet}, "S")))
			rep := rejected(t, err)
			if !strings.Contains(rep.Problems[0].Message, c.want) {
				t.Errorf("problems %+v, want %q", rep.Problems, c.want)
			}
		})
	}
}

func TestRead_XLSXNamedCSVAndBadWorkbook(t *testing.T) {
	data := workbook(t, map[string][][]any{"S": {{"unit", "set", "period", "code", "value"}, {"01", "s", "2024", "1.1", 1}}}, "S")
	rows, err := Read("upload", bytes.NewReader(data)) // no extension: the content decides
	if err != nil || len(rows) != 1 {
		t.Fatalf("%v %+v", err, rows)
	}
	_, err = Read("v.xlsx", strings.NewReader("unit,set\n"))
	if rep := rejected(t, err); !strings.Contains(rep.Problems[0].Message, ".xlsx") {
		t.Errorf("%+v", rep.Problems)
	}
	_, err = Read("v.xlsx", bytes.NewReader(data[:len(data)/2]))
	rejected(t, err)
}

func TestReport_CapAndDedupe(t *testing.T) {
	r := &Report{File: "f"}
	p := NewProblem("f", "S", 1, "D", UnknownCode, "a", "b")
	r.Add(p)
	r.Add(p)
	for i := range MaxProblems + 5 {
		r.Add(NewProblem("f", "", i+2, "value", NotANumber, "x", "y"))
	}
	if len(r.Problems) != MaxProblems || r.MoreProblems != 6 {
		t.Errorf("%d problems listed, %d more", len(r.Problems), r.MoreProblems)
	}
	if msg := r.Err().Error(); !strings.Contains(msg, "1006 lỗi") || !strings.Contains(msg, "986 nữa") {
		t.Errorf("error: %s", msg)
	}
}

// TestRead_Bomb: a workbook of a megabyte that unpacks to 400 MB is refused at once, naming
// the limit, before anything is unpacked.
func TestRead_Bomb(t *testing.T) {
	start := time.Now()
	_, err := Read("bomb.xlsx", bytes.NewReader(sheettest.Bomb()))
	var le *sheet.LimitError
	if !errors.As(err, &le) || le.Limit != sheet.LimitPart {
		t.Fatalf("want the part limit, got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refused after %v", d)
	}
	_, err = Read("tall.xlsx", bytes.NewReader(sheettest.Tall(2<<20)))
	if !errors.As(err, &le) || le.Limit != sheet.LimitRows {
		t.Fatalf("want the rows limit, got %v", err)
	}
}

// A file is read as a stream: each pass from its start (a retried transaction reads it
// again), one row at a time, and an error from the caller stops the pass.
func TestFile_PassesAndStop(t *testing.T) {
	src := "unit,set,period,code,value\n01,s,2024,1.1,1\n01,s,2024,1.2,2\n01,s,2024,1.3,3\n"
	f := Open("v.csv", strings.NewReader(src))
	for pass := 1; pass <= 2; pass++ {
		var got []string
		if err := f.Each(func(r *Row) error { got = append(got, strconv.Itoa(r.Line)+":"+r.Code); return nil }); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != "2:1.1 3:1.2 4:1.3" {
			t.Errorf("pass %d: %v", pass, got)
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := f.Each(func(*Row) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("stopped pass: %d rows, %v", n, err)
	}
	// A broken line further down refuses the file, after the rows before it.
	bad := Open("v.csv", strings.NewReader(src+"01,s,2024,\"x\"y,1\n"))
	n = 0
	err := bad.Each(func(*Row) error { n++; return nil })
	if rep := rejected(t, err); n != 3 || len(rep.Problems) != 1 || rep.Problems[0].Line != 5 {
		t.Errorf("%d rows, problems %+v", n, rep.Problems)
	}
}
