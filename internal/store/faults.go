package store

import "github.com/ntm-vn/ntm/internal/fault"

// The store's faults (internal/fault) carry what the user should see instead: the record as
// stored now (a conflict), or the id of the one that exists.

// ExistingID returns the id of the record that exists, when err is an Exists fault.
func ExistingID(err error) (int64, bool) {
	f, ok := fault.As(err)
	if !ok || f.Code != fault.Exists {
		return 0, false
	}
	id, ok := f.Current.(int64)
	return id, ok
}
