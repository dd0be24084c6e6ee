package app

import (
	"context"
	"fmt"
	"sort"

	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The recognition figures: units recognised (new in a period and in all), the revocation
// watch list and the overdue dossiers, from the registry and the dossiers. The API, the
// command line, the pages and the bulletin read them here.

// Metric names of the recognition figures, for targets and bulletins (proposed).
const (
	MetricRecognitionsNew = "recognitions_new" // units newly recognised for a tier in the year
	MetricUnitsAtRisk     = "units_at_risk"    // recognised units on the revocation watch list
	MetricDossiersOverdue = "dossiers_overdue" // dossiers past a step's time limit
)

// Recognitions is how many units below a unit hold a recognition for a tier on a day, and
// how many of them were newly recognised in a period ending that day.
type Recognitions struct {
	Unit  string      `json:"unit"`
	Tier  string      `json:"tier"`
	Level units.Level `json:"level"`
	From  units.Date  `json:"from"`
	To    units.Date  `json:"to"`
	// New counts the units recognised within [From, To] that hold it on To and did not hold
	// one on the day before From; Total the units holding one on To.
	New      int                 `json:"new"`
	Total    int                 `json:"total"`
	NewUnits []store.Recognition `json:"new_units"`
	// Text is the sentence offices write: "có thêm 01 xã đạt chuẩn NTM, nâng tổng số lên 21 xã".
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
}

// CountRecognitions counts the recognitions for tier of the units of level at or below unit
// ("" the country) that exist on to, new since from.
func CountRecognitions(ctx context.Context, db *store.DB, unit, tier string, level units.Level, from, to units.Date) (Recognitions, error) {
	out := Recognitions{Unit: unit, Tier: tier, Level: level, From: from, To: to, NewUnits: []store.Recognition{}}
	rs, err := db.Recognitions(ctx, store.RegistryFilter{Root: unit, AsOf: to, Tier: tier})
	if err != nil {
		return out, err
	}
	before := from.AddDays(-1)
	held, heldBefore := map[string]bool{}, map[string]bool{}
	firstNew := map[string]store.Recognition{}
	for _, r := range rs {
		if r.UnitLevel != level {
			continue
		}
		if r.InForce(to) {
			held[r.UnitCode] = true
			if r.Decision.Date >= from {
				if _, ok := firstNew[r.UnitCode]; !ok {
					firstNew[r.UnitCode] = r
				}
			}
		}
		if r.InForce(before) {
			heldBefore[r.UnitCode] = true
		}
	}
	out.Total = len(held)
	for code, r := range firstNew {
		if !heldBefore[code] {
			out.NewUnits = append(out.NewUnits, r)
		}
	}
	sort.Slice(out.NewUnits, func(i, j int) bool {
		a, b := out.NewUnits[i], out.NewUnits[j]
		return a.Decision.Date < b.Decision.Date || a.Decision.Date == b.Decision.Date && a.UnitCode < b.UnitCode
	})
	out.New = len(out.NewUnits)
	out.Text, out.TextEN = RecognitionSentence("vi", tier, level, out.New, out.Total), RecognitionSentence("en", tier, level, out.New, out.Total)
	return out, nil
}

// RecognitionSentence writes the figures as offices do: "có thêm 01 xã đạt chuẩn NTM, nâng
// tổng số lên 21 xã" (counts under 10 with a leading zero), or in English.
func RecognitionSentence(lang, tier string, level units.Level, added, total int) string {
	name := recognition.TierName(tier, lang)
	switch {
	case total == 0:
		return i18n.T(lang, "prose.recognition.none", unitNoun(lang, level, 1), name)
	case added == 0:
		return i18n.T(lang, "prose.recognition.none_new", unitNoun(lang, level, 1), name, count(total, lang), unitNoun(lang, level, total))
	}
	return i18n.T(lang, "prose.recognition.new", count(added, lang), unitNoun(lang, level, added), name, count(total, lang))
}

// unitNoun is the noun for n units of level in lang: "xã", "commune", "communes" (catalog
// keys unit_noun.LEVEL and unit_noun.LEVEL.many); a level without one is counted as communes.
func unitNoun(lang string, level units.Level, n int) string {
	key := "unit_noun." + string(level)
	if !i18n.Has(lang, key) {
		key = "unit_noun." + string(units.LevelCommune)
	}
	if n != 1 {
		key += ".many"
	}
	return i18n.T(lang, key)
}

// CriterionRef names a criterion on the watch list.
type CriterionRef struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
	Key    bool   `json:"key"` // one the rule names (income, environment, security)
}

// WatchEntry is a recognised unit against the revocation rule.
type WatchEntry struct {
	Recognition store.Recognition       `json:"recognition"`
	Set         string                  `json:"set,omitempty"`
	SetTitle    string                  `json:"set_title,omitempty"`
	Assessment  *store.LatestAssessment `json:"assessment,omitempty"`
	Rule        string                  `json:"rule,omitempty"`
	Verdict     recognition.Verdict     `json:"verdict"`
	Failing     []CriterionRef          `json:"failing"` // the criteria not met
}

// Watch is the revocation watch list (danh sách theo dõi thu hồi) of the units below a unit
// on a day: the recognised units whose latest assessment falls under the revocation rule.
type Watch struct {
	Unit    string       `json:"unit"`
	AsOf    units.Date   `json:"as_of"`
	Checked int          `json:"checked"` // recognitions in force
	AtRisk  []WatchEntry `json:"at_risk"`
	// NotAssessed lists recognised units with no assessment of their tier to compare; NoRule
	// those whose latest assessment is of a set no revocation rule names.
	NotAssessed []store.Recognition `json:"not_assessed"`
	NoRule      []WatchEntry        `json:"no_rule"`
}

// RevocationWatch compares each unit recognised on day (at or below unit) with the revocation
// rule: its latest assessment (approved only, with approvedOnly) of a set of the recognition's
// tier and the unit's level is checked against the rule for that set. Revocation itself is a
// decision someone records; this only lists the units at risk, with the failing criteria.
func RevocationWatch(ctx context.Context, db *store.DB, cat *Catalog, lib *recognition.Library, unit string, day units.Date, approvedOnly bool) (Watch, error) {
	w := Watch{Unit: unit, AsOf: day, AtRisk: []WatchEntry{}, NotAssessed: []store.Recognition{}, NoRule: []WatchEntry{}}
	cands, err := db.WatchCandidates(ctx, unit, day, approvedOnly)
	if err != nil {
		return w, err
	}
	for _, c := range latestDecisions(cands) {
		w.Checked++
		r := c.Recognition
		e := WatchEntry{Recognition: r, Failing: []CriterionRef{}}
		// The latest assessment of a set of the recognition's tier and the unit's level.
		var best *store.LatestAssessment
		for i := range c.Latest {
			la := &c.Latest[i]
			set, err := cat.Get(ctx, la.SetID)
			if err != nil || set.Tier != r.Tier || set.Level != string(r.UnitLevel) {
				continue
			}
			if best == nil || la.PeriodEnd > best.PeriodEnd || la.PeriodEnd == best.PeriodEnd &&
				(la.PeriodStart < best.PeriodStart || la.PeriodStart == best.PeriodStart && la.ID > best.ID) {
				best = la
			}
		}
		st := recognition.Standing{Children: c.Children, ChildrenRevoked: c.ChildrenRevoked}
		names := map[int]string{}
		setID := ""
		if best != nil {
			set, _ := cat.Get(ctx, best.SetID)
			setID, e.Set, e.SetTitle, e.Assessment = set.ID, set.ID, set.Title, best
			for _, cr := range set.Criteria {
				st.Criteria = append(st.Criteria, cr.Number)
				names[cr.Number] = cr.Name
			}
			st.Met = best.CriteriaMet
		}
		rule, sr := lib.RuleFor(r.UnitLevel, setID)
		switch {
		case best == nil && (rule == nil || rule.ChildrenRevokedPct == 0):
			w.NotAssessed = append(w.NotAssessed, r)
			continue
		case rule == nil || (sr == nil && rule.ChildrenRevokedPct == 0):
			w.NoRule = append(w.NoRule, e)
			continue
		}
		e.Rule = rule.ID
		e.Verdict = rule.Assess(sr, st)
		key := map[int]bool{}
		for _, k := range e.Verdict.FailedKey {
			key[k] = true
		}
		for _, n := range e.Verdict.Failed {
			e.Failing = append(e.Failing, CriterionRef{Number: n, Name: names[n], Key: key[n]})
		}
		if e.Verdict.AtRisk {
			w.AtRisk = append(w.AtRisk, e)
		} else if best == nil {
			w.NotAssessed = append(w.NotAssessed, r)
		}
	}
	sort.SliceStable(w.AtRisk, func(i, j int) bool {
		a, b := w.AtRisk[i].Verdict, w.AtRisk[j].Verdict
		if a.FailedPct != b.FailedPct {
			return a.FailedPct > b.FailedPct
		}
		return w.AtRisk[i].Recognition.UnitCode < w.AtRisk[j].Recognition.UnitCode
	})
	return w, nil
}

// latestDecisions keeps one recognition per unit and tier: the latest decision in force. A
// commune recognised under the 2021 set and again under the 2026 one holds one recognition,
// counted once, as CountRecognitions and the registry's totals count it (issue 13.4).
func latestDecisions(cands []store.WatchCandidate) []store.WatchCandidate {
	at := map[string]int{}
	var out []store.WatchCandidate
	for _, c := range cands {
		r := c.Recognition
		k := r.UnitCode + "|" + string(r.UnitFrom) + "|" + r.Tier
		i, seen := at[k]
		if !seen {
			at[k] = len(out)
			out = append(out, c)
			continue
		}
		old := out[i].Recognition
		if r.Decision.Date > old.Decision.Date || r.Decision.Date == old.Decision.Date && r.ID > old.ID {
			out[i] = c
		}
	}
	return out
}

// OverdueDossier is a dossier whose current step is past its time limit.
type OverdueDossier struct {
	store.Dossier
	StepName   string               `json:"step_name"`
	StepNameEN string               `json:"step_name_en"`
	Role       string               `json:"role"`
	Lateness   recognition.Lateness `json:"lateness"`
}

// OverdueDossiers lists the dossiers of the units at or below unit that, on day, stood at a
// step past its time limit (the step as it was that day), the latest first.
func OverdueDossiers(ctx context.Context, db *store.DB, lib *recognition.Library, unit string, day units.Date) ([]OverdueDossier, error) {
	ds, err := db.DossiersOn(ctx, unit, day)
	if err != nil {
		return nil, err
	}
	out := []OverdueDossier{}
	for _, d := range ds {
		wf, ok := lib.Workflow(d.WorkflowID)
		if !ok {
			continue
		}
		step, i, ok := wf.Step(d.StepID)
		if !ok {
			continue
		}
		st := d.State()
		st.Step = i
		l := wf.Late(st, day)
		if !l.Overdue {
			continue
		}
		d.Step = i
		out = append(out, OverdueDossier{Dossier: d, StepName: step.Name, StepNameEN: step.NameEN, Role: string(step.Role), Lateness: l})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Lateness.DaysLate != out[j].Lateness.DaysLate {
			return out[i].Lateness.DaysLate > out[j].Lateness.DaysLate
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// RecognitionMetric reads a recognition figure of the units at or below unit for a year, as
// of day (or the year's end, if earlier): recognitions_new (units newly recognised NTM in the
// year; tier "" means ntm), units_at_risk, dossiers_overdue. False for another metric.
func RecognitionMetric(ctx context.Context, db *store.DB, cat *Catalog, lib *recognition.Library, metric, unit, tier string, year int, day units.Date) (float64, bool, error) {
	end := units.Date(fmt.Sprintf("%04d-12-31", year))
	if day > end {
		day = end
	}
	if tier == "" {
		tier = "ntm"
	}
	switch metric {
	case MetricRecognitionsNew:
		c, err := CountRecognitions(ctx, db, unit, tier, units.LevelCommune, units.Date(fmt.Sprintf("%04d-01-01", year)), day)
		return float64(c.New), err == nil, err
	case MetricUnitsAtRisk:
		w, err := RevocationWatch(ctx, db, cat, lib, unit, day, false)
		return float64(len(w.AtRisk)), err == nil, err
	case MetricDossiersOverdue:
		ds, err := OverdueDossiers(ctx, db, lib, unit, day)
		return float64(len(ds)), err == nil, err
	}
	return 0, false, nil
}

// SetInForce is the id of the criteria set for units of level and tier in force on day (the
// latest to take effect; partial sets left out), or "" when there is none: the set a dossier
// or an imported recognition is about when none is named.
func SetInForce(ctx context.Context, cat *Catalog, level units.Level, tier string, day units.Date) string {
	cur, err := cat.Current(ctx)
	if err != nil {
		return ""
	}
	best := ""
	var bestFrom units.Date
	for _, set := range cur.Sets() {
		if set.Level == string(level) && set.Tier == tier && !set.Partial && set.Basis.Effective <= day &&
			(set.Basis.Superseded == "" || day < set.Basis.Superseded) && set.Basis.Effective >= bestFrom {
			best, bestFrom = set.ID, set.Basis.Effective
		}
	}
	return best
}
