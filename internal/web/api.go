package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// apiFunc is the one shape of an API handler: it reads the request (path, query, body with
// readJSON), calls app or the store, and returns what the answer carries, or the error.
// s.api writes either, so that a handler holds no HTTP of its own.
type apiFunc func(r *http.Request, u *auth.User) (any, error)

// api serves h to signed-in users: 200 with h's result as JSON (or as the result writes
// itself, see selfWriting), or the error as s.fail answers it.
func (s *Server) api(h apiFunc) http.HandlerFunc { return s.authed(s.answer(http.StatusOK, h)) }

// apiStatus is api answering status on success (201 for an entry added; 204 answers no body).
func (s *Server) apiStatus(status int, h apiFunc) http.HandlerFunc {
	return s.authed(s.answer(status, h))
}

// answer adapts h to the handlers that authed wraps.
func (s *Server) answer(status int, h apiFunc) func(http.ResponseWriter, *http.Request, *auth.User) {
	return func(w http.ResponseWriter, r *http.Request, u *auth.User) {
		out, err := h(r.WithContext(context.WithValue(r.Context(), writerKey{}, w)), u)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeAPI(w, r, status, out)
	}
}

// writeAPI writes a result with status: itself if it is selfWriting, no body for 204, else
// as JSON.
func writeAPI(w http.ResponseWriter, r *http.Request, status int, out any) {
	switch v := out.(type) {
	case selfWriting:
		v.write(w, r, status)
	default:
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, v)
	}
}

// selfWriting is a result that writes its own answer: a text, a file, a body with headers.
type selfWriting interface {
	write(w http.ResponseWriter, r *http.Request, status int)
}

// writerKey holds, in a request's context, the ResponseWriter that readJSON bounds the body with.
type writerKey struct{}

// readJSON decodes a small JSON request body into v (see readBody), in an apiFunc.
func readJSON(r *http.Request, v any) error {
	return readBody(writerOf(r), r, v)
}

// located is a result answered with a Location header naming it.
type located struct {
	at string
	v  any
}

func (l located) write(w http.ResponseWriter, r *http.Request, status int) {
	w.Header().Set("Location", l.at)
	writeAPI(w, r, status, l.v)
}

// textOr is a report answered as its sentences when format=text (lang=vi|en), else as JSON.
type textOr struct {
	v    any
	text func(lang string) string
}

func (t textOr) write(w http.ResponseWriter, r *http.Request, status int) {
	if r.URL.Query().Get("format") == "text" {
		lang := r.URL.Query().Get("lang")
		if lang != "en" {
			lang = "vi"
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, t.text(lang)+"\n")
		return
	}
	writeJSON(w, status, t.v)
}

// listed is the answer of a list below a unit: {unit, as_of, <key>: list, count}; a list
// with nothing in it is [] rather than null.
func listed[T any](root string, day units.Date, key string, list []T) map[string]any {
	if list == nil {
		list = []T{}
	}
	return map[string]any{"unit": root, "as_of": day, key: list, "count": len(list)}
}

// listIn answers a list of key: what list finds below the unit q reads (see root) as of day.
// The handler reads its other parameters before, so that q keeps the first error.
func listIn[T any](q *query, day units.Date, key string, list func(store.AsOfScope) ([]T, error)) (any, error) {
	root := q.root(day)
	if q.err != nil {
		return nil, q.err
	}
	l, err := list(store.AsOfScope{Root: root, AsOf: day})
	return listed(root, day, key, l), err
}

// query reads the parameters of a request one after the other and keeps the first error:
// after one, the others read nothing (and check nothing), so a handler checks err once.
type query struct {
	s   *Server
	r   *http.Request
	u   *auth.User
	err error
}

func (s *Server) query(r *http.Request, u *auth.User) *query { return &query{s: s, r: r, u: u} }

// asOf reads as_of (default today; see asOf).
func (q *query) asOf() units.Date {
	if q.err != nil {
		return ""
	}
	var d units.Date
	d, q.err = asOf(q.r)
	return d
}

// int reads a whole number (def when absent).
func (q *query) int(name string, def int) int {
	if q.err != nil {
		return 0
	}
	var n int
	n, q.err = queryInt(q.r, name, def)
	return n
}

// root reads the unit a list or roll-up is below (see resRoot), checked for reading on day.
func (q *query) root(day units.Date) string {
	if q.err != nil {
		return ""
	}
	var root string
	root, q.err = q.s.resRoot(q.r, q.u, day)
	return root
}

// asOf reads the as_of parameter (default: today in Vietnam).
func asOf(r *http.Request) (units.Date, error) {
	v := r.URL.Query().Get("as_of")
	if v == "" {
		return units.Today(), nil
	}
	d, err := units.ReadDate(v)
	if err != nil {
		return "", badField("as_of", "as_of: "+err.Error())
	}
	return d, nil
}

// queryInt reads the whole number ?name= (def when absent).
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badField(name, fmt.Sprintf("%s phải là số nguyên, ví dụ 2025 (%s must be a whole number such as 2025)", name, name))
	}
	return n, nil
}

// resRoot is the unit a list or roll-up is below: the unit asked for, else the user's home
// unit (the country for roles that read everywhere), checked for reading as of day.
func (s *Server) resRoot(r *http.Request, u *auth.User, day units.Date) (string, error) {
	unit := r.URL.Query().Get("unit")
	if unit == "" && u.Role.Reach(auth.Read) != auth.Everywhere {
		unit = u.UnitCode
	}
	return unit, s.allow(r, u, auth.Read, unit, day)
}

// date reads the day ?name= ("" when absent).
func (q *query) date(name string) units.Date {
	v := q.r.URL.Query().Get(name)
	if q.err != nil || v == "" {
		return ""
	}
	d, err := units.ReadDate(v)
	if err != nil {
		q.err = badField(name, name+": "+err.Error())
	}
	return d
}

// report is a roll-up that a summary endpoint answers as JSON or, with format=text, as its
// sentences.
type textReport interface{ Text(lang string) string }

// summary answers the roll-up that of reads below the unit q reads (see root) as of day.
func (q *query) summary(day units.Date, of func(root string) (textReport, error)) (any, error) {
	root := q.root(day)
	if q.err != nil {
		return nil, q.err
	}
	rep, err := of(root)
	if err != nil {
		return nil, err
	}
	return textOr{rep, rep.Text}, nil
}

// writerOf is the ResponseWriter of an apiFunc's request, for bounding what it reads.
func writerOf(r *http.Request) http.ResponseWriter {
	w, _ := r.Context().Value(writerKey{}).(http.ResponseWriter)
	return w
}

// download answers a file to save: its content type, Content-Disposition and bytes.
type download struct {
	contentType, disposition string
	data                     []byte
}

func (d download) write(w http.ResponseWriter, r *http.Request, status int) {
	w.Header().Set("Content-Type", d.contentType)
	w.Header().Set("Content-Disposition", d.disposition)
	w.Write(d.data)
}

// atPath loads the entry that the path's {id} names (see pathID).
func atPath[T any](r *http.Request, load func(id int64) (T, error)) (T, error) {
	id, err := pathID(r)
	if err != nil {
		var zero T
		return zero, err
	}
	return load(id)
}

// loadAllowed reads entry id with one and checks that u may take action on the unit it is
// about (unit: its code and the day that names it); a refused entry is not returned.
func loadAllowed[T any](s *Server, r *http.Request, u *auth.User, action auth.Action, id int64, one func(context.Context, int64) (T, error), unit func(T) (string, units.Date)) (T, error) {
	v, err := one(r.Context(), id)
	if err != nil {
		return v, err
	}
	code, day := unit(v)
	if err := s.allow(r, u, action, code, day); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// tagged is a result answered with its entity tag (ETag).
type tagged struct {
	etag string
	v    any
}

func (t tagged) write(w http.ResponseWriter, r *http.Request, status int) {
	w.Header().Set("ETag", t.etag)
	writeJSON(w, status, t.v)
}

// withRules calls f with the criteria sets in force.
func withRules[T any](s *Server, r *http.Request, f func(*app.Catalog) (T, error)) (T, error) {
	cat, err := s.rules(r.Context())
	if err != nil {
		var zero T
		return zero, err
	}
	return f(cat)
}

// storedFile answers a stored upload as a download (see serveStored).
type storedFile struct {
	contentType, filename, sha string
	at                         time.Time
	content                    []byte
}

func (f storedFile) write(w http.ResponseWriter, r *http.Request, status int) {
	serveStored(w, r, f.contentType, f.filename, f.sha, f.at, f.content)
}

// withStatus is a result answered with its own status rather than the route's.
type withStatus struct {
	status int
	v      any
}

func (x withStatus) write(w http.ResponseWriter, r *http.Request, status int) {
	writeAPI(w, r, x.status, x.v)
}
