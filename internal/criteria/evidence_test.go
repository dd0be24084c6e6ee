package criteria

import (
	"slices"
	"strings"
	"testing"
)

func TestMissingEvidence_CriterionResultsAndNamedIndicators(t *testing.T) {
	src := strings.Replace(minimal, "  - number: 17\n    name: Môi trường\n", "  - number: 17\n    name: Môi trường\n    evidence: required\n", 1)
	src = strings.Replace(src, "        kind: bool\n", "        kind: bool\n        evidence: required\n", 1)
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s.Criteria[0].Evidence != EvidenceRequired || s.Criteria[0].Indicators[1].Evidence != EvidenceRequired || s.Criteria[0].Indicators[0].Evidence != "" {
		t.Fatalf("evidence read as %+v", s.Criteria[0])
	}
	for _, c := range []struct {
		values map[string]string
		have   []string
		want   []string
	}{
		{map[string]string{"TC17": "true", "17.2": "true", "17.1": "99"}, nil, []string{"TC17", "17.2"}},
		{map[string]string{"TC17": "true"}, []string{"17.1"}, nil}, // a file of one of its indicators supports the criterion
		{map[string]string{"17.2": "true"}, []string{"TC17"}, []string{"17.2"}},
		{map[string]string{"17.1": "99"}, nil, nil}, // nothing required for 17.1
	} {
		if got := s.MissingEvidence(c.values, c.have); !slices.Equal(got, c.want) {
			t.Errorf("%v with %v: missing %v, want %v", c.values, c.have, got, c.want)
		}
	}
	_, err = Parse("bad.yaml", []byte(strings.Replace(src, "evidence: required", "evidence: yes please", 1)))
	if err == nil || !strings.Contains(err.Error(), "criteria[17].evidence") || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("bad evidence value: %v", err)
	}
}
