package criteria

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/units"
)

func shippedSet(t testing.TB, id string) *Set {
	t.Helper()
	c, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := c.Get(id)
	if !ok {
		t.Fatalf("no shipped set %s", id)
	}
	return s
}

func TestShipped_EightSetsWithTheirDecisionsAndDates(t *testing.T) {
	want := []struct {
		id, decision                  string
		issued, effective, superseded units.Date
		level, tier, varies           string
		criteria, indicators          int
	}{
		{"huyen-ntm-2016", "558/QĐ-TTg", "2016-04-05", "2016-04-05", "2022-03-08", "district", "ntm", "none", 2, 10},
		{"huyen-ntm-2021", "320/QĐ-TTg", "2022-03-08", "2022-03-08", "2026-02-15", "district", "ntm", "none", 5, 14},
		{"xa-kieu-mau-2018", "691/QĐ-TTg", "2018-06-05", "2018-06-05", "2022-03-08", "commune", "kieu-mau", "none", 4, 0},
		{"xa-kieu-mau-2021", "319/QĐ-TTg", "2022-03-08", "2022-03-08", "2026-02-15", "commune", "kieu-mau", "none", 4, 4},
		{"xa-nang-cao-2021", "318/QĐ-TTg", "2022-03-08", "2022-03-08", "2026-02-15", "commune", "nang-cao", "region", 19, 2},
		{"xa-ntm-2016", "1980/QĐ-TTg", "2016-10-17", "2016-10-17", "2022-03-08", "commune", "ntm", "region", 19, 8},
		{"xa-ntm-2021", "318/QĐ-TTg", "2022-03-08", "2022-03-08", "2026-02-15", "commune", "ntm", "region", 19, 54},
		{"xa-ntm-2026", "51/2025/QĐ-TTg", "2025-12-29", "2026-02-15", "", "commune", "ntm", "group", 10, 0},
	}
	c, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.IDs(), " "); got != "huyen-ntm-2016 huyen-ntm-2021 xa-kieu-mau-2018 xa-kieu-mau-2021 xa-nang-cao-2021 xa-ntm-2016 xa-ntm-2021 xa-ntm-2026" {
		t.Fatalf("ids: %s", got)
	}
	for _, w := range want {
		s, _ := c.Get(w.id)
		st := s.Stats()
		if s.Basis.Decision != w.decision || s.Basis.Issued != w.issued || s.Basis.Effective != w.effective ||
			s.Basis.Superseded != w.superseded || s.Level != w.level || s.Tier != w.tier || s.VariesBy != w.varies ||
			st.Criteria != w.criteria || st.Indicators != w.indicators {
			t.Errorf("%s: basis %+v level %s tier %s varies %s stats %+v", w.id, s.Basis, s.Level, s.Tier, s.VariesBy, st)
		}
	}
	if s, _ := c.Get("xa-ntm-2021"); !s.InForce("2024-01-01") || s.InForce("2026-02-15") {
		t.Error("xa-ntm-2021 is in force from 2022-03-08 until 2026-02-15")
	}
}

// The shipped thresholds are exactly those of the reference facts; nothing is filled in.
func TestShipped_ThresholdsAreTheReferenceOnes(t *testing.T) {
	type thr struct {
		set, code string
		general   any // nil: none; float64 or bool
		by        map[string]any
		verified  bool
	}
	none := any(nil)
	tests := []thr{
		{"xa-ntm-2016", "10", 45.0, map[string]any{"TDMNPB": 36.0, "DBSH": 50.0, "BTB": 36.0, "DHNTB": 41.0, "TN": 41.0, "DNB": 59.0, "DBSCL": 50.0}, true},
		{"xa-ntm-2016", "14.2", 85.0, map[string]any{"TDMNPB": 70.0, "DBSH": 90.0, "DBSCL": 80.0}, true},
		{"xa-ntm-2016", "14.3", 40.0, map[string]any{"TDMNPB": 25.0, "DNB": 45.0}, true},
		{"xa-ntm-2016", "15.1", 85.0, nil, true},
		{"xa-ntm-2016", "15.3", 21.8, map[string]any{"TN": 31.4, "DBSH": 13.9}, true},
		{"xa-ntm-2021", "2.1", 100.0, nil, false},
		{"xa-ntm-2021", "2.2", none, map[string]any{"DBSH": none}, false},
		{"xa-ntm-2021", "9.1", false, nil, false},
		{"xa-ntm-2021", "8.1", true, nil, true},
		{"xa-ntm-2021", "17.4", 2.0, nil, false},
		{"xa-ntm-2021", "10", none, map[string]any{"TDMNPB": none}, false},
		{"xa-ntm-2021", "5", none, map[string]any{"DBSH": none}, true},
		{"xa-nang-cao-2021", "17.a", 55.0, nil, false}, // one press article about one district
		{"huyen-ntm-2016", "1", 100.0, nil, false},
		{"xa-nang-cao-2021", "2.a", none, nil, true},
		{"xa-kieu-mau-2021", "KM.2", 10.0, nil, true},
		{"huyen-ntm-2021", "1", 100.0, nil, true},
		{"huyen-ntm-2021", "2", 10.0, nil, true},
		{"huyen-ntm-2021", "4.1", 90.0, nil, true},
	}
	val := func(v Value) any {
		switch v.Kind {
		case ValueNumber:
			return v.Num
		case ValueBool:
			return v.Bool
		}
		return nil
	}
	for _, tt := range tests {
		in, _ := shippedSet(t, tt.set).Indicator(tt.code)
		if in == nil {
			t.Errorf("%s %s: missing", tt.set, tt.code)
			continue
		}
		var g any
		if in.Threshold != nil {
			g = val(*in.Threshold)
		}
		if g != tt.general || in.Verified != tt.verified {
			t.Errorf("%s %s: threshold %v verified %v, want %v %v", tt.set, tt.code, g, in.Verified, tt.general, tt.verified)
		}
		for k, want := range tt.by {
			found := false
			for _, o := range in.By {
				if o.Key == k {
					found = true
					if val(o.Value) != want {
						t.Errorf("%s %s by %s: %v, want %v", tt.set, tt.code, k, val(o.Value), want)
					}
				}
			}
			if !found {
				t.Errorf("%s %s: no override for %s", tt.set, tt.code, k)
			}
		}
	}
	// 2026-2030: ten criteria, no indicator at all (the reference has none).
	s := shippedSet(t, "xa-ntm-2026")
	for _, c := range s.Criteria {
		if len(c.Indicators) != 0 {
			t.Errorf("xa-ntm-2026 criterion %d has invented indicators", c.Number)
		}
	}
}

func TestShipped_EveryVerifiedIndicatorNamesItsSource(t *testing.T) {
	c, _ := Shipped()
	for _, s := range c.Sets() {
		for _, cr := range s.Criteria {
			for _, in := range cr.Indicators {
				if in.Verified && !strings.HasPrefix(in.Source, "http") {
					t.Errorf("%s %s: verified without a source URL", s.ID, in.Code)
				}
			}
		}
	}
}

// Every commune criterion of every shipped set can be decided by its result entered directly
// (TC<N>), so a commune can be assessed criterion by criterion even where indicators are missing;
// a commune whose 19 results are all đạt meets the 2016-2020 set.
func TestShipped_EveryCriterionCanBeEnteredDirectly(t *testing.T) {
	c, _ := Shipped()
	for _, s := range c.Sets() {
		vals := Values{}
		for _, cr := range s.Criteria {
			vals[DirectKey(cr.Number)] = Bool(false)
		}
		r, err := Evaluate(s, Unit{Region: "DBSH", Group: "nhom-2", Level: s.Level}, vals, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, cv := range r.Criteria {
			if cv.Status != StatusNotMet {
				t.Errorf("%s TC%d entered 'không đạt': %s %q", s.ID, cv.Number, cv.Status, cv.ReasonVI())
			}
		}
	}
	s := shippedSet(t, "xa-ntm-2016")
	vals := Values{}
	for i := 1; i <= 19; i++ {
		vals[DirectKey(i)] = Bool(true)
	}
	r, _ := Evaluate(s, Unit{Region: "BTB"}, vals, Options{})
	if !r.Met || r.CriteriaMet != 19 || r.CriteriaTotal != 19 {
		t.Errorf("xa-ntm-2016 with 19 criteria đạt: met %v %d/%d", r.Met, r.CriteriaMet, r.CriteriaTotal)
	}
	delete(vals, DirectKey(7))
	if r, _ := Evaluate(s, Unit{Region: "BTB"}, vals, Options{}); r.Met || r.CriteriaMet != 18 {
		t.Errorf("xa-ntm-2016 without TC7: met %v %d", r.Met, r.CriteriaMet)
	}
}

// One indicator is listed once in a set (12.1 and 14.3 of xa-ntm-2021 were the same), every
// commune criterion names its group and sector in the 2016-2020 and 2021-2025 sets.
func TestShipped_NoIndicatorTwiceAndEveryCriterionHasGroupAndSector(t *testing.T) {
	c, _ := Shipped()
	for _, s := range c.Sets() {
		seen := map[string]string{}
		for _, cr := range s.Criteria {
			for _, in := range cr.Indicators {
				if prev, ok := seen[in.Name]; ok {
					t.Errorf("%s: %q is both %s and %s", s.ID, in.Name, prev, in.Code)
				}
				seen[in.Name] = in.Code
			}
		}
	}
	for _, id := range []string{"xa-ntm-2016", "xa-ntm-2021", "xa-nang-cao-2021"} {
		for _, cr := range shippedSet(t, id).Criteria {
			if cr.Group == "" || cr.Sector == "" {
				t.Errorf("%s criterion %d: group %q sector %q", id, cr.Number, cr.Group, cr.Sector)
			}
		}
	}
	if in, _ := shippedSet(t, "xa-ntm-2021").Indicator("14.3"); in != nil {
		t.Error("xa-ntm-2021 still lists 14.3")
	}
}

func TestSet_VerifiedSourcesCountsThresholdsBySource(t *testing.T) {
	got := shippedSet(t, "xa-ntm-2016").VerifiedSources()
	total := 0
	for _, sc := range got {
		total += sc.Thresholds
	}
	if total != 7 || len(got) != 4 || got[0].Thresholds != 3 || !strings.Contains(got[0].Source, "24BBA") {
		t.Errorf("xa-ntm-2016 verified sources: %+v", got)
	}
	if got := shippedSet(t, "xa-nang-cao-2021").VerifiedSources(); len(got) != 0 {
		t.Errorf("xa-nang-cao-2021 has no verified threshold, got %+v", got)
	}
}
