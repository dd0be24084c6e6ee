package criteria

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ValueRow is one row of a values CSV (SPEC §6): unit,set,period,code,value[,note].
type ValueRow struct {
	Line   int    `json:"line"`
	Unit   string `json:"unit"`
	Set    string `json:"set"`
	Period string `json:"period"`
	Code   string `json:"code"`
	Text   string `json:"value"`
	Note   string `json:"note,omitempty"`
}

var valueColumns = []string{"unit", "set", "period", "code", "value"}

// ReadValuesCSV reads a values CSV. The header must name unit, set, period, code and value
// (in any order) and may add note. Problems name the file, line and column.
func ReadValuesCSV(filename string, r io.Reader) ([]ValueRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ValidationFault([]Problem{{File: filename, Line: 1, Message: bi("tệp trống", "empty file")}})
		}
		return nil, ValidationFault([]Problem{{File: filename, Line: 1, Message: bi("CSV không hợp lệ", err.Error())}})
	}
	col := map[string]int{}
	ps := &problems{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; dup {
			ps.list = append(ps.list, Problem{File: filename, Line: 1, Field: h, Message: bi("cột lặp lại", "column given twice")})
		}
		col[h] = i
		if !contains(valueColumns, h) && h != "note" {
			ps.list = append(ps.list, Problem{File: filename, Line: 1, Field: h,
				Message: bi(fmt.Sprintf("cột %q không có trong định dạng unit,set,period,code,value[,note]", h), "unknown column")})
		}
	}
	for _, c := range valueColumns {
		if _, ok := col[c]; !ok {
			ps.list = append(ps.list, Problem{File: filename, Line: 1, Field: c, Message: bi("thiếu cột "+c, "missing column "+c)})
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	get := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var rows []ValueRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			ps.list = append(ps.list, Problem{File: filename, Line: line, Message: bi("dòng CSV không hợp lệ", err.Error())})
			if len(ps.list) > 100 {
				break
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		row := ValueRow{Line: line, Unit: get(rec, "unit"), Set: get(rec, "set"), Period: get(rec, "period"),
			Code: get(rec, "code"), Text: get(rec, "value"), Note: get(rec, "note")}
		if row.Code == "" {
			ps.list = append(ps.list, Problem{File: filename, Line: line, Field: "code", Message: bi("thiếu mã chỉ tiêu", "missing code")})
			continue
		}
		rows = append(rows, row)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return rows, nil
}

// DirectKey is the values key of a criterion assessed directly: "TC17".
func DirectKey(number int) string { return "TC" + strconv.Itoa(number) }

// directNumber reads "TC17" / "tc17" as 17.
func directNumber(code string) (int, bool) {
	if len(code) < 3 || !strings.EqualFold(code[:2], "tc") {
		return 0, false
	}
	n, err := strconv.Atoi(code[2:])
	return n, err == nil && n > 0
}

// Elements lists the data elements the set's formulas read.
func (s *Set) Elements() []string {
	var out []string
	for _, c := range s.Criteria {
		for _, in := range c.Indicators {
			if in.Formula == "" {
				continue
			}
			if f, err := compileFormula(in.Formula); err == nil {
				for _, v := range f.vars {
					if !contains(out, v) {
						out = append(out, v)
					}
				}
			}
		}
	}
	return out
}

// Values reads rows' texts with the kinds of the set's indicators: an indicator code takes its
// kind, TC<N> a đạt/không đạt for criterion N, a data element of a formula a number (or a
// yes/no). A code the set does not know, a repeated code or a bad value is a problem naming
// the row's line.
func (s *Set) Values(filename string, rows []ValueRow) (Values, error) {
	vals := make(Values, len(rows))
	ps := &problems{}
	elems := s.Elements()
	seen := map[string]int{}
	for _, r := range rows {
		key := r.Code
		kind := Kind("")
		if in, _ := s.Indicator(r.Code); in != nil {
			kind = in.Kind
		} else if n, ok := directNumber(r.Code); ok && s.Criterion(n) != nil {
			key, kind = DirectKey(n), KindBool
		} else if contains(elems, r.Code) {
			kind = KindNumber
		} else {
			ps.list = append(ps.list, Problem{File: filename, Line: r.Line, Field: "code",
				Message: bi(fmt.Sprintf("mã %q không phải là chỉ tiêu, tiêu chí (TC<số>) hay phần tử dữ liệu của bộ %s", r.Code, s.ID),
					fmt.Sprintf("code %q is not an indicator, criterion (TC<n>) or data element of set %s", r.Code, s.ID))})
			continue
		}
		if prev, dup := seen[key]; dup {
			ps.list = append(ps.list, Problem{File: filename, Line: r.Line, Field: "code",
				Message: bi(fmt.Sprintf("mã %q đã có ở dòng %d", r.Code, prev), fmt.Sprintf("code %q already given at line %d", r.Code, prev))})
			continue
		}
		seen[key] = r.Line
		v, err := ParseValue(kind, r.Text)
		if err != nil && kind == KindNumber {
			if b, ok := ParseBool(r.Text); ok {
				v, err = Bool(b), nil
			}
		}
		if err != nil {
			w := ValueWords(err)
			ps.list = append(ps.list, Problem{File: filename, Line: r.Line, Field: "value", Message: bi(w.VI, w.EN)})
			continue
		}
		vals[key] = v
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return vals, nil
}
