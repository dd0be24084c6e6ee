package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func world(t *testing.T, db *store.DB) (*app.Catalog, *recognition.Library) {
	t.Helper()
	us, ls, err := units.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(context.Background(), us, ls); err != nil {
		t.Fatal(err)
	}
	cat, err := app.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := recognition.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	return cat, lib
}

// assess stores an assessment of code against set for period whose criteria 1..total are met
// except failed.
func assess(t *testing.T, db *store.DB, code, set, period string, total int, failed ...int) store.Assessment {
	t.Helper()
	ctx := context.Background()
	p, _ := assessment.ParsePeriod(period)
	a, err := writer(t, db).CreateAssessment(ctx, app.System("xa"), code, set, p)
	if err != nil {
		t.Fatal(err)
	}
	no := map[int]bool{}
	for _, n := range failed {
		no[n] = true
	}
	var ch []store.ValueChange
	for n := 1; n <= total; n++ {
		v := "true"
		if no[n] {
			v = "false"
		}
		ch = append(ch, store.ValueChange{Code: fmt.Sprintf("TC%d", n), Value: &v})
	}
	a, err = writer(t, db).SetValues(ctx, app.System("xa"), a.ID, a.Version, ch)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func recognise(t *testing.T, db *store.DB, code, tier, number string, day units.Date) {
	t.Helper()
	if _, err := db.ImportRecognitions(context.Background(), "tinh", []store.RegistryImport{{Row: 2, UnitCode: code, Tier: tier,
		Decision: recognition.Decision{Number: number, Date: day, Signer: "Chủ tịch UBND tỉnh"}}}, nil, false); err != nil {
		t.Fatal(err)
	}
}

// The acceptance: a recognised commune whose latest assessment fails 10 of 19 criteria is on
// the watch list with those criteria; one failing 9 without a key criterion is not; one failing
// 9 with income is.
func TestRevocationWatch_LatestAssessmentAgainstQD18(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cat, lib := world(t, db)
		const tenFail, nineNoKey, nineIncome, fine, unassessed = "00379", "00382", "00385", "00388", "00391" // Huyện Sóc Sơn, before the reform
		for _, c := range []string{tenFail, nineNoKey, nineIncome, fine, unassessed} {
			recognise(t, db, c, "ntm", "QĐ-"+c, "2021-12-01")
		}
		// An old assessment that met everything, then the latest one.
		assess(t, db, tenFail, "xa-ntm-2021", "2023", 19)
		assess(t, db, tenFail, "xa-ntm-2021", "2024", 19, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11)
		assess(t, db, nineNoKey, "xa-ntm-2021", "2024", 19, 1, 2, 3, 4, 5, 6, 7, 8, 9)
		assess(t, db, nineIncome, "xa-ntm-2021", "2024", 19, 1, 2, 3, 4, 5, 6, 7, 8, 10)
		assess(t, db, fine, "xa-ntm-2021", "2024", 19, 2)
		// A second decision for the same commune and tier (recognised again, under another
		// decision): one recognition, counted once, as the registry's totals count it.
		recognise(t, db, fine, "ntm", "QĐ-lại-"+fine, "2023-05-01")
		w, err := app.RevocationWatch(ctx, db, cat, lib, "016", "2025-01-15", false)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := app.CountRecognitions(ctx, db, "016", "ntm", units.LevelCommune, "2025-01-01", "2025-01-15"); err != nil || n.Total != w.Checked {
			t.Errorf("the watch checks %d recognised communes, the registry counts %d (%v)", w.Checked, n.Total, err)
		}
		if w.Checked != 5 || len(w.AtRisk) != 2 || len(w.NotAssessed) != 1 || w.NotAssessed[0].UnitCode != unassessed {
			t.Fatalf("watch: checked %d, at risk %d, not assessed %+v", w.Checked, len(w.AtRisk), w.NotAssessed)
		}
		first, second := w.AtRisk[0], w.AtRisk[1]
		if first.Recognition.UnitCode != tenFail || first.Verdict.Clause != recognition.ClauseFailedMost || first.Assessment.Period != "2024" ||
			first.Recognition.UnitName != "Xã Bắc Sơn" || first.Set != "xa-ntm-2021" {
			t.Errorf("first at risk: %+v", first)
		}
		var nums []int
		for _, f := range first.Failing {
			nums = append(nums, f.Number)
		}
		if fmt.Sprint(nums) != "[1 2 3 4 5 6 7 8 9 11]" || first.Failing[9].Name != "Nghèo đa chiều" {
			t.Errorf("failing criteria: %v %+v", nums, first.Failing)
		}
		if second.Recognition.UnitCode != nineIncome || second.Verdict.Clause != recognition.ClauseFailedKey || !second.Failing[8].Key || second.Failing[8].Name != "Thu nhập" {
			t.Errorf("second at risk: %+v", second)
		}
		// Before the 2024 assessments existed, nothing is at risk; a revoked recognition is no
		// longer watched.
		if w, _ := app.RevocationWatch(ctx, db, cat, lib, "016", "2024-06-30", false); len(w.AtRisk) != 0 {
			t.Errorf("at risk before the 2024 results: %+v", w.AtRisk)
		}
		rs, _ := db.Recognitions(ctx, store.RegistryFilter{Root: tenFail, AsOf: "2025-01-15"})
		db.RevokeRecognition(ctx, "tinh", rs[0].ID, recognition.Decision{Number: "thu hồi 1", Date: "2025-01-10", Signer: "Chủ tịch"}, "10/19")
		if w, _ := app.RevocationWatch(ctx, db, cat, lib, "016", "2025-01-15", false); len(w.AtRisk) != 1 || w.Checked != 4 {
			t.Errorf("after revoking: %d at risk of %d", len(w.AtRisk), w.Checked)
		}
		// The district holding them: 1 of its 25 communes revoked is under 30 %.
		recognise(t, db, "016", "ntm", "QĐ-huyện", "2022-12-01")
		w, _ = app.RevocationWatch(ctx, db, cat, lib, "01", "2025-01-15", false)
		for _, e := range w.AtRisk {
			if e.Recognition.UnitCode == "016" {
				t.Errorf("the district is at risk: %+v", e.Verdict)
			}
		}
	})
}

func TestCountRecognitions_NewAndCumulative(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		world(t, db)
		for i, c := range []struct {
			code string
			day  units.Date
		}{{"00376", "2026-02-01"}, {"00382", "2026-03-01"}, {"00385", "2026-08-01"}} {
			recognise(t, db, c.code, "ntm", fmt.Sprintf("%d/QĐ", i), c.day)
		}
		recognise(t, db, "00382", "ntm", "re/QĐ", "2026-09-01") // recognised again: not new
		c, err := app.CountRecognitions(ctx, db, "01", "ntm", units.LevelCommune, "2026-07-01", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if c.New != 1 || c.Total != 3 || c.NewUnits[0].UnitCode != "00385" {
			t.Errorf("second half of 2026: %+v", c)
		}
		if c.Text != "có thêm 01 xã đạt chuẩn NTM, nâng tổng số lên 03 xã" || c.TextEN != "1 more commune recognised as new rural, bringing the total to 3" {
			t.Errorf("text: %q / %q", c.Text, c.TextEN)
		}
		c, _ = app.CountRecognitions(ctx, db, "01", "ntm", units.LevelCommune, "2026-01-01", "2026-01-31")
		if c.New != 0 || c.Total != 0 || c.Text != "chưa có xã nào đạt chuẩn NTM" {
			t.Errorf("January: %+v", c)
		}
	})
}

func TestRecognitionSentence(t *testing.T) {
	for _, c := range []struct {
		lang         string
		added, total int
		want         string
	}{
		{"vi", 1, 21, "có thêm 01 xã đạt chuẩn NTM, nâng tổng số lên 21 xã"},
		{"vi", 12, 1234, "có thêm 12 xã đạt chuẩn NTM, nâng tổng số lên 1.234 xã"},
		{"en", 12, 1234, "12 more communes recognised as new rural, bringing the total to 1,234"},
		{"vi", 0, 7, "chưa có thêm xã nào đạt chuẩn NTM; tổng số 07 xã đạt chuẩn NTM"},
		{"en", 0, 7, "no commune newly recognised as new rural; 7 communes in all"},
	} {
		if got := app.RecognitionSentence(c.lang, "ntm", units.LevelCommune, c.added, c.total); got != c.want {
			t.Errorf("%s %d %d: %q", c.lang, c.added, c.total, got)
		}
	}
	if got := app.RecognitionSentence("vi", "nang-cao", units.LevelCommune, 3, 8); got != "có thêm 03 xã đạt chuẩn NTM nâng cao, nâng tổng số lên 08 xã" {
		t.Errorf("nâng cao: %q", got)
	}
}
