package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/rollup"
)

func (s *Server) progressRoutes() {
	s.mux.HandleFunc("GET /api/v1/progress", s.authed(s.getProgress))
}

// GET /api/v1/progress?unit=CODE&set=ID&as_of=DATE&include_unapproved=1&format=json|text&lang=vi|en
//
// Without unit: the whole country (roles that read everywhere). Without set: the commune
// NTM set in force on the date.
func (s *Server) getProgress(w http.ResponseWriter, r *http.Request, u *auth.User) {
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	unit := q.Get("unit")
	if err := s.allow(r, u, auth.Read, unit, day); err != nil {
		s.fail(w, r, err)
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := rollup.PickSet(r.Context(), cat, q.Get("set"), day)
	var se *rollup.SetError
	if errors.As(err, &se) || err != nil && q.Get("set") != "" {
		s.fail(w, r, &fieldError{"set", err.Error()})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	basis, err := basisParam(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := rollup.ComputeProgress(r.Context(), s.db, set, unit, day, basis.ApprovedOnly())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The registers' figures of the same unit and day (OCOP, funding, works, models, overdue
	// tasks) ride along when present; they are read each time, not from the progress cache.
	regs, err := rollup.Registers(r.Context(), s.db, unit, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Get("format") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		lang := q.Get("lang")
		if lang == "" {
			lang = "vi"
		}
		w.Write([]byte(rep.Text(lang) + regs.Text(lang)))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		rollup.Progress
		rollup.RegisterFigures
	}{rep, regs})
}

// basisParam reads which assessments the figures count: approved ones (the official figures,
// the default; approved_only=1 is still accepted) or, with include_unapproved=1, every one.
func basisParam(q url.Values) (rollup.Basis, error) {
	flag := func(name string) (bool, error) {
		switch q.Get(name) {
		case "", "0", "false":
			return false, nil
		case "1", "true":
			return true, nil
		}
		return false, &fieldError{name, name + ": dùng 1 hoặc 0 (use 1 or 0)"}
	}
	all, err := flag("include_unapproved")
	if err != nil {
		return "", err
	}
	approved, err := flag("approved_only")
	if err != nil {
		return "", err
	}
	if all && approved {
		return "", &fieldError{"include_unapproved", "include_unapproved và approved_only loại trừ nhau (include_unapproved and approved_only exclude each other)"}
	}
	return rollup.BasisOf(all), nil
}
