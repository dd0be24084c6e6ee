package report

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Source is where reports get their figures: the database and the criteria sets in force,
// read only through package rollup.
type Source struct {
	DB      *store.DB
	Catalog *app.Catalog
}

// Request says what a report is about.
type Request struct {
	Unit   string     // unit code; "" for the whole country
	SetID  string     // criteria set; "" for the commune NTM set in force on the as-of day
	Period string     // "2026-Q2", "2026-H1", "2026", "2026-04"; "" for the year of AsOf
	AsOf   units.Date // a day within the period; "" for the period's end
	Lang   string     // "vi" (default) or "en"
	// IncludeUnapproved counts every assessment, drafts included, as GET
	// /api/v1/progress?include_unapproved=1; the default is the official figures (approved
	// assessments only), and the report's title and JSON say which (Basis).
	IncludeUnapproved bool
}

// UnitRef names the unit a report is about.
type UnitRef struct {
	Code string `json:"code"` // "" for the whole country
	Name string `json:"name"`
}

// SetRef names the criteria set a report is about.
type SetRef struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Tier     string `json:"tier"`
	Level    string `json:"level"`
	Decision string `json:"decision"`
}

// Bulletin is everything a bulletin (bản tin, báo cáo sơ kết) says, filled from package
// rollup: the same figures as GET /api/v1/progress and ntm progress --json for the same
// unit, set and day. The layouts in data/reports turn it into text; the sections whose
// register the system does not hold stay nil and are left out of the text.
type Bulletin struct {
	Lang string `json:"lang"`
	// Basis is "approved" (the official figures) or "all" (drafts included).
	Basis  app.Basis `json:"basis"`
	Unit   UnitRef   `json:"unit"`
	Set    SetRef    `json:"set"`
	Period Period    `json:"period"`
	// Progress is the standing on Period.AsOf: exactly the body of GET /api/v1/progress.
	Progress app.Progress `json:"progress"`
	// Trend is how many units met the set at each year's end since the set took effect (at most
	// the four years before the period's) and on Period.AsOf: the bars of the trend chart, nil
	// with fewer than two points.
	Trend []Bar `json:"trend,omitempty"`
	// Start is the standing on Period.Before, nil when the code named another unit then (codes
	// were reused in the 2025 reform) or when the unit did not exist yet.
	Start *app.Progress `json:"start,omitempty"`
	// Tiers are the units meeting each tier (NTM, nâng cao, kiểu mẫu…): the report's set
	// first, then the other sets of the same level in force on the day that some unit has
	// been assessed against.
	Tiers []Tier `json:"tiers"`
	// Targets are the plan targets of the unit for the period's year, judged on Period.AsOf;
	// none for the whole country.
	Targets []app.TargetStatus `json:"targets"`
	// NextTargets are the unit's targets for the next year, listed under the tasks ahead when
	// the period ends on 31 December (a year, its second half or last quarter); nil otherwise.
	NextTargets []store.Target `json:"next_targets,omitempty"`

	// Optional sections, nil when the system does not hold the register yet.
	Recognition *RecognitionSection `json:"recognition,omitempty"`
	OCOP        *OCOPSection        `json:"ocop,omitempty"`
	Models      *ModelsSection      `json:"models,omitempty"`
	OwnFigures  *OwnFiguresSection  `json:"own_figures,omitempty"`
	Works       *WorksSection       `json:"works,omitempty"`
	Funding     *FundingSection     `json:"funding,omitempty"`
	Tasks       *TasksSection       `json:"tasks,omitempty"`
	Meetings    *MeetingsSection    `json:"meetings,omitempty"`
	Plan        *PlanSection        `json:"plan,omitempty"`

	// Office is the header and signature block of the signed document (office.go).
	Office *Office `json:"office,omitempty"`
	// Own is the office's own paragraphs by slot (drafts.go): "general", "shortcomings"…
	Own map[string]string `json:"own,omitempty"`
}

// Tier is how many units meet one tier's set.
type Tier struct {
	Tier            string `json:"tier"`
	Set             string `json:"set"`
	SetTitle        string `json:"set_title"`
	UnitsTotal      int    `json:"units_total"`
	UnitsAssessed   int    `json:"units_assessed"`
	UnitsMet        int    `json:"units_met"`
	UnitsRecognized int    `json:"units_recognized"`
	// StartMet is how many met it on Period.Before; nil when there is no comparison (the
	// unit did not exist then, or no unit had been assessed against the set).
	StartMet *int `json:"start_met,omitempty"`
}

// New is how many more units meet the tier than at the start of the period (negative when
// fewer); 0 without a comparison.
func (t Tier) New() int {
	if t.StartMet == nil {
		return 0
	}
	return t.UnitsMet - *t.StartMet
}

// Compared reports whether the tier has a start to compare with.
func (t Tier) Compared() bool { return t.StartMet != nil }

// Share is the percentage of units meeting the tier.
func (t Tier) Share() float64 {
	if t.UnitsTotal == 0 {
		return 0
	}
	return 100 * float64(t.UnitsMet) / float64(t.UnitsTotal)
}

// sectionFillers fill the optional sections, one per register (sections_*.go). Each leaves
// its section nil when the register holds nothing for the unit.
var sectionFillers []func(ctx context.Context, src Source, b *Bulletin) error

// Build gathers a bulletin.
func Build(ctx context.Context, src Source, req Request) (*Bulletin, error) {
	c, err := resolve(ctx, src, req)
	if err != nil {
		return nil, err
	}
	b := &Bulletin{Lang: c.lang, Basis: app.BasisOf(req.IncludeUnapproved), Unit: c.unit, Set: c.setRef(), Period: c.period, Targets: []app.TargetStatus{}}
	if b.Progress, err = progressOf(ctx, src.DB, c, req.Unit, c.period.AsOf, !req.IncludeUnapproved); err != nil {
		return nil, err
	}
	if b.Trend, err = trend(ctx, src, c, req, b.Progress.UnitsMet); err != nil {
		return nil, err
	}
	comparable, err := c.comparable(ctx, src)
	if err != nil {
		return nil, err
	}
	if comparable {
		start, err := progressOf(ctx, src.DB, c, req.Unit, c.period.Before, !req.IncludeUnapproved)
		if err != nil {
			return nil, err
		}
		b.Start = &start
	}
	if b.Tiers, err = tiers(ctx, src, c, b, comparable, !req.IncludeUnapproved); err != nil {
		return nil, err
	}
	if req.Unit != "" {
		ts, err := src.DB.Targets(ctx, store.TargetFilter{UnitCode: req.Unit, Year: c.period.Year()})
		if err != nil {
			return nil, err
		}
		ts = slices.DeleteFunc(ts, func(t store.Target) bool { return t.UnitFrom != c.unitFrom })
		if b.Targets, err = app.Targets(ctx, src.DB, src.Catalog, ts, c.period.AsOf, c.lang); err != nil {
			return nil, err
		}
		if strings.HasSuffix(string(c.period.End), "-12-31") {
			next, err := src.DB.Targets(ctx, store.TargetFilter{UnitCode: req.Unit, Year: c.period.Year() + 1})
			if err != nil {
				return nil, err
			}
			b.NextTargets = slices.DeleteFunc(next, func(t store.Target) bool { return t.UnitFrom != c.unitFrom })
		}
	}
	for _, fill := range sectionFillers {
		if err := fill(ctx, src, b); err != nil {
			return nil, err
		}
	}
	if b.Office, err = officeOf(ctx, src, c); err != nil {
		return nil, err
	}
	return b, nil
}

// context of a request once checked.
type resolved struct {
	lang     string
	period   Period
	unit     UnitRef
	unitFrom units.Date // valid_from of the unit's version on the as-of day
	level    units.Level
	set      *criteria.Set
	// bands are the office's own grouping of units by criteria met for set, read once per
	// report; nil for the set's usual ones.
	bands []progress.Band
}

func (c resolved) setRef() SetRef {
	return SetRef{ID: c.set.ID, Title: c.set.Title, Tier: c.set.Tier, Level: c.set.Level, Decision: c.set.Basis.Decision}
}

// UnknownUnit is the fault of a unit that does not exist on the day asked.
func UnknownUnit(code string, day units.Date) *fault.Error {
	return fault.Newf(fault.NotFound, "không có đơn vị mã %s vào ngày %s; kiểm tra mã và ngày (no unit %s on %s)", code, day, code, day)
}

func resolve(ctx context.Context, src Source, req Request) (resolved, error) {
	var c resolved
	var err error
	if c.lang, err = CheckLang(req.Lang); err != nil {
		return c, err
	}
	if c.period, err = NewPeriod(req.Period, req.AsOf); err != nil {
		return c, err
	}
	c.unit = UnitRef{Name: label(c.lang, "country")}
	if req.Unit != "" {
		u, err := src.DB.Unit(ctx, req.Unit, c.period.AsOf)
		if errors.Is(err, store.ErrNotFound) {
			return c, UnknownUnit(req.Unit, c.period.AsOf)
		}
		if err != nil {
			return c, err
		}
		c.unit, c.unitFrom, c.level = UnitRef{Code: u.Code, Name: u.FullName}, u.ValidFrom, u.Level
	}
	if c.set, err = app.PickSet(ctx, src.Catalog, req.SetID, c.period.AsOf); err != nil {
		return c, err
	}
	if c.bands, err = officeBands(ctx, src.DB, req.Unit, c.set); err != nil {
		return c, err
	}
	return c, nil
}

// comparable reports whether the unit on Period.Before is the one on Period.AsOf.
func (c resolved) comparable(ctx context.Context, src Source) (bool, error) {
	if c.unit.Code == "" {
		return true, nil
	}
	u, err := src.DB.Unit(ctx, c.unit.Code, c.period.Before)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return u.ValidFrom == c.unitFrom, nil
}

var tierOrder = []string{criteria.TierNTM, criteria.TierNangCao, criteria.TierKieuMau, criteria.TierHienDai}

// tiers are the report's set and one set of each other tier of its level in force on the day.
func tiers(ctx context.Context, src Source, c resolved, b *Bulletin, comparable, approvedOnly bool) ([]Tier, error) {
	cur, err := src.Catalog.Current(ctx)
	if err != nil {
		return nil, err
	}
	tierOf := func(s *criteria.Set, now, start *app.Progress) Tier {
		t := Tier{Tier: s.Tier, Set: s.ID, SetTitle: s.Title, UnitsTotal: now.UnitsTotal, UnitsAssessed: now.UnitsAssessed,
			UnitsMet: now.UnitsMet, UnitsRecognized: now.UnitsRecognized}
		if start != nil && start.UnitsAssessed > 0 {
			n := start.UnitsMet
			t.StartMet = &n
		}
		return t
	}
	out := []Tier{tierOf(c.set, &b.Progress, b.Start)}
	seen := map[string]bool{c.set.Tier: true}
	for _, s := range cur.Sets() {
		if s.Level != c.set.Level || seen[s.Tier] || s.Partial || !s.InForce(c.period.AsOf) {
			continue
		}
		now, err := app.ComputeProgress(ctx, src.DB, s, c.unit.Code, c.period.AsOf, approvedOnly)
		if err != nil {
			return nil, err
		}
		if now.UnitsAssessed == 0 {
			continue
		}
		seen[s.Tier] = true
		var start *app.Progress
		if comparable {
			p, err := app.ComputeProgress(ctx, src.DB, s, c.unit.Code, c.period.Before, approvedOnly)
			if err != nil {
				return nil, err
			}
			start = &p
		}
		out = append(out, tierOf(s, &now, start))
	}
	slices.SortStableFunc(out[1:], func(a, b Tier) int { return slices.Index(tierOrder, a.Tier) - slices.Index(tierOrder, b.Tier) })
	return out, nil
}

// ---------------------------------------------------------------------------------------
// What the layouts read besides the fields

// Noun is the Vietnamese noun of the units counted ("xã").
func (b *Bulletin) Noun() string {
	if b.Progress.UnitNoun == "" {
		return "xã"
	}
	return b.Progress.UnitNoun
}

// Compared reports whether the bulletin compares with the start of the period: the unit
// existed then and some unit had been assessed.
func (b *Bulletin) Compared() bool { return b.Start != nil && b.Start.UnitsAssessed > 0 }

// Change is the change of the headline figures since the start of the period.
type Change struct {
	UnitsAssessed    int     `json:"units_assessed"`
	UnitsMet         int     `json:"units_met"`
	UnitsRecognized  int     `json:"units_recognized"`
	CriteriaMetSum   int     `json:"criteria_met_sum"`
	CriteriaMetAvg   float64 `json:"criteria_met_avg"`
	IndicatorsMetPct float64 `json:"indicators_met_pct"`
}

// Change is Progress minus Start (zero without a comparison).
func (b *Bulletin) Change() Change {
	if !b.Compared() {
		return Change{}
	}
	p, s := b.Progress, b.Start
	return Change{
		UnitsAssessed:    p.UnitsAssessed - s.UnitsAssessed,
		UnitsMet:         p.UnitsMet - s.UnitsMet,
		UnitsRecognized:  p.UnitsRecognized - s.UnitsRecognized,
		CriteriaMetSum:   p.CriteriaMetSum - s.CriteriaMetSum,
		CriteriaMetAvg:   p.CriteriaMetAvg - s.CriteriaMetAvg,
		IndicatorsMetPct: p.IndicatorsMetPct - s.IndicatorsMetPct,
	}
}

// Unchanged reports whether nothing the bulletin shows moved since the start (averages
// rounded to what the text shows).
func (c Change) Unchanged() bool {
	return c.UnitsMet == 0 && c.CriteriaMetSum == 0 && c.UnitsAssessed == 0 && c.UnitsRecognized == 0 &&
		math.Abs(c.CriteriaMetAvg) < 0.005 && math.Abs(c.IndicatorsMetPct) < 0.05
}

// ShareMet is the percentage of units meeting the set.
func (b *Bulletin) ShareMet() float64 {
	if b.Progress.UnitsTotal == 0 {
		return 0
	}
	return 100 * float64(b.Progress.UnitsMet) / float64(b.Progress.UnitsTotal)
}

// Spread is one item of the distribution sentence: Units units meet from Min to Max criteria.
type Spread struct {
	Units, Min, Max int
}

// Spread is the distribution as offices write it, most criteria first: each number of
// criteria on its own from the total down to the lower end of the second band, then the
// lower bands ("03 xã đạt 19 tiêu chí, 02 xã đạt 15 tiêu chí, 11 xã đạt từ 10 đến 14 tiêu
// chí"). Numbers and bands no unit is in are left out.
func (b *Bulletin) Spread() []Spread {
	p := b.Progress
	exactFrom := p.CriteriaTotal
	if len(p.Bands) > 1 {
		exactFrom = p.Bands[1].Min
	}
	var out []Spread
	for k := p.CriteriaTotal; k >= exactFrom && k >= 0; k-- {
		if n := p.Distribution[strconv.Itoa(k)]; n > 0 {
			out = append(out, Spread{Units: n, Min: k, Max: k})
		}
	}
	for _, band := range p.Bands {
		if band.Max >= exactFrom || band.Units == 0 {
			continue
		}
		out = append(out, Spread{Units: band.Units, Min: band.Min, Max: band.Max})
	}
	return out
}

// Weakest are the weak criteria, fewest units meeting first, at most five: those that fewer
// units meet than the average criterion (the share of criteria met over all) — the ones a
// bulletin calls "đạt thấp".
func (b *Bulletin) Weakest() []progress.CriterionRow {
	p := b.Progress
	if p.UnitsAssessed == 0 || p.CriteriaTotal == 0 {
		return nil
	}
	average := 100 * p.CriteriaMetAvg / float64(p.CriteriaTotal)
	var out []progress.CriterionRow
	for _, c := range p.Weakest {
		if c.UnitsNotMet > 0 && c.Share < average && len(out) < progress.WeakestShown {
			out = append(out, c)
		}
	}
	return out
}

// FellBack are the units whose assessment of this period lost criteria met in the one before.
func (b *Bulletin) FellBack() []progress.FellBack {
	var out []progress.FellBack
	for _, f := range b.Progress.FellBack {
		p, err := assessment.ParsePeriod(f.Period)
		if err == nil && p.End >= b.Period.Start {
			out = append(out, f)
		}
	}
	return out
}

// TargetsWith are the targets whose status is one of statuses (met, on_track, off_track,
// no_data).
func (b *Bulletin) TargetsWith(statuses ...string) []app.TargetStatus {
	var out []app.TargetStatus
	for _, t := range b.Targets {
		if slices.Contains(statuses, t.Status.OnTrack) {
			out = append(out, t)
		}
	}
	return out
}

// TargetsMeasured counts the targets that have an actual figure.
func (b *Bulletin) TargetsMeasured() int {
	return len(b.Targets) - len(b.TargetsWith(progress.StatusNoData))
}

// Bars is the distribution as bars: units meeting exactly k criteria, k from 0 to the total.
func (b *Bulletin) Bars() []Bar {
	return distributionBars(b.Progress.Report)
}

// distributionBars are the bars of the distribution chart of a report.
func distributionBars(r progress.Report) []Bar {
	bars := make([]Bar, 0, r.CriteriaTotal+1)
	for k := 0; k <= r.CriteriaTotal; k++ {
		bars = append(bars, Bar{Label: strconv.Itoa(k), Value: float64(r.Distribution[strconv.Itoa(k)])})
	}
	return bars
}

// StatusCount is how many assessed units have their latest assessment in one status.
type StatusCount struct {
	Status string
	Units  int
}

// Statuses are the workflow statuses of the assessments counted, approved first, without
// the empty ones.
func (b *Bulletin) Statuses() []StatusCount {
	s := b.Progress.ByStatus
	var out []StatusCount
	for _, c := range []StatusCount{{"approved", s.Approved}, {"verified", s.Verified}, {"submitted", s.Submitted},
		{"returned", s.Returned}, {"draft", s.Draft}} {
		if c.Units > 0 {
			out = append(out, c)
		}
	}
	return out
}

// NearlyMet counts the assessed units one criterion short of the whole set.
func (b *Bulletin) NearlyMet() int {
	if b.Progress.CriteriaTotal < 2 {
		return 0
	}
	return b.Progress.Distribution[strconv.Itoa(b.Progress.CriteriaTotal-1)]
}

// Shortcomings reports whether part II has anything to say: weak criteria, units that fell
// back or are not assessed, targets off track, overdue tasks, OCOP certificates running out,
// recognised units at risk, dossiers past their time. Funding totals that do not add up are
// a check for the office, in the annex, not a shortcoming of the program.
func (b *Bulletin) Shortcomings() bool {
	return len(b.Weakest()) > 0 || len(b.FellBack()) > 0 || b.Progress.UnitsNotAssessed > 0 ||
		len(b.TargetsWith(progress.StatusOffTrack)) > 0 || b.Tasks != nil && b.Tasks.OverdueTotal > 0 ||
		b.OCOP != nil && b.OCOP.Expiring > 0 ||
		b.Recognition != nil && (len(b.Recognition.AtRisk) > 0 || len(b.Recognition.Overdue) > 0) ||
		b.Plan != nil && b.Plan.AtRisk != ""
}

// ChildTable are the children the bulletin lists unit by unit: the groups of units below the
// root (the provinces of the country, the districts of a province before the 2025 reform).
// When the children are the units themselves (the communes of a province since the reform,
// up to some 120) they are left to the tables (ntm report table), not written into the prose.
func (b *Bulletin) ChildTable() []progress.Report {
	kids := b.Progress.Children
	if len(kids) < 2 {
		return nil
	}
	for _, c := range kids {
		if c.UnitsTotal > 1 {
			return kids
		}
	}
	return nil
}

// trend is the bulletin's Trend: units meeting the set at the end of each year since the set
// took effect, at most four, then on the period's end (met, already counted). A year-end on
// which the unit did not exist under its code is left out.
func trend(ctx context.Context, src Source, c resolved, req Request, met int) ([]Bar, error) {
	end := c.period.AsOf
	year, _ := strconv.Atoi(string(end)[:4])
	first := year - 4
	if eff := c.set.Basis.Effective; len(eff) >= 4 {
		if y, err := strconv.Atoi(string(eff)[:4]); err == nil {
			first = max(first, y)
		}
	}
	var bars []Bar
	for y := first; y < year; y++ {
		day := units.Date(fmt.Sprintf("%04d-12-31", y))
		p, err := progressOf(ctx, src.DB, c, req.Unit, day, !req.IncludeUnapproved)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		bars = append(bars, Bar{Label: strconv.Itoa(y), Value: float64(p.UnitsMet)})
	}
	if len(bars) == 0 {
		return nil, nil
	}
	return append(bars, Bar{Label: numfmt.Date(string(end), c.lang), Value: float64(met)}), nil
}
