package recognition

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/ntm-vn/ntm/internal/units"
)

// RevocationRule is when a recognised unit loses its recognition (thu hồi quyết định công
// nhận), as a decision states it: a share of the criteria no longer met, a smaller share if it
// includes a key criterion, or (for a district) a share of its communes revoked. The key
// criteria are named by number for each criteria set.
type RevocationRule struct {
	ID      string      `json:"id"`
	Title   string      `json:"title"`
	TitleEN string      `json:"title_en"`
	Basis   Basis       `json:"basis"`
	Level   units.Level `json:"level"`
	// FailedPct: this share of the criteria not met, or more, is enough (50).
	FailedPct int `json:"failed_pct"`
	// FailedPctWithKey: from this share up to FailedPct is enough when a key criterion is
	// among those not met (30).
	FailedPctWithKey int `json:"failed_pct_with_key"`
	// ChildrenRevokedPct: this share of the unit's communes revoked, or more, is enough (a
	// district: 30); 0 when the rule has no such clause.
	ChildrenRevokedPct int       `json:"children_revoked_pct,omitempty"`
	Verified           bool      `json:"verified"`
	Source             string    `json:"source,omitempty"`
	Sets               []SetRule `json:"sets"`
	File               string    `json:"-"`
}

// SetRule names the key criteria of one criteria set.
type SetRule struct {
	Set      string `json:"set" yaml:"set"`
	Key      []int  `json:"key" yaml:"key"`
	Verified bool   `json:"verified" yaml:"verified"`
	Note     string `json:"note,omitempty" yaml:"note"`
}

func parseRule(file string, raw *rawFile, root *yaml.Node, basis Basis, level units.Level, ps *problems) *RevocationRule {
	at := func(keys ...any) int { return lineOf(root, keys...) }
	r := &RevocationRule{ID: raw.ID, Title: raw.Title, TitleEN: raw.TitleEN, Basis: basis, Level: level,
		FailedPct: raw.FailedPct, FailedPctWithKey: raw.FailedPctWithKey, ChildrenRevokedPct: raw.ChildrenRevokedPct,
		Verified: raw.Verified, Source: raw.Source, Sets: raw.Sets, File: file}
	if r.FailedPct < 1 || r.FailedPct > 100 {
		ps.add(file, at("failed_pct"), "failed_pct", "tỷ lệ %d không hợp lệ: 1-100 (failed_pct: 1-100)", r.FailedPct)
	}
	if r.FailedPctWithKey < 0 || r.FailedPctWithKey > r.FailedPct {
		ps.add(file, at("failed_pct_with_key"), "failed_pct_with_key", "tỷ lệ %d không hợp lệ: 0 đến failed_pct (failed_pct_with_key: 0 to failed_pct)", r.FailedPctWithKey)
	}
	if r.ChildrenRevokedPct < 0 || r.ChildrenRevokedPct > 100 {
		ps.add(file, at("children_revoked_pct"), "children_revoked_pct", "tỷ lệ %d không hợp lệ: 0-100 (children_revoked_pct: 0-100)", r.ChildrenRevokedPct)
	}
	if len(raw.Steps) > 0 || len(raw.Tiers) > 0 {
		ps.add(file, at("steps"), "steps", "quy tắc thu hồi không có bước hay mức (a revocation rule has no steps or tiers)")
	}
	for i, s := range r.Sets {
		if !idRE.MatchString(s.Set) {
			ps.add(file, at("sets", i, "set"), fmt.Sprintf("sets[%d].set", i), "mã bộ tiêu chí %q không hợp lệ (bad set id)", s.Set)
		}
		if len(s.Key) == 0 {
			ps.add(file, at("sets", i), fmt.Sprintf("sets[%d].key", i), "cần ít nhất một tiêu chí then chốt (at least one key criterion)")
		}
		for _, k := range s.Key {
			if k < 1 || k > 100 {
				ps.add(file, at("sets", i, "key"), fmt.Sprintf("sets[%d].key", i), "số tiêu chí %d không hợp lệ (bad criterion number)", k)
			}
		}
	}
	return r
}

// RuleFor returns the revocation rule and the set's key criteria for a unit of level assessed
// against setID; false when no rule names the set (or the level has no rule at all: the
// rule comes back without a set).
func (l *Library) RuleFor(level units.Level, setID string) (*RevocationRule, *SetRule) {
	var any *RevocationRule
	for _, r := range l.Rules {
		if r.Level != level {
			continue
		}
		any = r
		for i := range r.Sets {
			if r.Sets[i].Set == setID {
				return r, &r.Sets[i]
			}
		}
	}
	return any, nil
}

// Clause names the part of the rule that a unit falls under.
type Clause string

const (
	ClauseNone            Clause = ""
	ClauseFailedMost      Clause = "failed"           // ≥ FailedPct of the criteria not met
	ClauseFailedKey       Clause = "failed_key"       // FailedPctWithKey to < FailedPct, with a key criterion
	ClauseChildrenRevoked Clause = "children_revoked" // ≥ ChildrenRevokedPct of the communes revoked
)

// Verdict is a recognised unit's standing against the revocation rule.
type Verdict struct {
	AtRisk    bool    `json:"at_risk"`
	Clause    Clause  `json:"clause,omitempty"`
	Total     int     `json:"criteria_total"`
	Failed    []int   `json:"failed"`     // the criteria not met, by number
	FailedKey []int   `json:"failed_key"` // the key criteria among them
	FailedPct float64 `json:"failed_pct"`
	// Children figures, for a rule with a children clause.
	Children        int     `json:"children,omitempty"`
	ChildrenRevoked int     `json:"children_revoked,omitempty"`
	ChildrenPct     float64 `json:"children_revoked_pct,omitempty"`
	// Verified is false when the rule or the set's key criteria are not checked against the
	// decision's text.
	Verified bool `json:"verified"`
}

// Standing is what the rule looks at for one unit.
type Standing struct {
	Criteria []int // every criterion of the set, by number
	Met      []int // those met in the latest assessment
	// Children and ChildrenRevoked count the unit's communes and those whose recognition was
	// revoked (for a rule with a children clause).
	Children, ChildrenRevoked int
}

// Assess applies the rule: the criteria not met are those of the set not in Met. A criterion
// whose data are missing is not met, as the evaluation says. Shares are compared exactly (9
// of 19 is 47.4 %: at risk only with a key criterion; 10 of 19 is 52.6 %: at risk).
func (r *RevocationRule) Assess(sr *SetRule, st Standing) Verdict {
	v := Verdict{Total: len(st.Criteria), Failed: []int{}, FailedKey: []int{}, Verified: r.Verified && (sr == nil || sr.Verified)}
	met := map[int]bool{}
	for _, n := range st.Met {
		met[n] = true
	}
	key := map[int]bool{}
	if sr != nil {
		for _, k := range sr.Key {
			key[k] = true
		}
	}
	nums := append([]int(nil), st.Criteria...)
	sort.Ints(nums)
	for _, n := range nums {
		if met[n] {
			continue
		}
		v.Failed = append(v.Failed, n)
		if key[n] {
			v.FailedKey = append(v.FailedKey, n)
		}
	}
	f := len(v.Failed)
	if sr != nil && v.Total > 0 {
		v.FailedPct = 100 * float64(f) / float64(v.Total)
		switch {
		case f*100 >= r.FailedPct*v.Total:
			v.AtRisk, v.Clause = true, ClauseFailedMost
		case f*100 >= r.FailedPctWithKey*v.Total && len(v.FailedKey) > 0:
			v.AtRisk, v.Clause = true, ClauseFailedKey
		}
	}
	if r.ChildrenRevokedPct > 0 && st.Children > 0 {
		v.Children, v.ChildrenRevoked = st.Children, st.ChildrenRevoked
		v.ChildrenPct = 100 * float64(st.ChildrenRevoked) / float64(st.Children)
		if !v.AtRisk && st.ChildrenRevoked*100 >= r.ChildrenRevokedPct*st.Children {
			v.AtRisk, v.Clause = true, ClauseChildrenRevoked
		}
	}
	return v
}
