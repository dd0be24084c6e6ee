package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// router is an http.ServeMux that remembers the patterns registered on it, so that the
// OpenAPI document is built from the routes that exist and cannot drift from them.
type router struct {
	*http.ServeMux
	mu       sync.Mutex
	patterns []string
}

func newRouter() *router { return &router{ServeMux: http.NewServeMux()} }

func (rt *router) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	rt.record(pattern)
	rt.ServeMux.HandleFunc(pattern, h)
}

func (rt *router) Handle(pattern string, h http.Handler) {
	rt.record(pattern)
	rt.ServeMux.Handle(pattern, h)
}

func (rt *router) record(p string) {
	rt.mu.Lock()
	rt.patterns = append(rt.patterns, p)
	rt.mu.Unlock()
}

// apiRoute is one documented operation: "GET /api/v1/units/{code}".
type apiRoute struct {
	Method, Path string
}

// apiRoutes lists the API operations registered on the router, sorted.
func (rt *router) apiRoutes() []apiRoute {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var out []apiRoute
	for _, p := range rt.patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok || !strings.HasPrefix(path, "/api/v1/") || strings.Contains(path, "...") {
			continue
		}
		out = append(out, apiRoute{method, path})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// APIDoc describes one operation for the OpenAPI document.
type APIDoc struct {
	Summary string     // one line, English
	Params  []APIParam // query parameters (path parameters are found in the path)
	Body    string     // the request body, in words, when there is one
	Returns string     // what a success returns, in words
}

// APIParam is a query parameter.
type APIParam struct {
	Name, Description string
	Required          bool
}

var (
	apiDocsMu sync.Mutex
	apiDocs   = map[string]APIDoc{} // "GET /api/v1/units" → its description
)

// documentAPI adds descriptions of operations; each part of the API calls it from an init
// function in its own file.
func documentAPI(docs map[string]APIDoc) {
	apiDocsMu.Lock()
	defer apiDocsMu.Unlock()
	for k, v := range docs {
		apiDocs[k] = v
	}
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPIDocument returns the API's OpenAPI 3.1 document as `ntm openapi` prints it, without a
// database: the routes are registered on a server that is never started. server is the base
// URL a generated client calls (the served document names the address it was fetched from).
func OpenAPIDocument(server string) map[string]any {
	s := &Server{log: slog.New(slog.DiscardHandler), mux: newRouter()}
	s.auth = newAuthenticator(nil, s.log)
	s.routes()
	return s.openAPI(server)
}

// openAPI builds the OpenAPI 3.1 document of the routes registered on s, served from server.
func (s *Server) openAPI(server string) map[string]any {
	apiDocsMu.Lock()
	defer apiDocsMu.Unlock()
	errorRef := map[string]any{"$ref": "#/components/schemas/Error"}
	errorContent := map[string]any{"application/json": map[string]any{"schema": errorRef}}
	paths := map[string]any{}
	for _, rt := range s.mux.apiRoutes() {
		doc := apiDocs[rt.Method+" "+rt.Path]
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
		}
		for _, p := range doc.Params {
			params = append(params, map[string]any{"name": p.Name, "in": "query", "required": p.Required,
				"description": p.Description, "schema": map[string]string{"type": "string"}})
		}
		ok := "OK"
		if doc.Returns != "" {
			ok = doc.Returns
		}
		op := map[string]any{
			"summary":     doc.Summary,
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "").Replace(rt.Path),
			"responses": map[string]any{
				"200": map[string]any{"description": ok},
				"400": map[string]any{"description": "a bad parameter or body field, named in error.field", "content": map[string]any{"application/json": map[string]any{"schema": errorRef}}},
				"401": map[string]any{"description": "not signed in", "content": errorContent},
				"403": map[string]any{"description": "the role or the unit scope does not allow it (or a cookie-authenticated write without X-Requested-With)", "content": errorContent},
				"404": map[string]any{"description": "not found", "content": errorContent},
			},
		}
		// Every operation needs a bearer token or the session cookie, except signing in.
		op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
		if rt.Path == "/api/v1/session" && rt.Method == "POST" {
			op["security"] = []any{}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if doc.Body != "" {
			op["requestBody"] = map[string]any{"description": doc.Body, "content": map[string]any{"application/json": map[string]any{}}}
		}
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "ntm API",
			"version":     "1",
			"description": "The API of ntm, the information system of Vietnam's New Rural Development program (nông thôn mới) and OCOP. Errors are {\"error\": {\"code\", \"message\", \"field\"}}; writes to an assessment carry its version (If-Match) and a stale one gets 409 with the current values.",
			"license":     map[string]any{"name": "Apache License 2.0", "identifier": "Apache-2.0"},
		},
		"servers": []any{map[string]any{"url": server, "description": "this ntm server"}},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "an API token (ntm token create)"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "ntm_session",
					"description": "the HttpOnly session cookie set by POST /api/v1/session; a request that changes something with it must also send the header X-Requested-With (any value) or come from a page of this site, else 403 csrf"},
			},
			"schemas": map[string]any{
				"Error": map[string]any{"type": "object", "properties": map[string]any{
					"error": map[string]any{"type": "object", "properties": map[string]any{
						"code": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"}, "field": map[string]string{"type": "string"},
					}},
				}},
			},
		},
	}
}

// GET /api/v1/openapi.json
func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	enc.Encode(s.openAPI(scheme + "://" + r.Host))
}
