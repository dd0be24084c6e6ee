package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

func (s *Server) assessmentRoutes() {
	s.mux.HandleFunc("GET /api/v1/assessments", s.authed(s.listAssessments))
	s.mux.HandleFunc("POST /api/v1/assessments", s.authed(s.createAssessment))
	s.mux.HandleFunc("GET /api/v1/assessments/{id}", s.authed(s.getAssessment))
	s.mux.HandleFunc("PATCH /api/v1/assessments/{id}/values", s.authed(s.patchValues))
	s.mux.HandleFunc("POST /api/v1/assessments/{id}/status", s.authed(s.changeStatus))
	s.mux.HandleFunc("GET /api/v1/assessments/{id}/evaluation", s.authed(s.assessmentEvaluation))
	s.mux.HandleFunc("GET /api/v1/assessments/{id}/history", s.authed(s.assessmentHistory))
	s.mux.HandleFunc("POST /api/v1/evaluate", s.authed(s.evaluateValues))
}

// unitDay is a day on which an assessment's unit exists during its period: scope checks
// ask about the unit as it was then.
func unitDay(a store.Assessment) units.Date { return app.UnitDay(a) }

// etag is an assessment's version as an HTTP entity tag.
func etag(a store.Assessment) string { return fmt.Sprintf(`"%d"`, a.Version) }

func writeAssessment(w http.ResponseWriter, status int, a store.Assessment) {
	w.Header().Set("ETag", etag(a))
	writeJSON(w, status, a)
}

// loadAssessment reads the assessment named in the path and checks that u may take action
// on its unit.
func (s *Server) loadAssessment(r *http.Request, u *auth.User, action auth.Action) (store.Assessment, error) {
	id, err := pathID(r)
	if err != nil {
		return store.Assessment{}, err
	}
	a, err := s.db.Assessment(r.Context(), id)
	if err != nil {
		return a, err
	}
	if err := s.allow(r, u, action, a.UnitCode, unitDay(a)); err != nil {
		// A unit out of reach is answered as a refusal even for reads, so that ids cannot be
		// probed for another unit's data: the body says nothing of the assessment.
		return store.Assessment{}, err
	}
	return a, nil
}

// version reads the version a write is based on: If-Match, else "version" in the body.
func version(r *http.Request, body int) (int, error) {
	if m := strings.Trim(strings.TrimPrefix(r.Header.Get("If-Match"), "W/"), `" `); m != "" {
		v, err := strconv.Atoi(m)
		if err != nil {
			return 0, versionRequired("If-Match must be the assessment's ETag")
		}
		return v, nil
	}
	if body > 0 {
		return body, nil
	}
	return 0, versionRequired("sửa đánh giá cần phiên bản đang sửa: gửi If-Match hoặc version (a write needs the version it is based on: send If-Match or version)")
}

// GET /api/v1/assessments?unit=&within=&set=&period=&status=&limit=
func (s *Server) listAssessments(w http.ResponseWriter, r *http.Request, u *auth.User) {
	q := r.URL.Query()
	if q.Get("queue") != "" {
		s.listQueue(w, r, u) // queue.go
		return
	}
	f := store.AssessmentFilter{UnitCode: q.Get("unit"), Within: q.Get("within"), SetID: q.Get("set"),
		Period: q.Get("period"), Status: assessment.Status(q.Get("status"))}
	if f.Period != "" {
		p, err := assessment.ParsePeriod(f.Period)
		if err != nil {
			s.fail(w, r, badField("period", err.Error()))
			return
		}
		f.Period = p.Text
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.fail(w, r, badField("limit", "limit must be a positive whole number"))
			return
		}
		f.Limit = n
	}
	// A unit asked for must be readable (as the code names it on as_of); without one, list
	// what lies below the user's home unit.
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, code := range []string{f.UnitCode, f.Within} {
		if code == "" {
			continue
		}
		if err := s.allow(r, u, auth.Read, code, day); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if f.UnitCode == "" && f.Within == "" && u.Role.Reach(auth.Read) != auth.Everywhere {
		f.Within = u.UnitCode
	}
	list, err := s.db.ListAssessments(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Keep only what the user may read: each row's unit as it was during its period.
	out := []store.Assessment{}
	seen := map[string]bool{}
	for _, a := range list {
		key := a.UnitCode + "@" + string(unitDay(a))
		ok, checked := seen[key]
		if !checked {
			ok = s.allow(r, u, auth.Read, a.UnitCode, unitDay(a)) == nil
			seen[key] = ok
		}
		if ok {
			out = append(out, a)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"assessments": out, "count": len(out)})
}

// POST /api/v1/assessments {"unit", "set", "period"}
func (s *Server) createAssessment(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var body struct{ Unit, Set, Period string }
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := assessment.ParsePeriod(body.Period)
	if err != nil {
		s.fail(w, r, badField("period", err.Error()))
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := cat.CreateAssessment(r.Context(), u, body.Unit, body.Set, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/assessments/%d", a.ID))
	writeAssessment(w, http.StatusCreated, a)
}

// GET /api/v1/assessments/{id}
func (s *Server) getAssessment(w http.ResponseWriter, r *http.Request, u *auth.User) {
	a, err := s.loadAssessment(r, u, auth.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeAssessment(w, http.StatusOK, a)
}

// valueInput is one value in a PATCH: a null value removes it.
type valueInput struct {
	Code  string  `json:"code"`
	Value *string `json:"value"`
	Note  string  `json:"note"`
}

// assessmentChange is what every change of an assessment starts from: the assessment the
// path names, the version the change is based on, and the criteria sets to evaluate it with.
type assessmentChange struct {
	id      int64
	version int
	cat     *app.Catalog
}

// readChange decodes the request's body into body, whose field bodyVersion may carry the
// version instead of If-Match, and reads the rest of an assessmentChange.
func (s *Server) readChange(w http.ResponseWriter, r *http.Request, body any, bodyVersion *int) (assessmentChange, error) {
	if err := readBody(w, r, body); err != nil {
		return assessmentChange{}, err
	}
	v, err := version(r, *bodyVersion)
	if err != nil {
		return assessmentChange{}, err
	}
	id, err := pathID(r)
	if err != nil {
		return assessmentChange{}, err
	}
	cat, err := s.rules(r.Context())
	return assessmentChange{id: id, version: v, cat: cat}, err
}

// PATCH /api/v1/assessments/{id}/values {"version"?, "values": [{"code", "value", "note"}]}
// with If-Match: the version it is based on.
func (s *Server) patchValues(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var body struct {
		Version int          `json:"version"`
		Values  []valueInput `json:"values"`
	}
	c, err := s.readChange(w, r, &body, &body.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	changes := make([]store.ValueChange, len(body.Values))
	for i, in := range body.Values {
		changes[i] = store.ValueChange{Code: in.Code, Value: in.Value, Note: in.Note}
	}
	a, err := c.cat.SetValues(r.Context(), u, c.id, c.version, changes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeAssessment(w, http.StatusOK, a)
}

// POST /api/v1/assessments/{id}/status {"action", "comment", "version"?} with If-Match.
func (s *Server) changeStatus(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var body struct {
		Action  assessment.Action `json:"action"`
		Comment string            `json:"comment"`
		Version int               `json:"version"`
	}
	c, err := s.readChange(w, r, &body, &body.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := c.cat.ChangeStatus(r.Context(), u, c.id, c.version, body.Action, body.Comment)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeAssessment(w, http.StatusOK, a)
}

// GET /api/v1/assessments/{id}/evaluation?lang=vi|en — the full verdicts, computed now.
func (s *Server) assessmentEvaluation(w http.ResponseWriter, r *http.Request, u *auth.User) {
	a, err := s.loadAssessment(r, u, auth.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	unit, err := s.unitVersion(r, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	texts := make(map[string]string, len(a.Values))
	for k, v := range a.Values {
		texts[k] = v.Value
	}
	res, err := cat.Evaluate(r.Context(), a.SetID, unit, texts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(a))
	writeJSON(w, http.StatusOK, res)
}

// unitVersion returns the unit an assessment is about.
func (s *Server) unitVersion(r *http.Request, a store.Assessment) (units.Unit, error) {
	return s.db.Unit(r.Context(), a.UnitCode, unitDay(a))
}

// GET /api/v1/assessments/{id}/history — who changed what, from the audit log.
func (s *Server) assessmentHistory(w http.ResponseWriter, r *http.Request, u *auth.User) {
	a, err := s.loadAssessment(r, u, auth.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	log, err := s.db.AuditLog(r.Context(), store.AuditFilter{Entity: "assessment", EntityID: strconv.FormatInt(a.ID, 10), Limit: 1000})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if log == nil {
		log = []store.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": log, "count": len(log)})
}

// POST /api/v1/evaluate {"set", "unit", "period"?, "as_of"?, "values": {code: text}} —
// evaluates values without storing them: the form's live pass/fail, and offices checking a
// commune before entering data.
func (s *Server) evaluateValues(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var body struct {
		Set    string            `json:"set"`
		Unit   string            `json:"unit"`
		Period string            `json:"period"`
		AsOf   string            `json:"as_of"`
		Values map[string]string `json:"values"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	day := units.Today()
	if body.Period != "" {
		p, err := assessment.ParsePeriod(body.Period)
		if err != nil {
			s.fail(w, r, badField("period", err.Error()))
			return
		}
		day = p.End
	} else if body.AsOf != "" {
		d, err := units.ReadDate(body.AsOf)
		if err != nil {
			s.fail(w, r, badField("as_of", err.Error()))
			return
		}
		day = d
	}
	unit, err := s.db.Unit(r.Context(), body.Unit, day)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, &fault.Error{Code: fault.NotFound, Text: fmt.Sprintf("không có đơn vị %s ngày %s (no unit %s on %s)", body.Unit, day, body.Unit, day), Field: "unit"})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.allow(r, u, auth.Read, unit.Code, day); err != nil {
		s.fail(w, r, err)
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := cat.Evaluate(r.Context(), body.Set, unit, body.Values)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
