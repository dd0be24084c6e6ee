package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/imports"
)

// The values import page (issue 15.5): a file of values (CSV or XLSX, the formats of
// POST /api/v1/imports), checked first without writing anything (the box is ticked by
// default), every problem listed by row and column, then imported all or nothing. It goes
// through beginImport, as the API does: the same rights, the same checks, the same job.

func (s *Server) importPageRoutes() {
	s.mux.HandleFunc("GET /imports/values", s.valuesImportPage)
	s.mux.HandleFunc("POST /imports/values", s.valuesImportPost)
}

type valuesImportData struct {
	Job      *importJob        // the import shown (?job=), nil for the form alone
	Refused  []imports.Problem // rows of units outside the user's scope
	Error    string
	Statuses []string
}

// GET /imports/values?job=ID
func (s *Server) valuesImportPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "values_import.title")
	if !ok {
		return
	}
	d := valuesImportData{}
	if v := r.URL.Query().Get("job"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		job, err := s.importJob(r.Context(), id)
		if err != nil || job.CreatedBy != p.User.user.Username && p.User.user.Role != auth.RoleAdmin {
			s.errorPage(w, r, http.StatusNotFound, "values_import.not_found")
			return
		}
		d.Job = &job
	}
	s.renderValuesImport(w, r, p, d, http.StatusOK)
}

func (s *Server) renderValuesImport(w http.ResponseWriter, r *http.Request, p *page, d valuesImportData, status int) {
	p.Nav = "assessments"
	d.Statuses = []string{"draft", "submitted", "verified", "approved"}
	p.Data = d
	s.render(w, r, status, "values_import", p)
}

// POST /imports/values (multipart: file, dry_run, status)
func (s *Server) valuesImportPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPost(w, r, "values_import.title")
	if !ok {
		return
	}
	u := p.User.user
	r.Body = http.MaxBytesReader(w, r.Body, maxImportSize+64<<10)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		s.valuesImportRefused(w, r, p, uploadFault(err))
		return
	}
	defer r.MultipartForm.RemoveAll()
	dry, status, err := importOptions(u, r.FormValue("dry_run"), r.FormValue("status"))
	if err != nil {
		s.valuesImportRefused(w, r, p, err)
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.valuesImportRefused(w, r, p, badField("file", p.T("values_import.no_file")))
		return
	}
	// The form keeps a large file on disk until the request ends; the import, which may run
	// longer, reads its own copy.
	file, _, err := spool(func(w io.Writer) (int64, error) { return io.Copy(w, f) })
	f.Close()
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	id, refused, err := s.beginImport(r.Context(), u, hdr.Filename, file, dry, status)
	if err != nil {
		s.valuesImportRefused(w, r, p, err)
		return
	}
	if refused != nil {
		s.renderValuesImport(w, r, p, valuesImportData{Refused: refused.Problems,
			Error: p.T("values_import.out_of_scope", len(refused.Problems)+refused.MoreProblems)}, http.StatusForbidden)
		return
	}
	http.Redirect(w, r, "/imports/values?job="+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// valuesImportRefused shows the form again with why nothing was imported.
func (s *Server) valuesImportRefused(w http.ResponseWriter, r *http.Request, p *page, err error) {
	f, ok := fault.As(err)
	if !ok {
		s.internalError(w, r, err)
		return
	}
	status := errorStatus[f.Code]
	if status == 0 {
		status = http.StatusUnprocessableEntity
	}
	s.renderValuesImport(w, r, p, valuesImportData{Error: f.Message(p.Lang)}, status)
}
