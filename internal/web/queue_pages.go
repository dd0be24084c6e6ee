package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// queueData is the page /assessments: the filters, the groups, a flash or an error, and
// when a bulk step was asked for, the rows to confirm.
type queueData struct {
	Status, Unit, Set, Period string
	Statuses                  []assessment.Status
	Sets                      []setChoice
	Groups                    []queueGroup
	Count                     int
	Flash, Error              string
	Confirm                   *queueConfirm
}

// queueConfirm is the confirmation of a bulk step: the action and the rows it will move.
type queueConfirm struct {
	Action assessment.Action
	Rows   []queueRow
	Back   string
}

// GET /assessments?status=&unit=&set=&period=&done=&n=
func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "queue.title")
	if !ok {
		return
	}
	q := r.URL.Query()
	s.renderQueue(w, r, p, http.StatusOK, q, p.doneFlash(r, "queue.done.", q.Get("n")), "", nil)
}

func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, p *page, status int, q url.Values, flash, errMsg string, confirm *queueConfirm) {
	u := p.User.user
	p.Nav = "assessments"
	statuses, _ := queueStatuses(u)
	d := queueData{Status: q.Get("status"), Unit: strings.TrimSpace(q.Get("unit")), Set: q.Get("set"), Period: q.Get("period"),
		Statuses: statuses, Flash: flash, Error: errMsg, Confirm: confirm}
	if cur, err := s.currentCriteria(r.Context()); err == nil {
		for _, set := range cur.Sets() {
			if set.Level == "commune" && set.InForce(p.AsOf) {
				d.Sets = append(d.Sets, setChoice{ID: set.ID, Title: set.Title, Selected: set.ID == d.Set})
			}
		}
		for _, set := range cur.Sets() {
			if set.Level == "commune" && !set.InForce(p.AsOf) {
				d.Sets = append(d.Sets, setChoice{ID: set.ID, Title: set.Title, Selected: set.ID == d.Set})
			}
		}
	}
	f, err := s.queueFilter(r, u, q)
	if err != nil {
		if isForbidden(err) {
			s.errorPage(w, r, http.StatusForbidden, "queue.error.forbidden", d.Unit)
			return
		}
		if isInvalid(err) {
			d.Error = invalidMessage(err)
			status = http.StatusBadRequest
			f, _ = s.queueFilter(r, u, url.Values{})
		} else {
			s.internalError(w, r, err)
			return
		}
	}
	rows, err := s.queue(r, u, f)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Groups, d.Count = groupQueue(rows), len(rows)
	p.Data = d
	s.render(w, r, status, "assessments_queue", p)
}

// POST /assessments (form: action, item=ID:VERSION…, confirm, and the filters to come back
// to): the first press shows the rows to confirm; the confirmation moves them all through
// the bulk API, or none.
func (s *Server) queuePost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "queue.title", 1<<20)
	if !ok {
		return
	}
	form := r.PostForm
	back := url.Values{}
	for _, k := range []string{"status", "unit", "set", "period"} {
		if v := form.Get(k); v != "" {
			back.Set(k, v)
		}
	}
	action := assessment.Action(form.Get("action"))
	items, err := parseItems(form["item"])
	switch {
	case err != nil:
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
		return
	case action != assessment.Verify && action != assessment.Approve:
		s.renderQueue(w, r, p, http.StatusBadRequest, back, "", p.T("queue.error.action"), nil)
		return
	case len(items) == 0:
		s.renderQueue(w, r, p, http.StatusUnprocessableEntity, back, "", p.T("queue.error.none"), nil)
		return
	}
	if form.Get("confirm") != "1" {
		// The rows as they stand, each readable by the user, to be confirmed.
		c := &queueConfirm{Action: action, Back: "/assessments?" + back.Encode()}
		for _, it := range items {
			a, err := s.db.Assessment(r.Context(), it.ID)
			if err != nil || s.allow(r, p.User.user, auth.Read, a.UnitCode, unitDay(a)) != nil {
				s.renderQueue(w, r, p, http.StatusNotFound, back, "", p.T("queue.error.gone", it.ID), nil)
				return
			}
			a.Version = it.Version
			name := a.UnitCode
			if unit, err := s.db.Unit(r.Context(), a.UnitCode, unitDay(a)); err == nil {
				name = unit.FullName
			}
			c.Rows = append(c.Rows, queueRow{Assessment: a, UnitName: name})
		}
		s.renderQueue(w, r, p, http.StatusOK, back, "", "", c)
		return
	}
	body, _ := json.Marshal(bulkBody{Action: action, Items: items})
	rec := s.forward(r, http.MethodPost, "/api/v1/assessments/status", body, "Content-Type", "application/json")
	if rec.status != http.StatusOK {
		msg, _ := apiMessage(rec)
		s.renderQueue(w, r, p, rec.status, back, "", msg, nil)
		return
	}
	back.Set("done", string(action))
	back.Set("n", fmt.Sprint(len(items)))
	http.Redirect(w, r, "/assessments?"+back.Encode(), http.StatusSeeOther)
}

// ActionName is a workflow step (an assessment.Action or its name) in the page's language.
func (p *page) ActionName(a any) string { return p.T("form.action." + fmt.Sprint(a)) }

// Day is the day of a moment, in the page's language.
func (p *page) Day(t time.Time) string { return p.Date(units.Date(t.Format(time.DateOnly))) }

// ItemValue is a queue row's checkbox value.
func (p *page) ItemValue(a store.Assessment) string { return itemValue(a) }

// CanBulk reports whether a row may be checked for a bulk step (verify or approve).
func (p *page) CanBulk(row queueRow) bool {
	return slices.Contains(row.Actions, assessment.Verify) || slices.Contains(row.Actions, assessment.Approve)
}

// statusLink is a count of assessments in one status on the dashboard; Href leads to the
// queue when the status waits for the signed-in user.
type statusLink struct {
	Label string
	Count int
	Href  string
}

// StatusLinks are the dashboard's counts by status, those waiting for the user as links to
// the queue filtered to the unit and set shown. counted are the statuses of the assessments
// the figures count; pending, those of the units whose latest assessment is still on its way
// when the figures count approved ones only (then counted holds only approved ones).
func (p *page) StatusLinks(counted, pending progress.StatusCounts, unit *units.Unit, setID string) []statusLink {
	bs := counted
	if pending != (progress.StatusCounts{}) {
		bs = pending
		bs.Approved = counted.Approved
	}
	var waiting []assessment.Status
	if p.User != nil {
		waiting, _ = queueStatuses(p.User.user)
	}
	code := ""
	if unit != nil {
		code = unit.Code
	}
	var out []statusLink
	for _, st := range []struct {
		s assessment.Status
		n int
	}{{assessment.Draft, bs.Draft}, {assessment.Submitted, bs.Submitted}, {assessment.Verified, bs.Verified}, {assessment.Returned, bs.Returned}, {assessment.Approved, bs.Approved}} {
		l := statusLink{Label: p.T("dashboard.status_count."+string(st.s), p.Int(st.n)), Count: st.n}
		if slices.Contains(waiting, st.s) {
			l.Href = p.Link("/assessments", "status", string(st.s), "unit", code, "set", setID)
		}
		out = append(out, l)
	}
	return out
}
