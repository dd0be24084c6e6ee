package web

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

func (s *Server) criteriaRoutes() {
	s.criteriaImportRoutes() // from the decision's Word document (criteria_import.go)
}

func init() {
	documentAPI(map[string]APIDoc{
		"GET /api/v1/criteria":             {Summary: "The criteria sets in force: shipped and imported, with their legal basis and counts."},
		"GET /api/v1/criteria/{id}":        {Summary: "One criteria set with its criteria, indicators, thresholds and overrides (unverified ones marked)."},
		"GET /api/v1/criteria/{id}/export": {Summary: "A criteria set as YAML or as a workbook laid out like the decision's annex.", Params: []APIParam{{Name: "format", Description: "yaml (default) or xlsx"}}},
		"POST /api/v1/criteria": {Summary: "Import a criteria set (a provincial version, a completed annex): YAML, or the annex workbook; stored assessments of the set are re-evaluated.",
			Params: []APIParam{{Name: "filename", Description: "the file's name, for messages"}}, Body: "the YAML text or the .xlsx file"},
		"POST /api/v1/criteria/{id}/verified": {Summary: "Record that indicators' thresholds were checked against the decision's text (audited).", Body: "{codes: [\"17.1\", …]}"},
	})
}

// criteriaSummary is a set in a listing.
type criteriaSummary struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	Basis    criteria.Basis `json:"basis"`
	Level    string         `json:"level"`
	Tier     string         `json:"tier"`
	VariesBy string         `json:"varies_by"`
	Requires []string       `json:"requires"`
	InForce  bool           `json:"in_force"`
	Stats    criteria.Stats `json:"stats"`
}

// GET /api/v1/criteria — any signed-in user: the rules are public.
func (s *Server) listCriteria(r *http.Request, u *auth.User) (any, error) {
	cur, err := s.currentCriteria(r.Context())
	if err != nil {
		return nil, err
	}
	day := units.Today()
	out := []criteriaSummary{}
	for _, set := range cur.Sets() {
		out = append(out, criteriaSummary{ID: set.ID, Title: set.Title, Basis: set.Basis, Level: set.Level, Tier: set.Tier,
			VariesBy: set.VariesBy, Requires: set.Requires, Stats: set.Stats(),
			InForce: set.Basis.Effective <= day && (set.Basis.Superseded == "" || day < set.Basis.Superseded)})
	}
	return map[string]any{"sets": out}, nil
}

// GET /api/v1/criteria/{id}
func (s *Server) getCriteria(r *http.Request, u *auth.User) (any, error) {
	return s.pathSet(r)
}

// GET /api/v1/criteria/{id}/export?format=yaml|xlsx
func (s *Server) exportCriteria(r *http.Request, u *auth.User) (any, error) {
	set, err := s.pathSet(r)
	if err != nil {
		return nil, err
	}
	switch f := r.URL.Query().Get("format"); f {
	case "", "yaml":
		src, err := criteria.Format(set)
		return download{"application/yaml; charset=utf-8", `attachment; filename="` + set.ID + `.yaml"`, src}, err
	case "xlsx":
		var buf bytes.Buffer
		err := criteria.ExportXLSX(set, &buf)
		return download{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `attachment; filename="` + set.ID + `.xlsx"`, buf.Bytes()}, err
	}
	return nil, badField("format", "format is yaml or xlsx")
}

// POST /api/v1/criteria?filename=NAME — body: YAML, or an .xlsx annex workbook.
func (s *Server) importCriteria(r *http.Request, u *auth.User) (any, error) {
	if err := s.allow(r, u, auth.ManageCriteria, "", units.Today()); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(writerOf(r), r.Body, 10<<20))
	if err != nil {
		return nil, badField("body", "tệp quá lớn hoặc không đọc được (file too large or unreadable): "+err.Error())
	}
	name := filepath.Base(r.URL.Query().Get("filename"))
	isXLSX := strings.HasSuffix(strings.ToLower(name), ".xlsx") || strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") ||
		bytes.HasPrefix(body, []byte("PK\x03\x04"))
	var set *criteria.Set
	var src []byte
	if isXLSX {
		if name == "." || name == "" {
			name = "upload.xlsx"
		}
		set, err = criteria.ImportXLSX(name, bytes.NewReader(body))
	} else {
		if name == "." || name == "" {
			name = "upload.yaml"
		}
		set, err = criteria.Parse(name, body)
		src = body
	}
	if fault.Is(err, fault.TooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, &fault.Error{Code: fault.InvalidSet, Text: err.Error(), Field: "body"}
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		return nil, err
	}
	n, err := cat.Import(r.Context(), u.Username, set, name, src)
	if err != nil {
		return nil, &fault.Error{Code: fault.InvalidSet, Text: err.Error(), Field: "body"}
	}
	return map[string]any{"id": set.ID, "stats": set.Stats(), "reevaluated": n}, nil
}

// POST /api/v1/criteria/{id}/verified {"codes": ["17.1"]}
func (s *Server) verifyCriteria(r *http.Request, u *auth.User) (any, error) {
	if err := s.allow(r, u, auth.ManageCriteria, "", units.Today()); err != nil {
		return nil, err
	}
	var body struct {
		Codes []string `json:"codes"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, err
	}
	if len(body.Codes) == 0 {
		return nil, badField("codes", "give the codes of the indicators checked")
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		return nil, err
	}
	if err := cat.MarkVerified(r.Context(), u.Username, r.PathValue("id"), body.Codes); err != nil {
		return nil, err
	}
	return cat.Get(r.Context(), r.PathValue("id"))
}

// pathSet is the criteria set the path's {id} names.
func (s *Server) pathSet(r *http.Request) (*criteria.Set, error) {
	return withRules(s, r, func(cat *app.Catalog) (*criteria.Set, error) { return cat.Get(r.Context(), r.PathValue("id")) })
}
