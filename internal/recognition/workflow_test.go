package recognition

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

func shippedLib(t *testing.T) *Library {
	t.Helper()
	lib, err := Shipped()
	if err != nil {
		t.Fatalf("shipped workflows: %v", err)
	}
	return lib
}

func TestShipped_LoadsAndChoosesByDateAndLevel(t *testing.T) {
	lib := shippedLib(t)
	cases := []struct {
		level units.Level
		tier  string
		day   units.Date
		want  string
		roles string // the acting roles, step by step
	}{
		{units.LevelCommune, "ntm", "2024-05-01", "xa-2022", "commune district district province province"},
		{units.LevelCommune, "nang-cao", "2025-06-30", "xa-2022", "commune district district province province"},
		{units.LevelCommune, "ntm", "2025-07-01", "xa-2025", "commune province province province province"},
		{units.LevelCommune, "ntm", "2026-11-01", "xa-2025", "commune province province province province"},
		{units.LevelDistrict, "ntm", "2024-01-01", "huyen-2022", "district province central"},
		{units.LevelDistrict, "ntm", "2025-07-01", "", ""},                                                  // districts were abolished
		{units.LevelCommune, "ntm", "2020-01-01", "xa-2016", "commune district district province province"}, // QĐ 2540/QĐ-TTg
		{units.LevelCommune, "kieu-mau", "2022-08-01", "xa-2016", "commune district district province province"},
		{units.LevelCommune, "ntm", "2016-12-29", "", ""}, // before QĐ 2540: the registry import
		{units.LevelCommune, "hien-dai", "2024-01-01", "", ""},
	}
	for _, c := range cases {
		w, err := lib.For(c.level, c.tier, c.day)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s %s %s: got %s, want none", c.level, c.tier, c.day, w.ID)
			} else if !fault.Is(err, fault.InvalidValue) || !strings.Contains(err.Error(), "không có quy trình") {
				t.Errorf("%s %s %s: error %v", c.level, c.tier, c.day, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s %s: %v", c.level, c.tier, c.day, err)
			continue
		}
		var roles []string
		for _, s := range w.Steps {
			roles = append(roles, string(s.Role))
		}
		if w.ID != c.want || strings.Join(roles, " ") != c.roles {
			t.Errorf("%s %s %s: %s with roles %v, want %s %s", c.level, c.tier, c.day, w.ID, roles, c.want, c.roles)
		}
	}
}

// Every time limit of the shipped workflows is marked unverified: the reference gives none,
// and a figure presented as law must have been checked against the decision's text.
func TestShipped_TimeLimitsAreMarkedUnverified(t *testing.T) {
	lib := shippedLib(t)
	for _, w := range lib.Workflows {
		if w.Verified {
			t.Errorf("%s: marked verified", w.ID)
		}
		for _, s := range w.Steps {
			if s.Days > 0 && s.DaysVerified {
				t.Errorf("%s/%s: %d days marked verified", w.ID, s.ID, s.Days)
			}
			if s.Days > 0 && !strings.Contains(s.Note, "chưa đối chiếu văn bản") {
				t.Errorf("%s/%s: the note does not say the time limit is unchecked: %q", w.ID, s.ID, s.Note)
			}
			if s.Kind == KindPosting && (s.WindowDays != 15 || s.WindowVerified) {
				t.Errorf("%s/%s: posting window %d verified=%v", w.ID, s.ID, s.WindowDays, s.WindowVerified)
			}
		}
	}
}

func TestShipped_RevocationRules(t *testing.T) {
	lib := shippedLib(t)
	r, sr := lib.RuleFor(units.LevelCommune, "xa-ntm-2021")
	if r == nil || sr == nil || r.FailedPct != 50 || r.FailedPctWithKey != 30 || !r.Verified || !sr.Verified {
		t.Fatalf("commune rule for xa-ntm-2021: %+v %+v", r, sr)
	}
	if fmt.Sprint(sr.Key) != "[10 17 19]" {
		t.Errorf("key criteria of xa-ntm-2021: %v", sr.Key)
	}
	if _, sr := lib.RuleFor(units.LevelCommune, "xa-ntm-2026"); sr == nil || sr.Verified {
		t.Errorf("xa-ntm-2026 key criteria should exist and be unverified: %+v", sr)
	}
	if r, sr := lib.RuleFor(units.LevelCommune, "xa-ntm-2016"); r == nil || sr != nil {
		t.Errorf("xa-ntm-2016 has no key criteria: %+v %+v", r, sr)
	}
	if r, _ := lib.RuleFor(units.LevelDistrict, "huyen-ntm-2021"); r == nil || r.ChildrenRevokedPct != 30 {
		t.Errorf("district rule: %+v", r)
	}
}

func TestLoad_ErrorsNameFileLineAndField(t *testing.T) {
	good := `id: w
kind: workflow
title: T
level: commune
tiers: [ntm]
valid: {from: 2025-07-01, to: null}
steps:
  - {id: a, name: A, name_en: A, kind: prepare, role: commune, outcomes: [pass]}
  - {id: b, name: B, name_en: B, kind: decision, role: province, days: 10, outcomes: [pass, reject]}
`
	cases := []struct {
		name, src, want string
	}{
		{"good", good, ""},
		{"unknown key", strings.Replace(good, "title: T", "title: T\ncolour: red", 1), "w.yaml:4"},
		{"bad role", strings.Replace(good, "role: province", "role: viewer", 1), "w.yaml:9: steps[1].role"},
		{"bad days", strings.Replace(good, "days: 10", "days: -3", 1), "w.yaml:9: steps[1].days"},
		{"first step returns", strings.Replace(good, "role: commune, outcomes: [pass]", "role: commune, outcomes: [pass, return]", 1), "w.yaml:8: steps[0]"},
		{"last step not a decision", strings.Replace(good, "kind: decision", "kind: appraise", 1), "w.yaml:9: steps[1].kind"},
		{"returns to a later step", strings.Replace(good, "outcomes: [pass, reject]}", "outcomes: [pass, return], returns_to: zz}", 1), "steps[1].returns_to"},
		{"bad tier", strings.Replace(good, "tiers: [ntm]", "tiers: [gold]", 1), "w.yaml:5: tiers"},
		{"bad date", strings.Replace(good, "from: 2025-07-01", "from: 2025-13-01", 1), "w.yaml:6: valid.from"},
		{"no kind", strings.Replace(good, "kind: workflow\n", "", 1), "kind"},
		{"not YAML", "id: [", "w.yaml"},
	}
	for _, c := range cases {
		_, err := Load(fstest.MapFS{"w.yaml": {Data: []byte(c.src)}}, ".")
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	// Two workflows for the same level, tier and days.
	other := strings.Replace(good, "id: w", "id: v", 1)
	if _, err := Load(fstest.MapFS{"w.yaml": {Data: []byte(good)}, "v.yaml": {Data: []byte(other)}}, "."); err == nil || !strings.Contains(err.Error(), "overlaps") {
		t.Errorf("overlapping workflows: %v", err)
	}
}

func TestStep_DeadlineAndLateness(t *testing.T) {
	w := &Workflow{Steps: []Step{
		{ID: "a", Kind: KindPrepare, Role: auth.RoleCommune, Outcomes: []Outcome{Pass}},
		{ID: "b", Kind: KindAppraise, Role: auth.RoleProvince, Days: 20, Outcomes: []Outcome{Pass, Return}},
		{ID: "c", Kind: KindDecision, Role: auth.RoleProvince, Outcomes: []Outcome{Pass}},
	}}
	cases := []struct {
		name string
		st   State
		asOf units.Date
		want Lateness
	}{
		{"no limit while preparing", State{Step: 0, Status: Preparing, StepStarted: "2026-01-01"}, "2026-12-31", Lateness{}},
		{"in time", State{Step: 1, Status: InReview, StepStarted: "2026-03-01"}, "2026-03-10", Lateness{Deadline: "2026-03-21", DaysLeft: 11}},
		{"the last day is in time", State{Step: 1, Status: InReview, StepStarted: "2026-03-01"}, "2026-03-21", Lateness{Deadline: "2026-03-21"}},
		{"a day late", State{Step: 1, Status: InReview, StepStarted: "2026-03-01"}, "2026-03-22", Lateness{Deadline: "2026-03-21", Overdue: true, DaysLate: 1}},
		{"across February", State{Step: 1, Status: InReview, StepStarted: "2028-02-10"}, "2028-03-10", Lateness{Deadline: "2028-03-01", Overdue: true, DaysLate: 9}},
		{"closed dossiers are never late", State{Step: 1, Status: Rejected, StepStarted: "2026-03-01"}, "2027-01-01", Lateness{}},
	}
	for _, c := range cases {
		if got := w.Late(c.st, c.asOf); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// QĐ 18/2022's four conditions of recognition are on the council's checklist, each with its
// evidence: the dossier cannot pass to the decision while the evidence of one is missing.
func TestShipped_RecognitionConditionsBlockTheDecision(t *testing.T) {
	lib, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	w, _ := lib.Workflow("xa-2022")
	step, i, _ := w.Step("hoi-dong-tinh")
	var conds []string
	docs := map[string]int{}
	for _, d := range step.Documents {
		docs[d.ID] = 1
		if d.Condition != "" {
			conds = append(conds, d.ID)
			if !d.Required || !d.Verified || d.Source == "" || d.Name == "" {
				t.Errorf("condition %s: %+v", d.ID, d)
			}
		}
	}
	if strings.Join(conds, " ") != "dk-dat-chuan dk-hai-long dk-no-dong dk-an-ninh" {
		t.Fatalf("conditions: %v", conds)
	}
	vote := &Vote{On: "2024-05-10", Members: 9, Yes: 9}
	st := State{Step: i, Status: InReview, StepStarted: "2024-05-01"}
	if _, err := w.Take(st, Pass, Facts{On: "2024-05-10", Today: "2024-06-01", Documents: docs, Vote: vote}); err != nil {
		t.Fatalf("every condition met: %v", err)
	}
	delete(docs, "dk-no-dong")
	_, err = w.Take(st, Pass, Facts{On: "2024-05-10", Today: "2024-06-01", Documents: docs, Vote: vote})
	if err == nil || !strings.Contains(err.Error(), "Xác nhận không có nợ đọng xây dựng cơ bản") {
		t.Errorf("a condition without its evidence: %v", err)
	}
}
