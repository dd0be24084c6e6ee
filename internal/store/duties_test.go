package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestChangeStatus_SeparationOfDuties(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db, "00004", "2026-Q2")
		a, err := setValues(db, ctx, "nhap", a.ID, a.Version, []store.ValueChange{{Code: "TC1", Value: str("true")}})
		if err != nil {
			t.Fatal(err)
		}
		if a, err = db.ChangeStatus(ctx, "gui", a.ID, a.Version, assessment.Submit, ""); err != nil {
			t.Fatal(err)
		}
		// de is whether err is the refusal by the rule id.
		de := func(err error, id string) bool {
			return fault.Is(err, fault.Duties) && strings.Contains(err.Error(), "quy tắc "+id+":")
		}
		for _, who := range []string{"nhap", "gui"} {
			if _, err := db.ChangeStatus(ctx, who, a.ID, a.Version, assessment.Verify, ""); !de(err, "nguoi-lap-khong-kiem-tra") {
				t.Errorf("verify by %s: %v, want the rule nguoi-lap-khong-kiem-tra", who, err)
			}
		}
		// Refused steps change nothing.
		if got, _ := db.Assessment(ctx, a.ID); got.Status != assessment.Submitted || got.Version != a.Version {
			t.Fatalf("after refusals: %s v%d", got.Status, got.Version)
		}
		if a, err = db.ChangeStatus(ctx, "thamtra", a.ID, a.Version, assessment.Verify, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ChangeStatus(ctx, "thamtra", a.ID, a.Version, assessment.Approve, ""); !de(err, "tham-tra-khac-phe-duyet") {
			t.Errorf("approve by the verifier: %v", err)
		}
		may, err := db.MayTake(ctx, []int64{a.ID}, assessment.Approve, "thamtra")
		if err != nil || may[a.ID] == nil {
			t.Errorf("MayTake: %v %v, want the refusal", may, err)
		}
		if a, err = db.ChangeStatus(ctx, "pheduyet", a.ID, a.Version, assessment.Approve, ""); err != nil || a.Status != assessment.Approved {
			t.Fatalf("approve by a fourth person: %v", err)
		}
		// Rules switched off (a deployment's own file): one person may do it all.
		off := &assessment.Duties{Enabled: false}
		db.SetDuties(off)
		b := newAssessment(t, db, "00004", "2026-Q3")
		for _, act := range []assessment.Action{assessment.Submit, assessment.Verify, assessment.Approve} {
			if b, err = db.ChangeStatus(ctx, "mot.nguoi", b.ID, b.Version, act, ""); err != nil {
				t.Fatalf("%s with the rules off: %v", act, err)
			}
		}
	})
}

func TestChangeStatuses_AllOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var items []store.StatusChange
		for _, p := range []string{"2026-01", "2026-02", "2026-03"} {
			a := newAssessment(t, db, "00004", p)
			a, err := db.ChangeStatus(ctx, "xa.tester", a.ID, a.Version, assessment.Submit, "")
			if err != nil {
				t.Fatal(err)
			}
			items = append(items, store.StatusChange{ID: a.ID, Version: a.Version})
		}
		// The second was changed since the user saw it: nothing moves, the error names it.
		stale := items[1]
		stale.Version--
		_, err := db.ChangeStatuses(ctx, "tinh", []store.StatusChange{items[0], stale, items[2]}, assessment.Verify, "")
		if f, ok := fault.As(err); !ok || f.Code != fault.Conflict || f.Field != "items" || !strings.HasPrefix(f.Message("vi"), fmt.Sprintf("phiếu %d:", stale.ID)) {
			t.Fatalf("stale item: %v", err)
		}
		n, err := db.CountAssessments(ctx, store.AssessmentFilter{UnitCode: "00004", Statuses: []assessment.Status{assessment.Submitted}})
		if err != nil || n[assessment.Submitted] != 3 {
			t.Fatalf("after the refused bulk step: %v %v, want 3 still submitted", n, err)
		}
		done, err := db.ChangeStatuses(ctx, "tinh", items, assessment.Verify, "")
		if err != nil || len(done) != 3 || done[2].Status != assessment.Verified {
			t.Fatalf("bulk verify: %v %+v", err, done)
		}
		// The queue: oldest change first.
		list, err := db.ListAssessments(ctx, store.AssessmentFilter{Within: "01", Statuses: []assessment.Status{assessment.Verified}, Oldest: true})
		if err != nil || len(list) != 3 || list[0].ID != items[0].ID {
			t.Errorf("queue: %v %+v", err, list)
		}
	})
}
