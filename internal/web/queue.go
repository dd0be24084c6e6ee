package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The queue (hàng chờ, issue 15): the assessments below the user's home unit that wait for
// their action — submitted and verified ones for the officers who check them, drafts and
// returned ones for the commune that enters them — oldest first, with what the user may do
// to each (a step a rule of separation of duties keeps from them is named with the rule),
// and the bulk verify and approve of several at once, all or none.

func (s *Server) queueRoutes() {
	s.addNav("assessments", "/assessments", "nav.assessments")
	s.mux.HandleFunc("GET /assessments", s.queuePage)
	s.mux.HandleFunc("POST /assessments", s.queuePost)
}

// queueStatuses are the statuses that wait for u's action, and the permission it takes.
func queueStatuses(u *auth.User) ([]assessment.Status, auth.Action) {
	switch {
	case u == nil || u.Disabled:
		return nil, ""
	case u.Role.Reach(auth.Verify) != auth.Nowhere:
		return assessment.Waiting(true), auth.Verify
	case u.Role.Reach(auth.Enter) != auth.Nowhere:
		return assessment.Waiting(false), auth.Enter
	}
	return nil, ""
}

// queueRow is one assessment waiting for the user.
type queueRow struct {
	store.Assessment
	UnitName string              `json:"unit_name"`
	Actions  []assessment.Action `json:"actions"`           // what the user may do now
	Refused  map[string]string   `json:"refused,omitempty"` // a step a rule keeps from the user → why
}

// queueFilter reads status, unit, set and period; unit is a unit the user may read, below
// which the queue looks (default: the home unit).
func (s *Server) queueFilter(r *http.Request, u *auth.User, q map[string][]string) (store.AssessmentFilter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	statuses, _ := queueStatuses(u)
	f := store.AssessmentFilter{Statuses: statuses, SetID: get("set"), Within: get("unit"), Oldest: true, Limit: 1000}
	if st := assessment.Status(get("status")); st != "" {
		if !slices.Contains(statuses, st) {
			names := make([]string, len(statuses))
			for i, x := range statuses {
				names[i] = string(x)
			}
			return f, badField("status", fmt.Sprintf("trạng thái %q không chờ bạn xử lý; chọn: %s (status %q does not wait for you)", st, strings.Join(names, ", "), st))
		}
		f.Statuses = []assessment.Status{st}
	}
	if p := get("period"); p != "" {
		per, err := assessment.ParsePeriod(p)
		if err != nil {
			return f, badField("period", err.Error())
		}
		f.Period = per.Text
	}
	if f.Within != "" {
		day := units.Today()
		if v := get("as_of"); v != "" {
			d, err := parseDay(v)
			if err != nil {
				return f, badField("as_of", err.Error())
			}
			day = d
		}
		if err := s.allow(r, u, auth.Read, f.Within, day); err != nil {
			return f, err
		}
	} else if u.Role.Reach(auth.Read) != auth.Everywhere {
		f.Within = u.UnitCode
	}
	return f, nil
}

// queue lists what waits for u under f, with the steps u may take on each.
func (s *Server) queue(r *http.Request, u *auth.User, f store.AssessmentFilter) ([]queueRow, error) {
	_, need := queueStatuses(u)
	if need == "" || len(f.Statuses) == 0 {
		return []queueRow{}, nil
	}
	list, err := s.db.ListAssessments(r.Context(), f)
	if err != nil {
		return nil, err
	}
	rows := []queueRow{}
	ok := map[string]bool{}
	names := map[string]string{}
	for _, a := range list {
		key := a.UnitCode + "@" + string(unitDay(a))
		allowed, seen := ok[key]
		if !seen {
			allowed = s.allow(r, u, need, a.UnitCode, unitDay(a)) == nil
			ok[key] = allowed
			if unit, err := s.db.Unit(r.Context(), a.UnitCode, unitDay(a)); err == nil {
				names[key] = unit.FullName
			}
		}
		if allowed {
			rows = append(rows, queueRow{Assessment: a, UnitName: names[key], Actions: []assessment.Action{}})
		}
	}
	// What separation of duties keeps from the user, asked once per step.
	byAction := map[assessment.Action][]int64{}
	for _, row := range rows {
		for _, act := range assessment.Steps[row.Status] {
			byAction[act] = append(byAction[act], row.ID)
		}
	}
	refused := map[assessment.Action]map[int64]error{}
	for act, ids := range byAction {
		if refused[act], err = s.db.MayTake(r.Context(), ids, act, u.Username); err != nil {
			return nil, err
		}
	}
	for i := range rows {
		for _, act := range assessment.Steps[rows[i].Status] {
			if e := refused[act][rows[i].ID]; e != nil {
				if rows[i].Refused == nil {
					rows[i].Refused = map[string]string{}
				}
				rows[i].Refused[string(act)] = e.Error()
				continue
			}
			rows[i].Actions = append(rows[i].Actions, act)
		}
	}
	return rows, nil
}

// queueCounts counts what waits for u below their home unit, by status (the header, the
// dashboard); nil when nothing can wait for the user.
func (s *Server) queueCounts(r *http.Request, u *auth.User, within string) (map[assessment.Status]int, error) {
	statuses, _ := queueStatuses(u)
	if len(statuses) == 0 {
		return nil, nil
	}
	f := store.AssessmentFilter{Statuses: statuses, Within: within}
	if f.Within == "" && u.Role.Reach(auth.Read) != auth.Everywhere {
		if u.UnitCode == "" {
			return nil, nil
		}
		f.Within = u.UnitCode
	}
	return s.db.CountAssessments(r.Context(), f)
}

// GET /api/v1/assessments?queue=1&status=&unit=&set=&period= — what waits for the caller.
func (s *Server) listQueue(r *http.Request, u *auth.User) (any, error) {
	f, err := s.queueFilter(r, u, r.URL.Query())
	if err != nil {
		return nil, err
	}
	rows, err := s.queue(r, u, f)
	counts := map[assessment.Status]int{}
	for _, row := range rows {
		counts[row.Status]++
	}
	return map[string]any{"assessments": rows, "count": len(rows), "counts": counts}, err
}

// bulkBody is a step on several assessments at once.
type bulkBody struct {
	Action  assessment.Action    `json:"action"`
	Comment string               `json:"comment"`
	Items   []store.StatusChange `json:"items"`
}

// POST /api/v1/assessments/status {"action": "verify"|"approve", "items": [{"id", "version"}]}
// — all of them or none: the first refused is named (403 scope or separation of duties, 409
// a stale version, 422 a workflow rule) and nothing changes.
func (s *Server) bulkStatus(r *http.Request, u *auth.User) (any, error) {
	var body bulkBody
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	done, err := withRules(s, r, func(cat *app.Catalog) ([]store.Assessment, error) {
		return cat.ChangeStatuses(r.Context(), u, body.Items, body.Action, body.Comment)
	})
	return map[string]any{"assessments": done, "count": len(done)}, err
}

// groupQueue lays the rows out by status (in workflow order), then by unit in the order of
// each unit's oldest row.
func groupQueue(rows []queueRow) []queueGroup {
	var out []queueGroup
	for _, st := range assessment.Statuses {
		g := queueGroup{Status: st}
		at := map[string]int{}
		for _, row := range rows {
			if row.Status != st {
				continue
			}
			key := row.UnitCode + "@" + string(row.UnitFrom)
			i, ok := at[key]
			if !ok {
				i = len(g.Units)
				at[key] = i
				g.Units = append(g.Units, queueUnit{Code: row.UnitCode, Name: cmp.Or(row.UnitName, row.UnitCode)})
			}
			g.Units[i].Rows = append(g.Units[i].Rows, row)
			g.Count++
		}
		if g.Count > 0 {
			out = append(out, g)
		}
	}
	return out
}

type queueGroup struct {
	Status assessment.Status
	Count  int
	Units  []queueUnit
}

type queueUnit struct {
	Code, Name string
	Rows       []queueRow
}

// itemValue is a row's checkbox value: ID:VERSION, the version the user saw.
func itemValue(a store.Assessment) string { return fmt.Sprintf("%d:%d", a.ID, a.Version) }

// parseItems reads the checked rows.
func parseItems(vals []string) ([]store.StatusChange, error) {
	var out []store.StatusChange
	for _, v := range vals {
		id, ver, ok := strings.Cut(v, ":")
		n, e1 := strconv.ParseInt(id, 10, 64)
		m, e2 := strconv.Atoi(ver)
		if !ok || e1 != nil || e2 != nil {
			return nil, fmt.Errorf("bad item %q", v)
		}
		out = append(out, store.StatusChange{ID: n, Version: m})
	}
	return out, nil
}

// queueTotal is the number shown in the header: everything waiting for u, or nil when
// nothing can (a viewer) or the count fails (logged; the page goes on).
func (s *Server) queueTotal(r *http.Request, u *auth.User) *int {
	counts, err := s.queueCounts(r, u, "")
	if err != nil {
		s.log.Error("queue count", "user", u.Username, "err", err)
		return nil
	}
	if counts == nil {
		return nil
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return &n
}

func init() {
	documentAPI(map[string]APIDoc{
		"POST /api/v1/assessments/status": {Summary: "Bulk verify or approve: all the assessments move, or none; the first refused is named (403 scope or separation of duties, 409 stale version, 422 workflow rule).",
			Body: "{action: verify|approve, comment?, items: [{id, version}]}", Returns: "{assessments, count}"},
	})
}
