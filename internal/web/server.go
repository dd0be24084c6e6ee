// Package web is ntm's HTTP side: the JSON API under /api/v1, the pages, and the middleware
// that logs, recovers and (later) authenticates. Handlers translate between HTTP and the
// store and domain packages; they hold no rules of their own.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
)

// Server serves the API and the pages over one database.
type Server struct {
	db   *store.DB
	log  *slog.Logger
	mux  *router        // an http.ServeMux that remembers its routes (openapi.go)
	auth *authenticator // sign-in, sessions, tokens, role and scope checks (auth.go)

	nav []navItem // the header's navigation, added to by each part's routes (pages.go)

	catMu sync.Mutex
	cat   *app.Catalog // the criteria sets in force; opened on first use (rules)

	imports *importRunner // the import jobs running in this process (imports.go)

	proxies []netip.Prefix // reverse proxies whose X-Forwarded-For is believed (auth.go)
}

// New returns a server over db that logs to log.
func New(db *store.DB, log *slog.Logger) *Server {
	s := &Server{db: db, log: log, mux: newRouter()}
	s.auth = newAuthenticator(db, log)
	if _, err := s.rules(context.Background()); err != nil {
		log.Error("criteria sets", "err", err) // retried on the first request that needs them
	}
	s.routes()
	return s
}

// rules returns the criteria sets in force, opening the catalog (and installing its
// evaluator in the store) on first use.
func (s *Server) rules(ctx context.Context) (*app.Catalog, error) {
	s.catMu.Lock()
	defer s.catMu.Unlock()
	if s.cat == nil {
		c, err := app.Open(ctx, s.db)
		if err != nil {
			return nil, err
		}
		s.cat = c
	}
	return s.cat, nil
}

// currentCriteria is the catalog of the criteria sets as they stand now (see rules).
func (s *Server) currentCriteria(ctx context.Context) (*criteria.Catalog, error) {
	cat, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	return cat.Current(ctx)
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /api/v1/openapi.json", s.serveOpenAPI)
	s.apiRoutes()
	s.authRoutes()
	s.throttleRoutes()
	s.queueRoutes()
	s.userRoutes()
	s.evidenceRoutes()
	s.resourcesRoutes()
	s.criteriaRoutes()
	s.importRoutes()
	s.importPageRoutes()
	s.unitTagRoutes()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &fault.Error{Code: fault.NotFound, Text: "no such API endpoint: " + r.Method + " " + r.URL.Path})
	})
	s.pageRoutes()
	s.ocopRoutes()
	s.recognitionRoutes()
	s.planPageRoutes()
	s.reportDocumentPageRoutes()
}

// ServeHTTP logs each request, compresses text answers for clients that take gzip
// (compress.go) and turns a panic into a 500 so one bad request cannot take the server down.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			writeError(rec, http.StatusInternalServerError, "internal", "internal error", "")
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", time.Since(start).Milliseconds())
	}()
	// Not deferred: after a panic the error answer goes to rec, uncompressed.
	gz := compressed(rec, r)
	s.mux.ServeHTTP(gz, r)
	gz.finish()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.fail(w, r, &fault.Error{Code: fault.Unavailable, Text: "database: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "engine": string(s.db.Engine())})
}

// apiError is the body of every error response: {"error": {"code", "message", "field"}}.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, message, field string) {
	writeJSON(w, status, map[string]apiError{"error": {Code: code, Message: message, Field: field}})
}

// pathNumber is the id the path names as {name}: one that is not a positive number names no
// record, and is answered as one not found.
func pathNumber(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	return id, nil
}

// pathID is the path's {id} (see pathNumber).
func pathID(r *http.Request) (int64, error) { return pathNumber(r, "id") }

// serveStored answers a stored file as a download that the browser never runs or shows
// inline (an upload may be anything), with its checksum for the client to verify.
func serveStored(w http.ResponseWriter, r *http.Request, contentType, filename, sha string, at time.Time, content []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+sha+`"`)
	h.Set("X-Checksum-Sha256", sha)
	http.ServeContent(w, r, "", at, bytes.NewReader(content))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// mayImportAny refuses, before an upload is read, a user whose role may not take action
// anywhere (each row's unit is checked once the file is read).
func mayImportAny(u *auth.User, action auth.Action) error {
	if reach := u.Role.Reach(action); u.Disabled || reach == auth.Nowhere || reach == auth.Subtree && u.UnitCode == "" {
		return auth.Refusal(u.Role, action, "")
	}
	return nil
}

// bodyAPI serves an endpoint that decodes a JSON body and acts on it: act checks the rights
// and stores, and a success answers act's result.
func bodyAPI[T, R any](act func(*http.Request, *auth.User, T) (R, error)) apiFunc {
	return func(r *http.Request, u *auth.User) (any, error) {
		var in T
		if err := readJSON(r, &in); err != nil {
			return nil, err
		}
		return act(r, u, in)
	}
}

// withPathID adapts an action on the entity named by the path's {id} to bodyAPI.
func withPathID[T, R any](act func(*http.Request, *auth.User, string, T) (R, error)) func(*http.Request, *auth.User, T) (R, error) {
	return func(r *http.Request, u *auth.User, in T) (R, error) { return act(r, u, r.PathValue("id"), in) }
}
