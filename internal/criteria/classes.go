package criteria

import (
	"maps"
	"sync"
	"sync/atomic"
)

// Which threshold applies to an indicator, and why, depends on three things of a unit only:
// its region and commune group as written, and which of the tags the set names (in `by`
// overrides or region_from_tags) it carries. Units alike in these form a class; a country has
// a few dozen. The evaluator chooses every indicator's threshold once per class and starts
// each unit's verdicts from a copy of the class's, so that a national pass only reads and
// compares values.

// classKey identifies a class: region and group as the unit gives them, and one bit for each
// tag of the set's it carries.
type classKey struct {
	region, group string
	tags          uint64
}

// class holds, per indicator, the verdict before the value is read: code, criterion, the
// threshold that applies (no kind when none does), its scope and whether it is verified;
// status StatusGroupUnassigned when no group can be assumed.
type class struct {
	verdicts []IndicatorVerdict
}

// maxClasses bounds the classes an evaluator keeps: region and group come from the data, so
// a unit with an odd spelling gets its thresholds chosen afresh once the cache is full.
const maxClasses = 256

// classCache maps class keys to classes. Reads take no lock: the map is replaced, never
// changed, when a class is added.
type classCache struct {
	tagBit map[string]uint64 // the set's tags; nil when it names more than 64
	mu     sync.Mutex
	m      atomic.Pointer[map[classKey]*class]
}

func (cc *classCache) init(ev *Evaluator) {
	cc.tagBit = map[string]uint64{}
	add := func(tag string) {
		if _, ok := cc.tagBit[tag]; !ok && cc.tagBit != nil {
			if len(cc.tagBit) == 64 {
				cc.tagBit = nil
				return
			}
			cc.tagBit[tag] = 1 << len(cc.tagBit)
		}
	}
	for _, tr := range ev.fromTags {
		add(tr.tag)
	}
	for i := range ev.inds {
		for _, t := range ev.inds[i].tags {
			add(t.tag)
		}
	}
}

// classOf returns the class of u, choosing its thresholds the first time it is seen.
func (ev *Evaluator) classOf(u Unit) *class {
	cc := &ev.thresholds
	key := classKey{region: u.Region, group: u.Group}
	keep := true
	for _, t := range u.Tags {
		if cc.tagBit == nil {
			keep = false // too many tags to tell classes apart by a bit each
			break
		}
		key.tags |= cc.tagBit[t]
	}
	if keep {
		if m := cc.m.Load(); m != nil {
			if c, ok := (*m)[key]; ok {
				return c
			}
		}
	}
	c := ev.newClass(u)
	if keep {
		cc.mu.Lock()
		old := cc.m.Load()
		if old == nil || len(*old) < maxClasses {
			m := map[classKey]*class{key: c}
			if old != nil {
				maps.Copy(m, *old)
			}
			cc.m.Store(&m)
		}
		cc.mu.Unlock()
	}
	return c
}

// newClass chooses each indicator's threshold for u: a tag override, then the region or
// group override, then the general value (see cind.threshold), so that a missing value
// still shows what is required.
func (ev *Evaluator) newClass(u Unit) *class {
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
	c := &class{verdicts: make([]IndicatorVerdict, len(ev.inds))}
	for i := range ev.inds {
		x := &ev.inds[i]
		v := &c.verdicts[i]
		*v = IndicatorVerdict{Code: x.ind.Code, Criterion: x.crit, ind: x.ind}
		t := x.threshold(v, u, region, ri, via, gi)
		switch {
		case x.anyGrp && gi < 0 && (t == nil || v.Scope.Kind == ScopeGeneral):
			// Thresholds differ by commune group and the unit has none: no group is assumed.
			*v = IndicatorVerdict{Code: x.ind.Code, Criterion: x.crit, ind: x.ind, Status: StatusGroupUnassigned,
				Scope: Scope{Kind: ScopeGroup, Key: u.Group}}
		case t == nil || t.v.Kind == ValueNone:
			x.noThresholdScope(v, t, u, region, ri, via, gi)
		default:
			v.Threshold = t.v
			v.Verified = x.ind.Verified
		}
	}
	return c
}
