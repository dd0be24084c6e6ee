package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/period"
	"github.com/ntm-vn/ntm/internal/store"
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
	list, err := s.db.ListAssessments(ctx, store.AssessmentFilter{Within: code, SetID: d.SetID, Limit: 5000})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	// Each unit's latest assessment on each set ending by the day, as the progress rollup
	// picks it (latest end, the longer period when two end together, then the newest).
	list = slices.DeleteFunc(list, func(a store.Assessment) bool { return a.PeriodEnd > p.AsOf })
	slices.SortStableFunc(list, func(a, b store.Assessment) int {
		return cmp.Or(cmp.Compare(a.UnitCode, b.UnitCode), cmp.Compare(a.SetID, b.SetID), cmp.Compare(b.PeriodEnd, a.PeriodEnd),
			cmp.Compare(a.PeriodStart, b.PeriodStart), cmp.Compare(b.ID, a.ID))
	})
	cur, err := s.currentSets(ctx)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	names := map[string]string{}
	for i, a := range list {
		if i > 0 && list[i-1].UnitCode == a.UnitCode && list[i-1].SetID == a.SetID {
			continue // not the latest
		}
		if a.Status == assessment.Approved || d.Status != "" && string(a.Status) != d.Status {
			continue
		}
		row := pendingRow{UnitCode: a.UnitCode, assessmentLink: assessmentLink{ID: a.ID, SetID: a.SetID, SetTitle: a.SetID, Period: a.Period, Status: string(a.Status)}}
		if set, ok := cur.Get(a.SetID); ok {
			row.SetTitle = set.Title
		}
		if a.Evaluation != nil {
			row.CriteriaMet, row.CriteriaTotal, row.Met = a.Evaluation.CriteriaMetN, a.Evaluation.CriteriaTotal, a.Evaluation.Met
		}
		name, ok := names[a.UnitCode]
		if !ok {
			if u, err := s.db.Unit(ctx, a.UnitCode, a.PeriodEnd); err == nil {
				name = p.UnitName(u)
			}
			names[a.UnitCode] = name
		}
		row.UnitName = name
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "pending", p)
}
