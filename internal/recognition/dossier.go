package recognition

import (
	"fmt"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/units"
)

// Status is where a dossier stands.
type Status string

const (
	Preparing  Status = "preparing"  // đang lập hồ sơ: the unit has not submitted yet
	InReview   Status = "in_review"  // đang xét: at a later step
	Returned   Status = "returned"   // trả lại để bổ sung: back at an earlier step
	Rejected   Status = "rejected"   // không công nhận: closed
	Recognized Status = "recognized" // đã công nhận: closed, in the registry
)

// Statuses lists the statuses in workflow order.
var Statuses = []Status{Preparing, InReview, Returned, Rejected, Recognized}

// Closed reports whether the dossier is finished.
func (s Status) Closed() bool { return s == Rejected || s == Recognized }

// Valid reports whether s is a status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// State is where a dossier is in its workflow.
type State struct {
	Step        int        // index of the current step
	Status      Status     // preparing, in_review, returned, rejected, recognized
	StepStarted units.Date // the day the current step began
}

// Vote is the appraisal council's vote (biểu quyết của Hội đồng thẩm định).
type Vote struct {
	Members int        `json:"members"`
	Yes     int        `json:"yes"`
	No      int        `json:"no"`
	Abstain int        `json:"abstain"`
	On      units.Date `json:"on"`
	Note    string     `json:"note,omitempty"`
}

// Check says what is wrong with a vote.
func (v Vote) Check() error {
	switch {
	case v.Members < 1 || v.Members > 500:
		return RuleFault("số thành viên hội đồng phải từ 1 đến 500 (council members: 1 to 500)")
	case v.Yes < 0 || v.No < 0 || v.Abstain < 0:
		return RuleFault("số phiếu không được âm (vote counts cannot be negative)")
	case v.Yes+v.No+v.Abstain > v.Members:
		return RuleFault(fmt.Sprintf("tổng số phiếu %d lớn hơn số thành viên %d (more votes than members)", v.Yes+v.No+v.Abstain, v.Members))
	case v.On == "":
		return RuleFault("thiếu ngày biểu quyết (the vote needs a date)")
	}
	return nil
}

// Decision is a recognition (or revocation) decision: số quyết định, ngày, người ký.
type Decision struct {
	Number string     `json:"number"`
	Date   units.Date `json:"date"`
	Signer string     `json:"signer"`
}

// Check says what is missing from a decision.
func (d Decision) Check() error {
	var miss []string
	if strings.TrimSpace(d.Number) == "" {
		miss = append(miss, "số quyết định (number)")
	}
	if d.Date == "" {
		miss = append(miss, "ngày quyết định (date)")
	}
	if strings.TrimSpace(d.Signer) == "" {
		miss = append(miss, "người ký (signer)")
	}
	if len(miss) > 0 {
		return RuleFault("quyết định thiếu " + strings.Join(miss, ", ") + " (the decision needs its number, date and signer)")
	}
	if len(d.Number) > 100 || len(d.Signer) > 200 {
		return RuleFault("số quyết định hoặc người ký quá dài (number or signer too long)")
	}
	return nil
}

// RuleFault is the fault of an action the workflow does not allow (HTTP 422), msg saying
// what to do.
func RuleFault(msg string) *fault.Error {
	return &fault.Error{Code: fault.InvalidValue, Text: msg}
}

// Facts are what the workflow looks at before a step ends.
type Facts struct {
	On        units.Date     // the day the outcome is taken
	Today     units.Date     // no outcome is dated after today
	Comment   string         // required to return or reject
	Documents map[string]int // files uploaded per checklist item
	PostingTo units.Date     // the last day of the public posting; "" not set
	Vote      *Vote          // the council's vote, if recorded
	Decision  *Decision      // with the decision step's pass
}

// Take ends the current step with outcome o and returns the new state. It refuses, with a
// RuleFault saying what to do, an outcome the step does not allow, a dossier already
// closed, a date before the step began or after today, a pass without the step's required
// documents (or the posting not over, the vote not recorded, the decision incomplete), and a
// return or rejection without a comment.
func (w *Workflow) Take(st State, o Outcome, f Facts) (State, error) {
	if st.Status.Closed() {
		return st, RuleFault(fmt.Sprintf("hồ sơ đã kết thúc (%s), không thực hiện thêm bước nào (the dossier is closed)", st.Status))
	}
	if st.Step < 0 || st.Step >= len(w.Steps) {
		return st, fmt.Errorf("dossier at step %d of %d in %s", st.Step, len(w.Steps), w.ID)
	}
	step := w.Steps[st.Step]
	if !step.Allows(o) {
		return st, RuleFault(fmt.Sprintf("bước “%s” không có kết quả %q; chọn %s (the step %s cannot end with %s)", step.Name, o, outcomesText(step), step.ID, o))
	}
	if f.On == "" {
		return st, RuleFault("thiếu ngày thực hiện (the action needs a date)")
	}
	if f.On < st.StepStarted {
		return st, RuleFault(fmt.Sprintf("ngày %s trước ngày bắt đầu bước (%s) (the date is before the step began)", dmy(f.On), dmy(st.StepStarted)))
	}
	if f.Today != "" && f.On > f.Today {
		return st, RuleFault(fmt.Sprintf("ngày %s chưa tới (the date %s is in the future)", dmy(f.On), f.On))
	}
	if (o == Return || o == Reject) && strings.TrimSpace(f.Comment) == "" {
		return st, RuleFault("trả lại hoặc không công nhận phải ghi rõ lý do (a return or rejection needs a comment saying why)")
	}
	if o == Pass {
		if err := passChecks(step, f); err != nil {
			return st, err
		}
		if step.Kind == KindDecision && f.Decision.Date < st.StepStarted {
			return st, RuleFault(fmt.Sprintf("ngày quyết định %s trước khi hồ sơ đến bước quyết định (%s) (the decision is dated before the step began)", dmy(f.Decision.Date), dmy(st.StepStarted)))
		}
	}
	next := st
	next.StepStarted = f.On
	switch o {
	case Pass:
		if st.Step == len(w.Steps)-1 {
			next.Status = Recognized
			return next, nil
		}
		next.Step, next.Status = st.Step+1, InReview
	case Return:
		next.Step, next.Status = 0, Returned
		if step.ReturnsTo != "" {
			_, i, _ := w.Step(step.ReturnsTo)
			next.Step = i
		}
	case Reject:
		next.Status = Rejected
	}
	return next, nil
}

// passChecks says what a step still needs before it can pass.
func passChecks(step Step, f Facts) error {
	var missing []string
	for _, d := range step.Documents {
		if d.Required && f.Documents[d.ID] == 0 {
			missing = append(missing, d.Name)
		}
	}
	if len(missing) > 0 {
		return RuleFault(fmt.Sprintf("còn thiếu giấy tờ: %s. Hãy tải lên trước khi chuyển bước (required documents missing)", strings.Join(missing, "; ")))
	}
	switch step.Kind {
	case KindPosting:
		if f.PostingTo == "" {
			return RuleFault("chưa ghi thời gian công khai; hãy ghi ngày bắt đầu và kết thúc (record the posting window first)")
		}
		if f.On <= f.PostingTo {
			return RuleFault(fmt.Sprintf("đang trong thời gian công khai đến hết ngày %s; chuyển bước sau ngày đó (the posting runs until %s)", dmy(f.PostingTo), f.PostingTo))
		}
	case KindCouncil:
		if f.Vote == nil {
			return RuleFault("chưa ghi kết quả biểu quyết của hội đồng (record the council's vote first)")
		}
	case KindDecision:
		if f.Decision == nil {
			return RuleFault("công nhận cần số, ngày và người ký quyết định (the decision needs its number, date and signer)")
		}
		if err := f.Decision.Check(); err != nil {
			return err
		}
		if f.Decision.Date > f.On {
			return RuleFault(fmt.Sprintf("ngày quyết định %s sau ngày ghi nhận %s (the decision is dated after the day it is recorded)", dmy(f.Decision.Date), dmy(f.On)))
		}
	}
	return nil
}

func outcomesText(s Step) string {
	parts := make([]string, len(s.Outcomes))
	for i, o := range s.Outcomes {
		parts[i] = string(o)
	}
	return strings.Join(parts, ", ")
}

// dmy writes a day as offices do, 15/02/2026.
func dmy(d units.Date) string { return numfmt.Date(string(d), "vi") }

// Lateness is how a dossier's current step stands against its time limit on a day.
type Lateness struct {
	Deadline units.Date `json:"deadline,omitempty"` // "" when the step has no time limit
	Verified bool       `json:"deadline_verified"`  // the time limit is checked against the decision's text
	Overdue  bool       `json:"overdue"`
	DaysLate int        `json:"days_late,omitempty"`
	DaysLeft int        `json:"days_left,omitempty"`
}

// Late computes the lateness of a dossier in state st on day asOf: overdue when asOf is after
// the deadline (the deadline day itself is in time). A closed dossier is never late.
func (w *Workflow) Late(st State, asOf units.Date) Lateness {
	if st.Status.Closed() || st.Step < 0 || st.Step >= len(w.Steps) {
		return Lateness{}
	}
	step := w.Steps[st.Step]
	dl, ok := step.Deadline(st.StepStarted)
	if !ok {
		return Lateness{}
	}
	l := Lateness{Deadline: dl, Verified: step.DaysVerified}
	if d := daysBetween(dl, asOf); d > 0 {
		l.Overdue, l.DaysLate = true, d
	} else {
		l.DaysLeft = -d
	}
	return l
}

// daysBetween is b - a in days.
func daysBetween(a, b units.Date) int {
	ta, err1 := time.Parse(time.DateOnly, string(a))
	tb, err2 := time.Parse(time.DateOnly, string(b))
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// PostingWindow is the default posting window of a posting step that starts on start: the
// step's number of days, from start (inclusive). False when the step gives no length.
func (s Step) PostingWindow(start units.Date) (from, to units.Date, ok bool) {
	if s.Kind != KindPosting || s.WindowDays <= 0 {
		return "", "", false
	}
	return start, start.AddDays(s.WindowDays - 1), true
}
