package report

import "github.com/ntm-vn/ntm/internal/units"

// The optional sections of a bulletin: each comes from a register of its own (recognition,
// OCOP, models, funding, tasks), is filled by a function in sectionFillers when that register
// exists, and stays nil — left out of the text, never written as a placeholder — when it does
// not or holds nothing for the unit.

// RecognitionSection is the units recognised (công nhận) for each tier: in total by the
// as-of day and newly within the period.
type RecognitionSection struct {
	Tiers []RecognitionTier `json:"tiers"`
}

// RecognitionTier is the recognitions of one tier.
type RecognitionTier struct {
	Tier  string    `json:"tier"`
	Total int       `json:"total"`
	New   int       `json:"new"`
	Units []UnitRef `json:"units,omitempty"` // the units newly recognised
}

// OCOPSection is the OCOP products of the unit's area (sections_ocop.go).
type OCOPSection struct {
	Products int `json:"products"` // in the register
	// Total is the products holding a certificate in force (3 stars or more) on the as-of
	// day (lũy kế), Stars the same by stars, most stars first.
	Total int         `json:"total"`
	Stars []StarCount `json:"stars"`
	// New is the products certified for the first time within the period; Decided every
	// certificate decided within it (first ones and re-evaluations).
	New      int `json:"new"`
	Decided  int `json:"decided"`
	Expiring int `json:"expiring"` // certificates ending within 30 days: holders to warn
}

// StarCount is the products of one star rating.
type StarCount struct {
	Stars int `json:"stars"`
	Total int `json:"total"`
}

// ModelsSection is the models (khu dân cư kiểu mẫu, vườn mẫu…) recognised.
type ModelsSection struct {
	Kinds []ModelCount `json:"kinds"`
}

// ModelCount is the models of one kind: Label is the offices' name for them.
type ModelCount struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Total int    `json:"total"`
	New   int    `json:"new"`
}

// FundingSection is the funding mobilised (vốn huy động) in the period's year, by source, in
// million VND.
type FundingSection struct {
	Year    int             `json:"year"`
	Total   float64         `json:"total"`
	Sources []FundingSource `json:"sources"`
}

// FundingSource is the amount of one source.
type FundingSource struct {
	Source string  `json:"source"`
	Label  string  `json:"label"`
	Amount float64 `json:"amount"`
}

// Share is the source's percentage of total.
func (f FundingSource) Share(total float64) float64 {
	if total == 0 {
		return 0
	}
	return 100 * f.Amount / total
}

// TasksSection is the steering committee's tasks (nhiệm vụ) of the unit.
type TasksSection struct {
	Open    int       `json:"open"`
	Overdue []TaskRef `json:"overdue"`
	Ahead   []TaskRef `json:"ahead"` // open tasks not yet due, soonest first
}

// TaskRef is one task.
type TaskRef struct {
	Title string     `json:"title"`
	Owner string     `json:"owner"`
	Due   units.Date `json:"due"`
}
