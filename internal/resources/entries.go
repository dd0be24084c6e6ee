package resources

import (
	"time"

	"github.com/ntm-vn/ntm/internal/units"
)

// The entries of the registers as they are stored and read: what was entered (Funding,
// Work, Model, Meeting, Task), the unit version it is about, who changed it, where it counts
// in a list, and the figures computed from it (Compute). The store scans into them and adds
// nothing.

// Placement is where an entry counts in a list or roll-up: the unit valid on the day it
// counts under and the root's direct child that holds it ("" when it is on the root itself).
type Placement struct {
	Under string `json:"counted_under,omitempty"`
	Child string `json:"child,omitempty"`
}

// RowStamp is who created and last changed an entry, and when.
type RowStamp struct {
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// OnUnit is what an entry of a unit and a level (a model, a tally, a unit's own figure)
// carries as stored: the version of its unit (the day it began, its name and level), where it
// counts in a list, and who changed it.
type OnUnit struct {
	UnitFrom  units.Date  `json:"unit_valid_from"`
	UnitName  string      `json:"unit_name"`
	UnitLevel units.Level `json:"unit_level"`
	Placement
	RowStamp
}

// FundingEntry is a unit's funding of a year as stored, with the check of its reported total.
type FundingEntry struct {
	ID int64 `json:"id"`
	Funding
	UnitFrom units.Date `json:"unit_valid_from"`
	UnitName string     `json:"unit_name"`
	Total    Fixed      `json:"total"` // the sum of the parts
	Check    TotalCheck `json:"check"`
	Placement
	RowStamp
}

// Compute sets the check of the reported total and the sum of the parts.
func (f *FundingEntry) Compute() {
	if f.Parts == nil {
		f.Parts = map[string]Fixed{}
	}
	f.Check = f.Funding.Check()
	f.Total = f.Check.Sum
}

// WorkEntry is a work as stored, with its disbursements and its disbursement rate (all
// disbursements recorded).
type WorkEntry struct {
	ID int64 `json:"id"`
	Work
	UnitFrom      units.Date     `json:"unit_valid_from"`
	UnitName      string         `json:"unit_name"`
	Disbursements []Disbursement `json:"disbursements"`
	Planned       Fixed          `json:"planned"`
	Disbursed     Fixed          `json:"disbursed"`
	Rate          *float64       `json:"disbursement_pct"`
	Placement
	RowStamp
}

// Compute sets the planned budget, the amount disbursed and the disbursement rate.
func (w *WorkEntry) Compute() {
	if w.Budget == nil {
		w.Budget = map[string]Fixed{}
	}
	if w.Disbursements == nil {
		w.Disbursements = []Disbursement{}
	}
	w.Planned = w.Work.Planned()
	w.Disbursed = Disbursed(w.Disbursements, units.Forever)
	w.Rate = nil
	if r, ok := DisbursementRate(w.Disbursed, w.Planned); ok {
		w.Rate = &r
	}
}

// Record is the work as roll-ups take it.
func (w WorkEntry) Record() WorkRecord {
	return WorkRecord{Work: w.Work, Disbursements: w.Disbursements}
}

// ModelEntry is a model as stored.
type ModelEntry struct {
	ID int64 `json:"id"`
	Model
	OnUnit
}

// MeetingEntry is a steering committee's meeting as stored, with the number of its tasks.
type MeetingEntry struct {
	ID int64 `json:"id"`
	Meeting
	UnitFrom units.Date `json:"unit_valid_from"`
	UnitName string     `json:"unit_name"`
	Tasks    int        `json:"tasks"`
	Placement
	RowStamp
}

// TaskNote is a progress note on a task.
type TaskNote struct {
	ID        int64      `json:"id"`
	Day       units.Date `json:"day"`
	Note      string     `json:"note"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

// TaskEntry is a steering task as stored, with its notes and whether it is overdue on the
// day it was read for (today, or a list's day).
type TaskEntry struct {
	ID int64 `json:"id"`
	Task
	UnitFrom    units.Date `json:"unit_valid_from"`
	UnitName    string     `json:"unit_name"`
	OwnerFrom   units.Date `json:"owner_valid_from,omitempty"`
	OwnerName   string     `json:"owner_name"` // the department, or the owner unit's full name
	MeetingDay  units.Date `json:"meeting_day,omitempty"`
	Notes       []TaskNote `json:"notes"`
	Overdue     bool       `json:"overdue"`
	DaysOverdue int        `json:"days_overdue"`
	// OwnerPlace is where the owner unit counts in a list (empty for a department).
	OwnerPlace Placement `json:"owner_place"`
	Placement
	RowStamp
}

// Compute sets whether the task is overdue on day, and by how many days.
func (t *TaskEntry) Compute(day units.Date) {
	if t.OwnerKind == OwnerDepartment {
		t.OwnerName = t.Owner
	}
	t.Overdue, t.DaysOverdue = t.Task.Overdue(day), t.Task.DaysOverdue(day)
}
