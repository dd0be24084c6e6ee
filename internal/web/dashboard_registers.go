package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
)

// dashRegisters is the dashboard's section on the registers beside the criteria (issue 9):
// the funding mobilised in the as-of year by source, the works of that year and the models
// to its end, for the unit shown, from the same rollup summaries as the progress output and
// the bulletin. Nil when all three are empty for the unit.
type dashRegisters struct {
	Year     int
	PrevYear string
	Funding  *app.FundingReport
	Works    *app.WorksReport
	Models   *app.ModelsReport
	// Flags are the funding entries whose reported total differs from the sum of their
	// sources ("Hà Nội (2026): …"), and WorkLines the works done by kind ("12,5 km đường
	// liên xã"), both in the page's language.
	Flags     []string
	WorkLines string
	// Link leads to the resources register of the unit.
	Link string
}

// dashboardRegisters reads the registers of unit ("" the country) as of the page's day.
func (s *Server) dashboardRegisters(ctx context.Context, p *page, unit string) (*dashRegisters, error) {
	regs, err := app.RegistersOf(ctx, s.db, unit, p.AsOf, app.RegFunding|app.RegWorks|app.RegModels)
	if err != nil || regs.Funding == nil && regs.Works == nil && regs.Models == nil {
		return nil, err
	}
	d := &dashRegisters{Funding: regs.Funding, Works: regs.Works, Models: regs.Models, Link: p.Link("/funding", "unit", unit)}
	switch {
	case regs.Funding != nil:
		d.Year = regs.Funding.Year
	case regs.Works != nil:
		d.Year = regs.Works.Year
	default:
		d.Year = regs.Models.To
	}
	d.PrevYear = strconv.Itoa(d.Year - 1)
	if f := regs.Funding; f != nil {
		for _, fl := range f.Flags {
			d.Flags = append(d.Flags, p.T("dashboard.registers.flag_line", fl.UnitName, strconv.Itoa(fl.Year), fl.TotalCheck.Text(p.Lang)))
		}
	}
	if w := regs.Works; w != nil {
		var lines []string
		for _, k := range w.ByKind {
			if k.Done > 0 {
				lines = append(lines, k.Text(p.Lang))
			}
		}
		d.WorkLines = strings.Join(lines, "; ")
	}
	if m := regs.Models; m != nil {
		counts := m.Counts[:0:0]
		for _, c := range m.Counts {
			if c.New > 0 || c.Cumulative > 0 {
				counts = append(counts, c)
			}
		}
		mm := *m
		mm.Counts = counts
		d.Models = &mm
	}
	return d, nil
}
