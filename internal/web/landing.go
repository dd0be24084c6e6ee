package web

// Where each role lands (issue 15.4), and the read-only archive of a unit that no longer
// exists: a former district's officer (the demo user huyen of Sóc Sơn, which ended on
// 30/06/2025) lands on the district as it was, its history, and the units that took over
// its communes, never on an error.

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// landings is the page each role's day starts on, below its home unit ("{unit}" is the
// home unit's code): the commune officer on its commune's standing and open assessments,
// the OCOP council on its open evaluations, the officers and viewers on the progress of
// their unit (whose header carries the queue's count). Roles not listed, and users without
// a home unit, start on the country's dashboard.
var landings = map[auth.Role]string{
	auth.RoleCommune:     "/units/{unit}",
	auth.RoleOCOPCouncil: "/ocop",
	auth.RoleProvince:    "/dashboard?unit={unit}",
	auth.RoleDistrict:    "/dashboard?unit={unit}",
	auth.RoleViewer:      "/dashboard?unit={unit}",
}

// landing is the page v starts on. A home unit that no longer exists leads to its archive
// (the unit's page answers with it) whatever the role.
func landing(v *viewer) string {
	if v.UnitCode == "" {
		return "/dashboard"
	}
	if v.Unit == nil || v.Until != "" {
		return "/units/" + url.PathEscape(v.UnitCode)
	}
	path, ok := landings[auth.Role(v.Role)]
	if !ok {
		return "/dashboard"
	}
	return expandUnit(path, v.UnitCode)
}

// expandUnit puts code in place of "{unit}" in a landing path, escaped for where it stands.
func expandUnit(path, code string) string {
	const mark = "{unit}"
	i := strings.Index(path, mark)
	if i < 0 {
		return path
	}
	esc := url.PathEscape(code)
	if strings.Contains(path[:i], "?") {
		esc = url.QueryEscape(code)
	}
	return path[:i] + esc + path[i+len(mark):]
}

// archiveData is the archive of a unit that no longer exists on the day asked.
type archiveData struct {
	Unit       units.Unit
	Successors []store.Link // what the unit itself became
	// TookOver lists, for a unit that had units below it when it ended (a district), the
	// units that took over those, each with the ones it received.
	TookOver []takeover
	Home     bool   // the signed-in user's home unit
	Started  bool   // the lists give the day it started (not so for most pre-reform units)
	Progress string // the progress page as of its last day ("" when it had nothing below)
}

// takeover is a unit that took over some of an ended unit's children.
type takeover struct {
	Unit units.Unit
	From []units.Unit
}

// goneUnit answers for a code with no unit on the day: the archive of the unit it was
// (what it became, its history to its last day, who took over its communes); otherwise
// 404. The archive of the user's own home unit is their landing page, so it answers 200.
func (s *Server) goneUnit(w http.ResponseWriter, r *http.Request, p *page, code string) {
	ctx := r.Context()
	old, links, err := s.db.Successors(ctx, code, p.AsOf)
	if errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.no_unit", code, p.Date(p.AsOf))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d := archiveData{Unit: old, Successors: links, Home: p.User != nil && p.User.UnitCode == code,
		Started: old.ValidFrom != "" && old.ValidFrom != units.Beginning}
	below, err := s.db.Children(ctx, code, old.ValidTo)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if d.TookOver, err = s.takeovers(r, below); err != nil {
		s.internalError(w, r, err)
		return
	}
	if len(below) > 0 {
		d.Progress = "/dashboard?unit=" + url.QueryEscape(code) + "&as_of=" + url.QueryEscape(string(old.ValidTo))
	}
	p.Title = p.UnitName(old)
	p.Data = d
	status := http.StatusNotFound
	if d.Home {
		status = http.StatusOK
	}
	s.render(w, r, status, "gone", p)
}

// takeovers groups the units that took over each of the ended units us (the day after
// each ended), in the order they are first met.
func (s *Server) takeovers(r *http.Request, us []units.Unit) ([]takeover, error) {
	var out []takeover
	at := map[string]int{} // code and start of a successor → index in out
	for _, u := range us {
		links, err := s.db.NextLinks(r.Context(), u)
		if err != nil {
			return nil, err
		}
		for _, l := range links {
			key := l.Unit.Code + "@" + string(l.Unit.ValidFrom)
			i, ok := at[key]
			if !ok {
				i = len(out)
				at[key] = i
				out = append(out, takeover{Unit: l.Unit})
			}
			out[i].From = append(out[i].From, u)
		}
	}
	return out, nil
}

// pickAssessmentUnit answers GET /assessments/new without ?unit= (issue 15.4: it said there
// was no unit of an empty code): a commune officer goes on to their commune's form; anyone else
// picks the unit first.
func (s *Server) pickAssessmentUnit(w http.ResponseWriter, r *http.Request, p *page) {
	q := r.URL.Query()
	if home := p.User.Unit; home != nil && p.User.Until == "" && p.User.Role == string(auth.RoleCommune) {
		http.Redirect(w, r, p.Link("/assessments/new", "unit", home.Code, "set", q.Get("set"), "period", q.Get("period")), http.StatusSeeOther)
		return
	}
	p.Nav = "units"
	p.Title = p.T("landing.pick.title")
	s.render(w, r, http.StatusOK, "assessment_pick", p)
}

// archiveIfHomeGone shows the archive of the user's home unit when that unit has ended and
// the page was asked without a unit: a former district's officer opening the plan, the
// dossiers or the reports lands on what their unit was, not on a refusal. It reports
// whether it answered.
func (s *Server) archiveIfHomeGone(w http.ResponseWriter, r *http.Request, p *page) bool {
	if p.User == nil || p.User.UnitCode == "" || r.URL.Query().Has("unit") {
		return false
	}
	if _, err := s.db.Unit(r.Context(), p.User.UnitCode, p.AsOf); !errors.Is(err, store.ErrNotFound) {
		return false
	}
	s.goneUnit(w, r, p, p.User.UnitCode)
	return true
}
