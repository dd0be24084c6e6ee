package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

const unitColumns = `code, valid_from, valid_to, name, full_name, name_en, level, type, parent_code, region, tags`

func scanUnit(row interface{ Scan(...any) error }) (units.Unit, error) {
	var u units.Unit
	var level, tags, from, to string
	err := row.Scan(&u.Code, &from, &to, &u.Name, &u.FullName, &u.NameEN, &level, &u.Type, &u.ParentCode, &u.Region, &tags)
	u.Level, u.ValidFrom, u.ValidTo = units.Level(level), units.Date(from), units.Date(to)
	if tags != "" {
		u.Tags = strings.Split(tags, ";")
	}
	return u, err
}

func queryUnits(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]units.Unit, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, scanUnit)
}

// ImportStats says what an import changed.
type ImportStats struct {
	Units     int `json:"units"`      // rows in the input
	Inserted  int `json:"inserted"`   // new rows
	Updated   int `json:"updated"`    // rows that existed and changed
	Unchanged int `json:"unchanged"`  // rows that existed as they are
	Lineage   int `json:"lineage"`    // lineage rows in the input
	LineageIn int `json:"lineage_in"` // lineage rows new to the database
}

// ImportUnits adds or updates units and lineage in one transaction: either all of them are
// stored or, on any error, none. Importing the same data twice changes nothing. A unit's
// parent must exist, in the input or the database, on the unit's first valid day.
func (db *DB) ImportUnits(ctx context.Context, us []units.Unit, lineage []units.Lineage) (ImportStats, error) {
	var st ImportStats
	err := db.Write(ctx, func(tx *Tx) error {
		st = ImportStats{Units: len(us), Lineage: len(lineage)}
		existing := map[string]units.Unit{}
		all, err := queryUnits(ctx, tx, `SELECT `+unitColumns+` FROM units`)
		if err != nil {
			return err
		}
		for _, u := range all {
			existing[u.Code+"|"+string(u.ValidFrom)] = u
		}
		// Tags from the provinces' decisions (ntm units tags import) survive a reload of the lists.
		inForce, err := tagsInForce(ctx, tx, units.Today())
		if err != nil {
			return err
		}
		var rows [][]any
		for _, u := range us {
			key := u.Code + "|" + string(u.ValidFrom)
			if imp, ok := inForce[key]; ok {
				u.Tags = mergeTags(u.Tags, imp)
			}
			old, ok := existing[key]
			switch {
			case !ok:
				st.Inserted++
			case sameUnit(old, u):
				st.Unchanged++
				continue
			default:
				st.Updated++
			}
			rows = append(rows, []any{u.Code, string(u.ValidFrom), string(u.ValidTo), u.Name, u.FullName, u.NameEN,
				string(u.Level), u.Type, u.ParentCode, u.Region, strings.Join(u.Tags, ";"), units.Fold(u.Name) + " | " + units.Fold(u.FullName)})
			existing[key] = u
		}
		if err := execBatch(ctx, tx, `INSERT INTO units (`+unitColumns+`, name_fold)`,
			`ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to, name = excluded.name,
			full_name = excluded.full_name, name_en = excluded.name_en, level = excluded.level,
			type = excluded.type, parent_code = excluded.parent_code, region = excluded.region,
			tags = excluded.tags, name_fold = excluded.name_fold`, rows); err != nil {
			return fmt.Errorf("units: %w", err)
		}
		if err := checkParents(us, existing); err != nil {
			return err
		}
		var before, after int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_lineage`).Scan(&before); err != nil {
			return err
		}
		seen := map[[3]string]bool{}
		var lrows [][]any
		for _, l := range lineage {
			k := [3]string{l.OldCode, l.NewCode, string(l.Effective)}
			if seen[k] {
				continue // one statement may not touch a row twice
			}
			seen[k] = true
			lrows = append(lrows, []any{l.OldCode, l.NewCode, string(l.Kind), string(l.Effective), l.Resolution, string(l.Basis)})
		}
		if err := execBatch(ctx, tx, `INSERT INTO unit_lineage (old_code, new_code, kind, effective, resolution, basis)`,
			`ON CONFLICT (old_code, new_code, effective) DO UPDATE SET kind = excluded.kind,
			resolution = excluded.resolution, basis = excluded.basis`, lrows); err != nil {
			return fmt.Errorf("lineage: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_lineage`).Scan(&after); err != nil {
			return err
		}
		st.LineageIn = after - before
		if st.Inserted+st.Updated+st.LineageIn > 0 {
			for _, kind := range []string{VersionUnits, VersionUnitTree} {
				if err := tx.Touch(ctx, kind); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return st, err
}

func sameUnit(a, b units.Unit) bool {
	return a.Code == b.Code && a.ValidFrom == b.ValidFrom && a.ValidTo == b.ValidTo && a.Name == b.Name &&
		a.FullName == b.FullName && a.NameEN == b.NameEN && a.Level == b.Level && a.Type == b.Type &&
		a.ParentCode == b.ParentCode && a.Region == b.Region && strings.Join(a.Tags, ";") == strings.Join(b.Tags, ";")
}

// parentError is the fault of a unit whose parent does not exist when the unit starts; Field
// is the unit's code.
func parentError(u units.Unit) *fault.Error {
	return fault.Newf(fault.InvalidValue, "parent %s does not exist on %s", u.ParentCode, u.ValidFrom).OnField("unit " + u.Code)
}

func checkParents(us []units.Unit, all map[string]units.Unit) error {
	byCode := map[string][]units.Unit{}
	for _, u := range all {
		byCode[u.Code] = append(byCode[u.Code], u)
	}
	for _, u := range us {
		if u.ParentCode == "" {
			if u.Level != units.LevelProvince {
				return parentError(units.Unit{Code: u.Code, ValidFrom: u.ValidFrom})
			}
			continue
		}
		found := false
		for _, p := range byCode[u.ParentCode] {
			if p.ValidOn(u.ValidFrom) && p.Level.Depth() < u.Level.Depth() {
				found = true
				break
			}
		}
		if !found {
			return parentError(u)
		}
	}
	return nil
}

const validOn = `valid_from <= $1 AND valid_to >= $1`

// levelOrder sorts units from the top of the hierarchy down.
const levelOrder = `CASE level WHEN 'province' THEN 1 WHEN 'district' THEN 2 WHEN 'commune' THEN 3 ELSE 4 END`

// Unit returns the unit with the code that exists on asOf.
func (db *DB) Unit(ctx context.Context, code string, asOf units.Date) (units.Unit, error) {
	u, err := scanUnit(db.r.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE `+validOn+` AND code = $2`, string(asOf), code))
	if errors.Is(err, sql.ErrNoRows) {
		return units.Unit{}, ErrNotFound
	}
	return u, err
}

// Children returns the units directly below parent on asOf, by code; with an empty parent,
// the provinces.
func (db *DB) Children(ctx context.Context, parent string, asOf units.Date) ([]units.Unit, error) {
	return db.fromTree(ctx, asOf, func(d *dayUnits) []units.Unit { return d.children(parent) })
}

// fromTree returns what pick takes from the unit tree of day.
func (db *DB) fromTree(ctx context.Context, day units.Date, pick func(d *dayUnits) []units.Unit) ([]units.Unit, error) {
	return readOne(ctx, db, func(tx *Tx) ([]units.Unit, error) {
		d, err := unitsOf(ctx, tx, day)
		if err != nil {
			return nil, err
		}
		return pick(d), nil
	})
}

// Ancestors returns the units above code on asOf, from its parent up to the province.
func (db *DB) Ancestors(ctx context.Context, code string, asOf units.Date) ([]units.Unit, error) {
	var out []units.Unit
	u, err := db.Unit(ctx, code, asOf)
	if err != nil {
		return nil, err
	}
	for u.ParentCode != "" && len(out) < 5 {
		p, err := db.Unit(ctx, u.ParentCode, asOf)
		if err != nil {
			return nil, fmt.Errorf("unit %s: parent %s: %w", u.Code, u.ParentCode, err)
		}
		out = append(out, p)
		u = p
	}
	return out, nil
}

// Descendants returns every unit below root on asOf (all levels), by code.
func (db *DB) Descendants(ctx context.Context, root string, asOf units.Date) ([]units.Unit, error) {
	return db.fromTree(ctx, asOf, func(d *dayUnits) []units.Unit { return d.below(root) })
}

// UnitQuery filters a unit search.
type UnitQuery struct {
	AsOf   units.Date
	Text   string // matched against names without diacritics or case, or a code prefix
	Within string // only units below this one (any depth)
	Level  units.Level
	Limit  int
}

// SearchUnits finds units by name or code on a date.
func (db *DB) SearchUnits(ctx context.Context, q UnitQuery) ([]units.Unit, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 50
	}
	args := []any{string(q.AsOf)}
	where := []string{validOn}
	if t := strings.TrimSpace(q.Text); t != "" {
		args = append(args, "%"+escapeLike(units.Fold(t))+"%", escapeLike(t)+"%")
		where = append(where, fmt.Sprintf(`(name_fold LIKE $%d ESCAPE '\' OR code LIKE $%d ESCAPE '\')`, len(args)-1, len(args)))
	}
	if q.Level != "" {
		args = append(args, string(q.Level))
		where = append(where, fmt.Sprintf("level = $%d", len(args)))
	}
	prefix := ""
	if q.Within != "" {
		args = append(args, q.Within)
		prefix = fmt.Sprintf(`WITH RECURSIVE sub(code) AS (
			SELECT code FROM units WHERE `+validOn+` AND parent_code = $%d
			UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code
			WHERE u.valid_from <= $1 AND u.valid_to >= $1) `, len(args))
		where = append(where, "code IN (SELECT code FROM sub)")
	}
	args = append(args, q.Limit)
	// Shorter names first, so "Sóc Sơn" the district comes before "Xã Sóc Sơn Mới".
	query := prefix + `SELECT ` + unitColumns + ` FROM units WHERE ` + strings.Join(where, " AND ") +
		fmt.Sprintf(` ORDER BY `+levelOrder+`, length(name), code LIMIT $%d`, len(args))
	return queryUnits(ctx, db.r, query, args...)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CountUnits counts the units of a level on a date.
func (db *DB) CountUnits(ctx context.Context, level units.Level, asOf units.Date) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE `+validOn+` AND level = $2`, string(asOf), string(level)).Scan(&n)
	return n, err
}

// Link is a unit on the other side of a lineage row.
type Link struct {
	Unit      units.Unit        `json:"unit"`
	Kind      units.LineageKind `json:"kind"`
	Effective units.Date        `json:"effective"`
}

// Successors answers "what became of code by asOf": it takes the latest version of the
// code that ended before asOf and follows the lineage, through later reorganisations too,
// to the units that exist on asOf. The result is empty when that unit had no successor.
// ErrNotFound means no version of the code ended before asOf.
func (db *DB) Successors(ctx context.Context, code string, asOf units.Date) (units.Unit, []Link, error) {
	old, err := scanUnit(db.r.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units
		WHERE code = $1 AND valid_to < $2 ORDER BY valid_to DESC LIMIT 1`, code, string(asOf)))
	if errors.Is(err, sql.ErrNoRows) {
		return units.Unit{}, nil, ErrNotFound
	}
	if err != nil {
		return units.Unit{}, nil, err
	}
	links, err := db.successorsOf(ctx, old, asOf, 0)
	return old, links, err
}

// edge is a lineage row seen from one end: the unit at the other end, the kind, the day.
type edge struct {
	code string
	kind units.LineageKind
	eff  units.Date
}

func scanEdge(row interface{ Scan(...any) error }) (edge, error) {
	var e edge
	var kind, eff string
	err := row.Scan(&e.code, &kind, &eff)
	e.kind, e.eff = units.LineageKind(kind), units.Date(eff)
	return e, err
}

// successorsOf follows lineage from u (which ended before asOf) to units valid on asOf.
func (db *DB) successorsOf(ctx context.Context, u units.Unit, asOf units.Date, depth int) ([]Link, error) {
	if depth > 5 {
		return nil, nil
	}
	next := u.ValidTo.AddDays(1)
	edges, err := queryRows(ctx, db.r, scanEdge, `SELECT new_code, kind, effective FROM unit_lineage
		WHERE old_code = $1 AND effective = $2 ORDER BY new_code`, u.Code, string(next))
	if err != nil {
		return nil, err
	}
	var out []Link
	for _, e := range edges {
		nu, err := db.Unit(ctx, e.code, e.eff)
		if errors.Is(err, ErrNotFound) {
			continue // lineage names a unit the database does not hold
		}
		if err != nil {
			return nil, err
		}
		if nu.ValidOn(asOf) {
			out = append(out, Link{Unit: nu, Kind: e.kind, Effective: e.eff})
			continue
		}
		if nu.ValidTo < asOf {
			more, err := db.successorsOf(ctx, nu, asOf, depth+1)
			if err != nil {
				return nil, err
			}
			for _, m := range more {
				if e.kind == units.LineagePartial {
					m.Kind = units.LineagePartial
				}
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// Predecessors returns the units that the unit with code on asOf was formed from, by the
// lineage that took effect when it started.
func (db *DB) Predecessors(ctx context.Context, code string, asOf units.Date) (units.Unit, []Link, error) {
	u, err := db.Unit(ctx, code, asOf)
	if err != nil {
		return units.Unit{}, nil, err
	}
	links, err := db.linksInto(ctx, u)
	return u, links, err
}

func (db *DB) linksInto(ctx context.Context, u units.Unit) ([]Link, error) {
	edges, err := queryRows(ctx, db.r, scanEdge, `SELECT old_code, kind, effective FROM unit_lineage
		WHERE new_code = $1 AND effective = $2 ORDER BY old_code`, u.Code, string(u.ValidFrom))
	if err != nil {
		return nil, err
	}
	var out []Link
	for _, e := range edges {
		day := e.eff.AddDays(-1)
		old, err := db.Unit(ctx, e.code, day)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Link{Unit: old, Kind: e.kind, Effective: e.eff})
	}
	return out, nil
}

// NextLinks returns, for a unit that ended, the units that took it over the day after it ended.
func (db *DB) NextLinks(ctx context.Context, u units.Unit) ([]Link, error) {
	if u.ValidTo == units.Forever {
		return nil, nil
	}
	return db.successorsOf(ctx, u, u.ValidTo.AddDays(1), 0)
}

// PrevLinks returns the units that u was formed from.
func (db *DB) PrevLinks(ctx context.Context, u units.Unit) ([]Link, error) {
	return db.linksInto(ctx, u)
}
