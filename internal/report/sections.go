package report

import "github.com/ntm-vn/ntm/internal/units"

// The optional sections of a bulletin: each comes from a register of its own (recognition,
// OCOP, models, funding, tasks), is filled by a function in sectionFillers when that register
// exists, and stays nil — left out of the text, never written as a placeholder — when it does
// not or holds nothing for the unit.

// RecognitionSection is the units recognised (công nhận) for each tier, in total by the
// as-of day and newly within the period; the recognised units whose latest assessment falls
// under the revocation rule; and the dossiers past a step's time limit (sections_recognition.go).
type RecognitionSection struct {
	// Own is the recognitions of the report's unit itself (a district's or a province's own
	// decision) in force on the as-of day, the latest per tier.
	Own     []OwnRecognition  `json:"own,omitempty"`
	Tiers   []RecognitionTier `json:"tiers"`
	AtRisk  []AtRisk          `json:"at_risk,omitempty"`
	Overdue []DossierRef      `json:"overdue_dossiers,omitempty"`
}

// OwnRecognition is a decision recognising the report's unit itself. Standard is the tier as
// written of the unit's level in the bulletin's language ("hoàn thành nhiệm vụ xây dựng nông
// thôn mới" for a province); New says the decision falls within the period.
type OwnRecognition struct {
	Tier     string     `json:"tier"`
	Standard string     `json:"standard"`
	Decision string     `json:"decision"`
	Date     units.Date `json:"date"`
	New      bool       `json:"new"`
}

// AtRisk is a recognised unit on the revocation watch list, with the criteria it fails.
type AtRisk struct {
	UnitRef
	Tier    string `json:"tier"`
	Failing []int  `json:"failing"`
}

// DossierRef is a recognition dossier standing at a step past its time limit.
type DossierRef struct {
	UnitRef
	Tier     string `json:"tier"`
	Step     string `json:"step"`
	DaysLate int    `json:"days_late"`
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
	// Producers is the products in force (Total) by the kind of their producer, in the
	// order the guidance names the kinds, the kinds without any left out.
	Producers []ProducerCount `json:"producers,omitempty"`
}

// ProducerCount is the products in force of one kind of producer: Label names the kind in
// the bulletin's language ("hợp tác xã").
type ProducerCount struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Total int    `json:"total"`
}

// StarCount is the products of one star rating.
type StarCount struct {
	Stars int `json:"stars"`
	Total int `json:"total"`
}

// WorksSection is the works of the period's year below the unit, as of the period's end: what
// was completed by kind with its measure, and the money disbursed against the plan
// (app.WorksSummary; sections_resources.go).
type WorksSection struct {
	Year      int      `json:"year"`
	Works     int      `json:"works"`
	Done      int      `json:"done"`
	Budget    float64  `json:"budget"`    // planned, million VND
	Disbursed float64  `json:"disbursed"` // million VND, by the period's end
	Rate      *float64 `json:"disbursement_pct,omitempty"`
	// Done are the kinds with works completed, each with its measure ("104,48 km đường liên
	// xã"), in the bulletin's language.
	DoneByKind []string `json:"done_by_kind"`
}

// ModelsSection is the models (khu dân cư kiểu mẫu, vườn mẫu, thôn đạt chuẩn…) recognised:
// new in the period's year and cumulative at its end (sections_resources.go).
type ModelsSection struct {
	Year  int          `json:"year"`
	Kinds []ModelCount `json:"kinds"` // kinds with at least one model
}

// ModelCount is the models of one kind: Label names the kind, Noun counts them ("35 khu dân
// cư kiểu mẫu"), both in the bulletin's language.
type ModelCount struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Noun  string `json:"noun"`
	Total int    `json:"total"`
	New   int    `json:"new"`
	// Share is the cumulative number against the villages, as app writes it ("9/24 thôn
	// (37,5%)"); "" for a kind with none.
	Share string `json:"share,omitempty"`
}

// FundingSection is the funding mobilised (vốn huy động) in the period's year, by source, in
// million VND (sections_resources.go).
type FundingSection struct {
	Year  int     `json:"year"`
	Total float64 `json:"total"`
	// ChangePct is the change from the previous year's total in per cent, nil without one.
	ChangePct *float64        `json:"change_pct,omitempty"`
	Sources   []FundingSource `json:"sources"`
	// Mismatches are the entries whose reported total is not the sum of their sources
	// (flagged, not fixed), for the annex of notes to the office.
	Mismatches []FundingMismatch `json:"mismatches,omitempty"`
}

// FundingMismatch is one entry whose reported total differs from the sum of its sources, in
// million VND; Difference is the gap's size, whichever way it goes.
type FundingMismatch struct {
	UnitName   string  `json:"unit_name"`
	Year       int     `json:"year"`
	Reported   float64 `json:"reported"`
	Sum        float64 `json:"sum"`
	Difference float64 `json:"difference"`
}

// FundingSource is the amount of one source and its share of the total (per cent).
type FundingSource struct {
	Source string  `json:"source"`
	Label  string  `json:"label"`
	Amount float64 `json:"amount"`
	Share  float64 `json:"share"`
}

// TasksSection is the steering committees' tasks (nhiệm vụ của Ban Chỉ đạo) at or below the
// unit: the overdue ones and the ones ahead, at most TasksListed of each listed by name.
type TasksSection struct {
	Open         int       `json:"open"` // not done, overdue or not
	OverdueTotal int       `json:"overdue_total"`
	Overdue      []TaskRef `json:"overdue"` // most overdue first
	AheadTotal   int       `json:"ahead_total"`
	Ahead        []TaskRef `json:"ahead"` // soonest due first
}

// MeetingsSection is the meetings the unit's own steering committee held within the period,
// with their conclusions and the tasks they assigned (sections_resources.go).
type MeetingsSection struct {
	// Committee is who met, as the sentence names it: a province's or district's Ban Chỉ
	// đạo, a commune's Ban Quản lý (data/reports/office.yaml).
	Committee string       `json:"committee"`
	Meetings  []MeetingRef `json:"meetings"`
}

// MeetingRef is one meeting: its day, who chaired it, its conclusions as the committee wrote
// them (without a closing full stop, which the layout writes), and the tasks it assigned by the
// period's end, at most TasksListed named, with how many were done by then.
type MeetingRef struct {
	Day         units.Date `json:"day"`
	Chair       string     `json:"chair"`
	Conclusions string     `json:"conclusions"`
	Tasks       int        `json:"tasks"`
	Done        int        `json:"done"`
	Listed      []TaskRef  `json:"listed,omitempty"`
}

// TasksListed is how many tasks of each kind a bulletin names.
const TasksListed = 10

// TaskRef is one task.
type TaskRef struct {
	Title string     `json:"title"`
	Owner string     `json:"owner"`
	Due   units.Date `json:"due"`
}
