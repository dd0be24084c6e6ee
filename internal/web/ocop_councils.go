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

// allowCouncil checks that u may set up councils of unit: ocop_score there, and not as a
// council member (members score; they do not appoint themselves).
func (s *Server) allowCouncil(r *http.Request, u *auth.User, unit string, day units.Date) error {
	if u.Role == auth.RoleOCOPCouncil {
		return auth.Refusal(u.Role, auth.OCOPScore, unit)
	}
	return s.allow(r, u, auth.OCOPScore, unit, day)
}

// GET /api/v1/ocop/councils?as_of=
func (s *Server) listOCOPCouncils(r *http.Request, u *auth.User) (any, error) {
	day := units.Date(strings.TrimSpace(r.URL.Query().Get("as_of")))
	if day != "" {
		if _, err := units.ParseDate(string(day)); err != nil {
			return nil, badField("as_of", err.Error())
		}
	}
	all, err := s.db.OCOPCouncils(r.Context(), day)
	out := []ocop.Council{}
	for _, c := range all {
		if s.allow(r, u, auth.Read, c.UnitCode, c.From) == nil {
			out = append(out, c)
		}
	}
	return map[string]any{"councils": out}, err
}

// POST /api/v1/ocop/councils
func (s *Server) createOCOPCouncil(r *http.Request, u *auth.User) (any, error) {
	var b struct {
		Unit     string   `json:"unit"`
		Name     string   `json:"name"`
		Decision string   `json:"decision"`
		From     string   `json:"from"`
		To       string   `json:"to"`
		Members  []string `json:"members"`
	}
	if err := readJSON(r, &b); err != nil {
		return nil, err
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
			return nil, badField(f.name, err.Error())
		}
	}
	if c.From == "" {
		c.From = units.Today()
	}
	for _, m := range b.Members {
		c.Members = append(c.Members, ocop.CouncilMember{Username: m})
	}
	err := c.Check()
	if err == nil {
		err = s.allowCouncil(r, u, c.UnitCode, c.From)
	}
	if err != nil {
		return nil, err
	}
	c, err = s.db.CreateOCOPCouncil(r.Context(), u.Username, c)
	return located{fmt.Sprintf("/api/v1/ocop/councils/%d", c.ID), c}, err
}

func (s *Server) ocopCouncil(r *http.Request, u *auth.User) (ocop.Council, error) {
	return atPath(r, func(id int64) (ocop.Council, error) {
		return loadAllowed(s, r, u, auth.Read, id, s.db.OCOPCouncil, func(c ocop.Council) (string, units.Date) { return c.UnitCode, c.From })
	})
}

// GET /api/v1/ocop/councils/{id}
func (s *Server) getOCOPCouncil(r *http.Request, u *auth.User) (any, error) {
	return s.ocopCouncil(r, u)
}

// PUT /api/v1/ocop/councils/{id}/members {members: [username]}
func (s *Server) setOCOPCouncilMembers(r *http.Request, u *auth.User) (any, error) {
	c, err := s.ocopCouncil(r, u)
	if err == nil {
		err = s.allowCouncil(r, u, c.UnitCode, c.From)
	}
	if err != nil {
		return nil, err
	}
	var b struct {
		Members []string `json:"members"`
	}
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	return s.db.SetOCOPCouncilMembers(r.Context(), u.Username, c.ID, b.Members)
}
