package memo

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestLRU_DropsTheLeastRecentlyUsed(t *testing.T) {
	c := New[int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Get("a")
	c.Put("c", 3)
	if _, ok := c.Get("b"); ok {
		t.Error("b was the least recently used and is still kept")
	}
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Errorf("a = %v %v", v, ok)
	}
}

// Fifty callers missing the same key together run one computation; errors are not kept.
func TestLRU_DoComputesOncePerMissingKey(t *testing.T) {
	c := New[string](4)
	var runs atomic.Int32
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			v, err := c.Do("k", func() (string, error) {
				runs.Add(1)
				return "v", nil
			})
			if err != nil || v != "v" {
				t.Errorf("Do = %q %v", v, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d computations for one key", n)
	}
	if _, err := c.Do("e", func() (string, error) { return "", errors.New("boom") }); err == nil {
		t.Fatal("error lost")
	}
	if v, err := c.Do("e", func() (string, error) { return "ok", nil }); err != nil || v != "ok" {
		t.Errorf("an error was kept: %q %v", v, err)
	}
}
