package ocop

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/units"
)

// An existing product list, as provinces keep it in a workbook: one row per product with its
// commune, producer, product set, stars and recognition decision. The header row names the
// columns (Vietnamese or English, with or without diacritics, in any order); other columns
// such as STT are ignored.

// Import fields, in the order of the template.
const (
	ColUnit        = "unit"
	ColProduct     = "product"
	ColProducer    = "producer"
	ColKind        = "kind"
	ColRegNo       = "registration_no"
	ColAddress     = "address"
	ColSet         = "product_set"
	ColStars       = "stars"
	ColDecision    = "decision"
	ColDate        = "date"
	ColScore       = "score"
	ColLevel       = "level"
	ColIssuer      = "issuer"
	ColDescription = "description"
)

// ImportColumns are the columns of the template, with their Vietnamese headers; the first
// eight are required.
var ImportColumns = []struct{ Field, Header string }{
	{ColUnit, "Mã xã"}, {ColProduct, "Tên sản phẩm"}, {ColProducer, "Chủ thể"}, {ColKind, "Loại chủ thể"},
	{ColSet, "Bộ sản phẩm"}, {ColStars, "Số sao"}, {ColDecision, "Số quyết định"}, {ColDate, "Ngày quyết định"},
	{ColRegNo, "Số đăng ký kinh doanh"}, {ColAddress, "Địa chỉ"}, {ColScore, "Điểm"}, {ColLevel, "Cấp công nhận"},
	{ColIssuer, "Cơ quan công nhận"}, {ColDescription, "Mô tả"},
}

const requiredColumns = 8

// headerWords maps folded header texts to fields.
var headerWords = map[string]string{
	"ma xa": ColUnit, "ma xa phuong": ColUnit, "ma don vi": ColUnit, "ma dvhc": ColUnit, "unit": ColUnit, "commune code": ColUnit,
	"ten san pham": ColProduct, "san pham": ColProduct, "product": ColProduct, "product name": ColProduct,
	"chu the": ColProducer, "ten chu the": ColProducer, "chu the ocop": ColProducer, "producer": ColProducer,
	"loai chu the": ColKind, "loai hinh chu the": ColKind, "loai hinh": ColKind, "kind": ColKind, "producer kind": ColKind,
	"so dang ky kinh doanh": ColRegNo, "so dkkd": ColRegNo, "ma so dkkd": ColRegNo, "ma so doanh nghiep": ColRegNo,
	"ma so thue": ColRegNo, "registration no": ColRegNo, "registration number": ColRegNo,
	"dia chi": ColAddress, "address": ColAddress,
	"bo san pham": ColSet, "ma bo san pham": ColSet, "phan nhom": ColSet, "product set": ColSet,
	"so sao": ColStars, "hang sao": ColStars, "xep hang": ColStars, "sao": ColStars, "stars": ColStars,
	"so quyet dinh": ColDecision, "so qd": ColDecision, "quyet dinh": ColDecision, "quyet dinh cong nhan": ColDecision, "decision": ColDecision,
	"ngay quyet dinh": ColDate, "ngay qd": ColDate, "ngay cong nhan": ColDate, "ngay ky": ColDate, "date": ColDate, "decision date": ColDate,
	"diem": ColScore, "tong diem": ColScore, "diem binh quan": ColScore, "score": ColScore,
	"cap cong nhan": ColLevel, "cap danh gia": ColLevel, "level": ColLevel,
	"co quan cong nhan": ColIssuer, "co quan ban hanh": ColIssuer, "issuer": ColIssuer,
	"mo ta": ColDescription, "description": ColDescription,
}

var headerNoise = regexp.MustCompile(`[^a-z0-9]+`)

func headerKey(s string) string {
	return strings.TrimSpace(headerNoise.ReplaceAllString(units.Fold(s), " "))
}

// ImportRow is one product of an import file, with its certificate.
type ImportRow struct {
	Sheet    string
	Row      int // 1-based, as the spreadsheet shows it
	UnitCode string
	Producer Producer
	Product  Product
	Stars    int
	Decision string
	Date     units.Date
	Score    *float64
	Level    Level
	Issuer   string
	columns  map[string]string // field → column letter
}

// Problem describes one thing wrong in an import: a sheet, row and column, or the file.
type Problem struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message `json:"message"`
}

func (p Problem) String() string {
	var where []string
	if p.Sheet != "" {
		where = append(where, fmt.Sprintf("sheet %q", p.Sheet))
	}
	if p.Row > 0 {
		where = append(where, fmt.Sprintf("dòng %d", p.Row))
	}
	if p.Column != "" {
		where = append(where, "cột "+p.Column)
	}
	s := strings.Join(where, ", ")
	if s != "" {
		s += ": "
	}
	return s + p.Message.String()
}

// Problem builds a problem about field of the row.
func (r *ImportRow) Problem(field, vi, en string) Problem {
	return Problem{Sheet: r.Sheet, Row: r.Row, Column: r.columns[field], Field: field, Message: Message{vi, en}}
}

// ImportProblems gathers the problems of an import, up to MaxProblems. Err gives them as the
// import's fault.
type ImportProblems struct {
	File      string
	Problems  []Problem
	Truncated bool
}

// MaxProblems caps the problems reported for one file.
const MaxProblems = 200

// Add records a problem, up to MaxProblems.
func (e *ImportProblems) Add(p Problem) {
	if len(e.Problems) >= MaxProblems {
		e.Truncated = true
		return
	}
	e.Problems = append(e.Problems, p)
}

// Err returns nil when there is no problem, else the fault of the file: InvalidFile, nothing
// stored, with a short message (as the API answers it) and the rows at fault in Problems, a
// []Problem (read them back with fault.ProblemsOf), which the command line prints one per line.
func (e *ImportProblems) Err() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return &fault.Error{Code: fault.InvalidFile, Problems: e.Problems, Truncated: e.Truncated,
		Text: fmt.Sprintf("%s: %d lỗi, không nhập gì (%d problems, nothing imported)", e.File, len(e.Problems), len(e.Problems))}
}

// Limits bound an imported product list (see package sheet).
var Limits = sheet.Limits{File: 20 << 20, Unpacked: 128 << 20, Part: 128 << 20, Rows: 100000, Cols: 200, Cells: 2_000_000}

// ReadImport reads a product list from an XLSX workbook: the first sheet with a header row
// naming the required columns (within its first 10 rows). It checks every row (fields,
// product sets, stars, dates, the score against the stars) and returns them all, or an
// import fault (ImportProblems.Err) listing every problem with its sheet, row and column. today bounds the
// decision dates.
func (r *Rules) ReadImport(filename string, rd io.Reader, today units.Date) ([]ImportRow, error) {
	ie := &ImportProblems{File: filename}
	data, err := sheet.ReadAll(rd, Limits.With().File)
	if err != nil {
		return nil, err
	}
	f, err := sheet.OpenBytes(data, Limits)
	var le *sheet.LimitError
	if errors.As(err, &le) {
		return nil, err
	}
	if err != nil {
		ie.Add(Problem{Message: Message{"không đọc được tệp XLSX: " + err.Error(), "not a readable XLSX workbook: " + err.Error()}})
		return nil, ie.Err()
	}
	var best struct {
		sheet  string
		header int
		cols   map[string]int
		rows   [][]string
		found  int
	}
	for _, sheet := range f.Sheets() {
		rows, _, err := f.Grid(sheet)
		if errors.As(err, &le) {
			return nil, err
		}
		if err != nil {
			continue
		}
		for h := 0; h < len(rows) && h < 10; h++ {
			cols := map[string]int{}
			for c, v := range rows[h] {
				if field, ok := headerWords[headerKey(v)]; ok {
					if _, dup := cols[field]; !dup {
						cols[field] = c
					}
				}
			}
			found := 0
			for _, col := range ImportColumns[:requiredColumns] {
				if _, ok := cols[col.Field]; ok {
					found++
				}
			}
			if found > best.found {
				best.sheet, best.header, best.cols, best.rows, best.found = sheet, h, cols, rows, found
			}
		}
	}
	if best.found < requiredColumns {
		var missing []string
		for _, col := range ImportColumns[:requiredColumns] {
			if _, ok := best.cols[col.Field]; !ok {
				missing = append(missing, col.Header)
			}
		}
		p := Problem{Message: Message{
			"không tìm thấy dòng tiêu đề có đủ các cột bắt buộc; thiếu: " + strings.Join(missing, ", "),
			"no header row with the required columns; missing: " + strings.Join(missing, ", "),
		}}
		if best.sheet != "" {
			p.Sheet, p.Row = best.sheet, best.header+1
		}
		ie.Add(p)
		return nil, ie.Err()
	}
	letters := map[string]string{}
	for field, c := range best.cols {
		letters[field], _ = excelize.ColumnNumberToName(c + 1)
	}
	var out []ImportRow
	seen := map[string]int{}
	for i := best.header + 1; i < len(best.rows); i++ {
		cells := best.rows[i]
		get := func(field string) string {
			c, ok := best.cols[field]
			if !ok || c >= len(cells) {
				return ""
			}
			return strings.TrimSpace(cells[c])
		}
		empty := true
		for _, v := range cells {
			if strings.TrimSpace(v) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		row := ImportRow{Sheet: best.sheet, Row: i + 1, columns: letters}
		ok := r.readRow(&row, get, today, ie)
		if ok {
			key := row.UnitCode + "|" + units.Fold(row.Producer.Name) + "|" + units.Fold(row.Product.Name) + "|" + row.Decision
			if first, dup := seen[key]; dup {
				ie.Add(row.Problem(ColProduct, fmt.Sprintf("trùng với dòng %d (cùng xã, chủ thể, sản phẩm và quyết định)", first),
					fmt.Sprintf("repeats row %d (same commune, producer, product and decision)", first)))
				continue
			}
			seen[key] = row.Row
			out = append(out, row)
		}
		if ie.Truncated {
			break
		}
	}
	if len(out) == 0 && len(ie.Problems) == 0 {
		ie.Add(Problem{Sheet: best.sheet, Message: Message{"không có dòng sản phẩm nào dưới dòng tiêu đề", "no product rows below the header"}})
	}
	if err := ie.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

var starsText = regexp.MustCompile(`^\s*([0-9]+)\s*(?:sao|stars?|★+)?\s*$`)

// readRow fills row from its cells, adding a problem for each bad field; it reports whether
// the row is good.
func (r *Rules) readRow(row *ImportRow, get func(string) string, today units.Date, ie *ImportProblems) bool {
	n := len(ie.Problems)
	bad := func(field, vi, en string) { ie.Add(row.Problem(field, vi, en)) }
	for _, col := range ImportColumns[:requiredColumns] {
		if get(col.Field) == "" {
			bad(col.Field, "thiếu "+col.Header, "missing "+col.Field)
		}
	}
	row.UnitCode = get(ColUnit)
	if row.UnitCode != "" {
		if _, err := strconv.Atoi(row.UnitCode); err != nil || len(row.UnitCode) > 7 {
			bad(ColUnit, fmt.Sprintf("%q không phải là mã đơn vị hành chính (chỉ gồm chữ số)", row.UnitCode), fmt.Sprintf("%q is not a unit code (digits only)", row.UnitCode))
		}
		// Spreadsheets drop the leading zeros of commune codes ("4" for 00004).
		for len(row.UnitCode) < 5 {
			row.UnitCode = "0" + row.UnitCode
		}
	}
	row.Producer = Producer{Name: get(ColProducer), RegistrationNo: get(ColRegNo), Address: get(ColAddress), UnitCode: row.UnitCode}
	if v := get(ColKind); v != "" {
		k, err := ParseProducerKind(v)
		if err != nil {
			bad(ColKind, fmt.Sprintf("loại chủ thể %q không có; dùng: doanh nghiệp, hợp tác xã, tổ hợp tác, hộ kinh doanh", v),
				fmt.Sprintf("producer kind %q unknown; use doanh nghiệp, hợp tác xã, tổ hợp tác or hộ kinh doanh", v))
		}
		row.Producer.Kind = k
	}
	if row.Producer.Name != "" && row.Producer.Kind != "" && row.UnitCode != "" {
		if err := row.Producer.Check(); err != nil {
			if fe, ok := FieldOf(err); ok {
				bad(importField(fe.Field), fe.Words.VI, fe.Words.EN)
			}
		}
	}
	row.Product = Product{Name: get(ColProduct), Description: get(ColDescription), UnitCode: row.UnitCode, ProducerID: 1}
	if v := get(ColSet); v != "" {
		if set, ok := r.Taxonomy.FindSet(v); ok {
			row.Product.ProductSet = set.Code
		} else {
			bad(ColSet, fmt.Sprintf("bộ sản phẩm %q không có trong danh mục; dùng mã như 1.3.b hoặc tên bộ sản phẩm", v),
				fmt.Sprintf("product set %q is not in the taxonomy; use a code such as 1.3.b or the set's name", v))
		}
	}
	if row.Product.Name != "" && row.Product.ProductSet != "" && row.UnitCode != "" {
		if err := row.Product.Check(r.Taxonomy); err != nil {
			if fe, ok := FieldOf(err); ok {
				bad(importField(fe.Field), fe.Words.VI, fe.Words.EN)
			}
		}
	}
	if v := get(ColStars); v != "" {
		m := starsText.FindStringSubmatch(v)
		stars := 0
		if m != nil {
			stars, _ = strconv.Atoi(m[1])
		}
		if stars < 3 || stars > 5 {
			bad(ColStars, fmt.Sprintf("%q: số sao phải từ 3 đến 5 (chỉ sản phẩm 3 sao trở lên được công nhận)", v),
				fmt.Sprintf("%q: stars must be 3 to 5 (only products of 3 stars or more are recognised)", v))
		}
		row.Stars = stars
	}
	row.Decision = get(ColDecision)
	if len(row.Decision) > 100 {
		bad(ColDecision, "số quyết định quá dài (tối đa 100 ký tự)", "the decision number is too long (100 characters at most)")
	}
	if v := get(ColDate); v != "" {
		d, err := cellDate(v)
		switch {
		case err != nil:
			bad(ColDate, fmt.Sprintf("%q không phải là ngày; viết dd/mm/yyyy hoặc yyyy-mm-dd", v), fmt.Sprintf("%q is not a date; write dd/mm/yyyy or yyyy-mm-dd", v))
		case d > today:
			bad(ColDate, fmt.Sprintf("ngày quyết định %s sau hôm nay (%s)", d, today), fmt.Sprintf("the decision date %s is after today (%s)", d, today))
		case d < "2018-01-01":
			bad(ColDate, fmt.Sprintf("ngày quyết định %s trước khi có Chương trình OCOP (2018)", d), fmt.Sprintf("the decision date %s is before the OCOP program began (2018)", d))
		}
		row.Date = d
	}
	if v := get(ColScore); v != "" {
		x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		switch {
		case err != nil || math.IsNaN(x) || x < 0 || x > 100:
			bad(ColScore, fmt.Sprintf("điểm %q phải là số từ 0 đến 100", v), fmt.Sprintf("score %q must be a number from 0 to 100", v))
		default:
			row.Score = &x
			if row.Stars >= 3 && row.Date != "" {
				if ver, err := r.VersionOn(row.Date); err == nil && ver.Stars(x) != row.Stars {
					bad(ColScore, fmt.Sprintf("điểm %s ứng với %d sao theo %s, không phải %d sao", v, ver.Stars(x), ver.Decision, row.Stars),
						fmt.Sprintf("a score of %s is %d stars under %s, not %d", v, ver.Stars(x), ver.Decision, row.Stars))
				}
			}
		}
	}
	if v := get(ColLevel); v != "" {
		l, err := ParseLevel(v)
		if err != nil {
			bad(ColLevel, fmt.Sprintf("cấp công nhận %q không có; dùng huyện, tỉnh hoặc trung ương", v), fmt.Sprintf("level %q unknown; use district, province or central", v))
		}
		row.Level = l
	} else if row.Stars >= 3 && row.Date != "" {
		row.Level, _, _ = r.RecognisedBy(row.Stars, row.Date)
	}
	row.Issuer = get(ColIssuer)
	if len(row.Issuer) > 300 {
		bad(ColIssuer, "tên cơ quan công nhận quá dài (tối đa 300 ký tự)", "the issuer is too long (300 characters at most)")
	}
	return len(ie.Problems) == n && !ie.Truncated
}

// importField maps a field of Producer.Check or Product.Check to the import column.
func importField(f string) string {
	switch f {
	case "name":
		return ColProduct
	case "kind":
		return ColKind
	case "registration_no":
		return ColRegNo
	case "address":
		return ColAddress
	case "product_set":
		return ColSet
	case "description":
		return ColDescription
	}
	return ColUnit
}

// cellDate reads a date cell: an Excel serial number, or text dd/mm/yyyy or yyyy-mm-dd.
func cellDate(v string) (units.Date, error) {
	if x, err := strconv.ParseFloat(v, 64); err == nil && x > 20000 && x < 80000 {
		t, err := excelize.ExcelDateToTime(x, false)
		if err != nil {
			return "", err
		}
		return units.Date(t.Format(time.DateOnly)), nil
	}
	if d, err := units.ReadDate(v); err == nil {
		return d, nil
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) == 3 && len(parts[2]) == 4 {
		dd, e1 := strconv.Atoi(parts[0])
		mm, e2 := strconv.Atoi(parts[1])
		if e1 == nil && e2 == nil {
			return units.ParseDate(fmt.Sprintf("%s-%02d-%02d", parts[2], mm, dd))
		}
	}
	return "", fmt.Errorf("%q is not a date", v)
}

// Template returns an empty import workbook with the header row and one example row.
func Template() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sản phẩm OCOP"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	example := map[string]any{ColUnit: "23575", ColProduct: "Cà phê bột Pleiku", ColProducer: "Hợp tác xã Cà phê Pleiku",
		ColKind: "Hợp tác xã", ColSet: "1.6.a", ColStars: 4, ColDecision: "123/QĐ-UBND", ColDate: "15/03/2023"}
	for i, col := range ImportColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sheet, cell, col.Header)
		if v, ok := example[col.Field]; ok {
			cell, _ = excelize.CoordinatesToCellName(i+1, 2)
			f.SetCellValue(sheet, cell, v)
		}
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
