package app

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// RegisterFigures is what the registers beside the criteria hold for a unit on a day: OCOP
// counts, the funding mobilised in the day's year, the works of that year, the models
// (cumulative to that year) and the steering tasks overdue on the day. Each is nil when its
// register is empty for the unit, so the progress output (API and command line) carries
// only what is present.
type RegisterFigures struct {
	OCOP         *OCOPFigures   `json:"ocop,omitempty"`
	Funding      *FundingReport `json:"funding,omitempty"`
	Works        *WorksReport   `json:"works,omitempty"`
	Models       *ModelsReport  `json:"models,omitempty"`
	TasksOverdue *OverdueReport `json:"tasks_overdue,omitempty"`
}

// Registers reads the registers' figures of unit ("" the country) as of day. They are cached
// per register under the versions of the registers and the units (cache.go): every write to
// a register bumps the first, so a new entry shows at once.
func Registers(ctx context.Context, db *store.DB, unit string, day units.Date) (RegisterFigures, error) {
	return RegistersOf(ctx, db, unit, day, AllRegisters)
}

// Which registers RegistersOf reads.
const (
	RegOCOP = 1 << iota
	RegFunding
	RegWorks
	RegModels
	RegTasks
	AllRegisters = RegOCOP | RegFunding | RegWorks | RegModels | RegTasks
)

// RegistersOf is Registers reading only the registers in want (a page that shows some of
// them does not pay for the others).
func RegistersOf(ctx context.Context, db *store.DB, unit string, day units.Date, want int) (RegisterFigures, error) {
	var r RegisterFigures
	for which := RegOCOP; which <= RegTasks; which <<= 1 {
		if want&which == 0 {
			continue
		}
		one, err := cachedRegisters(ctx, db, unit, day, which, func() (RegisterFigures, error) {
			return registersOf(ctx, db, unit, day, which)
		})
		if err != nil {
			return r, err
		}
		r.add(one)
	}
	return r, nil
}

// add takes the registers present in o.
func (r *RegisterFigures) add(o RegisterFigures) {
	r.OCOP = cmp.Or(o.OCOP, r.OCOP)
	r.Funding = cmp.Or(o.Funding, r.Funding)
	r.Works = cmp.Or(o.Works, r.Works)
	r.Models = cmp.Or(o.Models, r.Models)
	r.TasksOverdue = cmp.Or(o.TasksOverdue, r.TasksOverdue)
}

func registersOf(ctx context.Context, db *store.DB, unit string, day units.Date, want int) (RegisterFigures, error) {
	var r RegisterFigures
	year, _ := strconv.Atoi(string(day)[:4])
	err := present(want&RegOCOP != 0, &r.OCOP, func() (OCOPFigures, error) { return OCOP(ctx, db, unit, day, "") },
		func(o OCOPFigures) bool { return o.Products > 0 })
	if err == nil {
		err = present(want&RegFunding != 0, &r.Funding, func() (FundingReport, error) { return FundingSummary(ctx, db, unit, year, day) },
			func(f FundingReport) bool { return f.Entries > 0 })
	}
	if err == nil {
		err = present(want&RegWorks != 0, &r.Works, func() (WorksReport, error) { return WorksSummary(ctx, db, unit, year, day) },
			func(w WorksReport) bool { return w.Works > 0 })
	}
	if err == nil {
		err = present(want&RegModels != 0, &r.Models, func() (ModelsReport, error) { return ModelsSummary(ctx, db, unit, year, year, day) },
			func(m ModelsReport) bool {
				return slices.ContainsFunc(m.Counts, func(c resources.ModelCount) bool { return c.Cumulative > 0 || c.New > 0 })
			})
	}
	if err == nil {
		err = present(want&RegTasks != 0, &r.TasksOverdue, func() (OverdueReport, error) { return OverdueTasks(ctx, db, unit, day) },
			func(t OverdueReport) bool { return t.Count > 0 })
	}
	return r, err
}

// present reads one register's figures when wanted, and keeps them in *dst when has says
// the register holds something for the unit.
func present[T any](wanted bool, dst **T, read func() (T, error), has func(T) bool) error {
	if !wanted {
		return nil
	}
	x, err := read()
	if err == nil && has(x) {
		*dst = &x
	}
	return err
}

// Empty tells whether no register has anything for the unit.
func (r RegisterFigures) Empty() bool {
	return r.OCOP == nil && r.Funding == nil && r.Works == nil && r.Models == nil && r.TasksOverdue == nil
}

// Text is the present registers' sentences, one per line (each ending in a newline); ""
// when every register is empty.
func (r RegisterFigures) Text(lang string) string {
	var b strings.Builder
	if r.OCOP != nil {
		b.WriteString(OCOPText(*r.OCOP, lang) + "\n")
	}
	if r.Funding != nil {
		b.WriteString(r.Funding.Text(lang) + "\n")
	}
	if r.Works != nil {
		b.WriteString(r.Works.Text(lang) + "\n")
	}
	if r.Models != nil {
		b.WriteString(r.Models.Text(lang) + "\n")
	}
	if r.TasksOverdue != nil {
		b.WriteString(r.TasksOverdue.Text(lang) + "\n")
	}
	return b.String()
}
