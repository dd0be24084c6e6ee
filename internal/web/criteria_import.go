package web

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/units"
)

// The import of a criteria set from the decision's own Word document (issue 17.3): the annex
// table read by criteria.ImportDocx, as the command line's `ntm criteria import FILE.docx`
// does, with the same identity fields. A dry run answers the set (YAML and JSON), the cells
// kept as text by row and column, and its differences from the set in force of the same id
// (or the one it extends); an import stores the set as the command line does (app.Catalog
// Import: the YAML written from the document, under the document's name) and re-evaluates
// the stored assessments. Both need auth.ManageCriteria, checked before the upload is read.

func init() {
	documentAPI(map[string]APIDoc{
		"POST /api/v1/criteria/import": {Summary: "Import a criteria set from the annex table of the decision's Word document (DOCX); dry_run=1 answers the set and its differences from the set in force without storing it",
			Params: []APIParam{{Name: "id", Description: "the set's id (required), e.g. tinh-ha-noi-2022", Required: true},
				{Name: "title", Description: "the set's title"}, {Name: "decision", Description: "the decision's number, e.g. 3098/QĐ-UBND"},
				{Name: "issued", Description: "the day the decision was issued, YYYY-MM-DD or dd/mm/yyyy"},
				{Name: "effective", Description: "the day it takes effect (default: issued)"},
				{Name: "level", Description: "commune (default), district or province"},
				{Name: "tier", Description: "ntm (default), nang-cao, kieu-mau, hien-dai"},
				{Name: "extends", Description: "the set it completes"},
				{Name: "dry_run", Description: "1: read and compare, store nothing"},
				{Name: "filename", Description: "the file's name when the body is the file itself"}},
			Body: "multipart/form-data with the DOCX in field file and the parameters above as fields; or the DOCX itself as the body with the parameters in the query",
			Returns: "{id, dry_run, file, source, varies_by, stats, unreadable: [{row, column, text}], yaml, set, compared_with, differences, replaces, reevaluated}; " +
				"422 with problems by row and column; 413 over " + strconv.Itoa(criteria.MaxDocxSize>>20) + " MB"},
	})
}

func (s *Server) criteriaImportRoutes() {
	s.mux.HandleFunc("GET /criteria/import", s.criteriaImportPage)
	s.mux.HandleFunc("POST /criteria/import", s.criteriaImportPost)
}

// docxUpload is a DOCX annex as sent, with the identity the document does not give.
type docxUpload struct {
	Name   string
	Data   []byte
	ID     criteria.DocxIdentity
	DryRun bool
}

// docxImport is what a dry run or an import answers, and what the page shows.
type docxImport struct {
	ID           string              `json:"id"`
	DryRun       bool                `json:"dry_run"`
	File         string              `json:"file"`
	Source       string              `json:"source"` // the file's name and SHA-256, the source of every threshold it gives
	VariesBy     string              `json:"varies_by"`
	Stats        criteria.Stats      `json:"stats"`
	Unreadable   []criteria.DocxCell `json:"unreadable"` // cells kept as text, with no threshold
	YAML         string              `json:"yaml"`
	Set          *criteria.Set       `json:"set"`
	ComparedWith string              `json:"compared_with,omitempty"` // the set in force the differences are from
	Differences  []string            `json:"differences"`
	Replaces     bool                `json:"replaces"` // a set of the same id is in force
	Reevaluated  int                 `json:"reevaluated"`
}

// uploadFields are the form fields (or query parameters) of the identity, as the command
// line's flags.
var uploadFields = []string{"id", "title", "decision", "issued", "effective", "level", "tier", "extends"}

// readIdentity reads the identity fields with get; a date that cannot be read names its field.
func readIdentity(get func(string) string) (criteria.DocxIdentity, error) {
	id := criteria.DocxIdentity{ID: get("id"), Title: get("title"), Decision: get("decision"),
		Level: get("level"), Tier: get("tier"), Extends: get("extends")}
	for _, d := range []struct {
		name string
		to   *units.Date
	}{{"issued", &id.Issued}, {"effective", &id.Effective}} {
		if v := get(d.name); v != "" {
			day, err := units.ReadDate(v)
			if err != nil {
				return id, fault.New(fault.Invalid, "criteria_import.error.bad_date", v).OnField(d.name)
			}
			*d.to = day
		}
	}
	if id.ID == "" {
		return id, fault.New(fault.Invalid, "criteria_import.error.no_id").OnField("id")
	}
	return id, nil
}

// isTrue reads a flag field: 1, true, on, yes.
func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// readDocxUpload reads the request: a multipart form (field file, or docx holding the file in
// base64 when the page sends back what it previewed) or the file as the body with the fields
// in the query. The request may not pass the size limit of a DOCX.
func readDocxUpload(w http.ResponseWriter, r *http.Request) (docxUpload, error) {
	const slack = 1 << 20 // the form's other fields and the multipart framing
	r.Body = http.MaxBytesReader(w, r.Body, criteria.MaxDocxSize*4/3+slack)
	tooLarge := fault.New(fault.TooLarge, "criteria_import.error.too_large", criteria.MaxDocxSize>>20).OnField("file")
	var up docxUpload
	get := func(k string) string { return strings.TrimSpace(r.URL.Query().Get(k)) }
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		// The file is read into memory anyway; the previewed file sent back in base64 is a
		// text field, which the parser allows up to this much plus 10 MB.
		if err := r.ParseMultipartForm(criteria.MaxDocxSize); err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				return up, tooLarge
			}
			return up, fault.New(fault.Invalid, "criteria_import.error.no_file").OnField("file")
		}
		get = func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
		var err error
		if up.Name, up.Data, err = formDocx(r); err != nil {
			return up, err
		}
	} else {
		data, err := io.ReadAll(r.Body)
		switch {
		case errors.As(err, new(*http.MaxBytesError)):
			return up, tooLarge
		case err != nil:
			return up, fault.New(fault.Invalid, "criteria_import.error.no_file").OnField("file")
		}
		up.Name, up.Data = get("filename"), data
	}
	if len(up.Data) == 0 {
		return up, fault.New(fault.Invalid, "criteria_import.error.no_file").OnField("file")
	}
	if up.Name = filepath.Base(up.Name); up.Name == "." || up.Name == "/" || up.Name == "" {
		up.Name = "phu-luc.docx"
	}
	up.DryRun = isTrue(get("dry_run"))
	var err error
	up.ID, err = readIdentity(get)
	return up, err
}

// formDocx is the file of a multipart form: the upload in field file, else the base64 of
// field docx (the file the page previewed) with its name in filename.
func formDocx(r *http.Request) (string, []byte, error) {
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, criteria.MaxDocxSize+1))
		return hdr.Filename, data, err
	}
	if enc := r.FormValue("docx"); enc != "" {
		data, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return "", nil, fault.New(fault.Invalid, "criteria_import.error.no_file").OnField("file")
		}
		return r.FormValue("filename"), data, nil
	}
	return "", nil, nil
}

// importDocx reads the annex of up, checks the set against the sets in force, compares it
// with the one of the same id (or the one it extends) and, unless a dry run, stores it as the
// command line does. A set that fails validation is a criteria.ValidationFault whose
// problems name the table's rows and columns.
func (s *Server) importDocx(ctx context.Context, u *auth.User, up docxUpload) (*docxImport, error) {
	res, err := criteria.ImportDocx(up.Name, up.Data, up.ID)
	if err != nil {
		return nil, err
	}
	parsed, err := res.Parse()
	if err != nil {
		return nil, err
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := cat.Current(ctx)
	if err != nil {
		return nil, err
	}
	// Resolved as it would be in force: a later set replaces the one of the same id.
	with, err := criteria.NewCatalog(append(cur.Sets(), parsed)...)
	if err != nil {
		return nil, res.Locate(err)
	}
	set, _ := with.Get(parsed.ID)
	out := &docxImport{ID: set.ID, DryRun: up.DryRun, File: up.Name, Source: res.Source, VariesBy: res.VariesBy,
		Stats: set.Stats(), Unreadable: res.Unreadable, YAML: string(res.YAML), Set: set, Differences: []string{}}
	if out.Unreadable == nil {
		out.Unreadable = []criteria.DocxCell{}
	}
	base, ok := cur.Get(set.ID)
	out.Replaces = ok
	if !ok && up.ID.Extends != "" {
		base, ok = cur.Get(up.ID.Extends)
	}
	if ok {
		out.ComparedWith, out.Differences = base.ID, criteria.Diff(base, set)
	}
	if up.DryRun {
		return out, nil
	}
	if out.Reevaluated, err = cat.Import(ctx, u.Username, parsed, up.Name, res.YAML); err != nil {
		return nil, res.Locate(err)
	}
	return out, nil
}

// POST /api/v1/criteria/import — multipart (file, id, title, …, dry_run) or the file as the body.
func (s *Server) postCriteriaImport(r *http.Request, u *auth.User) (any, error) {
	if err := s.allow(r, u, auth.ManageCriteria, "", units.Today()); err != nil {
		return nil, err
	}
	up, err := readDocxUpload(writerOf(r), r)
	if err != nil {
		return nil, err
	}
	out, err := s.importDocx(r.Context(), u, up)
	if ps, ok := criteria.ValidationProblems(err); ok {
		// Every problem, by the table's row and column, beside the one error.
		return withStatus{http.StatusUnprocessableEntity, map[string]any{
			"error":    apiError{Code: string(fault.InvalidValue), Message: tr(r, "criteria_import.error.invalid", len(ps)), Field: "file"},
			"problems": ps,
		}}, nil
	}
	return out, err
}

// tr is a catalog message in the request's language (the page's cookie; Vietnamese by default).
func tr(r *http.Request, key string, args ...any) string { return i18n.T(pageLang(r), key, args...) }

// ---------------------------------------------------------------------------------------
// The page: upload, preview (the dry run), import.

type criteriaImportData struct {
	Fields   map[string]string // the identity as typed, kept between preview and import
	Levels   []string
	Tiers    []string
	Sets     []*criteria.Set // the sets in force, for extends
	Preview  *docxImport
	Docx     string // the previewed file in base64, sent back by the import button
	Filename string
	Flash    string
	Error    string
	Problems []string
}

// GET /criteria/import
func (s *Server) criteriaImportPage(w http.ResponseWriter, r *http.Request) {
	d := criteriaImportData{Fields: map[string]string{"level": "commune", "tier": criteria.TierNTM}}
	if id := r.URL.Query().Get("imported"); id != "" {
		d.Flash = tr(r, "criteria_import.imported", id, r.URL.Query().Get("reevaluated"))
	}
	s.renderCriteriaImport(w, r, d, http.StatusOK)
}

func (s *Server) renderCriteriaImport(w http.ResponseWriter, r *http.Request, d criteriaImportData, status int) {
	p, ok := s.startPage(w, r, "criteria_import.title")
	if !ok {
		return
	}
	if err := s.allow(r, p.User.user, auth.ManageCriteria, "", units.Today()); err != nil {
		s.errorPage(w, r, http.StatusForbidden, "criteria_import.error.forbidden")
		return
	}
	cur, err := s.currentCriteria(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Sets = cur.Sets()
	d.Levels = []string{string(units.LevelCommune), string(units.LevelDistrict), string(units.LevelProvince)}
	d.Tiers = []string{criteria.TierNTM, criteria.TierNangCao, criteria.TierKieuMau, criteria.TierHienDai}
	p.Data = d
	s.render(w, r, status, "criteria_import", p)
}

// POST /criteria/import (multipart: file or docx+filename, the identity fields, action
// preview|import)
func (s *Server) criteriaImportPost(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return
	}
	u := s.user(r)
	if u == nil {
		http.Redirect(w, r, "/sign-in?next="+url.QueryEscape("/criteria/import"), http.StatusSeeOther)
		return
	}
	if err := s.allow(r, u, auth.ManageCriteria, "", units.Today()); err != nil {
		s.errorPage(w, r, http.StatusForbidden, "criteria_import.error.forbidden")
		return
	}
	r.URL.RawQuery = "" // the form's fields only
	up, err := readDocxUpload(w, r)
	d := criteriaImportData{Fields: map[string]string{}}
	for _, k := range uploadFields {
		d.Fields[k] = strings.TrimSpace(r.FormValue(k))
	}
	if err == nil {
		up.DryRun = r.FormValue("action") != "import"
		var out *docxImport
		if out, err = s.importDocx(r.Context(), u, up); err == nil && !up.DryRun {
			http.Redirect(w, r, fmt.Sprintf("/criteria/import?imported=%s&reevaluated=%d", url.QueryEscape(out.ID), out.Reevaluated), http.StatusSeeOther)
			return
		}
		d.Preview = out
		// The preview (and a refused import) keeps the file, so the import needs no new upload.
		d.Docx, d.Filename = base64.StdEncoding.EncodeToString(up.Data), up.Name
	}
	if err != nil {
		status := s.describeImportError(r, &d, err)
		if status == http.StatusInternalServerError {
			s.internalError(w, r, err)
			return
		}
		s.renderCriteriaImport(w, r, d, status)
		return
	}
	s.renderCriteriaImport(w, r, d, http.StatusOK)
}

// describeImportError puts err in the page's words and returns the page's status; 500 for
// an error that is not the user's to fix.
func (s *Server) describeImportError(r *http.Request, d *criteriaImportData, err error) int {
	var le *sheet.LimitError
	flt, isFault := fault.As(err)
	ps, invalid := criteria.ValidationProblems(err)
	switch {
	case invalid:
		d.Error = tr(r, "criteria_import.error.invalid", len(ps))
		for _, p := range ps {
			d.Problems = append(d.Problems, p.String())
		}
		return http.StatusUnprocessableEntity
	case errors.As(err, &le):
		d.Error = err.Error()
		return http.StatusRequestEntityTooLarge
	case isFault:
		d.Error = flt.Message(pageLang(r))
		if st, ok := errorStatus[flt.Code]; ok {
			return st
		}
	}
	return http.StatusInternalServerError
}

// ManagesCriteria reports whether the signed-in user may import criteria sets (the header's
// link to this page).
func (p *page) ManagesCriteria() bool {
	return p.User != nil && p.User.user.Role.Reach(auth.ManageCriteria) != auth.Nowhere
}
