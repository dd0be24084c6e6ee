package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/store"
)

// Evidence files (minh chứng) of an assessment, SPEC §1.3: the API here, and the form page's
// upload and remove buttons (plain multipart posts that go through the same store calls and
// redirect back to the form).

func init() {
	documentAPI(map[string]APIDoc{
		"GET /api/v1/assessments/{id}/evidence": {Summary: "The evidence files of an assessment (without content): name, type, size, SHA-256, who uploaded it and when.",
			Returns: "{evidence: [{id, code, filename, content_type, size, sha256, uploaded_by, uploaded_at}]}"},
		"POST /api/v1/assessments/{id}/evidence": {Summary: "Attach an evidence file while the assessment is a draft or returned (422 otherwise): .pdf, .jpg, .png, .docx, .xlsx or .odt, checked by content, at most 10 MB (413 above).",
			Body: "multipart/form-data: file, code? (the indicator code, or TC<n> for a criterion; none: the whole assessment)", Returns: "201 with the evidence file"},
		"GET /api/v1/assessments/{id}/evidence/{eid}": {Summary: "Download an evidence file, with its stored content type, its name in Content-Disposition and its SHA-256 in X-Checksum-Sha256."},
		"DELETE /api/v1/assessments/{id}/evidence/{eid}": {Summary: "Remove an evidence file while the assessment is a draft or returned (422 otherwise).",
			Returns: "204"},
	})
}

func (s *Server) evidenceRoutes() {
	s.mux.HandleFunc("POST /assessments/{id}/evidence", s.evidencePagePost)
	s.mux.HandleFunc("POST /assessments/{id}/evidence/{eid}/remove", s.evidencePageRemove)
}

// errEvidenceTooLarge is an upload over store.MaxEvidenceSize (HTTP 413).
var errEvidenceTooLarge = errors.New("evidence too large")

func evidenceTooLargeMessage() string {
	mb := store.MaxEvidenceSize >> 20
	return fmt.Sprintf("tệp lớn hơn %d MB; hãy nén hoặc quét ở độ phân giải thấp hơn rồi tải lên lại (the file is larger than %d MB; compress it or scan at a lower resolution and upload it again)", mb, mb)
}

// readEvidenceForm reads a multipart upload: the file in field "file" and the optional code.
func readEvidenceForm(w http.ResponseWriter, r *http.Request) (up store.EvidenceUpload, err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return up, badField("file", "gửi tệp bằng multipart/form-data trong trường file (send the file as multipart/form-data in field \"file\")")
	}
	r.Body = http.MaxBytesReader(w, r.Body, store.MaxEvidenceSize+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return up, badField("file", "biểu mẫu multipart không hợp lệ (bad multipart form): "+err.Error())
	}
	tooBig := func(err error, other error) error {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return errEvidenceTooLarge
		}
		return other
	}
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, tooBig(err, badField("file", "biểu mẫu multipart không hợp lệ (bad multipart form): "+err.Error()))
		}
		switch part.FormName() {
		case "file":
			if found {
				return up, badField("file", "mỗi lần chỉ tải lên một tệp (upload one file at a time)")
			}
			found = true
			up.Filename = part.FileName()
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, io.LimitReader(part, store.MaxEvidenceSize+1)); err != nil {
				return up, tooBig(err, badField("file", "không đọc được tệp (cannot read the file): "+err.Error()))
			}
			if buf.Len() > store.MaxEvidenceSize {
				return up, errEvidenceTooLarge
			}
			up.Content = buf.Bytes()
		case "code":
			b, err := io.ReadAll(io.LimitReader(part, 256))
			if err != nil {
				return up, tooBig(err, badField("code", err.Error()))
			}
			up.Code = strings.TrimSpace(string(b))
		}
	}
	if !found || up.Filename == "" {
		return up, badField("file", "chưa chọn tệp: gửi tệp trong trường file (no file: send it in field \"file\")")
	}
	return up, nil
}

// checkEvidenceCode checks that code names an indicator of the assessment's criteria set or
// one of its criteria (TC<n>); "" is the whole assessment.
func (s *Server) checkEvidenceCode(ctx context.Context, a store.Assessment, code string) error {
	if code == "" {
		return nil
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return err
	}
	set, err := cat.Get(ctx, a.SetID)
	if err != nil {
		return err
	}
	if in, _ := set.Indicator(code); in != nil {
		return nil
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(code, "TC")); err == nil && strings.HasPrefix(code, "TC") && set.Criterion(n) != nil {
		return nil
	}
	return badField("code", fmt.Sprintf("bộ tiêu chí %s không có chỉ tiêu hay tiêu chí %q; ghi mã chỉ tiêu (17.1) hoặc tiêu chí (TC17), hoặc để trống (set %s has no indicator or criterion %q; give an indicator code, TC<n>, or nothing)",
		a.SetID, code, a.SetID, code))
}

// GET /api/v1/assessments/{id}/evidence
func (s *Server) listEvidence(r *http.Request, u *auth.User) (any, error) {
	a, err := s.loadAssessment(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	list, err := s.db.ListEvidence(r.Context(), a.ID)
	return map[string]any{"evidence": list}, err
}

// POST /api/v1/assessments/{id}/evidence (multipart: file, code?)
func (s *Server) uploadEvidence(r *http.Request, u *auth.User) (any, error) {
	a, err := s.loadAssessment(r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	up, err := readEvidenceForm(writerOf(r), r)
	if errors.Is(err, errEvidenceTooLarge) {
		return nil, &fault.Error{Code: fault.TooLarge, Text: evidenceTooLargeMessage(), Field: "file"}
	}
	if err == nil {
		err = s.checkEvidenceCode(r.Context(), a, up.Code)
	}
	if err != nil {
		return nil, err
	}
	ev, err := s.db.AddEvidence(r.Context(), u.Username, a.ID, up)
	return located{fmt.Sprintf("/api/v1/assessments/%d/evidence/%d", a.ID, ev.ID), ev}, err
}

// GET /api/v1/assessments/{id}/evidence/{eid}
func (s *Server) downloadEvidence(r *http.Request, u *auth.User) (any, error) {
	a, eid, err := s.evidenceOf(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	ev, content, err := s.db.EvidenceContent(r.Context(), a.ID, eid)
	return storedFile{ev.ContentType, ev.Filename, ev.SHA256, ev.UploadedAt, content}, err
}

// DELETE /api/v1/assessments/{id}/evidence/{eid}
func (s *Server) deleteEvidence(r *http.Request, u *auth.User) (any, error) {
	a, eid, err := s.evidenceOf(r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	return nil, s.db.RemoveEvidence(r.Context(), u.Username, a.ID, eid)
}

// evidencePage starts a page post about an assessment's evidence: same origin, signed in,
// allowed to enter the assessment's values. It answers the error page itself and returns
// false when it cannot go on.
func (s *Server) evidencePage(w http.ResponseWriter, r *http.Request) (*page, store.Assessment, bool) {
	p, ok := s.startPost(w, r, "form.title")
	if !ok {
		return nil, store.Assessment{}, false
	}
	p.Nav = "units"
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, "error.no_assessment", r.PathValue("id"))
		return nil, store.Assessment{}, false
	}
	a, err := s.db.Assessment(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.no_assessment", r.PathValue("id"))
		return nil, a, false
	}
	if err == nil {
		err = s.allow(r, p.User.user, auth.Enter, a.UnitCode, unitDay(a))
	}
	switch {
	case isForbidden(err):
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden_action")
		return nil, a, false
	case err != nil:
		s.internalError(w, r, err)
		return nil, a, false
	}
	return p, a, true
}

// evidencePageFailed shows the form again with the reason an evidence change was refused.
func (s *Server) evidencePageFailed(w http.ResponseWriter, r *http.Request, p *page, status int, msg string) {
	a, unit, set, ok := s.loadFormAssessment(w, r, p)
	if !ok {
		return
	}
	d, err := s.buildForm(r, p, a, unit, set, storedFields(a, set, p.Lang))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d.EvidenceError = msg
	s.renderForm(w, r, p, status, d)
}

// evidenceMessage is what the form says of a refused evidence change, in the page's language.
func (s *Server) evidenceMessage(w http.ResponseWriter, r *http.Request, p *page, err error) (int, string, bool) {
	switch {
	case errors.Is(err, errEvidenceTooLarge):
		return http.StatusRequestEntityTooLarge, p.T("form.evidence.too_large", store.MaxEvidenceSize>>20), true
	case isInvalid(err):
		return http.StatusBadRequest, pick(p.Lang, invalidMessage(err)), true
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, p.T("form.evidence.gone"), true
	}
	if fault.Is(err, fault.Rule) {
		return http.StatusUnprocessableEntity, pick(p.Lang, invalidMessage(err)), true
	}
	if status, msg, ok := pageFault(p.Lang, err); ok {
		return status, msg, true
	}
	s.internalError(w, r, err)
	return 0, "", false
}

// pick keeps one language of a message written "Vietnamese (English)" or "Vietnamese / English".
func pick(lang, msg string) string {
	vi, en := msg, ""
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
		vi, en = msg[:i], msg[i+2:len(msg)-1]
	}
	if lang == i18n.EN && en != "" {
		return en
	}
	return vi
}

// POST /assessments/{id}/evidence (multipart: file, code?)
func (s *Server) evidencePagePost(w http.ResponseWriter, r *http.Request) {
	p, a, ok := s.evidencePage(w, r)
	if !ok {
		return
	}
	up, err := readEvidenceForm(w, r)
	if err == nil {
		err = s.checkEvidenceCode(r.Context(), a, up.Code)
	}
	if err == nil {
		_, err = s.db.AddEvidence(r.Context(), p.User.user.Username, a.ID, up)
	}
	if err != nil {
		if status, msg, ok := s.evidenceMessage(w, r, p, err); ok {
			s.evidencePageFailed(w, r, p, status, msg)
		}
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/assessments/%d?evidence=added#evidence", a.ID), http.StatusSeeOther)
}

// POST /assessments/{id}/evidence/{eid}/remove
func (s *Server) evidencePageRemove(w http.ResponseWriter, r *http.Request) {
	p, a, ok := s.evidencePage(w, r)
	if !ok {
		return
	}
	eid, err := strconv.ParseInt(r.PathValue("eid"), 10, 64)
	if err != nil {
		err = store.ErrNotFound
	} else {
		err = s.db.RemoveEvidence(r.Context(), p.User.user.Username, a.ID, eid)
	}
	if err != nil {
		if status, msg, ok := s.evidenceMessage(w, r, p, err); ok {
			s.evidencePageFailed(w, r, p, status, msg)
		}
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/assessments/%d?evidence=removed#evidence", a.ID), http.StatusSeeOther)
}

// evidenceRow is an evidence file as the form lists it.
type evidenceRow struct {
	ID        int64
	Name      string
	Code      string
	Size      string // "1,2 MB", "356 KB"
	By, At    string
	Href      string // the download
	RemoveURL string
}

// formEvidence fills the form's evidence section: the files, and whether the user may
// attach and remove them (d.Editable: the assessment is editable and the user may enter it).
func (s *Server) formEvidence(ctx context.Context, p *page, d *formData) error {
	list, err := s.db.ListEvidence(ctx, d.A.ID)
	if err != nil {
		return err
	}
	d.CanAttach = d.Editable
	d.EvidenceTypes, d.EvidenceMaxMB = store.EvidenceExtensions, store.MaxEvidenceSize>>20
	for _, ev := range list {
		d.Evidence = append(d.Evidence, evidenceRow{ID: ev.ID, Name: ev.Filename, Code: ev.Code, Size: fileSize(p, ev.Size),
			By: ev.UploadedBy, At: p.Time(ev.UploadedAt),
			Href:      fmt.Sprintf("/api/v1/assessments/%d/evidence/%d", d.A.ID, ev.ID),
			RemoveURL: fmt.Sprintf("/assessments/%d/evidence/%d/remove", d.A.ID, ev.ID)})
	}
	return nil
}

// fileSize writes a size in bytes as KB or MB, in the page's number format.
func fileSize(p *page, n int64) string {
	switch {
	case n >= 1<<20:
		return p.Dec(float64(n)/(1<<20), 1) + " MB"
	case n >= 1<<10:
		return p.Int(int((n+1<<9)>>10)) + " KB"
	}
	return p.T("form.evidence.bytes", p.Int(int(n)))
}

// evidenceOf reads the assessment of the path, checking action on it, and the evidence id
// {eid}.
func (s *Server) evidenceOf(r *http.Request, u *auth.User, action auth.Action) (store.Assessment, int64, error) {
	a, err := s.loadAssessment(r, u, action)
	if err != nil {
		return a, 0, err
	}
	eid, err := pathNumber(r, "eid")
	return a, eid, err
}
