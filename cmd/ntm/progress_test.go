package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestProgressCommand(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		// One commune of Hà Nội has 7 of the 10 criteria of 2026.
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := app.Open(ctx, db); err != nil {
			t.Fatal(err)
		}
		kids, _ := db.Children(ctx, "01", "2026-06-30")
		var commune string
		for _, k := range kids {
			if k.IsRuralCommune() {
				commune = k.Code
				break
			}
		}
		p, _ := assessment.ParsePeriod("2026-Q2")
		a, err := writer(t, db).CreateAssessment(ctx, app.System("t"), commune, "xa-ntm-2026", p)
		if err != nil {
			t.Fatal(err)
		}
		var ch []store.ValueChange
		for _, tc := range []string{"TC1", "TC2", "TC3", "TC4", "TC5", "TC6", "TC7"} {
			v := "true"
			ch = append(ch, store.ValueChange{Code: tc, Value: &v})
		}
		if _, err := writer(t, db).SetValues(ctx, app.System("t"), a.ID, a.Version, ch); err != nil {
			t.Fatal(err)
		}

		type figures struct {
			Set              string `json:"set"`
			Basis            string `json:"basis"`
			UnitsTotal       int    `json:"units_total"`
			UnitsAssessed    int    `json:"units_assessed"`
			UnitsNotAssessed int    `json:"units_not_assessed"`
			CriteriaMetSum   int    `json:"criteria_met_sum"`
			Pending          struct {
				Draft int `json:"draft"`
			} `json:"pending"`
		}
		progress := func(flags ...string) figures {
			t.Helper()
			code, out, errs := ntm(t, append([]string{"--db", dsn, "progress", "--unit", "01", "--as-of", "2026-06-30", "--json"}, flags...)...)
			var rep figures
			if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
				t.Fatalf("progress --json %v: exit %d %s %s", flags, code, errs, out)
			}
			return rep
		}
		// The official figures count approved assessments only: the draft is on its way.
		if rep := progress(); rep.Basis != "approved" || rep.UnitsAssessed != 0 || rep.Pending.Draft != 1 {
			t.Errorf("progress (approved): %+v", rep)
		}
		rep := progress("--include-unapproved")
		if rep.Set != "xa-ntm-2026" || rep.Basis != "all" || rep.UnitsAssessed != 1 || rep.CriteriaMetSum != 7 || rep.UnitsNotAssessed != rep.UnitsTotal-1 {
			t.Errorf("progress --include-unapproved: %+v", rep)
		}
		code, out, _ := ntm(t, "--db", dsn, "progress", "--unit", "01", "--as-of", "2026-06-30", "--include-unapproved")
		if code != 0 || !strings.Contains(out, "7,00") && !strings.Contains(out, "bình quân 7") || !strings.Contains(out, "kể cả chưa phê duyệt") {
			t.Errorf("progress text: exit %d\n%s", code, out)
		}
		if code, _, _ := ntm(t, "--db", dsn, "progress", "--approved-only", "--include-unapproved"); code != 2 {
			t.Errorf("--approved-only with --include-unapproved: exit %d, want 2", code)
		}
		cur, err := db.Assessment(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Three people: who enters may not check, who checks may not approve (separation of duties).
		actors := map[assessment.Action]string{assessment.Submit: "t", assessment.Verify: "kiem-tra", assessment.Approve: "phe-duyet"}
		for _, act := range []assessment.Action{assessment.Submit, assessment.Verify, assessment.Approve} {
			if cur, err = db.ChangeStatus(ctx, actors[act], cur.ID, cur.Version, act, ""); err != nil {
				t.Fatal(err)
			}
		}
		if rep := progress(); rep.Basis != "approved" || rep.UnitsAssessed != 1 || rep.CriteriaMetSum != 7 || rep.Pending.Draft != 0 {
			t.Errorf("progress after approval: %+v", rep)
		}
		code, out, _ = ntm(t, "--db", dsn, "progress", "--unit", "01", "--as-of", "2026-06-30")
		if code != 0 || !strings.Contains(out, "(số liệu đã phê duyệt)") {
			t.Errorf("progress text names its basis: exit %d\n%s", code, out)
		}
		if code, _, _ := ntm(t, "--db", dsn, "progress", "--unit", "01", "--set", "nope"); code != 4 {
			t.Errorf("unknown set: exit %d, want 4", code)
		}
	})
}
