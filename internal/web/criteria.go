package web

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

func (s *Server) criteriaRoutes() {
	s.mux.HandleFunc("GET /api/v1/criteria", s.authed(s.listCriteria))
	s.mux.HandleFunc("GET /api/v1/criteria/{id}", s.authed(s.getCriteria))
	s.mux.HandleFunc("GET /api/v1/criteria/{id}/export", s.authed(s.exportCriteria))
	s.mux.HandleFunc("POST /api/v1/criteria", s.authed(s.importCriteria))
	s.mux.HandleFunc("POST /api/v1/criteria/{id}/verified", s.authed(s.verifyCriteria))
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
func (s *Server) listCriteria(w http.ResponseWriter, r *http.Request, u *auth.User) {
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur, err := cat.Current(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day := units.Today()
	out := []criteriaSummary{}
	for _, set := range cur.Sets() {
		out = append(out, criteriaSummary{ID: set.ID, Title: set.Title, Basis: set.Basis, Level: set.Level, Tier: set.Tier,
			VariesBy: set.VariesBy, Requires: set.Requires, Stats: set.Stats(),
			InForce: set.Basis.Effective <= day && (set.Basis.Superseded == "" || day < set.Basis.Superseded)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"sets": out})
}

// GET /api/v1/criteria/{id}
func (s *Server) getCriteria(w http.ResponseWriter, r *http.Request, u *auth.User) {
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := cat.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, set)
}

// GET /api/v1/criteria/{id}/export?format=yaml|xlsx
func (s *Server) exportCriteria(w http.ResponseWriter, r *http.Request, u *auth.User) {
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := cat.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch f := r.URL.Query().Get("format"); f {
	case "", "yaml":
		src, err := criteria.Format(set)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+set.ID+`.yaml"`)
		w.Write(src)
	case "xlsx":
		var buf bytes.Buffer
		if err := criteria.ExportXLSX(set, &buf); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+set.ID+`.xlsx"`)
		w.Write(buf.Bytes())
	default:
		s.fail(w, r, badField("format", "format is yaml or xlsx"))
	}
}

// POST /api/v1/criteria?filename=NAME — body: YAML, or an .xlsx annex workbook.
func (s *Server) importCriteria(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if err := s.allow(r, u, auth.ManageCriteria, "", units.Today()); err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 10<<20))
	if err != nil {
		s.fail(w, r, badField("body", "tệp quá lớn hoặc không đọc được (file too large or unreadable): "+err.Error()))
		return
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
		s.fail(w, r, err)
		return
	}
	if err != nil {
		s.fail(w, r, &fault.Error{Code: fault.InvalidSet, Text: err.Error(), Field: "body"})
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := cat.Import(r.Context(), u.Username, set, name, src)
	if err != nil {
		s.fail(w, r, &fault.Error{Code: fault.InvalidSet, Text: err.Error(), Field: "body"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": set.ID, "stats": set.Stats(), "reevaluated": n})
}

// POST /api/v1/criteria/{id}/verified {"codes": ["17.1"]}
func (s *Server) verifyCriteria(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if err := s.allow(r, u, auth.ManageCriteria, "", units.Today()); err != nil {
		s.fail(w, r, err)
		return
	}
	var body struct {
		Codes []string `json:"codes"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(body.Codes) == 0 {
		s.fail(w, r, badField("codes", "give the codes of the indicators checked"))
		return
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := cat.MarkVerified(r.Context(), u.Username, r.PathValue("id"), body.Codes); err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := cat.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, set)
}
