package recognition

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// allDocs uploads one file for every required document of step.
func allDocs(s Step) map[string]int {
	m := map[string]int{}
	for _, d := range s.Documents {
		m[d.ID] = 1
	}
	return m
}

// walk takes a dossier through every step of w, passing each on consecutive days from start,
// with what each step needs.
func walk(t *testing.T, w *Workflow, start units.Date) State {
	t.Helper()
	st := State{Step: 0, Status: Preparing, StepStarted: start}
	day := start
	for i := 0; i < len(w.Steps); i++ {
		step := w.Steps[st.Step]
		f := Facts{On: day, Today: "2030-01-01", Documents: allDocs(step)}
		switch step.Kind {
		case KindPosting:
			_, to, _ := step.PostingWindow(st.StepStarted)
			f.PostingTo = to
			day = to.AddDays(1)
			f.On = day
		case KindCouncil:
			f.Vote = &Vote{Members: 9, Yes: 8, Abstain: 1, On: day}
		case KindDecision:
			f.Decision = &Decision{Number: "123/QĐ-UBND", Date: day, Signer: "Chủ tịch UBND tỉnh"}
		}
		next, err := w.Take(st, Pass, f)
		if err != nil {
			t.Fatalf("%s step %s: %v", w.ID, step.ID, err)
		}
		if i < len(w.Steps)-1 && (next.Step != st.Step+1 || next.Status != InReview || next.StepStarted != day) {
			t.Fatalf("%s step %s: %+v", w.ID, step.ID, next)
		}
		st = next
		day = day.AddDays(1)
	}
	return st
}

func TestTake_EveryStepOfEachShippedWorkflow(t *testing.T) {
	lib := shippedLib(t)
	for _, c := range []struct {
		id    string
		start units.Date
	}{{"xa-2022", "2024-03-01"}, {"xa-2025", "2026-03-01"}, {"huyen-2022", "2024-03-01"}} {
		w, _ := lib.Workflow(c.id)
		if st := walk(t, w, c.start); st.Status != Recognized || st.Step != len(w.Steps)-1 {
			t.Errorf("%s: ends %+v, want recognized at the last step", c.id, st)
		}
	}
}

func TestTake_ReturnAndResubmit(t *testing.T) {
	lib := shippedLib(t)
	w, _ := lib.Workflow("xa-2025")
	st := State{Step: 0, Status: Preparing, StepStarted: "2026-03-01"}
	st, err := w.Take(st, Pass, Facts{On: "2026-03-02", Documents: allDocs(w.Steps[0])})
	if err != nil {
		t.Fatal(err)
	}
	// The province returns it: without a comment, refused; with one, back to the commune.
	if _, err := w.Take(st, Return, Facts{On: "2026-03-05"}); err == nil || !strings.Contains(err.Error(), "lý do") {
		t.Errorf("return without a comment: %v", err)
	}
	st, err = w.Take(st, Return, Facts{On: "2026-03-05", Comment: "Thiếu biên bản họp"})
	if err != nil || st.Step != 0 || st.Status != Returned || st.StepStarted != "2026-03-05" {
		t.Fatalf("return: %+v %v", st, err)
	}
	// The commune resubmits.
	st, err = w.Take(st, Pass, Facts{On: "2026-03-08", Documents: allDocs(w.Steps[0])})
	if err != nil || st.Step != 1 || st.Status != InReview {
		t.Fatalf("resubmit: %+v %v", st, err)
	}
	// The council returns to the province's appraisal, as its step says.
	st = State{Step: 3, Status: InReview, StepStarted: "2026-04-01"}
	st, err = w.Take(st, Return, Facts{On: "2026-04-02", Comment: "Cần thẩm định lại tiêu chí 8"})
	if err != nil || w.Steps[st.Step].ID != "tham-dinh-tinh" || st.Status != Returned {
		t.Errorf("council return: %+v %v", st, err)
	}
}

func TestTake_Refusals(t *testing.T) {
	lib := shippedLib(t)
	w, _ := lib.Workflow("xa-2025")
	at := func(step int) State { return State{Step: step, Status: InReview, StepStarted: "2026-03-10"} }
	posting, council, decision := 2, 3, 4
	docs := func(i int) map[string]int { return allDocs(w.Steps[i]) }
	cases := []struct {
		name string
		st   State
		o    Outcome
		f    Facts
		want string // in the message; "" allowed
	}{
		{"missing documents", State{Step: 0, Status: Preparing, StepStarted: "2026-03-10"}, Pass, Facts{On: "2026-03-11", Documents: map[string]int{"to-trinh-xa": 1}}, "còn thiếu giấy tờ"},
		{"optional documents may be missing", State{Step: 0, Status: Preparing, StepStarted: "2026-03-10"}, Pass,
			Facts{On: "2026-03-11", Documents: map[string]int{"to-trinh-xa": 1, "bao-cao-ket-qua": 2, "y-kien-nhan-dan": 1, "bien-ban-hop-xa": 1}}, ""},
		{"the commune cannot reject", State{Step: 0, Status: Preparing, StepStarted: "2026-03-10"}, Reject, Facts{On: "2026-03-11", Comment: "x"}, "không có kết quả"},
		{"before the step began", at(1), Pass, Facts{On: "2026-03-09", Documents: docs(1)}, "trước ngày bắt đầu"},
		{"in the future", at(1), Pass, Facts{On: "2026-03-12", Today: "2026-03-11", Documents: docs(1)}, "chưa tới"},
		{"posting window not recorded", at(posting), Pass, Facts{On: "2026-04-30"}, "thời gian công khai"},
		{"posting not over", at(posting), Pass, Facts{On: "2026-03-24", PostingTo: "2026-03-24"}, "đang trong thời gian công khai"},
		{"posting over", at(posting), Pass, Facts{On: "2026-03-25", PostingTo: "2026-03-24"}, ""},
		{"no vote", at(council), Pass, Facts{On: "2026-03-11", Documents: docs(council)}, "biểu quyết"},
		{"vote recorded", at(council), Pass, Facts{On: "2026-03-11", Documents: docs(council), Vote: &Vote{Members: 7, Yes: 7, On: "2026-03-11"}}, ""},
		{"decision without a number", at(decision), Pass, Facts{On: "2026-03-11", Decision: &Decision{Date: "2026-03-11", Signer: "Chủ tịch"}}, "số quyết định"},
		{"decision dated after it is recorded", at(decision), Pass, Facts{On: "2026-03-11", Decision: &Decision{Number: "1/QĐ", Date: "2026-03-12", Signer: "Chủ tịch"}}, "sau ngày ghi nhận"},
		{"decision dated before the step", at(decision), Pass, Facts{On: "2026-03-11", Decision: &Decision{Number: "1/QĐ", Date: "2026-03-09", Signer: "Chủ tịch"}}, "trước khi hồ sơ đến"},
		{"the decision step cannot return", at(decision), Return, Facts{On: "2026-03-11", Comment: "x"}, "không có kết quả"},
		{"a closed dossier", State{Step: 4, Status: Recognized, StepStarted: "2026-03-10"}, Pass, Facts{On: "2026-03-11"}, "đã kết thúc"},
	}
	for _, c := range cases {
		_, err := w.Take(c.st, c.o, c.f)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		case err != nil:
			if !fault.Is(err, fault.InvalidValue) {
				t.Errorf("%s: %v, want a fault saying what to do", c.name, err)
			}
		}
	}
	// Rejection closes the dossier.
	st, err := w.Take(at(1), Reject, Facts{On: "2026-03-11", Comment: "Tiêu chí 2 chưa đạt"})
	if err != nil || st.Status != Rejected || !st.Status.Closed() {
		t.Errorf("reject: %+v %v", st, err)
	}
}

func TestVote_Check(t *testing.T) {
	for _, c := range []struct {
		v  Vote
		ok bool
	}{
		{Vote{Members: 9, Yes: 6, No: 2, Abstain: 1, On: "2026-01-01"}, true},
		{Vote{Members: 9, Yes: 6, No: 4, On: "2026-01-01"}, false},
		{Vote{Members: 0, On: "2026-01-01"}, false},
		{Vote{Members: 5, Yes: -1, On: "2026-01-01"}, false},
		{Vote{Members: 5, Yes: 5}, false},
	} {
		if err := c.v.Check(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.v, err)
		}
	}
}
