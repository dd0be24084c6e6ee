package criteria

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
)

// minimal is a valid one-criterion set; tests splice lines into it.
const minimal = `id: test-set
title: Bộ thử
basis: {decision: 1/QĐ-TEST, issued: 2022-03-08, effective: 2022-03-08}
level: commune
tier: ntm
varies_by: region
requires: []
criteria:
  - number: 17
    name: Môi trường
    indicators:
      - code: "17.1"
        name: Tỷ lệ hộ dùng nước sạch
        kind: percent
        unit: "%"
        op: ">="
        threshold: 95
        by: {TDMNPB: 90}
        verified: true
      - code: "17.2"
        name: Có bãi rác
        kind: bool
        threshold: true
`

func TestParse_ValidSet(t *testing.T) {
	s, err := Parse("test.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	in, c := s.Indicator("17.1")
	if in == nil || c.Number != 17 || in.Threshold.Num != 95 || len(in.By) != 1 || in.By[0].Value.Num != 90 || !in.Verified {
		t.Fatalf("unexpected indicator %+v", in)
	}
	if b, _ := s.Indicator("17.2"); b.Op != OpEqual || b.Threshold.Bool != true || b.Verified {
		t.Errorf("bool indicator defaults: %+v", b)
	}
	if s.Basis.Decision != "1/QĐ-TEST" || s.Basis.Effective != "2022-03-08" {
		t.Errorf("basis %+v", s.Basis)
	}
}

func TestParse_ErrorsNameFileLineAndField(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(string) string
		wantLine  int
		wantField string
		wantMsg   string
	}{
		{"unknown comparator", func(s string) string { return strings.Replace(s, `op: ">="`, `op: "=>"`, 1) },
			16, "criteria[17].indicators[17.1].op", `unknown comparator "=>"`},
		{"duplicate indicator code", func(s string) string { return strings.Replace(s, `code: "17.2"`, `code: "17.1"`, 1) },
			20, "criteria[17].indicators[1].code", `duplicate indicator code "17.1"`},
		{"override for an unknown region", func(s string) string { return strings.Replace(s, "{TDMNPB: 90}", "{TDMNPB: 90, HN: 99}", 1) },
			18, "criteria[17].indicators[17.1].by.HN", `unknown region "HN"`},
		{"group override in a region set", func(s string) string { return strings.Replace(s, "{TDMNPB: 90}", "{nhom-1: 90}", 1) },
			18, "criteria[17].indicators[17.1].by.nhom-1", "does not vary by group"},
		{"unknown field", func(s string) string { return strings.Replace(s, "        verified: true", "        verifed: true", 1) },
			19, "criteria[17].indicators[17.1].verifed", `unknown field "verifed"`},
		{"percent over 100", func(s string) string { return strings.Replace(s, "threshold: 95", "threshold: 105", 1) },
			17, "criteria[17].indicators[17.1].threshold", "not between 0 and 100"},
		{"text threshold for a number", func(s string) string { return strings.Replace(s, "threshold: 95", "threshold: cao", 1) },
			17, "criteria[17].indicators[17.1].threshold", "is not a number"},
		{"unknown kind", func(s string) string { return strings.Replace(s, "kind: percent", "kind: ratio", 1) },
			14, "criteria[17].indicators[17.1].kind", "kind must be"},
		{"bad date", func(s string) string { return strings.Replace(s, "issued: 2022-03-08", "issued: 2022-13-08", 1) },
			3, "basis.issued", "YYYY-MM-DD"},
		// Issue 16: a null date issued was accepted, then the set's own export failed to load.
		{"null date issued", func(s string) string { return strings.Replace(s, "issued: 2022-03-08", "issued: ~", 1) },
			3, "basis.issued", "date issued is empty"},
		{"duplicate criterion", func(s string) string {
			return s + "  - number: 17\n    name: Lặp\n    indicators: []\n"
		}, 24, "criteria[1].number", "criterion 17 already declared at line 9"},
		{"formula with a string function", func(s string) string {
			return strings.Replace(s, "        verified: true", "        formula: upper(ten_xa)\n        verified: true", 1)
		}, 19, "criteria[17].indicators[17.1].formula", "formula"},
		{"formula that does not parse", func(s string) string {
			return strings.Replace(s, "        verified: true", "        formula: 100 * (a / \n        verified: true", 1)
		}, 19, "criteria[17].indicators[17.1].formula", "invalid formula"},
		{"missing name", func(s string) string { return strings.Replace(s, "        name: Có bãi rác\n", "", 1) },
			20, "criteria[17].indicators[17.2].name", "missing indicator name"},
		{"varies_by group with a region override", func(s string) string { return strings.Replace(s, "varies_by: region", "varies_by: group", 1) },
			18, "criteria[17].indicators[17.1].by.TDMNPB", "does not vary by region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tt.edit(minimal)))
			ps, ok := ValidationProblems(err)
			if !ok {
				t.Fatalf("want a ValidationFault, got %v", err)
			}
			if !fault.Is(err, fault.InvalidValue) {
				t.Error("a ValidationFault must be an invalid value")
			}
			for _, p := range ps {
				if p.Line == tt.wantLine && p.Field == tt.wantField && strings.Contains(p.Message, tt.wantMsg) && p.File == "bad.yaml" {
					if want := "bad.yaml:"; !strings.HasPrefix(p.String(), want) {
						t.Errorf("problem text %q does not start with %q", p.String(), want)
					}
					return
				}
			}
			t.Errorf("no problem at line %d field %s containing %q in:\n%v", tt.wantLine, tt.wantField, tt.wantMsg, err)
		})
	}
}

// Whatever Parse accepts, its own export (YAML and XLSX) loads back to the same set.
func TestParse_AcceptedSetsExportAndReload(t *testing.T) {
	for _, src := range []string{minimal,
		strings.Replace(minimal, "effective: 2022-03-08", "effective: 2022-04-01", 1)} {
		s, err := Parse("ok.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		out, err := Format(s)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse("export.yaml", out)
		if err != nil {
			t.Fatalf("the export does not load: %v\n%s", err, out)
		}
		if d := diffSets(s, again); d != "" {
			t.Errorf("round trip: %s", d)
		}
	}
}

func TestParse_ReportsEveryProblem(t *testing.T) {
	src := strings.Replace(strings.Replace(minimal, `op: ">="`, `op: "=>"`, 1), `code: "17.2"`, `code: "17.1"`, 1)
	_, err := Parse("bad.yaml", []byte(src))
	if ps, _ := ValidationProblems(err); len(ps) < 2 {
		t.Fatalf("want two problems, got %v", err)
	}
	if !strings.Contains(err.Error(), "bad.yaml:16: criteria[17].indicators[17.1].op:") {
		t.Errorf("error text: %v", err)
	}
}

func TestParse_NotYAML(t *testing.T) {
	_, err := Parse("x.yaml", []byte("id: [unclosed\n  b: c"))
	if ps, _ := ValidationProblems(err); len(ps) == 0 || ps[0].Line == 0 {
		t.Fatalf("want a positioned problem, got %v", err)
	}
}

func TestParse_NullOverrideMeansUnknownValue(t *testing.T) {
	s, err := Parse("t.yaml", []byte(strings.Replace(minimal, "{TDMNPB: 90}", "{TDMNPB: 90, DBSH: null}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := Evaluate(s, Unit{Region: "DBSH"}, Values{"17.1": Number(99)}, Options{})
	v := r.Indicators[0]
	if v.Status != StatusNoThreshold || !v.Scope.Unknown {
		t.Fatalf("a null override must not fall back to the general value: %+v", v)
	}
	if !strings.Contains(v.ReasonVI(), "Đồng bằng sông Hồng") {
		t.Errorf("reason %q", v.ReasonVI())
	}
}

func TestFormat_RoundTripsEveryShippedSet(t *testing.T) {
	sets, err := ShippedSets()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		t.Run(s.ID, func(t *testing.T) {
			src, err := Format(s)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse("formatted.yaml", src)
			if err != nil {
				t.Fatalf("%v\n%s", err, src)
			}
			if d := diffSets(s, back); d != "" {
				t.Errorf("round trip differs: %s", d)
			}
		})
	}
}

func TestExtends_MergesAndReplacesThresholds(t *testing.T) {
	parent, err := Parse("parent.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	child, err := Parse("child.yaml", []byte(`id: test-set-ha-noi
title: Bộ thử của tỉnh
basis: {decision: 99/QĐ-UBND, issued: 2022-06-01}
extends: test-set
criteria:
  - number: 17
    indicators:
      - code: "17.1"
        threshold: 98
      - code: "17.3"
        name: Tỷ lệ hộ phân loại rác
        kind: percent
        op: ">="
        threshold: 50
  - number: 18
    name: Hệ thống chính trị
    indicators: []
`))
	if err != nil {
		t.Fatal(err)
	}
	if child.Resolved() {
		t.Fatal("an extending set is unresolved until added to a catalog")
	}
	cat, err := NewCatalog(parent, child)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := cat.Get("test-set-ha-noi")
	in, _ := s.Indicator("17.1")
	if in.Threshold.Num != 98 || len(in.By) != 0 || in.Verified || in.Name != "Tỷ lệ hộ dùng nước sạch" {
		t.Errorf("17.1 should inherit its name and replace threshold, overrides and verified: %+v", in)
	}
	if b, _ := s.Indicator("17.2"); b == nil {
		t.Error("17.2 should be inherited")
	}
	if x, _ := s.Indicator("17.3"); x == nil || x.Threshold.Num != 50 {
		t.Error("17.3 should be added")
	}
	if len(s.Criteria) != 2 || s.Level != "commune" || s.Tier != "ntm" || s.VariesBy != "region" {
		t.Errorf("inherited set fields: %+v", s)
	}
	// The region override of the parent no longer applies: 98 everywhere.
	r, _ := Evaluate(s, Unit{Region: "TDMNPB"}, Values{"17.1": Number(95)}, Options{})
	if r.Indicators[0].Status != StatusNotMet || r.Indicators[0].Scope.Kind != ScopeGeneral {
		t.Errorf("verdict %+v", r.Indicators[0])
	}
}

func TestCatalog_ReportsUnknownReferences(t *testing.T) {
	src := strings.Replace(minimal, "requires: []", "requires: [khong-co]", 1)
	src = strings.Replace(src, "        verified: true", "        verified: true\n        aggregate: {set: cung-khong-co, measure: share_met}", 1)
	s, err := Parse("refs.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewCatalog(s)
	if err == nil || !strings.Contains(err.Error(), "refs.yaml:7: requires:") || !strings.Contains(err.Error(), "cung-khong-co") {
		t.Errorf("want both unknown references with lines, got %v", err)
	}
	child, _ := Parse("c.yaml", []byte("id: c\ntitle: C\nbasis: {decision: x, issued: 2022-01-01}\nextends: khong-co\n"))
	if _, err := NewCatalog(child); err == nil || !strings.Contains(err.Error(), "c.yaml:4: extends") {
		t.Errorf("unknown parent: %v", err)
	}
}

// diffSets compares the declared content of two sets.
func diffSets(a, b *Set) string {
	fa, _ := Format(a)
	fb, _ := Format(b)
	if string(fa) != string(fb) {
		la, lb := strings.Split(string(fa), "\n"), strings.Split(string(fb), "\n")
		for i := 0; i < len(la) && i < len(lb); i++ {
			if la[i] != lb[i] {
				return "line " + itoa(i+1) + ": " + la[i] + " ≠ " + lb[i]
			}
		}
		return "lengths differ"
	}
	if len(a.Criteria) != len(b.Criteria) {
		return "criteria count"
	}
	for i := range a.Criteria {
		ca, cb := a.Criteria[i], b.Criteria[i]
		if ca.Number != cb.Number || ca.Name != cb.Name || len(ca.Indicators) != len(cb.Indicators) {
			return "criterion " + itoa(ca.Number)
		}
		for j := range ca.Indicators {
			ia, ib := ca.Indicators[j], cb.Indicators[j]
			if ia.Code != ib.Code || ia.Kind != ib.Kind || ia.Op != ib.Op || ia.Verified != ib.Verified ||
				(ia.Threshold == nil) != (ib.Threshold == nil) || (ia.Threshold != nil && *ia.Threshold != *ib.Threshold) ||
				len(ia.By) != len(ib.By) {
				return "indicator " + ia.Code
			}
			for k := range ia.By {
				if ia.By[k] != ib.By[k] {
					return "override " + ia.Code + " " + ia.By[k].Key
				}
			}
		}
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }
