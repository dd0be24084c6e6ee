package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

func (s *Server) targetRoutes() {
	s.mux.HandleFunc("GET /api/v1/targets", s.authed(s.listTargets))
	s.mux.HandleFunc("POST /api/v1/targets", s.authed(s.putTarget))
	s.mux.HandleFunc("DELETE /api/v1/targets/{id}", s.authed(s.deleteTarget))
}

// yearDay is the day a target's unit is checked on: the first day of the year, or the day
// the unit began if later.
func yearDay(year int, from units.Date) units.Date {
	d := units.Date(fmt.Sprintf("%04d-01-01", year))
	if from > d {
		return from
	}
	return d
}

// GET /api/v1/targets?unit=CODE&year=YYYY&as_of=DATE — targets with actual and on_track.
func (s *Server) listTargets(w http.ResponseWriter, r *http.Request, u *auth.User) {
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.TargetFilter{UnitCode: q.Get("unit")}
	if v := q.Get("year"); v != "" {
		if f.Year, err = strconv.Atoi(v); err != nil {
			s.fail(w, r, badField("year", "year must be a year such as 2026"))
			return
		}
	}
	if f.UnitCode != "" {
		if err := s.allow(r, u, auth.Read, f.UnitCode, day); err != nil {
			s.fail(w, r, err)
			return
		}
	} else if u.Role.Reach(auth.Read) != auth.Everywhere {
		f.UnitCode = u.UnitCode
	}
	ts, err := s.db.Targets(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Keep the targets of units the user may read (each unit as it was in its year).
	var visible []store.Target
	for _, t := range ts {
		if s.allow(r, u, auth.Read, t.UnitCode, yearDay(t.Year, t.UnitFrom)) == nil {
			visible = append(visible, t)
		}
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := app.Targets(r.Context(), s.db, cat, visible, day, requestLang(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"as_of": day, "targets": out, "count": len(out)})
}

// POST /api/v1/targets {"unit", "year", "metric", "set", "value", "direction", "baseline", "note"}
func (s *Server) putTarget(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var t store.Target
	var body struct {
		Unit      string  `json:"unit"`
		Year      int     `json:"year"`
		Metric    string  `json:"metric"`
		Set       string  `json:"set"`
		Value     float64 `json:"value"`
		Direction string  `json:"direction"`
		Baseline  float64 `json:"baseline"`
		Note      string  `json:"note"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Year < 2000 || body.Year > 2100 {
		s.fail(w, r, badField("year", "year must be a year such as 2026"))
		return
	}
	if body.Direction != "" && body.Direction != "at_least" && body.Direction != "at_most" {
		s.fail(w, r, badField("direction", "direction is at_least or at_most"))
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := app.CheckMetric(r.Context(), cat, body.Metric, body.Set); err != nil {
		s.fail(w, r, badField("metric", err.Error()))
		return
	}
	t = store.Target{UnitCode: body.Unit, Year: body.Year, Metric: body.Metric, SetID: body.Set, Value: body.Value,
		Direction: body.Direction, Baseline: body.Baseline, Note: body.Note}
	// The unit as it is during the year; check the right on it before storing.
	day := units.Date(fmt.Sprintf("%04d-12-31", body.Year))
	unit, err := s.db.Unit(r.Context(), body.Unit, day)
	if errors.Is(err, store.ErrNotFound) {
		unit, err = s.db.Unit(r.Context(), body.Unit, units.Date(fmt.Sprintf("%04d-01-01", body.Year)))
	}
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, &fault.Error{Code: fault.NotFound, Text: fmt.Sprintf("không có đơn vị %s năm %d (no unit %s in %d)", body.Unit, body.Year, body.Unit, body.Year), Field: "unit"})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.allow(r, u, auth.ManageTargets, unit.Code, yearDay(body.Year, unit.ValidFrom)); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err = s.db.PutTarget(r.Context(), u.Username, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// DELETE /api/v1/targets/{id}
func (s *Server) deleteTarget(w http.ResponseWriter, r *http.Request, u *auth.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.db.Target(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.allow(r, u, auth.ManageTargets, t.UnitCode, yearDay(t.Year, t.UnitFrom)); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.db.DeleteTarget(r.Context(), u.Username, id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
