// The criteria sets in force for one database: the sets shipped in the binary plus those
// offices imported (provincial versions, completed annexes), which replace a shipped set with
// the same id. Several server processes may share one database, so a catalog notices imports
// made by another process (it checks at most every few seconds). It also maps a stored unit to
// the attributes the engine reads.

package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/imports"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// refreshEvery bounds how stale a catalog may be after another process imports a set.
const refreshEvery = 3 * time.Second

// Catalog is safe for concurrent use.
type Catalog struct {
	db *store.DB

	mu      sync.RWMutex
	cur     *criteria.Catalog
	stamp   string // what the database's imported sets looked like when cur was built
	checked time.Time
}

// Open builds the catalog for db. Writes of assessments go through it (assessments.go),
// which evaluates them with the sets in force and gives the store the evaluation.
func Open(ctx context.Context, db *store.DB) (*Catalog, error) {
	c := &Catalog{db: db}
	if err := c.reload(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Current returns the catalog, rebuilt first when the database's imported sets changed.
func (c *Catalog) Current(ctx context.Context) (*criteria.Catalog, error) {
	c.mu.RLock()
	cur, fresh := c.cur, time.Since(c.checked) < refreshEvery
	c.mu.RUnlock()
	if fresh {
		return cur, nil
	}
	if err := c.reload(ctx); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cur, nil
}

// Get returns one set of the current catalog, or the fault criteria.NoSet.
func (c *Catalog) Get(ctx context.Context, id string) (*criteria.Set, error) {
	cat, err := c.Current(ctx)
	if err != nil {
		return nil, err
	}
	s, ok := cat.Get(id)
	if !ok {
		return nil, criteria.NoSet(id)
	}
	return s, nil
}

func (c *Catalog) reload(ctx context.Context) error {
	srcs, err := c.db.CriteriaSetSources(ctx)
	if err != nil {
		return err
	}
	stamp := stampOf(srcs)
	c.mu.RLock()
	same := c.cur != nil && stamp == c.stamp
	c.mu.RUnlock()
	if same {
		c.mu.Lock()
		c.checked = time.Now()
		c.mu.Unlock()
		return nil
	}
	cat, err := build(srcs)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.cur, c.stamp, c.checked = cat, stamp, time.Now()
	c.mu.Unlock()
	return nil
}

func stampOf(srcs []store.CriteriaSetSource) string {
	var b strings.Builder
	for _, s := range srcs {
		fmt.Fprintf(&b, "%s@%d;", s.ID, s.ImportedAt.UnixNano())
	}
	return b.String()
}

// build makes a catalog of the shipped sets and the imported sources.
func build(srcs []store.CriteriaSetSource) (*criteria.Catalog, error) {
	sets, err := criteria.ShippedSets()
	if err != nil {
		return nil, err
	}
	for _, src := range srcs {
		s, err := criteria.Parse(src.Filename, src.Source)
		if err != nil {
			return nil, fmt.Errorf("imported criteria set %s: %w", src.ID, err)
		}
		sets = append(sets, s)
	}
	return criteria.NewCatalog(sets...)
}

// Import validates set (with the catalog it joins: extends and requires must resolve),
// stores it — src as given when it is the set's YAML, else the set formatted as YAML — with
// an audit entry, and re-evaluates the stored assessments of that set, so that progress
// reflects the new thresholds at once.
func (c *Catalog) Import(ctx context.Context, actor string, set *criteria.Set, filename string, src []byte) (reevaluated int, err error) {
	return c.put(ctx, actor, "import", "", set, filename, src)
}

func (c *Catalog) put(ctx context.Context, actor, action, detail string, set *criteria.Set, filename string, src []byte) (int, error) {
	if src == nil {
		var err error
		if src, err = criteria.Format(set); err != nil {
			return 0, err
		}
	}
	// Parse what is about to be stored, so that what is stored is known to load.
	parsed, err := criteria.Parse(filename, src)
	if err != nil {
		return 0, err
	}
	if parsed.ID != set.ID {
		return 0, fmt.Errorf("criteria set %s: the stored text names %s", set.ID, parsed.ID)
	}
	srcs, err := c.db.CriteriaSetSources(ctx)
	if err != nil {
		return 0, err
	}
	sets, err := criteria.ShippedSets()
	if err != nil {
		return 0, err
	}
	for _, s := range srcs {
		if s.ID == set.ID {
			continue
		}
		p, err := criteria.Parse(s.Filename, s.Source)
		if err != nil {
			return 0, err
		}
		sets = append(sets, p)
	}
	if _, err := criteria.NewCatalog(append(sets, parsed)...); err != nil {
		return 0, err
	}
	if err := c.db.PutCriteriaSetSource(ctx, store.CriteriaSetSource{ID: set.ID, Filename: filename, Source: src}, actor, action, detail); err != nil {
		return 0, err
	}
	if err := c.reload(ctx); err != nil {
		return 0, err
	}
	cat, err := c.Current(ctx)
	if err != nil {
		return 0, err
	}
	return c.db.ReevaluateSet(ctx, set.ID, evaluator(cat))
}

// MarkVerified records that the thresholds of the indicators codes of set id were checked
// against the decision's text: the set in force is stored again with those indicators
// verified, audited with who did it. An unknown code is an error and nothing changes.
func (c *Catalog) MarkVerified(ctx context.Context, actor, id string, codes []string) error {
	set, err := c.Get(ctx, id)
	if err != nil {
		return err
	}
	src, err := criteria.Format(set)
	if err != nil {
		return err
	}
	cp, err := criteria.Parse(id+".yaml", src)
	if err != nil {
		return err
	}
	var changed []string
	for _, code := range codes {
		found := false
		for ci := range cp.Criteria {
			for ii := range cp.Criteria[ci].Indicators {
				in := &cp.Criteria[ci].Indicators[ii]
				if in.Code == code {
					found = true
					if !in.Verified {
						in.Verified = true
						changed = append(changed, code)
					}
				}
			}
		}
		if !found {
			return fault.Newf(fault.InvalidValue, "bộ %s không có chỉ tiêu %s (set %s has no indicator %s)", id, code, id, code)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	_, err = c.put(ctx, actor, "verify", "đã đối chiếu văn bản / checked against the decision: "+strings.Join(changed, ", "), cp, id+".yaml", nil)
	return err
}

// Unit gives the engine the attributes of a stored unit. The commune group of the
// 2026-2030 set comes from the unit's tags nhom-1 / nhom-2 / nhom-3, which an office imports
// from the province's decision (ntm units tags import). There is no default: QĐ 51/2025 defines
// group 2 as "neither group 1 nor group 3", which only the decision can say, so a commune
// without a group tag gets the verdict "group not assigned" wherever thresholds differ by group.
func Unit(u units.Unit) criteria.Unit {
	g := ""
	for _, t := range u.Tags {
		if n := criteria.NormalizeGroup(t); n == "nhom-1" || n == "nhom-2" || n == "nhom-3" {
			g = n
		}
	}
	return criteria.Unit{Code: u.Code, Region: u.Region, Group: g, Tags: u.Tags, Level: string(u.Level)}
}

// Values reads stored value texts for set, in a stable order so that any error names the
// same code each time.
func Values(set *criteria.Set, texts map[string]string) (criteria.Values, error) {
	rows := make([]criteria.ValueRow, 0, len(texts))
	for k, text := range texts {
		rows = append(rows, criteria.ValueRow{Code: k, Text: text})
	}
	// Stored values nearly always read: sort (a bulk import evaluates tens of thousands of
	// assessments) only to name the problems in the same order every time.
	if vals, err := set.Values("", rows); err == nil {
		return vals, nil
	}
	slices.SortFunc(rows, func(a, b criteria.ValueRow) int { return strings.Compare(a.Code, b.Code) })
	for i := range rows {
		rows[i].Line = i + 1
	}
	return set.Values("", rows)
}

// Evaluate judges stored values of unit against the set id.
func (c *Catalog) Evaluate(ctx context.Context, setID string, u units.Unit, texts map[string]string) (*criteria.Result, error) {
	cat, err := c.Current(ctx)
	if err != nil {
		return nil, err
	}
	return evaluateWith(cat, setID, u, texts)
}

func evaluateWith(cat *criteria.Catalog, setID string, u units.Unit, texts map[string]string) (*criteria.Result, error) {
	set, ok := cat.Get(setID)
	if !ok {
		return nil, criteria.NoSet(setID)
	}
	vals, err := Values(set, texts)
	if err != nil {
		return nil, err
	}
	return cat.Evaluate(setID, Unit(u), vals, criteria.Options{})
}

// evaluator evaluates with the sets of cat, for the store's bulk writes: the summary kept
// beside each assessment.
func evaluator(cat *criteria.Catalog) store.Evaluate {
	return func(setID string, u units.Unit, texts map[string]string) (store.Evaluation, error) {
		r, err := evaluateWith(cat, setID, u, texts)
		if err != nil {
			return store.Evaluation{}, err
		}
		return Summary(r), nil
	}
}

// Summary is the part of a result kept beside an assessment.
func Summary(r *criteria.Result) store.Evaluation {
	ev := store.Evaluation{Met: r.Met, CriteriaTotal: r.CriteriaTotal, IndicatorsMet: r.IndicatorsMet, IndicatorsTotal: r.IndicatorsTotal}
	for _, cv := range r.Criteria {
		if cv.Status == criteria.StatusMet {
			ev.CriteriaMet = append(ev.CriteriaMet, cv.Number)
		}
	}
	ev.CriteriaMetN = len(ev.CriteriaMet)
	return ev
}

// CheckValue reads one text for code of set, as a form or an API request sends it, and
// returns the code and the value normalised for storage ("tc3" → "TC3", "92,5" → "92.5",
// "đạt" → "true").
func CheckValue(set *criteria.Set, code, text string) (key, value string, err error) {
	v, err := set.Values("", []criteria.ValueRow{{Line: 1, Code: code, Text: text}})
	if err != nil {
		return "", "", err
	}
	for k, x := range v {
		return k, imports.Canonical(x), nil
	}
	return "", "", fmt.Errorf("no value")
}

// Untagged is a commune that lacks what a set needs to choose its thresholds.
type Untagged struct {
	Unit    units.Unit `json:"unit"`
	Missing string     `json:"missing"` // "group" (nhóm xã) or "region" (vùng)
}

// UntaggedFor lists, among us, the rural communes (xã: the units commune sets assess) that
// set cannot place: without a commune group when its thresholds differ by group, without a
// region when they differ by region.
func UntaggedFor(set *criteria.Set, us []units.Unit) []Untagged {
	var out []Untagged
	for _, u := range us {
		if !u.IsRuralCommune() {
			continue
		}
		switch {
		case set.VariesBy == criteria.VariesGroup && Unit(u).Group == "":
			out = append(out, Untagged{Unit: u, Missing: "group"})
		case set.VariesBy == criteria.VariesRegion && u.Region == "":
			out = append(out, Untagged{Unit: u, Missing: "region"})
		}
	}
	return out
}
