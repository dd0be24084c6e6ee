package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/rollup"
	"github.com/ntm-vn/ntm/internal/store"
)

// The plan page (/plan): the communes closest to the standard with what each lacks, those
// with data missing, the early warning of recognised communes, the cost of the cheapest
// communes and the what-if form. It reads the same figures as GET /api/v1/plan.

func (s *Server) planPageRoutes() {
	s.addNav("plan", "/plan", "plan.nav")
	s.mux.HandleFunc("GET /plan", s.planPage)
}

// planShown is how many communes the page lists; the API and the command line give them all.
const planShown = 100

type planPageData struct {
	Unit     string
	Set      string
	Sets     []setOption
	Gaps     rollup.PlanGaps
	Shown    int // communes of Gaps.Units listed
	Warnings rollup.PlanWarnings
}

type setOption struct{ ID, Title string }

// GET /plan?unit=&set=&as_of=
func (s *Server) planPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "plan.title")
	if !ok {
		return
	}
	p.Nav = "plan"
	if !s.readAsOf(w, r, p) {
		return
	}
	u := p.User.user
	q := r.URL.Query()
	d := planPageData{Unit: strings.TrimSpace(q.Get("unit"))}
	asked := d.Unit
	root, err := s.rootFor(r, u, d.Unit, p.AsOf)
	var cset *criteria.Set
	if err == nil {
		d.Unit = root
		cset, err = s.planScope(r, u, root, p.AsOf)
	}
	if err == nil && root != "" {
		_, err = s.db.Unit(r.Context(), root, p.AsOf)
	}
	if err != nil {
		var fe *fieldError
		switch {
		case isForbidden(err):
			s.errorPage(w, r, http.StatusForbidden, "plan.error.forbidden")
		case errors.As(err, &fe):
			s.errorPage(w, r, http.StatusBadRequest, "plan.error.page", fe.message)
		case errors.Is(err, store.ErrNotFound):
			s.errorPage(w, r, http.StatusNotFound, "plan.error.unit", asked)
		default:
			s.internalError(w, r, err)
		}
		return
	}
	d.Set = cset.ID
	if cat, err := s.rules(r.Context()); err == nil {
		if cur, err := cat.Current(r.Context()); err == nil {
			for _, x := range cur.Sets() {
				if x.Level == cset.Level && x.InForce(p.AsOf) || x.ID == cset.ID {
					d.Sets = append(d.Sets, setOption{x.ID, x.Title})
				}
			}
		}
	}
	if d.Gaps, err = rollup.Gaps(r.Context(), s.db, cset, root, p.AsOf, false); err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Shown = min(len(d.Gaps.Units), planShown)
	if d.Warnings, err = rollup.Warnings(r.Context(), s.db, cset, root, p.AsOf, false); err != nil {
		s.internalError(w, r, err)
		return
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "plan", p)
}

// PlanNum writes a figure of the plan ("5", "11,78").
func (p *page) PlanNum(x float64) string { return numfmt.Trim(x, 2, p.Lang) }
