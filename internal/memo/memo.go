// Package memo keeps computed values in memory: a least-recently-used map of bounded size
// where identical requests that miss together compute once (singleflight). Callers put
// whatever makes a value stale (a data version) in its key.
package memo

import (
	"container/list"
	"sync"

	"golang.org/x/sync/singleflight"
)

// LRU holds at most max values of type T by key.
type LRU[T any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *entry[T], most recent first
	byKey map[string]*list.Element
	calls singleflight.Group
}

type entry[T any] struct {
	key string
	val T
}

// New returns an empty LRU holding at most max values.
func New[T any](max int) *LRU[T] {
	return &LRU[T]{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// Get returns the value kept under key.
func (c *LRU[T]) Get(key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*entry[T]).val, true
	}
	var zero T
	return zero, false
}

// Put keeps v under key, dropping the least recently used value when full.
func (c *LRU[T]) Put(key string, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value.(*entry[T]).val = v
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&entry[T]{key, v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*entry[T]).key)
	}
}

// Do returns the value kept under key, or computes it once however many callers ask for it
// together, and keeps it. Errors are returned to every waiting caller and not kept.
func (c *LRU[T]) Do(key string, compute func() (T, error)) (T, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err, _ := c.calls.Do(key, func() (any, error) {
		if v, ok := c.Get(key); ok {
			return v, nil
		}
		v, err := compute()
		if err != nil {
			return v, err
		}
		c.Put(key, v)
		return v, nil
	})
	return v.(T), err
}
