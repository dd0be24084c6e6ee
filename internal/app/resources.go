package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The resources register's figures (SPEC §1.8): funding by source, works, models and
// overdue steering tasks, rolled up below a unit as of a day. The API, the command line, the
// pages, the bulletin and the targets read them here.

// rootName names the root of a roll-up on day ("Cả nước" for the country).
func rootName(ctx context.Context, db *store.DB, unit string, day units.Date) (string, error) {
	if unit == "" {
		return "Cả nước", nil
	}
	u, err := db.Unit(ctx, unit, day)
	if err != nil {
		return "", err
	}
	return u.FullName, nil
}

// rollupOf is what every roll-up below unit starts from: the shipped catalog and the root's name.
func rollupOf(ctx context.Context, db *store.DB, unit string, day units.Date) (*resources.Catalog, string, error) {
	cat, err := resources.Shipped()
	if err != nil {
		return nil, "", err
	}
	name, err := rootName(ctx, db, unit, day)
	return cat, name, err
}

// childNames names the root's direct children on day.
func childNames(ctx context.Context, db *store.DB, unit string, day units.Date) ([]units.Unit, error) {
	return db.Children(ctx, unit, day)
}

func pct(x float64, lang string) string { return numfmt.Percent(x, 1, lang) }

// ---------------------------------------------------------------------------------------
// Funding

// FundingChild is the funding of one child unit of the root.
type FundingChild struct {
	Code  string          `json:"code"`
	Name  string          `json:"name"`
	Total resources.Fixed `json:"total"`
	Share float64         `json:"share_pct"`
}

// FundingFlag is an entry whose reported total differs from the sum of its parts.
type FundingFlag struct {
	ID       int64  `json:"id"`
	Unit     string `json:"unit"`
	UnitName string `json:"unit_name"`
	Year     int    `json:"year"`
	resources.TotalCheck
	Text string `json:"text"`
}

// FundingReport is the funding mobilised below a unit in a year, by source, compared with
// the previous year, with the entries whose reported totals are flagged. Its JSON is the body
// of GET /api/v1/funding/summary.
type FundingReport struct {
	Unit     string     `json:"unit"`
	UnitName string     `json:"unit_name"`
	Year     int        `json:"year"`
	AsOf     units.Date `json:"as_of"`
	resources.FundingFigures
	Flags    []FundingFlag  `json:"flags"`
	Children []FundingChild `json:"children"`
}

// FundingSummary rolls up the funding of year below unit ("" the country), the hierarchy as
// of day: entries of units that no longer exist count under their successors.
func FundingSummary(ctx context.Context, db *store.DB, unit string, year int, day units.Date) (FundingReport, error) {
	cat, name, err := rollupOf(ctx, db, unit, day)
	if err != nil {
		return FundingReport{}, err
	}
	fs, err := db.ListFunding(ctx, store.FundingFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}, Years: []int{year - 1, year}})
	if err != nil {
		return FundingReport{}, err
	}
	var cur, prev []resources.Funding
	r := FundingReport{Unit: unit, UnitName: name, Year: year, AsOf: day, Flags: []FundingFlag{}, Children: []FundingChild{}}
	byChild := map[string]resources.Fixed{}
	for _, f := range fs {
		if f.Year == year-1 {
			prev = append(prev, f.Funding)
			continue
		}
		cur = append(cur, f.Funding)
		byChild[f.Child] += f.Total
		if f.Check.Flagged {
			r.Flags = append(r.Flags, FundingFlag{ID: f.ID, Unit: f.UnitCode, UnitName: f.UnitName, Year: f.Year, TotalCheck: f.Check, Text: f.Check.Text("vi")})
		}
	}
	r.FundingFigures = cat.SummariseFunding(cur, prev)
	kids, err := childNames(ctx, db, unit, day)
	if err != nil {
		return FundingReport{}, err
	}
	for _, k := range kids {
		if v, ok := byChild[k.Code]; ok {
			c := FundingChild{Code: k.Code, Name: k.FullName, Total: v}
			c.Share, _ = resources.Percent(v, r.Total)
			r.Children = append(r.Children, c)
		}
	}
	return r, nil
}

// Text is the report as an office writes it: "Năm 2025 huy động 370.600 triệu đồng (tăng
// 12,5% so với năm 2024), trong đó: ngân sách trung ương 195.420 triệu đồng (52,7%); …".
func (r FundingReport) Text(lang string) string {
	year := strconv.Itoa(r.Year)
	if r.Entries == 0 {
		return i18n.T(lang, "prose.funding.none", year)
	}
	var b strings.Builder
	b.WriteString(i18n.T(lang, "prose.funding.total", year, r.Total.Format(lang)))
	if r.ChangePct != nil {
		key := "prose.funding.up"
		if *r.ChangePct < 0 {
			key = "prose.funding.down"
		}
		b.WriteString(i18n.T(lang, key, pct(abs(*r.ChangePct), lang), strconv.Itoa(r.Year-1)))
	}
	var parts []string
	for _, s := range r.Sources {
		if s.Amount == 0 {
			continue
		}
		parts = append(parts, i18n.T(lang, "prose.funding.source", sourceName(s, lang), s.Amount.Format(lang), pct(s.Share, lang)))
	}
	b.WriteString(i18n.T(lang, "prose.funding.sources", strings.Join(parts, "; ")))
	if n := len(r.Flags); n > 0 {
		key := "prose.funding.flags"
		if n == 1 {
			key += ".one" // English agrees in number
		}
		b.WriteString(i18n.T(lang, key, resources.Count(n, lang)))
	}
	return b.String()
}

// sourceName is a funding source's name in lang, in the middle of a sentence: the
// Vietnamese name lower-cased ("ngân sách trung ương"), the English one as written.
func sourceName(s resources.SourceFigure, lang string) string {
	if lang == i18n.EN {
		return s.NameEN
	}
	return numfmt.LowerFirst(s.Name)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// ---------------------------------------------------------------------------------------
// Works

// WorksChild is the works of one child unit of the root.
type WorksChild struct {
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Works     int             `json:"works"`
	Done      int             `json:"done"`
	Budget    resources.Fixed `json:"budget"`
	Disbursed resources.Fixed `json:"disbursed"`
	Rate      *float64        `json:"disbursement_pct"`
}

// WorksReport is the works below a unit (of a year, or every year), by kind, with the amount
// disbursed by the day and the rate against the plan. Its JSON is the body of
// GET /api/v1/works/summary.
type WorksReport struct {
	Unit     string     `json:"unit"`
	UnitName string     `json:"unit_name"`
	Year     int        `json:"year,omitempty"`
	AsOf     units.Date `json:"as_of"`
	resources.WorkFigures
	Lines    []string     `json:"lines"` // "104,48 km đường liên xã", one per kind with works done
	Children []WorksChild `json:"children"`
}

// WorksSummary rolls up the works of year (0: every year) below unit as of day.
func WorksSummary(ctx context.Context, db *store.DB, unit string, year int, day units.Date) (WorksReport, error) {
	cat, name, err := rollupOf(ctx, db, unit, day)
	if err != nil {
		return WorksReport{}, err
	}
	ws, err := db.ListWorks(ctx, store.WorkFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}, Year: year})
	if err != nil {
		return WorksReport{}, err
	}
	recs := make([]resources.WorkRecord, len(ws))
	byChild := map[string][]resources.WorkRecord{}
	for i, w := range ws {
		recs[i] = w.Record()
		byChild[w.Child] = append(byChild[w.Child], recs[i])
	}
	r := WorksReport{Unit: unit, UnitName: name, Year: year, AsOf: day, WorkFigures: cat.SummariseWorks(recs, day), Lines: []string{}, Children: []WorksChild{}}
	for _, k := range r.ByKind {
		if k.Done > 0 {
			r.Lines = append(r.Lines, k.Text("vi"))
		}
	}
	kids, err := childNames(ctx, db, unit, day)
	if err != nil {
		return WorksReport{}, err
	}
	for _, k := range kids {
		if rs, ok := byChild[k.Code]; ok {
			f := cat.SummariseWorks(rs, day)
			r.Children = append(r.Children, WorksChild{Code: k.Code, Name: k.FullName, Works: f.Works, Done: f.Done, Budget: f.Budget, Disbursed: f.Disbursed, Rate: f.Rate})
		}
	}
	return r, nil
}

// Text is the report as an office writes it: "Hoàn thành 104,48 km đường liên xã, 3 công
// trình nhà văn hóa; giải ngân 2.450 triệu đồng, đạt 24,5% kế hoạch vốn (10.000 triệu đồng)".
func (r WorksReport) Text(lang string) string {
	if r.Works == 0 {
		return i18n.T(lang, "prose.works.none")
	}
	var lines []string
	for _, k := range r.ByKind {
		if k.Done > 0 {
			lines = append(lines, k.Text(lang))
		}
	}
	var b strings.Builder
	if len(lines) > 0 {
		b.WriteString(i18n.T(lang, "prose.works.done", strings.Join(lines, ", ")))
	} else {
		b.WriteString(i18n.T(lang, "prose.works.none_done", strconv.Itoa(r.Works)))
	}
	if r.Rate != nil {
		b.WriteString(i18n.T(lang, "prose.works.disbursed", r.Disbursed.Format(lang), pct(*r.Rate, lang), r.Budget.Format(lang)))
	}
	return b.String() + "."
}

// ---------------------------------------------------------------------------------------
// Models

// ModelsChild is the cumulative count of each kind of model in one child unit of the root.
type ModelsChild struct {
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	New        map[string]int `json:"new"`
	Cumulative map[string]int `json:"cumulative"`
}

// ModelsReport is the models below a unit: for each kind, the number new in the years
// From..To and the cumulative number at the end of To. Its JSON is the body of
// GET /api/v1/models/summary.
type ModelsReport struct {
	Unit     string                 `json:"unit"`
	UnitName string                 `json:"unit_name"`
	From     int                    `json:"from"`
	To       int                    `json:"to"`
	AsOf     units.Date             `json:"as_of"`
	Counts   []resources.ModelCount `json:"counts"`
	Children []ModelsChild          `json:"children"`
}

// ModelsSummary counts the models below unit as of day, new in the years from..to and
// cumulative at the end of to, from the models entered one by one and the tallies entered as
// counts (resources.CountAll: a unit's tallies stand for everything below it), with the share
// of the villages for a kind that reports one ("9/24 thôn (37,5%)").
func ModelsSummary(ctx context.Context, db *store.DB, unit string, from, to int, day units.Date) (ModelsReport, error) {
	cat, name, err := rollupOf(ctx, db, unit, day)
	if err != nil {
		return ModelsReport{}, err
	}
	sc := store.AsOfScope{Root: unit, AsOf: day}
	ms, err := db.ListModels(ctx, store.ModelFilter{AsOfScope: sc, ToYear: to})
	if err != nil {
		return ModelsReport{}, err
	}
	// A model recognised by a decision dated after the day is not one yet (one cut-off: the
	// bulletin of Q2 leaves out a decision of September); one known only by its year counts
	// in its year.
	ms = slices.DeleteFunc(ms, func(m resources.ModelEntry) bool { return m.DecisionDate != "" && m.DecisionDate > day })
	ts, err := db.ListModelTallies(ctx, store.TallyFilter{AsOfScope: sc, ToYear: to})
	if err != nil {
		return ModelsReport{}, err
	}
	tree, err := modelTree(ctx, db, cat, unit, day, ms, ts)
	if err != nil {
		return ModelsReport{}, err
	}
	rows := make([]resources.PlacedModel, len(ms))
	tallies := make([]resources.PlacedTally, len(ts))
	byChild := map[string]*childModels{}
	of := func(child string) *childModels {
		if byChild[child] == nil {
			byChild[child] = &childModels{}
		}
		return byChild[child]
	}
	for i, m := range ms {
		rows[i] = resources.PlacedModel{Model: m.Model, Chain: tree.chain(m.Under), Holder: tree.holder(m.Under)}
		c := of(m.Child)
		c.rows = append(c.rows, rows[i])
	}
	for i, t := range ts {
		tallies[i] = resources.PlacedTally{ModelTally: t.ModelTally, Chain: tree.chain(t.Under)}
		c := of(t.Child)
		c.tallies = append(c.tallies, tallies[i])
	}
	r := ModelsReport{Unit: unit, UnitName: name, From: from, To: to, AsOf: day,
		Counts: cat.CountAll(rows, tallies, tree.villages, from, to), Children: []ModelsChild{}}
	kids, err := childNames(ctx, db, unit, day)
	if err != nil {
		return ModelsReport{}, err
	}
	for _, k := range kids {
		if list, ok := byChild[k.Code]; ok {
			c := ModelsChild{Code: k.Code, Name: k.FullName, New: map[string]int{}, Cumulative: map[string]int{}}
			for _, mc := range cat.CountAll(list.rows, list.tallies, tree.villages, from, to) {
				c.New[mc.Kind], c.Cumulative[mc.Kind] = mc.New, mc.Cumulative
			}
			r.Children = append(r.Children, c)
		}
	}
	return r, nil
}

// childModels is what one child of the root holds.
type childModels struct {
	rows    []resources.PlacedModel
	tallies []resources.PlacedTally
}

// unitTree is the units below a root as a count of models needs them: each one's parent
// and level, and the villages below each unit.
type unitTree struct {
	root     string
	parent   map[string]string
	level    map[string]units.Level
	villages map[string]int
}

// modelTree reads the units below the root when the count needs them: for tallies (to leave
// out what a tally stands for) or for a kind counted as a share of villages. Otherwise each
// entry stands alone.
func modelTree(ctx context.Context, db *store.DB, cat *resources.Catalog, root string, day units.Date, ms []resources.ModelEntry, ts []resources.ModelTallyEntry) (unitTree, error) {
	t := unitTree{root: root, parent: map[string]string{}, level: map[string]units.Level{}, villages: map[string]int{}}
	need := len(ts) > 0
	for _, m := range ms {
		if k, _ := cat.ModelKind(m.Kind); k.ShareOf != "" {
			need = true
			break
		}
	}
	if !need {
		return t, nil
	}
	us, err := db.Descendants(ctx, root, day)
	if err != nil {
		return t, err
	}
	for _, u := range us {
		t.parent[u.Code], t.level[u.Code] = u.ParentCode, u.Level
	}
	for _, u := range us {
		if u.Level == units.LevelVillage {
			for _, a := range t.chain(u.ParentCode) {
				t.villages[a]++
			}
		}
	}
	return t, nil
}

// chain is the unit and those above it up to the root, nearest first.
func (t unitTree) chain(code string) []string {
	out := []string{code}
	for p, ok := t.parent[code]; ok && p != "" && p != t.root; p, ok = t.parent[p] {
		out = append(out, p)
	}
	if t.root != "" && code != t.root {
		out = append(out, t.root)
	}
	return out
}

// holder is the unit whose villages a model on code is counted against: the commune of a
// village, else the unit itself.
func (t unitTree) holder(code string) string {
	if t.level[code] == units.LevelVillage {
		return t.parent[code]
	}
	return code
}

// Text is the report as an office writes it: "Năm 2025 có thêm 35 khu dân cư kiểu mẫu, nâng
// tổng số lên 115; …". Kinds with no model at all are left out.
func (r ModelsReport) Text(lang string) string {
	var parts []string
	for _, c := range r.Counts {
		if c.Cumulative > 0 || c.New > 0 {
			parts = append(parts, c.Text(lang))
		}
	}
	period := i18n.T(lang, "prose.models.year", strconv.Itoa(r.To))
	if r.From != r.To {
		period = i18n.T(lang, "prose.models.years", strconv.Itoa(r.From), strconv.Itoa(r.To))
	}
	if len(parts) == 0 {
		return i18n.T(lang, "prose.models.none", period)
	}
	return i18n.T(lang, "prose.models.counts", period, strings.Join(parts, "; "))
}

// ---------------------------------------------------------------------------------------
// Steering tasks

// OverdueReport is the tasks overdue on a day below a unit, and the same per owner (the
// owner with most first). Its JSON is the body of GET /api/v1/tasks/overdue.
type OverdueReport struct {
	Unit     string                                      `json:"unit"`
	UnitName string                                      `json:"unit_name"`
	AsOf     units.Date                                  `json:"as_of"`
	Count    int                                         `json:"count"`
	Tasks    []resources.TaskEntry                       `json:"tasks"`
	ByOwner  []resources.OwnerTasks[resources.TaskEntry] `json:"by_owner"`
}

// OverdueTasks lists the tasks overdue on day (due before it and not done by it) that a
// committee below unit assigned or a unit below it owns, most overdue first.
func OverdueTasks(ctx context.Context, db *store.DB, unit string, day units.Date) (OverdueReport, error) {
	name, err := rootName(ctx, db, unit, day)
	if err != nil {
		return OverdueReport{}, err
	}
	ts, err := db.ListTasks(ctx, store.TaskFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}, OverdueOnly: true})
	if err != nil {
		return OverdueReport{}, err
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].DaysOverdue > ts[j].DaysOverdue })
	if ts == nil {
		ts = []resources.TaskEntry{}
	}
	by := resources.ByOwner(ts, func(t resources.TaskEntry) resources.Task { return t.Task })
	for i := range by {
		if by[i].Kind == resources.OwnerUnit {
			by[i].Owner = by[i].Tasks[0].OwnerName
		}
	}
	if by == nil {
		by = []resources.OwnerTasks[resources.TaskEntry]{}
	}
	return OverdueReport{Unit: unit, UnitName: name, AsOf: day, Count: len(ts), Tasks: ts, ByOwner: by}, nil
}

// OverdueTasksFor is the reminder list of a user's dashboard: the tasks overdue on day that
// the user answers for — owned by their home unit or a unit below it, or assigned by a
// committee at or below it (the departments of a province answer to its officers); for roles
// that read everywhere, every overdue task. Most overdue first.
func OverdueTasksFor(ctx context.Context, db *store.DB, user *auth.User, day units.Date) ([]resources.TaskEntry, error) {
	if user == nil || user.Disabled {
		return []resources.TaskEntry{}, nil
	}
	root := ""
	switch user.Role.Reach(auth.Read) {
	case auth.Everywhere:
	case auth.Subtree:
		if user.UnitCode == "" {
			return []resources.TaskEntry{}, nil
		}
		root = user.UnitCode
	default:
		return []resources.TaskEntry{}, nil
	}
	// Through the registers' cache: the same figures as the progress output's overdue tasks.
	r, err := RegistersOf(ctx, db, root, day, RegTasks)
	if errors.Is(err, store.ErrNotFound) {
		// A home unit that does not exist on day (a district before or after its time).
		return []resources.TaskEntry{}, nil
	}
	if err != nil || r.TasksOverdue == nil {
		return []resources.TaskEntry{}, err
	}
	return r.TasksOverdue.Tasks, nil
}

// Text lists the overdue tasks per owner: "Sở Tài chính: 1 nhiệm vụ quá hạn — Báo cáo giải
// ngân (hạn 09/03/2026, quá 1 ngày)".
func (r OverdueReport) Text(lang string) string {
	if r.Count == 0 {
		return i18n.T(lang, "prose.tasks.none_overdue")
	}
	var lines []string
	for _, o := range r.ByOwner {
		lines = append(lines, ownerLine(o, lang))
	}
	return strings.Join(lines, "\n")
}

func ownerLine(o resources.OwnerTasks[resources.TaskEntry], lang string) string {
	var items []string
	for _, t := range o.Tasks {
		items = append(items, i18n.T(lang, "prose.tasks.item", t.Title, numfmt.Date(string(t.Due), lang), strconv.Itoa(t.DaysOverdue)))
	}
	return i18n.T(lang, "prose.tasks.owner", o.Owner, resources.Count(o.Count, lang), strings.Join(items, "; "))
}

// ---------------------------------------------------------------------------------------
// Shortcomings for the bulletin

// ResourceShortcoming is one shortcoming the resources register shows, in words.
type ResourceShortcoming struct {
	Kind   string `json:"kind"` // overdue_tasks | funding_total_mismatch
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
}

// ResourceShortcomings lists what the bulletin's shortcomings section takes from the
// register below unit as of day: overdue tasks, one line per owner, and the funding entries
// of year whose reported total differs from the sum of their sources.
func ResourceShortcomings(ctx context.Context, db *store.DB, unit string, year int, day units.Date) ([]ResourceShortcoming, error) {
	out := []ResourceShortcoming{}
	od, err := OverdueTasks(ctx, db, unit, day)
	if err != nil {
		return nil, err
	}
	for _, o := range od.ByOwner {
		out = append(out, ResourceShortcoming{Kind: "overdue_tasks", Text: ownerLine(o, "vi"), TextEN: ownerLine(o, "en")})
	}
	fr, err := FundingSummary(ctx, db, unit, year, day)
	if err != nil {
		return nil, err
	}
	for _, f := range fr.Flags {
		text := func(lang string) string {
			return i18n.T(lang, "prose.funding.mismatch", strconv.Itoa(f.Year), f.UnitName, f.TotalCheck.Text(lang))
		}
		out = append(out, ResourceShortcoming{Kind: "funding_total_mismatch", Text: text(i18n.VI), TextEN: text(i18n.EN)})
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------
// Target metrics

// Metrics of the register that targets can be set on (with no criteria set).
const (
	MetricFundingTotal    = "funding_total"        // triệu đồng mobilised in the year
	MetricStateBudget     = "funding_state_budget" // of which the state budget (NSTW + NSĐP)
	MetricDisbursementPct = "disbursement_pct"     // disbursed by the day / planned, the year's works
	MetricRoadKm          = "road_km"              // km of road (giao thông works in km) done in the year
	MetricWorksDone       = "works_done"           // works of the year done
	MetricModelsKhuDanCu  = "models_khu_dan_cu"    // khu dân cư kiểu mẫu, cumulative at the end of the year
	MetricModelsVuonMau   = "models_vuon_mau"      // vườn mẫu, cumulative
	MetricModelsThonNTM   = "models_thon_ntm"      // thôn đạt chuẩn NTM, cumulative
	MetricTasksOverdue    = "tasks_overdue"        // steering tasks overdue (a target at_most)
)

var modelMetricKind = map[string]string{
	MetricModelsKhuDanCu: "khu-dan-cu-kieu-mau",
	MetricModelsVuonMau:  "vuon-mau",
	MetricModelsThonNTM:  "thon-ntm",
}

// Metrics on each kind of model, by prefix and the kind's code ("models_new:vuon-mau"), from
// the models and the tallies (ModelsSummary), and on a unit's own figure by its code
// ("own:thu-nhap").
const (
	ModelsCumulativePrefix = "models:"       // cumulative at the end of the year
	ModelsNewPrefix        = "models_new:"   // recognised in the year
	ModelsSharePrefix      = "models_share:" // percent of the villages, for a kind with a share
	OwnIndicatorPrefix     = "own:"          // a unit's own figure (UnitIndicator), for the year
	// FundingSourcePrefix names the funding of one source in the year: "funding:nstw".
	FundingSourcePrefix = "funding:"
)

// ResourceMetrics lists the register's metric names, those on funding sources and models for
// each shipped source and kind (own:CODE, a unit's own figure, takes any code).
func ResourceMetrics() []string {
	out := []string{MetricFundingTotal, MetricStateBudget, MetricDisbursementPct, MetricRoadKm, MetricWorksDone,
		MetricModelsKhuDanCu, MetricModelsVuonMau, MetricModelsThonNTM, MetricTasksOverdue}
	cat := resources.MustShipped()
	for _, src := range cat.Sources {
		out = append(out, FundingSourcePrefix+src.Code)
	}
	for _, k := range cat.ModelKinds {
		out = append(out, ModelsCumulativePrefix+k.Code, ModelsNewPrefix+k.Code)
		if k.ShareOf != "" {
			out = append(out, ModelsSharePrefix+k.Code)
		}
	}
	return out
}

// IsResourceMetric reports whether metric is one of the register's.
func IsResourceMetric(metric string) bool {
	if code, ok := strings.CutPrefix(metric, OwnIndicatorPrefix); ok {
		return resources.CheckUnitIndicator(resources.UnitIndicator{UnitCode: "-", Year: 2000, Code: code, Name: "-"}) == nil
	}
	return slices.Contains(ResourceMetrics(), metric)
}

// modelMetric splits a metric on models into the kind and what is read of it (a prefix).
func modelMetric(metric string) (kind, what string, ok bool) {
	if kind, ok := modelMetricKind[metric]; ok {
		return kind, ModelsCumulativePrefix, true
	}
	for _, p := range []string{ModelsCumulativePrefix, ModelsNewPrefix, ModelsSharePrefix} {
		if kind, ok := strings.CutPrefix(metric, p); ok {
			return kind, p, true
		}
	}
	return "", "", false
}

// modelsMetric reads a metric on a kind of model for unit and year as of day.
func modelsMetric(ctx context.Context, db *store.DB, unit string, year int, kind, what string, day units.Date, lang string) (float64, bool, string, error) {
	r, err := ModelsSummary(ctx, db, unit, year, year, day)
	if err != nil {
		return 0, false, "", err
	}
	source := fmt.Sprintf("models %s, %s, %s", kind, unit, day)
	for _, c := range r.Counts {
		switch {
		case c.Kind != kind:
		case c.Entries == 0:
			return 0, false, i18n.T(lang, "targets.source.no_models"), nil
		case what == ModelsNewPrefix:
			return float64(c.New), true, source, nil
		case what == ModelsSharePrefix && c.Share == nil:
			return 0, false, i18n.T(lang, "targets.source.no_share"), nil
		case what == ModelsSharePrefix:
			return c.Share.Pct, true, source, nil
		default:
			return float64(c.Cumulative), true, source, nil
		}
	}
	return 0, false, i18n.T(lang, "targets.source.no_models"), nil
}

// OwnIndicator is a unit's own figure of year with the given code, if entered.
func OwnIndicator(ctx context.Context, db *store.DB, unit string, year int, code string, day units.Date) (*resources.UnitIndicatorEntry, error) {
	if unit == "" {
		return nil, nil
	}
	xs, err := db.ListUnitIndicators(ctx, store.UnitIndicatorFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}, Year: year, Code: code, OnlyUnit: true})
	if err != nil || len(xs) == 0 {
		return nil, err
	}
	return &xs[0], nil
}

// ResourceMetric reads a register metric for unit and year as of day. ok is false when the
// register holds nothing to measure it by (no funding entered for the year, no works, no
// model of the kind, no task), never a made-up zero; source says where the figure came from,
// or why there is none in lang.
func ResourceMetric(ctx context.Context, db *store.DB, unit string, year int, metric string, day units.Date, lang string) (value float64, ok bool, source string, err error) {
	source = fmt.Sprintf("%s, %s, %s", metric, unit, day)
	switch metric {
	case MetricFundingTotal, MetricStateBudget:
		r, err := FundingSummary(ctx, db, unit, year, day)
		if err != nil || r.Entries == 0 {
			return 0, false, i18n.T(lang, "targets.source.no_funding"), err
		}
		if metric == MetricStateBudget {
			return r.StateBudget.Float(), true, source, nil
		}
		return r.Total.Float(), true, source, nil
	}
	if code, ok := strings.CutPrefix(metric, FundingSourcePrefix); ok {
		r, err := FundingSummary(ctx, db, unit, year, day)
		if err != nil || r.Entries == 0 {
			return 0, false, i18n.T(lang, "targets.source.no_funding"), err
		}
		for _, f := range r.Sources {
			if f.Code == code {
				return f.Amount.Float(), true, source, nil
			}
		}
		// Entered funding with nothing from this source is a zero, as the summary shows it.
		return 0, true, source, nil
	}
	switch metric {
	case MetricDisbursementPct, MetricRoadKm, MetricWorksDone:
		r, err := WorksSummary(ctx, db, unit, year, day)
		if err != nil || r.Works == 0 {
			return 0, false, i18n.T(lang, "targets.source.no_works"), err
		}
		switch metric {
		case MetricDisbursementPct:
			if r.Rate == nil {
				return 0, false, i18n.T(lang, "targets.source.no_budget"), nil
			}
			return *r.Rate, true, source, nil
		case MetricWorksDone:
			return float64(r.Done), true, source, nil
		}
		var km resources.Fixed
		for _, k := range r.ByKind {
			if k.Group == "giao-thong" && k.Measure == "km" {
				km += k.QuantityDone
			}
		}
		return km.Float(), true, source, nil
	case MetricTasksOverdue:
		ts, err := db.ListTasks(ctx, store.TaskFilter{AsOfScope: store.AsOfScope{Root: unit, AsOf: day}})
		if err != nil || len(ts) == 0 {
			return 0, false, i18n.T(lang, "targets.source.no_tasks"), err
		}
		n := 0
		for _, t := range ts {
			if t.Overdue {
				n++
			}
		}
		return float64(n), true, source, nil
	}
	if kind, what, isModel := modelMetric(metric); isModel {
		return modelsMetric(ctx, db, unit, year, kind, what, day, lang)
	}
	if code, ok := strings.CutPrefix(metric, OwnIndicatorPrefix); ok {
		x, err := OwnIndicator(ctx, db, unit, year, code, day)
		if err != nil || x == nil {
			return 0, false, i18n.T(lang, "targets.source.no_own"), err
		}
		return x.Value, true, fmt.Sprintf("%s, %s, %d", x.Name, unit, year), nil
	}
	return 0, false, "", fmt.Errorf("chỉ số %q không thuộc sổ nguồn lực (metric %q is not the register's)", metric, metric)
}

// CheckLinkedCriterion checks that a work or task links to a criterion that exists: the set
// in the catalog, the number in the set. No set and no number is no link.
func CheckLinkedCriterion(ctx context.Context, cat *Catalog, setID string, number int) error {
	if setID == "" && number == 0 {
		return nil
	}
	set, err := cat.Get(ctx, setID)
	if criteria.IsNoSet(err, setID) {
		return resources.FieldFault("criterion_set", fmt.Sprintf("không có bộ tiêu chí %q", setID), fmt.Sprintf("no criteria set %q", setID))
	}
	if err != nil {
		return err
	}
	if number != 0 && set.Criterion(number) == nil {
		return resources.FieldFault("criterion", fmt.Sprintf("bộ %s không có tiêu chí %d", setID, number), fmt.Sprintf("set %s has no criterion %d", setID, number))
	}
	return nil
}
