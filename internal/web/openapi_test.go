package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/web"
)

func TestOpenAPI_DescribesTheRoutes(t *testing.T) {
	t.Parallel()
	db := storetest.Units.Open(t, store.SQLite)
	srv := newServer(t, db)
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&doc) != nil || doc.OpenAPI == "" {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	for _, op := range []struct{ method, path string }{
		{"get", "/api/v1/units/{code}"}, {"patch", "/api/v1/assessments/{id}/values"}, {"get", "/api/v1/progress"}, {"post", "/api/v1/targets"},
	} {
		o, ok := doc.Paths[op.path][op.method]
		if !ok {
			t.Errorf("%s %s is not documented", op.method, op.path)
			continue
		}
		if s, _ := o["summary"].(string); s == "" {
			t.Errorf("%s %s has no summary", op.method, op.path)
		}
	}
	// Every operation the router holds is described (the document is built from the router,
	// so a new endpoint without a description shows up here), and every path parameter in a
	// documented path is declared.
	if len(doc.Paths) < 50 {
		t.Errorf("only %d paths documented", len(doc.Paths))
	}
	for path, ops := range doc.Paths {
		for method, o := range ops {
			if s, _ := o["summary"].(string); s == "" {
				t.Errorf("%s %s has no description: add it with documentAPI", method, path)
			}
			params, _ := o["parameters"].([]any)
			for _, name := range pathParams(path) {
				found := false
				for _, p := range params {
					if m, _ := p.(map[string]any); m["name"] == name && m["in"] == "path" {
						found = true
					}
				}
				if !found {
					t.Errorf("%s %s: path parameter %s not declared", method, path, name)
				}
			}
		}
	}
}

func pathParams(path string) []string {
	var out []string
	for i := 0; i < len(path); i++ {
		if path[i] == '{' {
			j := i + 1
			for j < len(path) && path[j] != '}' {
				j++
			}
			out = append(out, path[i+1:j])
			i = j
		}
	}
	return out
}

// A generated client needs to know where the API is, under which licence, and how to
// authenticate each operation: signing in needs nothing, everything else a token or the cookie.
func TestOpenAPI_ServersSecurityLicence(t *testing.T) {
	t.Parallel()
	doc := web.OpenAPIDocument("https://ntm.example.gov.vn")
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != "https://ntm.example.gov.vn" {
		t.Errorf("servers = %v", doc["servers"])
	}
	if lic, _ := doc["info"].(map[string]any)["license"].(map[string]any); lic["identifier"] != "Apache-2.0" {
		t.Errorf("licence = %v", lic)
	}
	paths := doc["paths"].(map[string]any)
	for path, item := range paths {
		for method, o := range item.(map[string]any) {
			sec, ok := o.(map[string]any)["security"].([]any)
			switch {
			case !ok:
				t.Errorf("%s %s declares no security", method, path)
			case path == "/api/v1/session" && method == "post" && len(sec) != 0:
				t.Errorf("signing in must need no credentials, got %v", sec)
			case !(path == "/api/v1/session" && method == "post") && len(sec) != 2:
				t.Errorf("%s %s security = %v, want bearer or session", method, path, sec)
			}
		}
	}
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if d, _ := schemes["session"].(map[string]any)["description"].(string); !strings.Contains(d, "X-Requested-With") {
		t.Errorf("the session scheme does not say writes need X-Requested-With: %q", d)
	}
}
