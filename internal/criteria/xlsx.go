package criteria

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/units"
)

// Workbook layout, like the annex tables of the decisions: one row per indicator under its
// criterion (number and name merged down), the general threshold, then one column per region
// or commune group (and per unit tag that has overrides). A second sheet holds the set's
// identity and legal basis, one field per row.
const (
	SheetCriteria = "Tiêu chí"
	SheetInfo     = "Thông tin"
)

// Criteria-sheet columns, by header. Threshold columns sit between colGeneral and colFormula.
const (
	colNumber    = "TT"
	colCritName  = "Tên tiêu chí"
	colCode      = "Mã chỉ tiêu"
	colName      = "Nội dung chỉ tiêu"
	colUnit      = "Đơn vị tính"
	colKind      = "Loại"
	colOp        = "So sánh"
	colGeneral   = "Chỉ tiêu chung"
	colFormula   = "Công thức"
	colAggregate = "Tổng hợp từ"
	colLevels    = "Các mức"
	colDynamic   = "Chỉ tiêu động"
	colVerified  = "Đối chiếu văn bản"
	colSource    = "Nguồn"
	colNote      = "Ghi chú"
	colCritGroup = "Nhóm tiêu chí"
	colSector    = "Ngành phụ trách"
	colCritNote  = "Ghi chú tiêu chí"
	colPartial   = "Tiêu chí chưa đủ chỉ tiêu"
)

var headBefore = []string{colNumber, colCritName, colCode, colName, colUnit, colKind, colOp, colGeneral}
var headAfter = []string{colFormula, colAggregate, colLevels, colDynamic, colVerified, colSource, colNote,
	colCritGroup, colSector, colCritNote, colPartial}

// info-sheet rows: key, explanation.
var infoRows = [][2]string{
	{"id", "Mã bộ tiêu chí (chữ thường không dấu, ví dụ xa-ntm-2021-hanoi)"},
	{"title", "Tên bộ tiêu chí"},
	{"decision", "Số quyết định ban hành"},
	{"issued", "Ngày ban hành (YYYY-MM-DD)"},
	{"effective", "Ngày có hiệu lực (YYYY-MM-DD)"},
	{"superseded", "Ngày hết hiệu lực (YYYY-MM-DD), nếu có"},
	{"level", "Cấp áp dụng: province, district, commune, village"},
	{"tier", "Mức: ntm, nang-cao, kieu-mau, hien-dai"},
	{"varies_by", "Ngưỡng khác nhau theo: region (vùng), group (nhóm xã) hoặc none"},
	{"requires", "Bộ tiêu chí phải đạt trước, cách nhau bởi dấu phẩy"},
	{"extends", "Bộ tiêu chí được kế thừa, nếu có"},
	{"region_from_tags", "Đơn vị có nhãn dùng ngưỡng của vùng khác, ví dụ: dac-biet-kho-khan=TDMNPB; an-toan-khu=TDMNPB"},
	{"partial", "có nếu bộ tiêu chí mới có một phần các tiêu chí của quyết định"},
	{"notes", "Ghi chú"},
}

var kindLabels = map[Kind]string{
	KindBool:    "đạt/không đạt",
	KindNumber:  "số",
	KindPercent: "tỷ lệ %",
	KindLevel:   "mức",
}

func groupHeader(g string) string { return "Xã nhóm " + groupLabel(g) }

// thresholdColumns are the override keys shown as columns, in order.
func thresholdColumns(s *Set) []string {
	var keys []string
	switch s.VariesBy {
	case VariesRegion:
		for _, r := range units.Regions {
			keys = append(keys, r.Code)
		}
	case VariesGroup:
		keys = append(keys, Groups...)
	}
	var tags []string
	for _, c := range s.Criteria {
		for _, in := range c.Indicators {
			for _, o := range in.By {
				if ClassifyKey(o.Key) == KeyTag && !contains(tags, o.Key) {
					tags = append(tags, o.Key)
				}
			}
		}
	}
	sort.Strings(tags)
	return append(keys, tags...)
}

func columnHeader(key string) string {
	switch ClassifyKey(key) {
	case KeyRegion:
		return key + " - " + regionName(key)
	case KeyGroup:
		return groupHeader(key)
	}
	return "Nhãn " + key
}

// ExportXLSX writes the set as a workbook laid out like the decision's annex.
func ExportXLSX(s *Set, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetCriteria); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetInfo); err != nil {
		return err
	}
	x := &xlsxExport{f: f, sh: SheetCriteria, idx: map[string]int{}}
	x.head, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"#DDEBF7"}, Pattern: 1},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"},
		Border:    borders()})
	x.wrap, _ = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Border: borders()})
	x.unverified, _ = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Border: borders(),
		Fill: excelize.Fill{Type: "pattern", Color: []string{"#FCE4D6"}, Pattern: 1}, Font: &excelize.Font{Italic: true}})

	x.header = append([]string{}, headBefore...)
	for _, k := range thresholdColumns(s) {
		x.header = append(x.header, columnHeader(k))
	}
	x.header = append(x.header, headAfter...)
	for i, h := range x.header {
		x.idx[h] = i
		f.SetCellValue(x.sh, cell(i, 1), h)
	}
	f.SetCellStyle(x.sh, "A1", cell(len(x.header)-1, 1), x.head)
	row := 2
	for _, c := range s.Criteria {
		row = x.criterion(c, row)
	}
	if row > 2 {
		f.SetCellStyle(x.sh, "A2", cell(len(x.header)-1, row-1), x.wrap)
		x.restyleUnverified(s) // the blanket style above replaced their fill
	}
	widths := map[string]float64{colNumber: 5, colCritName: 24, colCode: 9, colName: 60, colUnit: 12, colKind: 12,
		colOp: 8, colGeneral: 10, colFormula: 24, colAggregate: 24, colSource: 40, colNote: 40, colVerified: 16}
	for i, h := range x.header {
		w, ok := widths[h]
		if !ok {
			w = 14
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(x.sh, name, name, w)
	}
	f.SetPanes(x.sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	x.info(s)
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

// xlsxExport is a workbook being written from a set: the criteria sheet's columns by header
// and the styles.
type xlsxExport struct {
	f                      *excelize.File
	sh                     string
	header                 []string
	idx                    map[string]int // column of each header
	head, wrap, unverified int
}

// cell names the cell of a column (from 0) and a row (from 1).
func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

// criterion writes criterion c from row on, one row per indicator, its number and name merged
// over them; it returns the next free row.
func (x *xlsxExport) criterion(c Criterion, row int) int {
	f, sh, idx := x.f, x.sh, x.idx
	first := row
	n := len(c.Indicators)
	if n == 0 {
		n = 1
	}
	f.SetCellValue(sh, cell(idx[colNumber], row), c.Number)
	f.SetCellValue(sh, cell(idx[colCritName], row), c.Name)
	set := func(col string, v any) {
		if sv, ok := v.(string); ok && sv == "" {
			return
		}
		f.SetCellValue(sh, cell(idx[col], row), v)
	}
	set(colCritGroup, c.Group)
	set(colSector, c.Sector)
	set(colCritNote, c.Note)
	if c.Partial {
		set(colPartial, "có")
	}
	for i := range c.Indicators {
		x.indicator(&c.Indicators[i], row, set)
		row++
	}
	if len(c.Indicators) == 0 {
		row++
	}
	if n > 1 {
		f.MergeCell(sh, cell(idx[colNumber], first), cell(idx[colNumber], first+n-1))
		f.MergeCell(sh, cell(idx[colCritName], first), cell(idx[colCritName], first+n-1))
	}
	return row
}

// indicator writes an indicator's cells on row with set (which skips empty texts); its
// thresholds are shaded while unverified.
func (x *xlsxExport) indicator(in *Indicator, row int, set func(col string, v any)) {
	set(colCode, in.Code)
	set(colName, in.Name)
	set(colUnit, in.Unit)
	set(colKind, kindLabels[in.Kind])
	set(colOp, string(in.Op))
	writeValue := func(col int, v Value) {
		ref := cell(col, row)
		switch v.Kind {
		case ValueNumber:
			x.f.SetCellValue(x.sh, ref, v.Num)
		case ValueBool:
			if v.Bool {
				x.f.SetCellValue(x.sh, ref, "Đạt")
			} else {
				x.f.SetCellValue(x.sh, ref, "Không")
			}
		case ValueLevel:
			x.f.SetCellValue(x.sh, ref, v.Level)
		default:
			x.f.SetCellValue(x.sh, ref, "?")
		}
		if !in.Verified {
			x.f.SetCellStyle(x.sh, ref, ref, x.unverified)
		}
	}
	if in.Threshold != nil && in.Threshold.Kind != ValueNone {
		writeValue(x.idx[colGeneral], *in.Threshold)
	}
	for _, o := range in.By {
		writeValue(x.idx[columnHeader(o.Key)], o.Value)
	}
	set(colFormula, in.Formula)
	if in.Aggregate != nil {
		set(colAggregate, in.Aggregate.Set+": "+in.Aggregate.Measure)
	}
	set(colLevels, strings.Join(in.Levels, "; "))
	if in.Dynamic {
		set(colDynamic, "có")
	}
	if in.Verified {
		set(colVerified, "đã đối chiếu")
	} else {
		set(colVerified, UnverifiedVI)
	}
	set(colSource, in.Source)
	set(colNote, in.Note)
}

// restyleUnverified shades again the threshold cells of unverified indicators.
func (x *xlsxExport) restyleUnverified(s *Set) {
	r := 2
	for _, c := range s.Criteria {
		for _, in := range c.Indicators {
			if !in.Verified {
				if in.Threshold != nil && in.Threshold.Kind != ValueNone {
					ref := cell(x.idx[colGeneral], r)
					x.f.SetCellStyle(x.sh, ref, ref, x.unverified)
				}
				for _, o := range in.By {
					ref := cell(x.idx[columnHeader(o.Key)], r)
					x.f.SetCellStyle(x.sh, ref, ref, x.unverified)
				}
			}
			r++
		}
		if len(c.Indicators) == 0 {
			r++
		}
	}
}

// info writes the sheet of the set's identity: one row per field with its explanation.
func (x *xlsxExport) info(s *Set) {
	f := x.f
	f.SetSheetRow(SheetInfo, "A1", &[]any{"Trường", "Giá trị", "Giải thích"})
	f.SetCellStyle(SheetInfo, "A1", "C1", x.head)
	vals := map[string]any{
		"id": s.ID, "title": s.Title, "decision": s.Basis.Decision, "issued": string(s.Basis.Issued),
		"effective": string(s.Basis.Effective), "superseded": string(s.Basis.Superseded), "level": s.Level,
		"tier": s.Tier, "varies_by": s.VariesBy, "requires": strings.Join(s.Requires, ", "), "extends": "",
		"notes": s.Notes,
	}
	var rft []string
	for t, r := range s.RegionFromTags {
		rft = append(rft, t+"="+r)
	}
	sort.Strings(rft)
	vals["region_from_tags"] = strings.Join(rft, "; ")
	if s.Partial {
		vals["partial"] = "có"
	} else {
		vals["partial"] = ""
	}
	for i, r := range infoRows {
		f.SetSheetRow(SheetInfo, cell(0, i+2), &[]any{r[0], vals[r[0]], r[1]})
	}
	f.SetColWidth(SheetInfo, "A", "A", 18)
	f.SetColWidth(SheetInfo, "B", "B", 60)
	f.SetColWidth(SheetInfo, "C", "C", 70)
	f.SetCellStyle(SheetInfo, "A2", cell(2, len(infoRows)+1), x.wrap)
}

func borders() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "#BFBFBF", Style: 1})
	}
	return b
}

// XLSXLimits bound an annex workbook (see package sheet): a few hundred rows in truth.
var XLSXLimits = sheet.Limits{File: 16 << 20, Unpacked: 64 << 20, Part: 64 << 20, Rows: 20000, Cols: 200, Cells: 500_000}

// ImportXLSX reads a workbook laid out as ExportXLSX writes it (the annex layout) into a set.
// Problems name the sheet, row and column. Like Parse, a set that extends another comes back
// unresolved.
func ImportXLSX(filename string, r io.Reader) (set *Set, err error) {
	defer func() {
		if p := recover(); p != nil {
			set, err = nil, ValidationFault([]Problem{{File: filename,
				Message: bi("không đọc được tệp Excel", fmt.Sprint("unreadable workbook: ", p))}})
		}
	}()
	src, err := sheet.ReadAll(r, XLSXLimits.File)
	if err != nil {
		return nil, err
	}
	f, err := sheet.OpenBytes(src, XLSXLimits)
	var le *sheet.LimitError
	if errors.As(err, &le) {
		return nil, err
	}
	if err != nil {
		return nil, ValidationFault([]Problem{{File: filename, Message: bi("không đọc được tệp Excel (.xlsx)", err.Error())}})
	}
	x := &xlsxReader{src: &source{file: filename, cells: map[*yaml.Node]cellPos{}}, ps: &problems{}, f: f}
	root := x.build()
	if x.limit != nil {
		return nil, x.limit
	}
	if len(x.ps.list) > 0 {
		return nil, x.ps.err()
	}
	return parseTree(x.src, root, x.ps)
}

type sheetLimit = sheet.LimitError

type xlsxReader struct {
	src   *source
	ps    *problems
	f     *sheet.Book
	limit error // a limit passed while reading a sheet (a sheet.LimitFault)
}

func (x *xlsxReader) errAt(sheet string, row int, col int, msg string) {
	name := ""
	if col >= 0 {
		name, _ = excelize.ColumnNumberToName(col + 1)
	}
	x.ps.list = append(x.ps.list, Problem{File: x.src.file, Sheet: sheet, Row: row, Column: name, Message: msg})
}

// scalar makes a node for a cell, remembering where it came from.
func (x *xlsxReader) scalar(sheet string, row, col int, tag, value string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
	name, _ := excelize.ColumnNumberToName(col + 1)
	x.src.cells[n] = cellPos{sheet, row, name}
	return n
}

func (x *xlsxReader) at(n *yaml.Node, sheet string, row, col int) *yaml.Node {
	name, _ := excelize.ColumnNumberToName(col + 1)
	x.src.cells[n] = cellPos{sheet, row, name}
	return n
}

func keyNode(k string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k} }

func addField(m *yaml.Node, k string, v *yaml.Node) { m.Content = append(m.Content, keyNode(k), v) }

func (x *xlsxReader) rows(sheet string) (raw, shown [][]string, ok bool) {
	if !slices.Contains(x.f.Sheets(), sheet) {
		x.errAt(sheet, 0, -1, bi(fmt.Sprintf("thiếu sheet %q", sheet), fmt.Sprintf("missing sheet %q", sheet)))
		return nil, nil, false
	}
	raw, shown, err := x.f.Grid(sheet)
	if le := (*sheetLimit)(nil); errors.As(err, &le) {
		x.limit = err
	}
	if err != nil {
		x.errAt(sheet, 0, -1, bi("không đọc được sheet", err.Error()))
		return nil, nil, false
	}
	return raw, shown, true
}

func cellText(rows [][]string, r, c int) string {
	if r < len(rows) && c >= 0 && c < len(rows[r]) {
		return strings.TrimSpace(rows[r][c])
	}
	return ""
}

func (x *xlsxReader) build() *yaml.Node {
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	x.at(root, SheetInfo, 1, 0)
	x.readInfo(root)
	x.readCriteria(root)
	return root
}

func (x *xlsxReader) readInfo(root *yaml.Node) {
	sh := SheetInfo
	raw, _, ok := x.rows(sh)
	if !ok {
		return
	}
	basis := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	x.at(basis, sh, 1, 0)
	known := map[string]bool{}
	for _, r := range infoRows {
		known[r[0]] = true
	}
	seen := map[string]int{}
	for ri := 1; ri < len(raw); ri++ {
		key := strings.ToLower(cellText(raw, ri, 0))
		val := cellText(raw, ri, 1)
		if key == "" {
			continue
		}
		if !known[key] {
			x.errAt(sh, ri+1, 0, bi(fmt.Sprintf("trường %q không có trong định dạng", key), fmt.Sprintf("unknown field %q", key)))
			continue
		}
		if prev, dup := seen[key]; dup {
			x.errAt(sh, ri+1, 0, bi(fmt.Sprintf("trường %q đã có ở dòng %d", key, prev), "field given twice"))
			continue
		}
		seen[key] = ri + 1
		if val == "" {
			continue
		}
		switch key {
		case "decision", "issued", "effective", "superseded":
			addField(basis, key, x.scalar(sh, ri+1, 1, "!!str", val))
			if key == "decision" {
				x.at(basis, sh, ri+1, 1)
			}
		case "requires":
			seq := x.at(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}, sh, ri+1, 1)
			for _, id := range splitList(val) {
				seq.Content = append(seq.Content, x.scalar(sh, ri+1, 1, "!!str", id))
			}
			addField(root, key, seq)
		case "region_from_tags":
			m := x.at(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, sh, ri+1, 1)
			for _, pair := range splitList(val) {
				k, v, ok := strings.Cut(pair, "=")
				if !ok {
					k, v, ok = strings.Cut(pair, ":")
				}
				if !ok {
					x.errAt(sh, ri+1, 1, bi(fmt.Sprintf("%q phải có dạng nhãn=VÙNG", pair), "expected tag=REGION"))
					continue
				}
				m.Content = append(m.Content, x.scalar(sh, ri+1, 1, "!!str", strings.TrimSpace(k)),
					x.scalar(sh, ri+1, 1, "!!str", strings.TrimSpace(v)))
			}
			addField(root, key, m)
		default:
			addField(root, key, x.scalar(sh, ri+1, 1, "!!str", val))
		}
	}
	if len(basis.Content) > 0 {
		addField(root, "basis", basis)
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// headerKey maps a criteria-sheet header to a field name or an override key ("by:DBSH").
func headerKey(h string) (string, bool) {
	t := strings.TrimSpace(h)
	low := strings.ToLower(t)
	for _, c := range append(append([]string{}, headBefore...), headAfter...) {
		if strings.EqualFold(c, t) {
			return c, true
		}
	}
	for _, r := range units.Regions {
		name := strings.ToLower(r.NameVI)
		if t == r.Code || low == "vùng "+strings.ToLower(r.Code) || low == name || low == "vùng "+name ||
			strings.HasPrefix(t, r.Code+" ") || strings.HasPrefix(t, r.Code+"-") {
			return "by:" + r.Code, true
		}
	}
	for _, g := range Groups {
		if low == strings.ToLower(groupHeader(g)) || low == "nhóm "+groupLabel(g) || low == g {
			return "by:" + g, true
		}
	}
	if strings.HasPrefix(low, "nhãn") {
		tag := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(t[len("nhãn"):]), ":"))
		if tag != "" {
			return "by:" + tag, true
		}
	}
	return "", false
}

func kindFromLabel(s string) string {
	low := strings.ToLower(strings.TrimSpace(s))
	for k, l := range kindLabels {
		if low == l || low == string(k) {
			return string(k)
		}
	}
	switch low {
	case "%", "tỷ lệ", "tỉ lệ", "tỷ lệ (%)":
		return string(KindPercent)
	case "đạt/không", "boolean":
		return string(KindBool)
	}
	return s
}

func (x *xlsxReader) readCriteria(root *yaml.Node) {
	sh := SheetCriteria
	raw, shown, ok := x.rows(sh)
	if !ok {
		return
	}
	if len(raw) == 0 {
		x.errAt(sh, 1, -1, bi("sheet trống", "empty sheet"))
		return
	}
	g := &annexGrid{sh: sh, raw: raw, shown: shown, col: x.criteriaColumns(sh, raw[0])}
	if len(x.ps.list) > 0 {
		return
	}
	for k := range g.col {
		if strings.HasPrefix(k, "by:") {
			g.byCols = append(g.byCols, k)
		}
	}
	sort.Slice(g.byCols, func(i, j int) bool { return g.col[g.byCols[i]] < g.col[g.byCols[j]] })

	crits := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	x.at(crits, sh, 2, 0)
	addField(root, "criteria", crits)
	var crit, inds *yaml.Node
	curNum := ""
	for ri := 1; ri < len(raw); ri++ {
		row := ri + 1
		if rowEmpty(raw[ri]) {
			continue
		}
		if num, _ := g.get(ri, colNumber); num != "" && num != curNum {
			curNum = num
			crit, inds = x.criterionNode(g, ri)
			crits.Content = append(crits.Content, crit)
		}
		if crit == nil {
			x.errAt(sh, row, g.col[colNumber], bi("dòng chỉ tiêu trước tiêu chí đầu tiên: điền số thứ tự tiêu chí (TT)", "an indicator row before any criterion"))
			continue
		}
		code, _ := g.get(ri, colCode)
		if code == "" {
			// A criterion row without indicators may carry nothing else.
			for _, name := range []string{colName, colKind, colOp, colGeneral} {
				if v, c := g.get(ri, name); v != "" {
					x.errAt(sh, row, c, bi("dòng có nội dung chỉ tiêu nhưng thiếu mã chỉ tiêu", "indicator content without an indicator code"))
					break
				}
			}
			continue
		}
		inds.Content = append(inds.Content, x.indicatorNode(g, ri))
	}
}

// annexGrid is the criteria sheet being read: its cells (as stored and as shown), the
// column of each header key, and the threshold columns by region, group or tag in order.
type annexGrid struct {
	sh         string
	raw, shown [][]string
	col        map[string]int
	byCols     []string
}

// get is the text of row ri in the column named, and the column; -1 when there is none.
func (g *annexGrid) get(ri int, name string) (string, int) {
	c, ok := g.col[name]
	if !ok {
		return "", -1
	}
	return cellText(g.raw, ri, c), c
}

func rowEmpty(r []string) bool {
	for _, v := range r {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// criteriaColumns reads the header row: every column must be one of the layout's, once, and
// the required ones must be there.
func (x *xlsxReader) criteriaColumns(sh string, header []string) map[string]int {
	col := map[string]int{}
	for i, h := range header {
		if strings.TrimSpace(h) == "" {
			continue
		}
		k, ok := headerKey(h)
		if !ok {
			x.errAt(sh, 1, i, bi(fmt.Sprintf("cột %q không có trong mẫu (vùng, nhóm xã hay 'Nhãn <nhãn>'?)", h), fmt.Sprintf("unknown column %q", h)))
			continue
		}
		if _, dup := col[k]; dup {
			x.errAt(sh, 1, i, bi(fmt.Sprintf("cột %q lặp lại", h), "column given twice"))
			continue
		}
		col[k] = i
	}
	for _, need := range []string{colNumber, colCritName, colCode, colName, colKind, colOp} {
		if _, ok := col[need]; !ok {
			x.errAt(sh, 1, -1, bi(fmt.Sprintf("thiếu cột %q", need), fmt.Sprintf("missing column %q", need)))
		}
	}
	return col
}

// criterionNode starts the criterion of row ri: its fields, and the list its indicators go in.
func (x *xlsxReader) criterionNode(g *annexGrid, ri int) (crit, inds *yaml.Node) {
	sh, row := g.sh, ri+1
	num, nc := g.get(ri, colNumber)
	crit = x.at(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, sh, row, nc)
	tag := "!!str"
	if _, err := strconv.Atoi(num); err == nil {
		tag = "!!int"
	}
	addField(crit, "number", x.scalar(sh, row, nc, tag, num))
	for _, f := range [][2]string{{colCritName, "name"}, {colCritGroup, "group"}, {colSector, "sector"}, {colCritNote, "note"}, {colPartial, "partial"}} {
		if v, c := g.get(ri, f[0]); v != "" {
			addField(crit, f[1], x.scalar(sh, row, c, "!!str", v))
		}
	}
	inds = x.at(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}, sh, row, nc)
	addField(crit, "indicators", inds)
	return crit, inds
}

// indicatorNode reads the indicator of row ri, every node remembering its cell.
func (x *xlsxReader) indicatorNode(g *annexGrid, ri int) *yaml.Node {
	sh, row := g.sh, ri+1
	code, cc := g.get(ri, colCode)
	in := x.at(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, sh, row, cc)
	addField(in, "code", x.scalar(sh, row, cc, "!!str", code))
	for _, f := range [][2]string{{colName, "name"}, {colUnit, "unit"}, {colOp, "op"}, {colFormula, "formula"}, {colSource, "source"}, {colNote, "note"}, {colDynamic, "dynamic"}} {
		if v, c := g.get(ri, f[0]); v != "" {
			addField(in, f[1], x.scalar(sh, row, c, "!!str", v))
		}
	}
	if v, c := g.get(ri, colKind); v != "" {
		addField(in, "kind", x.scalar(sh, row, c, "!!str", kindFromLabel(v)))
	}
	if v, c := g.get(ri, colVerified); v != "" {
		addField(in, "verified", x.verifiedNode(sh, row, c, v))
	}
	if v, c := g.get(ri, colLevels); v != "" {
		seq := x.at(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}, sh, row, c)
		for _, l := range strings.Split(v, ";") {
			if l = strings.TrimSpace(l); l != "" {
				seq.Content = append(seq.Content, x.scalar(sh, row, c, "!!str", l))
			}
		}
		addField(in, "levels", seq)
	}
	if v, c := g.get(ri, colAggregate); v != "" {
		set, measure, ok := strings.Cut(v, ":")
		if !ok {
			set, measure, _ = strings.Cut(v, "/")
		}
		m := x.at(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, sh, row, c)
		addField(m, "set", x.scalar(sh, row, c, "!!str", strings.TrimSpace(set)))
		addField(m, "measure", x.scalar(sh, row, c, "!!str", strings.TrimSpace(measure)))
		addField(in, "aggregate", m)
	}
	if c, ok := g.col[colGeneral]; ok {
		if v := x.thresholdText(g.raw, g.shown, ri, c); v != "" && v != "?" {
			addField(in, "threshold", x.scalar(sh, row, c, "!!str", v))
		}
	}
	if by := x.byNode(g, ri); by != nil {
		addField(in, "by", by)
	}
	return in
}

// verifiedNode reads the Đối chiếu văn bản cell: "đã đối chiếu", "chưa đối chiếu…" or a yes/no.
func (x *xlsxReader) verifiedNode(sh string, row, c int, v string) *yaml.Node {
	b := "false"
	low := strings.ToLower(v)
	if low == "đã đối chiếu" {
		b = "true"
	} else if strings.HasPrefix(low, "chưa đối chiếu") {
		b = "false"
	} else if pb, ok := ParseBool(v); ok {
		b = strconv.FormatBool(pb)
	} else {
		x.errAt(sh, row, c, bi(fmt.Sprintf("%q: ghi 'đã đối chiếu' hoặc '%s'", v, UnverifiedVI), "write whether the thresholds were checked"))
	}
	return x.scalar(sh, row, c, "!!bool", b)
}

// byNode reads the thresholds of row ri by region, group or tag ("?" is a threshold not known
// yet); nil when the row gives none.
func (x *xlsxReader) byNode(g *annexGrid, ri int) *yaml.Node {
	if len(g.byCols) == 0 {
		return nil
	}
	sh, row := g.sh, ri+1
	by := x.at(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, sh, row, g.col[g.byCols[0]])
	for _, k := range g.byCols {
		c := g.col[k]
		v := x.thresholdText(g.raw, g.shown, ri, c)
		if v == "" {
			continue
		}
		val := x.scalar(sh, row, c, "!!str", v)
		if v == "?" {
			val.Tag, val.Value = "!!null", "null"
		}
		by.Content = append(by.Content, x.scalar(sh, row, c, "!!str", strings.TrimPrefix(k, "by:")), val)
	}
	if len(by.Content) == 0 {
		return nil
	}
	return by
}

// thresholdText is a threshold cell's text: the shown text when the cell is formatted as a
// percentage (so 0.95 shown as 95% reads 95), the raw value otherwise.
func (x *xlsxReader) thresholdText(raw, shown [][]string, ri, c int) string {
	r := cellText(raw, ri, c)
	s := cellText(shown, ri, c)
	if strings.HasSuffix(s, "%") {
		return strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	return r
}
