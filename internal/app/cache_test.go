package app_test

import (
	"context"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// A cached report is never served after the data changed, even when the change is made
// through another connection (another server process).
func TestProgressCache_SeesEveryWrite(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		us, ls, _ := units.Shipped()
		if _, err := db.ImportUnits(ctx, us, ls); err != nil {
			t.Fatal(err)
		}
		cat, err := app.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		set, _ := cat.Get(ctx, "xa-ntm-2026")
		var commune string
		kids, _ := db.Children(ctx, "01", "2026-06-30")
		for _, k := range kids {
			if k.IsRuralCommune() {
				commune = k.Code
				break
			}
		}
		before, err := app.ComputeProgress(ctx, db, set, "01", "2026-06-30", false)
		if err != nil || before.UnitsAssessed != 0 {
			t.Fatalf("before: %+v %v", before.UnitsAssessed, err)
		}
		// Another process: its own connection pool and evaluator.
		other := storetest.Reopen(t, db)
		if _, err := app.Open(ctx, other); err != nil {
			t.Fatal(err)
		}
		p, _ := assessment.ParsePeriod("2026-Q2")
		a, err := writer(t, other).CreateAssessment(ctx, app.System("x"), commune, "xa-ntm-2026", p)
		if err != nil {
			t.Fatal(err)
		}
		after, _ := app.ComputeProgress(ctx, db, set, "01", "2026-06-30", false)
		if after.UnitsAssessed != 1 {
			t.Errorf("after another process created an assessment: %d assessed", after.UnitsAssessed)
		}
		v := "true"
		if _, err := writer(t, other).SetValues(ctx, app.System("x"), a.ID, a.Version, []store.ValueChange{{Code: "TC1", Value: &v}}); err != nil {
			t.Fatal(err)
		}
		again, _ := app.ComputeProgress(ctx, db, set, "01", "2026-06-30", false)
		if again.CriteriaMetSum != 1 {
			t.Errorf("after a value changed: %d criteria", again.CriteriaMetSum)
		}
		// A recognition recorded by another process counts at once.
		if _, err := other.ImportRecognitions(ctx, "x", []store.RegistryImport{{Row: 2, UnitCode: commune, Tier: "ntm",
			Decision: recognition.Decision{Number: "1/QĐ-UBND", Date: "2026-05-01"}}}, nil, false); err != nil {
			t.Fatal(err)
		}
		rec, _ := app.ComputeProgress(ctx, db, set, "01", "2026-06-30", false)
		if rec.UnitsRecognized != 1 {
			t.Errorf("after a recognition: %d recognised", rec.UnitsRecognized)
		}
	})
}

// The registers' figures are cached like progress, and a register written by another
// process shows at once: a funding entry added, then removed.
func TestRegistersCache_SeesEveryWrite(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		withUnits(t, db)
		day := units.Date("2025-12-31")
		if r, err := app.Registers(ctx, db, "52", day); err != nil || r.Funding != nil {
			t.Fatalf("before: %+v %v", r.Funding, err)
		}
		other := storetest.Reopen(t, db)
		f, err := other.PutFunding(ctx, "seed", resources.Funding{UnitCode: "23575", Year: 2025, Parts: map[string]resources.Fixed{"nstw": tr(29580)}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := app.Registers(ctx, db, "52", day)
		if err != nil || r.Funding == nil || r.Funding.Entries != 1 {
			t.Fatalf("after another process added funding: %+v %v", r.Funding, err)
		}
		if err := other.DeleteFunding(ctx, "seed", f.ID); err != nil {
			t.Fatal(err)
		}
		if r, _ := app.Registers(ctx, db, "52", day); r.Funding != nil {
			t.Errorf("after the entry was removed: %+v", r.Funding)
		}
	})
}

// Each register's figures are kept once per unit and day, whichever registers a caller asks
// for (the progress output all of them, the dashboard some), and a write to neither the
// registers nor the units (an assessment) keeps them.
func TestRegistersCache_OneEntryPerRegister(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		withUnits(t, db)
		day := units.Date("2025-12-31")
		if _, err := db.PutFunding(ctx, "seed", resources.Funding{UnitCode: "23575", Year: 2025, Parts: map[string]resources.Fixed{"nstw": tr(29580)}}); err != nil {
			t.Fatal(err)
		}
		all, err := app.Registers(ctx, db, "52", day)
		if err != nil || all.Funding == nil {
			t.Fatalf("all registers: %+v %v", all, err)
		}
		some, err := app.RegistersOf(ctx, db, "52", day, app.RegFunding|app.RegWorks)
		if err != nil || some.Funding != all.Funding {
			t.Errorf("the funding asked with fewer registers was computed again (%v)", err)
		}
		if some.OCOP != nil || some.Models != nil || some.TasksOverdue != nil {
			t.Errorf("registers not asked for: %+v", some)
		}
		touch := func(kind string) {
			t.Helper()
			if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Touch(ctx, kind) }); err != nil {
				t.Fatal(err)
			}
		}
		touch(store.VersionAssessments)
		if r, _ := app.RegistersOf(ctx, db, "52", day, app.RegFunding); r.Funding != all.Funding {
			t.Error("a write to the assessments made the registers' figures computed again")
		}
		touch(store.VersionUnits)
		if r, _ := app.RegistersOf(ctx, db, "52", day, app.RegFunding); r.Funding == all.Funding || r.Funding == nil || r.Funding.Entries != 1 {
			t.Errorf("after a write to the units: %+v", r.Funding)
		}
	})
}
