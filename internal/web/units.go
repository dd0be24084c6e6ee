package web

import (
	"context"
	"net/http"
	"strconv"

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
func (s *Server) listUnits(w http.ResponseWriter, r *http.Request) {
	if s.signedIn(w, r) == nil {
		return
	}
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	parent := q.Get("parent")
	level := units.Level(q.Get("level"))
	if level != "" && !units.ValidLevel(level) {
		s.fail(w, r, badField("level", "level must be province, district, commune or village"))
		return
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			s.fail(w, r, badField("limit", "limit must be a positive whole number"))
			return
		}
	}
	if parent != "" {
		if _, err := s.db.Unit(r.Context(), parent, day); err != nil {
			if err == store.ErrNotFound {
				s.fail(w, r, &fault.Error{Code: fault.NotFound, Text: "no unit " + parent + " on " + string(day), Field: "parent"})
				return
			}
			s.fail(w, r, err)
			return
		}
	}
	var list []units.Unit
	if text := q.Get("q"); text != "" || level != "" {
		list, err = s.db.SearchUnits(r.Context(), store.UnitQuery{AsOf: day, Text: text, Within: parent, Level: level, Limit: limit})
	} else {
		list, err = s.db.Children(r.Context(), parent, day)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []units.Unit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"as_of": day, "units": list})
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
func (s *Server) getUnit(w http.ResponseWriter, r *http.Request) {
	if s.signedIn(w, r) == nil {
		return
	}
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	ctx := r.Context()
	u, err := s.db.Unit(ctx, code, day)
	if err == store.ErrNotFound {
		s.fail(w, r, &fault.Error{Code: fault.NotFound, Text: "no unit " + code + " on " + string(day), Field: "code"})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := unitDetail{Unit: u, AsOf: day}
	if d.Ancestors, err = s.db.Ancestors(ctx, code, day); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(d.Ancestors) > 0 {
		d.Parent = &d.Ancestors[0]
	}
	if d.Ancestors == nil {
		d.Ancestors = []units.Unit{}
	}
	if reg, ok := units.LookupRegion(u.Region); ok {
		d.RegionName = reg.NameVI
	}
	if d.Successors, err = s.db.NextLinks(ctx, u); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Predecessors, err = s.db.PrevLinks(ctx, u); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Successors == nil {
		d.Successors = []store.Link{}
	}
	if d.Predecessors == nil {
		d.Predecessors = []store.Link{}
	}
	writeJSON(w, http.StatusOK, d)
}

// unitLinks serves the lineage of a unit: GET /api/v1/units/{code}/successors?as_of=DATE
// (what became of a unit that no longer exists on as_of; key "successors") and
// …/predecessors (the units a unit was formed from; key "predecessors"). missing says, for a
// 404, which unit was looked for.
func (s *Server) unitLinks(key, missing string, find func(ctx context.Context, code string, day units.Date) (units.Unit, []store.Link, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.signedIn(w, r) == nil {
			return
		}
		day, err := asOf(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		code := r.PathValue("code")
		u, links, err := find(r.Context(), code, day)
		if err == store.ErrNotFound {
			s.fail(w, r, &fault.Error{Code: fault.NotFound, Text: "no unit " + code + " " + missing + " " + string(day), Field: "code"})
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if links == nil {
			links = []store.Link{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"as_of": day, "unit": u, key: links})
	}
}
