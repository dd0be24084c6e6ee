package web

import (
	"net/http"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The aggregate registers' API (issue 13.8): models entered as counts per unit, kind and year,
// and a unit's own socio-economic figures. Each is an apiRegister; a POST replaces the unit's
// entry of the same key (200).

func init() {
	unit := APIParam{Name: "unit", Description: "unit code; default the user's home unit (the country for national roles)"}
	day := APIParam{Name: "as_of", Description: "the day the hierarchy is taken on, YYYY-MM-DD (default today)"}
	documentAPI(map[string]APIDoc{
		"GET /api/v1/model-tallies":           {Summary: "Models entered as counts (per unit, kind and year) below a unit", Params: []APIParam{unit, {Name: "kind", Description: "a kind of model"}, {Name: "to", Description: "of this year or before"}, day}, Returns: "{tallies, count}"},
		"POST /api/v1/model-tallies":          {Summary: "Enter models as counts for a unit, a kind and a year (replaces that year's count)", Body: `{"kind", "unit", "year", "new", "cumulative", "of": total a share is counted against (0: the villages in the unit list), "note"}`},
		"GET /api/v1/model-tallies/{id}":      {Summary: "One count of models"},
		"PUT /api/v1/model-tallies/{id}":      {Summary: "Change a count of models", Body: "as POST /api/v1/model-tallies"},
		"DELETE /api/v1/model-tallies/{id}":   {Summary: "Delete a count of models"},
		"GET /api/v1/unit-indicators":         {Summary: "A unit's own socio-economic figures (income per person, poverty rate…), of the unit itself or of every unit below it", Params: []APIParam{unit, {Name: "year", Description: "a year such as 2025"}, {Name: "code", Description: "the figure's code (thu-nhap)"}, {Name: "below", Description: "1: also the units below"}, day}, Returns: "{indicators, count}"},
		"POST /api/v1/unit-indicators":        {Summary: "Enter a unit's own figure for a year (replaces the figure of that code and year)", Body: `{"unit", "year", "code", "name", "measure", "value", "note"}`},
		"GET /api/v1/unit-indicators/{id}":    {Summary: "One figure of a unit"},
		"PUT /api/v1/unit-indicators/{id}":    {Summary: "Change a figure of a unit", Body: "as POST /api/v1/unit-indicators"},
		"DELETE /api/v1/unit-indicators/{id}": {Summary: "Delete a figure of a unit"},
	})
}

func (s *Server) talliesRoutes() {
	tallyAPI.routes(s)
	unitIndicatorAPI.routes(s)
}

var (
	tallyAPI = &apiRegister[resources.ModelTally, resources.ModelTallyEntry]{path: "/api/v1/model-tallies", created: http.StatusOK,
		list: (*Server).listTallies, save: (*Server).saveTally, one: (*store.DB).ModelTally, remove: (*store.DB).DeleteModelTally, del: auth.Enter,
		unit: tallyUnit}
	unitIndicatorAPI = &apiRegister[resources.UnitIndicator, resources.UnitIndicatorEntry]{path: "/api/v1/unit-indicators", created: http.StatusOK,
		list: (*Server).listUnitIndicators, save: (*Server).saveUnitIndicator, one: (*store.DB).UnitIndicator, remove: (*store.DB).DeleteUnitIndicator, del: auth.Enter,
		unit: indicatorUnit}
)

// The unit a count or a figure is about, and the day that names it in its year.
func tallyUnit(t resources.ModelTallyEntry) (string, units.Date) {
	return t.UnitCode, store.YearDay(t.Year, t.UnitFrom)
}
func indicatorUnit(x resources.UnitIndicatorEntry) (string, units.Date) {
	return x.UnitCode, store.YearDay(x.Year, x.UnitFrom)
}

// GET /api/v1/model-tallies?unit=&kind=&to=&as_of=
func (s *Server) listTallies(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day := q.asOf()
	root := q.root(day)
	to := q.int("to", 0)
	if q.err != nil {
		return nil, q.err
	}
	list, err := s.db.ListModelTallies(r.Context(), store.TallyFilter{AsOfScope: store.AsOfScope{Root: root, AsOf: day}, Kind: r.URL.Query().Get("kind"), ToYear: to})
	return listed(root, day, "tallies", list), err
}

// saveTally checks a count of models and the user's right to enter it, and stores it.
func (s *Server) saveTally(r *http.Request, u *auth.User, id int64, t resources.ModelTally) (resources.ModelTallyEntry, error) {
	if err := resources.MustShipped().CheckTally(t); err != nil {
		return resources.ModelTallyEntry{}, err
	}
	if id != 0 {
		if _, err := replaced(s, r, u, id, (*store.DB).ModelTally, tallyUnit); err != nil {
			return resources.ModelTallyEntry{}, err
		}
	}
	if err := s.allowEnterIn(r, u, t.UnitCode, t.Year); err != nil {
		return resources.ModelTallyEntry{}, err
	}
	return s.db.SaveModelTally(r.Context(), u.Username, id, t)
}

// GET /api/v1/unit-indicators?unit=&year=&code=&below=&as_of=
func (s *Server) listUnitIndicators(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day := q.asOf()
	root := q.root(day)
	year := q.int("year", 0)
	if q.err != nil {
		return nil, q.err
	}
	list, err := s.db.ListUnitIndicators(r.Context(), store.UnitIndicatorFilter{AsOfScope: store.AsOfScope{Root: root, AsOf: day}, Year: year,
		Code: r.URL.Query().Get("code"), OnlyUnit: root != "" && r.URL.Query().Get("below") != "1"})
	return listed(root, day, "indicators", list), err
}

// saveUnitIndicator checks a unit's figure and the user's right to enter it, and stores it.
func (s *Server) saveUnitIndicator(r *http.Request, u *auth.User, id int64, x resources.UnitIndicator) (resources.UnitIndicatorEntry, error) {
	if err := resources.CheckUnitIndicator(x); err != nil {
		return resources.UnitIndicatorEntry{}, err
	}
	if id != 0 {
		if _, err := replaced(s, r, u, id, (*store.DB).UnitIndicator, indicatorUnit); err != nil {
			return resources.UnitIndicatorEntry{}, err
		}
	}
	if err := s.allowEnterIn(r, u, x.UnitCode, x.Year); err != nil {
		return resources.UnitIndicatorEntry{}, err
	}
	return s.db.SaveUnitIndicator(r.Context(), u.Username, id, x)
}
