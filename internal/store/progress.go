package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/units"
)

// ProgressQuery asks for the standing of the units below Root against a criteria set.
type ProgressQuery struct {
	Root         string      // a unit code; "" for the whole country
	SetID        string      // the criteria set
	Level        units.Level // the level the set applies to
	RuralOnly    bool        // only xã (commune sets do not assess wards and townlets)
	AsOf         units.Date  // the latest assessment whose period ends on or before this day
	ApprovedOnly bool        // count only approved assessments
	Codes        []string    // also load these indicators' numeric values (for indicator:<code> metrics)
}

// ProgressEntries returns, for every unit below q.Root on q.AsOf that the set applies to, its
// latest assessment (and the one before it), ready for progress.Rollup, and the root's
// direct children (to name the children figures).
func (db *DB) ProgressEntries(ctx context.Context, q ProgressQuery) (root progress.Unit, children []progress.Unit, entries []progress.Entry, err error) {
	err = db.Read(ctx, func(tx *Tx) error {
		var all []units.Unit
		var err error
		if root, all, err = progressUnits(ctx, tx, q); err != nil {
			return err
		}
		var index map[string]int
		children, entries, index = progressEntriesOf(all, q)
		if len(entries) == 0 {
			return nil
		}
		latest, err := latestAssessments(ctx, tx, q, index, entries)
		if err != nil {
			return err
		}
		if err := markRecognized(ctx, tx, q, entries); err != nil {
			return err
		}
		if len(q.Codes) == 0 || len(latest) == 0 {
			return nil
		}
		return loadEntryValues(ctx, tx, q, latest, entries)
	})
	return root, children, entries, err
}

// progressUnits reads the root (named "Cả nước" for the country) and every unit below it on
// q.AsOf, by code.
func progressUnits(ctx context.Context, tx *Tx, q ProgressQuery) (progress.Unit, []units.Unit, error) {
	d, err := unitsOf(ctx, tx, q.AsOf)
	if err != nil {
		return progress.Unit{}, nil, err
	}
	if q.Root == "" {
		return progress.Unit{Code: "", Name: "Cả nước"}, slices.Clone(d.all), nil
	}
	ru, ok := d.unit(q.Root)
	if !ok {
		return progress.Unit{}, nil, ErrNotFound
	}
	return progress.Unit{Code: ru.Code, Name: ru.FullName}, d.below(q.Root), nil
}

// progressEntriesOf makes an entry (not assessed yet) for each unit of all the set applies
// to, with its path below q.Root, and names the root's children that hold any; index maps a
// unit's code to its entry.
func progressEntriesOf(all []units.Unit, q ProgressQuery) (children []progress.Unit, entries []progress.Entry, index map[string]int) {
	parent := make(map[string]string, len(all))
	for _, u := range all {
		parent[u.Code] = u.ParentCode
		if u.ParentCode == q.Root {
			children = append(children, progress.Unit{Code: u.Code, Name: u.FullName, Path: []string{q.Root}})
		}
	}
	path := func(code string) []string {
		var p []string
		for c := parent[code]; c != "" && c != q.Root; c = parent[c] {
			p = append(p, c)
		}
		p = append(p, q.Root)
		for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
		return p
	}
	index = map[string]int{}
	for _, u := range all {
		if u.Level != q.Level || (q.RuralOnly && !u.IsRuralCommune()) {
			continue
		}
		index[u.Code] = len(entries)
		entries = append(entries, progress.Entry{Unit: progress.Unit{Code: u.Code, Name: u.FullName, Path: path(u.Code)}})
	}
	// Children figures only for the children that hold units the set applies to (a
	// province's wards hold no xã).
	holds := map[string]bool{}
	for _, e := range entries {
		holds[e.Unit.Code] = true
		for _, c := range e.Unit.Path {
			holds[c] = true
		}
	}
	kept := children[:0]
	for _, c := range children {
		if holds[c.Code] {
			kept = append(kept, c)
		}
	}
	return kept, entries, index
}

// latestAssessments fills entries with each unit's two latest assessments ending on or before
// the day: the latest by end, the longer period first when two end together (the annual
// result is the official one), then the newest. When only approved assessments count, it
// also sets Pending on the entries whose latest assessment of any status is not approved
// (the figures still on their way). One ranking does both: a unit's assessments are
// numbered in order, and a running count numbers those that count. Below a unit, only the
// assessments of the units below it are ranked (through the index on unit_code, set_id,
// period_end), not the country's. It returns the latest assessments' ids with their entry,
// for loading values.
func latestAssessments(ctx context.Context, tx *Tx, q ProgressQuery, index map[string]int, entries []progress.Entry) (map[int64]int, error) {
	counts, pending := `a.eval_at IS NOT NULL`, ``
	if q.ApprovedOnly {
		counts = `(a.eval_at IS NOT NULL AND a.status = 'approved')`
		pending = ` OR (rn_any = 1 AND status <> 'approved')`
	}
	// Both windows alike, so that the engine sorts once.
	const window = `OVER (PARTITION BY a.unit_code ORDER BY a.period_end DESC, a.period_start ASC, a.id DESC
		ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`
	args, sub, below := rankedBelow(q)
	rows, err := tx.QueryContext(ctx, sub+`SELECT id, unit_code, period, status, eval_met, eval_criteria, eval_criteria_total,
			eval_indicators_met, eval_indicators_total, rn FROM (
			SELECT a.id, a.unit_code, a.period, a.status, a.eval_met, a.eval_criteria, a.eval_criteria_total,
				a.eval_indicators_met, a.eval_indicators_total, `+counts+` AS counts,
				SUM(CASE WHEN `+counts+` THEN 1 ELSE 0 END) `+window+` AS rn,
				ROW_NUMBER() `+window+` AS rn_any
			FROM assessments a JOIN units u ON u.code = a.unit_code AND u.valid_from = a.unit_from
			WHERE a.set_id = $1 AND a.period_end <= $2 AND u.valid_from <= $2 AND u.valid_to >= $2`+below+`) ranked
		WHERE (counts AND rn <= 2)`+pending, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	latest := map[int64]int{}
	for rows.Next() {
		var id int64
		var code, period, st, list string
		var met sql.NullBool // a pending assessment may not be evaluated yet
		var ct, im, it sql.NullInt64
		var rn int
		if err := rows.Scan(&id, &code, &period, &st, &met, &list, &ct, &im, &it, &rn); err != nil {
			return nil, err
		}
		i, ok := index[code]
		if !ok {
			continue // a unit outside the root, or of another level
		}
		if q.ApprovedOnly && st != "approved" {
			entries[i].Pending = st // the unit's latest assessment, on its way
			continue
		}
		e := progress.Entry{Unit: entries[i].Unit, Assessed: true, Period: period, Status: st, CriteriaMet: parseInts(list),
			CriteriaTotal: int(ct.Int64), IndicatorsMet: int(im.Int64), IndicatorsTotal: int(it.Int64), Met: met.Bool}
		if rn == 1 {
			prev, pending := entries[i].Previous, entries[i].Pending
			entries[i] = e
			entries[i].Previous, entries[i].Pending = prev, pending
			latest[id] = i
		} else {
			entries[i].Previous = &e
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // before the next query: a transaction has one connection
	return latest, nil
}

// rankedBelow restricts the ranking of assessments to the units below q.Root (none for the
// country): the arguments $1 set and $2 day (and $3 root), a WITH prefix and a condition
// on a.unit_code, so that a province's figures cost its units, not the country's.
func rankedBelow(q ProgressQuery) (args []any, sub, below string) {
	args = []any{q.SetID, string(q.AsOf)}
	if q.Root == "" {
		return args, "", ""
	}
	return append(args, q.Root), `WITH RECURSIVE sub(code) AS (
			SELECT code FROM units WHERE valid_from <= $2 AND valid_to >= $2 AND parent_code = $3
			UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code
			WHERE u.valid_from <= $2 AND u.valid_to >= $2) `, ` AND a.unit_code IN (SELECT code FROM sub)`
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// loadEntryValues adds the numeric values of q.Codes of the latest assessments to entries.
func loadEntryValues(ctx context.Context, tx *Tx, q ProgressQuery, latest map[int64]int, entries []progress.Entry) error {
	args := []any{q.SetID, string(q.AsOf)}
	var ph []string
	for _, c := range q.Codes {
		args = append(args, c)
		ph = append(ph, fmt.Sprintf("$%d", len(args)))
	}
	rows, err := tx.QueryContext(ctx, `SELECT v.assessment_id, v.code, v.value FROM assessment_values v
		JOIN assessments a ON a.id = v.assessment_id
		WHERE a.set_id = $1 AND a.period_end <= $2 AND v.code IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code, text string
		if err := rows.Scan(&id, &code, &text); err != nil {
			return err
		}
		i, ok := latest[id]
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			continue // a yes/no or a grade has no average
		}
		if entries[i].Values == nil {
			entries[i].Values = map[string]float64{}
		}
		entries[i].Values[code] = f
	}
	return rows.Err()
}
