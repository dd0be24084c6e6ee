package rollup

import (
	"container/list"
	"context"
	"strings"
	"sync"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// cache keeps recent progress reports of this process. An entry is good while the
// database's data version (store.DataVersion: bumped by every write to assessments, units
// and recognitions, by any process) and the criteria set are the ones it was computed
// under, so several server processes sharing one database never serve a stale figure.
var cache = newLRU(128)

type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recent first
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key string
	val Progress
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *lru) get(key string) (Progress, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry).val, true
	}
	return Progress{}, false
}

func (c *lru) put(key string, v Progress) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value.(*cacheEntry).val = v
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key, v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}

// cacheKey names a progress request under a data version. The set is named by its pointer's
// content through its id and file stamp: an imported version of a set is a new *Set, and
// the data version changes with the re-evaluation an import causes.
func cacheKey(version string, set *criteria.Set, unit string, day units.Date, approvedOnly bool, codes []string) string {
	a := "0"
	if approvedOnly {
		a = "1"
	}
	return strings.Join([]string{version, set.ID, set.File, unit, string(day), a, strings.Join(codes, ",")}, "|")
}

// cachedProgress returns the cached report for the request, computing it when the cache has
// none under the current data version.
func cachedProgress(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool, codes []string,
	compute func() (Progress, error)) (Progress, error) {
	version, err := db.DataVersion(ctx)
	if err != nil {
		return Progress{}, err
	}
	key := cacheKey(version, set, unit, day, approvedOnly, codes)
	if p, ok := cache.get(key); ok {
		return p, nil
	}
	p, err := compute()
	if err != nil {
		return p, err
	}
	cache.put(key, p)
	return p, nil
}
