package progress

import "testing"

// TestRollup_Pending: units whose latest assessment is not approved yet are counted by
// status beside the official figures, whether or not an approved one counts for them.
func TestRollup_Pending(t *testing.T) {
	entries := []Entry{
		{Unit: Unit{Code: "a"}, Assessed: true, Status: "approved", CriteriaMet: []int{1}, CriteriaTotal: 2},
		{Unit: Unit{Code: "b"}, Assessed: true, Status: "approved", CriteriaMet: []int{1, 2}, CriteriaTotal: 2, Met: true, Pending: "submitted"},
		{Unit: Unit{Code: "c"}, Pending: "draft"},
		{Unit: Unit{Code: "d"}, Pending: "verified"},
		{Unit: Unit{Code: "e"}},
	}
	r := Rollup(Unit{}, []Criterion{{Number: 1}, {Number: 2}}, entries, Options{ChildLevel: -1})
	want := StatusCounts{Draft: 1, Submitted: 1, Verified: 1}
	if r.Pending != want || r.Pending.Total() != 3 || r.UnitsAssessed != 2 || r.UnitsMet != 1 || r.ByStatus.Approved != 2 {
		t.Errorf("pending %+v (total %d), assessed %d, met %d, by status %+v", r.Pending, r.Pending.Total(), r.UnitsAssessed, r.UnitsMet, r.ByStatus)
	}
}
