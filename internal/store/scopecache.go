package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/ntm-vn/ntm/internal/units"
)

// scopeCache keeps the scope of each home unit (scopeCTE's spans, by code) while the units
// and their lineage stay as they were (VersionUnits) and the day is the same: the scope
// query costs milliseconds (tens on PostgreSQL), and every unit-scoped request asks it.
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

// unitsVersion is the version of the units and lineage (0 before any were imported).
func (db *DB) unitsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, `SELECT version FROM data_versions WHERE name = $1`, VersionUnits).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// spansOf returns home's scope by unit code, from the cache while the units are unchanged.
// Callers must not change the map or its slices.
func (db *DB) spansOf(ctx context.Context, home string) (map[string][]span, error) {
	v, err := db.unitsVersion(ctx)
	if err != nil {
		return nil, err
	}
	key := home + "|" + string(units.Today())
	c := &db.scopes
	c.mu.Lock()
	e, ok := c.byKey[key]
	c.mu.Unlock()
	if ok && e.version == v {
		return e.spans, nil
	}
	res, err, _ := c.calls.Do(key, func() (any, error) {
		list, err := db.scopeSpans(ctx, home)
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
