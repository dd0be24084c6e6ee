package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/units"
)

// The resources register (SPEC §1.8): funding, works, models, steering meetings and tasks.
// Every write is one audited transaction. Lists and roll-ups are "as of" a day below a root
// unit: a row counts where its unit lies on that day, and a row on a unit that no longer
// exists counts where its successor lies (lineage), so a province formed in 2025 sums the
// 2024 funding of the communes it was formed from.

// ---------------------------------------------------------------------------------------
// Units of the register's rows

// UnitInYear returns the version of code a row of a year is about: the latest one that
// exists during the year (the unit after the reform, for a code valid on both sides of
// 1 July 2025).
func (db *DB) UnitInYear(ctx context.Context, code string, year int) (units.Unit, error) {
	return readOne(ctx, db, func(tx *Tx) (units.Unit, error) { return unitInYear(ctx, tx, code, year) })
}

func unitInYear(ctx context.Context, tx *Tx, code string, year int) (units.Unit, error) {
	u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units
		WHERE code = $1 AND valid_from <= $3 AND valid_to >= $2 ORDER BY valid_from DESC LIMIT 1`,
		code, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)))
	if errors.Is(err, sql.ErrNoRows) {
		return units.Unit{}, NoUnit(code, strconv.Itoa(year))
	}
	return u, err
}

func unitOnDay(ctx context.Context, tx *Tx, code string, day units.Date) (units.Unit, error) {
	u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE `+validOn+` AND code = $2`, string(day), code))
	if errors.Is(err, sql.ErrNoRows) {
		return units.Unit{}, NoUnit(code, string(day))
	}
	return u, err
}

// ErrNoUnit is the cause of the fault of a row that names a unit that does not exist when
// the row is about (see NoUnit): a fault of code InvalidValue, compared by identity with
// errors.Is.
var ErrNoUnit = fault.Both(fault.InvalidValue, "không có đơn vị này", "no such unit")

// NoUnit is the fault of a row naming unit code that does not exist in when (a year or a
// day). The message is given whole; Args keep the code and when for the sentences of the
// pages and of an import's problems.
func NoUnit(code, when string) *fault.Error {
	return &fault.Error{Code: fault.InvalidValue, Err: ErrNoUnit, Args: []any{code, when},
		Text: fmt.Sprintf("không có đơn vị mã %s vào %s (no unit with code %s in %s)", code, when, code, when)}
}

// YearDay is the day a row of a year is checked and audited on: the first day of the year,
// or the day its unit began if later.
func YearDay(year int, from units.Date) units.Date {
	d := units.Date(fmt.Sprintf("%04d-01-01", year))
	if from > d {
		return from
	}
	return d
}

// placer says where rows count on a day below a root ("" the country): under the unit of the
// row when that version exists on the day and lies in the subtree, else under its successor
// through the lineage — the "full" successor first, else the first by code, so that a row is
// never counted twice. A district or province that was abolished has no lineage of its own:
// its rows count under the lowest unit that holds the successors of all its communes (for a
// district of the old Bình Định, the new Gia Lai), or, when they went to several provinces,
// under the province that took most of them.
type placer struct {
	root    string
	day     units.Date
	current map[string]units.Unit // code → unit valid on day in the subtree, root included
	top     map[string]string     // code → the root's direct child holding it
	past    bool                  // what follows is loaded
	now     map[string]units.Unit // code → every unit valid on day
	ended   map[string]units.Unit // code|valid_from → versions that ended before day
	byCode  map[string][]units.Unit
	kids    map[string][]units.Unit    // parent code → versions that ended before day
	edges   map[string][]units.Lineage // old_code|effective → lineage rows
	memo    map[string]string          // code|valid_from → code valid on day, anywhere ("" none)
}

func newPlacer(ctx context.Context, tx *Tx, root string, day units.Date) (*placer, error) {
	p := &placer{root: root, day: day, current: map[string]units.Unit{}, top: map[string]string{}, memo: map[string]string{}}
	if root == "" {
		// The whole country: every unit valid on the day, as the cached index has them.
		if err := p.loadPast(ctx, tx); err != nil {
			return nil, err
		}
		p.current = p.now
		return p, nil
	}
	all, err := queryUnits(ctx, tx, `WITH RECURSIVE sub(code) AS (
			SELECT code FROM units WHERE `+validOn+` AND code = $2
			UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code
			WHERE u.valid_from <= $1 AND u.valid_to >= $1)
		SELECT `+unitColumns+` FROM units WHERE `+validOn+` AND code IN (SELECT code FROM sub)`, string(day), root)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, ErrNotFound
	}
	for _, u := range all {
		p.current[u.Code] = u
	}
	return p, nil
}

// child returns the root's direct child that holds code ("" for the root itself).
func (p *placer) child(code string) string {
	if c, ok := p.top[code]; ok {
		return c
	}
	c := code
	for i := 0; i < 6; i++ {
		u, ok := p.current[c]
		if !ok || c == p.root {
			c = ""
			break
		}
		if u.ParentCode == p.root {
			break
		}
		c = u.ParentCode
	}
	p.top[code] = c
	return c
}

// place returns the code, valid on the day in the subtree, that a row of unit version
// (code, from) counts under, or "" when it counts nowhere below the root.
func (p *placer) place(ctx context.Context, tx *Tx, code string, from units.Date) (string, error) {
	if u, ok := p.current[code]; ok && u.ValidFrom == from {
		return code, nil
	}
	if !p.past {
		if err := p.loadPast(ctx, tx); err != nil {
			return "", err
		}
	}
	c := p.successor(code, from, 0)
	if _, in := p.current[c]; !in {
		return "", nil
	}
	return c, nil
}

// successor is the unit valid on the day, anywhere, that a version's rows count under.
func (p *placer) successor(code string, from units.Date, depth int) string {
	key := code + "|" + string(from)
	if c, ok := p.memo[key]; ok {
		return c
	}
	c := ""
	if u, ok := p.now[code]; ok && u.ValidFrom == from {
		c = code
	} else if v, ok := p.ended[key]; ok && depth < 6 {
		next := v.ValidTo.AddDays(1)
		if es := p.edges[v.Code+"|"+string(next)]; len(es) > 0 {
			e := es[0]
			for _, x := range es {
				if x.Kind == units.LineageFull {
					e = x
					break
				}
			}
			if nu, ok := p.now[e.NewCode]; ok && nu.ValidOn(next) {
				c = e.NewCode
			} else {
				for _, s := range p.byCode[e.NewCode] {
					if s.ValidOn(next) {
						c = p.successor(s.Code, s.ValidFrom, depth+1)
					}
				}
			}
		} else {
			c = p.areaSuccessor(v, depth)
		}
	}
	p.memo[key] = c
	return c
}

// areaSuccessor places an abolished unit with no lineage of its own (a district, a
// province) by where its communes went.
func (p *placer) areaSuccessor(v units.Unit, depth int) string {
	var succ []string
	var walk func(u units.Unit, d int)
	walk = func(u units.Unit, d int) {
		for _, k := range p.kids[u.Code] {
			if !k.ValidOn(v.ValidTo) || d > 4 {
				continue
			}
			if k.Level == units.LevelCommune {
				if c := p.successor(k.Code, k.ValidFrom, depth+1); c != "" {
					succ = append(succ, c)
				}
				continue
			}
			walk(k, d+1)
		}
	}
	walk(v, 0)
	if len(succ) == 0 {
		return ""
	}
	chain := func(code string) []string { // the unit and its ancestors on the day, top first
		var out []string
		for i := 0; code != "" && i < 6; i++ {
			out = append([]string{code}, out...)
			code = p.now[code].ParentCode
		}
		return out
	}
	common := chain(succ[0])
	votes := map[string]int{}
	for _, s := range succ {
		ch := chain(s)
		votes[ch[0]]++
		n := 0
		for n < len(common) && n < len(ch) && common[n] == ch[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) > 0 {
		return common[len(common)-1]
	}
	best := ""
	for prov, n := range votes {
		if best == "" || n > votes[best] || n == votes[best] && prov < best {
			best = prov
		}
	}
	return best
}

// loadPast takes the units and lineage of the day from the index built once per day and
// version of the units (pastIndexOf), shared read-only by every placer.
func (p *placer) loadPast(ctx context.Context, tx *Tx) error {
	idx, err := pastIndexOf(ctx, tx, p.day)
	if err != nil {
		return err
	}
	p.past = true
	p.now, p.ended, p.byCode, p.kids, p.edges = idx.now, idx.ended, idx.byCode, idx.kids, idx.edges
	return nil
}

// pastIndex is the units of a day and what came before them, for placing rows: the units
// valid on the day, the versions that ended before it (by code|valid_from, by code and by
// parent) and the lineage in force by then (by old_code|effective). Read-only once built.
type pastIndex struct {
	now    map[string]units.Unit
	ended  map[string]units.Unit
	byCode map[string][]units.Unit
	kids   map[string][]units.Unit
	edges  map[string][]units.Lineage
}

// pastIndexOf returns the pastIndex of day (built once per day and version of the units).
func pastIndexOf(ctx context.Context, tx *Tx, day units.Date) (*pastIndex, error) {
	return tx.db.pasts.get(ctx, tx, day, func() (*pastIndex, error) { return buildPastIndex(ctx, tx, day) })
}

func buildPastIndex(ctx context.Context, tx *Tx, day units.Date) (*pastIndex, error) {
	p := &pastIndex{now: map[string]units.Unit{}, ended: map[string]units.Unit{}, byCode: map[string][]units.Unit{},
		kids: map[string][]units.Unit{}, edges: map[string][]units.Lineage{}}
	cur, err := queryUnits(ctx, tx, `SELECT `+unitColumns+` FROM units WHERE `+validOn, string(day))
	if err != nil {
		return nil, err
	}
	for _, u := range cur {
		p.now[u.Code] = u
	}
	old, err := queryUnits(ctx, tx, `SELECT `+unitColumns+` FROM units WHERE valid_to < $1`, string(day))
	if err != nil {
		return nil, err
	}
	for _, u := range old {
		p.ended[u.Code+"|"+string(u.ValidFrom)] = u
		p.byCode[u.Code] = append(p.byCode[u.Code], u)
		p.kids[u.ParentCode] = append(p.kids[u.ParentCode], u)
	}
	rows, err := tx.QueryContext(ctx, `SELECT old_code, new_code, kind, effective FROM unit_lineage WHERE effective <= $1 ORDER BY new_code`, string(day))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l units.Lineage
		var kind, eff string
		if err := rows.Scan(&l.OldCode, &l.NewCode, &kind, &eff); err != nil {
			return nil, err
		}
		l.Kind, l.Effective = units.LineageKind(kind), units.Date(eff)
		p.edges[l.OldCode+"|"+eff] = append(p.edges[l.OldCode+"|"+eff], l)
	}
	return p, rows.Err()
}

// AsOfScope selects the rows below Root ("" the country) as of AsOf.
type AsOfScope struct {
	Root string
	AsOf units.Date
}

func (s AsOfScope) day() units.Date {
	if s.AsOf == "" {
		return units.Today()
	}
	return s.AsOf
}

// placeAll keeps the rows that count below the scope's root, setting each one's Placement.
func placeAll[T any](ctx context.Context, tx *Tx, sc AsOfScope, rows []T, key func(*T) (code string, from units.Date, place *resources.Placement)) ([]T, error) {
	p, err := newPlacer(ctx, tx, sc.Root, sc.day())
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for i := range rows {
		code, from, pl := key(&rows[i])
		c, err := p.place(ctx, tx, code, from)
		if err != nil {
			return nil, err
		}
		if c == "" {
			continue
		}
		*pl = resources.Placement{Under: c, Child: p.child(c)}
		out = append(out, rows[i])
	}
	return out, nil
}

// stamp reads the stamps of a row.
func stamp(cb, ca, ub, ua string) resources.RowStamp {
	return resources.RowStamp{CreatedBy: cb, CreatedAt: parseTime(ca), UpdatedBy: ub, UpdatedAt: parseTime(ua)}
}

// ListImport says what an import of a list did.
type ListImport struct {
	Rows     int `json:"rows"`
	Inserted int `json:"inserted"`
	Updated  int `json:"updated"`
}

func importRowProblem(line int, err error) resources.Problem {
	if f, ok := fault.As(err); ok && errors.Is(err, ErrNoUnit) && len(f.Args) == 2 {
		return resources.Problem{Line: line, Field: "unit", VI: fmt.Sprintf("không có đơn vị mã %s vào %s", f.Args...),
			EN: fmt.Sprintf("no unit with code %s in %s", f.Args...)}
	}
	return resources.Problem{Line: line, VI: err.Error(), EN: err.Error()}
}

// inList appends vals to args and returns their places, "$k, $k+1, …", for an IN list.
func inList[T any](args *[]any, vals []T) string {
	ph := make([]string, len(vals))
	for i, v := range vals {
		*args = append(*args, v)
		ph[i] = fmt.Sprintf("$%d", len(*args))
	}
	return strings.Join(ph, ", ")
}

// amounts loads source → amount rows of a child table for the given parent ids.
func sourceAmounts(ctx context.Context, tx *Tx, table, fk string, ids []int64) (map[int64]map[string]resources.Fixed, error) {
	out := map[int64]map[string]resources.Fixed{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var args []any
		rows, err := tx.QueryContext(ctx, `SELECT `+fk+`, source, amount FROM `+table+` WHERE `+fk+` IN (`+inList(&args, ids[:n])+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, amt int64
			var src string
			if err := rows.Scan(&id, &src, &amt); err != nil {
				rows.Close()
				return nil, err
			}
			if out[id] == nil {
				out[id] = map[string]resources.Fixed{}
			}
			out[id][src] = resources.Fixed(amt)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

func putSourceAmounts(ctx context.Context, tx *Tx, table, fk string, id int64, m map[string]resources.Fixed) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+fk+` = $1`, id); err != nil {
		return err
	}
	var rows [][]any
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rows = append(rows, []any{id, k, int64(m[k])})
	}
	return execBatch(ctx, tx, `INSERT INTO `+table+` (`+fk+`, source, amount)`, ``, rows)
}

func nullFixed(x *resources.Fixed) any {
	if x == nil {
		return nil
	}
	return int64(*x)
}

// ---------------------------------------------------------------------------------------
// Funding

var fundingReg = &register[resources.FundingEntry]{
	entity: "funding", table: "funding", id: "f.id",
	query: `SELECT f.id, f.unit_code, f.unit_from, f.year, f.reported_total, f.note, u.full_name,
	f.created_by, f.created_at, f.updated_by, f.updated_at
	FROM funding f JOIN units u ON u.code = f.unit_code AND u.valid_from = f.unit_from`,
	cols: []string{"unit_code", "unit_from", "year", "reported_total", "note"},
	key:  []string{"unit_code", "unit_from", "year"},
	scan: scanFunding,
	fill: fillFunding,
	about: func(f *resources.FundingEntry) (int64, string, units.Date) {
		return f.ID, f.UnitCode, YearDay(f.Year, f.UnitFrom)
	},
	place: func(f *resources.FundingEntry) (string, units.Date, *resources.Placement) {
		return f.UnitCode, f.UnitFrom, &f.Placement
	},
	audited: func(f resources.FundingEntry) any { return f.Funding },
	detail:  func(f resources.FundingEntry) string { return f.Check.Text("vi") },
}

func scanFunding(row interface{ Scan(...any) error }) (resources.FundingEntry, error) {
	var f resources.FundingEntry
	var from, cb, ca, ub, ua string
	var rt sql.NullInt64
	err := row.Scan(&f.ID, &f.UnitCode, &from, &f.Year, &rt, &f.Note, &f.UnitName, &cb, &ca, &ub, &ua)
	f.UnitFrom = units.Date(from)
	if rt.Valid {
		v := resources.Fixed(rt.Int64)
		f.ReportedTotal = &v
	}
	f.RowStamp = stamp(cb, ca, ub, ua)
	return f, err
}

func fillFunding(ctx context.Context, tx *Tx, fs []resources.FundingEntry) error {
	ids := make([]int64, len(fs))
	for i := range fs {
		ids[i] = fs[i].ID
	}
	parts, err := sourceAmounts(ctx, tx, "funding_parts", "funding_id", ids)
	if err != nil {
		return err
	}
	for i := range fs {
		fs[i].Parts = parts[fs[i].ID]
		fs[i].Compute()
	}
	return nil
}

// Funding returns one funding entry.
func (db *DB) Funding(ctx context.Context, id int64) (resources.FundingEntry, error) {
	return fundingReg.read(ctx, db, id)
}

// PutFunding stores what a unit mobilised in a year, replacing the entry the unit already
// has for that year, and returns it with the check of its reported total.
func (db *DB) PutFunding(ctx context.Context, actor string, f resources.Funding) (resources.FundingEntry, error) {
	return fundingReg.write(ctx, db, func(tx *Tx) (resources.FundingEntry, bool, error) { return putFunding(ctx, tx, actor, f) })
}

func putFunding(ctx context.Context, tx *Tx, actor string, f resources.Funding) (resources.FundingEntry, bool, error) {
	return fundingReg.putInYear(ctx, tx, actor, 0, true, f.UnitCode, f.Year, func(u units.Unit) []any {
		return []any{u.Code, string(u.ValidFrom), f.Year, nullFixed(f.ReportedTotal), f.Note}
	}, func(id int64) error { return putSourceAmounts(ctx, tx, "funding_parts", "funding_id", id, f.Parts) })
}

// DeleteFunding removes a funding entry.
func (db *DB) DeleteFunding(ctx context.Context, actor string, id int64) error {
	return fundingReg.remove(ctx, db, actor, id, nil)
}

// FundingFilter selects funding entries below a root as of a day.
type FundingFilter struct {
	AsOfScope
	Years []int // any of these years; none: every year
}

// ListFunding returns the funding entries that count below the root as of the day, by year
// and unit code.
func (db *DB) ListFunding(ctx context.Context, f FundingFilter) ([]resources.FundingEntry, error) {
	var w filter
	if len(f.Years) > 0 {
		w.conds = append(w.conds, `f.year IN (`+inList(&w.args, f.Years)+`)`)
	}
	return fundingReg.list(ctx, db, f.AsOfScope, w, `f.year, f.unit_code, f.unit_from`)
}

// ImportFunding stores the rows of a funding list in one transaction: every row or, on any
// problem (a unit that does not exist in the row's year), none, with the problems by row.
func (db *DB) ImportFunding(ctx context.Context, actor, file string, rows []resources.FundingRow) (ListImport, error) {
	return importRows(ctx, db, file, rows, func(tx *Tx, r resources.FundingRow) (int, bool, error) {
		_, updated, err := putFunding(ctx, tx, actor, r.Funding)
		return r.Line, updated, err
	})
}

// ---------------------------------------------------------------------------------------
// Works

var workReg = &register[resources.WorkEntry]{
	entity: "work", table: "works", id: "w.id",
	query: `SELECT w.id, w.unit_code, w.unit_from, w.year, w.kind, w.name, w.criterion_set, w.criterion, w.quantity,
	w.measure, w.status, w.done_on, w.note, u.full_name, w.created_by, w.created_at, w.updated_by, w.updated_at
	FROM works w JOIN units u ON u.code = w.unit_code AND u.valid_from = w.unit_from`,
	cols: []string{"unit_code", "unit_from", "year", "kind", "name", "name_fold", "criterion_set", "criterion",
		"quantity", "measure", "status", "done_on", "note"},
	key:  []string{"unit_code", "unit_from", "year", "kind", "name_fold"},
	scan: scanWork,
	fill: fillWorks,
	about: func(w *resources.WorkEntry) (int64, string, units.Date) {
		return w.ID, w.UnitCode, YearDay(w.Year, w.UnitFrom)
	},
	place: func(w *resources.WorkEntry) (string, units.Date, *resources.Placement) {
		return w.UnitCode, w.UnitFrom, &w.Placement
	},
	audited: auditWork,
}

func scanWork(row interface{ Scan(...any) error }) (resources.WorkEntry, error) {
	var w resources.WorkEntry
	var from, done, cb, ca, ub, ua string
	var q int64
	err := row.Scan(&w.ID, &w.UnitCode, &from, &w.Year, &w.Kind, &w.Name, &w.CriterionSet, &w.Criterion, &q,
		&w.Measure, &w.Status, &done, &w.Note, &w.UnitName, &cb, &ca, &ub, &ua)
	w.UnitFrom, w.Quantity, w.DoneOn = units.Date(from), resources.Fixed(q), units.Date(done)
	w.RowStamp = stamp(cb, ca, ub, ua)
	return w, err
}

func fillWorks(ctx context.Context, tx *Tx, ws []resources.WorkEntry) error {
	if len(ws) == 0 {
		return nil
	}
	ids := make([]int64, len(ws))
	idx := map[int64]int{}
	for i := range ws {
		ids[i] = ws[i].ID
		idx[ws[i].ID] = i
	}
	budget, err := sourceAmounts(ctx, tx, "work_budget", "work_id", ids)
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var args []any
		rows, err := tx.QueryContext(ctx, `SELECT work_id, id, day, amount, source, note FROM work_disbursements
			WHERE work_id IN (`+inList(&args, ids[:n])+`) ORDER BY day, id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var wid, amt int64
			var d resources.Disbursement
			var day string
			if err := rows.Scan(&wid, &d.ID, &day, &amt, &d.Source, &d.Note); err != nil {
				rows.Close()
				return err
			}
			d.Day, d.Amount = units.Date(day), resources.Fixed(amt)
			ws[idx[wid]].Disbursements = append(ws[idx[wid]].Disbursements, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ids = ids[n:]
	}
	for i := range ws {
		ws[i].Budget = budget[ws[i].ID]
		ws[i].Compute()
	}
	return nil
}

// Work returns one work with its disbursements.
func (db *DB) Work(ctx context.Context, id int64) (resources.WorkEntry, error) {
	return workReg.read(ctx, db, id)
}

// auditWork is what the audit log keeps of a work.
func auditWork(w resources.WorkEntry) any {
	return struct {
		resources.Work
		Disbursed resources.Fixed `json:"disbursed"`
	}{w.Work, w.Disbursed}
}

// CreateWork adds a work; one with the same unit, year, kind and name (ignoring case and
// diacritics) is an Exists fault carrying its id.
func (db *DB) CreateWork(ctx context.Context, actor string, w resources.Work) (resources.WorkEntry, error) {
	return workReg.write(ctx, db, func(tx *Tx) (resources.WorkEntry, bool, error) { return saveWork(ctx, tx, actor, 0, w, false) })
}

// UpdateWork changes a work (its disbursements stay).
func (db *DB) UpdateWork(ctx context.Context, actor string, id int64, w resources.Work) (resources.WorkEntry, error) {
	return workReg.write(ctx, db, func(tx *Tx) (resources.WorkEntry, bool, error) { return saveWork(ctx, tx, actor, id, w, false) })
}

// saveWork creates (id 0) or updates a work; with upsert, a work with the same key is updated
// instead of refused.
func saveWork(ctx context.Context, tx *Tx, actor string, id int64, w resources.Work, upsert bool) (resources.WorkEntry, bool, error) {
	return workReg.putInYear(ctx, tx, actor, id, upsert, w.UnitCode, w.Year, func(u units.Unit) []any {
		return []any{u.Code, string(u.ValidFrom), w.Year, w.Kind, w.Name, resources.Fold(w.Name),
			w.CriterionSet, w.Criterion, int64(w.Quantity), w.Measure, w.Status, string(w.DoneOn), w.Note}
	}, func(id int64) error { return putSourceAmounts(ctx, tx, "work_budget", "work_id", id, w.Budget) })
}

// DeleteWork removes a work and its disbursements.
func (db *DB) DeleteWork(ctx context.Context, actor string, id int64) error {
	return workReg.remove(ctx, db, actor, id, nil)
}

// AddDisbursement records money paid out for a work and returns the work.
func (db *DB) AddDisbursement(ctx context.Context, actor string, workID int64, d resources.Disbursement) (resources.WorkEntry, error) {
	var out resources.WorkEntry
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		w, err := workReg.get(ctx, tx, workID)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO work_disbursements (work_id, day, amount, source, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, workID, string(d.Day), int64(d.Amount), d.Source, d.Note, actor, now()).Scan(&d.ID); err != nil {
			return err
		}
		if out, err = workReg.get(ctx, tx, workID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "work_disbursement", EntityID: strconv.FormatInt(d.ID, 10),
			UnitCode: w.UnitCode, UnitDate: YearDay(w.Year, w.UnitFrom), New: d, Detail: fmt.Sprintf("công trình %d: %s", workID, w.Name)})
	})
	return out, err
}

// DeleteDisbursement removes one disbursement of a work and returns the work.
func (db *DB) DeleteDisbursement(ctx context.Context, actor string, workID, id int64) (resources.WorkEntry, error) {
	var out resources.WorkEntry
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		w, err := workReg.get(ctx, tx, workID)
		if err != nil {
			return err
		}
		var old *resources.Disbursement
		for i := range w.Disbursements {
			if w.Disbursements[i].ID == id {
				old = &w.Disbursements[i]
			}
		}
		if old == nil {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM work_disbursements WHERE id = $1 AND work_id = $2`, id, workID); err != nil {
			return err
		}
		if out, err = workReg.get(ctx, tx, workID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "delete", Entity: "work_disbursement", EntityID: strconv.FormatInt(id, 10),
			UnitCode: w.UnitCode, UnitDate: YearDay(w.Year, w.UnitFrom), Old: *old, Detail: fmt.Sprintf("công trình %d: %s", workID, w.Name)})
	})
	return out, err
}

// WorkFilter selects works below a root as of a day.
type WorkFilter struct {
	AsOfScope
	Year   int    // 0: every year
	Kind   string // "": every kind
	Status string // "": every status
}

// ListWorks returns the works that count below the root as of the day, by year, unit, kind
// and name.
func (db *DB) ListWorks(ctx context.Context, f WorkFilter) ([]resources.WorkEntry, error) {
	var w filter
	w.add(f.Year != 0, "w.year = $%d", f.Year)
	w.add(f.Kind != "", "w.kind = $%d", f.Kind)
	w.add(f.Status != "", "w.status = $%d", f.Status)
	return workReg.list(ctx, db, f.AsOfScope, w, `w.year, w.unit_code, w.kind, w.name_fold`)
}

// ImportWorks stores the rows of a list of works in one transaction, or none: a work with the
// same unit, year, kind and name is updated; a row with an amount disbursed replaces the
// work's disbursements with that one figure on its day.
func (db *DB) ImportWorks(ctx context.Context, actor, file string, rows []resources.WorkRow) (ListImport, error) {
	return importRows(ctx, db, file, rows, func(tx *Tx, r resources.WorkRow) (int, bool, error) {
		w, updated, err := saveWork(ctx, tx, actor, 0, r.Work, true)
		if err != nil || r.Disbursed == nil {
			return r.Line, updated, err
		}
		return r.Line, updated, importDisbursed(ctx, tx, actor, file, w, r)
	})
}

// importDisbursed replaces the disbursements of w with the one figure of its import row.
func importDisbursed(ctx context.Context, tx *Tx, actor, file string, w resources.WorkEntry, r resources.WorkRow) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM work_disbursements WHERE work_id = $1`, w.ID); err != nil {
		return err
	}
	if *r.Disbursed > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO work_disbursements (work_id, day, amount, source, note, created_by, created_at)
			VALUES ($1, $2, $3, '', $4, $5, $6)`, w.ID, string(r.DisbursedOn), int64(*r.Disbursed), "nhập từ "+file, actor, now()); err != nil {
			return err
		}
	}
	return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "import", Entity: "work_disbursement", EntityID: strconv.FormatInt(w.ID, 10),
		UnitCode: w.UnitCode, UnitDate: YearDay(w.Year, w.UnitFrom), Old: w.Disbursed, New: *r.Disbursed,
		Detail: fmt.Sprintf("%s dòng %d: giải ngân lũy kế đến %s", file, r.Line, r.DisbursedOn)})
}

// importRows stores the rows of a list in one transaction: every row or, when a row names a
// unit that does not exist when the row is about, none, with those problems by row. put
// stores one row and says its line and whether it updated a row that was there.
func importRows[T any](ctx context.Context, db *DB, file string, rows []T, put func(tx *Tx, r T) (line int, updated bool, err error)) (ListImport, error) {
	var n ListImport
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		n = ListImport{Rows: len(rows)}
		var probs []resources.Problem
		for _, r := range rows {
			line, updated, err := put(tx, r)
			switch {
			case errors.Is(err, ErrNoUnit):
				probs = append(probs, importRowProblem(line, err))
			case err != nil:
				return fmt.Errorf("%s: dòng %d: %w", file, line, err)
			case updated:
				n.Updated++
			default:
				n.Inserted++
			}
		}
		if len(probs) > 0 {
			return resources.ImportFault(file, probs)
		}
		return nil
	})
	return n, err
}

// ---------------------------------------------------------------------------------------
// Models

var modelReg = &register[resources.ModelEntry]{
	entity: "model", table: "models", id: "m.id",
	query: `SELECT m.id, m.kind, m.unit_code, m.unit_from, m.village, m.name, m.year, m.decision, m.decision_date,
	m.revoked_year, m.note, u.full_name, u.level, m.created_by, m.created_at, m.updated_by, m.updated_at
	FROM models m JOIN units u ON u.code = m.unit_code AND u.valid_from = m.unit_from`,
	cols: []string{"kind", "unit_code", "unit_from", "village", "name", "name_fold", "year", "decision", "decision_date",
		"revoked_year", "note"},
	key:  []string{"kind", "unit_code", "unit_from", "name_fold"},
	scan: scanModel,
	about: func(m *resources.ModelEntry) (int64, string, units.Date) {
		return m.ID, m.UnitCode, YearDay(m.Year, m.UnitFrom)
	},
	place: func(m *resources.ModelEntry) (string, units.Date, *resources.Placement) {
		return m.UnitCode, m.UnitFrom, &m.Placement
	},
	audited: func(m resources.ModelEntry) any { return m.Model },
}

func scanModel(row interface{ Scan(...any) error }) (resources.ModelEntry, error) {
	var m resources.ModelEntry
	var from, dd, level, cb, ca, ub, ua string
	err := row.Scan(&m.ID, &m.Kind, &m.UnitCode, &from, &m.Village, &m.Name, &m.Year, &m.Decision, &dd,
		&m.RevokedYear, &m.Note, &m.UnitName, &level, &cb, &ca, &ub, &ua)
	m.UnitFrom, m.DecisionDate, m.UnitLevel = units.Date(from), units.Date(dd), units.Level(level)
	m.RowStamp = stamp(cb, ca, ub, ua)
	return m, err
}

// Model returns one model.
func (db *DB) Model(ctx context.Context, id int64) (resources.ModelEntry, error) {
	return modelReg.read(ctx, db, id)
}

// CreateModel adds a model; one of the same kind, unit and name is an Exists fault carrying its id.
func (db *DB) CreateModel(ctx context.Context, actor string, m resources.Model) (resources.ModelEntry, error) {
	return modelReg.write(ctx, db, func(tx *Tx) (resources.ModelEntry, bool, error) { return saveModel(ctx, tx, actor, 0, m, false) })
}

// UpdateModel changes a model.
func (db *DB) UpdateModel(ctx context.Context, actor string, id int64, m resources.Model) (resources.ModelEntry, error) {
	return modelReg.write(ctx, db, func(tx *Tx) (resources.ModelEntry, bool, error) { return saveModel(ctx, tx, actor, id, m, false) })
}

func saveModel(ctx context.Context, tx *Tx, actor string, id int64, m resources.Model, upsert bool) (resources.ModelEntry, bool, error) {
	return modelReg.putInYear(ctx, tx, actor, id, upsert, m.UnitCode, m.Year, func(u units.Unit) []any {
		return []any{m.Kind, u.Code, string(u.ValidFrom), m.Village, m.Name, resources.Fold(m.Name),
			m.Year, m.Decision, string(m.DecisionDate), m.RevokedYear, m.Note}
	}, nil)
}

// DeleteModel removes a model (one entered by mistake; a withdrawn one keeps its row with
// the year it was revoked).
func (db *DB) DeleteModel(ctx context.Context, actor string, id int64) error {
	return modelReg.remove(ctx, db, actor, id, nil)
}

// ModelFilter selects models below a root as of a day.
type ModelFilter struct {
	AsOfScope
	Kind   string
	ToYear int // recognised in or before this year; 0: any
}

// ListModels returns the models that count below the root as of the day, by year, kind and unit.
func (db *DB) ListModels(ctx context.Context, f ModelFilter) ([]resources.ModelEntry, error) {
	var w filter
	w.add(f.Kind != "", "m.kind = $%d", f.Kind)
	w.add(f.ToYear != 0, "m.year <= $%d", f.ToYear)
	return modelReg.list(ctx, db, f.AsOfScope, w, `m.year, m.kind, m.unit_code, m.name_fold`)
}

// ImportModels stores the rows of a list of models in one transaction, or none: a model of
// the same kind, unit and name is updated.
func (db *DB) ImportModels(ctx context.Context, actor, file string, rows []resources.ModelRow) (ListImport, error) {
	return importRows(ctx, db, file, rows, func(tx *Tx, r resources.ModelRow) (int, bool, error) {
		_, updated, err := saveModel(ctx, tx, actor, 0, r.Model, true)
		return r.Line, updated, err
	})
}

// ---------------------------------------------------------------------------------------
// Steering meetings and tasks

var meetingReg = &register[resources.MeetingEntry]{
	entity: "steering_meeting", table: "steering_meetings", id: "m.id",
	query: `SELECT m.id, m.unit_code, m.unit_from, m.day, m.chair, m.conclusions, u.full_name,
	(SELECT COUNT(*) FROM steering_tasks t WHERE t.meeting_id = m.id), m.created_by, m.created_at, m.updated_by, m.updated_at
	FROM steering_meetings m JOIN units u ON u.code = m.unit_code AND u.valid_from = m.unit_from`,
	cols:  []string{"unit_code", "unit_from", "day", "chair", "conclusions"},
	scan:  scanMeeting,
	about: func(m *resources.MeetingEntry) (int64, string, units.Date) { return m.ID, m.UnitCode, m.Day },
	place: func(m *resources.MeetingEntry) (string, units.Date, *resources.Placement) {
		return m.UnitCode, m.UnitFrom, &m.Placement
	},
	audited: func(m resources.MeetingEntry) any { return m.Meeting },
}

func scanMeeting(row interface{ Scan(...any) error }) (resources.MeetingEntry, error) {
	var m resources.MeetingEntry
	var from, day, cb, ca, ub, ua string
	err := row.Scan(&m.ID, &m.UnitCode, &from, &day, &m.Chair, &m.Conclusions, &m.UnitName, &m.Tasks, &cb, &ca, &ub, &ua)
	m.UnitFrom, m.Day = units.Date(from), units.Date(day)
	m.RowStamp = stamp(cb, ca, ub, ua)
	return m, err
}

// Meeting returns one meeting.
func (db *DB) Meeting(ctx context.Context, id int64) (resources.MeetingEntry, error) {
	return meetingReg.read(ctx, db, id)
}

// SaveMeeting adds a meeting (id 0) or changes one; its unit is the one the code names on
// the meeting's day.
func (db *DB) SaveMeeting(ctx context.Context, actor string, id int64, m resources.Meeting) (resources.MeetingEntry, error) {
	return meetingReg.write(ctx, db, func(tx *Tx) (resources.MeetingEntry, bool, error) {
		u, err := unitOnDay(ctx, tx, m.UnitCode, m.Day)
		if err != nil {
			return resources.MeetingEntry{}, false, err
		}
		return meetingReg.save(ctx, tx, actor, id, []any{u.Code, string(u.ValidFrom), string(m.Day), m.Chair, m.Conclusions}, nil)
	})
}

// DeleteMeeting removes a meeting that has no tasks.
func (db *DB) DeleteMeeting(ctx context.Context, actor string, id int64) error {
	return meetingReg.remove(ctx, db, actor, id, func(m resources.MeetingEntry) error {
		if m.Tasks > 0 {
			return fault.New(fault.InvalidValue, "resources.error.meeting_in_use", m.Tasks)
		}
		return nil
	})
}

// MeetingFilter selects meetings below a root as of a day, held between From and To.
type MeetingFilter struct {
	AsOfScope
	From, To units.Date // "": open
}

// ListMeetings returns the meetings of the committees below the root, the latest first.
func (db *DB) ListMeetings(ctx context.Context, f MeetingFilter) ([]resources.MeetingEntry, error) {
	var w filter
	w.add(f.From != "", "m.day >= $%d", string(f.From))
	w.add(f.To != "", "m.day <= $%d", string(f.To))
	return meetingReg.list(ctx, db, f.AsOfScope, w, `m.day DESC, m.id DESC`)
}

var taskReg = &register[resources.TaskEntry]{
	entity: "steering_task", table: "steering_tasks", id: "t.id",
	query: `SELECT t.id, COALESCE(t.meeting_id, 0), t.unit_code, t.unit_from, t.title, t.owner_kind, t.owner, t.owner_from,
	t.criterion_set, t.criterion, t.linked_unit, t.assigned, t.due, t.status, t.done_on, u.full_name,
	COALESCE(o.full_name, ''), COALESCE(m.day, ''), t.created_by, t.created_at, t.updated_by, t.updated_at
	FROM steering_tasks t JOIN units u ON u.code = t.unit_code AND u.valid_from = t.unit_from
	LEFT JOIN units o ON t.owner_kind = 'unit' AND o.code = t.owner AND o.valid_from = t.owner_from
	LEFT JOIN steering_meetings m ON m.id = t.meeting_id`,
	cols: []string{"meeting_id", "unit_code", "unit_from", "title", "owner_kind", "owner", "owner_from", "criterion_set",
		"criterion", "linked_unit", "assigned", "due", "status", "done_on"},
	scan: scanTask,
	fill: func(ctx context.Context, tx *Tx, ts []resources.TaskEntry) error {
		return fillTasks(ctx, tx, ts, units.Today())
	},
	about: func(t *resources.TaskEntry) (int64, string, units.Date) { return t.ID, t.UnitCode, t.Assigned },
	place: func(t *resources.TaskEntry) (string, units.Date, *resources.Placement) {
		return t.UnitCode, t.UnitFrom, &t.Placement
	},
	audited: func(t resources.TaskEntry) any { return t.Task },
}

func scanTask(row interface{ Scan(...any) error }) (resources.TaskEntry, error) {
	var t resources.TaskEntry
	var from, ofrom, assigned, due, done, oname, mday, cb, ca, ub, ua string
	err := row.Scan(&t.ID, &t.MeetingID, &t.UnitCode, &from, &t.Title, &t.OwnerKind, &t.Owner, &ofrom,
		&t.CriterionSet, &t.Criterion, &t.LinkedUnit, &assigned, &due, &t.Status, &done, &t.UnitName,
		&oname, &mday, &cb, &ca, &ub, &ua)
	t.UnitFrom, t.OwnerFrom, t.Assigned, t.Due, t.DoneOn, t.MeetingDay = units.Date(from), units.Date(ofrom), units.Date(assigned), units.Date(due), units.Date(done), units.Date(mday)
	t.OwnerName = oname
	t.RowStamp = stamp(cb, ca, ub, ua)
	return t, err
}

func fillTasks(ctx context.Context, tx *Tx, ts []resources.TaskEntry, day units.Date) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]int64, len(ts))
	idx := map[int64]int{}
	for i := range ts {
		ids[i] = ts[i].ID
		idx[ts[i].ID] = i
		ts[i].Notes = []resources.TaskNote{}
		ts[i].Compute(day)
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var args []any
		rows, err := tx.QueryContext(ctx, `SELECT task_id, id, day, note, created_by, created_at FROM task_notes
			WHERE task_id IN (`+inList(&args, ids[:n])+`) ORDER BY id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var tid int64
			var nt resources.TaskNote
			var d, at string
			if err := rows.Scan(&tid, &nt.ID, &d, &nt.Note, &nt.CreatedBy, &at); err != nil {
				rows.Close()
				return err
			}
			nt.Day, nt.CreatedAt = units.Date(d), parseTime(at)
			ts[idx[tid]].Notes = append(ts[idx[tid]].Notes, nt)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// Task returns one task with its notes.
func (db *DB) Task(ctx context.Context, id int64) (resources.TaskEntry, error) {
	return taskReg.read(ctx, db, id)
}

// TaskUnits returns the committee's unit on the day a task is assigned, and the owner unit
// (nil for a department), for checking rights before a task is saved.
func (db *DB) TaskUnits(ctx context.Context, t resources.Task) (units.Unit, *units.Unit, error) {
	var u units.Unit
	var o *units.Unit
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		if u, err = unitOnDay(ctx, tx, t.UnitCode, t.Assigned); err != nil {
			return err
		}
		if t.OwnerKind == resources.OwnerUnit {
			ou, err := unitOnDay(ctx, tx, t.Owner, t.Assigned)
			if err != nil {
				return err
			}
			o = &ou
		}
		return nil
	})
	return u, o, err
}

// SaveTask adds a task (id 0) or changes one. A task from a meeting belongs to the meeting's
// committee. Units are the versions valid on the day the task is assigned.
func (db *DB) SaveTask(ctx context.Context, actor string, id int64, t resources.Task) (resources.TaskEntry, error) {
	return taskReg.write(ctx, db, func(tx *Tx) (resources.TaskEntry, bool, error) {
		if err := checkTaskMeeting(ctx, tx, t); err != nil {
			return resources.TaskEntry{}, false, err
		}
		u, err := unitOnDay(ctx, tx, t.UnitCode, t.Assigned)
		if err != nil {
			return resources.TaskEntry{}, false, err
		}
		ownerFrom := ""
		if t.OwnerKind == resources.OwnerUnit {
			ou, err := unitOnDay(ctx, tx, t.Owner, t.Assigned)
			if err != nil {
				return resources.TaskEntry{}, false, err
			}
			ownerFrom = string(ou.ValidFrom)
		}
		var meeting any
		if t.MeetingID != 0 {
			meeting = t.MeetingID
		}
		return taskReg.save(ctx, tx, actor, id, []any{meeting, u.Code, string(u.ValidFrom), t.Title, t.OwnerKind, t.Owner, ownerFrom,
			t.CriterionSet, t.Criterion, t.LinkedUnit, string(t.Assigned), string(t.Due), t.Status, string(t.DoneOn)}, nil)
	})
}

// checkTaskMeeting checks that the meeting a task is from exists and is of its committee.
func checkTaskMeeting(ctx context.Context, tx *Tx, t resources.Task) error {
	if t.MeetingID == 0 {
		return nil
	}
	m, err := meetingReg.get(ctx, tx, t.MeetingID)
	if errors.Is(err, ErrNotFound) {
		return resources.FieldFault("meeting_id", fmt.Sprintf("không có cuộc họp %d", t.MeetingID), fmt.Sprintf("no meeting %d", t.MeetingID))
	}
	if err != nil {
		return err
	}
	if m.UnitCode != t.UnitCode {
		return resources.FieldFault("meeting_id", fmt.Sprintf("cuộc họp %d là của Ban Chỉ đạo %s, không phải %s", m.ID, m.UnitCode, t.UnitCode),
			fmt.Sprintf("meeting %d is of the committee of %s, not %s", m.ID, m.UnitCode, t.UnitCode))
	}
	return nil
}

// DeleteTask removes a task and its notes.
func (db *DB) DeleteTask(ctx context.Context, actor string, id int64) error {
	return taskReg.remove(ctx, db, actor, id, nil)
}

// AddTaskNote adds a progress note to a task and, when status is given, changes the task's
// status (a task marked done gets done_on = day), all in one change.
func (db *DB) AddTaskNote(ctx context.Context, actor string, id int64, day units.Date, note, status string) (resources.TaskEntry, error) {
	var out resources.TaskEntry
	err := db.writeRegisters(ctx, func(tx *Tx) error {
		t, err := taskReg.get(ctx, tx, id)
		if err != nil {
			return err
		}
		var nid int64
		if strings.TrimSpace(note) != "" {
			if err := tx.QueryRowContext(ctx, `INSERT INTO task_notes (task_id, day, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				id, string(day), note, actor, now()).Scan(&nid); err != nil {
				return err
			}
		}
		changed := status != "" && status != t.Status
		if changed {
			done := ""
			if status == resources.TaskDone {
				done = string(day)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE steering_tasks SET status = $1, done_on = $2, updated_by = $3, updated_at = $4 WHERE id = $5`,
				status, done, actor, now(), id); err != nil {
				return err
			}
		}
		if out, err = taskReg.get(ctx, tx, id); err != nil {
			return err
		}
		e := AuditEntry{Actor: actor, Action: "note", Entity: "steering_task", EntityID: strconv.FormatInt(id, 10), UnitCode: t.UnitCode,
			UnitDate: t.Assigned, Detail: note}
		if changed {
			e.Action, e.Old, e.New = "update", map[string]string{"status": t.Status}, map[string]string{"status": status, "done_on": string(out.DoneOn)}
		}
		return tx.Audit(ctx, e)
	})
	return out, err
}

// TaskFilter selects tasks below a root as of a day: those assigned by a committee below it
// or owned by a unit below it.
type TaskFilter struct {
	AsOfScope
	MeetingID   int64
	Status      string // "": any
	OverdueOnly bool   // only the tasks overdue on the day
	Owner       string // an owner unit code or department name (folded match); "": any
}

// ListTasks returns the tasks, by due day.
func (db *DB) ListTasks(ctx context.Context, f TaskFilter) ([]resources.TaskEntry, error) {
	var out []resources.TaskEntry
	day := f.day()
	err := db.Read(ctx, func(tx *Tx) error {
		var w filter
		w.add(f.MeetingID != 0, "t.meeting_id = $%d", f.MeetingID)
		w.add(f.Status != "", "t.status = $%d", f.Status)
		w.add(f.OverdueOnly, "t.due < $%[1]d AND (t.status <> 'done' OR t.done_on > $%[1]d)", string(day))
		ts, err := queryRows(ctx, tx, scanTask, taskReg.query+w.sql()+` ORDER BY t.due, t.id`, w.args...)
		if err != nil {
			return err
		}
		p, err := newPlacer(ctx, tx, f.Root, day)
		if err != nil {
			return err
		}
		kept := ts[:0]
		for _, t := range ts {
			if f.Owner != "" && t.Owner != f.Owner && resources.Fold(t.Owner) != resources.Fold(f.Owner) {
				continue
			}
			c, err := p.place(ctx, tx, t.UnitCode, t.UnitFrom)
			if err != nil {
				return err
			}
			if c != "" {
				t.Placement = resources.Placement{Under: c, Child: p.child(c)}
			}
			if t.OwnerKind == resources.OwnerUnit {
				oc, err := p.place(ctx, tx, t.Owner, t.OwnerFrom)
				if err != nil {
					return err
				}
				if oc != "" {
					t.OwnerPlace = resources.Placement{Under: oc, Child: p.child(oc)}
				}
			}
			if t.Under != "" || t.OwnerPlace.Under != "" {
				kept = append(kept, t)
			}
		}
		if err := fillTasks(ctx, tx, kept, day); err != nil {
			return err
		}
		out = kept
		return nil
	})
	return out, err
}
