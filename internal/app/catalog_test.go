package app_test

import (
	"context"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func setup(t *testing.T, db *store.DB) *app.Catalog {
	t.Helper()
	us, ls, err := units.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(context.Background(), us, ls); err != nil {
		t.Fatal(err)
	}
	c, err := app.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func str(s string) *string { return &s }

func TestCatalog_StoredValuesAreEvaluated(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		ctx := context.Background()
		p, _ := assessment.ParsePeriod("2026-Q2")
		a, err := writer(t, db).CreateAssessment(ctx, app.System("xa"), "00376", "xa-ntm-2026", p) // Xã Sóc Sơn: only xã are assessed
		if err != nil {
			t.Fatal(err)
		}
		if a.Evaluation.CriteriaTotal != 10 || a.Evaluation.CriteriaMetN != 0 {
			t.Fatalf("empty assessment: %+v", a.Evaluation)
		}
		var ch []store.ValueChange
		for _, tc := range []string{"TC1", "TC2", "TC3", "TC4", "TC5", "TC6", "TC7"} {
			ch = append(ch, store.ValueChange{Code: tc, Value: str("true")})
		}
		ch = append(ch, store.ValueChange{Code: "TC8", Value: str("false")})
		a, err = writer(t, db).SetValues(ctx, app.System("xa"), a.ID, a.Version, ch)
		if err != nil {
			t.Fatal(err)
		}
		if a.Evaluation.CriteriaMetN != 7 || a.Evaluation.Met {
			t.Errorf("7 criteria entered as met: %+v", a.Evaluation)
		}
		// The next read reflects a changed value.
		a, err = writer(t, db).SetValues(ctx, app.System("xa"), a.ID, a.Version, []store.ValueChange{{Code: "TC8", Value: str("true")}})
		if err != nil || a.Evaluation.CriteriaMetN != 8 {
			t.Errorf("after TC8 → true: %+v %v", a.Evaluation, err)
		}
	})
}

func TestCatalog_ImportReplacesShippedSetAndReevaluates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := setup(t, db)
		ctx := context.Background()
		p, _ := assessment.ParsePeriod("2022")
		a, err := writer(t, db).CreateAssessment(ctx, app.System("xa"), "00379", "xa-ntm-2021", p) // Xã Bắc Sơn, before the reform
		if err != nil {
			t.Fatal(err)
		}
		// 2.1 (Tỷ lệ đường xã được nhựa hóa…) ships with 100 %; 92 % does not meet it.
		a, err = writer(t, db).SetValues(ctx, app.System("xa"), a.ID, a.Version, []store.ValueChange{{Code: "2.1", Value: str("92")}})
		if err != nil {
			t.Fatal(err)
		}
		before := a.Evaluation.IndicatorsMet
		shipped, err := c.Get(ctx, "xa-ntm-2021")
		if err != nil {
			t.Fatal(err)
		}
		// A province lowers 2.1 to 90 % in its own version of the set.
		src, err := criteria.Format(shipped)
		if err != nil {
			t.Fatal(err)
		}
		local, err := criteria.Parse("tinh.yaml", []byte(replaceOnce(string(src), "threshold: 100", "threshold: 90")))
		if err != nil {
			t.Fatal(err)
		}
		n, err := c.Import(ctx, "tinh", local, "tinh.yaml", nil)
		if err != nil || n != 1 {
			t.Fatalf("import: %d re-evaluated, %v", n, err)
		}
		got, _ := db.Assessment(ctx, a.ID)
		if got.Evaluation.IndicatorsMet != before+1 {
			t.Errorf("after lowering 2.1 to 90 %%: indicators met %d, want %d", got.Evaluation.IndicatorsMet, before+1)
		}
		// A second catalog over the same database (another server process) sees it too.
		other, err := app.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := other.Get(ctx, "xa-ntm-2021")
		in, _ := s.Indicator("2.1")
		if in.Threshold == nil || in.Threshold.Num != 90 {
			t.Errorf("other process sees 2.1 threshold %+v", in.Threshold)
		}
	})
}

func TestCheckValue_Normalises(t *testing.T) {
	sets, err := criteria.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sets.Get("xa-ntm-2021")
	cases := []struct{ code, in, key, want string }{
		{"2.1", "92,5", "2.1", "92.5"},
		{"1.1", "đạt", "1.1", "true"},
		{"TC17", "không đạt", "TC17", "false"},
		{"tc3", "1", "TC3", "true"},
	}
	for _, c := range cases {
		key, got, err := app.CheckValue(s, c.code, c.in)
		if err != nil || key != c.key || got != c.want {
			t.Errorf("CheckValue(%s, %q) = %s %q, %v; want %s %q", c.code, c.in, key, got, err, c.key, c.want)
		}
	}
	for _, bad := range [][2]string{{"2.1", "120"}, {"2.1", "abc"}, {"99.9", "1"}} {
		if _, _, err := app.CheckValue(s, bad[0], bad[1]); err == nil {
			t.Errorf("CheckValue(%s, %q) accepted", bad[0], bad[1])
		}
	}
}

func replaceOnce(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}

// writer is the use cases over db: assessments written through it are evaluated.
func writer(t testing.TB, db *store.DB) *app.Catalog {
	t.Helper()
	c, err := app.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
