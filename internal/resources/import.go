package resources

import (
	"fmt"
	"strings"

	"github.com/ntm-vn/ntm/internal/units"
)

// Import files are the lists offices already keep, as XLSX (first sheet) or CSV: a header
// row (found among the first 20 rows, under any title rows) naming the columns in Vietnamese
// or by the API's field names, then one row per entry. Every problem is reported with its
// row and column; a file with any problem is imported not at all.

var (
	hUnit = column{"unit", FoldAll("Mã đơn vị", "Mã ĐV", "Mã xã", "Mã thôn", "unit", "unit_code"), true}
	hYear = column{"year", FoldAll("Năm", "year"), true}
	hNote = column{"note", FoldAll("Ghi chú", "note"), false}
	// Columns offices keep for the reader that the import does not need.
	ignored = FoldAll("STT", "TT", "Tên đơn vị", "Đơn vị", "Tên xã", "Xã", "Huyện", "Tỉnh", "unit_name")
)

// sourceColumn maps a header to a source: its code, its name, its name after "Vốn" or
// "Kế hoạch vốn" ("Kế hoạch vốn NSTW").
func (c *Catalog) sourceColumn(h string) (string, bool) {
	try := []string{h}
	for _, p := range []string{"ke hoach von ", "von ", "nguon "} {
		if rest, ok := strings.CutPrefix(h, p); ok {
			try = append(try, rest)
		}
	}
	for _, t := range try {
		for _, code := range c.SourceCodes() {
			s := c.leaf[code]
			if t == code || t == Fold(s.Name) || t == Fold(s.NameEN) || t == strings.ReplaceAll(code, "-", "") {
				return code, true
			}
		}
	}
	return "", false
}

type rowReader struct {
	loc   *located
	probs []Problem
	r     Row
}

func (rr *rowReader) bad(field, col, vi, en string) {
	rr.probs = append(rr.probs, Problem{Line: rr.r.Line, Column: col, Field: field, VI: vi, EN: en})
}

func (rr *rowReader) text(field string) string {
	c, _ := rr.loc.cell(rr.r, field)
	return c.Text
}

func (rr *rowReader) fixed(field string) (*Fixed, bool) {
	c, col := rr.loc.cell(rr.r, field)
	if c.Text == "" {
		return nil, true
	}
	v, err := readFixed(c)
	if err != nil {
		rr.bad(field, col, fmt.Sprintf("%q không phải là số", c.Text), fmt.Sprintf("%q is not a number", c.Text))
		return nil, false
	}
	if v < 0 {
		rr.bad(field, col, fmt.Sprintf("%q: số không được âm", c.Text), fmt.Sprintf("%q: cannot be negative", c.Text))
		return nil, false
	}
	return &v, true
}

func (rr *rowReader) int(field string, required bool) int {
	c, col := rr.loc.cell(rr.r, field)
	if c.Text == "" {
		if required {
			rr.bad(field, col, "ô trống; cần một số", "empty; a number is needed")
		}
		return 0
	}
	n, err := readInt(c)
	if err != nil {
		rr.bad(field, col, fmt.Sprintf("%q không phải là số nguyên", c.Text), fmt.Sprintf("%q is not a whole number", c.Text))
	}
	return n
}

func (rr *rowReader) date(field string) units.Date {
	c, col := rr.loc.cell(rr.r, field)
	if c.Text == "" {
		return ""
	}
	d, err := readDate(c)
	if err != nil {
		rr.bad(field, col, fmt.Sprintf("%q không phải là ngày (ngày/tháng/năm)", c.Text), fmt.Sprintf("%q is not a date (dd/mm/yyyy)", c.Text))
	}
	return d
}

func (rr *rowReader) required(field string) string {
	c, col := rr.loc.cell(rr.r, field)
	if c.Text == "" {
		rr.bad(field, col, "ô trống; cần điền", "empty; required")
	}
	return c.Text
}

// check turns the field fault of a record (FieldFault) into a problem at the field's column.
func (rr *rowReader) check(err error, fieldCol func(string) string) {
	if err == nil {
		return
	}
	if fe, ok := FieldOf(err); ok {
		rr.bad(fe.Field, fieldCol(fe.Field), fe.Words.VI, fe.Words.EN)
		return
	}
	rr.bad("", "", err.Error(), err.Error())
}

func importErr(t *Table, probs []Problem) error {
	if len(probs) == 0 {
		return nil
	}
	name := t.File
	if t.Sheet != "" {
		name += " [" + t.Sheet + "]"
	}
	return ImportFault(name, probs)
}

// FundingRow is a funding entry read from a file, with its row.
type FundingRow struct {
	Line int
	Funding
}

// ReadFunding reads a list of funding: unit, year, one column per source (by name or code:
// "Ngân sách trung ương", "nstw", "Vốn tín dụng"…), the reported total ("Tổng số", optional)
// and a note. A unit and year may appear once.
func (c *Catalog) ReadFunding(t *Table) ([]FundingRow, error) {
	l := layout{cols: []column{hUnit, hYear, {"reported_total", FoldAll("Tổng số", "Tổng cộng", "Tổng", "Tổng vốn", "reported_total", "total"), false}, hNote},
		ignored: ignored,
		extra: func(h string) (string, bool) {
			code, ok := c.sourceColumn(h)
			return "part:" + code, ok
		}}
	loc, probs := l.locate(t)
	if loc == nil || len(probs) > 0 {
		return nil, importErr(t, probs)
	}
	var out []FundingRow
	seen := map[string]int{}
	for _, r := range loc.rows {
		rr := &rowReader{loc: loc, r: r}
		f := Funding{UnitCode: rr.required("unit"), Year: rr.int("year", true), Note: rr.text("note"), Parts: map[string]Fixed{}}
		f.ReportedTotal, _ = rr.fixed("reported_total")
		for field := range loc.index {
			if code, ok := strings.CutPrefix(field, "part:"); ok {
				if v, ok := rr.fixed(field); ok && v != nil {
					f.Parts[code] = *v
				}
			}
		}
		if len(rr.probs) == 0 {
			rr.check(c.CheckFunding(f), func(field string) string {
				if code, ok := strings.CutPrefix(field, "parts."); ok {
					return loc.letter["part:"+code]
				}
				return loc.letter[field]
			})
		}
		key := fmt.Sprintf("%s|%d", f.UnitCode, f.Year)
		if prev, dup := seen[key]; dup && len(rr.probs) == 0 {
			rr.bad("unit", loc.letter["unit"], fmt.Sprintf("đơn vị %s năm %d đã có ở dòng %d", f.UnitCode, f.Year, prev),
				fmt.Sprintf("unit %s, year %d is already on row %d", f.UnitCode, f.Year, prev))
		}
		seen[key] = r.Line
		probs = append(probs, rr.probs...)
		out = append(out, FundingRow{Line: r.Line, Funding: f})
	}
	if len(out) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Line: loc.header, VI: "không có dòng số liệu nào dưới dòng tiêu đề", EN: "no rows under the header"})
	}
	return out, importErr(t, probs)
}

// WorkRow is a work read from a file, with its row and, when the file gives it, the amount
// disbursed so far and the day of that figure.
type WorkRow struct {
	Line int
	Work
	Disbursed   *Fixed
	DisbursedOn units.Date
}

var workStatusWords = map[string]string{
	"ke hoach": WorkPlanned, "chuan bi dau tu": WorkPlanned, "chua khoi cong": WorkPlanned, "planned": WorkPlanned,
	"dang thi cong": WorkUnderConstruction, "dang trien khai": WorkUnderConstruction, "dang xay dung": WorkUnderConstruction,
	"under construction": WorkUnderConstruction, "under_construction": WorkUnderConstruction,
	"hoan thanh": WorkDone, "da hoan thanh": WorkDone, "done": WorkDone,
}

// ParseWorkStatus reads a status as offices write it ("Đang thi công") or by its code.
func ParseWorkStatus(s string) (string, bool) {
	st, ok := workStatusWords[Fold(s)]
	return st, ok
}

// matchKind finds a kind of work or of model by code or name.
func matchKind[K any](kinds []K, s string, code, name func(K) string) (string, bool) {
	f := Fold(s)
	for _, k := range kinds {
		if f == code(k) || f == Fold(name(k)) {
			return code(k), true
		}
	}
	return "", false
}

// ParseMeasure reads a measure ("Km", "m2", "công trình") as one of the lists' measures.
func (c *Catalog) ParseMeasure(s string) (string, bool) {
	f := strings.NewReplacer("m2", "m²", "m3", "m³").Replace(Fold(s))
	for _, m := range c.Measures {
		if f == Fold(m) {
			return m, true
		}
	}
	return "", false
}

// ReadWorks reads a list of works: unit, year, kind (name or code), name, quantity, measure,
// status, the day it was completed, criteria set and criterion number, one column per source for the planned budget
// ("Kế hoạch vốn NSTW", "Ngân sách địa phương"…), the amount disbursed so far and its day.
func (c *Catalog) ReadWorks(t *Table) ([]WorkRow, error) {
	l := layout{cols: []column{hUnit, hYear,
		{"kind", FoldAll("Loại công trình", "Loại", "kind"), true},
		{"name", FoldAll("Tên công trình", "Công trình", "Tên", "name"), true},
		{"quantity", FoldAll("Khối lượng", "Quy mô", "quantity"), false},
		{"measure", FoldAll("Đơn vị tính", "ĐVT", "measure"), false},
		{"status", FoldAll("Tình trạng", "Trạng thái", "status"), true},
		{"done_on", FoldAll("Ngày hoàn thành", "done_on"), false},
		{"criterion_set", FoldAll("Bộ tiêu chí", "criterion_set"), false},
		{"criterion", FoldAll("Tiêu chí", "criterion"), false},
		{"disbursed", FoldAll("Đã giải ngân", "Giải ngân", "disbursed"), false},
		{"disbursed_on", FoldAll("Ngày giải ngân", "disbursed_on"), false},
		hNote},
		ignored: ignored,
		extra: func(h string) (string, bool) {
			code, ok := c.sourceColumn(h)
			return "budget:" + code, ok
		}}
	loc, probs := l.locate(t)
	if loc == nil || len(probs) > 0 {
		return nil, importErr(t, probs)
	}
	var out []WorkRow
	seen := map[string]int{}
	for _, r := range loc.rows {
		rr := &rowReader{loc: loc, r: r}
		w := Work{UnitCode: rr.required("unit"), Year: rr.int("year", true), Name: rr.required("name"), Note: rr.text("note"),
			CriterionSet: rr.text("criterion_set"), Criterion: rr.int("criterion", false), Budget: map[string]Fixed{}}
		if k := rr.required("kind"); k != "" {
			var ok bool
			if w.Kind, ok = matchKind(c.WorkKinds, k, func(k WorkKind) string { return k.Code }, func(k WorkKind) string { return k.Name }); !ok {
				rr.bad("kind", loc.letter["kind"], fmt.Sprintf("không có loại công trình %q", k), fmt.Sprintf("no kind of work %q", k))
			}
		}
		if q, ok := rr.fixed("quantity"); ok && q != nil {
			w.Quantity = *q
		}
		w.Measure = rr.text("measure")
		if wk, ok := c.WorkKind(w.Kind); ok && w.Measure == "" {
			w.Measure = wk.Measure
		} else if m, ok := c.ParseMeasure(w.Measure); ok {
			w.Measure = m
		}
		if s := rr.required("status"); s != "" {
			var ok bool
			if w.Status, ok = ParseWorkStatus(s); !ok {
				rr.bad("status", loc.letter["status"], fmt.Sprintf("tình trạng %q không rõ; ghi Kế hoạch, Đang thi công hoặc Hoàn thành", s),
					fmt.Sprintf("status %q unknown; write planned, under construction or done", s))
			}
		}
		w.DoneOn = rr.date("done_on")
		for field := range loc.index {
			if code, ok := strings.CutPrefix(field, "budget:"); ok {
				if v, ok := rr.fixed(field); ok && v != nil {
					w.Budget[code] = *v
				}
			}
		}
		row := WorkRow{Line: r.Line, Work: w}
		row.Disbursed, _ = rr.fixed("disbursed")
		row.DisbursedOn = rr.date("disbursed_on")
		if row.Disbursed != nil && row.DisbursedOn == "" && len(rr.probs) == 0 {
			row.DisbursedOn = units.Date(fmt.Sprintf("%04d-12-31", w.Year))
		}
		if len(rr.probs) == 0 {
			rr.check(c.CheckWork(w), func(field string) string {
				if code, ok := strings.CutPrefix(field, "budget."); ok {
					return loc.letter["budget:"+code]
				}
				return loc.letter[field]
			})
		}
		key := fmt.Sprintf("%s|%d|%s|%s", w.UnitCode, w.Year, w.Kind, Fold(w.Name))
		if prev, dup := seen[key]; dup && len(rr.probs) == 0 {
			rr.bad("name", loc.letter["name"], fmt.Sprintf("công trình %q đã có ở dòng %d", w.Name, prev), fmt.Sprintf("work %q is already on row %d", w.Name, prev))
		}
		seen[key] = r.Line
		probs = append(probs, rr.probs...)
		out = append(out, row)
	}
	if len(out) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Line: loc.header, VI: "không có dòng số liệu nào dưới dòng tiêu đề", EN: "no rows under the header"})
	}
	return out, importErr(t, probs)
}

// ModelRow is a model read from a file, with its row.
type ModelRow struct {
	Line int
	Model
}

// ReadModels reads a list of models: unit, kind (name or code), village, name, year of
// recognition, decision number and date, year revoked, note.
func (c *Catalog) ReadModels(t *Table) ([]ModelRow, error) {
	l := layout{cols: []column{hUnit,
		{"kind", FoldAll("Loại mô hình", "Loại", "kind"), true},
		{"village", FoldAll("Thôn", "Thôn, bản", "Thôn/bản", "village"), false},
		{"name", FoldAll("Tên mô hình", "Tên", "name"), true},
		{"year", FoldAll("Năm công nhận", "Năm", "year"), true},
		{"decision", FoldAll("Số quyết định", "Quyết định", "decision"), false},
		{"decision_date", FoldAll("Ngày quyết định", "decision_date"), false},
		{"revoked_year", FoldAll("Năm thu hồi", "revoked_year"), false},
		hNote},
		ignored: ignored}
	loc, probs := l.locate(t)
	if loc == nil || len(probs) > 0 {
		return nil, importErr(t, probs)
	}
	var out []ModelRow
	seen := map[string]int{}
	for _, r := range loc.rows {
		rr := &rowReader{loc: loc, r: r}
		m := Model{UnitCode: rr.required("unit"), Village: rr.text("village"), Name: rr.required("name"), Year: rr.int("year", true),
			Decision: rr.text("decision"), DecisionDate: rr.date("decision_date"), RevokedYear: rr.int("revoked_year", false), Note: rr.text("note")}
		if k := rr.required("kind"); k != "" {
			var ok bool
			if m.Kind, ok = matchKind(c.ModelKinds, k, func(k ModelKind) string { return k.Code }, func(k ModelKind) string { return k.Name }); !ok {
				if m.Kind, ok = matchKind(c.ModelKinds, k, func(k ModelKind) string { return k.Code }, func(k ModelKind) string { return k.Noun }); !ok {
					rr.bad("kind", loc.letter["kind"], fmt.Sprintf("không có loại mô hình %q", k), fmt.Sprintf("no kind of model %q", k))
				}
			}
		}
		if len(rr.probs) == 0 {
			rr.check(c.CheckModel(m), func(field string) string { return loc.letter[field] })
		}
		key := fmt.Sprintf("%s|%s|%s", m.Kind, m.UnitCode, Fold(m.Name))
		if prev, dup := seen[key]; dup && len(rr.probs) == 0 {
			rr.bad("name", loc.letter["name"], fmt.Sprintf("mô hình %q đã có ở dòng %d", m.Name, prev), fmt.Sprintf("model %q is already on row %d", m.Name, prev))
		}
		seen[key] = r.Line
		probs = append(probs, rr.probs...)
		out = append(out, ModelRow{Line: r.Line, Model: m})
	}
	if len(out) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Line: loc.header, VI: "không có dòng số liệu nào dưới dòng tiêu đề", EN: "no rows under the header"})
	}
	return out, importErr(t, probs)
}
