// Package assessment holds what an assessment (đánh giá) is: the values of one unit against
// one criteria set for one period, and the workflow it goes through from the commune's draft
// to the province's approval. It knows nothing of storage or HTTP.
package assessment

import (
	"strings"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/period"
	"github.com/ntm-vn/ntm/internal/units"
)

// Period is a reporting period: a year "2022", a half "2022-H1", a quarter "2022-Q1", a
// month "2022-04" or the first months of a year "2022-M8"; Text is its code.
type Period struct {
	Text       string
	Start, End units.Date
}

// ParsePeriod checks and interprets a period, in any form package period reads (the codes,
// "Quý I/2022", "6 tháng đầu năm 2022", "tháng 4/2022"…); an unreadable one is a
// fault listing the accepted forms.
func ParsePeriod(s string) (Period, error) {
	p, err := period.Parse(s)
	if err != nil {
		return Period{}, err
	}
	return Period{Text: p.Code(), Start: p.Start(), End: p.End()}, nil
}

// Status is where an assessment stands in the workflow.
type Status string

const (
	Draft     Status = "draft"     // being entered by the commune
	Submitted Status = "submitted" // sent up by the commune
	Verified  Status = "verified"  // checked by the level above
	Returned  Status = "returned"  // sent back with comments, editable again
	Approved  Status = "approved"  // final and locked
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Draft, Submitted, Verified, Returned, Approved}

// Editable reports whether values may change in this status.
func (s Status) Editable() bool { return s == Draft || s == Returned }

// CheckEditable returns the rule an edit of values breaks in this status, or nil.
func (s Status) CheckEditable() error {
	if s.Editable() {
		return nil
	}
	return fault.Newf(fault.Rule, "đánh giá đang ở trạng thái %q, không sửa được số liệu / the assessment is %s and cannot be edited",
		s.Label(), s)
}

// Label is the status in Vietnamese, as offices say it.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "nháp"
	case Submitted:
		return "đã gửi"
	case Verified:
		return "đã thẩm tra"
	case Returned:
		return "trả lại"
	case Approved:
		return "đã phê duyệt"
	}
	return string(s)
}

// Action moves an assessment from one status to another.
type Action string

const (
	Submit  Action = "submit"  // commune: draft/returned → submitted
	Verify  Action = "verify"  // level above: submitted → verified
	Return  Action = "return"  // level above: submitted/verified → returned, with a comment
	Approve Action = "approve" // level above: verified → approved (locks)
	Unlock  Action = "unlock"  // level above: approved → draft, with a reason; audited
)

// Who may take an action: the commune's side ("enter") or the level above ("verify").
func (a Action) Permission() string {
	if a == Submit {
		return "enter"
	}
	return "verify"
}

// Transition returns the status that action leads to from status, or a fault.Rule saying why
// it is not allowed. Return and Unlock need a comment.
func Transition(from Status, action Action, comment string) (Status, error) {
	need := func(allowed ...Status) error {
		for _, s := range allowed {
			if from == s {
				return nil
			}
		}
		return fault.Newf(fault.Rule, "không thể %s đánh giá đang ở trạng thái %q / cannot %s an assessment that is %s",
			actionLabel(action), from.Label(), action, from)
	}
	var to Status
	var err error
	switch action {
	case Submit:
		to, err = Submitted, need(Draft, Returned)
	case Verify:
		to, err = Verified, need(Submitted)
	case Return:
		to, err = Returned, need(Submitted, Verified)
	case Approve:
		to, err = Approved, need(Verified)
	case Unlock:
		to, err = Draft, need(Approved)
	default:
		return "", fault.Newf(fault.Rule, "hành động %q không có / unknown action %q (submit, verify, return, approve, unlock)", action, action)
	}
	if err != nil {
		return "", err
	}
	if (action == Return || action == Unlock) && strings.TrimSpace(comment) == "" {
		return "", &fault.Error{Code: fault.Rule, Text: "cần ghi lý do / a comment is required to " + string(action)}
	}
	return to, nil
}

func actionLabel(a Action) string {
	switch a {
	case Submit:
		return "gửi"
	case Verify:
		return "thẩm tra"
	case Return:
		return "trả lại"
	case Approve:
		return "phê duyệt"
	case Unlock:
		return "mở khóa"
	}
	return string(a)
}
