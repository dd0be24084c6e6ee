package store

import (
	"context"

	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/units"
)

// The aggregate registers (issue 13.8): models entered as counts per unit, kind and year, and
// a unit's own socio-economic figures. Each is a register (register.go) with its natural key:
// one tally per kind, unit and year; one figure per unit, year and code.

var tallyReg = &register[resources.ModelTallyEntry]{
	entity: "model_tally", table: "model_tallies", id: "m.id",
	query: `SELECT m.id, m.kind, m.unit_code, m.unit_from, m.year, m.new_count, m.cumulative, m.of_total, m.note,
	u.full_name, u.level, m.created_by, m.created_at, m.updated_by, m.updated_at
	FROM model_tallies m JOIN units u ON u.code = m.unit_code AND u.valid_from = m.unit_from`,
	cols: []string{"kind", "unit_code", "unit_from", "year", "new_count", "cumulative", "of_total", "note"},
	key:  []string{"kind", "unit_code", "unit_from", "year"},
	scan: func(row interface{ Scan(...any) error }) (resources.ModelTallyEntry, error) {
		var m resources.ModelTallyEntry
		var from, level, cb, ca, ub, ua string
		err := row.Scan(&m.ID, &m.Kind, &m.UnitCode, &from, &m.Year, &m.New, &m.Cumulative, &m.Of, &m.Note,
			&m.UnitName, &level, &cb, &ca, &ub, &ua)
		m.UnitFrom, m.UnitLevel, m.RowStamp = units.Date(from), units.Level(level), stamp(cb, ca, ub, ua)
		return m, err
	},
	about: func(m *resources.ModelTallyEntry) (int64, string, units.Date) {
		return m.ID, m.UnitCode, YearDay(m.Year, m.UnitFrom)
	},
	place: func(m *resources.ModelTallyEntry) (string, units.Date, *resources.Placement) {
		return m.UnitCode, m.UnitFrom, &m.Placement
	},
	audited: func(m resources.ModelTallyEntry) any { return m.ModelTally },
}

// ModelTally returns one tally.
func (db *DB) ModelTally(ctx context.Context, id int64) (resources.ModelTallyEntry, error) {
	return tallyReg.read(ctx, db, id)
}

// SaveModelTally stores a tally: a new one (id 0) replaces the unit's tally of the same kind
// and year, as an office correcting its count expects; a change of id under the key another
// tally holds is an Exists fault.
func (db *DB) SaveModelTally(ctx context.Context, actor string, id int64, t resources.ModelTally) (resources.ModelTallyEntry, error) {
	return tallyReg.write(ctx, db, func(tx *Tx) (resources.ModelTallyEntry, bool, error) {
		return tallyReg.putInYear(ctx, tx, actor, id, true, t.UnitCode, t.Year, func(u units.Unit) []any {
			return []any{t.Kind, u.Code, string(u.ValidFrom), t.Year, t.New, t.Cumulative, t.Of, t.Note}
		}, nil)
	})
}

// DeleteModelTally removes a tally.
func (db *DB) DeleteModelTally(ctx context.Context, actor string, id int64) error {
	return tallyReg.remove(ctx, db, actor, id, nil)
}

// TallyFilter selects tallies below a root as of a day.
type TallyFilter struct {
	AsOfScope
	Kind   string
	ToYear int // of this year or before; 0: any
}

// ListModelTallies returns the tallies that count below the root as of the day, by year, kind and unit.
func (db *DB) ListModelTallies(ctx context.Context, f TallyFilter) ([]resources.ModelTallyEntry, error) {
	var w filter
	w.add(f.Kind != "", "m.kind = $%d", f.Kind)
	w.add(f.ToYear != 0, "m.year <= $%d", f.ToYear)
	return tallyReg.list(ctx, db, f.AsOfScope, w, `m.year, m.kind, m.unit_code`)
}

var unitIndicatorReg = &register[resources.UnitIndicatorEntry]{
	entity: "unit_indicator", table: "unit_indicators", id: "x.id",
	query: `SELECT x.id, x.unit_code, x.unit_from, x.year, x.code, x.name, x.measure, x.value, x.note,
	u.full_name, u.level, x.created_by, x.created_at, x.updated_by, x.updated_at
	FROM unit_indicators x JOIN units u ON u.code = x.unit_code AND u.valid_from = x.unit_from`,
	cols: []string{"unit_code", "unit_from", "year", "code", "name", "measure", "value", "note"},
	key:  []string{"unit_code", "unit_from", "year", "code"},
	scan: func(row interface{ Scan(...any) error }) (resources.UnitIndicatorEntry, error) {
		var x resources.UnitIndicatorEntry
		var from, level, cb, ca, ub, ua string
		err := row.Scan(&x.ID, &x.UnitCode, &from, &x.Year, &x.Code, &x.Name, &x.Measure, &x.Value, &x.Note,
			&x.UnitName, &level, &cb, &ca, &ub, &ua)
		x.UnitFrom, x.UnitLevel, x.RowStamp = units.Date(from), units.Level(level), stamp(cb, ca, ub, ua)
		return x, err
	},
	about: func(x *resources.UnitIndicatorEntry) (int64, string, units.Date) {
		return x.ID, x.UnitCode, YearDay(x.Year, x.UnitFrom)
	},
	place: func(x *resources.UnitIndicatorEntry) (string, units.Date, *resources.Placement) {
		return x.UnitCode, x.UnitFrom, &x.Placement
	},
	audited: func(x resources.UnitIndicatorEntry) any { return x.UnitIndicator },
}

// UnitIndicator returns one figure.
func (db *DB) UnitIndicator(ctx context.Context, id int64) (resources.UnitIndicatorEntry, error) {
	return unitIndicatorReg.read(ctx, db, id)
}

// SaveUnitIndicator stores a figure; a new one (id 0) replaces the unit's figure of the
// same code and year.
func (db *DB) SaveUnitIndicator(ctx context.Context, actor string, id int64, x resources.UnitIndicator) (resources.UnitIndicatorEntry, error) {
	return unitIndicatorReg.write(ctx, db, func(tx *Tx) (resources.UnitIndicatorEntry, bool, error) {
		return unitIndicatorReg.putInYear(ctx, tx, actor, id, true, x.UnitCode, x.Year, func(u units.Unit) []any {
			return []any{u.Code, string(u.ValidFrom), x.Year, x.Code, x.Name, x.Measure, x.Value, x.Note}
		}, nil)
	})
}

// DeleteUnitIndicator removes a figure.
func (db *DB) DeleteUnitIndicator(ctx context.Context, actor string, id int64) error {
	return unitIndicatorReg.remove(ctx, db, actor, id, nil)
}

// UnitIndicatorFilter selects a unit's own figures: those of the unit itself (OnlyUnit) or
// of every unit below the root, as of a day.
type UnitIndicatorFilter struct {
	AsOfScope
	Year     int // 0: any
	Code     string
	OnlyUnit bool
}

// ListUnitIndicators returns the figures that count below the root as of the day, by year, unit and code.
func (db *DB) ListUnitIndicators(ctx context.Context, f UnitIndicatorFilter) ([]resources.UnitIndicatorEntry, error) {
	var w filter
	w.add(f.Year != 0, "x.year = $%d", f.Year)
	w.add(f.Code != "", "x.code = $%d", f.Code)
	list, err := unitIndicatorReg.list(ctx, db, f.AsOfScope, w, `x.year, x.unit_code, x.code`)
	if err != nil || !f.OnlyUnit {
		return list, err
	}
	own := list[:0]
	for _, x := range list {
		if x.Child == "" {
			own = append(own, x)
		}
	}
	return own, nil
}
