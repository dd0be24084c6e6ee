package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// countTC is a stand-in evaluator: criterion N is met when the value TC<N> is "true".
func countTC(setID string, u units.Unit, values map[string]string) (store.Evaluation, error) {
	ev := store.Evaluation{CriteriaTotal: 19, IndicatorsTotal: 19}
	for n := 1; n <= 19; n++ {
		if values["TC"+strconv.Itoa(n)] == "true" {
			ev.CriteriaMet = append(ev.CriteriaMet, n)
		}
	}
	ev.IndicatorsMet = len(ev.CriteriaMet)
	ev.Met = len(ev.CriteriaMet) == 19
	return ev, nil
}

func str(s string) *string { return &s }

// empty is the stand-in evaluation of an assessment without values.
var empty, _ = countTC("", units.Unit{}, nil)

// setValues is SetValues with the stand-in evaluation of the values it leaves.
func setValues(db *store.DB, ctx context.Context, actor string, id int64, version int, changes []store.ValueChange) (store.Assessment, error) {
	a, err := db.Assessment(ctx, id)
	if err != nil {
		return a, err
	}
	ev, _ := countTC(a.SetID, units.Unit{}, a.Merged(changes))
	return db.SetValues(ctx, actor, id, version, changes, ev)
}

func newAssessment(t *testing.T, db *store.DB, code, period string) store.Assessment {
	t.Helper()
	p, err := assessment.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAssessment(context.Background(), "xa.tester", code, "xa-ntm-2021", p, empty)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAssessments_ValuesVersionsAndEvaluation(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db, "00004", "2022") // Phường Trúc Bạch, before the reform
		if a.UnitFrom != units.Beginning || a.Status != assessment.Draft || a.Version != 1 {
			t.Fatalf("new assessment: %+v", a)
		}
		if a.Evaluation == nil || a.Evaluation.CriteriaMetN != 0 {
			t.Fatalf("new assessment not evaluated: %+v", a.Evaluation)
		}
		a, err := setValues(db, ctx, "xa.tester", a.ID, 1, []store.ValueChange{
			{Code: "TC1", Value: str("true")}, {Code: "TC2", Value: str("true"), Note: "theo biên bản"}, {Code: "17.1", Value: str("92.5")},
		})
		if err != nil {
			t.Fatal(err)
		}
		if a.Version != 2 || a.Evaluation.CriteriaMetN != 2 || a.Values["TC2"].Note != "theo biên bản" || a.Values["17.1"].EnteredBy != "xa.tester" {
			t.Errorf("after values: version %d, eval %+v, values %+v", a.Version, a.Evaluation, a.Values)
		}
		// A stale version is refused with the current values, and nothing changes.
		_, err = setValues(db, ctx, "other", a.ID, 1, []store.ValueChange{{Code: "TC3", Value: str("true")}})
		f, _ := fault.As(err)
		if cur, ok := f.Current.(store.Assessment); !fault.Is(err, fault.Conflict) || !ok || cur.Version != 2 || cur.Values["TC1"].Value != "true" {
			t.Fatalf("stale write: %v", err)
		}
		// Removing a value is reflected in the next read, evaluation included.
		if _, err := setValues(db, ctx, "xa.tester", a.ID, 2, []store.ValueChange{{Code: "TC1"}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Assessment(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got.Values["TC1"]; ok || got.Evaluation.CriteriaMetN != 1 || got.Version != 3 {
			t.Errorf("after removal: %+v %+v", got.Values, got.Evaluation)
		}
		// The same assessment cannot be created twice.
		p, _ := assessment.ParsePeriod("2022")
		if _, err := db.CreateAssessment(ctx, "x", "00004", "xa-ntm-2021", p, empty); !existsAs(err, a.ID) {
			t.Errorf("duplicate create: %v", err)
		}
		// After the reform the code names another unit, so a 2026 assessment is a new one.
		b := newAssessment(t, db, "00004", "2026")
		if b.UnitFrom != "2025-07-01" || b.ID == a.ID {
			t.Errorf("2026 assessment of 00004 is on unit version %s", b.UnitFrom)
		}
		if _, err := db.CreateAssessment(ctx, "x", "99999", "xa-ntm-2021", p, empty); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown unit: %v", err)
		}
	})
}

func TestAssessments_WorkflowLocksAndAudits(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db, "00004", "2026-Q1")
		steps := []struct {
			action  assessment.Action
			comment string
			want    assessment.Status
			actor   string // submit, verify and approve by three people (duties.yaml)
		}{
			{assessment.Submit, "", assessment.Submitted, "xa.tester"},
			{assessment.Return, "thiếu minh chứng", assessment.Returned, "tinh.tester"},
			{assessment.Submit, "", assessment.Submitted, "xa.tester"},
			{assessment.Verify, "", assessment.Verified, "tinh.tester"},
			{assessment.Approve, "", assessment.Approved, "tinh2.tester"},
		}
		for _, s := range steps {
			var err error
			a, err = db.ChangeStatus(ctx, s.actor, a.ID, a.Version, s.action, s.comment)
			if err != nil || a.Status != s.want {
				t.Fatalf("%s: %v, status %s", s.action, err, a.Status)
			}
		}
		// Approved: locked for values.
		_, err := setValues(db, ctx, "xa.tester", a.ID, a.Version, []store.ValueChange{{Code: "TC1", Value: str("true")}})
		if !fault.Is(err, fault.Rule) {
			t.Fatalf("edit of an approved assessment: %v", err)
		}
		// Unlock needs a reason, is audited and makes it editable again.
		if _, err := db.ChangeStatus(ctx, "tinh.tester", a.ID, a.Version, assessment.Unlock, ""); !fault.Is(err, fault.Rule) {
			t.Fatalf("unlock without reason: %v", err)
		}
		a, err = db.ChangeStatus(ctx, "tinh.tester", a.ID, a.Version, assessment.Unlock, "điều chỉnh số liệu 17.1")
		if err != nil || a.Status != assessment.Draft {
			t.Fatalf("unlock: %v %s", err, a.Status)
		}
		log, err := db.AuditLog(ctx, store.AuditFilter{Entity: "assessment", EntityID: strconv.FormatInt(a.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action)
			if e.Action == "unlock" && (e.Actor != "tinh.tester" || e.Detail != "điều chỉnh số liệu 17.1" || fmt.Sprintf("%s", e.Old) != `"approved"`) {
				t.Errorf("unlock audit entry: %+v", e)
			}
		}
		if len(actions) != 7 {
			t.Errorf("audit actions = %v, want create + 6 status changes", actions)
		}
	})
}

func TestAssessments_ConcurrentWritesOneConflict(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		a := newAssessment(t, db, "00004", "2026")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = setValues(db, context.Background(), "user"+strconv.Itoa(i), a.ID, a.Version,
					[]store.ValueChange{{Code: "TC1", Value: str(strconv.Itoa(i))}})
			}()
		}
		wg.Wait()
		var ok, conflicts int
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case fault.Is(err, fault.Conflict):
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Errorf("two writes with the same version: %d succeeded, %d conflicts", ok, conflicts)
		}
	})
}

func TestAssessments_ListWithinSubtree(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		newAssessment(t, db, "00004", "2022") // Hà Nội, old district 001
		newAssessment(t, db, "00004", "2026") // Hà Nội, new
		other, err := db.SearchUnits(context.Background(), store.UnitQuery{AsOf: "2026-01-01", Within: "79", Level: units.LevelCommune, Limit: 1})
		if err != nil || len(other) == 0 {
			t.Fatal(err)
		}
		newAssessment(t, db, other[0].Code, "2026") // Hồ Chí Minh
		got, err := db.ListAssessments(context.Background(), store.AssessmentFilter{Within: "01"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Errorf("within 01: %d assessments, want 2", len(got))
		}
		got, _ = db.ListAssessments(context.Background(), store.AssessmentFilter{Within: "001"})
		if len(got) != 1 || got[0].Period != "2022" {
			t.Errorf("within old district 001: %+v", got)
		}
	})
}

// existsAs reports whether err says that the record id exists already.
func existsAs(err error, id int64) bool {
	got, ok := store.ExistingID(err)
	return ok && got == id
}
