package criteria

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
)

// verdictCase is one known verdict on a shipped set.
type verdictCase struct {
	name   string
	set    string
	unit   Unit
	values Values
	opt    Options
	code   string // indicator code, or TC<N> for a criterion
	status Status
	reason string // part of the Vietnamese reason
}

func TestEvaluate_ShippedSets(t *testing.T) {
	dbsh := Unit{Code: "u", Region: "DBSH"}
	tests := []verdictCase{
		// xa-ntm-2016: verified regional thresholds.
		{"2016 region override met", "xa-ntm-2016", dbsh, Values{"10": Number(52)}, Options{}, "10", StatusMet,
			"10: 52 triệu đồng/người/năm ≥ 50 triệu đồng/người/năm yêu cầu tại vùng Đồng bằng sông Hồng"},
		{"2016 region override not met", "xa-ntm-2016", Unit{Region: "DNB"}, Values{"10": Number(58.5)}, Options{}, "10", StatusNotMet,
			"10: 58,5 triệu đồng/người/năm < 59 triệu đồng/người/năm yêu cầu tại vùng Đông Nam Bộ"},
		{"2016 general threshold without region", "xa-ntm-2016", Unit{}, Values{"14.2": Number(84)}, Options{}, "14.2", StatusNotMet,
			"14.2: 84 % < 85 % yêu cầu chung"},
		{"2016 ceiling", "xa-ntm-2016", Unit{Region: "TN"}, Values{"15.3": Number(30)}, Options{}, "15.3", StatusMet,
			"15.3: 30 % ≤ 31,4 % yêu cầu tại vùng Tây Nguyên"},
		{"2016 ceiling exceeded", "xa-ntm-2016", dbsh, Values{"15.3": Number(14)}, Options{}, "15.3", StatusNotMet,
			"15.3: 14 % > 13,9 %"},
		{"2016 criterion decided by indicators", "xa-ntm-2016", Unit{Region: "TDMNPB"},
			Values{"14.1": Bool(true), "14.2": Number(70), "14.3": Number(25)}, Options{}, "TC14", StatusMet, "3/3 chỉ tiêu đạt"},

		// xa-ntm-2021: unverified thresholds, missing ones, region from tags.
		{"2021 unverified threshold", "xa-ntm-2021", dbsh, Values{"2.1": Number(100)}, Options{}, "2.1", StatusMet,
			"2.1: 100 % ≥ 100 % yêu cầu chung (chưa đối chiếu văn bản)"},
		{"2021 no threshold", "xa-ntm-2021", dbsh, Values{"2.2": Number(100)}, Options{}, "2.2", StatusNoThreshold,
			"có ngưỡng riêng cho vùng Đồng bằng sông Hồng nhưng bộ tiêu chí chưa có giá trị"},
		{"2021 no threshold without value", "xa-ntm-2021", dbsh, Values{}, Options{}, "16", StatusNoThreshold,
			"bộ tiêu chí chưa có ngưỡng cho chỉ tiêu này"},
		{"2021 missing value", "xa-ntm-2021", dbsh, Values{}, Options{}, "17.4", StatusMissing,
			"17.4: chưa có số liệu (cần ≥ 2 m2/người, yêu cầu chung)"},
		{"2021 tag uses TDMNPB thresholds", "xa-ntm-2021", Unit{Region: "DBSH", Tags: []string{"dac-biet-kho-khan"}},
			Values{"2.2": Number(50)}, Options{}, "2.2", StatusNoThreshold, "vùng Trung du và miền núi phía Bắc"},
		{"2021 must have no makeshift houses", "xa-ntm-2021", dbsh, Values{"9.1": Bool(true)}, Options{}, "9.1", StatusNotMet,
			"9.1: có, yêu cầu chung: không (chưa đối chiếu văn bản)"},
		{"2021 verified bool", "xa-ntm-2021", dbsh, Values{"8.1": Bool(false)}, Options{}, "8.1", StatusNotMet,
			"8.1: không, yêu cầu chung: có"},
		{"2021 criterion 8 met", "xa-ntm-2021", dbsh,
			Values{"8.1": Bool(true), "8.2": Bool(true), "8.3": Bool(true), "8.4": Bool(true)}, Options{}, "TC8", StatusMet, "4/4"},
		{"2021 criterion without thresholds is incomplete", "xa-ntm-2021", dbsh,
			Values{"4.1": Bool(true), "4.2": Number(99)}, Options{}, "TC4", StatusIncomplete, "chưa đánh giá được: 4.2"},
		{"2021 criterion entered directly", "xa-ntm-2021", dbsh, Values{"tc4": Bool(true)}, Options{}, "TC4", StatusMet,
			"kết quả nhập trực tiếp"},
		{"2021 not applicable", "xa-ntm-2021", dbsh, Values{"13.4": NotApplicable()}, Options{}, "13.4", StatusNotApplicable, "không áp dụng"},

		// xa-nang-cao-2021: partial criteria.
		{"nâng cao indicator met", "xa-nang-cao-2021", dbsh, Values{"17.a": Number(60)}, Options{}, "17.a", StatusMet, "60 % ≥ 55 %"},
		{"nâng cao partial criterion needs its result", "xa-nang-cao-2021", dbsh, Values{"17.a": Number(60)}, Options{}, "TC17",
			StatusIncomplete, "nhập kết quả tiêu chí TC17"},
		{"nâng cao criterion without indicators", "xa-nang-cao-2021", dbsh, Values{}, Options{}, "TC1", StatusMissing, "TC1"},

		// xa-kieu-mau-2021: a formula over data elements.
		{"kiểu mẫu income formula", "xa-kieu-mau-2021", Unit{},
			Values{"thu_nhap_binh_quan": Number(77), "thu_nhap_nang_cao": Number(70)}, Options{}, "KM.2", StatusMet, "10 % ≥ 10 % yêu cầu chung (tính từ số liệu)"},
		{"kiểu mẫu formula divides by zero", "xa-kieu-mau-2021", Unit{},
			Values{"thu_nhap_binh_quan": Number(77), "thu_nhap_nang_cao": Number(0)}, Options{}, "KM.2", StatusError, "chia cho 0"},
		{"kiểu mẫu formula names an element without value", "xa-kieu-mau-2021", Unit{},
			Values{"thu_nhap_binh_quan": Number(77)}, Options{}, "KM.2", StatusError, "thiếu số liệu của thu_nhap_nang_cao"},
		{"kiểu mẫu formula with no data", "xa-kieu-mau-2021", Unit{}, Values{}, Options{}, "KM.2", StatusMissing, "chưa có số liệu để tính"},
		{"kiểu mẫu value entered wins over formula", "xa-kieu-mau-2021", Unit{}, Values{"KM.2": Number(8)}, Options{}, "KM.2", StatusNotMet, "8 % < 10 %"},

		// huyen-ntm-2021: aggregates from communes.
		{"district all communes recognised", "huyen-ntm-2021", Unit{Level: "district"}, Values{},
			Options{Children: map[string][]ChildResult{"xa-ntm-2021": children(10, 10)}}, "1", StatusMet, "100 % ≥ 100 %"},
		{"district one commune short", "huyen-ntm-2021", Unit{}, Values{},
			Options{Children: map[string][]ChildResult{"xa-ntm-2021": children(10, 9)}}, "1", StatusNotMet, "90 % < 100 %"},
		{"district advanced share", "huyen-ntm-2021", Unit{}, Values{},
			Options{Children: map[string][]ChildResult{"xa-nang-cao-2021": children(20, 2)}}, "2", StatusMet, "10 % ≥ 10 %"},
		{"district without child results", "huyen-ntm-2021", Unit{}, Values{}, Options{}, "1", StatusMissing, "cấp dưới"},
		{"district with no communes", "huyen-ntm-2021", Unit{}, Values{},
			Options{Children: map[string][]ChildResult{"xa-ntm-2021": {}}}, "1", StatusError, "không có đơn vị cấp dưới"},
		{"district satisfaction", "huyen-ntm-2021", Unit{}, Values{"4.1": Number(89.5)}, Options{}, "4.1", StatusNotMet, "89,5 % < 90 %"},

		// xa-ntm-2026: criteria without indicators, decided directly.
		{"2026 criterion entered", "xa-ntm-2026", Unit{Group: "nhom-2"}, Values{"TC3": Bool(false)}, Options{}, "TC3", StatusNotMet, "nhập trực tiếp"},
		{"2026 criterion not entered", "xa-ntm-2026", Unit{Group: "nhom-2"}, Values{}, Options{}, "TC3", StatusMissing, "TC3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Evaluate(shippedSet(t, tt.set), tt.unit, tt.values, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			status, reason := find(t, r, tt.code)
			if status != tt.status || !strings.Contains(reason, tt.reason) {
				t.Errorf("%s: %s %q, want %s containing %q", tt.code, status, reason, tt.status, tt.reason)
			}
		})
	}
}

func children(n, recognised int) []ChildResult {
	out := make([]ChildResult, n)
	for i := range out {
		out[i] = ChildResult{Code: itoa(i), Recognized: i < recognised, Met: i < recognised}
	}
	return out
}

func find(t *testing.T, r *Result, code string) (Status, string) {
	t.Helper()
	if n, ok := directNumber(code); ok {
		for i := range r.Criteria {
			if r.Criteria[i].Number == n {
				return r.Criteria[i].Status, r.Criteria[i].ReasonVI()
			}
		}
	}
	for i := range r.Indicators {
		if r.Indicators[i].Code == code {
			return r.Indicators[i].Status, r.Indicators[i].ReasonVI()
		}
	}
	t.Fatalf("no verdict for %s", code)
	return 0, ""
}

func TestEvaluate_2026SetMetByDirectResults(t *testing.T) {
	s := shippedSet(t, "xa-ntm-2026")
	vals := Values{}
	for i := 1; i <= 10; i++ {
		vals[DirectKey(i)] = Bool(true)
	}
	r, _ := Evaluate(s, Unit{Group: "nhom-3"}, vals, Options{})
	if !r.Met || r.CriteriaMet != 10 || r.CriteriaTotal != 10 || r.IndicatorsTotal != 0 {
		t.Fatalf("all ten criteria entered as met: %+v", r)
	}
	vals["TC7"] = Bool(false)
	r, _ = Evaluate(s, Unit{Group: "nhom-3"}, vals, Options{})
	if r.Met || r.CriteriaMet != 9 {
		t.Errorf("9/10: %+v", r)
	}
}

// A province extends the 2026-2030 set with an indicator whose thresholds differ by commune
// group, and one for a unit tag; the tag beats the group, the group beats the general value.
func TestEvaluate_GroupAndTagOverrides(t *testing.T) {
	base := shippedSet(t, "xa-ntm-2026")
	prov, err := Parse("tinh.yaml", []byte(`id: xa-ntm-2026-test
title: Bộ thử theo nhóm xã
basis: {decision: TEST/QĐ-UBND, issued: 2026-03-01}
extends: xa-ntm-2026
criteria:
  - number: 4
    indicators:
      - code: "4.1"
        name: Tỷ lệ lao động qua đào tạo (giá trị thử)
        kind: percent
        op: ">="
        unit: "%"
        threshold: 60
        by: {nhom-1: 70, nhom-3: 30, bien-gioi: 20}
`))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := NewCatalog(base, prov)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		unit   Unit
		value  float64
		status Status
		reason string
	}{
		{Unit{Group: "nhom-1"}, 65, StatusNotMet, "4.1: 65 % < 70 % yêu cầu cho xã nhóm 1"},
		{Unit{Group: "nhom-2"}, 65, StatusMet, "4.1: 65 % ≥ 60 % yêu cầu chung"},
		{Unit{Group: "Nhóm 3"}, 35, StatusMet, "4.1: 35 % ≥ 30 % yêu cầu cho xã nhóm 3"},
		{Unit{Group: "nhom-3", Tags: []string{"bien-gioi"}}, 25, StatusMet, "4.1: 25 % ≥ 20 % yêu cầu cho đơn vị có nhãn bien-gioi"},
	}
	for _, tt := range tests {
		r, err := cat.Evaluate("xa-ntm-2026-test", tt.unit, Values{"4.1": Number(tt.value)}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		status, reason := find(t, r, "4.1")
		if status != tt.status || reason != tt.reason+" (chưa đối chiếu văn bản)" {
			t.Errorf("%+v: %s %q", tt.unit, status, reason)
		}
	}
}

func TestEvaluate_DirectResultDisagreeingWithIndicators(t *testing.T) {
	s := shippedSet(t, "xa-ntm-2021")
	vals := Values{"8.1": Bool(true), "8.2": Bool(false), "8.3": Bool(true), "8.4": Bool(true), "TC8": Bool(true)}
	r, _ := Evaluate(s, Unit{Region: "BTB"}, vals, Options{})
	c := r.Criteria[7]
	if c.Number != 8 || c.Status != StatusMet || !c.Direct || c.FromIndicators != StatusNotMet {
		t.Fatalf("criterion 8: %+v", c)
	}
	if len(r.Inconsistencies) != 1 || r.Inconsistencies[0].Criterion != 8 ||
		!strings.Contains(r.Inconsistencies[0].MessageVI(), "kết quả nhập cho tiêu chí là đạt nhưng theo các chỉ tiêu là chưa đạt (3/4 chỉ tiêu đạt)") {
		t.Errorf("inconsistencies: %+v", r.Inconsistencies)
	}
	// Agreement, or indicators that do not decide, is no inconsistency.
	vals["8.2"] = Bool(true)
	vals["TC4"] = Bool(false)
	r, _ = Evaluate(s, Unit{Region: "BTB"}, vals, Options{})
	if len(r.Inconsistencies) != 0 {
		t.Errorf("unexpected: %+v", r.Inconsistencies)
	}
}

func TestCatalog_EvaluatesRequiredSetsWhenNotGiven(t *testing.T) {
	c, _ := Shipped()
	vals := Values{}
	for i := 1; i <= 19; i++ {
		vals[DirectKey(i)] = Bool(true)
	}
	r, err := c.Evaluate("xa-nang-cao-2021", Unit{Region: "DBSH"}, vals, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.RequiresMet || !r.Met || r.Requires[0] != (Requirement{SetID: "xa-ntm-2021", Known: true, Met: true}) {
		t.Errorf("19 criteria entered met for both sets: %+v", r)
	}
	r, _ = c.Evaluate("xa-nang-cao-2021", Unit{Region: "DBSH"}, vals, Options{Required: map[string]bool{"xa-ntm-2021": false}})
	if r.RequiresMet || r.Met {
		t.Errorf("a required set given as not met: %+v", r)
	}
	// The pure engine does not guess: an unknown requirement is not met.
	r, _ = Evaluate(shippedSet(t, "xa-nang-cao-2021"), Unit{Region: "DBSH"}, vals, Options{})
	if r.RequiresMet || r.Requires[0].Known {
		t.Errorf("engine alone: %+v", r.Requires)
	}
	if _, err := c.Evaluate("khong-co", Unit{}, vals, Options{}); err == nil {
		t.Error("unknown set")
	}
}

func TestEvaluate_PartialSetIsNeverMet(t *testing.T) {
	s, err := Parse("partial.yaml", []byte(`id: mot-phan
title: Một phần
basis: {decision: 1/QĐ-TTg, issued: 2016-10-17, effective: 2016-10-17}
level: commune
tier: ntm
varies_by: none
requires: []
partial: true
criteria:
  - {number: 10, name: Thu nhập, indicators: []}
  - {number: 14, name: Giáo dục, indicators: []}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := Evaluate(s, Unit{Region: "BTB"}, Values{"TC10": Bool(true), "TC14": Bool(true)}, Options{})
	if r.CriteriaMet != 2 || r.Met || !r.Partial {
		t.Errorf("%+v", r)
	}
}

func TestEvaluate_WrongValueKindsGiveErrors(t *testing.T) {
	s := shippedSet(t, "xa-ntm-2021")
	r, _ := Evaluate(s, Unit{Region: "BTB"}, Values{"2.1": Bool(true), "8.1": Number(1), "8.2": Number(7), "17.4": Level("x")}, Options{})
	want := map[string]Status{"2.1": StatusError, "8.1": StatusMet, "8.2": StatusError, "17.4": StatusError}
	for code, st := range want {
		if got, reason := find(t, r, code); got != st {
			t.Errorf("%s: %s (%s), want %s", code, got, reason, st)
		}
	}
}

func TestEvaluate_Counts(t *testing.T) {
	s := shippedSet(t, "xa-ntm-2021")
	r, _ := Evaluate(s, Unit{Region: "BTB"}, Values{"8.1": Bool(true), "2.1": Number(90), "13.4": NotApplicable()}, Options{})
	if r.IndicatorsTotal != 53 || r.IndicatorsMet != 1 || r.CriteriaTotal != 19 || r.CriteriaMet != 0 || r.Unverified != 1 {
		t.Errorf("counts: total %d met %d criteria %d/%d unverified %d", r.IndicatorsTotal, r.IndicatorsMet, r.CriteriaMet, r.CriteriaTotal, r.Unverified)
	}
}

func TestResult_JSON(t *testing.T) {
	s := shippedSet(t, "xa-ntm-2016")
	r, _ := Evaluate(s, Unit{Code: "00001", Region: "DBSH"}, Values{"10": Number(49)}, Options{})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	ind := back["indicators"].([]any)[0].(map[string]any)
	for k, want := range map[string]any{"code": "10", "status": "not_met", "value": 49.0, "threshold": 50.0, "verified": true,
		"reason_en": "10: 49 triệu đồng/người/năm < 50 triệu đồng/người/năm required in Đồng bằng sông Hồng"} {
		if ind[k] != want {
			t.Errorf("%s = %v, want %v", k, ind[k], want)
		}
	}
	if ind["scope"].(map[string]any)["kind"] != "region" || back["criteria_total"] != 19.0 || back["met"] != false {
		t.Errorf("json: %s", b)
	}
}

// Property: a value that meets a threshold keeps meeting it when moved further in the right
// direction, for every comparator, kind, region and scope.
func TestProperty_MeetingValuesStayMetFurtherOut(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	regions := []string{"", "TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"}
	for i := 0; i < 3000; i++ {
		op := []Op{OpAtLeast, OpAtMost}[rng.Intn(2)]
		kind := []Kind{KindNumber, KindPercent}[rng.Intn(2)]
		thr := float64(rng.Intn(10001)) / 100
		in := Indicator{Code: "x", Name: "x", Kind: kind, Op: op, Threshold: ptr(Number(thr)), Verified: rng.Intn(2) == 0}
		if rng.Intn(2) == 0 {
			in.By = Overrides{{Key: regions[1+rng.Intn(7)], Value: Number(float64(rng.Intn(10001)) / 100)}}
		}
		s := &Set{ID: "p", VariesBy: VariesRegion, Criteria: []Criterion{{Number: 1, Name: "c", Indicators: []Indicator{in}}}}
		ev, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		u := Unit{Region: regions[rng.Intn(len(regions))]}
		v := float64(rng.Intn(10001)) / 100
		r := ev.Evaluate(u, Values{"x": Number(v)}, Options{})
		if r.Indicators[0].Status != StatusMet {
			continue
		}
		step := float64(rng.Intn(5000)+1) / 100
		w := v + step
		if op == OpAtMost {
			w = v - step
		}
		r2 := ev.Evaluate(u, Values{"x": Number(w)}, Options{})
		if r2.Indicators[0].Status != StatusMet || !r2.Met {
			t.Fatalf("%v %s %v met, but %v is %s", v, op, r.Indicators[0].Threshold.Num, w, r2.Indicators[0].Status)
		}
	}
}

func ptr(v Value) *Value { return &v }

func TestEvaluateInto_ReusesTheResult(t *testing.T) {
	ev := shippedSet(t, "xa-ntm-2021").ev
	var r Result
	ev.EvaluateInto(&r, Unit{Region: "DBSH"}, Values{"TC1": Bool(true)}, Options{})
	first := &r.Indicators[0]
	ev.EvaluateInto(&r, Unit{Region: "BTB"}, Values{"8.1": Bool(true)}, Options{})
	if &r.Indicators[0] != first || r.CriteriaMet != 0 || r.IndicatorsMet != 1 || r.Unit.Region != "BTB" {
		t.Errorf("reuse: %+v", r)
	}
	if n := testing.AllocsPerRun(50, func() { ev.EvaluateInto(&r, Unit{Region: "BTB"}, Values{"8.1": Bool(true)}, Options{}) }); n > 0 {
		t.Errorf("EvaluateInto allocates %v times", n)
	}
}

func TestFormula_ConditionalsRunThroughExpr(t *testing.T) {
	src := strings.Replace(minimal, "        verified: true", "        verified: true\n      - code: \"17.3\"\n        name: Trường đạt mức độ 1\n        kind: bool\n        threshold: true\n        formula: \"so_truong > 3 ? ty_le_muc_1 >= 70 : ty_le_muc_1 >= 50\"", 1)
	s, err := Parse("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		truong, tyLe float64
		want         Status
	}{{4, 69, StatusNotMet}, {4, 70, StatusMet}, {3, 50, StatusMet}, {2, 49, StatusNotMet}}
	for _, tt := range tests {
		r, _ := Evaluate(s, Unit{}, Values{"so_truong": Number(tt.truong), "ty_le_muc_1": Number(tt.tyLe)}, Options{})
		if st, reason := find(t, r, "17.3"); st != tt.want {
			t.Errorf("%v: %s %q", tt, st, reason)
		}
	}
	r, _ := Evaluate(s, Unit{}, Values{"so_truong": Bool(true), "ty_le_muc_1": Number(1)}, Options{})
	if st, reason := find(t, r, "17.3"); st != StatusError || !strings.Contains(reason, "không tính được") {
		t.Errorf("a yes/no where a number is compared: %s %q", st, reason)
	}
}

// The allocation-free arithmetic path and expr's VM agree.
func TestFormula_FastPathAgreesWithExpr(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, src := range []string{"100 * a / b", "-(a - b) * 2.5 + c / (a + 1)", "a / b / c", "+a - -b"} {
		f, err := compileFormula(src)
		if err != nil || f.rpn == nil {
			t.Fatalf("%s: %v, fast path %v", src, err, f.rpn != nil)
		}
		slow := *f
		slow.rpn = nil
		f.slots = []int{0, 1, 2}[:len(f.vars)]
		slow.slots = f.slots
		for i := 0; i < 200; i++ {
			vec := []Value{Number(float64(rng.Intn(200) - 50)), Number(float64(rng.Intn(5))), Number(float64(rng.Intn(300)) / 7)}
			a, pa, _ := f.run(nil, vec, KindNumber)
			b, pb, _ := slow.run(&scratch{env: map[string]any{}}, vec, KindNumber)
			if pa != pb || (pa == probNone && a.Num != b.Num) {
				t.Fatalf("%s with %v: fast %v %v, expr %v %v", src, vec, a.Num, pa, b.Num, pb)
			}
		}
	}
}

// QĐ 51/2025: no commune group is assumed. An indicator whose thresholds differ by group is
// "group not assigned" for a commune without one (even where a general value exists), counted
// apart, and decided as soon as the commune has its group.
func TestEvaluate_GroupNotAssigned(t *testing.T) {
	s, err := Parse("nhom.yaml", []byte(`id: nhom
title: Nhóm xã
basis: {decision: 51/2025/QĐ-TTg, issued: 2025-12-29, effective: 2026-02-15}
level: commune
tier: ntm
varies_by: group
requires: []
criteria:
  - number: 4
    name: Đào tạo nguồn nhân lực nông thôn
    indicators:
      - {code: "4.1", name: Lao động qua đào tạo, kind: percent, unit: "%", op: ">=", threshold: 70, by: {nhom-1: 80, nhom-3: 60}}
      - {code: "4.2", name: Có kế hoạch, kind: bool, op: "==", threshold: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	vals := Values{"4.1": Number(65), "4.2": Bool(true)}
	r, _ := Evaluate(s, Unit{Code: "x"}, vals, Options{})
	st, reason := find(t, r, "4.1")
	if st != StatusGroupUnassigned || !strings.Contains(reason, "chưa xác định nhóm xã") || r.GroupUnassigned != 1 || r.Met {
		t.Errorf("no group: %s %q, count %d", st, reason, r.GroupUnassigned)
	}
	if st, reason := find(t, r, "TC4"); st != StatusIncomplete || !strings.Contains(reason, "4.1") {
		t.Errorf("criterion without group: %s %q", st, reason)
	}
	if st, _ := find(t, r, "4.2"); st != StatusMet {
		t.Errorf("4.2 does not vary by group: %s", st)
	}
	for _, tt := range []struct {
		group string
		want  Status
	}{{"nhom-3", StatusMet}, {"nhom-2", StatusNotMet}, {"nhom-1", StatusNotMet}} {
		r, _ := Evaluate(s, Unit{Code: "x", Group: tt.group}, vals, Options{})
		if st, reason := find(t, r, "4.1"); st != tt.want || r.GroupUnassigned != 0 {
			t.Errorf("%s: %s %q", tt.group, st, reason)
		}
	}
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `"status":"group_unassigned"`) || !strings.Contains(string(b), `"group_unassigned":1`) {
		t.Errorf("json: %s", b)
	}
}

func TestKeyIndex_FindsEveryKeyOfTheShippedSets(t *testing.T) {
	sets, err := ShippedSets()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(sets, nangCaoShape()) {
		ev, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		if ev.index.cells == nil {
			t.Errorf("%s: no key index; its keys fall back to the map", s.ID)
		}
		for k, want := range ev.slotOf {
			if got, ok := ev.index.slot(k); !ok || got != want {
				t.Errorf("%s: %q at %d, %v; want %d", s.ID, k, got, ok, want)
			}
			if _, ok := ev.index.slot(k + "x"); ok {
				t.Errorf("%s: %q found", s.ID, k+"x")
			}
		}
	}
}

// Units with odd regions past maxClasses get their thresholds chosen afresh, the same way.
func TestEvaluate_SameVerdictsPastTheClassCache(t *testing.T) {
	s := nangCaoShape()
	ev, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	_, vs := nationValues(s, 1)
	regions := []string{"DBSH", "TDMNPB", ""}
	for i := range maxClasses + 10 {
		regions = append(regions, "R"+strings.Repeat("x", i))
	}
	regions = append(regions, "DBSH", "TDMNPB", "")
	for _, region := range regions {
		u := Unit{Code: "x", Region: region, Tags: []string{"dac-biet-kho-khan"}}
		fresh, _ := Compile(s)
		got, _ := json.Marshal(ev.Evaluate(u, vs[0], Options{}))
		want, _ := json.Marshal(fresh.Evaluate(u, vs[0], Options{}))
		if string(got) != string(want) {
			t.Fatalf("region %q:\n%s\nwant\n%s", region, got, want)
		}
	}
}

// An Evaluator is shared by every request: classes found by one goroutine are seen by the
// others, and every goroutine gets the verdicts a lone one gets.
func TestEvaluator_ConcurrentUseGivesTheSameVerdicts(t *testing.T) {
	s := nangCaoShape()
	us, vs := nationValues(s, 200)
	lone, _ := Compile(s)
	want := make([]string, len(us))
	for i := range us {
		j, _ := json.Marshal(lone.Evaluate(us[i], vs[i], Options{}))
		want[i] = string(j)
	}
	shared, _ := Compile(s)
	errs := make(chan string, 4)
	for g := range 4 {
		go func() {
			for i := range us {
				k := (i + 50*g) % len(us)
				if j, _ := json.Marshal(shared.Evaluate(us[k], vs[k], Options{})); string(j) != want[k] {
					errs <- us[k].Code
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if code := <-errs; code != "" {
			t.Errorf("unit %s: verdicts differ when evaluated concurrently", code)
		}
	}
}
