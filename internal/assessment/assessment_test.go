package assessment

import (
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

func TestParsePeriod(t *testing.T) {
	cases := []struct {
		in         string
		start, end units.Date
	}{
		{"2022", "2022-01-01", "2022-12-31"},
		{"2022-H1", "2022-01-01", "2022-06-30"},
		{"2022-h2", "2022-07-01", "2022-12-31"},
		{"2024-Q1", "2024-01-01", "2024-03-31"},
		{"2024-Q4", "2024-10-01", "2024-12-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2023-02", "2023-02-01", "2023-02-28"},
	}
	for _, c := range cases {
		p, err := ParsePeriod(c.in)
		if err != nil || p.Start != c.start || p.End != c.end {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %s..%s", c.in, p, err, c.start, c.end)
		}
	}
	for _, bad := range []string{"", "22", "2022-H3", "2022-Q5", "2022-13", "2022-00", "abcd", "2022/04", "2022-1"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}

func TestTransition(t *testing.T) {
	cases := []struct {
		from    Status
		action  Action
		comment string
		to      Status
		ok      bool
	}{
		{Draft, Submit, "", Submitted, true},
		{Returned, Submit, "", Submitted, true},
		{Submitted, Verify, "", Verified, true},
		{Verified, Approve, "", Approved, true},
		{Submitted, Return, "thiếu minh chứng 17.1", Returned, true},
		{Verified, Return, "sai số liệu", Returned, true},
		{Approved, Unlock, "điều chỉnh theo kết luận thanh tra", Draft, true},
		{Submitted, Return, "  ", "", false}, // a return needs a reason
		{Approved, Unlock, "", "", false},    // so does an unlock
		{Draft, Approve, "", "", false},      // cannot skip the chain
		{Submitted, Approve, "", "", false},  // must be verified first
		{Approved, Submit, "", "", false},    // locked
		{Draft, Action("delete"), "", "", false},
	}
	for _, c := range cases {
		to, err := Transition(c.from, c.action, c.comment)
		if c.ok && (err != nil || to != c.to) {
			t.Errorf("%s --%s--> %s, %v; want %s", c.from, c.action, to, err, c.to)
		}
		if !c.ok && !fault.Is(err, fault.Rule) {
			t.Errorf("%s --%s--> allowed (%s), want a fault.Rule", c.from, c.action, to)
		}
	}
	if !Draft.Editable() || !Returned.Editable() || Submitted.Editable() || Approved.Editable() {
		t.Error("only draft and returned assessments are editable")
	}
}
