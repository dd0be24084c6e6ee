package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/units"
)

// UnitTag is one stored row of a province's decision tagging a unit (unit_tags).
type UnitTag struct {
	UnitCode      string     `json:"unit_code"`
	UnitValidFrom units.Date `json:"unit_valid_from"`
	Tag           string     `json:"tag"`
	Decision      string     `json:"decision"`
	Decided       units.Date `json:"decided"`
	ValidFrom     units.Date `json:"valid_from"`
	Source        string     `json:"source"`
	ImportedBy    string     `json:"imported_by"`
	ImportedAt    string     `json:"imported_at"`
}

// UnitTagStats says what a tags import did.
type UnitTagStats struct {
	Rows      int `json:"rows"`      // rows in the file
	New       int `json:"new"`       // rows not stored before
	Unchanged int `json:"unchanged"` // rows already stored
	Units     int `json:"units"`     // units whose tags in force changed
	Pending   int `json:"pending"`   // rows whose day of effect is after today
}

// ImportUnitTags stores a province's decision rows (all or nothing: a row naming a unit that
// is not a commune or a village on its day of effect refuses the whole file, every such row
// named; villages, thôn, have lists of their own such as thôn đặc biệt khó khăn) and
// recomputes the tags in force of the units concerned as of today: every list the unit is on
// from a day not after today, and of the commune groups the one of the latest decision.
// Importing the same file twice changes nothing.
func (db *DB) ImportUnitTags(ctx context.Context, rows []units.TagAssignment, source, actor string, today units.Date) (UnitTagStats, error) {
	st := UnitTagStats{Rows: len(rows)}
	err := db.Write(ctx, func(tx *Tx) error {
		st = UnitTagStats{Rows: len(rows)}
		var ps []units.TagProblem
		keys := map[[2]string]bool{}
		now := time.Now().UTC().Format(time.RFC3339)
		for _, r := range rows {
			var from, level string
			err := tx.QueryRowContext(ctx, `SELECT valid_from, level FROM units WHERE `+validOn+` AND code = $2`,
				string(r.ValidFrom), r.UnitCode).Scan(&from, &level)
			if err != nil {
				ps = append(ps, units.TagProblem{Line: r.Line, Column: "unit_code",
					VI: fmt.Sprintf("không có đơn vị mã %s vào ngày %s", r.UnitCode, r.ValidFrom)})
				continue
			}
			if level != string(units.LevelCommune) && level != string(units.LevelVillage) {
				ps = append(ps, units.TagProblem{Line: r.Line, Column: "unit_code",
					VI: fmt.Sprintf("đơn vị %s không phải là cấp xã hoặc thôn (%s)", r.UnitCode, level)})
				continue
			}
			if r.ValidFrom > today {
				st.Pending++
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO unit_tags (unit_code, unit_valid_from, tag, decision, decided,
				valid_from, source, imported_by, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				ON CONFLICT (unit_code, unit_valid_from, tag, valid_from) DO NOTHING`,
				r.UnitCode, from, r.Tag, r.Decision, string(r.Decided), string(r.ValidFrom), source, actor, now)
			if err != nil {
				return fmt.Errorf("unit_tags: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				st.New++
				keys[[2]string{r.UnitCode, from}] = true
			} else {
				st.Unchanged++
			}
		}
		if len(ps) > 0 {
			return units.TagFileFault(source, ps)
		}
		inForce, err := tagsInForce(ctx, tx, today)
		if err != nil {
			return err
		}
		for k := range keys {
			var cur string
			if err := tx.QueryRowContext(ctx, `SELECT tags FROM units WHERE code = $1 AND valid_from = $2`, k[0], k[1]).Scan(&cur); err != nil {
				return err
			}
			var base []string
			if cur != "" {
				base = strings.Split(cur, ";")
			}
			next := strings.Join(mergeTags(base, inForce[k[0]+"|"+k[1]]), ";")
			if next == cur {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE units SET tags = $1 WHERE code = $2 AND valid_from = $3`, next, k[0], k[1]); err != nil {
				return err
			}
			st.Units++
		}
		if st.New > 0 {
			if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "import", Entity: "unit_tags", EntityID: source,
				Detail: fmt.Sprintf("%d dòng mới, %d đơn vị đổi nhãn", st.New, st.Units)}); err != nil {
				return err
			}
		}
		if st.Units > 0 {
			return tx.Touch(ctx, VersionUnits)
		}
		return nil
	})
	return st, err
}

// tagsInForce gives, per unit row (code|valid_from), the imported tags in force on day: every
// list tag from a day not after it, and of the group tags the latest (by day of effect, then
// decision date).
func tagsInForce(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, day units.Date) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit_code, unit_valid_from, tag FROM unit_tags WHERE valid_from <= $1
		ORDER BY unit_code, unit_valid_from, valid_from, decided, id`, string(day))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	lists := map[string][]string{}
	group := map[string]string{}
	for rows.Next() {
		var code, from, tag string
		if err := rows.Scan(&code, &from, &tag); err != nil {
			return nil, err
		}
		k := code + "|" + from
		if units.IsGroupTag(tag) {
			group[k] = tag // ordered by day of effect: the latest wins
			continue
		}
		if !containsTag(lists[k], tag) {
			lists[k] = append(lists[k], tag)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k, g := range group {
		lists[k] = append(lists[k], g)
	}
	return lists, nil
}

func containsTag(ts []string, t string) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// UnitTags lists the stored decision rows of a unit code (every validity of the code), oldest
// day of effect first.
func (db *DB) UnitTags(ctx context.Context, code string) ([]UnitTag, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT unit_code, unit_valid_from, tag, decision, decided, valid_from, source,
		imported_by, imported_at FROM unit_tags WHERE unit_code = $1 ORDER BY valid_from, decided, id`, code)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, func(r interface{ Scan(...any) error }) (UnitTag, error) {
		var t UnitTag
		var uf, dec, vf string
		err := r.Scan(&t.UnitCode, &uf, &t.Tag, &t.Decision, &dec, &vf, &t.Source, &t.ImportedBy, &t.ImportedAt)
		t.UnitValidFrom, t.Decided, t.ValidFrom = units.Date(uf), units.Date(dec), units.Date(vf)
		return t, err
	})
}

// mergeTags keeps the unit's own tags that no decision gives and adds those in force.
func mergeTags(base, imported []string) []string {
	var out []string
	for _, t := range base {
		if _, known := units.LookupTag(t); !known {
			out = append(out, t)
		}
	}
	out = append(out, imported...)
	sort.Strings(out)
	return out
}
