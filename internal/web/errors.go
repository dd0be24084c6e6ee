package web

import (
	"net/http"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
)

// errorStatus is the HTTP status of each fault code: the one table from an error to an API
// answer. A code missing here is a mistake and answers 500.
var errorStatus = map[fault.Code]int{
	fault.Invalid:         http.StatusBadRequest,
	fault.InvalidValue:    http.StatusUnprocessableEntity,
	fault.InvalidFile:     http.StatusUnprocessableEntity,
	fault.Rule:            http.StatusUnprocessableEntity,
	fault.NotFound:        http.StatusNotFound,
	fault.Forbidden:       http.StatusForbidden,
	fault.Duties:          http.StatusForbidden,
	fault.Conflict:        http.StatusConflict,
	fault.Exists:          http.StatusConflict,
	fault.VersionRequired: http.StatusPreconditionRequired,
	fault.TooLarge:        http.StatusRequestEntityTooLarge,
	fault.TooMany:         http.StatusTooManyRequests,
	fault.Unauthenticated: http.StatusUnauthorized,
	fault.Unavailable:     http.StatusServiceUnavailable,
	fault.CrossSite:       http.StatusForbidden,
	fault.BadCredentials:  http.StatusUnauthorized,
	fault.WrongPassword:   http.StatusUnprocessableEntity,
	fault.NoBoundaries:    http.StatusNotFound,
	fault.InvalidSet:      http.StatusUnprocessableEntity,
}

// fail writes err as the API's one error shape: {"error": {code, message, field}}, with the
// record as stored now ("current", a conflict), the id of the one that exists ("id"), or the
// problems of a file ("problems"). An error that is not a fault is ours: it is logged and
// answered 500 without its details.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	f, ok := fault.As(err)
	status := 0
	if ok {
		status = errorStatus[f.Code]
	}
	if status == 0 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal error", "")
		return
	}
	body := map[string]any{"error": apiError{Code: string(f.Code), Message: f.Message(pageLang(r)), Field: f.Field}}
	switch {
	case f.Code == fault.Conflict && f.Current != nil:
		body["current"] = f.Current
	case f.Code == fault.Exists && f.Current != nil:
		body["id"] = f.Current
	}
	if f.Problems != nil {
		body["problems"] = f.Problems
		if f.Truncated {
			body["truncated"] = true
		}
	}
	writeJSON(w, status, body)
}

// badField is a malformed request parameter or body field (400 naming it).
func badField(field, message string) error {
	return &fault.Error{Code: fault.Invalid, Text: message, Field: field}
}

// withCurrent returns err, a conflict, carrying current: what the user should see instead.
func withCurrent(err error, current any) error {
	f, ok := fault.As(err)
	if !ok || f.Code != fault.Conflict {
		return err
	}
	g := *f
	g.Current = current
	return &g
}

// versionRequired is a write without the version it changes (428 naming If-Match).
func versionRequired(message string) error {
	return &fault.Error{Code: fault.VersionRequired, Text: message, Field: "If-Match"}
}

// isInvalid reports whether err is a malformed request field (see badField).
func isInvalid(err error) bool { return fault.Is(err, fault.Invalid) }

// invalidMessage is the message of a malformed field, as a page shows it.
func invalidMessage(err error) string {
	if f, ok := fault.As(err); ok {
		return f.Message(i18n.Default)
	}
	return err.Error()
}

// pageFault is the status and the message in lang that a page answers err with: the status
// is errorStatus's, as the API's; ok is false for an error that is not a fault (ours: a 500,
// to log).
func pageFault(lang string, err error) (status int, msg string, ok bool) {
	f, ok := fault.As(err)
	if !ok || errorStatus[f.Code] == 0 {
		return http.StatusInternalServerError, "", false
	}
	return errorStatus[f.Code], f.In(lang), true
}

// faultMessage is the message of err, a fault, in the page's language.
func (p *page) faultMessage(err error) string {
	_, msg, ok := pageFault(p.Lang, err)
	if !ok {
		return err.Error()
	}
	return msg
}
