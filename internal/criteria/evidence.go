package criteria

import (
	"fmt"
	"slices"
)

// EvidenceRequired is the one value of `evidence:` in a set's data.
const EvidenceRequired = "required"

// optEvidence reads `evidence:` of a criterion or indicator: absent, or "required".
func optEvidence(ps *problems, f fields, field string) string {
	v, ok := optString(ps, f, "evidence", field)
	if !ok || v == "" {
		return ""
	}
	if v != EvidenceRequired {
		x := f["evidence"]
		ps.add(x.src, x.n, field, bi(fmt.Sprintf("%q không hợp lệ; chỉ có evidence: required", v), fmt.Sprintf("%q: the only value is evidence: required", v)))
		return ""
	}
	return v
}

// MissingEvidence lists what the set requires evidence for among the values entered, and
// has none among the codes of the files attached (have): a criterion's own result (TC17)
// needs a file coded TC17 or one of its indicators; an indicator, a file coded with it.
func (s *Set) MissingEvidence(values map[string]string, have []string) []string {
	var out []string
	for _, c := range s.Criteria {
		key := DirectKey(c.Number)
		if _, entered := values[key]; entered && c.Evidence == EvidenceRequired {
			ok := slices.Contains(have, key)
			for _, in := range c.Indicators {
				ok = ok || slices.Contains(have, in.Code)
			}
			if !ok {
				out = append(out, key)
			}
		}
		for _, in := range c.Indicators {
			if _, entered := values[in.Code]; entered && in.Evidence == EvidenceRequired && !slices.Contains(have, in.Code) {
				out = append(out, in.Code)
			}
		}
	}
	return out
}
