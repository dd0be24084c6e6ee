package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The resources register's API (SPEC §1.8): funding, works, models, steering meetings and
// tasks, their roll-ups and the import of existing lists. Entry needs auth.Enter on the
// row's unit (as it is in the row's year); meetings and tasks are managed by the committee's
// officers (auth.ManageTargets); the owner of a task (auth.Enter on the owner unit) may add
// progress notes and change its status.
func init() {
	unit := APIParam{Name: "unit", Description: "unit code; default the user's home unit (the country for national roles)"}
	day := APIParam{Name: "as_of", Description: "the day the hierarchy is taken on, YYYY-MM-DD (default today); rows of units that no longer exist count under their successors"}
	year := APIParam{Name: "year", Description: "a year such as 2025"}
	format := APIParam{Name: "format", Description: "json (default) or text, the sentences of a report (lang=vi|en)"}
	file := APIParam{Name: "filename", Description: "the file's name, for messages"}
	importDoc := func(what string) APIDoc {
		return APIDoc{Summary: "Import a list of " + what + " (XLSX first sheet, or CSV), all rows or none", Params: []APIParam{file},
			Body: "the XLSX or CSV file itself; a header row in Vietnamese (see README)", Returns: "counts {rows, inserted, updated}; 422 with problems by row and column"}
	}
	documentAPI(map[string]APIDoc{
		"GET /api/v1/resources/lists":                   {Summary: "Funding sources, kinds of works and kinds of models", Returns: "the lists"},
		"GET /api/v1/funding":                           {Summary: "Funding entries below a unit", Params: []APIParam{unit, year, day}, Returns: "{funding, count}"},
		"POST /api/v1/funding":                          {Summary: "Enter a unit's funding of a year by source (replaces the entry it had)", Body: `{"unit", "year", "parts": {"nstw": 195420, …} (triệu đồng), "reported_total", "note"}`, Returns: "the entry with its sum check (check.flagged, check.difference)"},
		"GET /api/v1/funding/summary":                   {Summary: "Funding of a year below a unit: by source, shares, change from the year before, flagged totals", Params: []APIParam{unit, year, day, format}},
		"POST /api/v1/funding/import":                   importDoc("funding"),
		"GET /api/v1/funding/{id}":                      {Summary: "One funding entry"},
		"PUT /api/v1/funding/{id}":                      {Summary: "Change a funding entry (unit and year stay)", Body: "as POST /api/v1/funding"},
		"DELETE /api/v1/funding/{id}":                   {Summary: "Delete a funding entry"},
		"GET /api/v1/works":                             {Summary: "Works below a unit", Params: []APIParam{unit, year, {Name: "kind"}, {Name: "status", Description: "planned, under_construction or done"}, day}},
		"POST /api/v1/works":                            {Summary: "Add a work", Body: `{"unit", "year", "kind", "name", "criterion_set", "criterion", "quantity", "measure", "status", "done_on": "YYYY-MM-DD" (optional, only when done), "budget": {"nstw": 5000, …}, "note"}`, Returns: "201 with the work; 409 when one of that name exists"},
		"GET /api/v1/works/summary":                     {Summary: "Works below a unit by kind (\"104,48 km đường liên xã\"), budget, disbursement rate", Params: []APIParam{unit, year, day, format}},
		"POST /api/v1/works/import":                     importDoc("works"),
		"GET /api/v1/works/{id}":                        {Summary: "One work with its disbursements"},
		"PUT /api/v1/works/{id}":                        {Summary: "Change a work (its disbursements stay)", Body: "as POST /api/v1/works"},
		"DELETE /api/v1/works/{id}":                     {Summary: "Delete a work"},
		"POST /api/v1/works/{id}/disbursements":         {Summary: "Record a disbursement (giải ngân) of a work", Body: `{"day", "amount", "source", "note"}`},
		"DELETE /api/v1/works/{id}/disbursements/{did}": {Summary: "Delete a disbursement"},
		"GET /api/v1/models":                            {Summary: "Models below a unit", Params: []APIParam{unit, {Name: "kind"}, {Name: "to", Description: "recognised in or before this year"}, day}},
		"POST /api/v1/models":                           {Summary: "Add a model (khu dân cư kiểu mẫu, vườn mẫu, thôn đạt chuẩn NTM)", Body: `{"kind", "unit", "village", "name", "year", "decision", "decision_date", "revoked_year", "note"}`},
		"GET /api/v1/models/summary":                    {Summary: "Models new in the years from..to and cumulative at the end of to", Params: []APIParam{unit, {Name: "from"}, {Name: "to"}, day, format}},
		"POST /api/v1/models/import":                    importDoc("models"),
		"GET /api/v1/models/{id}":                       {Summary: "One model"},
		"PUT /api/v1/models/{id}":                       {Summary: "Change a model", Body: "as POST /api/v1/models"},
		"DELETE /api/v1/models/{id}":                    {Summary: "Delete a model"},
		"GET /api/v1/meetings":                          {Summary: "Steering committee meetings below a unit", Params: []APIParam{unit, {Name: "from"}, {Name: "to"}, day}},
		"POST /api/v1/meetings":                         {Summary: "Record a steering committee meeting", Body: `{"unit", "day", "chair", "conclusions"}`},
		"GET /api/v1/meetings/{id}":                     {Summary: "One meeting with its tasks"},
		"PUT /api/v1/meetings/{id}":                     {Summary: "Change a meeting", Body: "as POST /api/v1/meetings"},
		"DELETE /api/v1/meetings/{id}":                  {Summary: "Delete a meeting that has no tasks"},
		"GET /api/v1/tasks":                             {Summary: "Steering tasks below a unit (assigned by its committees or owned by its units)", Params: []APIParam{unit, {Name: "status"}, {Name: "meeting"}, {Name: "overdue", Description: "1: only the overdue"}, {Name: "owner"}, day}},
		"POST /api/v1/tasks":                            {Summary: "Assign a steering task", Body: `{"meeting_id", "unit", "title", "owner_kind": "department"|"unit", "owner", "criterion_set", "criterion", "linked_unit", "assigned", "due", "status", "done_on"}`},
		"GET /api/v1/tasks/overdue":                     {Summary: "Tasks overdue on the day (due before it, not done), also per owner", Params: []APIParam{unit, day, format}},
		"GET /api/v1/tasks/{id}":                        {Summary: "One task with its progress notes"},
		"PUT /api/v1/tasks/{id}":                        {Summary: "Change a task", Body: "as POST /api/v1/tasks"},
		"DELETE /api/v1/tasks/{id}":                     {Summary: "Delete a task"},
		"POST /api/v1/tasks/{id}/notes":                 {Summary: "Add a progress note, and change the status (by the committee or the owner unit)", Body: `{"day", "note", "status"}`},
	})
}

func (s *Server) resourcesRoutes() {

	fundingAPI.routes(s)
	worksAPI.routes(s)
	modelsAPI.routes(s)
	meetingsAPI.routes(s)
	tasksAPI.routes(s)
	s.talliesRoutes()

	s.resourcePageRoutes()
}

// The registers of resources (SPEC §1.8), each bound by apiRegister.routes.
var (
	fundingAPI = &apiRegister[resources.Funding, resources.FundingEntry]{path: "/api/v1/funding", created: http.StatusOK, importKind: "funding",
		list: (*Server).listFunding, save: (*Server).saveFunding, one: (*store.DB).Funding, remove: (*store.DB).DeleteFunding, del: auth.Enter,
		unit: fundingUnit}
	worksAPI = &apiRegister[resources.Work, resources.WorkEntry]{path: "/api/v1/works", created: http.StatusCreated, importKind: "works",
		list: (*Server).listWorks, save: (*Server).saveWork, one: (*store.DB).Work, remove: (*store.DB).DeleteWork, del: auth.Enter,
		unit: workUnit}
	modelsAPI = &apiRegister[resources.Model, resources.ModelEntry]{path: "/api/v1/models", created: http.StatusCreated, importKind: "models",
		list: (*Server).listModels, save: (*Server).saveModel, one: (*store.DB).Model, remove: (*store.DB).DeleteModel, del: auth.Enter,
		unit: modelUnit}
	meetingsAPI = &apiRegister[resources.Meeting, resources.MeetingEntry]{path: "/api/v1/meetings", created: http.StatusCreated,
		list: (*Server).listMeetings, show: (*Server).meetingWithTasks, save: (*Server).saveMeeting, one: (*store.DB).Meeting,
		remove: (*store.DB).DeleteMeeting, del: auth.ManageTargets,
		unit: func(m resources.MeetingEntry) (string, units.Date) { return m.UnitCode, m.Day }}
	// A task is readable through its committee or its owner unit; it is managed by the committee.
	tasksAPI = &apiRegister[resources.Task, resources.TaskEntry]{path: "/api/v1/tasks", created: http.StatusCreated,
		list: (*Server).listTasks, save: (*Server).saveTask, one: (*store.DB).Task, remove: (*store.DB).DeleteTask, del: auth.ManageTargets,
		allow: func(s *Server, r *http.Request, u *auth.User, a auth.Action, t resources.TaskEntry) error {
			owner := auth.Action("")
			if a == auth.Read {
				owner = auth.Read
			}
			return s.allowTask(r, u, t, a, owner)
		}}
)

func resYear(day units.Date) int {
	if len(day) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(string(day)[:4])
	return y
}

// GET /api/v1/resources/lists — the funding sources, kinds of works and of models.
func (s *Server) resourceLists(r *http.Request, u *auth.User) (any, error) {
	return resources.Shipped()
}

// ---------------------------------------------------------------------------------------
// Funding

// GET /api/v1/funding?unit=&year=&as_of=
func (s *Server) listFunding(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day, year := q.asOf(), q.int("year", 0)
	return listIn(q, day, "funding", func(sc store.AsOfScope) ([]resources.FundingEntry, error) {
		f := store.FundingFilter{AsOfScope: sc}
		if year != 0 {
			f.Years = []int{year}
		}
		return s.db.ListFunding(r.Context(), f)
	})
}

// The unit an entry of the yearly registers is about, and the day that names it in its year.
func fundingUnit(f resources.FundingEntry) (string, units.Date) {
	return f.UnitCode, store.YearDay(f.Year, f.UnitFrom)
}
func workUnit(w resources.WorkEntry) (string, units.Date) {
	return w.UnitCode, store.YearDay(w.Year, w.UnitFrom)
}
func modelUnit(m resources.ModelEntry) (string, units.Date) {
	return m.UnitCode, store.YearDay(m.Year, m.UnitFrom)
}

// replaced reads the entry id that a save replaces (with one) and checks the user's right to
// enter data in its unit.
func replaced[R any](s *Server, r *http.Request, u *auth.User, id int64, one func(*store.DB, context.Context, int64) (R, error), unit func(R) (string, units.Date)) (R, error) {
	old, err := one(s.db, r.Context(), id)
	if err != nil {
		return old, err
	}
	code, day := unit(old)
	return old, s.allow(r, u, auth.Enter, code, day)
}

// allowEnterIn checks the user's right to enter data of year for the unit code (as it was that
// year).
func (s *Server) allowEnterIn(r *http.Request, u *auth.User, code string, year int) error {
	unit, err := s.db.UnitInYear(r.Context(), code, year)
	if err != nil {
		return err
	}
	return s.allow(r, u, auth.Enter, unit.Code, store.YearDay(year, unit.ValidFrom))
}

// saveFunding checks an entry and the user's right to enter it for its unit and year, and
// stores it. With id, it replaces that entry, whose unit and year it must keep.
func (s *Server) saveFunding(r *http.Request, u *auth.User, id int64, f resources.Funding) (resources.FundingEntry, error) {
	cat, err := resources.Shipped()
	if err != nil {
		return resources.FundingEntry{}, err
	}
	if id != 0 {
		old, err := replaced(s, r, u, id, (*store.DB).Funding, fundingUnit)
		if err != nil {
			return resources.FundingEntry{}, err
		}
		if f.UnitCode == "" {
			f.UnitCode = old.UnitCode
		}
		if f.Year == 0 {
			f.Year = old.Year
		}
		if f.UnitCode != old.UnitCode || f.Year != old.Year {
			return resources.FundingEntry{}, badField("unit", "không đổi được đơn vị hay năm của một số liệu; hãy xóa và nhập lại (the unit and year of an entry cannot change; delete it and enter it again)")
		}
	}
	if err := cat.CheckFunding(f); err != nil {
		return resources.FundingEntry{}, err
	}
	if err := s.allowEnterIn(r, u, f.UnitCode, f.Year); err != nil {
		return resources.FundingEntry{}, err
	}
	return s.db.PutFunding(r.Context(), u.Username, f)
}

// GET /api/v1/funding/summary?unit=&year=&as_of=&format=json|text&lang=vi|en — funding of a
// year below a unit by source, shares, change from the year before, flagged totals.
func (s *Server) fundingSummary(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day := q.asOf()
	year := q.int("year", resYear(day))
	return q.summary(day, func(root string) (textReport, error) { return app.FundingSummary(r.Context(), s.db, root, year, day) })
}

// ---------------------------------------------------------------------------------------
// Works

// GET /api/v1/works?unit=&year=&kind=&status=&as_of=
func (s *Server) listWorks(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day, year := q.asOf(), q.int("year", 0)
	p := r.URL.Query()
	return listIn(q, day, "works", func(sc store.AsOfScope) ([]resources.WorkEntry, error) {
		return s.db.ListWorks(r.Context(), store.WorkFilter{AsOfScope: sc, Year: year, Kind: p.Get("kind"), Status: p.Get("status")})
	})
}

// saveWork checks a work, its linked criterion and the user's right to enter it (on the old
// unit too, when a change moves it), and stores it.
func (s *Server) saveWork(r *http.Request, u *auth.User, id int64, wk resources.Work) (resources.WorkEntry, error) {
	cat, err := resources.Shipped()
	if err != nil {
		return resources.WorkEntry{}, err
	}
	if wk.Status == "" {
		wk.Status = resources.WorkPlanned
	}
	if k, ok := cat.WorkKind(wk.Kind); ok && wk.Measure == "" {
		wk.Measure = k.Measure
	}
	if wk.Budget == nil {
		wk.Budget = map[string]resources.Fixed{}
	}
	if id != 0 {
		if _, err := replaced(s, r, u, id, (*store.DB).Work, workUnit); err != nil {
			return resources.WorkEntry{}, err
		}
	}
	if err := cat.CheckWork(wk); err != nil {
		return resources.WorkEntry{}, err
	}
	rules, err := s.rules(r.Context())
	if err != nil {
		return resources.WorkEntry{}, err
	}
	if err := app.CheckLinkedCriterion(r.Context(), rules, wk.CriterionSet, wk.Criterion); err != nil {
		return resources.WorkEntry{}, err
	}
	if err := s.allowEnterIn(r, u, wk.UnitCode, wk.Year); err != nil {
		return resources.WorkEntry{}, err
	}
	if id != 0 {
		return s.db.UpdateWork(r.Context(), u.Username, id, wk)
	}
	return s.db.CreateWork(r.Context(), u.Username, wk)
}

// addDisbursement checks a disbursement and the right to enter it, and records it.
func (s *Server) addDisbursement(r *http.Request, u *auth.User, wk resources.WorkEntry, d resources.Disbursement) (resources.WorkEntry, error) {
	cat, err := resources.Shipped()
	if err != nil {
		return resources.WorkEntry{}, err
	}
	d.ID = 0
	if err := cat.CheckDisbursement(d); err != nil {
		return resources.WorkEntry{}, err
	}
	return s.db.AddDisbursement(r.Context(), u.Username, wk.ID, d)
}

// POST /api/v1/works/{id}/disbursements {"day", "amount", "source", "note"}
func (s *Server) postDisbursement(r *http.Request, u *auth.User) (any, error) {
	wk, err := worksAPI.load(s, r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	var d resources.Disbursement
	if err := readJSON(r, &d); err != nil {
		return nil, err
	}
	return s.addDisbursement(r, u, wk, d)
}

// DELETE /api/v1/works/{id}/disbursements/{did}
func (s *Server) deleteDisbursement(r *http.Request, u *auth.User) (any, error) {
	wk, err := worksAPI.load(s, r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	did, err := resID(r, "did")
	if err != nil {
		return nil, err
	}
	return s.db.DeleteDisbursement(r.Context(), u.Username, wk.ID, did)
}

// GET /api/v1/works/summary?unit=&year=&as_of=&format=json|text — works by kind ("104,48 km
// đường liên xã"), planned budget, disbursed by the day and the rate.
func (s *Server) worksSummary(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day, year := q.asOf(), q.int("year", 0)
	return q.summary(day, func(root string) (textReport, error) { return app.WorksSummary(r.Context(), s.db, root, year, day) })
}

// ---------------------------------------------------------------------------------------
// Models

// GET /api/v1/models?unit=&kind=&to=&as_of=
func (s *Server) listModels(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day, to := q.asOf(), q.int("to", 0)
	return listIn(q, day, "models", func(sc store.AsOfScope) ([]resources.ModelEntry, error) {
		return s.db.ListModels(r.Context(), store.ModelFilter{AsOfScope: sc, Kind: r.URL.Query().Get("kind"), ToYear: to})
	})
}

// saveModel checks a model and the user's right to enter it for its unit, and stores it.
func (s *Server) saveModel(r *http.Request, u *auth.User, id int64, m resources.Model) (resources.ModelEntry, error) {
	cat, err := resources.Shipped()
	if err != nil {
		return resources.ModelEntry{}, err
	}
	if id != 0 {
		if _, err := replaced(s, r, u, id, (*store.DB).Model, modelUnit); err != nil {
			return resources.ModelEntry{}, err
		}
	}
	if err := cat.CheckModel(m); err != nil {
		return resources.ModelEntry{}, err
	}
	if err := s.allowEnterIn(r, u, m.UnitCode, m.Year); err != nil {
		return resources.ModelEntry{}, err
	}
	if id != 0 {
		return s.db.UpdateModel(r.Context(), u.Username, id, m)
	}
	return s.db.CreateModel(r.Context(), u.Username, m)
}

// GET /api/v1/models/summary?unit=&from=&to=&as_of=&format=json|text — models new in the years
// from..to (default: the year of as_of) and cumulative at the end of to.
func (s *Server) modelsSummary(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day := q.asOf()
	to := q.int("to", resYear(day))
	from := q.int("from", to)
	if q.err == nil && from > to {
		q.err = badField("from", "năm bắt đầu sau năm kết thúc (from is after to)")
	}
	return q.summary(day, func(root string) (textReport, error) {
		return app.ModelsSummary(r.Context(), s.db, root, from, to, day)
	})
}

// ---------------------------------------------------------------------------------------
// Steering meetings

// GET /api/v1/meetings?unit=&from=&to=&as_of=
func (s *Server) listMeetings(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day := q.asOf()
	f := store.MeetingFilter{From: q.date("from"), To: q.date("to")}
	return listIn(q, day, "meetings", func(sc store.AsOfScope) ([]resources.MeetingEntry, error) {
		f.AsOfScope = sc
		return s.db.ListMeetings(r.Context(), f)
	})
}

// saveMeeting checks a meeting and the user's right to manage its committee's work.
func (s *Server) saveMeeting(r *http.Request, u *auth.User, id int64, m resources.Meeting) (resources.MeetingEntry, error) {
	if id != 0 {
		old, err := s.db.Meeting(r.Context(), id)
		if err != nil {
			return resources.MeetingEntry{}, err
		}
		if err := s.allow(r, u, auth.ManageTargets, old.UnitCode, old.Day); err != nil {
			return resources.MeetingEntry{}, err
		}
	}
	if err := resources.CheckMeeting(m); err != nil {
		return resources.MeetingEntry{}, err
	}
	if _, err := s.db.Unit(r.Context(), m.UnitCode, m.Day); errors.Is(err, store.ErrNotFound) {
		return resources.MeetingEntry{}, store.NoUnit(m.UnitCode, string(m.Day))
	} else if err != nil {
		return resources.MeetingEntry{}, err
	}
	if err := s.allow(r, u, auth.ManageTargets, m.UnitCode, m.Day); err != nil {
		return resources.MeetingEntry{}, err
	}
	return s.db.SaveMeeting(r.Context(), u.Username, id, m)
}

// GET /api/v1/meetings/{id} — the meeting with its tasks.
func (s *Server) meetingWithTasks(r *http.Request, m resources.MeetingEntry) (any, error) {
	ts, err := s.db.ListTasks(r.Context(), store.TaskFilter{MeetingID: m.ID})
	if ts == nil {
		ts = []resources.TaskEntry{}
	}
	return struct {
		resources.MeetingEntry
		TaskList []resources.TaskEntry `json:"task_list"`
	}{m, ts}, err
}

// ---------------------------------------------------------------------------------------
// Steering tasks

// GET /api/v1/tasks?unit=&status=&meeting=&overdue=1&owner=&as_of=
func (s *Server) listTasks(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day, meeting := q.asOf(), q.int("meeting", 0)
	p := r.URL.Query()
	return listIn(q, day, "tasks", func(sc store.AsOfScope) ([]resources.TaskEntry, error) {
		return s.db.ListTasks(r.Context(), store.TaskFilter{AsOfScope: sc, MeetingID: int64(meeting),
			Status: p.Get("status"), OverdueOnly: p.Get("overdue") == "1" || p.Get("overdue") == "true", Owner: p.Get("owner")})
	})
}

// saveTask fills a task's defaults (assigned on the meeting's day or today, status open,
// done today when done), checks it, its linked criterion, that its owner unit lies below the
// committee's unit, and the user's right to manage the committee's tasks; then stores it.
func (s *Server) saveTask(r *http.Request, u *auth.User, id int64, t resources.Task) (resources.TaskEntry, error) {
	ctx := r.Context()
	if id != 0 {
		old, err := s.db.Task(ctx, id)
		if err != nil {
			return resources.TaskEntry{}, err
		}
		if err := s.allow(r, u, auth.ManageTargets, old.UnitCode, old.Assigned); err != nil {
			return resources.TaskEntry{}, err
		}
	}
	if t.MeetingID != 0 && t.Assigned == "" {
		m, err := s.db.Meeting(ctx, t.MeetingID)
		if errors.Is(err, store.ErrNotFound) {
			return resources.TaskEntry{}, badField("meeting_id", fmt.Sprintf("không có cuộc họp %d (no meeting %d)", t.MeetingID, t.MeetingID))
		}
		if err != nil {
			return resources.TaskEntry{}, err
		}
		t.Assigned = m.Day
	}
	if t.Assigned == "" {
		t.Assigned = units.Today()
	}
	if t.Status == "" {
		t.Status = resources.TaskOpen
	}
	if t.Status == resources.TaskDone && t.DoneOn == "" {
		t.DoneOn = units.Today()
	}
	if t.OwnerKind == "" {
		t.OwnerKind = resources.OwnerDepartment
	}
	if err := resources.CheckTask(t); err != nil {
		return resources.TaskEntry{}, err
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return resources.TaskEntry{}, err
	}
	if err := app.CheckLinkedCriterion(ctx, rules, t.CriterionSet, t.Criterion); err != nil {
		return resources.TaskEntry{}, err
	}
	committee, owner, err := s.db.TaskUnits(ctx, t)
	if err != nil {
		return resources.TaskEntry{}, err
	}
	if err := s.allow(r, u, auth.ManageTargets, committee.Code, t.Assigned); err != nil {
		return resources.TaskEntry{}, err
	}
	if owner != nil {
		in, err := s.db.InScope(ctx, committee.Code, owner.Code, t.Assigned)
		if err != nil {
			return resources.TaskEntry{}, err
		}
		if !in {
			return resources.TaskEntry{}, badField("owner", fmt.Sprintf("đơn vị %s không thuộc %s; Ban Chỉ đạo chỉ giao nhiệm vụ cho đơn vị trực thuộc (unit %s is not below %s)",
				owner.FullName, committee.FullName, owner.Code, committee.Code))
		}
	}
	if t.LinkedUnit != "" {
		if _, err := s.db.Unit(ctx, t.LinkedUnit, t.Assigned); err != nil {
			return resources.TaskEntry{}, badField("linked_unit", fmt.Sprintf("không có đơn vị mã %s ngày %s (no unit %s on %s)", t.LinkedUnit, t.Assigned, t.LinkedUnit, t.Assigned))
		}
	}
	return s.db.SaveTask(ctx, u.Username, id, t)
}

// canReadTask: the committee's unit or the owner unit is readable by u.
func (s *Server) allowTask(r *http.Request, u *auth.User, t resources.TaskEntry, committee, owner auth.Action) error {
	err := s.allow(r, u, committee, t.UnitCode, t.Assigned)
	if err == nil || t.OwnerKind != resources.OwnerUnit || owner == "" {
		return err
	}
	if s.allow(r, u, owner, t.Owner, t.Assigned) == nil {
		return nil
	}
	return err
}

func (s *Server) loadTask(r *http.Request, u *auth.User, committee, owner auth.Action) (resources.TaskEntry, error) {
	id, err := resID(r, "id")
	if err != nil {
		return resources.TaskEntry{}, err
	}
	t, err := s.db.Task(r.Context(), id)
	if err != nil {
		return t, err
	}
	return t, s.allowTask(r, u, t, committee, owner)
}

// addTaskNote checks and records a progress note (and a change of status).
func (s *Server) addTaskNote(r *http.Request, u *auth.User, t resources.TaskEntry, day units.Date, note, status string) (resources.TaskEntry, error) {
	if day == "" {
		day = units.Today()
	}
	if _, err := units.ParseDate(string(day)); err != nil {
		return resources.TaskEntry{}, badField("day", "day: "+err.Error())
	}
	if status != "" && status != resources.TaskOpen && status != resources.TaskInProgress && status != resources.TaskDone {
		return resources.TaskEntry{}, badField("status", "tình trạng là open, in_progress hoặc done (status is open, in_progress or done)")
	}
	if strings.TrimSpace(note) == "" && (status == "" || status == t.Status) {
		return resources.TaskEntry{}, badField("note", "hãy ghi tiến độ thực hiện hoặc đổi tình trạng (write a progress note or change the status)")
	}
	return s.db.AddTaskNote(r.Context(), u.Username, t.ID, day, strings.TrimSpace(note), status)
}

// POST /api/v1/tasks/{id}/notes {"day", "note", "status"} — a progress note, by the committee
// or the owner unit; with status, the task's new status (done: done on day).
func (s *Server) postTaskNote(r *http.Request, u *auth.User) (any, error) {
	t, err := s.loadTask(r, u, auth.ManageTargets, auth.Enter)
	if err != nil {
		return nil, err
	}
	var body struct {
		Day    units.Date `json:"day"`
		Note   string     `json:"note"`
		Status string     `json:"status"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	return s.addTaskNote(r, u, t, body.Day, body.Note, body.Status)
}

// GET /api/v1/tasks/overdue?unit=&as_of=&format=json|text — the tasks overdue on the day,
// also per owner.
func (s *Server) overdueTasks(r *http.Request, u *auth.User) (any, error) {
	q := s.query(r, u)
	day := q.asOf()
	return q.summary(day, func(root string) (textReport, error) { return app.OverdueTasks(r.Context(), s.db, root, day) })
}

// ---------------------------------------------------------------------------------------
// Import of existing lists

// maxResourceImport bounds an uploaded list (XLSX or CSV).
const maxResourceImport = 20 << 20

// importList reads a list (kind "funding", "works" or "models") from an XLSX or CSV file,
// checks every row, and that the user may import for every row's unit (403 naming the rows
// otherwise), and stores all of it or none.
func (s *Server) importList(r *http.Request, u *auth.User, kind, name string, data []byte) (store.ListImport, error) {
	ctx := r.Context()
	cat, err := resources.Shipped()
	if err != nil {
		return store.ListImport{}, err
	}
	tab, err := resources.ReadTable(name, data)
	if err != nil {
		return store.ListImport{}, err
	}
	type rowUnit struct {
		line int
		code string
		year int
	}
	var rows []rowUnit
	var funding []resources.FundingRow
	var works []resources.WorkRow
	var models []resources.ModelRow
	switch kind {
	case "funding":
		if funding, err = cat.ReadFunding(tab); err != nil {
			return store.ListImport{}, err
		}
		for _, x := range funding {
			rows = append(rows, rowUnit{x.Line, x.UnitCode, x.Year})
		}
	case "works":
		if works, err = cat.ReadWorks(tab); err != nil {
			return store.ListImport{}, err
		}
		rules, err := s.rules(ctx)
		if err != nil {
			return store.ListImport{}, err
		}
		var probs []resources.Problem
		for _, x := range works {
			rows = append(rows, rowUnit{x.Line, x.UnitCode, x.Year})
			if err := app.CheckLinkedCriterion(ctx, rules, x.CriterionSet, x.Criterion); err != nil {
				fe, ok := resources.FieldOf(err)
				if !ok {
					return store.ListImport{}, err
				}
				probs = append(probs, resources.Problem{Line: x.Line, Field: fe.Field, VI: fe.Words.VI, EN: fe.Words.EN})
			}
		}
		if len(probs) > 0 {
			return store.ListImport{}, resources.ImportFault(name, probs)
		}
	case "models":
		if models, err = cat.ReadModels(tab); err != nil {
			return store.ListImport{}, err
		}
		for _, x := range models {
			rows = append(rows, rowUnit{x.Line, x.UnitCode, x.Year})
		}
	}
	// The right to import for each row's unit, as the unit is in the row's year; rows whose
	// unit does not exist are left to the store, which names them.
	scopes := map[units.Date]unitScope{}
	var refused []string
	for _, x := range rows {
		unit, err := s.db.UnitInYear(ctx, x.code, x.year)
		if errors.Is(err, store.ErrNoUnit) {
			continue
		}
		if err != nil {
			return store.ListImport{}, err
		}
		day := store.YearDay(x.year, unit.ValidFrom)
		sc, ok := scopes[day]
		if !ok {
			if sc, err = s.scope(r, u, auth.Import, day); err != nil {
				return store.ListImport{}, err
			}
			scopes[day] = sc
		}
		if !sc.has(unit.Code) {
			refused = append(refused, fmt.Sprintf("%d (%s)", x.line, unit.Code))
		}
	}
	if len(refused) > 0 {
		return store.ListImport{}, rowsRefused(u, refused)
	}
	switch kind {
	case "funding":
		return s.db.ImportFunding(ctx, u.Username, name, funding)
	case "works":
		return s.db.ImportWorks(ctx, u.Username, name, works)
	}
	return s.db.ImportModels(ctx, u.Username, name, models)
}

// importer handles POST /api/v1/{funding,works,models}/import?filename=NAME: the body is the
// XLSX (or CSV) file. 200 with the counts, 422 with the problems by row and column, 403 when
// a row's unit is outside the user's scope; nothing is stored unless every row is.
func (s *Server) importer(kind string) apiFunc {
	return func(r *http.Request, u *auth.User) (any, error) {
		if err := mayImportAny(u, auth.Import); err != nil {
			return nil, err
		}
		data, err := io.ReadAll(http.MaxBytesReader(writerOf(r), r.Body, maxResourceImport))
		if err != nil {
			return nil, badField("body", fmt.Sprintf("tệp quá lớn hoặc không đọc được (file too large or unreadable, at most %d MB)", maxResourceImport>>20))
		}
		if len(data) == 0 {
			return nil, badField("body", "gửi tệp XLSX hoặc CSV trong nội dung yêu cầu (send the XLSX or CSV file as the request body)")
		}
		name := r.URL.Query().Get("filename")
		if name == "" {
			name = kind + ".xlsx"
		}
		return s.importList(r, u, kind, name, data)
	}
}

// rowsRefused refuses an import whose rows (each "LINE (UNIT)") name units outside the
// user's scope, naming the first ten.
func rowsRefused(u *auth.User, rows []string) error {
	sort.Strings(rows)
	if len(rows) > 10 {
		rows = append(rows[:10], "…")
	}
	return auth.Refusal(u.Role, auth.Import, "dòng (rows) "+strings.Join(rows, ", "))
}

// readFileBody reads a file sent as the request's body (at most max bytes); one that is
// missing, too large or unreadable is a 400 on body with message.
func readFileBody(r *http.Request, max int64, message string) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(writerOf(r), r.Body, max))
	if err != nil || len(data) == 0 {
		return nil, badField("body", message)
	}
	return data, nil
}
