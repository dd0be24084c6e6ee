package rollup

import (
	"container/list"
	"context"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The caches keep recent figures of this process. An entry is good while the database's
// data version (store.DataVersion: bumped by every write to assessments, units,
// recognitions and the registers, by any process) and the criteria set are the ones it was
// computed under, so several server processes sharing one database never serve a stale
// figure. Identical requests that miss together compute once (singleflight).
var (
	cache     = newLRU[Progress](128)
	regsCache = newLRU[RegisterFigures](256)
)

// lru is a least-recently-used map of computed figures with one computation per missing key.
type lru[T any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry[T], most recent first
	byKey map[string]*list.Element
	calls singleflight.Group
}

type cacheEntry[T any] struct {
	key string
	val T
}

func newLRU[T any](max int) *lru[T] {
	return &lru[T]{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *lru[T]) get(key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry[T]).val, true
	}
	var zero T
	return zero, false
}

func (c *lru[T]) put(key string, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value.(*cacheEntry[T]).val = v
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry[T]{key, v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry[T]).key)
	}
}

// do returns the value cached under key, or computes it once however many callers ask for
// it together, and keeps it. Errors are not kept.
func (c *lru[T]) do(key string, compute func() (T, error)) (T, error) {
	if v, ok := c.get(key); ok {
		return v, nil
	}
	v, err, _ := c.calls.Do(key, func() (any, error) {
		if v, ok := c.get(key); ok {
			return v, nil
		}
		v, err := compute()
		if err != nil {
			return v, err
		}
		c.put(key, v)
		return v, nil
	})
	return v.(T), err
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
	return cache.do(db.DSN()+"|"+cacheKey(version, set, unit, day, approvedOnly, codes), compute)
}

// cachedRegisters is cachedProgress for the registers' figures.
func cachedRegisters(ctx context.Context, db *store.DB, unit string, day units.Date, want int,
	compute func() (RegisterFigures, error)) (RegisterFigures, error) {
	version, err := db.DataVersion(ctx)
	if err != nil {
		return RegisterFigures{}, err
	}
	return regsCache.do(strings.Join([]string{version, db.DSN(), unit, string(day), strconv.Itoa(want)}, "|"), compute)
}
