package criteria

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Unit is what the engine needs to know about the unit assessed.
type Unit struct {
	Code   string   `json:"code"`
	Region string   `json:"region,omitempty"` // TDMNPB, DBSH, …
	Group  string   `json:"group,omitempty"`  // nhom-1, nhom-2, nhom-3 (2026-2030)
	Tags   []string `json:"tags,omitempty"`
	Level  string   `json:"level,omitempty"`
}

// ChildResult is one child unit's standing on a set, for aggregated indicators.
type ChildResult struct {
	Code        string `json:"code"`
	Met         bool   `json:"met"`        // meets the set on the evaluated values
	Recognized  bool   `json:"recognized"` // recognised (công nhận) by decision
	CriteriaMet int    `json:"criteria_met"`
}

// Options are the facts an evaluation needs beyond the unit's own values.
type Options struct {
	// Required holds whether each set in Set.Requires is met. A set missing here counts as
	// not met; Catalog.Evaluate fills it by evaluating the required set on the same values.
	Required map[string]bool
	// Children holds the child units' results per set id, for aggregated indicators.
	Children map[string][]ChildResult
}

// Status is a verdict.
type Status uint8

const (
	StatusMissing       Status = iota // no value
	StatusMet                         // đạt
	StatusNotMet                      // chưa đạt
	StatusNotApplicable               // không áp dụng
	StatusNoThreshold                 // the set gives no threshold that applies
	StatusError                       // the value could not be computed or compared
	StatusIncomplete                  // criterion: not decided, some indicator undecided
)

var statusNames = [...]string{"missing", "met", "not_met", "not_applicable", "no_threshold", "error", "incomplete"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("criteria: unknown status %q", b)
}

// ScopeKind says which threshold applied.
type ScopeKind uint8

const (
	ScopeNone    ScopeKind = iota // no threshold applied
	ScopeGeneral                  // the general threshold
	ScopeRegion                   // the unit's region override
	ScopeGroup                    // the unit's commune-group override
	ScopeTag                      // an override for a tag the unit carries
)

var scopeNames = [...]string{"none", "general", "region", "group", "tag"}

func (k ScopeKind) MarshalText() ([]byte, error) { return []byte(scopeNames[k]), nil }

// Scope is why a threshold was chosen: tag override, then group or region override, then
// the general value.
type Scope struct {
	Kind ScopeKind `json:"kind"`
	Key  string    `json:"key,omitempty"` // region code, group or tag
	// Via is the tag that made the unit use Key's region thresholds (region_from_tags).
	Via string `json:"via,omitempty"`
	// Unknown says the set has a value here that is not known (a null override).
	Unknown bool `json:"unknown,omitempty"`
}

// IndicatorVerdict is the verdict on one indicator. Reason sentences are built on demand
// (ReasonVI, ReasonEN, and in JSON) so that evaluating a country stays cheap.
type IndicatorVerdict struct {
	Code      string
	Criterion int
	Status    Status
	Value     Value // entered or computed; no kind when missing
	Computed  bool  // from a formula or an aggregate
	Threshold Value // the one that applied
	Scope     Scope
	Verified  bool   // the threshold that applied is checked against the decision's text
	Detail    string // technical detail of an error, or the missing data elements
	prob      problem
	ind       *Indicator
}

// Indicator is the indicator judged.
func (v *IndicatorVerdict) Indicator() *Indicator { return v.ind }

// CriterionVerdict is the verdict on one criterion.
type CriterionVerdict struct {
	Number int
	Name   string
	Status Status
	// Direct says the verdict comes from a result entered for the criterion itself (TC<N>).
	Direct bool
	// FromIndicators is what the indicators alone say (met, not_met, incomplete, missing or
	// not_applicable).
	FromIndicators  Status
	IndicatorsMet   int
	IndicatorsTotal int // applicable indicators
	Partial         bool
	inds            []IndicatorVerdict
	crit            *Criterion
}

// Inconsistency is a criterion whose entered result disagrees with its indicators.
type Inconsistency struct {
	Criterion      int    `json:"criterion"`
	Direct         bool   `json:"direct"`          // the result entered for the criterion
	FromIndicators Status `json:"from_indicators"` // what the indicators say
	MessageVI      string `json:"message_vi"`
	MessageEN      string `json:"message_en"`
}

// Requirement is whether a required set is met.
type Requirement struct {
	SetID string `json:"set"`
	Known bool   `json:"known"` // false when nobody said
	Met   bool   `json:"met"`
}

// Result is the evaluation of one unit against one set.
type Result struct {
	SetID           string             `json:"set"`
	Unit            Unit               `json:"unit"`
	Indicators      []IndicatorVerdict `json:"indicators"`
	Criteria        []CriterionVerdict `json:"criteria"`
	CriteriaMet     int                `json:"criteria_met"`
	CriteriaTotal   int                `json:"criteria_total"`
	IndicatorsMet   int                `json:"indicators_met"`
	IndicatorsTotal int                `json:"indicators_total"` // applicable indicators
	Met             bool               `json:"met"`
	RequiresMet     bool               `json:"requires_met"`
	Requires        []Requirement      `json:"requires"`
	Inconsistencies []Inconsistency    `json:"inconsistencies"`
	Unverified      int                `json:"unverified"` // verdicts resting on unverified thresholds
	Partial         bool               `json:"partial,omitempty"`
}

// thr is a precomputed override.
type thr struct {
	has bool
	v   Value
}

type tagThr struct {
	tag string
	v   Value
}

type cind struct {
	ind      *Indicator
	crit     int // number
	general  thr
	region   [7]thr
	group    [3]thr
	tags     []tagThr
	anyReg   bool
	anyGrp   bool
	formula  *formula
	fErr     string
	levelIdx map[string]int
}

type ccrit struct {
	c          *Criterion
	start, end int // range in the flattened indicators
	keys       [2]string
}

type tagRegion struct{ tag, region string }

// Evaluator is a set compiled for evaluation: thresholds are indexed by region and group,
// formulas compiled once. It is safe for concurrent use.
type Evaluator struct {
	set         *Set
	inds        []cind
	crits       []ccrit
	fromTags    []tagRegion
	hasFormulas bool
	pool        sync.Pool
}

// Compile prepares a set for evaluation. Sets from Parse and Catalog are compiled already;
// Compile is for sets built in code. It reports errors in sets that Parse would reject.
func Compile(s *Set) (*Evaluator, error) {
	if s.Extends != "" && s.raw != nil && s.ev == nil && len(s.Criteria) == 0 {
		return nil, fmt.Errorf("criteria %s: extends %s and is not resolved; add it to a Catalog", s.ID, s.Extends)
	}
	ev := &Evaluator{set: s}
	ev.pool.New = func() any { return &scratch{env: map[string]any{}} }
	for tag, region := range s.RegionFromTags {
		ev.fromTags = append(ev.fromTags, tagRegion{tag, region})
	}
	sort.Slice(ev.fromTags, func(i, j int) bool { return ev.fromTags[i].tag < ev.fromTags[j].tag })
	seen := map[string]bool{}
	var errs []string
	for ci := range s.Criteria {
		c := &s.Criteria[ci]
		cc := ccrit{c: c, start: len(ev.inds)}
		cc.keys = [2]string{"TC" + strconv.Itoa(c.Number), "tc" + strconv.Itoa(c.Number)}
		for ii := range c.Indicators {
			in := &c.Indicators[ii]
			if seen[in.Code] {
				errs = append(errs, fmt.Sprintf("indicator %s: duplicate code", in.Code))
			}
			seen[in.Code] = true
			if !validKind(in.Kind) {
				errs = append(errs, fmt.Sprintf("indicator %s: unknown kind %q", in.Code, in.Kind))
			}
			op := in.Op
			if op == "" && in.Kind == KindBool {
				op = OpEqual
			}
			if !validOp(op) {
				errs = append(errs, fmt.Sprintf("indicator %s: unknown comparator %q", in.Code, in.Op))
			}
			x := cind{ind: in, crit: c.Number}
			if in.Threshold != nil && in.Threshold.Kind != ValueNone {
				x.general = thr{true, *in.Threshold}
			}
			for _, o := range in.By {
				switch ClassifyKey(o.Key) {
				case KeyRegion:
					if i := regionIndex(o.Key); i >= 0 {
						x.region[i] = thr{true, o.Value}
						x.anyReg = true
					} else {
						errs = append(errs, fmt.Sprintf("indicator %s: unknown region %q", in.Code, o.Key))
					}
				case KeyGroup:
					if i := groupIndex(NormalizeGroup(o.Key)); i >= 0 {
						x.group[i] = thr{true, o.Value}
						x.anyGrp = true
					} else {
						errs = append(errs, fmt.Sprintf("indicator %s: unknown group %q", in.Code, o.Key))
					}
				default:
					x.tags = append(x.tags, tagThr{o.Key, o.Value})
				}
			}
			if in.Kind == KindLevel {
				x.levelIdx = make(map[string]int, len(in.Levels))
				for i, l := range in.Levels {
					x.levelIdx[l] = i
				}
			}
			if in.Formula != "" {
				f, err := compileFormula(in.Formula)
				if err != nil {
					x.fErr = err.Error()
				} else {
					x.formula = f
					ev.hasFormulas = true
				}
			}
			ev.inds = append(ev.inds, x)
		}
		cc.end = len(ev.inds)
		ev.crits = append(ev.crits, cc)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("criteria %s: %s", s.ID, strings.Join(errs, "; "))
	}
	return ev, nil
}

// Set is the set the evaluator judges against.
func (ev *Evaluator) Set() *Set { return ev.set }

// Evaluate judges a unit's values against a set. It uses the set's compiled form when the
// set came from Parse or a Catalog, and compiles it otherwise.
func Evaluate(s *Set, u Unit, vals Values, opt Options) (*Result, error) {
	ev := s.ev
	if ev == nil {
		var err error
		if ev, err = Compile(s); err != nil {
			return nil, err
		}
	}
	return ev.Evaluate(u, vals, opt), nil
}

// Evaluate judges a unit's values. It does no I/O and never panics on bad values.
func (ev *Evaluator) Evaluate(u Unit, vals Values, opt Options) *Result {
	r := &Result{}
	ev.EvaluateInto(r, u, vals, opt)
	return r
}

// EvaluateInto is Evaluate writing into r, reusing its slices: a national pass evaluates
// thousands of units without allocating a result for each.
func (ev *Evaluator) EvaluateInto(r *Result, u Unit, vals Values, opt Options) {
	s := ev.set
	*r = Result{
		SetID:           s.ID,
		Unit:            u,
		Indicators:      r.Indicators[:0],
		Criteria:        r.Criteria[:0],
		Requires:        r.Requires[:0],
		Inconsistencies: r.Inconsistencies[:0],
		Partial:         s.Partial,
	}
	region, via := u.Region, ""
	for _, tr := range ev.fromTags {
		if hasTag(u.Tags, tr.tag) {
			region, via = tr.region, tr.tag
			break
		}
	}
	ri := regionIndex(region)
	gi := groupIndex(u.Group)
	if gi < 0 && u.Group != "" {
		gi = groupIndex(NormalizeGroup(u.Group))
	}
	var sc *scratch
	if ev.hasFormulas {
		sc = ev.pool.Get().(*scratch)
		defer ev.pool.Put(sc)
	}
	for i := range ev.inds {
		r.Indicators = append(r.Indicators, ev.indicator(&ev.inds[i], u, region, ri, via, gi, vals, opt, sc))
	}
	for i := range r.Indicators {
		v := &r.Indicators[i]
		switch v.Status {
		case StatusNotApplicable:
			continue
		case StatusMet:
			r.IndicatorsMet++
		}
		r.IndicatorsTotal++
		if (v.Status == StatusMet || v.Status == StatusNotMet) && !v.Verified {
			r.Unverified++
		}
	}
	for ci := range ev.crits {
		cc := &ev.crits[ci]
		cv := criterionVerdict(cc, r.Indicators[cc.start:cc.end], vals)
		if cv.Direct && (cv.FromIndicators == StatusMet || cv.FromIndicators == StatusNotMet) &&
			(cv.FromIndicators == StatusMet) != (cv.Status == StatusMet) {
			r.Inconsistencies = append(r.Inconsistencies, inconsistency(cv))
		}
		r.Criteria = append(r.Criteria, cv)
		if cv.Status == StatusNotApplicable {
			continue
		}
		r.CriteriaTotal++
		if cv.Status == StatusMet {
			r.CriteriaMet++
		}
	}
	r.RequiresMet = true
	for _, id := range s.Requires {
		met, known := opt.Required[id]
		r.Requires = append(r.Requires, Requirement{SetID: id, Known: known, Met: met})
		if !met {
			r.RequiresMet = false
		}
	}
	r.Met = !s.Partial && r.CriteriaTotal > 0 && r.CriteriaMet == r.CriteriaTotal && r.RequiresMet
}

func hasTag(tags []string, t string) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}

func (ev *Evaluator) indicator(c *cind, u Unit, region string, ri int, via string, gi int, vals Values, opt Options, sc *scratch) IndicatorVerdict {
	in := c.ind
	v := IndicatorVerdict{Code: in.Code, Criterion: c.crit, ind: in}

	// Which threshold applies: a tag override, then the region or group override, then
	// the general value. It is chosen first so that a missing value still shows what is
	// required.
	var t thr
	for _, tt := range c.tags {
		if hasTag(u.Tags, tt.tag) {
			t, v.Scope = thr{true, tt.v}, Scope{Kind: ScopeTag, Key: tt.tag}
			break
		}
	}
	if !t.has && ri >= 0 && c.region[ri].has {
		t, v.Scope = c.region[ri], Scope{Kind: ScopeRegion, Key: region, Via: via}
	}
	if !t.has && gi >= 0 && c.group[gi].has {
		t, v.Scope = c.group[gi], Scope{Kind: ScopeGroup, Key: Groups[gi]}
	}
	if !t.has && c.general.has {
		t, v.Scope = c.general, Scope{Kind: ScopeGeneral}
	}
	noThreshold := !t.has || t.v.Kind == ValueNone
	if noThreshold {
		v.Scope.Unknown = t.has
		if !t.has {
			// Say what was missing: the unit's region or group, or any value at all.
			switch {
			case c.anyReg && ri < 0:
				v.Scope = Scope{Kind: ScopeRegion, Key: region}
			case c.anyGrp && gi < 0:
				v.Scope = Scope{Kind: ScopeGroup, Key: u.Group}
			case c.anyReg:
				v.Scope = Scope{Kind: ScopeRegion, Key: region, Via: via}
			case c.anyGrp:
				v.Scope = Scope{Kind: ScopeGroup, Key: Groups[gi]}
			}
		}
	} else {
		v.Threshold = t.v
		v.Verified = in.Verified
	}

	val, ok := vals[in.Code]
	if ok && val.Kind == ValueNotApplicable {
		v.Status, v.Value = StatusNotApplicable, val
		return v
	}
	if noThreshold {
		// Nothing to compare with: entering or computing a value cannot decide it.
		v.Status = StatusNoThreshold
		if ok {
			v.Value = val
		}
		return v
	}
	if !ok || val.Kind == ValueNone {
		switch {
		case c.fErr != "":
			v.Status, v.prob, v.Detail = StatusError, probCompile, c.fErr
			return v
		case c.formula != nil:
			var p problem
			val, p, v.Detail = c.formula.run(sc, vals, in.Kind)
			switch p {
			case probNone:
				v.Computed = true
			case probMissingElems:
				v.Status, v.prob = StatusMissing, p
				return v
			default:
				v.Status, v.prob = StatusError, p
				return v
			}
		case in.Aggregate != nil:
			var p problem
			val, p, v.Detail = aggregate(in.Aggregate, opt)
			switch p {
			case probNone:
				v.Computed = true
			case probMissingChildren:
				v.Status, v.prob = StatusMissing, p
				return v
			default:
				v.Status, v.prob = StatusError, p
				return v
			}
		default:
			v.Status = StatusMissing
			return v
		}
	}
	v.Value = val
	if !kindAccepts(in.Kind, val.Kind) {
		if in.Kind == KindBool && val.Kind == ValueNumber && (val.Num == 0 || val.Num == 1) {
			val = Bool(val.Num == 1)
			v.Value = val
		} else {
			v.Status, v.prob = StatusError, probValueType
			return v
		}
	}
	met := false
	switch in.Kind {
	case KindBool:
		met = val.Bool == t.v.Bool
	case KindLevel:
		a, ok1 := c.levelIdx[val.Level]
		b, ok2 := c.levelIdx[t.v.Level]
		if !ok1 || !ok2 {
			v.Status, v.prob = StatusError, probLevel
			return v
		}
		met = compare(float64(a), in.Op, float64(b))
	default:
		met = compare(val.Num, in.Op, t.v.Num)
	}
	if met {
		v.Status = StatusMet
	} else {
		v.Status = StatusNotMet
	}
	return v
}

func compare(a float64, op Op, b float64) bool {
	switch op {
	case OpAtLeast:
		return a >= b
	case OpAtMost:
		return a <= b
	case OpEqual:
		return a == b
	}
	return false
}

func aggregate(a *Aggregate, opt Options) (Value, problem, string) {
	kids, ok := opt.Children[a.Set]
	if !ok {
		return Value{}, probMissingChildren, a.Set
	}
	if len(kids) == 0 {
		return Value{}, probNoChildren, a.Set
	}
	n := 0
	for _, k := range kids {
		switch a.Measure {
		case ShareRecognized:
			if k.Recognized {
				n++
			}
		default:
			if k.Met {
				n++
			}
		}
	}
	if a.Measure == CountMet {
		return Number(float64(n)), probNone, ""
	}
	return Number(100 * float64(n) / float64(len(kids))), probNone, ""
}

func criterionVerdict(cc *ccrit, inds []IndicatorVerdict, vals Values) CriterionVerdict {
	cv := CriterionVerdict{Number: cc.c.Number, Name: cc.c.Name, Partial: cc.c.Partial, inds: inds, crit: cc.c}
	notMet, undecided := 0, 0
	for i := range inds {
		switch inds[i].Status {
		case StatusNotApplicable:
			continue
		case StatusMet:
			cv.IndicatorsMet++
		case StatusNotMet:
			notMet++
		default:
			undecided++
		}
		cv.IndicatorsTotal++
	}
	switch {
	case len(inds) == 0:
		cv.FromIndicators = StatusMissing
	case cv.IndicatorsTotal == 0:
		cv.FromIndicators = StatusNotApplicable
	case notMet > 0:
		cv.FromIndicators = StatusNotMet
	case undecided > 0 || cc.c.Partial:
		cv.FromIndicators = StatusIncomplete
	default:
		cv.FromIndicators = StatusMet
	}
	cv.Status = cv.FromIndicators
	d, ok := vals[cc.keys[0]]
	if !ok {
		d, ok = vals[cc.keys[1]]
	}
	if ok {
		switch {
		case d.Kind == ValueBool:
			cv.Direct = true
			cv.Status = StatusNotMet
			if d.Bool {
				cv.Status = StatusMet
			}
		case d.Kind == ValueNumber && (d.Num == 0 || d.Num == 1):
			cv.Direct = true
			cv.Status = StatusNotMet
			if d.Num == 1 {
				cv.Status = StatusMet
			}
		case d.Kind == ValueNotApplicable:
			cv.Direct = true
			cv.Status = StatusNotApplicable
		}
	}
	return cv
}

func inconsistency(cv CriterionVerdict) Inconsistency {
	directVI, directEN := "chưa đạt", "not met"
	if cv.Status == StatusMet {
		directVI, directEN = "đạt", "met"
	}
	indVI, indEN := "chưa đạt", "not met"
	if cv.FromIndicators == StatusMet {
		indVI, indEN = "đạt", "met"
	}
	return Inconsistency{
		Criterion:      cv.Number,
		Direct:         cv.Status == StatusMet,
		FromIndicators: cv.FromIndicators,
		MessageVI: fmt.Sprintf("Tiêu chí %d: kết quả nhập cho tiêu chí là %s nhưng theo các chỉ tiêu là %s (%d/%d chỉ tiêu đạt)",
			cv.Number, directVI, indVI, cv.IndicatorsMet, cv.IndicatorsTotal),
		MessageEN: fmt.Sprintf("Criterion %d: the result entered for the criterion is %s but its indicators say %s (%d/%d indicators met)",
			cv.Number, directEN, indEN, cv.IndicatorsMet, cv.IndicatorsTotal),
	}
}
