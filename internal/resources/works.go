package resources

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/units"
)

// Work statuses.
const (
	WorkPlanned           = "planned"            // kế hoạch, chưa khởi công
	WorkUnderConstruction = "under_construction" // đang thi công
	WorkDone              = "done"               // hoàn thành
)

// WorkStatuses lists the statuses in order.
var WorkStatuses = []string{WorkPlanned, WorkUnderConstruction, WorkDone}

// Work is a work (công trình): a kind, a unit, a year, the criterion it serves, its quantity
// and measure ("12,5 km"), its planned budget by source (triệu đồng), its status and, for a
// work done, the day it was completed (ngày hoàn thành) when known.
type Work struct {
	UnitCode     string           `json:"unit"`
	Year         int              `json:"year"`
	Kind         string           `json:"kind"`
	Name         string           `json:"name"`
	CriterionSet string           `json:"criterion_set,omitempty"`
	Criterion    int              `json:"criterion,omitempty"` // number in CriterionSet; 0: none
	Quantity     Fixed            `json:"quantity"`
	Measure      string           `json:"measure"`
	Status       string           `json:"status"`
	DoneOn       units.Date       `json:"done_on,omitempty"` // "": not known, or not done
	Budget       map[string]Fixed `json:"budget"`            // planned (kế hoạch vốn) by source
	Note         string           `json:"note,omitempty"`
}

// Disbursement is money paid out for a work (giải ngân) on a day, from a source when known.
type Disbursement struct {
	ID     int64      `json:"id,omitempty"`
	Day    units.Date `json:"day"`
	Amount Fixed      `json:"amount"`
	Source string     `json:"source,omitempty"`
	Note   string     `json:"note,omitempty"`
}

// Planned is the work's planned budget, all sources.
func (w Work) Planned() Fixed {
	var s Fixed
	for _, v := range w.Budget {
		s += v
	}
	return s
}

// DoneBy reports whether the work was completed on or before day, so a report for a period
// counts it as done only when the period's end is day or later. A work marked done with its
// completion day counts from that day; one marked done without it is taken as completed in its
// year, so it counts for a report whose cut-off is in that year or after (and not for one of
// an earlier year). A work not marked done is never done.
func (w Work) DoneBy(day units.Date) bool {
	switch {
	case w.Status != WorkDone:
		return false
	case w.DoneOn != "":
		return w.DoneOn <= day
	}
	return day >= units.Date(fmt.Sprintf("%04d-01-01", w.Year))
}

// Disbursed adds the disbursements made on or before day.
func Disbursed(ds []Disbursement, day units.Date) Fixed {
	var s Fixed
	for _, d := range ds {
		if d.Day <= day {
			s += d.Amount
		}
	}
	return s
}

// DisbursementRate is the disbursed amount as a percentage of the plan (tỷ lệ giải ngân so
// với kế hoạch vốn); ok is false when nothing was planned.
func DisbursementRate(disbursed, planned Fixed) (float64, bool) { return Percent(disbursed, planned) }

// CheckWork checks a work: its kind and measure are in the lists, its status known, its
// quantity and budget not negative. Whether the criterion exists is the criteria catalog's
// question, asked by the caller.
func (c *Catalog) CheckWork(w Work) error {
	if strings.TrimSpace(w.UnitCode) == "" {
		return fieldErr("unit", "thiếu mã đơn vị", "the unit code is missing")
	}
	if err := checkYear("year", w.Year); err != nil {
		return err
	}
	if _, ok := c.WorkKind(w.Kind); !ok {
		return fieldErr("kind", "không có loại công trình %q; các loại: %s", "no kind of work %q; the kinds are: %s", w.Kind, codeList(c.WorkKinds))
	}
	if strings.TrimSpace(w.Name) == "" {
		return fieldErr("name", "thiếu tên công trình", "the name of the work is missing")
	}
	if !slices.Contains(c.Measures, w.Measure) {
		return fieldErr("measure", "đơn vị tính %q không có; dùng một trong: %s", "measure %q unknown; use one of: %s", w.Measure, strings.Join(c.Measures, ", "))
	}
	if w.Quantity < 0 {
		return fieldErr("quantity", "khối lượng không được âm", "the quantity cannot be negative")
	}
	if !slices.Contains(WorkStatuses, w.Status) {
		return fieldErr("status", "tình trạng %q không có; dùng planned, under_construction hoặc done", "status %q unknown; use planned, under_construction or done", w.Status)
	}
	if w.Criterion < 0 || w.Criterion > 0 && w.CriterionSet == "" {
		return fieldErr("criterion_set", "tiêu chí %d cần bộ tiêu chí", "criterion %d needs a criteria set", w.Criterion)
	}
	if err := checkWorkDoneOn(w); err != nil {
		return err
	}
	return c.CheckParts("budget", w.Budget)
}

// checkWorkDoneOn checks the completion day: optional, a real day, only on a work done.
func checkWorkDoneOn(w Work) error {
	if w.DoneOn == "" {
		return nil
	}
	if _, err := units.ParseDate(string(w.DoneOn)); err != nil {
		return fieldErr("done_on", "ngày hoàn thành %q không hợp lệ (YYYY-MM-DD)", "completion day %q is not a date (YYYY-MM-DD)", w.DoneOn)
	}
	if w.Status != WorkDone {
		return fieldErr("done_on", "chỉ công trình đã hoàn thành mới có ngày hoàn thành", "only a work done has a completion day")
	}
	return nil
}

// CheckDisbursement checks a disbursement: a real day, an amount above zero, a known source.
func (c *Catalog) CheckDisbursement(d Disbursement) error {
	if _, err := units.ParseDate(string(d.Day)); err != nil {
		return fieldErr("day", "ngày giải ngân %q không hợp lệ (YYYY-MM-DD)", "disbursement day %q is not a date (YYYY-MM-DD)", d.Day)
	}
	if d.Amount <= 0 {
		return fieldErr("amount", "số tiền giải ngân phải lớn hơn 0", "the amount disbursed must be above 0")
	}
	if d.Source != "" {
		if _, ok := c.leaf[d.Source]; !ok {
			return fieldErr("source", "không có nguồn vốn %q", "no funding source %q", d.Source)
		}
	}
	return checkAmount("amount", d.Amount)
}

// WorkRecord is a work with its disbursements, as roll-ups take it.
type WorkRecord struct {
	Work
	Disbursements []Disbursement
}

// KindFigure is the works of one kind and measure in a roll-up.
type KindFigure struct {
	Kind              string  `json:"kind"`
	Name              string  `json:"name"`
	NameEN            string  `json:"name_en"`
	Group             string  `json:"group"`
	Measure           string  `json:"measure"`
	Works             int     `json:"works"`
	Done              int     `json:"done"`
	UnderConstruction int     `json:"under_construction"`
	Planned           int     `json:"planned"`
	Quantity          Fixed   `json:"quantity"`      // all works of the kind
	QuantityDone      Fixed   `json:"quantity_done"` // the works done
	Budget            Fixed   `json:"budget"`
	Disbursed         Fixed   `json:"disbursed"`
	Rate              float64 `json:"disbursement_pct"`
}

// WorkFigures is works rolled up: by kind and measure, the planned budget, the amount
// disbursed by a day and the disbursement rate.
type WorkFigures struct {
	Works     int          `json:"works"`
	Done      int          `json:"done"`
	Budget    Fixed        `json:"budget"`
	Disbursed Fixed        `json:"disbursed"`
	Rate      *float64     `json:"disbursement_pct"` // nil when nothing was planned
	BySource  []BudgetLine `json:"by_source"`
	ByKind    []KindFigure `json:"by_kind"`
}

// BudgetLine is the planned budget and disbursement of one source.
type BudgetLine struct {
	Source    string   `json:"source"`
	Name      string   `json:"name"`
	NameEN    string   `json:"name_en"`
	Budget    Fixed    `json:"budget"`
	Disbursed Fixed    `json:"disbursed"` // disbursements that name the source
	Rate      *float64 `json:"disbursement_pct"`
}

// SummariseWorks rolls works up as of day (disbursements after day are left out), by kind
// and measure in the lists' order. A work counts as done only when it was done by day
// (Work.DoneBy); one marked done later was still under construction then.
func (c *Catalog) SummariseWorks(ws []WorkRecord, day units.Date) WorkFigures {
	out := WorkFigures{Works: len(ws)}
	type key struct{ kind, measure string }
	figs := map[key]*KindFigure{}
	budget, paid := map[string]Fixed{}, map[string]Fixed{}
	for _, w := range ws {
		k := key{w.Kind, w.Measure}
		f := figs[k]
		if f == nil {
			wk, _ := c.WorkKind(w.Kind)
			f = &KindFigure{Kind: w.Kind, Name: wk.Name, NameEN: wk.NameEN, Group: wk.Group, Measure: w.Measure}
			figs[k] = f
		}
		f.Works++
		f.Quantity += w.Quantity
		switch {
		case w.DoneBy(day):
			f.Done++
			out.Done++
			f.QuantityDone += w.Quantity
		case w.Status == WorkUnderConstruction || w.Status == WorkDone:
			f.UnderConstruction++
		default:
			f.Planned++
		}
		p, d := w.Planned(), Disbursed(w.Disbursements, day)
		f.Budget += p
		f.Disbursed += d
		out.Budget += p
		out.Disbursed += d
		for src, v := range w.Budget {
			budget[src] += v
		}
		for _, x := range w.Disbursements {
			if x.Day <= day && x.Source != "" {
				paid[x.Source] += x.Amount
			}
		}
	}
	if r, ok := DisbursementRate(out.Disbursed, out.Budget); ok {
		out.Rate = &r
	}
	for _, code := range c.SourceCodes() {
		if budget[code] == 0 && paid[code] == 0 {
			continue
		}
		l := BudgetLine{Source: code, Name: c.SourceName(code, "vi"), NameEN: c.SourceName(code, "en"), Budget: budget[code], Disbursed: paid[code]}
		if r, ok := DisbursementRate(l.Disbursed, l.Budget); ok {
			l.Rate = &r
		}
		out.BySource = append(out.BySource, l)
	}
	for _, wk := range c.WorkKinds {
		for _, m := range c.Measures {
			if f := figs[key{wk.Code, m}]; f != nil {
				f.Rate, _ = DisbursementRate(f.Disbursed, f.Budget)
				out.ByKind = append(out.ByKind, *f)
				delete(figs, key{wk.Code, m})
			}
		}
	}
	for _, f := range figs { // kinds or measures no longer in the lists
		f.Rate, _ = DisbursementRate(f.Disbursed, f.Budget)
		out.ByKind = append(out.ByKind, *f)
	}
	return out
}

// Text writes a kind's figure as reports do: "104,48 km đường liên xã" (the quantity of the
// works done), "3 công trình nhà văn hóa" when the measure is a count.
func (f KindFigure) Text(lang string) string {
	measure, name := f.Measure, lowerFirst(f.Name)
	if lang == i18n.EN {
		measure, name = MeasureEN(f.Measure), strings.ToLower(f.NameEN)
	}
	return i18n.T(lang, "prose.works.kind", f.QuantityDone.Format(lang), measure, name)
}

// MeasureEN is a measure in English ("công trình" → "works").
func MeasureEN(m string) string {
	switch m {
	case "công trình":
		return "works"
	case "phòng học":
		return "classrooms"
	case "cái":
		return "units"
	}
	return m
}

// lowerFirst lower-cases the first letter: "Đường liên xã" → "đường liên xã".
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
