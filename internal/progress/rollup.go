package progress

import (
	"slices"
	"strconv"
	"strings"
)

// Unit is a unit below the root of a rollup.
type Unit struct {
	Code string
	Name string
	// Path holds the codes from the top unit of the rollup down to this unit's parent; it may
	// start at the root or just below it. Children figures group by it.
	Path []string
}

// Criterion is one criterion of the set (tiêu chí), by its number in the set.
type Criterion struct {
	Number int
	Name   string
}

// Entry is one unit's standing against one criteria set: its latest assessment at or before the
// date asked, and the one before it. The store fills one Entry per unit the set applies to.
type Entry struct {
	Unit Unit
	// Assessed is false when the unit has no assessment: it is counted and listed as such, never
	// as a unit meeting zero criteria.
	Assessed        bool
	Period          string // "2024", "2024-H1", "2024-Q3", "2024-04"
	Status          string // draft | submitted | verified | returned | approved
	CriteriaMet     []int  // numbers of the criteria met, ascending
	CriteriaTotal   int
	IndicatorsMet   int
	IndicatorsTotal int
	Met             bool // meets the whole set (đạt chuẩn)
	// Recognized is true when the unit holds a recognition decision (quyết định công nhận) for
	// the set's tier as of the date; it counts whether or not the unit has an assessment.
	Recognized bool
	// Values are indicator values of the assessment by indicator code, optional; they give the
	// report's indicator averages (metric "indicator:<code>").
	Values map[string]float64
	// Previous is the unit's previous assessment (for fell_back and deltas), nil if none.
	Previous *Entry
	// Pending is the status of the unit's latest assessment when the rollup counts approved
	// assessments only and that one is not approved (it is on its way: draft, submitted,
	// verified, returned); "" otherwise.
	Pending string
}

// Band is a range of numbers of criteria met, both ends included.
type Band struct {
	Label string `json:"label"`
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

// DefaultBands are the bands offices use for a set of total criteria: a top band of exactly all,
// then groups ending at multiples of 5 down to 5, then the rest: for 19, "19", "15-18",
// "10-14", "5-9", "<5"; for 9, "9", "5-8", "<5".
func DefaultBands(total int) []Band {
	if total <= 0 {
		return []Band{{Label: "0", Min: 0, Max: 0}}
	}
	bands := []Band{{Label: strconv.Itoa(total), Min: total, Max: total}}
	hi := total - 1
	for hi >= 5 {
		lo := hi / 5 * 5
		label := strconv.Itoa(lo) + "-" + strconv.Itoa(hi)
		if lo == hi {
			label = strconv.Itoa(lo)
		}
		bands = append(bands, Band{Label: label, Min: lo, Max: hi})
		hi = lo - 1
	}
	if hi >= 0 {
		bands = append(bands, Band{Label: "<" + strconv.Itoa(hi+1), Min: 0, Max: hi})
	}
	return bands
}

// Options shape a rollup; the zero value gives default bands, children figures for the root's
// direct children and "xã" as the unit noun.
type Options struct {
	// Bands of criteria met; nil means DefaultBands(criteria total).
	Bands []Band
	// ChildLevel is the depth below the root at which children figures group: 0 or 1, the
	// element of Path after the root (the root's direct children); 2, the level below that; a
	// negative value, no children figures. A unit that is itself at or above that depth is its
	// own group.
	ChildLevel int
	// Children names the groups (Path is not used); a listed child with no units appears with
	// zero figures. Without it, children are the codes found, named when a unit is its own group.
	Children []Unit
	// UnitNoun is the noun for the units counted, in Vietnamese: "xã" (default), "huyện", "tỉnh".
	UnitNoun string
}

// UnitRef names a unit in the report's lists.
type UnitRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// BandCount is a band and how many assessed units fall in it.
type BandCount struct {
	Band
	Units int `json:"units"`
}

// CriterionRow says how many assessed units meet one criterion. Share is 100 × units_met /
// units assessed.
type CriterionRow struct {
	Number      int     `json:"number"`
	Name        string  `json:"name"`
	UnitsMet    int     `json:"units_met"`
	UnitsNotMet int     `json:"units_not_met"`
	Share       float64 `json:"share"`
}

// StatusCounts counts assessed units by the workflow status of their latest assessment. Other
// counts statuses outside the five.
type StatusCounts struct {
	Draft     int `json:"draft"`
	Submitted int `json:"submitted"`
	Verified  int `json:"verified"`
	Returned  int `json:"returned"`
	Approved  int `json:"approved"`
	Other     int `json:"other,omitempty"`
}

func (s *StatusCounts) add(status string) {
	switch status {
	case "draft":
		s.Draft++
	case "submitted":
		s.Submitted++
	case "verified":
		s.Verified++
	case "returned":
		s.Returned++
	case "approved":
		s.Approved++
	default:
		s.Other++
	}
}

// Total is the number of units counted.
func (s StatusCounts) Total() int {
	return s.Draft + s.Submitted + s.Verified + s.Returned + s.Approved + s.Other
}

// FellBack is a unit whose latest assessment lost criteria it met in the previous one.
type FellBack struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Lost           []int  `json:"lost"`
	Period         string `json:"period"`
	PreviousPeriod string `json:"previous_period"`
}

// Figures are the headline figures compared across assessments.
type Figures struct {
	UnitsMet         int     `json:"units_met"`
	CriteriaMetSum   int     `json:"criteria_met_sum"`
	CriteriaMetAvg   float64 `json:"criteria_met_avg"`
	IndicatorsMetSum int     `json:"indicators_met_sum"`
	UnitsRecognized  int     `json:"units_recognized"`
}

// Report is a rollup: the figures of SPEC §1.4 over the units below a unit. Its JSON is the
// contract of GET /api/v1/progress. Averages are unrounded; rounding is for text.
type Report struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// UnitsTotal counts the units the set applies to, assessed or not.
	UnitsTotal       int       `json:"units_total"`
	UnitsAssessed    int       `json:"units_assessed"`
	UnitsNotAssessed int       `json:"units_not_assessed"`
	NotAssessed      []UnitRef `json:"not_assessed"` // in code order
	UnitsMet         int       `json:"units_met"`
	UnitsRecognized  int       `json:"units_recognized"`
	CriteriaTotal    int       `json:"criteria_total"`
	CriteriaMetSum   int       `json:"criteria_met_sum"`
	CriteriaMetAvg   float64   `json:"criteria_met_avg"` // over assessed units; 0 when none
	// IndicatorsTotal is the set's number of indicators per unit (the largest where regional
	// variants differ).
	IndicatorsTotal  int     `json:"indicators_total"`
	IndicatorsMetSum int     `json:"indicators_met_sum"`
	IndicatorsMetAvg float64 `json:"indicators_met_avg"`
	// IndicatorsMetPct is 100 × indicators met / indicators applicable, summed over assessed
	// units: indicators_met_avg / indicators_total × 100 when every unit has the same total.
	IndicatorsMetPct float64 `json:"indicators_met_pct"`
	// IndicatorAvg is each indicator's average value over the assessed units that have one.
	IndicatorAvg map[string]float64 `json:"indicator_avg,omitempty"`
	// Distribution maps a number of criteria met ("17") to the number of assessed units meeting
	// exactly that many; numbers no unit has are left out.
	Distribution map[string]int `json:"distribution"`
	Bands        []BandCount    `json:"bands"`
	ByCriterion  []CriterionRow `json:"by_criterion"` // in criterion order
	Weakest      []CriterionRow `json:"weakest"`      // fewest units meeting first, then by number
	ByStatus     StatusCounts   `json:"by_status"`
	// Pending counts, by status, the units whose latest assessment is not approved yet when
	// only approved assessments are counted: the figures still on their way.
	Pending StatusCounts `json:"pending"`
	// Children are the same figures for each child of the root, in code order, without their own
	// children; absent when there is no child grouping.
	Children []Report   `json:"children,omitempty"`
	FellBack []FellBack `json:"fell_back"` // in code order
	// Previous are the figures as they stood one assessment ago: from each unit's previous
	// assessment where it has one, else from its latest. Delta is current minus Previous.
	Previous Figures `json:"previous"`
	Delta    Figures `json:"delta"`

	// UnitNoun is the noun Text uses for the units counted.
	UnitNoun string `json:"-"`
	// single is true for a child that is one unit below the root rather than a group of units.
	single bool
}

// Rollup computes the report over entries, one per unit below root that the criteria set
// applies to. It reads entries only.
func Rollup(root Unit, criteria []Criterion, entries []Entry, opt Options) Report {
	total := len(criteria)
	if total == 0 {
		for _, e := range entries {
			total = max(total, e.CriteriaTotal)
		}
	}
	bands := opt.Bands
	if bands == nil {
		bands = DefaultBands(total)
	}
	noun := opt.UnitNoun
	if noun == "" {
		noun = "xã"
	}
	c := &computation{criteria: criteria, total: total, bands: bands}
	maxNum := 0
	for _, cr := range criteria {
		maxNum = max(maxNum, cr.Number)
	}
	c.pos = make([]int, maxNum+1)
	for i := range c.pos {
		c.pos[i] = -1
	}
	for i, cr := range criteria {
		if cr.Number >= 0 {
			c.pos[cr.Number] = i
		}
	}

	top := c.newTally(root.Code, root.Name)
	level := opt.ChildLevel
	if level == 0 {
		level = 1
	}
	var children map[string]*tally
	if level > 0 {
		children = make(map[string]*tally, len(opt.Children))
		for _, u := range opt.Children {
			children[u.Code] = c.newTally(u.Code, u.Name)
		}
	}
	var lost []int // backing store of every FellBack.Lost, to allocate once
	for i := range entries {
		e := &entries[i]
		var fb *FellBack
		if f, ok := fellBack(e, &lost); ok {
			fb = &f
		}
		top.add(c, e, fb)
		if children == nil {
			continue
		}
		key := childKey(root.Code, e, level)
		t := children[key]
		if t == nil {
			t = c.newTally(key, "")
			children[key] = t
		}
		if key == e.Unit.Code {
			t.self = true
			if t.name == "" {
				t.name = e.Unit.Name
			}
		}
		t.add(c, e, fb)
	}

	r := top.report(c)
	r.UnitNoun = noun
	if children != nil {
		r.Children = make([]Report, 0, len(children))
		for _, t := range children {
			cr := t.report(c)
			cr.UnitNoun = noun
			r.Children = append(r.Children, cr)
		}
		slices.SortFunc(r.Children, func(a, b Report) int { return strings.Compare(a.Code, b.Code) })
	}
	return r
}

// childKey is the code of the group of e: the unit of e's lineage level steps below the root.
func childKey(root string, e *Entry, level int) string {
	path := e.Unit.Path
	i := slices.Index(path, root) + 1 // 0 when the path starts below the root
	if j := i + level - 1; j < len(path) {
		return path[j]
	}
	return e.Unit.Code
}

// fellBack returns what e lost since its previous assessment; the numbers lost are appended to
// *store.
func fellBack(e *Entry, store *[]int) (FellBack, bool) {
	if !e.Assessed || e.Previous == nil {
		return FellBack{}, false
	}
	cur, prev := sortedInts(e.CriteriaMet), sortedInts(e.Previous.CriteriaMet)
	start := len(*store)
	i := 0
	for _, n := range prev {
		for i < len(cur) && cur[i] < n {
			i++
		}
		if (i == len(cur) || cur[i] != n) && (len(*store) == start || (*store)[len(*store)-1] != n) {
			*store = append(*store, n)
		}
	}
	if len(*store) == start {
		return FellBack{}, false
	}
	return FellBack{Code: e.Unit.Code, Name: e.Unit.Name, Lost: (*store)[start:len(*store):len(*store)],
		Period: e.Period, PreviousPeriod: e.Previous.Period}, true
}

func sortedInts(s []int) []int {
	if slices.IsSorted(s) {
		return s
	}
	return slices.Sorted(slices.Values(s))
}

// computation holds what every tally of one rollup shares.
type computation struct {
	criteria []Criterion
	pos      []int // criterion number → index in criteria, -1 when not in the set
	total    int
	bands    []Band
}

// tally accumulates the figures of one report.
type tally struct {
	code, name                          string
	self                                bool // the group's code is that of a unit in it
	units, assessed, met, recognized    int
	criteriaSum, indicatorsSum          int
	indicatorsApplicable, indicatorsMax int
	dist                                []int // criteria met → units
	byCriterion                         []int // index in criteria → units meeting it
	status, pending                     StatusCounts
	notAssessed                         []UnitRef
	fell                                []FellBack
	prev                                Figures
	values                              map[string]*[2]float64 // code → sum, count
}

func (c *computation) newTally(code, name string) *tally {
	return &tally{code: code, name: name, dist: make([]int, c.total+1),
		byCriterion: make([]int, len(c.criteria))}
}

func (t *tally) add(c *computation, e *Entry, fb *FellBack) {
	t.units++
	t.indicatorsMax = max(t.indicatorsMax, e.IndicatorsTotal)
	if e.Recognized {
		t.recognized++
	}
	if e.Pending != "" {
		t.pending.add(e.Pending)
	}
	if !e.Assessed {
		t.notAssessed = append(t.notAssessed, UnitRef{Code: e.Unit.Code, Name: e.Unit.Name})
		if e.Recognized {
			t.prev.UnitsRecognized++
		}
		return
	}
	t.assessed++
	k := len(e.CriteriaMet)
	if k >= len(t.dist) {
		t.dist = append(t.dist, make([]int, k+1-len(t.dist))...)
	}
	t.dist[k]++
	t.criteriaSum += k
	t.indicatorsSum += e.IndicatorsMet
	t.indicatorsApplicable += e.IndicatorsTotal
	if e.Met {
		t.met++
	}
	for _, n := range e.CriteriaMet {
		if n >= 0 && n < len(c.pos) && c.pos[n] >= 0 {
			t.byCriterion[c.pos[n]]++
		}
	}
	t.status.add(e.Status)
	for code, v := range e.Values {
		if t.values == nil {
			t.values = make(map[string]*[2]float64)
		}
		sv := t.values[code]
		if sv == nil {
			sv = new([2]float64)
			t.values[code] = sv
		}
		sv[0] += v
		sv[1]++
	}
	if fb != nil {
		t.fell = append(t.fell, *fb)
	}
	p := e
	if e.Previous != nil {
		p = e.Previous
	}
	if p.Met {
		t.prev.UnitsMet++
	}
	t.prev.CriteriaMetSum += len(p.CriteriaMet)
	t.prev.IndicatorsMetSum += p.IndicatorsMet
	if p.Recognized {
		t.prev.UnitsRecognized++
	}
}

func (t *tally) report(c *computation) Report {
	r := Report{
		Code:             t.code,
		Name:             t.name,
		UnitsTotal:       t.units,
		UnitsAssessed:    t.assessed,
		UnitsNotAssessed: t.units - t.assessed,
		NotAssessed:      t.notAssessed,
		UnitsMet:         t.met,
		UnitsRecognized:  t.recognized,
		CriteriaTotal:    c.total,
		single:           t.self && t.units == 1,
		CriteriaMetSum:   t.criteriaSum,
		IndicatorsTotal:  t.indicatorsMax,
		IndicatorsMetSum: t.indicatorsSum,
		Distribution:     make(map[string]int),
		Bands:            make([]BandCount, len(c.bands)),
		ByCriterion:      make([]CriterionRow, len(c.criteria)),
		ByStatus:         t.status,
		Pending:          t.pending,
		FellBack:         t.fell,
		Previous:         t.prev,
	}
	if r.NotAssessed == nil {
		r.NotAssessed = []UnitRef{}
	}
	slices.SortFunc(r.NotAssessed, func(a, b UnitRef) int { return strings.Compare(a.Code, b.Code) })
	if r.FellBack == nil {
		r.FellBack = []FellBack{}
	}
	slices.SortFunc(r.FellBack, func(a, b FellBack) int { return strings.Compare(a.Code, b.Code) })
	if t.assessed > 0 {
		n := float64(t.assessed)
		r.CriteriaMetAvg = float64(t.criteriaSum) / n
		r.IndicatorsMetAvg = float64(t.indicatorsSum) / n
		r.Previous.CriteriaMetAvg = float64(t.prev.CriteriaMetSum) / n
	}
	if t.indicatorsApplicable > 0 {
		r.IndicatorsMetPct = 100 * float64(t.indicatorsSum) / float64(t.indicatorsApplicable)
	}
	if t.values != nil {
		r.IndicatorAvg = make(map[string]float64, len(t.values))
		for code, sv := range t.values {
			r.IndicatorAvg[code] = sv[0] / sv[1]
		}
	}
	for k, n := range t.dist {
		if n > 0 {
			r.Distribution[strconv.Itoa(k)] = n
		}
	}
	for i, b := range c.bands {
		r.Bands[i].Band = b
		for k := max(b.Min, 0); k <= b.Max && k < len(t.dist); k++ {
			r.Bands[i].Units += t.dist[k]
		}
	}
	for i, cr := range c.criteria {
		row := CriterionRow{Number: cr.Number, Name: cr.Name, UnitsMet: t.byCriterion[i],
			UnitsNotMet: t.assessed - t.byCriterion[i]}
		if t.assessed > 0 {
			row.Share = 100 * float64(row.UnitsMet) / float64(t.assessed)
		}
		r.ByCriterion[i] = row
	}
	r.Weakest = slices.Clone(r.ByCriterion)
	slices.SortStableFunc(r.Weakest, func(a, b CriterionRow) int {
		if a.UnitsMet != b.UnitsMet {
			return a.UnitsMet - b.UnitsMet
		}
		return a.Number - b.Number
	})
	r.Delta = Figures{
		UnitsMet:         r.UnitsMet - r.Previous.UnitsMet,
		CriteriaMetSum:   r.CriteriaMetSum - r.Previous.CriteriaMetSum,
		CriteriaMetAvg:   r.CriteriaMetAvg - r.Previous.CriteriaMetAvg,
		IndicatorsMetSum: r.IndicatorsMetSum - r.Previous.IndicatorsMetSum,
		UnitsRecognized:  r.UnitsRecognized - r.Previous.UnitsRecognized,
	}
	return r
}
