package store

import "github.com/ntm-vn/ntm/internal/fault"

// The store's own error types, read as faults (internal/fault) so that every interface
// answers them from its one table. Each carries what the user should see instead: the record
// as stored now (a conflict), or the id of the one that exists.

// Fault: the assessment exists; the answer carries its id.
func (e *ExistsError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Exists, Text: e.Error(), Current: e.ID, Err: e}
}

// ExistingID returns the id of the record that exists, when err is an Exists fault.
func ExistingID(err error) (int64, bool) {
	f, ok := fault.As(err)
	if !ok || f.Code != fault.Exists {
		return 0, false
	}
	id, ok := f.Current.(int64)
	return id, ok
}
