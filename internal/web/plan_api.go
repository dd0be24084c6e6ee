package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The plan's costs, proposal, what-if and scenarios (issue 19, points 2 and 3).

func init() {
	unit := APIParam{Name: "unit", Description: "unit code (required)"}
	year := APIParam{Name: "year", Description: "the plan's year (default: the year of as_of)"}
	set := APIParam{Name: "set", Description: "criteria set id; none: the commune NTM set in force on as_of"}
	asOf := APIParam{Name: "as_of", Description: "date YYYY-MM-DD (default today): the latest assessments ending by then"}
	assumption := "{unit, values?: {code: text}, works?: [work id], criteria?: [number]}"
	documentAPI(map[string]APIDoc{
		"GET /api/v1/plan/costs": {Summary: "The cost table (đơn giá, triệu đồng per unit of each indicator's gap) that prices a unit's communes for a year: the unit's own or the nearest above it.",
			Params: []APIParam{unit, year, set}, Returns: "{unit, year, set, costs_from, costs: [{code, per_unit, note}]}"},
		"POST /api/v1/plan/costs": {Summary: "Import a cost table for a unit, year and set (manage_targets on the unit): the XLSX or CSV file as the body, columns Mã chỉ tiêu, Đơn giá (triệu đồng), Ghi chú. Refused whole (422 with problems by row and column) for an unknown indicator, a negative or unreadable cost, a code given twice.",
			Params: []APIParam{unit, year, set, {Name: "filename"}}, Body: "the .xlsx or .csv file", Returns: "{unit, year, set, costs}; 422 {problems: [{line, column, message}]}"},
		"GET /api/v1/plan/proposal": {Summary: "The communes whose remaining gaps cost least for a target of more communes meeting the set (count, or the unit's units_met target for the year), with the cost per commune and the criteria it needs, planned works counted against their criterion, and the year's targets against the projected figures.",
			Params:  []APIParam{unit, set, year, asOf, {Name: "count", Description: "communes wanted; none: from the units_met target"}},
			Returns: "{unit, set, year, costs_from, prices, works, asked, chosen: [{code, name, cost, works, remaining, criteria}], total, short, unpriced, now, projected, targets}"},
		"POST /api/v1/plan/projection": {Summary: "What-if: the communes' verdicts and the unit's figures (communes meeting, average criteria, distribution) under assumptions — expected values, planned works done, criteria met. Nothing is stored.",
			Body: "{unit, set?, year?, as_of?, assumptions: [" + assumption + "]}", Returns: "{now, projected, changes: [{code, criteria_from, criteria_to, met_from, met_to, failing}], targets}; 422 naming a bad value, work or criterion"},
		"GET /api/v1/plan/scenarios": {Summary: "The saved scenarios (named plans) of a unit for a year.", Params: []APIParam{unit, {Name: "year", Description: "0 or none: every year"}, asOf},
			Returns: "{scenarios: [{id, unit, year, set, name, version, assumptions, projected}]}"},
		"POST /api/v1/plan/scenarios": {Summary: "Save a what-if as a named scenario of a unit for a year (manage_targets), version 1; its projection is computed and kept with it.",
			Body: "{unit, set?, year, name, as_of?, assumptions: [" + assumption + "]}", Returns: "201 with the scenario; 409 if the name is taken for the unit and year"},
		"GET /api/v1/plan/scenarios/{id}": {Summary: "A scenario with every saved version.", Returns: "{scenario, versions: [{version, assumptions, projected, saved_by, saved_at}]}"},
		"PUT /api/v1/plan/scenarios/{id}": {Summary: "Save new assumptions as the next version; needs If-Match with the version it is based on (409 with the current one when stale).",
			Body: "{assumptions: [...], as_of?, version? (instead of If-Match)}", Returns: "the scenario"},
		"GET /api/v1/plan/scenarios/{id}/compare": {Summary: "A scenario beside what happened: the figures it projected and those of the latest assessments as of a day, commune by commune, and the year's targets.",
			Params: []APIParam{asOf}, Returns: "{scenario, as_of, projected, actual, communes: [{code, expected_met, met}], targets}"},
	})
}

// planYear reads year (default: the year of day).
func planYear(v string, day units.Date) (int, error) {
	if v == "" {
		return strconv.Atoi(string(day)[:4])
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, badField("year", fmt.Sprintf("năm %q không hợp lệ (year must be 2000-2100)", v))
	}
	return y, nil
}

// planUnitYear reads unit (required), year, set and as_of of a costs or proposal request and
// checks action on the unit.
func (s *Server) planUnitYear(r *http.Request, u *auth.User, action auth.Action) (string, int, *criteria.Set, units.Date, error) {
	day, err := asOf(r)
	if err != nil {
		return "", 0, nil, "", err
	}
	q := r.URL.Query()
	unit := strings.TrimSpace(q.Get("unit"))
	if unit == "" {
		return "", 0, nil, "", badField("unit", "cần mã đơn vị (unit is required)")
	}
	year, err := planYear(q.Get("year"), day)
	if err != nil {
		return "", 0, nil, "", err
	}
	set, err := s.planScope(r, u, unit, day)
	if err != nil {
		return "", 0, nil, "", err
	}
	if action != auth.Read {
		if err := s.allow(r, u, action, unit, day); err != nil {
			return "", 0, nil, "", err
		}
	}
	if _, err := s.db.Unit(r.Context(), unit, day); err != nil {
		return "", 0, nil, "", err
	}
	return unit, year, set, day, nil
}

// GET /api/v1/plan/costs?unit=&year=&set=
func (s *Server) getPlanCosts(r *http.Request, u *auth.User) (any, error) {
	unit, year, set, day, err := s.planUnitYear(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	from, rows, err := app.PlanCostTable(r.Context(), s.db, set, unit, year, day)
	return map[string]any{"unit": unit, "year": year, "set": set.ID, "costs_from": from, "costs": rows}, err
}

// POST /api/v1/plan/costs?unit=&year=&set=&filename= with the file as the body.
func (s *Server) importPlanCosts(r *http.Request, u *auth.User) (any, error) {
	unit, year, set, _, err := s.planUnitYear(r, u, auth.ManageTargets)
	if err != nil {
		return nil, err
	}
	data, err := readFileBody(r, maxResourceImport, "gửi tệp XLSX hoặc CSV trong nội dung yêu cầu (send the XLSX or CSV file as the request body)")
	if err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "don-gia.csv"
	}
	rows, err := app.ImportPlanCosts(r.Context(), s.db, u.Username, set, unit, year, name, data)
	return map[string]any{"unit": unit, "year": year, "set": set.ID, "costs": rows}, err
}

// GET /api/v1/plan/proposal?unit=&set=&year=&count=&as_of=
func (s *Server) getPlanProposal(r *http.Request, u *auth.User) (any, error) {
	unit, year, set, day, err := s.planUnitYear(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	count := 0
	if v := r.URL.Query().Get("count"); v != "" {
		if count, err = strconv.Atoi(v); err != nil || count < 1 {
			return nil, badField("count", fmt.Sprintf("số xã %q không hợp lệ (count must be a whole number from 1)", v))
		}
	}
	return app.Propose(r.Context(), s.db, set, unit, year, count, day)
}

// projectionBody is a what-if request, and a scenario to save.
type projectionBody struct {
	Unit        string             `json:"unit"`
	Set         string             `json:"set"`
	Year        int                `json:"year"`
	AsOf        string             `json:"as_of"`
	Name        string             `json:"name"`
	Version     int                `json:"version"` // PUT: the version saved upon (or If-Match)
	Assumptions []app.AssumptionIn `json:"assumptions"`
}

// project checks the body (unit, set, year, day; action on the unit) and projects it.
func (s *Server) project(r *http.Request, u *auth.User, b projectionBody, action auth.Action) (app.PlanProjection, *criteria.Set, error) {
	day := units.Today()
	if b.AsOf != "" {
		d, err := units.ReadDate(b.AsOf)
		if err != nil {
			return app.PlanProjection{}, nil, badField("as_of", "as_of: "+err.Error())
		}
		day = d
	}
	if strings.TrimSpace(b.Unit) == "" {
		return app.PlanProjection{}, nil, badField("unit", "cần mã đơn vị (unit is required)")
	}
	if b.Year == 0 {
		b.Year, _ = strconv.Atoi(string(day)[:4])
	}
	if err := s.allow(r, u, action, b.Unit, day); err != nil {
		return app.PlanProjection{}, nil, err
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		return app.PlanProjection{}, nil, err
	}
	set, err := app.PickSet(r.Context(), cat, b.Set, day)
	if err != nil {
		return app.PlanProjection{}, nil, badField("set", err.Error())
	}
	if _, err := s.db.Unit(r.Context(), b.Unit, day); err != nil {
		return app.PlanProjection{}, nil, err
	}
	p, err := app.Project(r.Context(), s.db, set, b.Unit, b.Year, day, b.Assumptions)
	return p, set, err
}

// POST /api/v1/plan/projection
func (s *Server) postPlanProjection(r *http.Request, u *auth.User) (any, error) {
	var b projectionBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	p, _, err := s.project(r, u, b, auth.Read)
	return p, err
}

// GET /api/v1/plan/scenarios?unit=&year=
func (s *Server) listScenarios(r *http.Request, u *auth.User) (any, error) {
	q := r.URL.Query()
	unit := strings.TrimSpace(q.Get("unit"))
	if unit == "" {
		return nil, badField("unit", "cần mã đơn vị (unit is required)")
	}
	year := 0
	if v := q.Get("year"); v != "" && v != "0" {
		var err error
		if year, err = planYear(v, ""); err != nil {
			return nil, err
		}
	}
	day, err := asOf(r)
	if err == nil {
		err = s.allow(r, u, auth.Read, unit, day)
	}
	if err != nil {
		return nil, err
	}
	list, err := s.db.Scenarios(r.Context(), unit, year)
	return map[string]any{"scenarios": list}, err
}

// POST /api/v1/plan/scenarios
func (s *Server) createScenario(r *http.Request, u *auth.User) (any, error) {
	var b projectionBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	if strings.TrimSpace(b.Name) == "" {
		return nil, badField("name", "cần tên kịch bản (name is required)")
	}
	p, set, err := s.project(r, u, b, auth.ManageTargets)
	if err != nil {
		return nil, err
	}
	return s.db.CreateScenario(r.Context(), u.Username, scenarioOf(b, p, set))
}

func scenarioOf(b projectionBody, p app.PlanProjection, set *criteria.Set) store.Scenario {
	as, _ := json.Marshal(p.Assumptions)
	pr, _ := json.Marshal(p)
	return store.Scenario{UnitCode: strings.TrimSpace(b.Unit), Year: p.Year, SetID: set.ID, Name: strings.TrimSpace(b.Name), Assumptions: as, Projected: pr}
}

// scenarioFor loads scenario {id} and checks action on its unit.
func (s *Server) scenarioFor(r *http.Request, u *auth.User, action auth.Action) (store.Scenario, error) {
	id, err := resID(r, "id")
	if err != nil {
		return store.Scenario{}, err
	}
	sc, err := s.db.Scenario(r.Context(), id)
	if err != nil {
		return store.Scenario{}, err
	}
	// The unit as it was in the scenario's year: on as_of if given, else on the year's last
	// day (or today), else on its first (a unit abolished during the year).
	day := units.Today()
	if end := units.Date(fmt.Sprintf("%04d-12-31", sc.Year)); end < day {
		day = end
	}
	if v := r.URL.Query().Get("as_of"); v != "" {
		if day, err = units.ReadDate(v); err != nil {
			return sc, badField("as_of", "as_of: "+err.Error())
		}
	} else if _, err := s.db.Unit(r.Context(), sc.UnitCode, day); err != nil {
		day = units.Date(fmt.Sprintf("%04d-01-01", sc.Year))
	}
	return sc, s.allow(r, u, action, sc.UnitCode, day)
}

// GET /api/v1/plan/scenarios/{id}
func (s *Server) getScenario(r *http.Request, u *auth.User) (any, error) {
	sc, err := s.scenarioFor(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	vs, err := s.db.ScenarioVersions(r.Context(), sc.ID)
	return tagged{versionTag(sc.Version), map[string]any{"scenario": sc, "versions": vs}}, err
}

// PUT /api/v1/plan/scenarios/{id} with If-Match
func (s *Server) saveScenario(r *http.Request, u *auth.User) (any, error) {
	sc, err := s.scenarioFor(r, u, auth.ManageTargets)
	if err != nil {
		return nil, err
	}
	var b projectionBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	v, err := version(r, b.Version)
	if err != nil {
		return nil, err
	}
	b.Unit, b.Set, b.Year, b.Name = sc.UnitCode, sc.SetID, sc.Year, sc.Name
	p, set, err := s.project(r, u, b, auth.ManageTargets)
	if err != nil {
		return nil, err
	}
	next := scenarioOf(b, p, set)
	out, err := s.db.SaveScenario(r.Context(), u.Username, sc.ID, v, next.Assumptions, next.Projected)
	return tagged{versionTag(out.Version), out}, err
}

// GET /api/v1/plan/scenarios/{id}/compare?as_of=
func (s *Server) compareScenario(r *http.Request, u *auth.User) (any, error) {
	sc, err := s.scenarioFor(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	return withRules(s, r, func(cat *app.Catalog) (any, error) {
		set, err := cat.Get(r.Context(), sc.SetID)
		if err != nil {
			return nil, err
		}
		return app.CompareScenario(r.Context(), s.db, set, sc, day)
	})
}
