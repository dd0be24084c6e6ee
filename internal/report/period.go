package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/period"
	"github.com/ntm-vn/ntm/internal/units"
)

// Period is what a report covers: a reporting period, the day its figures are as of, and the
// day it is compared with.
type Period struct {
	Text  string     `json:"period"` // "2026-Q2", "2026-H1", "2026", "2026-04", "2026-M8"
	Start units.Date `json:"start"`
	End   units.Date `json:"end"`
	// AsOf is the day the figures are as of: the period's end — today while the period is
	// not over, so that targets are judged on the path to the day, not to the year's end —
	// or a day within the period that the request named.
	AsOf units.Date `json:"as_of"`
	// Before is the day before Start: "this period" is the change from the standing on Before
	// to the standing on AsOf.
	Before units.Date `json:"compared_with"`
}

// periodError is the fault of a period or a day that cannot be used, on its field (period,
// as_of, unit); the user must fix it.
func periodError(field, msg string) *fault.Error {
	return &fault.Error{Code: fault.InvalidValue, Text: msg, Field: field}
}

// NewPeriod reads a period and an optional as-of day. With no period the period is the year
// of the day (today when there is none either); with no day the day is the period's end, or
// today when the period is not over. A day outside the period is refused.
func NewPeriod(text string, asOf units.Date) (Period, error) {
	return newPeriod(text, asOf, units.Today())
}

func newPeriod(text string, asOf, today units.Date) (Period, error) {
	if strings.TrimSpace(text) == "" {
		if asOf == "" {
			asOf = today
		}
		text = string(asOf)[:4]
	}
	p, err := assessment.ParsePeriod(text)
	if err != nil {
		return Period{}, periodError("period", err.Error())
	}
	out := Period{Text: p.Text, Start: p.Start, End: p.End, AsOf: p.End, Before: p.Start.AddDays(-1)}
	if asOf != "" {
		if asOf < p.Start || asOf > p.End {
			return Period{}, periodError("as_of", fmt.Sprintf("ngày %s nằm ngoài kỳ %s (%s - %s); bỏ ngày hoặc chọn một ngày trong kỳ (%s is outside period %s)",
				numfmt.Date(string(asOf), "vi"), period.Label(p.Text, "vi"), numfmt.Date(string(p.Start), "vi"), numfmt.Date(string(p.End), "vi"), asOf, p.Text))
		}
		out.AsOf = asOf
	} else if today >= p.Start && today < p.End {
		out.AsOf = today
	}
	return out, nil
}

// Year is the period's year.
func (p Period) Year() int {
	y, _ := strconv.Atoi(p.Text[:4])
	return y
}

// Name is the period as offices write it: "Quý II/2026", "6 tháng đầu năm 2026",
// "8 tháng đầu năm 2023", "Q2 2026" (package period).
func (p Period) Name(lang string) string { return period.Label(p.Text, lang) }
