package progress

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// nation generates 10,600 communes in 700 districts and 63 provinces, deterministically: criteria
// met drawn around 15, a third with a previous assessment, one in fifty not assessed.
func nation() (Unit, []Unit, []Entry) {
	const communes, districts, provinces = 10600, 700, 63
	rng := rand.New(rand.NewPCG(2026, 19))
	var provs []Unit
	for p := range provinces {
		provs = append(provs, Unit{Code: fmt.Sprintf("%02d", p+1), Name: fmt.Sprintf("Tỉnh %d", p+1)})
	}
	statuses := []string{"draft", "submitted", "verified", "returned", "approved"}
	entries := make([]Entry, 0, communes)
	for c := range communes {
		d := c * districts / communes
		p := d * provinces / districts
		u := Unit{Code: fmt.Sprintf("%05d", c+1), Name: fmt.Sprintf("Xã %d", c+1),
			Path: []string{"VN", provs[p].Code, fmt.Sprintf("%03d", d+1)}}
		if rng.IntN(50) == 0 {
			entries = append(entries, Entry{Unit: u, CriteriaTotal: 19, IndicatorsTotal: 57})
			continue
		}
		met := func() []int {
			var s []int
			for n := 1; n <= 19; n++ {
				if rng.IntN(100) < 80 {
					s = append(s, n)
				}
			}
			return s
		}
		cur := met()
		e := Entry{Unit: u, Assessed: true, Period: "2025", Status: statuses[rng.IntN(len(statuses))],
			CriteriaMet: cur, CriteriaTotal: 19, IndicatorsMet: 3 * len(cur), IndicatorsTotal: 57,
			Met: len(cur) == 19, Recognized: len(cur) == 19 && rng.IntN(2) == 0}
		if rng.IntN(3) == 0 {
			prev := met()
			e.Previous = &Entry{Assessed: true, Period: "2024", CriteriaMet: prev, CriteriaTotal: 19,
				IndicatorsMet: 3 * len(prev), IndicatorsTotal: 57, Met: len(prev) == 19}
		}
		entries = append(entries, e)
	}
	return Unit{Code: "VN", Name: "Cả nước"}, provs, entries
}

func BenchmarkRollupNation(b *testing.B) {
	root, provs, entries := nation()
	b.ReportAllocs()
	var r Report
	for b.Loop() {
		r = Rollup(root, nationalSet, entries, Options{Children: provs})
	}
	if r.UnitsTotal != 10600 || len(r.Children) != 63 {
		b.Fatalf("%d units, %d children", r.UnitsTotal, len(r.Children))
	}
}
