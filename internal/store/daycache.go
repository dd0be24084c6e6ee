package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"sync"

	"github.com/ntm-vn/ntm/internal/memo"
	"github.com/ntm-vn/ntm/internal/units"
)

// dayUnits is the unit tree of a day: every unit valid on it, by code, and each unit's
// children. Read-only once built.
type dayUnits struct {
	byCode map[string]int // index in all
	all    []units.Unit   // by code
	kids   map[string][]int
}

// dayCache keeps what is built from the units of a few recent days under the units version:
// the unit tree of a day (reading the country's 10,000 units costs tens of milliseconds, and
// every progress figure not in the cache and every list below a unit needs the units below
// it), and the index that places rows of past units (pastIndex).
type dayCache[T any] struct {
	once sync.Once
	lru  *memo.LRU[T]
}

// get returns what build makes of day, built at most once per day and version of the units
// (read in tx, so it matches what tx sees).
func (c *dayCache[T]) get(ctx context.Context, tx *Tx, day units.Date, build func() (T, error)) (T, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `SELECT version FROM data_versions WHERE name = $1`, VersionUnits).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		var zero T
		return zero, err
	}
	c.once.Do(func() { c.lru = memo.New[T](4) })
	return c.lru.Do(strconv.FormatInt(v, 10)+"|"+string(day), build)
}

// unitsOf returns the unit tree of day.
func unitsOf(ctx context.Context, tx *Tx, day units.Date) (*dayUnits, error) {
	return tx.db.days.get(ctx, tx, day, func() (*dayUnits, error) {
		all, err := queryUnits(ctx, tx, `SELECT `+unitColumns+` FROM units WHERE `+validOn+` ORDER BY code`, string(day))
		if err != nil {
			return nil, err
		}
		d := &dayUnits{byCode: make(map[string]int, len(all)), all: all, kids: map[string][]int{}}
		for i, u := range all {
			d.byCode[u.Code] = i
			d.kids[u.ParentCode] = append(d.kids[u.ParentCode], i)
		}
		return d, nil
	})
}

// below returns a copy of the units below root ("": below the top, the provinces) on the
// tree's day, by code; nil when there are none, as a query would.
func (d *dayUnits) below(root string) []units.Unit {
	var in []int
	for next := []string{root}; len(next) > 0; {
		code := next[len(next)-1]
		next = next[:len(next)-1]
		for _, i := range d.kids[code] {
			in = append(in, i)
			next = append(next, d.all[i].Code)
		}
	}
	if len(in) == 0 {
		return nil
	}
	slices.Sort(in) // all is by code
	out := make([]units.Unit, len(in))
	for k, i := range in {
		out[k] = d.all[i]
	}
	return out
}

// children returns a copy of the units directly below parent on the tree's day, by code;
// with an empty parent, the provinces.
func (d *dayUnits) children(parent string) []units.Unit {
	var out []units.Unit
	if parent == "" {
		for _, u := range d.all {
			if u.Level == units.LevelProvince {
				out = append(out, u)
			}
		}
		return out
	}
	for _, i := range d.kids[parent] { // in code order, as all
		out = append(out, d.all[i])
	}
	return out
}

// unit returns the unit valid on the tree's day with code.
func (d *dayUnits) unit(code string) (units.Unit, bool) {
	i, ok := d.byCode[code]
	if !ok {
		return units.Unit{}, false
	}
	return d.all[i], true
}
