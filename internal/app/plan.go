package app

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/plan"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The plan to the standard (issue 19): the gap of every commune below a unit, the early
// warning of recognised communes, costs and the cheapest proposal, and what-if projections.
// The figures come from internal/plan over the communes read here, so the API, the command
// line, the page and the bulletin show the same.

// PlanGaps is the body of GET /api/v1/plan and of ntm plan --json.
type PlanGaps struct {
	Unit     string     `json:"unit"`
	Name     string     `json:"name"`
	Set      string     `json:"set"`
	SetTitle string     `json:"set_title"`
	AsOf     units.Date `json:"as_of"`
	plan.Gaps
	// Empty says no commune below the unit has an assessment of the set by the day; Message
	// says so in words (never an error).
	Empty     bool   `json:"empty"`
	Message   string `json:"message,omitempty"`
	MessageEN string `json:"message_en,omitempty"`
}

// planCache keeps the communes read for a plan while the data version is unchanged, so that
// the page, its what-if form and the API do not read every value again. Its keys name the
// database, as cachedProgress's do: two databases (tests running side by side) can be at
// the same data version.
var planCache = struct {
	sync.Mutex
	m map[string]planRead
}{m: map[string]planRead{}}

type planRead struct {
	name     string
	communes []plan.Commune
}

// PlanCommunes reads the communes below unit ("" the country) that set applies to, each with
// its latest assessment by day (and the one before), as plan.Commune.
func PlanCommunes(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool) (string, []plan.Commune, error) {
	version, err := db.DataVersion(ctx)
	if err != nil {
		return "", nil, err
	}
	key := db.DSN() + "|" + cacheKey(version, set, unit, day, approvedOnly, nil)
	planCache.Lock()
	r, ok := planCache.m[key]
	planCache.Unlock()
	if ok {
		return r.name, r.communes, nil
	}
	level := units.Level(set.Level)
	root, entries, err := db.PlanEntries(ctx, store.ProgressQuery{Root: unit, SetID: set.ID, Level: level,
		RuralOnly: level == units.LevelCommune, AsOf: day, ApprovedOnly: approvedOnly})
	if err != nil {
		return "", nil, err
	}
	cs := make([]plan.Commune, len(entries))
	for i, e := range entries {
		c := plan.Commune{Code: e.Unit.Code, Name: e.Unit.FullName, Unit: Unit(e.Unit), Assessed: e.Assessed,
			Period: e.Period, PrevPeriod: e.PrevPeriod, Recognized: e.Recognized}
		if e.Assessed {
			if c.Values, err = Values(set, e.Values); err != nil {
				return "", nil, fmt.Errorf("%s %s: %w", e.Unit.Code, e.Period, err)
			}
		}
		if e.Previous != nil {
			if c.Previous, err = Values(set, e.Previous); err != nil {
				return "", nil, fmt.Errorf("%s %s: %w", e.Unit.Code, e.PrevPeriod, err)
			}
		}
		cs[i] = c
	}
	planCache.Lock()
	if len(planCache.m) >= 32 {
		clear(planCache.m)
	}
	planCache.m[key] = planRead{root.Name, cs}
	planCache.Unlock()
	return root.Name, cs, nil
}

// Gaps is the gap of every commune below unit against set as of day, closest first.
func Gaps(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool) (PlanGaps, error) {
	name, cs, err := PlanCommunes(ctx, db, set, unit, day, approvedOnly)
	if err != nil {
		return PlanGaps{}, err
	}
	g, err := plan.ComputeGaps(set, cs)
	if err != nil {
		return PlanGaps{}, err
	}
	g.Describe()
	out := PlanGaps{Unit: unit, Name: name, Set: set.ID, SetTitle: set.Title, AsOf: day, Gaps: g}
	if g.Assessed == 0 {
		out.Empty = true
		out.Message = i18n.T("vi", "plan.empty", name, set.ID, numfmt.Date(string(day), "vi"))
		out.MessageEN = i18n.T("en", "plan.empty", name, set.ID, numfmt.Date(string(day), "en"))
	}
	return out, nil
}

// Text writes the plan as the command line prints it.
func (p PlanGaps) Text(lang string) string {
	var b strings.Builder
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	fmt.Fprintf(&b, "%s — %s, %s\n", p.Name, p.SetTitle, numfmt.Date(string(p.AsOf), lang))
	if p.Empty {
		b.WriteString(T("plan.empty", p.Name, p.Set, numfmt.Date(string(p.AsOf), lang)) + "\n")
		return b.String()
	}
	b.WriteString(T("plan.text.summary", p.Communes, p.Assessed, p.Met, len(p.Units), len(p.Incomplete), len(p.NotAssessed)) + "\n")
	unit := func(i int, u plan.UnitGap) {
		lacks := T("plan.text.lacks", u.CriteriaMissing, u.IndicatorsMissing)
		if u.IndicatorsMissing == 0 {
			lacks = T("plan.text.lacks_criteria", u.CriteriaMissing)
		}
		fmt.Fprintf(&b, "%d. %s (%s): %s\n", i+1, u.Name, u.Code, lacks)
		for _, c := range u.Missing {
			var parts []string
			for _, ig := range c.Indicators {
				parts = append(parts, ig.Describe(lang))
			}
			if len(parts) == 0 {
				parts = append(parts, T("plan.gap.direct", c.Criterion))
			}
			fmt.Fprintf(&b, "   %s %d %s: %s\n", T("plan.text.criterion"), c.Criterion, c.Name, strings.Join(parts, "; "))
		}
	}
	for i, u := range p.Units {
		unit(i, u)
	}
	if len(p.Incomplete) > 0 {
		b.WriteString(T("plan.text.incomplete", len(p.Incomplete)) + "\n")
		for i, u := range p.Incomplete {
			unit(i, u)
		}
	}
	if len(p.NotAssessed) > 0 {
		var names []string
		for _, r := range p.NotAssessed {
			names = append(names, r.Name+" ("+r.Code+")")
		}
		b.WriteString(T("plan.text.not_assessed", len(p.NotAssessed)) + ": " + strings.Join(names, ", ") + "\n")
	}
	return b.String()
}

// PlanWarnings is the early warning of the recognised communes below a unit.
type PlanWarnings struct {
	Unit     string         `json:"unit"`
	Name     string         `json:"name"`
	Set      string         `json:"set"`
	SetTitle string         `json:"set_title"`
	AsOf     units.Date     `json:"as_of"`
	Margins  plan.Margins   `json:"margins"`
	Checked  int            `json:"checked"` // recognised communes with an assessment
	Warnings []plan.Warning `json:"warnings"`
}

// Warnings lists the recognised communes below unit at risk on set as of day, with the
// shipped margins (data/plan/margins.yaml).
func Warnings(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool) (PlanWarnings, error) {
	m, err := plan.ShippedMargins()
	if err != nil {
		return PlanWarnings{}, err
	}
	name, cs, err := PlanCommunes(ctx, db, set, unit, day, approvedOnly)
	if err != nil {
		return PlanWarnings{}, err
	}
	ws, err := plan.EarlyWarning(set, cs, m)
	if err != nil {
		return PlanWarnings{}, err
	}
	out := PlanWarnings{Unit: unit, Name: name, Set: set.ID, SetTitle: set.Title, AsOf: day, Margins: m, Warnings: ws}
	for _, c := range cs {
		if c.Recognized && c.Assessed {
			out.Checked++
		}
	}
	return out, nil
}

// Text writes the warnings as the command line prints them.
func (w PlanWarnings) Text(lang string) string {
	var b strings.Builder
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	fmt.Fprintf(&b, "%s — %s, %s\n", w.Name, w.SetTitle, numfmt.Date(string(w.AsOf), lang))
	b.WriteString(T("plan.warn.summary", w.Checked, len(w.Warnings), numfmt.Trim(w.Margins.Default, 2, lang)) + "\n")
	for i, x := range w.Warnings {
		fmt.Fprintf(&b, "%d. %s (%s), %s: %s\n", i+1, x.Name, x.Code, x.Period, T("plan.warn.standing", x.CriteriaMet, x.CriteriaTotal))
		if len(x.Failing) > 0 {
			nums := make([]string, len(x.Failing))
			for j, n := range x.Failing {
				nums[j] = fmt.Sprint(n)
			}
			fmt.Fprintf(&b, "   %s\n", T("plan.warn.failing", strings.Join(nums, ", ")))
		}
		for _, r := range x.Risks {
			if lang == "en" {
				fmt.Fprintf(&b, "   %s\n", r.TextEN)
			} else {
				fmt.Fprintf(&b, "   %s\n", r.Text)
			}
		}
	}
	return b.String()
}
