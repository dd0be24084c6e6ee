package assessment

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
)

func TestShippedDuties_KeepEnteringCheckingAndApprovingApart(t *testing.T) {
	d, err := ShippedDuties()
	if err != nil {
		t.Fatal(err)
	}
	done := map[Duty][]string{DutyEnter: {"xa"}, DutySubmit: {"xa2"}, DutyVerify: {"tinh"}}
	for _, c := range []struct {
		action Action
		actor  string
		rule   string // "" allowed
	}{
		{Verify, "xa", "nguoi-lap-khong-kiem-tra"},
		{Verify, "xa2", "nguoi-lap-khong-kiem-tra"},
		{Approve, "xa", "nguoi-lap-khong-kiem-tra"},
		{Approve, "tinh", "tham-tra-khac-phe-duyet"},
		{Verify, "tinh", ""},
		{Approve, "tinh2", ""},
		{Return, "xa", ""},
	} {
		err := d.Check(c.action, c.actor, done)
		switch {
		case c.rule == "" && err != nil:
			t.Errorf("%s by %s: %v", c.action, c.actor, err)
		case c.rule != "" && (!fault.Is(err, fault.Duties) || !strings.Contains(err.Error(), "quy tắc "+c.rule+":")):
			t.Errorf("%s by %s: %v, want rule %s", c.action, c.actor, err, c.rule)
		}
	}
	off := *d
	off.Enabled = false
	if err := off.Check(Approve, "tinh", done); err != nil {
		t.Errorf("disabled rules refused: %v", err)
	}
}

func TestParseDuties_NamesTheBadField(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"enabled: true\nrules:\n  - {id: a, name: x, name_en: y, actions: [approve], not_by: [typing]}\n", `rules[0] (a): not_by: "typing"`},
		{"enabled: true\nrules:\n  - {id: a, name: x, name_en: y, actions: [publish], not_by: [enter]}\n", `actions: "publish"`},
		{"enabled: true\nrules:\n  - {id: a, name: x, actions: [approve], not_by: [enter]}\n", "name_en"},
		{"enabled: true\nrulez: []\n", "rulez"},
	} {
		_, err := ParseDuties("d.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "d.yaml") {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
}
