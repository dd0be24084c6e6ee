package resources

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/units"
)

// Cell is one cell of an import file. Number says the spreadsheet stored a number, whose
// Text is then its raw value ("195420", "104.48"); text cells are read the Vietnamese way
// ("195.420" is a hundred and ninety-five thousand four hundred and twenty).
type Cell struct {
	Text   string
	Number bool
}

// Row is a row of an import file with its line (the spreadsheet's row number, from 1).
type Row struct {
	Line  int
	Cells []Cell
}

// Table is the rows of the first sheet of a workbook, or of a CSV file.
type Table struct {
	File  string
	Sheet string // empty for CSV
	Rows  []Row
}

// maxRows bounds an import file: lists of a province's works or models fit many times over.
const maxRows = 100000

// ReadTable reads an XLSX workbook (its first sheet) or a CSV file (UTF-8, comma or
// semicolon separated), told apart by their first bytes.
func ReadTable(name string, b []byte) (*Table, error) {
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return readXLSX(name, b)
	}
	return readCSV(name, b)
}

// Limits bound an import workbook (see package sheet): lists of a province's works or models
// fit many times over.
var Limits = sheet.Limits{File: 20 << 20, Unpacked: 128 << 20, Part: 128 << 20, Rows: maxRows, Cols: 200, Cells: 2_000_000}

// readXLSX streams the first sheet; a workbook over a limit gets a *sheet.LimitError.
func readXLSX(name string, b []byte) (*Table, error) {
	book, err := sheet.OpenBytes(b, Limits)
	var le *sheet.LimitError
	if errors.As(err, &le) {
		return nil, err
	}
	if err != nil {
		return nil, ImportFault(name, []Problem{{VI: "không đọc được tệp Excel: " + err.Error(), EN: "cannot read the Excel file: " + err.Error()}})
	}
	sheets := book.Sheets()
	if len(sheets) == 0 {
		return nil, ImportFault(name, []Problem{{VI: "tệp Excel không có trang tính nào", EN: "the workbook has no sheet"}})
	}
	t := &Table{File: name, Sheet: sheets[0]}
	err = book.Rows(t.Sheet, func(sr *sheet.Row) error {
		r := Row{Line: sr.Line}
		empty := true
		for _, sc := range sr.Cells {
			c := Cell{Text: strings.TrimSpace(sc.Raw)}
			if c.Text != "" {
				empty = false
				if sc.Kind == sheet.Number {
					_, perr := strconv.ParseFloat(c.Text, 64)
					c.Number = perr == nil
				}
			}
			r.Cells = append(r.Cells, c)
		}
		if !empty {
			t.Rows = append(t.Rows, r)
		}
		return nil
	})
	if errors.As(err, &le) {
		if le.Limit == sheet.LimitRows {
			return nil, ImportFault(name, []Problem{{VI: fmt.Sprintf("tệp có quá %d dòng", maxRows), EN: fmt.Sprintf("more than %d rows", maxRows)}})
		}
		return nil, err
	}
	if err != nil {
		return nil, ImportFault(name, []Problem{{VI: "không đọc được tệp Excel: " + err.Error(), EN: "cannot read the Excel file: " + err.Error()}})
	}
	return t, nil
}

func readCSV(name string, b []byte) (*Table, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		return nil, ImportFault(name, []Problem{{VI: "tệp không phải Excel (.xlsx) hay CSV mã UTF-8", EN: "the file is neither Excel (.xlsx) nor UTF-8 CSV"}})
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(b))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	t := &Table{File: name}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			if pe, ok := err.(*csv.ParseError); ok {
				line = pe.Line
			}
			return nil, ImportFault(name, []Problem{{Line: line, VI: "CSV không hợp lệ: " + err.Error(), EN: "bad CSV: " + err.Error()}})
		}
		line, _ := r.FieldPos(0)
		if len(t.Rows) >= maxRows {
			return nil, ImportFault(name, []Problem{{VI: fmt.Sprintf("tệp có quá %d dòng", maxRows), EN: fmt.Sprintf("more than %d rows", maxRows)}})
		}
		row := Row{Line: line}
		empty := true
		for _, v := range rec {
			v = strings.TrimSpace(v)
			empty = empty && v == ""
			row.Cells = append(row.Cells, Cell{Text: v})
		}
		if !empty {
			t.Rows = append(t.Rows, row)
		}
	}
	return t, nil
}

// Problem is what is wrong at a place of an import file: a row (Line, 0 for the whole file)
// and a column (its letter, "" for the whole row).
type Problem struct {
	Line   int    `json:"line,omitempty"`
	Column string `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	VI     string `json:"message"`
	EN     string `json:"message_en"`
}

// Text is the problem in lang with its place: "Dòng 14, cột C: …".
func (p Problem) Text(lang string) string {
	var where string
	switch {
	case lang == "en" && p.Line > 0 && p.Column != "":
		where = fmt.Sprintf("Row %d, column %s: ", p.Line, p.Column)
	case lang == "en" && p.Line > 0:
		where = fmt.Sprintf("Row %d: ", p.Line)
	case p.Line > 0 && p.Column != "":
		where = fmt.Sprintf("Dòng %d, cột %s: ", p.Line, p.Column)
	case p.Line > 0:
		where = fmt.Sprintf("Dòng %d: ", p.Line)
	}
	if lang == "en" {
		return where + p.EN
	}
	return where + p.VI
}

// ImportFault is the fault of a file with problems: nothing of it is stored. Its message is
// short, as the API answers it; the rows at fault are its Problems, a []Problem (read them
// back with fault.ProblemsOf), and its Args the file's name (see ImportFile), for the pages'
// sentences. The command line prints the problems one per line before the message.
func ImportFault(file string, probs []Problem) *fault.Error {
	return &fault.Error{Code: fault.InvalidFile, Problems: probs, Args: []any{file},
		Text: fmt.Sprintf("%s: %d lỗi, không nhập dòng nào (%d problems, nothing imported)", file, len(probs), len(probs))}
}

// ImportFile is the name of the file of err's ImportFault, and its problems; ok is false when
// err is not one.
func ImportFile(err error) (file string, probs []Problem, ok bool) {
	f, isFault := fault.As(err)
	if !isFault {
		return "", nil, false
	}
	probs, ok = f.Problems.([]Problem)
	if ok && len(f.Args) == 1 {
		file, _ = f.Args[0].(string)
	}
	return file, probs, ok
}

// column is a field an import layout knows, with the headers offices give it.
type column struct {
	field    string
	headers  []string // folded (units.Fold) forms
	required bool
}

// layout finds the header row (the first row, among the first 20, holding a header of the
// first column) and maps each of its cells to a field; cells of ignored headers map to "".
type layout struct {
	cols    []column
	ignored []string // folded headers to skip (STT, tên đơn vị…)
	extra   func(folded string) (field string, ok bool)
}

type located struct {
	header int            // line of the header row
	index  map[string]int // field → cell index
	letter map[string]string
	rows   []Row
}

func colLetter(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}

func (l layout) locate(t *Table) (*located, []Problem) {
	var probs []Problem
	key := l.cols[0].headers
	hi := -1
	for i, r := range t.Rows {
		if i >= 20 {
			break
		}
		for _, c := range r.Cells {
			if slices.Contains(key, Fold(c.Text)) {
				hi = i
				break
			}
		}
		if hi >= 0 {
			break
		}
	}
	if hi < 0 {
		return nil, []Problem{{VI: fmt.Sprintf("không tìm thấy dòng tiêu đề có cột %q", key[0]),
			EN: fmt.Sprintf("no header row with a column %q", key[0])}}
	}
	hdr := t.Rows[hi]
	loc := &located{header: hdr.Line, index: map[string]int{}, letter: map[string]string{}, rows: t.Rows[hi+1:]}
	for i, c := range hdr.Cells {
		h := Fold(c.Text)
		if h == "" || slices.Contains(l.ignored, h) {
			continue
		}
		field := ""
		for _, col := range l.cols {
			if slices.Contains(col.headers, h) {
				field = col.field
				break
			}
		}
		if field == "" && l.extra != nil {
			if f, ok := l.extra(h); ok {
				field = f
			}
		}
		if field == "" {
			probs = append(probs, Problem{Line: hdr.Line, Column: colLetter(i), VI: fmt.Sprintf("cột %q không rõ là gì; đổi tên cột hoặc xóa cột", c.Text),
				EN: fmt.Sprintf("column %q is not known; rename or remove it", c.Text)})
			continue
		}
		if j, dup := loc.index[field]; dup {
			probs = append(probs, Problem{Line: hdr.Line, Column: colLetter(i), VI: fmt.Sprintf("cột %q trùng với cột %s", c.Text, colLetter(j)),
				EN: fmt.Sprintf("column %q repeats column %s", c.Text, colLetter(j))})
			continue
		}
		loc.index[field] = i
		loc.letter[field] = colLetter(i)
	}
	for _, col := range l.cols {
		if _, ok := loc.index[col.field]; col.required && !ok {
			probs = append(probs, Problem{Line: hdr.Line, VI: fmt.Sprintf("thiếu cột %q", col.headers[0]), EN: fmt.Sprintf("column %q is missing", col.headers[0])})
		}
	}
	return loc, probs
}

// cell returns the row's cell of field and its column letter.
func (loc *located) cell(r Row, field string) (Cell, string) {
	i, ok := loc.index[field]
	if !ok || i >= len(r.Cells) {
		return Cell{}, loc.letter[field]
	}
	return r.Cells[i], loc.letter[field]
}

// Fold is how the words of a table are matched: headers, kinds, statuses and names, folded
// (units.Fold) with white space of any kind collapsed.
func Fold(s string) string { return units.Fold(strings.Join(strings.Fields(s), " ")) }

// FoldAll folds each of ss.
func FoldAll(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Fold(s)
	}
	return out
}

// readFixed reads a number cell: a spreadsheet number rounded to thousandths, or text the
// Vietnamese way.
func readFixed(c Cell) (Fixed, error) {
	if c.Number {
		f, err := strconv.ParseFloat(c.Text, 64)
		if err != nil {
			return 0, err
		}
		return FromFloat(f)
	}
	return ParseLocal(c.Text, "vi")
}

// readInt reads a whole number cell (a year, a criterion number).
func readInt(c Cell) (int, error) {
	v, err := readFixed(c)
	if err != nil || v%Scale != 0 {
		return 0, fmt.Errorf("%q không phải là số nguyên (%q is not a whole number)", c.Text, c.Text)
	}
	return int(v / Scale), nil
}

// readDate reads a date cell: a spreadsheet date, or text "15/02/2026" or "2026-02-15".
func readDate(c Cell) (units.Date, error) {
	if c.Number {
		f, _ := strconv.ParseFloat(c.Text, 64)
		t, err := excelize.ExcelDateToTime(f, false)
		if err == nil && t.Year() >= minYear && t.Year() <= maxYear {
			return units.Date(t.Format("2006-01-02")), nil
		}
	}
	if d, err := units.ReadDate(c.Text); err == nil {
		return d, nil
	}
	parts := strings.FieldsFunc(c.Text, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) == 3 && len(parts[2]) == 4 {
		dd, e1 := strconv.Atoi(parts[0])
		mm, e2 := strconv.Atoi(parts[1])
		if e1 == nil && e2 == nil {
			if d, err := units.ReadDate(fmt.Sprintf("%s-%02d-%02d", parts[2], mm, dd)); err == nil {
				return d, nil
			}
		}
	}
	return "", fmt.Errorf("%q không phải là ngày (ngày/tháng/năm) (%q is not a date, dd/mm/yyyy)", c.Text, c.Text)
}
