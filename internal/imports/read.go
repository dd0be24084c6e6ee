package imports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ntm-vn/ntm/internal/sheet"
)

// Source is the rows of an import as a stream: each call of Each reads them from the start
// and calls fn with one row at a time, so that an import holds what it found, not the file.
// The row passed to fn is valid only during the call. An error from fn stops the pass and
// comes back from Each.
type Source interface {
	Each(fn func(r *Row) error) error
}

// Rows is a Source over rows held in memory (tests, generated data).
type Rows []Row

// Each calls fn with each row.
func (rs Rows) Each(fn func(r *Row) error) error {
	for i := range rs {
		if err := fn(&rs[i]); err != nil {
			return err
		}
	}
	return nil
}

// Len is how many rows there are.
func (rs Rows) Len() int { return len(rs) }

// File is a values file as a Source: XLSX when it is a zip archive (whatever its name says),
// else CSV. Each pass reads it from the start, so r must be an io.Seeker for a second pass
// (a transaction retried); an XLSX file needs an io.ReaderAt, else it is read into memory.
//
// Problems with the file itself (a missing column, broken CSV quoting, an unknown layout)
// come back from Each as a Rejected fault naming the file, sheet, line and column; a header
// problem before any row, a problem of a row after the pass (the rows before it have been
// seen). Problems with the rows' contents are for the import's check to find.
type File struct {
	name   string
	r      io.Reader
	size   int64
	passes int
}

// Open returns filename's rows, read from r, as a Source; nothing is read until Each.
func Open(filename string, r io.Reader) *File {
	return &File{name: filename, r: r, size: sizeOf(r)}
}

// Each reads the file from its start, calling fn with each row that holds something.
func (f *File) Each(fn func(r *Row) error) error {
	if f.passes > 0 {
		s, ok := f.r.(io.Seeker)
		if !ok {
			return fmt.Errorf("%s: the file cannot be read twice", f.name)
		}
		if _, err := s.Seek(0, io.SeekStart); err != nil {
			return err
		}
	}
	f.passes++
	n := 0
	count := func(r *Row) error {
		n++
		return fn(r)
	}
	br := bufio.NewReaderSize(f.r, 64<<10)
	head, _ := br.Peek(8)
	var err error
	switch filename := f.name; {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		err = readXLSX(filename, f.r, br, f.size, count)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return reject(filename, NewProblem(filename, "", 0, "", BadFile,
			"tệp Excel 97-2003 (.xls) không đọc được; hãy lưu lại thành .xlsx hoặc CSV UTF-8",
			"Excel 97-2003 workbooks (.xls) cannot be read; save the file as .xlsx or CSV UTF-8"))
	case strings.EqualFold(filepath.Ext(filename), ".xlsx"), strings.EqualFold(filepath.Ext(filename), ".xlsm"):
		return reject(filename, NewProblem(filename, "", 0, "", BadFile,
			"tệp không phải là bảng tính .xlsx", "the file is not an .xlsx workbook"))
	default:
		err = readCSV(filename, br, count)
	}
	if err == nil && n == 0 {
		// A file without a single value is the wrong file, not an import that changed nothing.
		return reject(f.name, NewProblem(f.name, "", 0, "", Missing, "tệp không có giá trị nào để nhập", "the file holds no values to import"))
	}
	return err
}

// Read reads a whole values file into memory (see File for the problems it returns).
func Read(filename string, r io.Reader) ([]Row, error) {
	var rows []Row
	if err := Open(filename, r).Each(func(r *Row) error {
		rows = append(rows, *r)
		return nil
	}); err != nil {
		return nil, err
	}
	return rows, nil
}

// sizeOf is the size of what r holds, when r knows it (a file, bytes in memory), else 0.
func sizeOf(r io.Reader) int64 {
	switch x := r.(type) {
	case interface{ Len() int }:
		return int64(x.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if st, err := x.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size()
		}
	}
	return 0
}

// Header names. A header cell may use the English name or the Vietnamese one; columns that
// name the unit or number the rows are there for people and are skipped.
var headerNames = map[string]string{
	"unit": FieldUnit, "mã đơn vị": FieldUnit, "ma don vi": FieldUnit,
	"set": FieldSet, "bộ tiêu chí": FieldSet, "bo tieu chi": FieldSet,
	"period": FieldPeriod, "kỳ": FieldPeriod, "ky": FieldPeriod,
	"code": FieldCode, "mã chỉ tiêu": FieldCode, "ma chi tieu": FieldCode,
	"value": FieldValue, "giá trị": FieldValue, "gia tri": FieldValue,
	"note": FieldNote, "ghi chú": FieldNote, "ghi chu": FieldNote,
}

var skippedHeaders = map[string]bool{
	"name": true, "tên": true, "ten": true, "tên đơn vị": true, "ten don vi": true,
	"stt": true, "tt": true, "#": true,
}

func headerKey(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
}

// readCSV reads the long layout: unit,set,period,code,value[,note] in any order.
func readCSV(filename string, r io.Reader, fn func(*Row) error) error {
	rep := &Report{File: filename}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		msgVI, msgEN := "tệp trống", "empty file"
		if !errors.Is(err, io.EOF) {
			msgVI, msgEN = "CSV không hợp lệ: "+err.Error(), "invalid CSV: "+err.Error()
		}
		return reject(filename, NewProblem(filename, "", 1, "", BadFile, msgVI, msgEN))
	}
	idx := map[string]int{}
	cols := &Columns{}
	for i, h := range head {
		k := headerKey(h)
		f, known := headerNames[k]
		switch {
		case k == "" || skippedHeaders[k]:
			continue
		case !known:
			rep.Add(NewProblem(filename, "", 1, k, BadHeader,
				fmt.Sprintf("cột %q không thuộc định dạng unit,set,period,code,value[,note]", h),
				fmt.Sprintf("column %q is not one of unit,set,period,code,value[,note]", h)))
			continue
		}
		if _, dup := idx[f]; dup {
			rep.Add(NewProblem(filename, "", 1, k, BadHeader, "cột "+f+" có hai lần", "column "+f+" given twice"))
			continue
		}
		idx[f] = i
		setColumn(cols, f, k)
	}
	for _, f := range []string{FieldUnit, FieldSet, FieldPeriod, FieldCode, FieldValue} {
		if _, ok := idx[f]; !ok {
			rep.Add(NewProblem(filename, "", 1, "", BadHeader, "thiếu cột "+f, "missing column "+f))
		}
	}
	if rep.Failed() {
		return rep.Err()
	}
	get := func(rec []string, f string) string {
		i, ok := idx[f]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var row Row // one row at a time: fn keeps what it needs
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			rep.Add(NewProblem(filename, "", line, "", BadFile, "dòng CSV không hợp lệ: "+err.Error(), "invalid CSV line: "+err.Error()))
			if pe == nil {
				break // a read error, not a parse error: the rest cannot be read
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		row = Row{Line: line, Unit: get(rec, FieldUnit), Set: get(rec, FieldSet), Period: get(rec, FieldPeriod),
			Code: get(rec, FieldCode), Value: get(rec, FieldValue), Note: get(rec, FieldNote), Columns: cols}
		if row.Unit == "" && row.Set == "" && row.Period == "" && row.Code == "" && row.Value == "" && row.Note == "" {
			continue
		}
		if !utf8.ValidString(row.Unit + row.Set + row.Period + row.Code + row.Value + row.Note) {
			rep.Add(NewProblem(filename, "", line, "", BadFile, "dòng không phải mã UTF-8; hãy lưu tệp dạng CSV UTF-8",
				"the line is not UTF-8; save the file as CSV UTF-8"))
			continue
		}
		if rep.Failed() {
			continue // the file is refused: look for its other problems only
		}
		if err := fn(&row); err != nil {
			return err
		}
	}
	return rep.Err()
}

func setColumn(c *Columns, field, name string) {
	switch field {
	case FieldUnit:
		c.Unit = name
	case FieldSet:
		c.Set = name
	case FieldPeriod:
		c.Period = name
	case FieldCode:
		c.Code = name
	case FieldValue:
		c.Value = name
	case FieldNote:
		c.Note = name
	}
}

// headerSearch is how many rows from the top of a sheet may hold titles before the header.
const headerSearch = 10

// Limits bound a values workbook (see package sheet): a sheet as large as Excel's.
var Limits = sheet.Limits{}

// readXLSX reads every sheet that has a header row (one naming the unit column, within the
// first rows): the long layout when the header names code and value, else the wide layout.
// Sheets without one (instructions, lists) are skipped. Sheets are read as streams of rows
// within Limits; a file over a limit gets a *sheet.LimitError.
func readXLSX(filename string, r io.Reader, br io.Reader, size int64, fn func(*Row) error) error {
	ra, ok := r.(io.ReaderAt)
	if !ok || size == 0 {
		data, err := sheet.ReadAll(br, Limits.With().File)
		if err != nil {
			return err
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	b, err := sheet.Open(ra, size, Limits)
	if err != nil {
		return xlsxErr(filename, "", err)
	}
	rep := &Report{File: filename}
	found := false
	for _, name := range b.Sheets() {
		s := &sheetReader{file: filename, sheet: name, head: -1, rep: rep, emit: fn}
		err := b.Rows(name, s.row)
		if s.stop != nil {
			return s.stop
		}
		if errors.Is(err, errSkipSheet) {
			err = nil
		}
		var le *sheet.LimitError
		if errors.As(err, &le) {
			return err
		}
		if err != nil {
			rep.Add(NewProblem(filename, name, 0, "", BadFile, "không đọc được trang tính: "+err.Error(), "cannot read the sheet: "+err.Error()))
			continue
		}
		found = found || s.head >= 0
	}
	if !found && !rep.Failed() {
		rep.Add(NewProblem(filename, "", 0, "", BadHeader,
			"không trang tính nào có dòng tiêu đề unit,set,period,code,value (dạng dọc) hoặc unit,set,period,<mã chỉ tiêu>… (dạng ngang)",
			"no sheet has a header row unit,set,period,code,value (long layout) or unit,set,period,<code>… (wide layout)"))
	}
	return rep.Err()
}

// xlsxErr passes a limit on, and makes anything else a problem with the file.
func xlsxErr(filename, sheetName string, err error) error {
	var le *sheet.LimitError
	if errors.As(err, &le) {
		return err
	}
	return reject(filename, NewProblem(filename, sheetName, 0, "", BadFile,
		"không mở được bảng tính: "+err.Error(), "cannot open the workbook: "+err.Error()))
}

// sheetReader reads the rows of one sheet as they stream by: it looks for the header row in
// the first rows, then turns each row below it into values.
type sheetReader struct {
	file, sheet string
	rep         *Report
	emit        func(*Row) error
	stop        error // what emit returned, ending the reading
	head        int   // line of the header row, -1 until found

	header   []string // shown text of the header's cells
	field    map[string]int
	codeCols []int
	named    map[int]bool
	long     bool
	cols     *Columns   // the long layout's
	wide     []*Columns // the wide layout's, by code column
	failed   bool       // the header has problems: only look for more
}

func colName(i int) string { return sheet.ColumnName(i) }

func shownAt(r *sheet.Row, c int) string {
	if c < 0 || c >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[c].Shown())
}

// valueAt is the cell as a value: the stored number, not its display (which may round it or
// group thousands), times 100 when shown as a percent ("92,5 %" is stored as 0.925).
func valueAt(r *sheet.Row, c int) string {
	if c < 0 || c >= len(r.Cells) {
		return ""
	}
	cell := r.Cells[c]
	if cell.Kind != sheet.Number && cell.Kind != sheet.Bool {
		return strings.TrimSpace(cell.Shown())
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(cell.Raw), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return strings.TrimSpace(cell.Shown())
	}
	if cell.Percent > 0 {
		f *= 100
	}
	// Twelve significant digits drop the binary noise of ×100 (0.925 × 100 = 92.50000000000001).
	g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	return strconv.FormatFloat(g, 'f', -1, 64)
}

func (s *sheetReader) row(r *sheet.Row) error {
	if s.head < 0 {
		if r.Line > headerSearch {
			return errSkipSheet
		}
		for _, c := range r.Cells {
			if headerNames[headerKey(c.Shown())] == FieldUnit {
				s.header = make([]string, len(r.Cells))
				for i := range r.Cells {
					s.header[i] = r.Cells[i].Shown()
				}
				s.head = r.Line
				s.readHeader()
				return nil
			}
		}
		return nil
	}
	// Values in a column without a code in the header row.
	for c := range r.Cells {
		if !s.named[c] && shownAt(r, c) != "" && !skippedHeaders[headerKey(s.headerAt(c))] {
			s.rep.Add(NewProblem(s.file, s.sheet, s.head, colName(c), BadHeader,
				"cột có số liệu nhưng dòng tiêu đề không ghi mã chỉ tiêu", "the column holds values but its header names no code"))
			s.named[c] = true
			s.failed = true
		}
	}
	if s.failed {
		return nil
	}
	get := func(f string) string {
		i, ok := s.field[f]
		if !ok {
			return ""
		}
		return shownAt(r, i)
	}
	if s.long {
		row := Row{Sheet: s.sheet, Line: r.Line, Unit: get(FieldUnit), Set: get(FieldSet), Period: get(FieldPeriod),
			Code: get(FieldCode), Value: valueAt(r, s.field[FieldValue]), Note: get(FieldNote), Columns: s.cols}
		if row.Unit == "" && row.Set == "" && row.Period == "" && row.Code == "" && row.Value == "" && row.Note == "" {
			return nil
		}
		return s.send(&row)
	}
	unit, set, period, note := get(FieldUnit), get(FieldSet), get(FieldPeriod), get(FieldNote)
	for k, i := range s.codeCols {
		v := valueAt(r, i)
		if v == "" {
			continue
		}
		row := Row{Sheet: s.sheet, Line: r.Line, Unit: unit, Set: set, Period: period,
			Code: strings.TrimSpace(s.header[i]), Value: v, Note: note, Columns: s.wide[k]}
		if err := s.send(&row); err != nil {
			return err
		}
	}
	return nil
}

// send hands a row on, unless the file already has problems: then only more are looked for.
func (s *sheetReader) send(r *Row) error {
	if s.rep.Failed() {
		return nil
	}
	if err := s.emit(r); err != nil {
		s.stop = err
		return err
	}
	return nil
}

func (s *sheetReader) headerAt(c int) string {
	if c < len(s.header) {
		return strings.TrimSpace(s.header[c])
	}
	return ""
}

// readHeader reads the header row's columns: the fields, and the codes of the wide layout.
func (s *sheetReader) readHeader() {
	head := s.header
	line0 := s.head
	s.field = map[string]int{}
	codeAt := map[string]int{}
	for i, h := range head {
		k := headerKey(h)
		f, known := headerNames[k]
		switch {
		case k == "" || skippedHeaders[k]:
			continue
		case known:
			if _, dup := s.field[f]; dup {
				s.rep.Add(NewProblem(s.file, s.sheet, line0, colName(i), BadHeader, "cột "+f+" có hai lần", "column "+f+" given twice"))
				continue
			}
			s.field[f] = i
		default:
			code := strings.TrimSpace(h)
			if j, dup := codeAt[code]; dup {
				s.rep.Add(NewProblem(s.file, s.sheet, line0, colName(i), BadHeader,
					fmt.Sprintf("mã %q đã có ở cột %s", code, colName(j)), fmt.Sprintf("code %q already in column %s", code, colName(j))))
				continue
			}
			codeAt[code] = i
			s.codeCols = append(s.codeCols, i)
		}
	}
	_, hasCode := s.field[FieldCode]
	_, hasValue := s.field[FieldValue]
	s.long = hasCode || hasValue
	need := []string{FieldUnit, FieldSet, FieldPeriod}
	if s.long {
		need = append(need, FieldCode, FieldValue)
		for _, i := range s.codeCols {
			s.rep.Add(NewProblem(s.file, s.sheet, line0, colName(i), BadHeader,
				fmt.Sprintf("cột %q không thuộc định dạng unit,set,period,code,value[,note]", head[i]),
				fmt.Sprintf("column %q is not one of unit,set,period,code,value[,note]", head[i])))
		}
	} else if len(s.codeCols) == 0 {
		s.rep.Add(NewProblem(s.file, s.sheet, line0, "", BadHeader, "dòng tiêu đề không có cột mã chỉ tiêu nào", "the header row names no indicator code"))
	}
	for _, f := range need {
		if _, ok := s.field[f]; !ok {
			s.rep.Add(NewProblem(s.file, s.sheet, line0, "", BadHeader, "thiếu cột "+f, "missing column "+f))
		}
	}
	s.failed = s.rep.Failed()
	s.named = map[int]bool{}
	for _, i := range s.field {
		s.named[i] = true
	}
	for _, i := range s.codeCols {
		s.named[i] = true
	}
	letter := func(f string) string {
		if i, ok := s.field[f]; ok {
			return colName(i)
		}
		return ""
	}
	if s.long {
		s.cols = &Columns{Unit: letter(FieldUnit), Set: letter(FieldSet), Period: letter(FieldPeriod),
			Code: letter(FieldCode), Value: letter(FieldValue), Note: letter(FieldNote)}
		return
	}
	s.wide = make([]*Columns, len(s.codeCols))
	for k, i := range s.codeCols {
		s.wide[k] = &Columns{Unit: letter(FieldUnit), Set: letter(FieldSet), Period: letter(FieldPeriod),
			Code: colName(i), Value: colName(i), Note: letter(FieldNote), CodeLine: line0}
	}
}

// errSkipSheet stops reading a sheet without a header row near its top.
var errSkipSheet = errors.New("no header row")
