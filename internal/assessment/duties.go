package assessment

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"go.yaml.in/yaml/v3"

	assessmentdata "github.com/ntm-vn/ntm/data/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
)

// Duty is something a person did to an assessment that may bar them from a later step.
type Duty string

const (
	DutyEnter  Duty = "enter"  // entered or changed values (form, API, import)
	DutySubmit Duty = "submit" // submitted it
	DutyVerify Duty = "verify" // verified it
)

// DutyRule is one rule of separation of duties (phân công nhiệm vụ): the actions may not be
// taken by someone who did any of NotBy on the same assessment.
type DutyRule struct {
	ID      string   `yaml:"id" json:"id"`
	Name    string   `yaml:"name" json:"name"`
	NameEN  string   `yaml:"name_en" json:"name_en"`
	Actions []Action `yaml:"actions" json:"actions"`
	NotBy   []Duty   `yaml:"not_by" json:"not_by"`
}

// Duties are the rules of data/assessment/duties.yaml.
type Duties struct {
	Enabled bool       `yaml:"enabled" json:"enabled"`
	Rules   []DutyRule `yaml:"rules" json:"rules"`
}

// ParseDuties reads and checks the rules; errors name the rule and its field.
func ParseDuties(name string, b []byte) (*Duties, error) {
	var d Duties
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	seen := map[string]bool{}
	for i, r := range d.Rules {
		at := fmt.Sprintf("%s: rules[%d]", name, i)
		if r.ID == "" || seen[r.ID] {
			return nil, fmt.Errorf("%s: id %q is empty or repeated", at, r.ID)
		}
		seen[r.ID] = true
		if r.Name == "" || r.NameEN == "" {
			return nil, fmt.Errorf("%s (%s): name and name_en are required", at, r.ID)
		}
		if len(r.Actions) == 0 || len(r.NotBy) == 0 {
			return nil, fmt.Errorf("%s (%s): actions and not_by are required", at, r.ID)
		}
		for _, a := range r.Actions {
			if !slices.Contains([]Action{Submit, Verify, Return, Approve, Unlock}, a) {
				return nil, fmt.Errorf("%s (%s): actions: %q is not an action (submit, verify, return, approve, unlock)", at, r.ID, a)
			}
		}
		for _, n := range r.NotBy {
			if !slices.Contains([]Duty{DutyEnter, DutySubmit, DutyVerify}, n) {
				return nil, fmt.Errorf("%s (%s): not_by: %q is not a duty (enter, submit, verify)", at, r.ID, n)
			}
		}
	}
	return &d, nil
}

// ShippedDuties are the rules shipped in the binary (on by default).
var ShippedDuties = sync.OnceValues(func() (*Duties, error) {
	b, err := assessmentdata.FS.ReadFile("duties.yaml")
	if err != nil {
		return nil, err
	}
	return ParseDuties("data/assessment/duties.yaml", b)
})

// refused is a step refused by rule r of separation of duties (fault.Duties), naming the rule.
func refused(r DutyRule, action Action, actor string) *fault.Error {
	return &fault.Error{Code: fault.Duties, Text: fmt.Sprintf("%s không được %s phiếu này — quy tắc %s: %s (rule %s: %s)",
		actor, actionLabel(action), r.ID, r.Name, r.ID, r.NameEN)}
}

// Check returns a fault.Duties naming the rule when actor may not take action on an
// assessment, given what each person did to it (done: duty → the people who did it), or nil.
func (d *Duties) Check(action Action, actor string, done map[Duty][]string) error {
	if d == nil || !d.Enabled {
		return nil
	}
	for _, r := range d.Rules {
		if !slices.Contains(r.Actions, action) {
			continue
		}
		for _, n := range r.NotBy {
			if slices.Contains(done[n], actor) {
				return refused(r, action, actor)
			}
		}
	}
	return nil
}

// Guards reports whether some rule concerns action (the store then reads who did what).
func (d *Duties) Guards(action Action) bool {
	if d == nil || !d.Enabled {
		return false
	}
	for _, r := range d.Rules {
		if slices.Contains(r.Actions, action) {
			return true
		}
	}
	return false
}

// Waiting are the statuses that wait for a user: submitted and verified assessments for
// officers who verify (the level above), drafts and returned ones for those who only enter.
func Waiting(verifies bool) []Status {
	if verifies {
		return []Status{Submitted, Verified}
	}
	return []Status{Draft, Returned}
}

// Steps are the actions that take an assessment on from a status, the queue's buttons.
var Steps = map[Status][]Action{
	Draft:     {Submit},
	Returned:  {Submit},
	Submitted: {Verify, Return},
	Verified:  {Approve, Return},
}
