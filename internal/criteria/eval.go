package criteria

import (
	"encoding/json"
	"fmt"
	"sort"
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
	// StatusGroupUnassigned: the indicator's thresholds differ by commune group and the unit
	// has no group yet (chưa xác định nhóm xã); no group is assumed.
	StatusGroupUnassigned
)

var statusNames = [...]string{"missing", "met", "not_met", "not_applicable", "no_threshold", "error", "incomplete", "group_unassigned"}

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
	Value     Value // entered or computed; no kind when missing
	Threshold Value // the one that applied
	Scope     Scope
	Detail    string // technical detail of an error, or the missing data elements
	ind       *Indicator
	// The small fields last: a country's evaluation copies 75 verdicts per commune.
	Status   Status
	Computed bool // from a formula or an aggregate
	Verified bool // the threshold that applied is checked against the decision's text
	prob     problem
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

// Inconsistency is a criterion whose entered result disagrees with its indicators. Its
// messages are built on demand (MessageVI, MessageEN, and in JSON).
type Inconsistency struct {
	Criterion       int
	Direct          bool   // the result entered for the criterion: met or not
	FromIndicators  Status // what the indicators say
	IndicatorsMet   int
	IndicatorsTotal int
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
	// GroupUnassigned counts indicators undecided because the unit has no commune group.
	GroupUnassigned int  `json:"group_unassigned,omitempty"`
	Partial         bool `json:"partial,omitempty"`
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
	slot     int
	general  thr
	region   [7]thr
	group    [3]thr
	tags     []tagThr
	anyReg   bool
	anyGrp   bool
	formula  *formula
	fErr     string
	levelIdx map[string]int
	accepts  ValueKind // the kind of value the indicator's kind takes (none for an unknown kind)
}

type ccrit struct {
	c          *Criterion
	start, end int // range in the flattened indicators
	slot       int // of its direct result
}

type tagRegion struct{ tag, region string }

// Evaluator is a set compiled for evaluation: thresholds are indexed by region and group,
// formulas compiled once, and every key a unit's values may use (indicator codes, data
// elements, TC<N>) has a slot, so that values can also be passed as a dense vector. It is
// safe for concurrent use.
type Evaluator struct {
	set         *Set
	inds        []cind
	crits       []ccrit
	keys        []string // slot → key: indicators, then data elements, then TC<N>
	slotOf      map[string]int
	index       keyIndex // slotOf without hashing; no cells when the keys could not be separated
	critIdx     map[int]int
	tcBase      int
	fromTags    []tagRegion
	hasFormulas bool
	pool        sync.Pool
	thresholds  classCache
}

// Compile prepares a set for evaluation. Sets from Parse and Catalog are compiled already;
// Compile is for sets built in code. It reports errors in sets that Parse would reject.
func Compile(s *Set) (*Evaluator, error) {
	if s.Extends != "" && s.raw != nil && s.ev == nil && len(s.Criteria) == 0 {
		return nil, fmt.Errorf("criteria %s: extends %s and is not resolved; add it to a Catalog", s.ID, s.Extends)
	}
	ev := &Evaluator{set: s, slotOf: map[string]int{}, critIdx: map[int]int{}}
	for tag, region := range s.RegionFromTags {
		ev.fromTags = append(ev.fromTags, tagRegion{tag, region})
	}
	sort.Slice(ev.fromTags, func(i, j int) bool { return ev.fromTags[i].tag < ev.fromTags[j].tag })
	var errs []string
	for ci := range s.Criteria {
		c := &s.Criteria[ci]
		if _, dup := ev.critIdx[c.Number]; dup {
			errs = append(errs, fmt.Sprintf("criterion %d: duplicate number", c.Number))
		}
		ev.critIdx[c.Number] = ci
		cc := ccrit{c: c, start: len(ev.inds)}
		for ii := range c.Indicators {
			in := &c.Indicators[ii]
			if _, dup := ev.slotOf[in.Code]; dup {
				errs = append(errs, fmt.Sprintf("indicator %s: duplicate code", in.Code))
			}
			x := cind{ind: in, crit: c.Number, slot: len(ev.keys), accepts: valueKindOf(in.Kind)}
			ev.slotOf[in.Code] = x.slot
			ev.keys = append(ev.keys, in.Code)
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
	// Data elements read by formulas; an element named like an indicator reads its value.
	for i := range ev.inds {
		f := ev.inds[i].formula
		if f == nil {
			continue
		}
		f.slots = make([]int, len(f.vars))
		for j, name := range f.vars {
			slot, ok := ev.slotOf[name]
			if !ok {
				slot = len(ev.keys)
				ev.slotOf[name] = slot
				ev.keys = append(ev.keys, name)
			}
			f.slots[j] = slot
		}
	}
	ev.tcBase = len(ev.keys)
	for ci := range ev.crits {
		key := DirectKey(ev.crits[ci].c.Number)
		ev.crits[ci].slot = len(ev.keys)
		ev.keys = append(ev.keys, key)
		ev.slotOf[key] = ev.crits[ci].slot
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("criteria %s: %s", s.ID, strings.Join(errs, "; "))
	}
	ev.index, _ = newKeyIndex(ev.keys, ev.slotOf)
	ev.thresholds.init(ev)
	n := len(ev.keys)
	ev.pool.New = func() any { return &scratch{env: map[string]any{}, vec: make([]Value, n)} }
	return ev, nil
}

// Set is the set the evaluator judges against.
func (ev *Evaluator) Set() *Set { return ev.set }

// Keys lists the keys of a dense values vector, by slot: indicator codes, the data elements
// formulas read, then TC<N> for each criterion's direct result.
func (ev *Evaluator) Keys() []string { return ev.keys }

// Slot is the vector slot of a values key; TC<N> is matched in any case.
func (ev *Evaluator) Slot(key string) (int, bool) {
	if i, ok := ev.slot(key); ok {
		return i, true
	}
	if n, ok := directNumber(key); ok {
		i, ok := ev.slotOf[DirectKey(n)]
		return i, ok
	}
	return 0, false
}

// Vector turns a values map into the dense form EvaluateVector reads.
func (ev *Evaluator) Vector(vals Values) []Value {
	vec := make([]Value, len(ev.keys))
	ev.fill(vec, vals)
	return vec
}

// fill copies vals into vec by slot. It walks the map once, finding each key's slot through
// the evaluator's key index (small enough to stay in cache while each unit's map is read in
// order), which is what makes a national pass fast. TC<N> is matched in any case; the
// canonical spelling wins when a map holds two.
func (ev *Evaluator) fill(vec []Value, vals Values) {
	clear(vec)
	for k, v := range vals {
		if slot, ok := ev.slot(k); ok {
			vec[slot] = v
			continue
		}
		if n, ok := directNumber(k); ok {
			if ci, ok := ev.critIdx[n]; ok && vec[ev.crits[ci].slot].Kind == ValueNone {
				vec[ev.crits[ci].slot] = v
			}
		}
	}
}

// slot is the slot of key as written.
func (ev *Evaluator) slot(key string) (int, bool) {
	if ev.index.cells != nil {
		return ev.index.slot(key)
	}
	slot, ok := ev.slotOf[key]
	return slot, ok
}

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
	sc := ev.pool.Get().(*scratch)
	ev.fill(sc.vec, vals)
	ev.evaluate(r, u, sc.vec, opt, sc)
	ev.pool.Put(sc)
}

// EvaluateVector is EvaluateInto for values already in dense form (see Keys and Vector):
// the fastest way through a whole country, since it looks nothing up by name.
func (ev *Evaluator) EvaluateVector(r *Result, u Unit, vec []Value, opt Options) {
	if len(vec) < len(ev.keys) {
		full := make([]Value, len(ev.keys))
		copy(full, vec)
		vec = full
	}
	var sc *scratch
	if ev.hasFormulas {
		sc = ev.pool.Get().(*scratch)
		defer ev.pool.Put(sc)
	}
	ev.evaluate(r, u, vec, opt, sc)
}

func (ev *Evaluator) evaluate(r *Result, u Unit, vec []Value, opt Options, sc *scratch) {
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
	n := len(ev.inds)
	if cap(r.Indicators) < n {
		r.Indicators = make([]IndicatorVerdict, n)
	}
	r.Indicators = r.Indicators[:n]
	copy(r.Indicators, ev.classOf(u).verdicts)
	for i := range ev.inds {
		v := &r.Indicators[i]
		ev.inds[i].decide(v, vec, opt, sc)
		switch v.Status {
		case StatusNotApplicable:
			continue
		case StatusMet:
			r.IndicatorsMet++
			if !v.Verified {
				r.Unverified++
			}
		case StatusNotMet:
			if !v.Verified {
				r.Unverified++
			}
		case StatusGroupUnassigned:
			r.GroupUnassigned++
		}
		r.IndicatorsTotal++
	}
	if cap(r.Criteria) < len(ev.crits) {
		r.Criteria = make([]CriterionVerdict, 0, len(ev.crits))
	}
	for ci := range ev.crits {
		cc := &ev.crits[ci]
		r.Criteria = append(r.Criteria, CriterionVerdict{})
		cv := &r.Criteria[ci]
		criterionVerdict(cv, cc, r.Indicators[cc.start:cc.end], vec[cc.slot])
		if cv.Direct && (cv.FromIndicators == StatusMet || cv.FromIndicators == StatusNotMet) &&
			(cv.FromIndicators == StatusMet) != (cv.Status == StatusMet) {
			r.Inconsistencies = append(r.Inconsistencies, inconsistency(cv))
		}
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

// decide reads the indicator's value into v, which holds the verdict's threshold and scope
// for the unit's class (see classOf), and decides it.
func (c *cind) decide(v *IndicatorVerdict, vec []Value, opt Options, sc *scratch) {
	val := vec[c.slot]
	switch {
	case v.Status == StatusGroupUnassigned:
		v.Value = val
		if val.Kind == ValueNotApplicable {
			v.Status = StatusNotApplicable
		}
		return
	case val.Kind == ValueNotApplicable:
		v.Status, v.Value = StatusNotApplicable, val
		return
	case v.Threshold.Kind == ValueNone:
		// Nothing to compare with: entering or computing a value cannot decide it.
		v.Status, v.Value = StatusNoThreshold, val
		return
	case val.Kind == ValueNone:
		var ok bool
		if val, ok = c.compute(v, vec, opt, sc); !ok {
			return
		}
	}
	c.judge(v, val)
}

// threshold is the threshold that applies to the unit: a tag override, then the region or
// group override, then the general value; v.Scope says which. nil when none is set.
func (c *cind) threshold(v *IndicatorVerdict, u Unit, region string, ri int, via string, gi int) *thr {
	for i := range c.tags {
		if hasTag(u.Tags, c.tags[i].tag) {
			v.Scope = Scope{Kind: ScopeTag, Key: c.tags[i].tag}
			return &thr{true, c.tags[i].v}
		}
	}
	switch {
	case ri >= 0 && c.region[ri].has:
		v.Scope = Scope{Kind: ScopeRegion, Key: region, Via: via}
		return &c.region[ri]
	case gi >= 0 && c.group[gi].has:
		v.Scope = Scope{Kind: ScopeGroup, Key: Groups[gi]}
		return &c.group[gi]
	case c.general.has:
		v.Scope = Scope{Kind: ScopeGeneral}
		return &c.general
	}
	return nil
}

// noThresholdScope says in v.Scope why no threshold applies: the one chosen has no value, or
// the unit's region or group is missing, or no value is set at all.
func (c *cind) noThresholdScope(v *IndicatorVerdict, t *thr, u Unit, region string, ri int, via string, gi int) {
	if t != nil {
		v.Scope.Unknown = true
		return
	}
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

// compute finds a value that was not entered: from the indicator's formula or its
// aggregate. ok is false when v is decided without one (missing or an error).
func (c *cind) compute(v *IndicatorVerdict, vec []Value, opt Options, sc *scratch) (Value, bool) {
	in := c.ind
	var val Value
	var p, missing problem
	switch {
	case c.fErr != "":
		v.Status, v.prob, v.Detail = StatusError, probCompile, c.fErr
		return val, false
	case c.formula != nil:
		val, p, v.Detail = c.formula.run(sc, vec, in.Kind)
		missing = probMissingElems
	case in.Aggregate != nil:
		val, p, v.Detail = aggregate(in.Aggregate, opt)
		missing = probMissingChildren
	default:
		v.Status = StatusMissing
		return val, false
	}
	switch p {
	case probNone:
		v.Computed = true
		return val, true
	case missing:
		v.Status, v.prob = StatusMissing, p
	default:
		v.Status, v.prob = StatusError, p
	}
	return val, false
}

// judge compares val with the threshold in v and sets v's value and status.
func (c *cind) judge(v *IndicatorVerdict, val Value) {
	t := &v.Threshold
	in := c.ind
	v.Value = val
	if val.Kind != c.accepts {
		if c.accepts == ValueBool && val.Kind == ValueNumber && (val.Num == 0 || val.Num == 1) {
			val = Bool(val.Num == 1)
			v.Value = val
		} else {
			v.Status, v.prob = StatusError, probValueType
			return
		}
	}
	met := false
	switch val.Kind {
	case ValueNumber:
		met = compare(val.Num, in.Op, t.Num)
	case ValueBool:
		met = val.Bool == t.Bool
	case ValueLevel:
		a, ok1 := c.levelIdx[val.Level]
		b, ok2 := c.levelIdx[t.Level]
		if !ok1 || !ok2 {
			v.Status, v.prob = StatusError, probLevel
			return
		}
		met = compare(float64(a), in.Op, float64(b))
	}
	if met {
		v.Status = StatusMet
	} else {
		v.Status = StatusNotMet
	}
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

func criterionVerdict(cv *CriterionVerdict, cc *ccrit, inds []IndicatorVerdict, d Value) {
	*cv = CriterionVerdict{Number: cc.c.Number, Name: cc.c.Name, Partial: cc.c.Partial, inds: inds, crit: cc.c}
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

func inconsistency(cv *CriterionVerdict) Inconsistency {
	return Inconsistency{Criterion: cv.Number, Direct: cv.Status == StatusMet, FromIndicators: cv.FromIndicators,
		IndicatorsMet: cv.IndicatorsMet, IndicatorsTotal: cv.IndicatorsTotal}
}

// MessageVI says what disagrees, in Vietnamese.
func (in Inconsistency) MessageVI() string {
	directVI, indVI := "chưa đạt", "chưa đạt"
	if in.Direct {
		directVI = "đạt"
	}
	if in.FromIndicators == StatusMet {
		indVI = "đạt"
	}
	return fmt.Sprintf("Tiêu chí %d: kết quả nhập cho tiêu chí là %s nhưng theo các chỉ tiêu là %s (%d/%d chỉ tiêu đạt)",
		in.Criterion, directVI, indVI, in.IndicatorsMet, in.IndicatorsTotal)
}

// MessageEN says what disagrees, in English.
func (in Inconsistency) MessageEN() string {
	directEN, indEN := "not met", "not met"
	if in.Direct {
		directEN = "met"
	}
	if in.FromIndicators == StatusMet {
		indEN = "met"
	}
	return fmt.Sprintf("Criterion %d: the result entered for the criterion is %s but its indicators say %s (%d/%d indicators met)",
		in.Criterion, directEN, indEN, in.IndicatorsMet, in.IndicatorsTotal)
}

func (in Inconsistency) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Criterion       int    `json:"criterion"`
		Direct          bool   `json:"direct"`
		FromIndicators  Status `json:"from_indicators"`
		IndicatorsMet   int    `json:"indicators_met"`
		IndicatorsTotal int    `json:"indicators_total"`
		MessageVI       string `json:"message_vi"`
		MessageEN       string `json:"message_en"`
	}{in.Criterion, in.Direct, in.FromIndicators, in.IndicatorsMet, in.IndicatorsTotal, in.MessageVI(), in.MessageEN()})
}
