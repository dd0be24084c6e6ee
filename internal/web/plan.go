package web

import (
	"net/http"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// The plan to the standard (issue 19): the gap of every commune below a unit, closest first,
// the early warning of recognised communes, the cost tables and the cheapest proposal, and
// what-if scenarios. Figures come from internal/app (plan.go); these handlers translate.

func init() {
	unit := APIParam{Name: "unit", Description: "unit code; none: the whole country (roles that read everywhere)"}
	set := APIParam{Name: "set", Description: "criteria set id; none: the commune NTM set in force on as_of"}
	asOf := APIParam{Name: "as_of", Description: "date YYYY-MM-DD (default today): each commune's latest assessment ending by then"}
	approved := APIParam{Name: "approved_only", Description: "1: count approved assessments only"}
	documentAPI(map[string]APIDoc{
		"GET /api/v1/plan": {Summary: "The gap of every commune below a unit that does not meet the set, closest first (fewest criteria missing, then fewest indicators, then the smallest normalised gap): the criteria it misses and, for each, the failing indicators with value, the threshold that applies to the commune and the gap in the indicator's measure. Communes whose gaps are only missing values are listed apart (incomplete). A unit with no assessments gets an empty plan that says so.",
			Params:  []APIParam{unit, set, asOf, approved},
			Returns: `{unit, name, set, as_of, communes, assessed, met, units: [{code, name, criteria_missing, indicators_missing, missing: [{criterion, indicators: [{code, value, threshold, op, gap, missing, text}]}]}], incomplete, not_assessed, empty, message}`},
		"GET /api/v1/plan/warnings": {Summary: "Early warning: recognised communes whose latest values sit within a margin of a threshold (data/plan/margins.yaml; default 5 % of the threshold), whose dynamic indicators went down since the assessment before, or that no longer meet an indicator — before they fall under the revocation rule.",
			Params:  []APIParam{unit, set, asOf, approved},
			Returns: "{unit, name, set, as_of, margins, checked, warnings: [{code, name, period, criteria_met, failing, risks: [{code, reason (near|declined|failing), value, previous, threshold, text}]}]}"},
	})
}

// planQuery reads unit, set and as_of as GET /api/v1/progress reads them (a bad date or set
// is 400 naming the field; a unit the user may not read, 403; an unknown one, 404).
func (s *Server) planQuery(r *http.Request, u *auth.User) (string, *criteria.Set, units.Date, error) {
	day, err := asOf(r)
	if err != nil {
		return "", nil, "", err
	}
	unit := strings.TrimSpace(r.URL.Query().Get("unit"))
	set, err := s.planScope(r, u, unit, day)
	return unit, set, day, err
}

// planScope checks that u may read unit and picks the set (the query's set) for a plan, or
// the progress, on day.
func (s *Server) planScope(r *http.Request, u *auth.User, unit string, day units.Date) (*criteria.Set, error) {
	q := r.URL.Query()
	if err := s.allow(r, u, auth.Read, unit, day); err != nil {
		return nil, err
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		return nil, err
	}
	set, err := app.PickSet(r.Context(), cat, q.Get("set"), day)
	if fault.Is(err, fault.InvalidValue) || err != nil && q.Get("set") != "" {
		return nil, badField("set", err.Error())
	}
	return set, err
}

func planApproved(r *http.Request) bool {
	v := r.URL.Query().Get("approved_only")
	return v == "1" || v == "true"
}

// GET /api/v1/plan?unit=&set=&as_of=&approved_only=1
func (s *Server) getPlan(r *http.Request, u *auth.User) (any, error) {
	unit, set, day, err := s.planQuery(r, u)
	if err != nil {
		return nil, err
	}
	return app.Gaps(r.Context(), s.db, set, unit, day, planApproved(r))
}

// GET /api/v1/plan/warnings?unit=&set=&as_of=&approved_only=1
func (s *Server) getPlanWarnings(r *http.Request, u *auth.User) (any, error) {
	unit, set, day, err := s.planQuery(r, u)
	if err != nil {
		return nil, err
	}
	return app.Warnings(r.Context(), s.db, set, unit, day, planApproved(r))
}
