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
func (s *Server) listTargets(r *http.Request, u *auth.User) (any, error) {
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	f := store.TargetFilter{UnitCode: q.Get("unit")}
	if v := q.Get("year"); v != "" {
		if f.Year, err = strconv.Atoi(v); err != nil {
			return nil, badField("year", "year must be a year such as 2026")
		}
	}
	if f.UnitCode != "" {
		if err := s.allow(r, u, auth.Read, f.UnitCode, day); err != nil {
			return nil, err
		}
	} else if u.Role.Reach(auth.Read) != auth.Everywhere {
		f.UnitCode = u.UnitCode
	}
	ts, err := s.db.Targets(r.Context(), f)
	if err != nil {
		return nil, err
	}
	// Keep the targets of units the user may read (each unit as it was in its year).
	var visible []store.Target
	for _, t := range ts {
		if s.allow(r, u, auth.Read, t.UnitCode, yearDay(t.Year, t.UnitFrom)) == nil {
			visible = append(visible, t)
		}
	}
	out, err := withRules(s, r, func(cat *app.Catalog) ([]app.TargetStatus, error) {
		return app.Targets(r.Context(), s.db, cat, visible, day, requestLang(r))
	})
	return map[string]any{"as_of": day, "targets": out, "count": len(out)}, err
}

// POST /api/v1/targets {"unit", "year", "metric", "set", "value", "direction", "baseline", "note"}
func (s *Server) putTarget(r *http.Request, u *auth.User) (any, error) {
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
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	if body.Year < 2000 || body.Year > 2100 {
		return nil, badField("year", "year must be a year such as 2026")
	}
	if body.Direction != "" && body.Direction != "at_least" && body.Direction != "at_most" {
		return nil, badField("direction", "direction is at_least or at_most")
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		return nil, err
	}
	if err := app.CheckMetric(r.Context(), cat, body.Metric, body.Set); err != nil {
		return nil, badField("metric", err.Error())
	}
	t := store.Target{UnitCode: body.Unit, Year: body.Year, Metric: body.Metric, SetID: body.Set, Value: body.Value,
		Direction: body.Direction, Baseline: body.Baseline, Note: body.Note}
	// The unit as it is during the year; check the right on it before storing.
	day := units.Date(fmt.Sprintf("%04d-12-31", body.Year))
	unit, err := s.db.Unit(r.Context(), body.Unit, day)
	if errors.Is(err, store.ErrNotFound) {
		unit, err = s.db.Unit(r.Context(), body.Unit, units.Date(fmt.Sprintf("%04d-01-01", body.Year)))
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, &fault.Error{Code: fault.NotFound, Text: fmt.Sprintf("không có đơn vị %s năm %d (no unit %s in %d)", body.Unit, body.Year, body.Unit, body.Year), Field: "unit"}
	}
	if err == nil {
		err = s.allow(r, u, auth.ManageTargets, unit.Code, yearDay(body.Year, unit.ValidFrom))
	}
	if err != nil {
		return nil, err
	}
	return s.db.PutTarget(r.Context(), u.Username, t)
}

// DELETE /api/v1/targets/{id}
func (s *Server) deleteTarget(r *http.Request, u *auth.User) (any, error) {
	t, err := atPath(r, func(id int64) (store.Target, error) {
		return loadAllowed(s, r, u, auth.ManageTargets, id, s.db.Target, func(t store.Target) (string, units.Date) { return t.UnitCode, yearDay(t.Year, t.UnitFrom) })
	})
	if err != nil {
		return nil, err
	}
	return nil, s.db.DeleteTarget(r.Context(), u.Username, t.ID)
}
