package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/ntm-vn/ntm/internal/units"
)

// scopeCache keeps the scope of each home unit (scopeCTE's spans, by code) while the units
// and their lineage stay as they were (VersionUnitTree: importing commune groups, which
// changes only the units' tags, keeps every scope) and the day is the same: the scope
// query costs milliseconds (tens on PostgreSQL), and every unit-scoped request asks it —
// some several times in one transaction (an OCOP council's members, each council that
// might hold a product).
type scopeCache struct {
	mu    sync.Mutex
	byKey map[string]scopeEntry // home|today
	calls singleflight.Group
}

type scopeEntry struct {
	version int64
	spans   map[string][]span
}

// maxScopes bounds the cache: there is one entry per home unit of a signed-in user.
const maxScopes = 4096

// unitsVersion is the version of the units and lineage, tags aside (0 before any were
// imported), as q (the database or a transaction) sees it.
func unitsVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT version FROM data_versions WHERE name = $1`, VersionUnitTree).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// spansOf returns home's scope by unit code, from the cache while the units are unchanged.
// Callers must not change the map or its slices.
func (db *DB) spansOf(ctx context.Context, home string) (map[string][]span, error) {
	v, err := unitsVersion(ctx, db.r)
	if err != nil {
		return nil, err
	}
	return db.scopes.get(home, v, func() ([]span, error) { return db.scopeSpans(ctx, home) })
}

// spansOf is DB.spansOf inside the transaction: the version, and on a miss the scope, are
// read in tx. tx must not have changed the units: the cache would keep what it may roll back.
func (tx *Tx) spansOf(ctx context.Context, home string) (map[string][]span, error) {
	v, err := unitsVersion(ctx, tx)
	if err != nil {
		return nil, err
	}
	return tx.db.scopes.get(home, v, func() ([]span, error) { return tx.scopeSpans(ctx, home) })
}

// get returns home's scope at version v of the units, reading it with read when the cache
// holds another version (or none).
func (c *scopeCache) get(home string, v int64, read func() ([]span, error)) (map[string][]span, error) {
	key := home + "|" + string(units.Today())
	c.mu.Lock()
	e, ok := c.byKey[key]
	c.mu.Unlock()
	if ok && e.version == v {
		return e.spans, nil
	}
	// A reader at a newer version does not wait for (and take) an older version's answer.
	res, err, _ := c.calls.Do(key+"|"+strconv.FormatInt(v, 10), func() (any, error) {
		list, err := read()
		if err != nil {
			return nil, err
		}
		m := map[string][]span{}
		for _, s := range list {
			m[s.code] = append(m[s.code], s)
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.byKey == nil || len(c.byKey) >= maxScopes {
			c.byKey = map[string]scopeEntry{}
		}
		c.byKey[key] = scopeEntry{version: v, spans: m}
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return res.(map[string][]span), nil
}
