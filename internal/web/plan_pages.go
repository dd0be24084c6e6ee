package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/plan"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The plan page (/plan): the communes closest to the standard with what each lacks, those
// with data missing, the early warning of recognised communes, the cost of the cheapest
// communes and the what-if form. It reads the same figures as GET /api/v1/plan.

func (s *Server) planPageRoutes() {
	s.addNav("plan", "/plan", "plan.nav")
	s.mux.HandleFunc("GET /plan", s.planPage)
	s.mux.HandleFunc("POST /plan", s.planForm)
	s.mux.HandleFunc("POST /plan/costs", s.planCostsForm)
}

// planShown is how many communes the page lists; the API and the command line give them all.
const planShown = 100

type planPageData struct {
	Unit     string
	Set      string
	Sets     []setOption
	Gaps     app.PlanGaps
	Shown    int // communes of Gaps.Units listed
	Warnings app.PlanWarnings

	Year       int
	Count      string
	Proposal   *app.PlanProposal
	CostsFrom  string
	Costs      []store.PlanCost
	WhatIf     []plan.UnitGap     // the communes the what-if form offers (the closest)
	Works      []plan.PlannedWork // planned works linked to a criterion, to mark done
	Projection *app.PlanProjection
	Scenarios  []app.ScenarioComparison
	CanManage  bool         // may import costs and save scenarios
	Query      string       // unit, set, as_of and year, for the forms' actions
	CostsURL   template.URL // where the cost table form posts
	WhatIfURL  template.URL // where the what-if form posts
	Flash      string
	Error      string
}

// whatIfShown is how many communes the what-if form offers.
const whatIfShown = 20

type setOption struct{ ID, Title string }

// GET /plan?unit=&set=&as_of=&year=&count=
func (s *Server) planPage(w http.ResponseWriter, r *http.Request) { s.planView(w, r, nil, "") }

// POST /plan?unit=&set=&as_of=&year= — the what-if form: op=project shows the projection,
// op=save (with name) keeps it as a scenario (a new version of one of the same name).
func (s *Server) planForm(w http.ResponseWriter, r *http.Request) {
	u := s.formUser(w, r)
	if u == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "plan.error.page", err.Error())
		return
	}
	s.planView(w, r, whatIfAssumptions(r), r.PostForm.Get("op"))
}

// whatIfAssumptions reads the what-if form: v:UNIT:CODE expected values, c:UNIT criteria
// expected met, w:UNIT works expected done.
func whatIfAssumptions(r *http.Request) []app.AssumptionIn {
	by := map[string]*app.AssumptionIn{}
	var order []string
	get := func(unit string) *app.AssumptionIn {
		if a, ok := by[unit]; ok {
			return a
		}
		by[unit] = &app.AssumptionIn{Unit: unit}
		order = append(order, unit)
		return by[unit]
	}
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts := strings.SplitN(k, ":", 3)
		for _, v := range r.PostForm[k] {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			switch {
			case len(parts) == 3 && parts[0] == "v":
				a := get(parts[1])
				if a.Values == nil {
					a.Values = map[string]string{}
				}
				a.Values[parts[2]] = v
			case len(parts) == 2 && parts[0] == "c":
				if n, err := strconv.Atoi(v); err == nil {
					get(parts[1]).Criteria = append(get(parts[1]).Criteria, n)
				}
			case len(parts) == 2 && parts[0] == "w":
				if id, err := strconv.ParseInt(v, 10, 64); err == nil {
					get(parts[1]).Works = append(get(parts[1]).Works, id)
				}
			}
		}
	}
	out := []app.AssumptionIn{}
	for _, u := range order {
		out = append(out, *by[u])
	}
	return out
}

// POST /plan/costs?unit=&set=&as_of=&year= — the cost table's file (multipart "file").
func (s *Server) planCostsForm(w http.ResponseWriter, r *http.Request) {
	u := s.formUser(w, r)
	if u == nil {
		return
	}
	back := "/plan?" + r.URL.RawQuery
	q := r.URL.Query()
	day, err := parseDay(q.Get("as_of"))
	if q.Get("as_of") == "" {
		day, err = units.Today(), nil
	}
	unit := strings.TrimSpace(q.Get("unit"))
	var set *criteria.Set
	if err == nil {
		set, err = s.planScope(r, u, unit, day)
	}
	if err == nil {
		err = s.allow(r, u, auth.ManageTargets, unit, day)
	}
	if err != nil {
		s.errorPage(w, r, http.StatusForbidden, "plan.error.forbidden")
		return
	}
	year, _ := planYear(q.Get("year"), day)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		http.Redirect(w, r, back+"&error="+url.QueryEscape(i18n.T(pageLang(r), "plan.costs.no_file")), http.StatusSeeOther)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxResourceImport))
	if err == nil {
		_, err = app.ImportPlanCosts(r.Context(), s.db, u.Username, set, unit, year, hdr.Filename, data)
	}
	_, probs, isFile := resources.ImportFile(err)
	switch {
	case isFile:
		var msgs []string
		for _, p := range probs {
			msgs = append(msgs, p.Text(pageLang(r)))
		}
		http.Redirect(w, r, back+"&error="+url.QueryEscape(strings.Join(msgs, "; ")), http.StatusSeeOther)
	case err != nil:
		s.internalError(w, r, err)
	default:
		http.Redirect(w, r, back+"&done=costs", http.StatusSeeOther)
	}
}

func (s *Server) planView(w http.ResponseWriter, r *http.Request, assumptions []app.AssumptionIn, op string) {
	p, ok := s.startDated(w, r, "plan.title", "plan")
	if !ok || s.archiveIfHomeGone(w, r, p) {
		return
	}
	u := p.User.user
	q := r.URL.Query()
	d := planPageData{Unit: strings.TrimSpace(q.Get("unit"))}
	asked := d.Unit
	root, err := s.rootFor(r, u, d.Unit, p.AsOf)
	var cset *criteria.Set
	if err == nil {
		d.Unit = root
		cset, err = s.planScope(r, u, root, p.AsOf)
	}
	if err == nil && root != "" {
		_, err = s.db.Unit(r.Context(), root, p.AsOf)
	}
	if err != nil {
		switch {
		case isForbidden(err):
			s.errorPage(w, r, http.StatusForbidden, "plan.error.forbidden")
		case isInvalid(err):
			s.errorPage(w, r, http.StatusBadRequest, "plan.error.page", invalidMessage(err))
		case errors.Is(err, store.ErrNotFound):
			s.errorPage(w, r, http.StatusNotFound, "plan.error.unit", asked)
		default:
			s.internalError(w, r, err)
		}
		return
	}
	d.Set = cset.ID
	if cur, err := s.currentCriteria(r.Context()); err == nil {
		for _, x := range cur.Sets() {
			if x.Level == cset.Level && x.InForce(p.AsOf) || x.ID == cset.ID {
				d.Sets = append(d.Sets, setOption{x.ID, x.Title})
			}
		}
	}
	if d.Gaps, err = app.Gaps(r.Context(), s.db, cset, root, p.AsOf, false); err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Shown = min(len(d.Gaps.Units), planShown)
	if d.Warnings, err = app.Warnings(r.Context(), s.db, cset, root, p.AsOf, false); err != nil {
		s.internalError(w, r, err)
		return
	}
	if root != "" {
		if err := s.planExtras(r, u, &d, cset, root, p.AsOf, assumptions, op); err != nil {
			if !fault.Is(err, fault.InvalidValue) {
				s.internalError(w, r, err)
				return
			}
			d.Error = invalidMessage(err)
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "plan", p)
}

// planExtras adds what needs a unit: costs, the proposal, the what-if form and its
// projection, and the saved scenarios beside what happened.
func (s *Server) planExtras(r *http.Request, u *auth.User, d *planPageData, set *criteria.Set, root string, day units.Date,
	assumptions []app.AssumptionIn, op string) error {
	ctx := r.Context()
	q := r.URL.Query()
	var err error
	if d.Year, err = planYear(q.Get("year"), day); err != nil {
		d.Year, _ = planYear("", day)
	}
	d.Query = url.Values{"unit": {root}, "set": {set.ID}, "as_of": {string(day)}, "year": {strconv.Itoa(d.Year)}}.Encode()
	d.CostsURL, d.WhatIfURL = template.URL("/plan/costs?"+d.Query), template.URL("/plan?"+d.Query)
	d.CanManage = s.allow(r, u, auth.ManageTargets, root, day) == nil
	switch q.Get("done") {
	case "costs":
		d.Flash = i18n.T(pageLang(r), "plan.costs.done")
	case "saved":
		d.Flash = i18n.T(pageLang(r), "plan.scenario.done")
	}
	if e := q.Get("error"); e != "" {
		d.Error = e
	}
	if d.CostsFrom, d.Costs, err = app.PlanCostTable(ctx, s.db, set, root, d.Year, day); err != nil {
		return err
	}
	d.Count = q.Get("count")
	count, _ := strconv.Atoi(d.Count)
	if count > 0 || len(d.Costs) > 0 {
		prop, err := app.Propose(ctx, s.db, set, root, d.Year, max(count, 0), day)
		switch {
		case fault.Is(err, fault.InvalidValue) && count == 0:
			// No count and no target: the proposal waits for one.
		case err != nil:
			return err
		default:
			d.Proposal = &prop
			d.Works = prop.Works
		}
	}
	d.WhatIf = d.Gaps.Units[:min(len(d.Gaps.Units), whatIfShown)]
	if assumptions != nil {
		proj, err := app.Project(ctx, s.db, set, root, d.Year, day, assumptions)
		if err != nil {
			return err
		}
		d.Projection = &proj
		if name := strings.TrimSpace(r.PostForm.Get("name")); op == "save" && name != "" && d.CanManage {
			b := projectionBody{Unit: root, Name: name}
			sc := scenarioOf(b, proj, set)
			_, err := s.db.CreateScenario(ctx, u.Username, sc)
			if id, ok := store.ExistingID(err); ok {
				cur, e2 := s.db.Scenario(ctx, id)
				if e2 != nil {
					return e2
				}
				_, err = s.db.SaveScenario(ctx, u.Username, id, cur.Version, sc.Assumptions, sc.Projected)
			}
			if err != nil {
				return err
			}
			d.Flash = i18n.T(pageLang(r), "plan.scenario.done")
		}
	}
	scs, err := s.db.Scenarios(ctx, root, d.Year)
	if err != nil {
		return err
	}
	for _, sc := range scs {
		c, err := app.CompareScenario(ctx, s.db, set, sc, day)
		if err != nil {
			continue // a scenario of another set, or one that no longer reads: listed by the API
		}
		d.Scenarios = append(d.Scenarios, c)
	}
	return nil
}

// PlanMoney writes an amount in triệu đồng ("1.576", "12,5").
func (p *page) PlanMoney(x float64) string { return numfmt.Trim(x, 3, p.Lang) }

// PlanNum writes a figure of the plan ("5", "11,78").
func (p *page) PlanNum(x float64) string { return numfmt.Trim(x, 2, p.Lang) }

// PlanValue writes a value or threshold in the page's language.
func (p *page) PlanValue(v criteria.Value) string { return v.Text(p.Lang) }

// PlanInts writes criterion numbers: "1, 2".
func (p *page) PlanInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// PlanJoin writes codes: "2.1, 3.1".
func (p *page) PlanJoin(ss []string) string { return strings.Join(ss, ", ") }

// ExpectedValue is the value the what-if form was sent for a commune's indicator.
func (d planPageData) ExpectedValue(unit, code string) string {
	if d.Projection != nil {
		for _, a := range d.Projection.Assumptions {
			if a.Unit == unit {
				return a.Values[code]
			}
		}
	}
	return ""
}

// ExpectedCriterion says whether the what-if form was sent with a criterion expected met.
func (d planPageData) ExpectedCriterion(unit string, n int) bool {
	if d.Projection != nil {
		for _, a := range d.Projection.Assumptions {
			if a.Unit == unit && slices.Contains(a.Criteria, n) {
				return true
			}
		}
	}
	return false
}

// YearText writes the plan's year as a year ("2026", never "2.026").
func (d planPageData) YearText() string { return strconv.Itoa(d.Year) }
