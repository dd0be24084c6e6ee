package recognition

import (
	"fmt"
	"testing"

	"github.com/ntm-vn/ntm/internal/units"
)

// metExcept lists the criteria 1..total but those failed.
func metExcept(total int, failed ...int) []int {
	f := map[int]bool{}
	for _, n := range failed {
		f[n] = true
	}
	var out []int
	for n := 1; n <= total; n++ {
		if !f[n] {
			out = append(out, n)
		}
	}
	return out
}

func seq(n int) []int { return metExcept(n) }

func TestRevocation_EdgesOfQD18(t *testing.T) {
	lib := shippedLib(t)
	rule, sr := lib.RuleFor(units.LevelCommune, "xa-ntm-2021")
	cases := []struct {
		name   string
		failed []int
		risk   bool
		clause Clause
		key    string
	}{
		{"none failed", nil, false, ClauseNone, "[]"},
		{"5 of 19 with income: 26 %", []int{1, 2, 3, 4, 10}, false, ClauseNone, "[10]"},
		{"6 of 19 without a key criterion: 31.6 %", []int{1, 2, 3, 4, 5, 6}, false, ClauseNone, "[]"},
		{"6 of 19 with income: 31.6 %", []int{1, 2, 3, 4, 5, 10}, true, ClauseFailedKey, "[10]"},
		{"9 of 19 without income: 47.4 %", []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, false, ClauseNone, "[]"},
		{"9 of 19 with income: 47.4 %", []int{1, 2, 3, 4, 5, 6, 7, 8, 10}, true, ClauseFailedKey, "[10]"},
		{"9 of 19 with environment", []int{1, 2, 3, 4, 5, 6, 7, 8, 17}, true, ClauseFailedKey, "[17]"},
		{"9 of 19 with defence and security", []int{1, 2, 3, 4, 5, 6, 7, 8, 19}, true, ClauseFailedKey, "[19]"},
		{"10 of 19 without a key criterion: 52.6 %", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 11}, true, ClauseFailedMost, "[]"},
		{"19 of 19", seq(19), true, ClauseFailedMost, "[10 17 19]"},
	}
	for _, c := range cases {
		v := rule.Assess(sr, Standing{Criteria: seq(19), Met: metExcept(19, c.failed...)})
		if v.AtRisk != c.risk || v.Clause != c.clause || len(v.Failed) != len(c.failed) || fmt.Sprint(v.FailedKey) != c.key || !v.Verified {
			t.Errorf("%s: %+v", c.name, v)
		}
	}
	// The 10-criterion set of 2026: exactly 30 % with a key criterion, exactly 50 %.
	rule, sr = lib.RuleFor(units.LevelCommune, "xa-ntm-2026")
	for _, c := range []struct {
		failed []int
		risk   bool
	}{
		{[]int{1, 2, 8}, true},        // 30 %, environment
		{[]int{1, 2, 3}, false},       // 30 %, none key
		{[]int{1, 2}, false},          // 20 %, even with none key
		{[]int{1, 2, 3, 4, 5}, true},  // 50 %
		{[]int{1, 2, 3, 4, 10}, true}, // 50 %
	} {
		v := rule.Assess(sr, Standing{Criteria: seq(10), Met: metExcept(10, c.failed...)})
		if v.AtRisk != c.risk || v.Verified {
			t.Errorf("2026 %v: %+v (the 2026 mapping is unverified)", c.failed, v)
		}
	}
}

func TestRevocation_DistrictCommunesRevoked(t *testing.T) {
	lib := shippedLib(t)
	rule, sr := lib.RuleFor(units.LevelDistrict, "huyen-ntm-2021")
	for _, c := range []struct {
		children, revoked int
		risk              bool
	}{{10, 2, false}, {10, 3, true}, {20, 5, false}, {20, 6, true}, {0, 0, false}} {
		v := rule.Assess(sr, Standing{Criteria: seq(5), Met: seq(5), Children: c.children, ChildrenRevoked: c.revoked})
		if v.AtRisk != c.risk || (c.risk && v.Clause != ClauseChildrenRevoked) {
			t.Errorf("%d of %d communes revoked: %+v", c.revoked, c.children, v)
		}
	}
}
