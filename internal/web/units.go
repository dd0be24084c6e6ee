package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The units endpoints need a signed-in user, of any role, and are not limited to the user's
// scope: units are public reference data (the statistics office's lists), and officers look
// up neighbouring and former units all the time. What is scoped is the data about a unit.

// GET /api/v1/units?parent=CODE&as_of=DATE&q=TEXT&level=LEVEL&limit=N
//
// With q, a search (below parent when given); without, the children of parent (or the
// provinces).
func (s *Server) listUnits(r *http.Request, _ *auth.User) (any, error) {
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	parent := q.Get("parent")
	level := units.Level(q.Get("level"))
	if level != "" && !units.ValidLevel(level) {
		return nil, badField("level", "level must be province, district, commune or village")
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return nil, badField("limit", "limit must be a positive whole number")
		}
	}
	if parent != "" {
		if _, err := s.db.Unit(r.Context(), parent, day); err != nil {
			return nil, noUnitAt(err, "parent", parent, "on", day)
		}
	}
	var list []units.Unit
	if text := q.Get("q"); text != "" || level != "" {
		list, err = s.db.SearchUnits(r.Context(), store.UnitQuery{AsOf: day, Text: text, Within: parent, Level: level, Limit: limit})
	} else {
		list, err = s.db.Children(r.Context(), parent, day)
	}
	if list == nil {
		list = []units.Unit{}
	}
	return map[string]any{"as_of": day, "units": list}, err
}

// unitDetail is a unit with its place in the hierarchy and its lineage.
type unitDetail struct {
	units.Unit
	AsOf         units.Date   `json:"as_of"`
	Parent       *units.Unit  `json:"parent,omitempty"`
	Ancestors    []units.Unit `json:"ancestors"`
	RegionName   string       `json:"region_name,omitempty"`
	Successors   []store.Link `json:"successors"`
	Predecessors []store.Link `json:"predecessors"`
}

// GET /api/v1/units/{code}?as_of=DATE
func (s *Server) getUnit(r *http.Request, _ *auth.User) (any, error) {
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	code := r.PathValue("code")
	ctx := r.Context()
	u, err := s.db.Unit(ctx, code, day)
	if err != nil {
		return nil, noUnitAt(err, "code", code, "on", day)
	}
	d := unitDetail{Unit: u, AsOf: day}
	if d.Ancestors, err = s.db.Ancestors(ctx, code, day); err != nil {
		return nil, err
	}
	if len(d.Ancestors) > 0 {
		d.Parent = &d.Ancestors[0]
	}
	if reg, ok := units.LookupRegion(u.Region); ok {
		d.RegionName = reg.NameVI
	}
	d.Successors, err = s.db.NextLinks(ctx, u)
	if err == nil {
		d.Predecessors, err = s.db.PrevLinks(ctx, u)
	}
	d.Ancestors, d.Successors, d.Predecessors = nonNil(d.Ancestors), nonNil(d.Successors), nonNil(d.Predecessors)
	return d, err
}

// unitLinks serves the lineage of a unit: GET /api/v1/units/{code}/successors?as_of=DATE
// (what became of a unit that no longer exists on as_of; key "successors") and
// …/predecessors (the units a unit was formed from; key "predecessors"). missing says, for a
// 404, which unit was looked for.
func (s *Server) unitLinks(key, missing string, find func(ctx context.Context, code string, day units.Date) (units.Unit, []store.Link, error)) apiFunc {
	return func(r *http.Request, _ *auth.User) (any, error) {
		day, err := asOf(r)
		if err != nil {
			return nil, err
		}
		code := r.PathValue("code")
		u, links, err := find(r.Context(), code, day)
		if err != nil {
			return nil, noUnitAt(err, "code", code, missing, day)
		}
		return map[string]any{"as_of": day, "unit": u, key: nonNil(links)}, nil
	}
}

// noUnitAt is err, or when it is store.ErrNotFound, a 404 naming the unit code looked for
// (field) and the day ("no unit X on D").
func noUnitAt(err error, field, code, how string, day units.Date) error {
	if err == store.ErrNotFound {
		return &fault.Error{Code: fault.NotFound, Text: "no unit " + code + " " + how + " " + string(day), Field: field}
	}
	return err
}

// nonNil is list, or an empty one, for JSON's [] rather than null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
