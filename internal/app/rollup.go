// Progress of the units below a unit against a criteria set, and targets against actuals.

package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Progress is a progress report with what it was computed for. Its JSON is the body of
// GET /api/v1/progress and of ntm progress --json.
type Progress struct {
	progress.Report
	Set          string     `json:"set"`
	SetTitle     string     `json:"set_title"`
	AsOf         units.Date `json:"as_of"`
	ApprovedOnly bool       `json:"approved_only"`
	// Basis is "approved" (the official figures: approved assessments only) or "all".
	Basis Basis `json:"basis"`
	// GroupUnassigned counts, for a set whose thresholds differ by commune group, the units
	// counted here that have no group yet: their group-varying indicators are "group not
	// assigned" (chưa xác định nhóm xã) until the province's decision is imported.
	GroupUnassigned int `json:"group_unassigned,omitempty"`
}

// setError is a criteria set that cannot be used for the request, or a metric that needs one
// or takes none: the user's to fix.
func setError(format string, args ...any) *fault.Error {
	return fault.Newf(fault.InvalidValue, format, args...)
}

// PickSet returns the set named id, or without one the commune NTM set in force on day.
func PickSet(ctx context.Context, cat *Catalog, id string, day units.Date) (*criteria.Set, error) {
	if id != "" {
		return cat.Get(ctx, id)
	}
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	for _, set := range cur.Sets() {
		if set.Level == string(units.LevelCommune) && set.Tier == criteria.TierNTM && set.Basis.Effective <= day &&
			(set.Basis.Superseded == "" || day < set.Basis.Superseded) {
			return set, nil
		}
	}
	return nil, setError("không có bộ tiêu chí xã NTM hiệu lực ngày %s; hãy chọn một bộ (no commune NTM set in force on %s: name one)", day, day)
}

// ComputeProgress rolls up set over the units below unit ("" for the country) as of day.
// codes, if given, are indicators whose average values the report should carry.
//
// Reports are cached per process and served again while the database's data version is
// unchanged (cache.go); callers must treat the report as read-only.
func ComputeProgress(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool, codes ...string) (Progress, error) {
	return cachedProgress(ctx, db, set, unit, day, approvedOnly, codes, func() (Progress, error) {
		return computeProgress(ctx, db, set, unit, day, approvedOnly, codes)
	})
}

func computeProgress(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool, codes []string) (Progress, error) {
	level := units.Level(set.Level)
	root, children, entries, err := db.ProgressEntries(ctx, store.ProgressQuery{Root: unit, SetID: set.ID, Level: level,
		RuralOnly: level == units.LevelCommune, AsOf: day, ApprovedOnly: approvedOnly, Codes: codes})
	if err != nil {
		return Progress{}, err
	}
	crits := make([]progress.Criterion, len(set.Criteria))
	for i, c := range set.Criteria {
		crits[i] = progress.Criterion{Number: c.Number, Name: c.Name}
	}
	bands, err := BandsOf(set)
	if err != nil {
		return Progress{}, err
	}
	rep := progress.Rollup(root, crits, entries, progress.Options{Bands: bands, Children: children, UnitNoun: Noun(level)})
	p := Progress{Report: rep, Set: set.ID, SetTitle: set.Title, AsOf: day, ApprovedOnly: approvedOnly,
		Basis: BasisOf(!approvedOnly)}
	if set.VariesBy == criteria.VariesGroup {
		if p.GroupUnassigned, err = groupUnassigned(ctx, db, unit, day, entries); err != nil {
			return Progress{}, err
		}
	}
	return p, nil
}

// groupUnassigned counts the units of entries that have no commune group on day.
func groupUnassigned(ctx context.Context, db *store.DB, root string, day units.Date, entries []progress.Entry) (int, error) {
	in := make(map[string]bool, len(entries))
	for _, e := range entries {
		in[e.Unit.Code] = true
	}
	roots := []string{root}
	if root == "" {
		ps, err := db.Children(ctx, "", day)
		if err != nil {
			return 0, err
		}
		roots = roots[:0]
		for _, p := range ps {
			roots = append(roots, p.Code)
		}
	}
	n := 0
	for _, r := range roots {
		us, err := db.Descendants(ctx, r, day)
		if err != nil {
			return 0, err
		}
		for _, u := range us {
			if in[u.Code] && Unit(u).Group == "" {
				n++
			}
		}
	}
	return n, nil
}

// Noun is the Vietnamese noun for units of a level, as reports count them.
func Noun(l units.Level) string {
	switch l {
	case units.LevelDistrict:
		return "huyện"
	case units.LevelProvince:
		return "tỉnh"
	case units.LevelVillage:
		return "thôn"
	}
	return "xã"
}

// TargetStatus is a target with its actual value as of a day.
type TargetStatus struct {
	store.Target
	Status progress.TargetStatus `json:"status"`
	// Source says where the actual came from, or why there is none.
	Source string `json:"source"`
	// Name is the indicator's name for a target on an indicator's value ("Thu nhập bình quân
	// đầu người"), so that outputs name it rather than print its code; "" otherwise.
	Name string `json:"name,omitempty"`
}

// Targets assesses targets as of day: a progress metric is read from the official (approved)
// progress of its set over the target's unit at day (or at the end of the target's year, if earlier).
// Metrics of registers the system does not hold yet get no_data, never a made-up actual; the
// source says in lang why.
func Targets(ctx context.Context, db *store.DB, cat *Catalog, ts []store.Target, day units.Date, lang string) ([]TargetStatus, error) {
	cache := map[string]Progress{}
	out := make([]TargetStatus, 0, len(ts))
	for _, t := range ts {
		at := day
		if end := units.Date(fmt.Sprintf("%04d-12-31", t.Year)); end < at {
			at = end
		}
		pt := progress.Target{Unit: t.UnitCode, Metric: t.Metric, Year: t.Year, Value: t.Value, Direction: t.Direction, Baseline: t.Baseline}
		st := TargetStatus{Target: t}
		actual, ok, source, err := targetActual(ctx, db, cat, t, at, cache, lang)
		if err != nil {
			return nil, err
		}
		st.Status, st.Source = progress.Assess(pt, actual, ok, string(day)), source
		if st.Name, err = targetName(ctx, db, cat, t, at, lang); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// targetName names what a target is set on, where its code alone would not say: an
// indicator of a set, a unit's own figure (the name it was entered with), a kind of model.
func targetName(ctx context.Context, db *store.DB, cat *Catalog, t store.Target, at units.Date, lang string) (string, error) {
	if code, ok := strings.CutPrefix(t.Metric, progress.IndicatorPrefix); ok {
		if set, err := cat.Get(ctx, t.SetID); err == nil {
			if in, _ := set.Indicator(code); in != nil {
				return in.Name, nil
			}
		}
		return "", nil
	}
	if code, ok := strings.CutPrefix(t.Metric, OwnIndicatorPrefix); ok {
		x, err := OwnIndicator(ctx, db, t.UnitCode, t.Year, code, at)
		if err != nil || x == nil {
			return "", err
		}
		return x.Name, nil
	}
	if code, ok := strings.CutPrefix(t.Metric, FundingSourcePrefix); ok {
		return i18n.T(lang, "targets.funding.source", resources.MustShipped().SourceName(code, lang)), nil
	}
	if kind, what, ok := modelMetric(t.Metric); ok {
		k, found := resources.MustShipped().ModelKind(kind)
		if !found {
			return "", nil
		}
		name := k.Name
		if lang == i18n.EN {
			name = k.NameEN
		}
		return i18n.T(lang, "targets.models."+strings.TrimSuffix(what, ":"), name), nil
	}
	return "", nil
}

func targetActual(ctx context.Context, db *store.DB, cat *Catalog, t store.Target, at units.Date, cache map[string]Progress, lang string) (float64, bool, string, error) {
	switch {
	case IsOCOPMetric(t.Metric):
		f, err := OCOP(ctx, db, t.UnitCode, at, units.Date(fmt.Sprintf("%04d-01-01", t.Year)))
		if err != nil {
			return 0, false, "", err
		}
		v, ok := OCOPMetric(f, t.Metric)
		return v, ok, fmt.Sprintf("OCOP, %s", at), nil
	case IsResourceMetric(t.Metric):
		return ResourceMetric(ctx, db, t.UnitCode, t.Year, t.Metric, at, lang)
	case isRecognitionMetric(t.Metric):
		lib, err := recognition.Shipped()
		if err != nil {
			return 0, false, "", err
		}
		tier := ""
		if set, err := cat.Get(ctx, t.SetID); err == nil {
			tier = set.Tier
		}
		v, ok, err := RecognitionMetric(ctx, db, cat, lib, t.Metric, t.UnitCode, tier, t.Year, at)
		return v, ok, fmt.Sprintf("recognition, %s", at), err
	}
	if t.SetID == "" {
		return 0, false, i18n.T(lang, "targets.source.no_data"), nil
	}
	set, err := cat.Get(ctx, t.SetID)
	if err != nil {
		return 0, false, err.Error(), nil
	}
	var codes []string
	if code, ok := strings.CutPrefix(t.Metric, progress.IndicatorPrefix); ok {
		codes = []string{code}
	}
	key := t.UnitCode + "|" + t.SetID + "|" + string(at) + "|" + strings.Join(codes, ",")
	p, ok := cache[key]
	if !ok {
		if _, err := db.Unit(ctx, t.UnitCode, at); err != nil {
			return 0, false, i18n.T(lang, "targets.source.no_unit", t.UnitCode, string(at)), nil
		}
		if p, err = ComputeProgress(ctx, db, set, t.UnitCode, at, true, codes...); err != nil {
			return 0, false, "", err
		}
		cache[key] = p
	}
	v, has := progress.Metric(p.Report, t.Metric)
	return v, has, fmt.Sprintf("progress %s, %s", t.SetID, at), nil
}

// CheckMetric says whether a target may use metric with set: progress metrics need a set,
// and an indicator metric needs an indicator of that set; the registers' metrics (OCOP,
// funding, works, models, tasks) take none.
func CheckMetric(ctx context.Context, cat *Catalog, metric, setID string) error {
	if isRecognitionMetric(metric) {
		// The set names the tier of recognitions_new (none: ntm).
		if setID != "" {
			_, err := cat.Get(ctx, setID)
			return err
		}
		return nil
	}
	if IsOCOPMetric(metric) || IsResourceMetric(metric) {
		if setID != "" {
			return setError("chỉ số %s không đo theo bộ tiêu chí; bỏ set (metric %s takes no criteria set)", metric, metric)
		}
		return nil
	}
	switch metric {
	case progress.MetricUnitsMet, progress.MetricUnitsRecognized, progress.MetricCriteriaMetAvg,
		progress.MetricIndicatorsMetPct, progress.MetricShareMet:
	default:
		code, ok := strings.CutPrefix(metric, progress.IndicatorPrefix)
		if !ok {
			return setError("chỉ số %q không có; dùng units_met, units_recognized, criteria_met_avg, indicators_met_pct, share_met, indicator:<mã>, %s, %s hoặc %s<mã> (unknown metric %q)",
				metric, strings.Join(OCOPMetrics, ", "), strings.Join(ResourceMetrics(), ", "), OwnIndicatorPrefix, metric)
		}
		if setID == "" {
			return setError("chỉ số theo chỉ tiêu cần bộ tiêu chí (an indicator metric needs a set)")
		}
		set, err := cat.Get(ctx, setID)
		if err != nil {
			return err
		}
		if in, _ := set.Indicator(code); in == nil {
			return setError("bộ %s không có chỉ tiêu %s (set %s has no indicator %s)", setID, code, setID, code)
		}
		return nil
	}
	if setID == "" {
		return setError("chỉ số tiến độ cần bộ tiêu chí (a progress metric needs a set)")
	}
	_, err := cat.Get(ctx, setID)
	return err
}

// isRecognitionMetric reports whether name is a figure of the recognition registry.
func isRecognitionMetric(name string) bool {
	return name == MetricRecognitionsNew || name == MetricUnitsAtRisk || name == MetricDossiersOverdue
}
