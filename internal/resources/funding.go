package resources

import (
	"fmt"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
)

// FieldFault is the fault of a value the user must fix: a malformed request field (HTTP 400,
// CLI exit 3) named in Field, its words in both languages. Its text names the field in front,
// "field: message", as bad input should.
func FieldFault(field, vi, en string) *fault.Error {
	return fault.Both(fault.Invalid, vi, en).OnField(field)
}

// FieldOf returns the fault of a value the user must fix (see FieldFault) in err's chain.
func FieldOf(err error) (*fault.Error, bool) {
	f, ok := fault.As(err)
	if !ok || f.Code != fault.Invalid || f.Field == "" || f.Words == nil {
		return nil, false
	}
	return f, true
}

func fieldErr(field, vi, en string, args ...any) *fault.Error {
	return FieldFault(field, fmt.Sprintf(vi, args...), fmt.Sprintf(en, args...))
}

// Funding is what one unit mobilised in one year (vốn huy động), by source, in triệu đồng.
// ReportedTotal is the total the office reported, when it has one: it is kept as reported and
// compared with the sum of the parts (Check), never replaced by it.
type Funding struct {
	UnitCode      string           `json:"unit"`
	Year          int              `json:"year"`
	Parts         map[string]Fixed `json:"parts"`
	ReportedTotal *Fixed           `json:"reported_total"`
	Note          string           `json:"note,omitempty"`
}

// TotalCheck compares a reported total with the sum of the parts. Difference is reported −
// sum, in the parts' unit (triệu đồng); Flagged is true when a total was reported and differs.
type TotalCheck struct {
	Sum        Fixed  `json:"sum"`
	Reported   *Fixed `json:"reported"`
	Difference Fixed  `json:"difference"`
	Flagged    bool   `json:"flagged"`
}

// CheckTotal adds the parts exactly and compares the sum with the reported total (nil: none
// reported, nothing to flag). The reported total is never corrected: the office that sent it
// must say which figure is right.
func CheckTotal(parts []Fixed, reported *Fixed) TotalCheck {
	c := TotalCheck{Sum: Sum(parts...)}
	if reported != nil {
		r := *reported
		c.Reported = &r
		c.Difference = r - c.Sum
		c.Flagged = c.Difference != 0
	}
	return c
}

// Text says the outcome in lang: nothing when not flagged; otherwise "Tổng số báo cáo 370.601
// triệu đồng khác tổng các nguồn 370.600 triệu đồng: chênh lệch 1 triệu đồng".
func (c TotalCheck) Text(lang string) string {
	if !c.Flagged {
		return ""
	}
	return i18n.T(lang, "prose.funding.check", c.Reported.Format(lang), c.Sum.Format(lang), c.Difference.Format(lang))
}

// Check compares the entry's reported total with the sum of its parts.
func (f Funding) Check() TotalCheck {
	parts := make([]Fixed, 0, len(f.Parts))
	for _, v := range f.Parts {
		parts = append(parts, v)
	}
	return CheckTotal(parts, f.ReportedTotal)
}

// Total is the sum of the parts.
func (f Funding) Total() Fixed { return f.Check().Sum }

// minYear and maxYear bound the years of the registers (the programme began in 2010).
const minYear, maxYear = 2000, 2100

func checkYear(field string, y int) error {
	if y < minYear || y > maxYear {
		return fieldErr(field, "năm %d không hợp lệ; ghi năm như 2025", "year %d is not valid; write a year such as 2025", y)
	}
	return nil
}

func checkAmount(field string, v Fixed) error {
	if v < 0 {
		return fieldErr(field, "số tiền không được âm (%s)", "an amount cannot be negative (%s)", v.String())
	}
	if v > maxFixed {
		return fieldErr(field, "số tiền quá lớn (%s)", "amount too large (%s)", v.String())
	}
	return nil
}

// CheckParts checks amounts by source: known sources, no negative amounts, and a source with
// kinds given either as a whole or by its kinds, not both (that would count it twice).
func (c *Catalog) CheckParts(field string, parts map[string]Fixed) error {
	for _, code := range c.sortedKeys(parts) {
		s, ok := c.leaf[code]
		if !ok {
			return fieldErr(field+"."+code, "không có nguồn vốn %q; các nguồn: %s", "no funding source %q; the sources are: %s",
				code, strings.Join(c.SourceCodes(), ", "))
		}
		if err := checkAmount(field+"."+code, parts[code]); err != nil {
			return err
		}
		if s.Parent != "" {
			if _, whole := parts[s.Parent]; whole {
				return fieldErr(field+"."+code, "nguồn %s đã nhập cả tổng (%s) lẫn từng loại (%s); chỉ nhập một cách",
					"source %s is given both as a whole (%s) and by kind (%s); give one or the other", s.Parent, s.Parent, code)
			}
		}
	}
	return nil
}

// CheckFunding checks an entry: a unit, a year, parts by known sources, amounts not negative.
// A reported total that differs from the parts is not an error: it is kept and flagged.
func (c *Catalog) CheckFunding(f Funding) error {
	if strings.TrimSpace(f.UnitCode) == "" {
		return fieldErr("unit", "thiếu mã đơn vị", "the unit code is missing")
	}
	if err := checkYear("year", f.Year); err != nil {
		return err
	}
	if len(f.Parts) == 0 && f.ReportedTotal == nil {
		return fieldErr("parts", "chưa nhập số vốn của nguồn nào", "no amount is given for any source")
	}
	if err := c.CheckParts("parts", f.Parts); err != nil {
		return err
	}
	if f.ReportedTotal != nil {
		return checkAmount("reported_total", *f.ReportedTotal)
	}
	return nil
}

// SourceFigure is one source in a roll-up: its amount, its share of the total, and its change
// since the previous year.
type SourceFigure struct {
	Code     string         `json:"code"`
	Name     string         `json:"name"`
	NameEN   string         `json:"name_en"`
	Amount   Fixed          `json:"amount"`
	Share    float64        `json:"share_pct"` // of the year's total; 0 when the total is 0
	Previous Fixed          `json:"previous"`
	Change   Fixed          `json:"change"`
	ChangePc *float64       `json:"change_pct"` // nil when the previous amount was 0
	Kinds    []SourceFigure `json:"kinds,omitempty"`
}

// FundingFigures is funding rolled up over entries of one year, compared with the previous
// year's entries of the same units.
type FundingFigures struct {
	Entries     int            `json:"entries"`
	Total       Fixed          `json:"total"` // the sum of every part
	StateBudget Fixed          `json:"state_budget"`
	StateShare  float64        `json:"state_budget_pct"`
	Previous    Fixed          `json:"previous_total"`
	PrevEntries int            `json:"previous_entries"`
	Change      Fixed          `json:"change"`
	ChangePct   *float64       `json:"change_pct"` // nil without a previous total
	Sources     []SourceFigure `json:"sources"`
}

// SummariseFunding adds up entries by source — a source entered by its kinds counts toward
// the source, and its kinds are shown beneath it — with each source's share of the total and
// its change from prev (the previous year's entries).
func (c *Catalog) SummariseFunding(cur, prev []Funding) FundingFigures {
	add := func(fs []Funding) map[string]Fixed {
		m := map[string]Fixed{}
		for _, f := range fs {
			for code, v := range f.Parts {
				m[code] += v
				if s, ok := c.leaf[code]; ok && s.Parent != "" {
					m[s.Parent] += v
				}
			}
		}
		return m
	}
	now, before := add(cur), add(prev)
	out := FundingFigures{Entries: len(cur), PrevEntries: len(prev)}
	for _, f := range cur {
		out.Total += f.Total()
	}
	for _, f := range prev {
		out.Previous += f.Total()
	}
	figure := func(s Source) SourceFigure {
		sf := SourceFigure{Code: s.Code, Name: s.Name, NameEN: s.NameEN, Amount: now[s.Code], Previous: before[s.Code]}
		sf.Share, _ = Percent(sf.Amount, out.Total)
		sf.Change = sf.Amount - sf.Previous
		if pct, ok := Percent(sf.Change, sf.Previous); ok {
			sf.ChangePc = &pct
		}
		return sf
	}
	for _, s := range c.Sources {
		sf := figure(s)
		for _, k := range s.Kinds {
			if now[k.Code] != 0 || before[k.Code] != 0 {
				sf.Kinds = append(sf.Kinds, figure(k))
			}
		}
		if s.StateBudget {
			out.StateBudget += sf.Amount
		}
		out.Sources = append(out.Sources, sf)
	}
	out.StateShare, _ = Percent(out.StateBudget, out.Total)
	if len(prev) > 0 {
		out.Change = out.Total - out.Previous
		if pct, ok := Percent(out.Change, out.Previous); ok {
			out.ChangePct = &pct
		}
	}
	return out
}
