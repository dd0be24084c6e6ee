package web

import (
	"net/http"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/period"
	"github.com/ntm-vn/ntm/internal/units"
)

// The figures on their way: the official figures count approved assessments only, and the
// dashboard links here for the units whose latest assessment is not approved yet — the same
// units its "pending" counts (progress.Report.Pending).

type pendingData struct {
	Unit      *units.Unit
	UnitParam string
	SetID     string
	Status    string // "" for every status but approved
	Rows      []pendingRow
}

type pendingRow struct {
	UnitCode, UnitName string
	assessmentLink
}

// PeriodName writes a period code the way the page's language does ("Quý II/2026",
// "8 tháng đầu năm 2023"; package period).
func (p *page) PeriodName(code string) string { return period.Label(code, p.Lang) }

// GET /assessments/pending?unit=CODE&set=ID&status=draft|submitted|verified|returned&as_of=DATE
func (s *Server) pendingPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startDated(w, r, "figures.pending.title", "dashboard")
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	d := pendingData{UnitParam: q.Get("unit"), SetID: q.Get("set"), Status: q.Get("status")}
	switch assessment.Status(d.Status) {
	case "", assessment.Draft, assessment.Submitted, assessment.Verified, assessment.Returned:
	default:
		s.errorPage(w, r, http.StatusBadRequest, "figures.pending.bad_status", d.Status)
		return
	}
	code := d.UnitParam
	if code == "" && p.User.user.Role.Reach(auth.Read) != auth.Everywhere {
		code = p.User.UnitCode
	}
	if code != "" {
		u, ok := s.pageUnit(w, r, p, code, p.AsOf)
		if !ok {
			return
		}
		d.Unit = &u
	}
	if !s.allowFigures(w, r, p, code, d.Unit) {
		return
	}
	cat, err := s.rules(ctx)
	if err == nil {
		var list []app.PendingAssessment
		list, err = app.PendingOn(ctx, s.db, cat, code, d.SetID, d.Status, p.AsOf)
		for _, a := range list {
			row := pendingRow{UnitCode: a.UnitCode, assessmentLink: a.AssessmentLink}
			if a.Unit != nil {
				row.UnitName = p.UnitName(*a.Unit)
			}
			d.Rows = append(d.Rows, row)
		}
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "pending", p)
}
