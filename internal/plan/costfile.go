package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/resources"
)

// The cost table an office enters (bảng đơn giá): one row per indicator, its code and its
// unit cost in triệu đồng, a note; a first sheet of a workbook or a CSV file, with a header
// row. Every problem is named by row and column, and a table with any problem is refused
// whole.

var (
	costCodeHeaders = resources.FoldAll("Mã chỉ tiêu", "Mã", "Chỉ tiêu", "code", "indicator")
	costPriceHeader = resources.FoldAll("Đơn giá (triệu đồng)", "Đơn giá", "Đơn giá (triệu đồng/đơn vị)", "per_unit", "cost", "unit cost")
	costNoteHeaders = resources.FoldAll("Ghi chú", "note")
	costIgnored     = resources.FoldAll("STT", "TT", "Tên chỉ tiêu", "name", "Đơn vị tính", "ĐVT", "unit", "measure")
)

func letter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// ReadPrices reads a cost table for set. Unknown indicator codes, negative or unreadable
// costs, codes given twice and a missing header are all reported, each with its row and
// column, in one resources.ImportFault.
func ReadPrices(file string, src []byte, set *criteria.Set) (Prices, error) {
	t, err := resources.ReadTable(file, src)
	if err != nil {
		return nil, err
	}
	var bad []resources.Problem
	add := func(line int, col, vi, en string) {
		bad = append(bad, resources.Problem{Line: line, Column: col, VI: vi, EN: en})
	}
	hi, col := costHeader(t, add)
	if len(bad) > 0 {
		return nil, resources.ImportFault(file, bad)
	}
	cell := func(r resources.Row, field string) (resources.Cell, string) {
		i, ok := col[field]
		if !ok {
			return resources.Cell{}, ""
		}
		if i >= len(r.Cells) {
			return resources.Cell{}, letter(i)
		}
		return r.Cells[i], letter(i)
	}
	out := Prices{}
	seen := map[string]int{}
	for _, r := range t.Rows[hi+1:] {
		code, cc := cell(r, "code")
		price, pc := cell(r, "per_unit")
		note, _ := cell(r, "note")
		c := strings.TrimSpace(code.Text)
		if c == "" && strings.TrimSpace(price.Text) == "" {
			continue // a blank row
		}
		if code.Number {
			// A spreadsheet stores "2.1" as the number 2.1: its text is the code.
			if f, err := strconv.ParseFloat(c, 64); err == nil {
				c = strconv.FormatFloat(f, 'f', -1, 64)
			}
		}
		switch in, _ := set.Indicator(c); {
		case c == "":
			add(r.Line, cc, "thiếu mã chỉ tiêu", "the indicator code is missing")
		case in == nil:
			add(r.Line, cc, fmt.Sprintf("bộ %s không có chỉ tiêu %q", set.ID, c), fmt.Sprintf("set %s has no indicator %q", set.ID, c))
		case seen[c] > 0:
			add(r.Line, cc, fmt.Sprintf("chỉ tiêu %s đã có ở dòng %d", c, seen[c]), fmt.Sprintf("indicator %s is already on row %d", c, seen[c]))
		}
		v, err := costValue(price)
		switch {
		case strings.TrimSpace(price.Text) == "":
			add(r.Line, pc, "thiếu đơn giá", "the unit cost is missing")
		case err != nil:
			add(r.Line, pc, fmt.Sprintf("%q không phải là số", price.Text), fmt.Sprintf("%q is not a number", price.Text))
		case v < 0:
			add(r.Line, pc, fmt.Sprintf("đơn giá %s âm", price.Text), fmt.Sprintf("the unit cost %s is negative", price.Text))
		}
		if c != "" && seen[c] == 0 {
			seen[c] = r.Line
		}
		out[c] = Price{Code: c, PerUnit: v.Float(), Note: strings.TrimSpace(note.Text)}
	}
	if len(bad) > 0 {
		return nil, resources.ImportFault(file, bad)
	}
	if len(out) == 0 {
		add(0, "", "bảng đơn giá không có dòng nào", "the cost table has no rows")
		return nil, resources.ImportFault(file, bad)
	}
	return out, nil
}

// costHeader finds the header row (within the first 20, the one naming Mã chỉ tiêu) and the
// column of each field (code, per_unit, note); every problem is given to add.
func costHeader(t *resources.Table, add func(line int, col, vi, en string)) (hi int, col map[string]int) {
	hi = -1
	for i, r := range t.Rows {
		if i >= 20 {
			break
		}
		for _, c := range r.Cells {
			if slices.Contains(costCodeHeaders, resources.Fold(c.Text)) {
				hi = i
			}
		}
		if hi >= 0 {
			break
		}
	}
	if hi < 0 {
		add(0, "", "không tìm thấy dòng tiêu đề có cột \"Mã chỉ tiêu\"", `no header row with a column "Mã chỉ tiêu" (code)`)
		return hi, nil
	}
	hdr := t.Rows[hi]
	col = map[string]int{}
	for i, c := range hdr.Cells {
		h := resources.Fold(c.Text)
		field := ""
		switch {
		case h == "" || slices.Contains(costIgnored, h):
			continue
		case slices.Contains(costCodeHeaders, h):
			field = "code"
		case slices.Contains(costPriceHeader, h):
			field = "per_unit"
		case slices.Contains(costNoteHeaders, h):
			field = "note"
		default:
			add(hdr.Line, letter(i), fmt.Sprintf("cột %q không rõ là gì; đổi tên cột hoặc xóa cột", c.Text), fmt.Sprintf("column %q is not known; rename or remove it", c.Text))
			continue
		}
		if j, dup := col[field]; dup {
			add(hdr.Line, letter(i), fmt.Sprintf("cột %q trùng với cột %s", c.Text, letter(j)), fmt.Sprintf("column %q repeats column %s", c.Text, letter(j)))
			continue
		}
		col[field] = i
	}
	if _, ok := col["per_unit"]; !ok {
		add(hdr.Line, "", `thiếu cột "Đơn giá (triệu đồng)"`, `column "Đơn giá (triệu đồng)" (unit cost) is missing`)
	}
	return hi, col
}

// costValue reads a unit cost: a number cell as it is stored, a text as Vietnamese write it.
func costValue(price resources.Cell) (resources.Fixed, error) {
	if price.Number {
		f, err := strconv.ParseFloat(price.Text, 64)
		if err != nil {
			return 0, err
		}
		return resources.FromFloat(f)
	}
	return resources.ParseLocal(strings.TrimSpace(price.Text), "vi")
}
