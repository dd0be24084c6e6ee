package units

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
)

// TagKind is what a unit tag records.
type TagKind struct {
	Tag    string // as stored: nhom-1, dac-biet-kho-khan…
	NameVI string
	// Group tags are exclusive: a commune is in one group, the latest decision wins.
	Group   bool
	aliases []string // folded spellings offices write
}

// TagKinds are the tags a province's decision can give a commune: the commune groups of the
// 2026-2030 set (QĐ 51/2025/QĐ-TTg: xã nhóm 1/2/3) and the lists that change which thresholds
// apply (QĐ 318/QĐ-TTg Điều 1: xã đặc biệt khó khăn, xã an toàn khu) or that reports count
// (xã biên giới).
var TagKinds = []TagKind{
	{"nhom-1", "Xã nhóm 1", true, []string{"nhom 1", "nhom1", "nhom-1", "nhom_1", "1", "xa nhom 1"}},
	{"nhom-2", "Xã nhóm 2", true, []string{"nhom 2", "nhom2", "nhom-2", "nhom_2", "2", "xa nhom 2"}},
	{"nhom-3", "Xã nhóm 3", true, []string{"nhom 3", "nhom3", "nhom-3", "nhom_3", "3", "xa nhom 3"}},
	{"dac-biet-kho-khan", "Xã đặc biệt khó khăn", false, []string{"dac-biet-kho-khan", "dac biet kho khan", "xa dac biet kho khan", "dbkk", "xa dbkk"}},
	{"an-toan-khu", "Xã an toàn khu", false, []string{"an-toan-khu", "an toan khu", "xa an toan khu", "atk", "xa atk"}},
	{"bien-gioi", "Xã biên giới", false, []string{"bien-gioi", "bien gioi", "xa bien gioi"}},
}

// LookupTag finds the tag an office's spelling names ("Nhóm 3", "xã ATK", "an-toan-khu").
func LookupTag(s string) (TagKind, bool) {
	f := strings.Join(strings.Fields(Fold(s)), " ")
	for _, k := range TagKinds {
		for _, a := range k.aliases {
			if f == a {
				return k, true
			}
		}
	}
	return TagKind{}, false
}

// IsGroupTag says whether t is a commune-group tag.
func IsGroupTag(t string) bool {
	k, ok := LookupTag(t)
	return ok && k.Group
}

// TagAssignment is one row of a province's decision: a commune, the group or list it is put
// in, the decision's number and date, and the day from which it applies.
type TagAssignment struct {
	Line      int    `json:"line"`
	UnitCode  string `json:"unit_code"`
	Tag       string `json:"tag"`
	Decision  string `json:"decision"`
	Decided   Date   `json:"decided"`
	ValidFrom Date   `json:"valid_from"`
}

// tagColumns are the columns of a tags file, each with the folded header names accepted.
var tagColumns = []struct {
	field   string
	headers []string
}{
	{"unit_code", []string{"unit_code", "ma don vi", "ma xa", "ma"}},
	{"tag", []string{"tag", "nhan", "nhom", "nhan hoac nhom", "phan loai"}},
	{"decision", []string{"decision", "so quyet dinh", "quyet dinh"}},
	{"decided", []string{"decided", "ngay quyet dinh", "ngay ban hanh"}},
	{"valid_from", []string{"valid_from", "hieu luc tu", "ap dung tu", "ngay hieu luc"}},
}

// ParseTagDate reads "2026-03-01" or "01/03/2026" (also 1/3/2026), or the day number a
// spreadsheet keeps for a date cell (46082 is 2026-03-01).
func ParseTagDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 2958466 {
		return Date(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format(time.DateOnly)), nil
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date(t.Format(time.DateOnly)), nil
		}
	}
	return "", fmt.Errorf("%q không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd)", s)
}

// TagProblem is one bad cell of a tags file.
type TagProblem struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	VI     string `json:"message"`
}

func (p TagProblem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("dòng %d: %s", p.Line, p.VI)
	}
	return fmt.Sprintf("dòng %d, cột %s: %s", p.Line, p.Column, p.VI)
}

// TagFileFault is the fault of a tags file with problems, listing every one of them in
// Problems ([]TagProblem); nothing of it is stored.
func TagFileFault(file string, ps []TagProblem) *fault.Error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d lỗi, không nạp dòng nào", file, len(ps))
	for i, p := range ps {
		if i == 50 {
			fmt.Fprintf(&b, "\n  … và %d lỗi khác", len(ps)-50)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return &fault.Error{Code: fault.InvalidFile, Text: b.String(), Problems: ps}
}

// ParseTagRows reads the rows of a tags file (CSV or the first sheet of a workbook): a header
// row naming the columns unit_code, tag, decision, decided, valid_from (or their Vietnamese
// names: Mã đơn vị, Nhãn hoặc nhóm, Số quyết định, Ngày quyết định, Hiệu lực từ), then one row
// per commune and tag. lines[i] is the file line of rows[i]. Every problem is reported.
func ParseTagRows(file string, rows [][]string, lines []int) ([]TagAssignment, error) {
	if len(rows) == 0 {
		return nil, TagFileFault(file, []TagProblem{{Line: 1, VI: "tệp trống: cần dòng tiêu đề unit_code, tag, decision, decided, valid_from"}})
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		f := strings.Join(strings.Fields(Fold(strings.TrimPrefix(h, "\uFEFF"))), " ")
		for _, c := range tagColumns {
			for _, name := range c.headers {
				if f == name {
					if _, dup := col[c.field]; !dup {
						col[c.field] = i
					}
				}
			}
		}
	}
	var ps []TagProblem
	for _, c := range tagColumns {
		if _, ok := col[c.field]; !ok {
			ps = append(ps, TagProblem{Line: lines[0], Column: c.field, VI: fmt.Sprintf("thiếu cột %s (hoặc %q)", c.field, c.headers[1])})
		}
	}
	if len(ps) > 0 {
		return nil, TagFileFault(file, ps)
	}
	get := func(r []string, f string) string {
		if i := col[f]; i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	seen := map[string]int{}
	var out []TagAssignment
	for i, r := range rows[1:] {
		line := lines[i+1]
		blank := true
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		a := TagAssignment{Line: line, UnitCode: get(r, "unit_code"), Decision: get(r, "decision")}
		if a.UnitCode == "" {
			ps = append(ps, TagProblem{line, "unit_code", "thiếu mã đơn vị"})
		} else if strings.Trim(a.UnitCode, "0123456789") != "" {
			ps = append(ps, TagProblem{line, "unit_code", fmt.Sprintf("%q không phải là mã đơn vị: mã chỉ gồm chữ số (giữ các số 0 ở đầu)", a.UnitCode)})
		}
		if k, ok := LookupTag(get(r, "tag")); ok {
			a.Tag = k.Tag
		} else {
			ps = append(ps, TagProblem{line, "tag", fmt.Sprintf("%q không phải là nhãn đã biết (nhóm 1, nhóm 2, nhóm 3, đặc biệt khó khăn, an toàn khu, biên giới)", get(r, "tag"))})
		}
		if a.Decision == "" {
			ps = append(ps, TagProblem{line, "decision", "thiếu số quyết định"})
		}
		var err error
		if a.Decided, err = ParseTagDate(get(r, "decided")); err != nil {
			ps = append(ps, TagProblem{line, "decided", err.Error()})
		}
		if a.ValidFrom, err = ParseTagDate(get(r, "valid_from")); err != nil {
			ps = append(ps, TagProblem{line, "valid_from", err.Error()})
		} else if a.Decided != "" && a.ValidFrom < a.Decided {
			ps = append(ps, TagProblem{line, "valid_from", fmt.Sprintf("ngày hiệu lực %s trước ngày quyết định %s", a.ValidFrom, a.Decided)})
		}
		key := a.UnitCode + "|" + a.Tag + "|" + string(a.ValidFrom)
		if prev, dup := seen[key]; dup && a.Tag != "" {
			ps = append(ps, TagProblem{line, "", fmt.Sprintf("trùng với dòng %d", prev)})
		}
		seen[key] = line
		out = append(out, a)
	}
	if len(ps) > 0 {
		return nil, TagFileFault(file, ps)
	}
	return out, nil
}
