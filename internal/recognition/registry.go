package recognition

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/units"
)

// RegistryRow is one recognition of a registry workbook: a unit, a tier, a decision.
type RegistryRow struct {
	Row      int        `json:"row"` // the workbook's row number (1-based, as Excel shows it)
	Unit     string     `json:"unit"`
	Tier     string     `json:"tier"`
	Decision string     `json:"decision"`
	Date     units.Date `json:"date"`
	Signer   string     `json:"signer,omitempty"`
	Set      string     `json:"set,omitempty"`
}

// RowProblem is what is wrong with one row (or the whole file, Row 0).
type RowProblem struct {
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"` // the column letter, "C"
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (p RowProblem) String() string {
	switch {
	case p.Row > 0 && p.Column != "":
		return fmt.Sprintf("Dòng %d, cột %s: %s", p.Row, p.Column, p.Message)
	case p.Row > 0:
		return fmt.Sprintf("Dòng %d: %s", p.Row, p.Message)
	}
	return p.Message
}

// ImportFault is the fault of a registry import with problems: nothing is stored. Its message
// is short, as the API answers it; the rows at fault are its Problems, a []RowProblem (read
// them back with fault.ProblemsOf), which the API answers beside the message and the command
// line prints one per line before it.
func ImportFault(probs []RowProblem) *fault.Error {
	return &fault.Error{Code: fault.InvalidFile, Problems: probs,
		Text: fmt.Sprintf("tệp có %d lỗi; không nhập gì (%d problem(s); nothing imported)", len(probs), len(probs))}
}

// MaxRegistryRows bounds a registry workbook.
const MaxRegistryRows = 20000

// registry columns, by folded header. Each field accepts the Vietnamese header and a short
// English one.
var registryColumns = []struct {
	field    string
	headers  []string
	required bool
}{
	{"unit", []string{"ma don vi", "ma", "unit", "unit code", "code"}, true},
	{"tier", []string{"muc dat chuan", "muc", "tier"}, true},
	{"decision", []string{"so quyet dinh", "quyet dinh", "decision", "decision number"}, true},
	{"date", []string{"ngay quyet dinh", "ngay", "date", "decision date"}, true},
	{"signer", []string{"nguoi ky", "signer"}, false},
	{"set", []string{"bo tieu chi", "set"}, false},
}

// Limits bound a registry workbook (see package sheet).
var Limits = sheet.Limits{File: 20 << 20, Unpacked: 128 << 20, Part: 128 << 20, Rows: 100000, Cols: 200, Cells: 2_000_000}

// ReadRegistry reads a registry workbook: on its first sheet a header row (Mã đơn vị, Mức đạt
// chuẩn, Số quyết định, Ngày quyết định, and optionally Người ký, Bộ tiêu chí; other columns
// such as the unit's name are ignored), then one recognition per row. Dates may be date cells
// or text (15/02/2026 or 2026-02-15); tiers are ntm, nang-cao, kieu-mau, hien-dai or their
// names (NTM nâng cao). Every problem is reported, each with its row and column.
func ReadRegistry(r io.Reader) ([]RegistryRow, error) {
	b, err := sheet.ReadAll(r, Limits.File)
	if err != nil {
		return nil, err
	}
	f, err := sheet.OpenBytes(b, Limits)
	var le *sheet.LimitError
	if errors.As(err, &le) {
		return nil, err
	}
	if err != nil {
		return nil, ImportFault([]RowProblem{{Message: "không đọc được tệp Excel (.xlsx) (not a readable .xlsx workbook): " + err.Error()}})
	}
	sheets := f.Sheets()
	if len(sheets) == 0 {
		return nil, ImportFault([]RowProblem{{Message: "tệp không có trang tính nào (the workbook has no sheet)"}})
	}
	rows, _, err := f.Grid(sheets[0])
	if errors.As(err, &le) {
		return nil, err
	}
	if err != nil {
		return nil, ImportFault([]RowProblem{{Message: "không đọc được trang tính đầu (cannot read the first sheet): " + err.Error()}})
	}
	return parseRegistryRows(rows)
}

func parseRegistryRows(rows [][]string) ([]RegistryRow, error) {
	var probs []RowProblem
	// The header is the first row naming at least three of the columns (a title may stand
	// above it), else the first row that is not blank.
	head, first := -1, -1
	for i, r := range rows {
		if blank(r) {
			continue
		}
		if first < 0 {
			first = i
		}
		if i-first >= 20 {
			break
		}
		if headerCount(r) >= 3 {
			head = i
			break
		}
	}
	if first < 0 {
		return nil, ImportFault([]RowProblem{{Message: "trang tính trống (the sheet is empty)"}})
	}
	if head < 0 {
		head = first
	}
	col := map[string]int{}
	for j, h := range rows[head] {
		key := units.Fold(h)
		for _, c := range registryColumns {
			for _, name := range c.headers {
				if key == name {
					if _, dup := col[c.field]; dup {
						probs = append(probs, RowProblem{Row: head + 1, Column: colName(j), Message: fmt.Sprintf("cột %q lặp lại (column repeated)", h)})
					}
					col[c.field] = j
				}
			}
		}
	}
	for _, c := range registryColumns {
		if _, ok := col[c.field]; c.required && !ok {
			probs = append(probs, RowProblem{Row: head + 1, Field: c.field, Message: fmt.Sprintf("thiếu cột %q (column missing)", headerVI[c.field])})
		}
	}
	if len(probs) > 0 {
		return nil, ImportFault(probs)
	}
	if len(rows)-head-1 > MaxRegistryRows {
		return nil, ImportFault([]RowProblem{{Message: fmt.Sprintf("quá %d dòng; hãy chia tệp (more than %d rows: split the file)", MaxRegistryRows, MaxRegistryRows)}})
	}
	cell := func(r []string, field string) (string, string) {
		j, ok := col[field]
		if !ok || j >= len(r) {
			return "", colName(j)
		}
		return strings.TrimSpace(r[j]), colName(j)
	}
	var out []RegistryRow
	seen := map[string]int{}
	for i := head + 1; i < len(rows); i++ {
		r := rows[i]
		if blank(r) {
			continue
		}
		n := i + 1
		row := RegistryRow{Row: n}
		var c string
		row.Unit, c = cell(r, "unit")
		if row.Unit == "" {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "unit", Message: "thiếu mã đơn vị (unit code missing)"})
		} else if !isCode(row.Unit) {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "unit", Message: fmt.Sprintf("%q không phải là mã đơn vị (chữ số) (not a unit code)", row.Unit)})
		}
		var tier string
		tier, c = cell(r, "tier")
		if t, ok := ParseTier(tier); ok {
			row.Tier = t
		} else {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "tier", Message: fmt.Sprintf("mức %q không rõ; dùng NTM, NTM nâng cao, NTM kiểu mẫu hoặc NTM hiện đại (unknown tier)", tier)})
		}
		row.Decision, c = cell(r, "decision")
		if row.Decision == "" {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "decision", Message: "thiếu số quyết định (decision number missing)"})
		} else if len(row.Decision) > 100 {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "decision", Message: "số quyết định quá dài (decision number too long)"})
		}
		var date string
		date, c = cell(r, "date")
		if d, err := parseCellDate(date); err != nil {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "date", Message: err.Error()})
		} else {
			row.Date = d
		}
		row.Signer, c = cell(r, "signer")
		if len(row.Signer) > 200 {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "signer", Message: "người ký quá dài (signer too long)"})
		}
		row.Set, c = cell(r, "set")
		if row.Set != "" && !idRE.MatchString(row.Set) {
			probs = append(probs, RowProblem{Row: n, Column: c, Field: "set", Message: fmt.Sprintf("%q không phải là mã bộ tiêu chí (not a set id)", row.Set)})
		}
		key := row.Unit + "|" + row.Tier + "|" + row.Decision
		if first, dup := seen[key]; dup && row.Unit != "" && row.Decision != "" {
			probs = append(probs, RowProblem{Row: n, Message: fmt.Sprintf("trùng với dòng %d (same unit, tier and decision as row %d)", first, first)})
		}
		seen[key] = n
		out = append(out, row)
	}
	if len(out) == 0 && len(probs) == 0 {
		probs = append(probs, RowProblem{Message: "không có dòng nào dưới dòng tiêu đề (no rows under the header)"})
	}
	if len(probs) > 0 {
		return nil, ImportFault(probs)
	}
	return out, nil
}

// headerCount counts the cells of r that name a registry column.
func headerCount(r []string) int {
	n := 0
	for _, h := range r {
		key := units.Fold(h)
		for _, c := range registryColumns {
			for _, name := range c.headers {
				if key == name {
					n++
				}
			}
		}
	}
	return n
}

var headerVI = map[string]string{"unit": "Mã đơn vị", "tier": "Mức đạt chuẩn", "decision": "Số quyết định", "date": "Ngày quyết định"}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func isCode(s string) bool {
	if len(s) < 2 || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func colName(j int) string {
	if j < 0 {
		return ""
	}
	name, err := excelize.ColumnNumberToName(j + 1)
	if err != nil {
		return ""
	}
	return name
}

// parseCellDate reads a date cell: an Excel serial number, YYYY-MM-DD or d/m/yyyy.
func parseCellDate(s string) (units.Date, error) {
	if s == "" {
		return "", fmt.Errorf("thiếu ngày quyết định (decision date missing)")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 1 && f < 2958466 {
		t, err := excelize.ExcelDateToTime(f, false)
		if err == nil {
			return units.Date(t.Format(time.DateOnly)), nil
		}
	}
	if d, err := ParseDay(s); err == nil {
		return d, nil
	}
	return "", fmt.Errorf("%q không phải là ngày (dd/mm/yyyy) (not a date)", s)
}

// ParseDay reads a day written YYYY-MM-DD or d/m/yyyy (also with - or . between the parts).
func ParseDay(v string) (units.Date, error) {
	v = strings.TrimSpace(v)
	if d, err := units.ReadDate(v); err == nil {
		return d, nil
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) == 3 && len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		dd, e1 := strconv.Atoi(parts[0])
		mm, e2 := strconv.Atoi(parts[1])
		if e1 == nil && e2 == nil {
			return units.ParseDate(fmt.Sprintf("%s-%02d-%02d", parts[2], mm, dd))
		}
	}
	return "", fmt.Errorf("%q is not a date", v)
}

// ParseTier reads a tier as a code (ntm, nang-cao…) or as offices write it ("NTM nâng cao",
// "Nông thôn mới kiểu mẫu").
func ParseTier(s string) (string, bool) {
	k := units.Fold(s)
	k = strings.NewReplacer("nong thon moi", "ntm", "-", " ", "_", " ").Replace(k)
	k = strings.TrimPrefix(strings.TrimPrefix(k, "xa "), "dat chuan ")
	switch k {
	case "ntm":
		return "ntm", true
	case "ntm nang cao", "nang cao", "ntmnc":
		return "nang-cao", true
	case "ntm kieu mau", "kieu mau", "ntmkm":
		return "kieu-mau", true
	case "ntm hien dai", "hien dai":
		return "hien-dai", true
	}
	return "", false
}

// TierName is the name of a tier in lang (vi or en): "NTM nâng cao", "advanced new rural"
// (catalog keys tier_name.*); an unknown tier is its code.
func TierName(tier, lang string) string {
	if !i18n.Has(i18n.VI, "tier_name."+tier) {
		return tier
	}
	return i18n.T(lang, "tier_name."+tier)
}
