package store

import "github.com/ntm-vn/ntm/internal/fault"

// The store's own error types, read as faults (internal/fault) so that every interface
// answers them from its one table. Each carries what the user should see instead: the record
// as stored now (a conflict), or the id of the one that exists.

// Fault: the assessment exists; the answer carries its id.
func (e *ExistsError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Exists, Text: e.Error(), Current: e.ID, Err: e}
}

// Fault: the OCOP record changed since it was read.
func (e *OCOPConflictError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Conflict, Text: e.Error(), Err: e}
}

// Fault: the OCOP record is registered already; the answer carries its id.
func (e *OCOPExistsError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Exists, Text: e.Error(), Current: e.ID, Err: e}
}

// Fault: the dossier left the step the action was for; the answer carries it as stored.
func (e *StepConflictError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Conflict, Text: e.Error(), Current: e.Dossier, Err: e}
}

// Fault: an open dossier exists for the unit and tier; the answer carries its id.
func (e *DossierExistsError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Exists, Text: e.Error(), Current: e.ID, Err: e}
}

// Fault: the scenario was saved since it was read; the answer carries it as stored.
func (e *ScenarioConflictError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Conflict, Text: e.Error(), Current: e.Current, Err: e}
}

// Fault: a scenario of that name exists; the answer carries its id.
func (e *ScenarioExistsError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Exists, Text: e.Error(), Current: e.ID, Err: e}
}

// Fault: the profile or draft changed since it was read (the caller adds it as stored).
func (e *VersionConflictError) Fault() *fault.Error {
	return &fault.Error{Code: fault.Conflict, Text: e.Error(), Err: e}
}
