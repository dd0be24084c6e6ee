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

// unitDay is a day on which an assessment's unit exists during its period: scope checks
// ask about the unit as it was then.
func unitDay(a store.Assessment) units.Date { return app.UnitDay(a) }

// etag is an assessment's version as an HTTP entity tag.
func etag(a store.Assessment) string { return fmt.Sprintf(`"%d"`, a.Version) }

// loadAssessment reads the assessment named in the path and checks that u may take action
// on its unit.
func (s *Server) loadAssessment(r *http.Request, u *auth.User, action auth.Action) (store.Assessment, error) {
	// A unit out of reach is answered as a refusal even for reads, so that ids cannot be
	// probed for another unit's data: the body says nothing of the assessment.
	return atPath(r, func(id int64) (store.Assessment, error) {
		return loadAllowed(s, r, u, action, id, s.db.Assessment, func(a store.Assessment) (string, units.Date) { return a.UnitCode, unitDay(a) })
	})
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
func (s *Server) listAssessments(r *http.Request, u *auth.User) (any, error) {
	q := r.URL.Query()
	if q.Get("queue") != "" {
		return s.listQueue(r, u) // queue.go
	}
	f := store.AssessmentFilter{UnitCode: q.Get("unit"), Within: q.Get("within"), SetID: q.Get("set"),
		Period: q.Get("period"), Status: assessment.Status(q.Get("status"))}
	if f.Period != "" {
		p, err := assessment.ParsePeriod(f.Period)
		if err != nil {
			return nil, badField("period", err.Error())
		}
		f.Period = p.Text
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, badField("limit", "limit must be a positive whole number")
		}
		f.Limit = n
	}
	// A unit asked for must be readable (as the code names it on as_of); without one, list
	// what lies below the user's home unit.
	day, err := asOf(r)
	for _, code := range []string{f.UnitCode, f.Within} {
		if code != "" && err == nil {
			err = s.allow(r, u, auth.Read, code, day)
		}
	}
	if err != nil {
		return nil, err
	}
	if f.UnitCode == "" && f.Within == "" && u.Role.Reach(auth.Read) != auth.Everywhere {
		f.Within = u.UnitCode
	}
	list, err := s.db.ListAssessments(r.Context(), f)
	if err != nil {
		return nil, err
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
	return map[string]any{"assessments": out, "count": len(out)}, nil
}

// POST /api/v1/assessments {"unit", "set", "period"}
func (s *Server) createAssessment(r *http.Request, u *auth.User) (any, error) {
	var body struct{ Unit, Set, Period string }
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	p, err := assessment.ParsePeriod(body.Period)
	if err != nil {
		return nil, badField("period", err.Error())
	}
	a, err := withRules(s, r, func(cat *app.Catalog) (store.Assessment, error) {
		return cat.CreateAssessment(r.Context(), u, body.Unit, body.Set, p)
	})
	if err != nil {
		return nil, err
	}
	return located{fmt.Sprintf("/api/v1/assessments/%d", a.ID), tagged{etag(a), a}}, nil
}

// GET /api/v1/assessments/{id}
func (s *Server) getAssessment(r *http.Request, u *auth.User) (any, error) {
	return assessed(s.loadAssessment(r, u, auth.Read))
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
func (s *Server) readChange(r *http.Request, body any, bodyVersion *int) (assessmentChange, error) {
	if err := readJSON(r, body); err != nil {
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
func (s *Server) patchValues(r *http.Request, u *auth.User) (any, error) {
	var body struct {
		Version int          `json:"version"`
		Values  []valueInput `json:"values"`
	}
	c, err := s.readChange(r, &body, &body.Version)
	if err != nil {
		return nil, err
	}
	changes := make([]store.ValueChange, len(body.Values))
	for i, in := range body.Values {
		changes[i] = store.ValueChange{Code: in.Code, Value: in.Value, Note: in.Note}
	}
	return assessed(c.cat.SetValues(r.Context(), u, c.id, c.version, changes))
}

// POST /api/v1/assessments/{id}/status {"action", "comment", "version"?} with If-Match.
func (s *Server) changeStatus(r *http.Request, u *auth.User) (any, error) {
	var body struct {
		Action  assessment.Action `json:"action"`
		Comment string            `json:"comment"`
		Version int               `json:"version"`
	}
	c, err := s.readChange(r, &body, &body.Version)
	if err != nil {
		return nil, err
	}
	return assessed(c.cat.ChangeStatus(r.Context(), u, c.id, c.version, body.Action, body.Comment))
}

// GET /api/v1/assessments/{id}/evaluation?lang=vi|en — the full verdicts, computed now.
func (s *Server) assessmentEvaluation(r *http.Request, u *auth.User) (any, error) {
	a, err := s.loadAssessment(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	unit, err := s.unitVersion(r, a)
	if err != nil {
		return nil, err
	}
	texts := make(map[string]string, len(a.Values))
	for k, v := range a.Values {
		texts[k] = v.Value
	}
	res, err := withRules(s, r, func(cat *app.Catalog) (any, error) { return cat.Evaluate(r.Context(), a.SetID, unit, texts) })
	return tagged{etag(a), res}, err
}

// unitVersion returns the unit an assessment is about.
func (s *Server) unitVersion(r *http.Request, a store.Assessment) (units.Unit, error) {
	return s.db.Unit(r.Context(), a.UnitCode, unitDay(a))
}

// GET /api/v1/assessments/{id}/history — who changed what, from the audit log.
func (s *Server) assessmentHistory(r *http.Request, u *auth.User) (any, error) {
	a, err := s.loadAssessment(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	log, err := s.db.AuditLog(r.Context(), store.AuditFilter{Entity: "assessment", EntityID: strconv.FormatInt(a.ID, 10), Limit: 1000})
	if log == nil {
		log = []store.AuditEntry{}
	}
	return map[string]any{"entries": log, "count": len(log)}, err
}

// POST /api/v1/evaluate {"set", "unit", "period"?, "as_of"?, "values": {code: text}} —
// evaluates values without storing them: the form's live pass/fail, and offices checking a
// commune before entering data.
func (s *Server) evaluateValues(r *http.Request, u *auth.User) (any, error) {
	var body struct {
		Set    string            `json:"set"`
		Unit   string            `json:"unit"`
		Period string            `json:"period"`
		AsOf   string            `json:"as_of"`
		Values map[string]string `json:"values"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	day := units.Today()
	if body.Period != "" {
		p, err := assessment.ParsePeriod(body.Period)
		if err != nil {
			return nil, badField("period", err.Error())
		}
		day = p.End
	} else if body.AsOf != "" {
		d, err := units.ReadDate(body.AsOf)
		if err != nil {
			return nil, badField("as_of", err.Error())
		}
		day = d
	}
	unit, err := s.db.Unit(r.Context(), body.Unit, day)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &fault.Error{Code: fault.NotFound, Text: fmt.Sprintf("không có đơn vị %s ngày %s (no unit %s on %s)", body.Unit, day, body.Unit, day), Field: "unit"}
	}
	if err == nil {
		err = s.allow(r, u, auth.Read, unit.Code, day)
	}
	if err != nil {
		return nil, err
	}
	return withRules(s, r, func(cat *app.Catalog) (any, error) { return cat.Evaluate(r.Context(), body.Set, unit, body.Values) })
}

// assessed answers an assessment with its version as ETag.
func assessed(a store.Assessment, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return tagged{etag(a), a}, nil
}
