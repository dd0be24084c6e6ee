package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/units"
)

// The figures on the pages come from internal/app: the dashboard's from app.DashboardFigures
// (the same rollup as GET /api/v1/progress, so the page and the API cannot disagree), a unit's
// page's from app.UnitFiguresOn. Here they are only laid out in the page's language.

// ---------------------------------------------------------------------------------------
// The dashboard

// targetRow is a plan target against the actual figure.
type targetRow struct {
	Metric   string // in words
	Value    string
	Actual   string // "—" without data
	Expected string
	Status   string // met | on_track | off_track | no_data
	Source   string
}

// targetRows lays out the unit's targets (app.UnitTargets, as GET /api/v1/targets assesses
// them) in the page's language.
func (s *Server) targetRows(ctx context.Context, p *page, ts []app.TargetStatus) ([]targetRow, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	var out []targetRow
	for _, t := range ts {
		format := p.metricFormat(t.Metric)
		row := targetRow{Metric: p.metricName(ctx, cat, t.Metric, t.SetID), Value: format(t.Value), Actual: "—",
			Expected: format(t.Status.Expected), Status: t.Status.OnTrack, Source: t.Source}
		if t.Name != "" && !strings.HasPrefix(t.Metric, progress.IndicatorPrefix) {
			// A unit's own figure, a kind of model, a funding source: named by app.
			row.Metric = t.Name
		}
		if t.Status.Actual != nil {
			row.Actual = format(*t.Status.Actual)
		}
		if row.Status == "" {
			row.Status = progress.StatusNoData
		}
		out = append(out, row)
	}
	return out, nil
}

// metricName says what a target measures, in the page's language.
func (p *page) metricName(ctx context.Context, cat *app.Catalog, metric, setID string) string {
	switch metric {
	case progress.MetricUnitsMet, progress.MetricUnitsRecognized, progress.MetricCriteriaMetAvg,
		progress.MetricIndicatorsMetPct, progress.MetricShareMet:
		return p.T("metric." + metric)
	}
	if code, ok := strings.CutPrefix(metric, progress.IndicatorPrefix); ok {
		name := ""
		if set, err := cat.Get(ctx, setID); err == nil {
			if in, _ := set.Indicator(code); in != nil {
				name = in.Name
			}
		}
		return p.T("metric.indicator", code, name)
	}
	return metric
}

// metricFormat formats a metric's values: counts whole, averages with two decimals,
// shares as per cent.
func (p *page) metricFormat(metric string) func(float64) string {
	switch metric {
	case progress.MetricUnitsMet, progress.MetricUnitsRecognized:
		return func(x float64) string { return p.Dec(x, decimals(x)) }
	case progress.MetricIndicatorsMetPct, progress.MetricShareMet:
		return func(x float64) string { return p.Pct(x, 1) }
	}
	return func(x float64) string { return p.Dec(x, 2) }
}

// TargetSymbol is the sign of a target's status, beside its words.
func (p *page) TargetSymbol(status string) string {
	switch status {
	case progress.StatusMet:
		return "✓"
	case progress.StatusOnTrack:
		return "↗"
	case progress.StatusOffTrack:
		return "✗"
	}
	return "?"
}

// Signed writes a change with its sign: "+3", "−0,25", "0".
func (p *page) Signed(x float64, places int) string {
	switch {
	case x > 0:
		return "+" + p.Dec(x, places)
	case x < 0:
		return "−" + p.Dec(-x, places)
	}
	return p.Dec(0, 0)
}

// Raw writes a figure as the API does (a plain number), for data attributes that tests and
// scripts read.
func (p *page) Raw(x any) string {
	switch v := x.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(x)
}

// ---------------------------------------------------------------------------------------
// A unit's page

// setApplies reports whether set assesses units like u (app.SetApplies).
func setApplies(set *criteria.Set, u units.Unit) bool { return app.SetApplies(set, u) }

// unitFiguresFor is the unit page's figures as of the page's day (app.UnitFiguresOn), as far
// as the signed-in user may read them, with the history drawn and the link that starts an
// assessment when the user may enter data.
func (s *Server) unitFiguresFor(r *http.Request, p *page, u units.Unit, children []units.Unit) (*unitFigures, error) {
	ctx := r.Context()
	user := p.User.user
	if err := s.allow(r, user, auth.Read, u.Code, p.AsOf); err != nil {
		if isForbidden(err) {
			return &unitFigures{Hidden: true}, nil
		}
		return nil, err
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	af, err := app.UnitFiguresOn(ctx, s.db, cat, u, children, p.AsOf)
	if err != nil {
		return nil, err
	}
	f := &unitFigures{UnitFigures: *af}
	if g := af.Grid; g != nil && len(af.History) > 0 {
		var labels []string
		var values []float64
		for _, h := range af.History {
			labels = append(labels, p.PeriodName(h.Period))
			values = append(values, float64(h.CriteriaMet))
		}
		f.HistoryChart = newLineChart(p.T("unit.history_chart", g.SetTitle), labels, values, float64(g.Criteria),
			func(v float64) string { return p.Dec(v, decimals(v)) })
	}
	// New assessments start from today's unit (codes were reused: the code of a unit that
	// no longer exists may name another one today).
	if today := units.Today(); af.Applies && u.ValidFrom <= today && today <= u.ValidTo &&
		s.allow(r, user, auth.Enter, u.Code, today) == nil {
		f.NewLink = newAssessmentLink(u.Code)
	}
	return f, nil
}

// CellReason is the engine's sentence for a cell of the criteria grid, shown on hover and
// focus; "" without a verdict.
func (p *page) CellReason(c app.UnitGridCell) string {
	if c.Verdict == nil {
		return ""
	}
	return c.Verdict.Reason(p.Lang)
}

// StatusName is an assessment's workflow status in words.
func (p *page) StatusName(status string) string { return p.T("status." + status) }
