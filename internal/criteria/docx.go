package criteria

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/units"
)

// Import of an annex table from the decision's own Word document (DOCX): the table headed
// TT | Tên tiêu chí | Nội dung tiêu chí | Chỉ tiêu chung, then optionally one column per region
// (named or abbreviated: "Trung du và miền núi phía Bắc", "ĐBSH") or per commune group
// ("Nhóm 1"). Merged cells are followed (a criterion's name spanning its indicator rows, header
// cells spanning columns). Thresholds are read from the Vietnamese text; a cell that cannot be
// read is kept as text, with no threshold, and listed by row and column. Nothing is guessed.

// Limits on a DOCX: the file and its main part, uncompressed.
const (
	MaxDocxSize     = 20 << 20
	maxDocxXMLBytes = 32 << 20
)

// docxFault is a DOCX that cannot be used: malformed, or without an annex table
// (InvalidValue, the user's to fix). Its message is "file: what is wrong". A DOCX over a
// limit is a sheet.LimitFault (TooLarge), as a workbook over one is.
func docxFault(file, msg string) *fault.Error {
	return &fault.Error{Code: fault.InvalidValue, Text: file + ": " + msg}
}

// DocxIdentity is what the document does not say about the set: its id and legal basis.
type DocxIdentity struct {
	ID, Title, Decision string
	Issued, Effective   units.Date
	Level, Tier         string
	Extends             string
}

// DocxCell is a cell whose text could not be read as a threshold.
type DocxCell struct {
	Row    int    `json:"row"`    // table row, from 1
	Column string `json:"column"` // the column's header
	Text   string `json:"text"`
}

func (c DocxCell) String() string {
	return fmt.Sprintf("dòng %d, cột %s: %q không đọc được thành ngưỡng; giữ nguyên văn bản, không có ngưỡng", c.Row, c.Column, c.Text)
}

// DocxResult is a set read from a DOCX: its YAML (the set's own format), the cells kept as
// text, and the source recorded for every threshold it gives.
type DocxResult struct {
	File       string // the document's name as given
	YAML       []byte
	Unreadable []DocxCell
	Source     string // "FILE (SHA-256 …)"
	VariesBy   string
	// Identity is the set's identity as used: the one given, completed from the document's
	// title lines where it says nothing.
	Identity DocxIdentity
	// rows holds, for each line of YAML (from 1), the table row and column it was written
	// from, so that a problem found in the YAML is told where the user can find it.
	rows map[int]DocxCell
}

// mark notes that the YAML lines from..to-1 come from row and column of the table.
func (r *DocxResult) mark(from, to, row int, column string) {
	if r.rows == nil {
		r.rows = map[int]DocxCell{}
	}
	for l := from; l < to; l++ {
		r.rows[l] = DocxCell{Row: row, Column: column}
	}
}

// Parse reads the set from its YAML; problems are named by the table's row and column.
func (r *DocxResult) Parse() (*Set, error) {
	s, err := Parse(r.File, r.YAML)
	return s, r.Locate(err)
}

// Locate rewrites the problems of a ValidationFault about the set's YAML (from Parse, a
// Catalog or an import) as problems of the document's table, by row and column; any other
// error is returned as it is.
func (r *DocxResult) Locate(err error) error {
	ps, ok := ValidationProblems(err)
	if !ok {
		return err
	}
	out := make([]Problem, len(ps))
	for i, p := range ps {
		if c, ok := r.rows[p.Line]; ok && p.File == r.File {
			p.Line, p.Row, p.Column = 0, c.Row, c.Column
		}
		out[i] = p
	}
	return ValidationFault(out)
}

// ReadDocxTables returns the tables of a DOCX as grids of cell texts: merged cells are
// repeated over every grid position they cover.
func ReadDocxTables(file string, data []byte) ([][][]string, error) {
	d, err := readDocx(file, data)
	if err != nil {
		return nil, err
	}
	return d.tables, nil
}

// docxText is what is read from a document: its tables, and its paragraphs outside them
// (where the title lines are: the decision's number and date, the set's name).
type docxText struct {
	tables [][][]string
	paras  []docxPara
}

// docxPara is a paragraph outside the tables, after the first `table` tables.
type docxPara struct {
	text  string
	table int
}

// linesBefore are the texts before table k, in the document's order: paragraphs and the
// cells of the tables before it (a decision's header block is often a table).
func (d *docxText) linesBefore(k int) []string {
	var out []string
	for j := 0; j <= k; j++ {
		if j > 0 {
			for _, r := range d.tables[j-1] {
				for ci, c := range r {
					if c != "" && (ci == 0 || r[ci-1] != c) {
						out = append(out, c)
					}
				}
			}
		}
		for _, p := range d.paras {
			if p.table == j {
				out = append(out, p.text)
			}
		}
	}
	return out
}

func readDocx(file string, data []byte) (*docxText, error) {
	if len(data) > MaxDocxSize {
		return nil, sheet.LimitFault(sheet.LimitFile, MaxDocxSize, "")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, docxFault(file, "không phải tệp Word (.docx) hợp lệ: "+err.Error())
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return nil, docxFault(file, "không có word/document.xml: không phải tệp Word (.docx)")
	}
	if doc.UncompressedSize64 > maxDocxXMLBytes {
		return nil, sheet.LimitFault(sheet.LimitPart, maxDocxXMLBytes, "word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, docxFault(file, err.Error())
	}
	defer rc.Close()
	raw, err := io.ReadAll(io.LimitReader(rc, maxDocxXMLBytes+1))
	if err != nil || len(raw) > maxDocxXMLBytes {
		return nil, docxFault(file, "không đọc được word/document.xml")
	}
	return parseDocx(file, raw)
}

type docxCell struct {
	text  string
	span  int
	merge string // "", "restart", "continue"
}

func parseDocx(file string, raw []byte) (*docxText, error) {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var tables [][][]string
	var paras []docxPara
	type tbl struct{ rows [][]docxCell }
	var stack []*tbl
	var row []docxCell
	var cell *docxCell
	var para strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, docxFault(file, "XML của văn bản hỏng: "+err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tbl":
				stack = append(stack, &tbl{})
			case "tr":
				row = nil
			case "tc":
				cell = &docxCell{span: 1}
			case "gridSpan":
				if cell != nil {
					if n, err := strconv.Atoi(attr(t, "val")); err == nil && n > 1 && n < 100 {
						cell.span = n
					}
				}
			case "vMerge":
				if cell != nil {
					if attr(t, "val") == "restart" {
						cell.merge = "restart"
					} else {
						cell.merge = "continue"
					}
				}
			case "p":
				para.Reset()
			case "t":
				inText = true
			case "tab":
				para.WriteByte(' ')
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if cell != nil {
					if s := strings.TrimSpace(para.String()); s != "" {
						if cell.text != "" {
							cell.text += "\n"
						}
						cell.text += s
					}
				} else if s := strings.TrimSpace(para.String()); s != "" && len(stack) == 0 {
					paras = append(paras, docxPara{s, len(tables)})
				}
			case "tc":
				if cell != nil {
					row = append(row, *cell)
				}
				cell = nil
			case "tr":
				if len(stack) > 0 {
					top := stack[len(stack)-1]
					top.rows = append(top.rows, row)
				}
			case "tbl":
				if len(stack) == 0 {
					continue
				}
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				tables = append(tables, gridOf(top.rows))
			}
		}
	}
	return &docxText{tables: tables, paras: paras}, nil
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// gridOf expands spans and vertical merges into a grid of texts.
func gridOf(rows [][]docxCell) [][]string {
	var grid [][]string
	for ri, r := range rows {
		var out []string
		for _, c := range r {
			for k := 0; k < c.span; k++ {
				col := len(out)
				text := c.text
				if c.merge == "continue" && ri > 0 && col < len(grid[ri-1]) {
					text = grid[ri-1][col]
				}
				out = append(out, text)
			}
		}
		grid = append(grid, out)
	}
	return grid
}

// ParsedThreshold is a threshold read from a cell.
type ParsedThreshold struct {
	Op    Op
	Value Value
	Kind  Kind
	Unit  string
}

var thresholdRE = regexp.MustCompile(`^(≥|>=|≤|<=|=|tối thiểu|tối đa|từ|dưới|không quá)?\s*(\d+(?:[.,]\d+)?)\s*(%|[\p{L}][\p{L}\s/]*)?$`)

// ParseThresholdVI reads a threshold as annexes write it: "≥ 90%", "≥90 %", "100%", "Đạt",
// "Có", "Không", "≤ 2%", "≥ 45 triệu đồng/người". ok is false for anything else.
func ParseThresholdVI(s string) (ParsedThreshold, bool) {
	s = strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	switch strings.ToLower(s) {
	case "đạt", "có":
		return ParsedThreshold{Op: OpEqual, Value: Bool(true), Kind: KindBool}, true
	case "không":
		return ParsedThreshold{Op: OpEqual, Value: Bool(false), Kind: KindBool}, true
	}
	m := thresholdRE.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return ParsedThreshold{}, false
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", "."), 64)
	if err != nil {
		return ParsedThreshold{}, false
	}
	p := ParsedThreshold{Op: OpAtLeast, Value: Number(n), Kind: KindNumber}
	switch m[1] {
	case "≤", "<=", "tối đa", "không quá":
		p.Op = OpAtMost
	case "dưới":
		return ParsedThreshold{}, false // strictly below: the engine's comparators do not say it
	}
	unit := strings.TrimSpace(m[3])
	if unit == "%" {
		p.Kind, p.Unit = KindPercent, "%"
		if n < 0 || n > 100 {
			return ParsedThreshold{}, false
		}
	} else if unit != "" {
		// keep the unit as written (original case)
		orig := thresholdRE.FindStringSubmatch(s)
		if orig != nil {
			unit = strings.TrimSpace(orig[3])
		}
		p.Unit = unit
	}
	return p, true
}

// docxColumn is what a column of the annex table holds.
type docxColumn struct {
	kind   string // tt, name, content, general, key
	key    string // region code or nhom-N
	header string
}

func classifyHeader(h string) docxColumn {
	f := strings.Join(strings.Fields(units.Fold(h)), " ")
	c := docxColumn{header: strings.Join(strings.Fields(h), " ")}
	switch {
	case f == "tt" || f == "stt":
		c.kind = "tt"
	case strings.Contains(f, "ten tieu chi"):
		c.kind = "name"
	case strings.Contains(f, "noi dung"):
		c.kind = "content"
	case strings.Contains(f, "chi tieu chung"):
		c.kind = "general"
	default:
		for _, r := range units.Regions {
			rf := units.Fold(r.NameVI)
			if strings.Contains(f, rf) || strings.HasSuffix(f, strings.ToLower(r.Code)) || f == strings.ToLower(r.Code) {
				return docxColumn{kind: "key", key: r.Code, header: c.header}
			}
		}
		if g := NormalizeGroup(strings.TrimPrefix(strings.TrimPrefix(f, "chi tieu theo "), "xa ")); groupIndex(g) >= 0 {
			return docxColumn{kind: "key", key: g, header: c.header}
		}
		for _, g := range []string{"1", "2", "3"} {
			if strings.HasSuffix(f, "nhom "+g) {
				return docxColumn{kind: "key", key: "nhom-" + g, header: c.header}
			}
		}
	}
	return c
}

// What the title lines of a decision or its annex state: "Số: 3098/QĐ-UBND", "(Kèm theo
// Quyết định số 318/QĐ-TTg ngày 08 tháng 3 năm 2022 …)", "BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ …".
var (
	docDecisionRE = regexp.MustCompile(`(?i)(?:^|[\s(])số\s*:?\s*(\d+(?:/\d{4})?/[\p{L}\d]+(?:-[\p{L}\d]+)*)`)
	docDateRE     = regexp.MustCompile(`(?i)ngày\s+(\d{1,2})(?:\s+tháng\s+|/)(\d{1,2})(?:\s+năm\s+|/)(\d{4})`)
	docTitleRE    = regexp.MustCompile(`(?i)(bộ\s+tiêu\s+chí\s.*)$`)
)

// completedFrom fills what id leaves empty of the title, the decision's number and its date
// from the lines before the annex table, nearest to it first; the date is the one written
// with the decision's number or on the line after it. Nothing else is inferred.
func (id DocxIdentity) completedFrom(lines []string) DocxIdentity {
	var decision, title string
	var issued units.Date
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.Join(strings.Fields(lines[i]), " ")
		if m := docTitleRE.FindStringSubmatch(l); m != nil && title == "" {
			title = m[1]
		}
		if m := docDecisionRE.FindStringSubmatch(l); m != nil && decision == "" {
			decision = m[1]
			// "Số: …" and "…, ngày … tháng … năm …" stand side by side in the header block.
			if d, ok := docDate(l); ok {
				issued = d
			} else if i+1 < len(lines) {
				issued, _ = docDate(lines[i+1])
			}
		}
	}
	if id.Title == "" {
		id.Title = title
	}
	if id.Decision == "" {
		id.Decision = decision
	}
	if id.Issued == "" {
		id.Issued = issued
	}
	return id
}

// docDate reads "ngày 08 tháng 3 năm 2022" or "ngày 08/3/2022" in l.
func docDate(l string) (units.Date, bool) {
	m := docDateRE.FindStringSubmatch(l)
	if m == nil {
		return "", false
	}
	d, err := units.ReadDate(m[1] + "/" + m[2] + "/" + m[3])
	return d, err == nil
}

var indicatorCodeRE = regexp.MustCompile(`^(\d+(?:\.\d+)*)\.?\s+`)

// ImportDocx reads the annex table of a DOCX into a criteria set with the identity given.
func ImportDocx(file string, data []byte, id DocxIdentity) (*DocxResult, error) {
	if id.ID == "" {
		return nil, docxFault(file, "cần mã bộ tiêu chí (--id)")
	}
	doc, err := readDocx(file, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	res := &DocxResult{File: file, Source: fmt.Sprintf("%s (SHA-256 %s)", fileBase(file), hex.EncodeToString(sum[:]))}
	t, k, err := findAnnexTable(file, doc.tables)
	if err != nil {
		return nil, err
	}
	id = id.completedFrom(doc.linesBefore(k))
	res.Identity = id
	res.VariesBy = t.variesBy()
	crits, err := t.criteria(file)
	if err != nil {
		return nil, err
	}
	w := &annexWriter{t: t, res: res}
	w.set(id, crits)
	res.YAML = []byte(w.b.String())
	return res, nil
}

// annexTable is the annex table of a document: its grid of texts, what each column holds,
// and how many header rows it has.
type annexTable struct {
	grid [][]string
	cols []docxColumn
	head int
}

// findAnnexTable returns the first table whose header rows name TT, Tên tiêu chí and Chỉ tiêu
// chung; the error says what was looked for and the headers of the tables found instead.
func findAnnexTable(file string, tables [][][]string) (*annexTable, int, error) {
	var seen []string
	for k, t := range tables {
		if len(t) == 0 {
			continue
		}
		seen = append(seen, strings.Join(t[0], " | "))
		for h := min(2, len(t)); h >= 1; h-- {
			if cols, ok := annexColumns(t[:h]); ok {
				return &annexTable{grid: t, cols: cols, head: h}, k, nil
			}
		}
	}
	found := "không có bảng nào"
	if len(seen) > 0 {
		found = "các bảng có tiêu đề: " + strings.Join(seen, "; ")
	}
	return nil, -1, docxFault(file, "không tìm thấy bảng phụ lục tiêu chí: cần các cột TT | Tên tiêu chí | Nội dung tiêu chí | Chỉ tiêu chung; "+found)
}

// annexColumns classifies the columns under the header rows given; ok is false unless they
// name TT, Tên tiêu chí and Chỉ tiêu chung.
func annexColumns(header [][]string) ([]docxColumn, bool) {
	width := 0
	for _, r := range header {
		width = max(width, len(r))
	}
	cs := make([]docxColumn, width)
	kinds := map[string]bool{}
	for c := 0; c < width; c++ {
		var parts []string
		for _, r := range header {
			if c < len(r) && r[c] != "" && (len(parts) == 0 || parts[len(parts)-1] != r[c]) {
				parts = append(parts, r[c])
			}
		}
		// the lowest header row names the column; the one above may group them
		cs[c] = classifyHeader(strings.Join(parts, " "))
		if len(parts) > 1 {
			if low := classifyHeader(parts[len(parts)-1]); low.kind != "" {
				cs[c] = low
			}
		}
		kinds[cs[c].kind] = true
	}
	return cs, kinds["tt"] && kinds["name"] && kinds["general"]
}

// col is the index of the first column of kind, or -1.
func (t *annexTable) col(kind string) int {
	for i, c := range t.cols {
		if c.kind == kind {
			return i
		}
	}
	return -1
}

// header is the header of the column of kind, or the kind when there is none.
func (t *annexTable) header(kind string) string {
	if i := t.col(kind); i >= 0 {
		return t.cols[i].header
	}
	return kind
}

// keys are the indexes of the columns by region or commune group.
func (t *annexTable) keys() []int {
	var keys []int
	for i, c := range t.cols {
		if c.kind == "key" {
			keys = append(keys, i)
		}
	}
	return keys
}

// variesBy follows from the key columns found: by group, by region, or neither.
func (t *annexTable) variesBy() string {
	v := VariesNone
	for _, k := range t.keys() {
		if ClassifyKey(t.cols[k].key) == KeyGroup {
			v = VariesGroup
		} else {
			v = VariesRegion
		}
	}
	return v
}

// cell is the trimmed text of column i of row r ("" outside it).
func (t *annexTable) cell(r []string, i int) string {
	if i < 0 || i >= len(r) {
		return ""
	}
	return strings.TrimSpace(r[i])
}

// annexIndicator is an indicator row of the annex: its texts as written.
type annexIndicator struct {
	code, name, general string
	by                  map[string]string
	row                 int
}

type annexCriterion struct {
	number int
	name   string
	inds   []annexIndicator
}

// criteria reads the rows under the header into criteria and their indicators, in the
// order of the table; rows of one criterion number (merged cells) are its indicators.
func (t *annexTable) criteria(file string) ([]*annexCriterion, error) {
	var crits []*annexCriterion
	var problems []string
	byNumber := map[int]*annexCriterion{}
	ttCol, keys := t.col("tt"), t.keys()
	for ri := t.head; ri < len(t.grid); ri++ {
		r := t.grid[ri]
		tt := t.cell(r, ttCol)
		n, err := strconv.Atoi(strings.TrimSuffix(tt, "."))
		if err != nil {
			if strings.Join(r, "") != "" {
				problems = append(problems, fmt.Sprintf("dòng %d, cột %s: %q không phải là số thứ tự tiêu chí", ri+1, t.cols[ttCol].header, tt))
			}
			continue
		}
		c := byNumber[n]
		if c == nil {
			c = &annexCriterion{number: n, name: t.cell(r, t.col("name"))}
			byNumber[n] = c
			crits = append(crits, c)
		}
		c.inds = append(c.inds, t.indicator(r, ri+1, c, keys))
	}
	if len(problems) > 0 {
		return nil, docxFault(file, strings.Join(problems, "; "))
	}
	if len(crits) == 0 {
		return nil, docxFault(file, "bảng phụ lục không có dòng tiêu chí nào")
	}
	return crits, nil
}

// indicator reads row r (table row number row) as the next indicator of criterion c: the
// code written at the start of its content ("2.1. …"), else the next number of the criterion.
func (t *annexTable) indicator(r []string, row int, c *annexCriterion, keys []int) annexIndicator {
	content := t.cell(r, t.col("content"))
	code := ""
	if m := indicatorCodeRE.FindStringSubmatch(content); m != nil && strings.HasPrefix(m[1], strconv.Itoa(c.number)) {
		code, content = m[1], strings.TrimSpace(content[len(m[0]):])
	} else {
		code = fmt.Sprintf("%d.%d", c.number, len(c.inds)+1)
	}
	in := annexIndicator{code: code, name: strings.ReplaceAll(content, "\n", " "), general: t.cell(r, t.col("general")), by: map[string]string{}, row: row}
	if in.name == "" {
		in.name = c.name
	}
	for _, k := range keys {
		if v := t.cell(r, k); v != "" {
			in.by[t.cols[k].key] = v
		}
	}
	return in
}

// annexWriter writes the set read from an annex as YAML, in the format the loader validates,
// noting the table row each YAML line comes from (DocxResult.Locate).
type annexWriter struct {
	t   *annexTable
	res *DocxResult
	b   strings.Builder
}

func (w *annexWriter) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// line is the number of the YAML line being written.
func (w *annexWriter) line() int { return strings.Count(w.b.String(), "\n") + 1 }

func (w *annexWriter) set(id DocxIdentity, crits []*annexCriterion) {
	q := strconv.Quote
	w.printf("# Nhập từ văn bản %s\n", w.res.Source)
	w.printf("id: %s\ntitle: %s\n", q(id.ID), q(orDefault(id.Title, id.ID)))
	w.printf("basis: {decision: %s, issued: %s, effective: %s}\n", q(orDefault(id.Decision, "chưa ghi")), orDefault(string(id.Issued), "2000-01-01"), orDefault(string(id.Effective), orDefault(string(id.Issued), "2000-01-01")))
	w.printf("level: %s\ntier: %s\nvaries_by: %s\nrequires: []\n", orDefault(id.Level, "commune"), orDefault(id.Tier, TierNTM), w.res.VariesBy)
	if id.Extends != "" {
		w.printf("extends: %s\n", q(id.Extends))
	}
	w.b.WriteString("criteria:\n")
	for _, c := range crits {
		from := w.line()
		w.printf("  - number: %d\n    name: %s\n    indicators:\n", c.number, q(orDefault(c.name, fmt.Sprintf("Tiêu chí %d", c.number))))
		w.res.mark(from, w.line(), c.inds[0].row, w.t.header("tt"))
		for _, in := range c.inds {
			from := w.line()
			w.indicator(in)
			w.res.mark(from, w.line(), in.row, w.t.header("content"))
		}
	}
}

// threshold reads a cell's text as a threshold; a cell that cannot be read is listed.
func (w *annexWriter) threshold(row int, column, text string) (ParsedThreshold, bool) {
	p, ok := ParseThresholdVI(text)
	if !ok {
		w.res.Unreadable = append(w.res.Unreadable, DocxCell{Row: row, Column: column, Text: text})
	}
	return p, ok
}

func (w *annexWriter) indicator(in annexIndicator) {
	q := strconv.Quote
	w.printf("      - code: %s\n        name: %s\n", q(in.code), q(in.name))
	var kind Kind
	var op Op
	unit := ""
	var notes []string
	general := ""
	if in.general != "" {
		if p, ok := w.threshold(in.row, w.t.header("general"), in.general); ok {
			kind, op, unit, general = p.Kind, p.Op, p.Unit, valueYAML(p.Value)
		} else {
			notes = append(notes, "Chỉ tiêu chung: "+in.general)
		}
	}
	var by []string
	for _, k := range w.t.keys() {
		col := w.t.cols[k]
		text, has := in.by[col.key]
		if !has {
			continue
		}
		p, ok := w.threshold(in.row, col.header, text)
		if !ok {
			notes = append(notes, col.header+": "+text)
			by = append(by, col.key+": null")
			continue
		}
		if kind == "" {
			kind, op, unit = p.Kind, p.Op, p.Unit
		}
		by = append(by, col.key+": "+valueYAML(p.Value))
	}
	if kind == "" {
		kind, op = KindBool, OpEqual
	}
	w.printf("        kind: %s\n        op: %q\n", kind, op)
	if unit != "" {
		w.printf("        unit: %s\n", q(unit))
	}
	if general != "" {
		w.printf("        threshold: %s\n", general)
	}
	if len(by) > 0 {
		w.printf("        by: {%s}\n", strings.Join(by, ", "))
	}
	if general != "" || len(by) > 0 {
		w.printf("        verified: true\n        source: %s\n", q("docx:"+w.res.Source))
	}
	if len(notes) > 0 {
		w.printf("        note: %s\n", q("Không đọc được thành ngưỡng, giữ nguyên văn: "+strings.Join(notes, "; ")))
	}
}

func valueYAML(v Value) string {
	switch v.Kind {
	case ValueBool:
		return strconv.FormatBool(v.Bool)
	case ValueNumber:
		return strconv.FormatFloat(v.Num, 'f', -1, 64)
	}
	return "null"
}

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return s
}

func fileBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
