package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/units"
)

// OCOP councils (issue 16): a council of a unit for a period, with its members. Province and
// district officers (ocop_score on the unit, not the council role itself) set them up; any
// user who reads the unit sees them.

func init() {
	documentAPI(map[string]APIDoc{
		"GET /api/v1/ocop/councils": {Summary: "The OCOP councils whose units the caller reads, those sitting on as_of when given, with their members.",
			Params:  []APIParam{{Name: "as_of", Description: "only councils sitting on this day (YYYY-MM-DD)"}},
			Returns: "{councils: [{id, unit, name, decision, from, to, members: [{username, name}]}]}"},
		"POST /api/v1/ocop/councils": {Summary: "Set up a council of a unit for a period; members are users with the ocop-council role whose home unit holds the council's unit (422 naming the member otherwise).",
			Body: "{unit, name, decision?, from, to?, members: [username]}", Returns: "201 with the council"},
		"GET /api/v1/ocop/councils/{id}": {Summary: "A council with its members."},
		"PUT /api/v1/ocop/councils/{id}/members": {Summary: "Replace a council's members (checked as on creation; audited).",
			Body: "{members: [username]}"},
	})
}

func (s *Server) ocopCouncilRoutes() {
	s.mux.HandleFunc("GET /api/v1/ocop/councils", s.authed(s.listOCOPCouncils))
	s.mux.HandleFunc("POST /api/v1/ocop/councils", s.authed(s.createOCOPCouncil))
	s.mux.HandleFunc("GET /api/v1/ocop/councils/{id}", s.authed(s.getOCOPCouncil))
	s.mux.HandleFunc("PUT /api/v1/ocop/councils/{id}/members", s.authed(s.setOCOPCouncilMembers))
}

// allowCouncil checks that u may set up councils of unit: ocop_score there, and not as a
// council member (members score; they do not appoint themselves).
func (s *Server) allowCouncil(r *http.Request, u *auth.User, unit string, day units.Date) error {
	if u.Role == auth.RoleOCOPCouncil {
		return auth.Refusal(u.Role, auth.OCOPScore, unit)
	}
	return s.allow(r, u, auth.OCOPScore, unit, day)
}

// GET /api/v1/ocop/councils?as_of=
func (s *Server) listOCOPCouncils(w http.ResponseWriter, r *http.Request, u *auth.User) {
	day := units.Date(strings.TrimSpace(r.URL.Query().Get("as_of")))
	if day != "" {
		if _, err := units.ParseDate(string(day)); err != nil {
			s.fail(w, r, badField("as_of", err.Error()))
			return
		}
	}
	all, err := s.db.OCOPCouncils(r.Context(), day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []ocop.Council{}
	for _, c := range all {
		if s.allow(r, u, auth.Read, c.UnitCode, c.From) == nil {
			out = append(out, c)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"councils": out})
}

// POST /api/v1/ocop/councils
func (s *Server) createOCOPCouncil(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var b struct {
		Unit     string   `json:"unit"`
		Name     string   `json:"name"`
		Decision string   `json:"decision"`
		From     string   `json:"from"`
		To       string   `json:"to"`
		Members  []string `json:"members"`
	}
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	c := ocop.Council{UnitCode: strings.TrimSpace(b.Unit), Name: b.Name, Decision: b.Decision, From: units.Date(strings.TrimSpace(b.From)), To: units.Date(strings.TrimSpace(b.To))}
	for _, f := range []struct {
		name string
		d    units.Date
	}{{"from", c.From}, {"to", c.To}} {
		if f.d == "" {
			continue
		}
		if _, err := units.ParseDate(string(f.d)); err != nil {
			s.fail(w, r, badField(f.name, err.Error()))
			return
		}
	}
	if c.From == "" {
		c.From = units.Today()
	}
	for _, m := range b.Members {
		c.Members = append(c.Members, ocop.CouncilMember{Username: m})
	}
	if err := c.Check(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.allowCouncil(r, u, c.UnitCode, c.From); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.db.CreateOCOPCouncil(r.Context(), u.Username, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/ocop/councils/%d", c.ID))
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) ocopCouncil(r *http.Request, u *auth.User) (ocop.Council, error) {
	id, err := pathID(r)
	if err != nil {
		return ocop.Council{}, err
	}
	c, err := s.db.OCOPCouncil(r.Context(), id)
	if err != nil {
		return c, err
	}
	if err := s.allow(r, u, auth.Read, c.UnitCode, c.From); err != nil {
		return ocop.Council{}, err
	}
	return c, nil
}

// GET /api/v1/ocop/councils/{id}
func (s *Server) getOCOPCouncil(w http.ResponseWriter, r *http.Request, u *auth.User) {
	c, err := s.ocopCouncil(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// PUT /api/v1/ocop/councils/{id}/members {members: [username]}
func (s *Server) setOCOPCouncilMembers(w http.ResponseWriter, r *http.Request, u *auth.User) {
	c, err := s.ocopCouncil(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.allowCouncil(r, u, c.UnitCode, c.From); err != nil {
		s.fail(w, r, err)
		return
	}
	var b struct {
		Members []string `json:"members"`
	}
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	if c, err = s.db.SetOCOPCouncilMembers(r.Context(), u.Username, c.ID, b.Members); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
