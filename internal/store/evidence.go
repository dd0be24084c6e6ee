package store

import (
	"context"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Evidence files (minh chứng) of an assessment: scans and office files kept beside its
// values. They change no figure, so adding or removing one bumps neither the assessment's
// version nor the data version; it is audited on the assessment.

// MaxEvidenceSize is the largest evidence file: a scanned page or an office file, small
// enough to upload over a weak connection.
const MaxEvidenceSize = 10 << 20

// EvidenceExtensions lists the file types evidence may be, for messages and forms.
const EvidenceExtensions = ".pdf, .jpg, .png, .docx, .xlsx, .odt"

// evidenceTypes maps an extension to the content type kept and the type
// http.DetectContentType must find in the content (Office Open and OpenDocument files are
// zip archives).
var evidenceTypes = map[string]struct{ stored, sniffed string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".png":  {"image/png", "image/png"},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
	".odt":  {"application/vnd.oasis.opendocument.text", "application/zip"},
}

var evidenceCode = regexp.MustCompile(`^[A-Za-z0-9_.\-]{0,40}$`)

// Evidence is an evidence file without its content.
type Evidence struct {
	ID           int64  `json:"id"`
	AssessmentID int64  `json:"assessment_id"`
	Code         string `json:"code"` // the indicator or criterion it supports; "" the whole assessment
	StoredFile
}

// EvidenceUpload is a file to attach to an assessment.
type EvidenceUpload struct {
	Code     string
	Filename string
	Content  []byte
}

// CheckEvidence checks an evidence file and returns its cleaned name (no directory) and
// content type: 1 byte to MaxEvidenceSize, an accepted extension, and content that looks
// like that extension. Errors are fault.Rule (HTTP 422).
func CheckEvidence(filename string, content []byte) (name, contentType string, err error) {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(filename), "\\", "/"))
	if name == "." || name == "/" || name == "" || !utf8.ValidString(name) || len(name) > 200 {
		return "", "", &fault.Error{Code: fault.Rule, Text: "tên tệp không hợp lệ; đặt lại tên tệp ngắn hơn 200 ký tự (bad file name; rename the file)"}
	}
	switch {
	case len(content) == 0:
		return "", "", &fault.Error{Code: fault.Rule, Text: "tệp trống; hãy chọn lại tệp (the file is empty; choose the file again)"}
	case len(content) > MaxEvidenceSize:
		return "", "", fault.Newf(fault.Rule, "tệp lớn hơn %d MB; hãy nén hoặc quét ở độ phân giải thấp hơn (the file is larger than %d MB; compress it or scan at a lower resolution)",
			MaxEvidenceSize>>20, MaxEvidenceSize>>20)
	}
	ext := strings.ToLower(path.Ext(name))
	t, ok := evidenceTypes[ext]
	if !ok {
		return "", "", fault.Newf(fault.Rule, "loại tệp %q không được nhận; hãy dùng %s (file type %q not accepted; use %s)",
			ext, EvidenceExtensions, ext, EvidenceExtensions)
	}
	if sniffed, _, _ := strings.Cut(http.DetectContentType(content), ";"); sniffed != t.sniffed {
		return "", "", fault.Newf(fault.Rule, "nội dung tệp %s không phải là tệp %s; hãy kiểm tra lại tệp (the content of %s is not a %s file)",
			name, ext, name, ext)
	}
	return name, t.stored, nil
}

// editableAssessment reads an assessment whose evidence may change: a draft or one returned.
func editableAssessment(ctx context.Context, tx *Tx, id int64) (Assessment, error) {
	a, err := scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = $1`, id))
	if err != nil {
		return a, notFound(err)
	}
	if !a.Status.Editable() {
		return a, fault.Newf(fault.Rule, "đánh giá đang ở trạng thái %q, không thêm hoặc xóa được minh chứng; cần trả lại hoặc mở khóa trước (the assessment is %s: evidence cannot change until it is returned or unlocked)",
			a.Status.Label(), a.Status)
	}
	return a, nil
}

// AddEvidence attaches a file to an editable assessment.
func (db *DB) AddEvidence(ctx context.Context, actor string, assessmentID int64, up EvidenceUpload) (Evidence, error) {
	code := strings.TrimSpace(up.Code)
	if !evidenceCode.MatchString(code) {
		return Evidence{}, fault.Newf(fault.Rule, "mã chỉ tiêu %q không hợp lệ; để trống nếu minh chứng cho cả phiếu (bad indicator code %q; leave it empty for the whole assessment)", code, code)
	}
	name, ct, err := CheckEvidence(up.Filename, up.Content)
	if err != nil {
		return Evidence{}, err
	}
	var ev Evidence
	err = db.Write(ctx, func(tx *Tx) error {
		a, err := editableAssessment(ctx, tx, assessmentID)
		if err != nil {
			return err
		}
		t := now()
		ev = Evidence{AssessmentID: a.ID, Code: code, StoredFile: storedFile(name, ct, up.Content, actor, t)}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assessment_evidence (assessment_id, code, filename, content_type, size, sha256,
			content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			a.ID, ev.Code, ev.Filename, ev.ContentType, ev.Size, ev.SHA256, up.Content, actor, t).Scan(&ev.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "attach_evidence", Entity: "assessment", EntityID: strconv.FormatInt(a.ID, 10),
			UnitCode: a.UnitCode, UnitDate: a.unitDay(), Detail: evidenceDetail(ev.Filename, ev.Code),
			New: map[string]any{"evidence": ev.ID, "code": ev.Code, "filename": ev.Filename, "size": ev.Size, "sha256": ev.SHA256, "content_type": ev.ContentType}})
	})
	return ev, err
}

// evidenceDetail is the audit note of an evidence change: the file name, and the code.
func evidenceDetail(filename, code string) string {
	if code == "" {
		return filename
	}
	return filename + " (" + code + ")"
}

const evidenceColumns = `id, assessment_id, code, filename, content_type, size, sha256, uploaded_by, uploaded_at`

func scanEvidence(row interface{ Scan(...any) error }, extra ...any) (Evidence, error) {
	var ev Evidence
	var at string
	err := row.Scan(append([]any{&ev.ID, &ev.AssessmentID, &ev.Code, &ev.Filename, &ev.ContentType, &ev.Size, &ev.SHA256, &ev.UploadedBy, &at}, extra...)...)
	ev.UploadedAt = parseTime(at)
	return ev, err
}

// ListEvidence returns the evidence files of an assessment, without content, in upload order.
func (db *DB) ListEvidence(ctx context.Context, assessmentID int64) ([]Evidence, error) {
	return queryList(ctx, db.r, func(row interface{ Scan(...any) error }) (Evidence, error) { return scanEvidence(row) },
		`SELECT `+evidenceColumns+` FROM assessment_evidence WHERE assessment_id = $1 ORDER BY id`, assessmentID)
}

// EvidenceContent returns an evidence file of the assessment with its content.
func (db *DB) EvidenceContent(ctx context.Context, assessmentID, id int64) (Evidence, []byte, error) {
	var content []byte
	ev, err := scanEvidence(db.r.QueryRowContext(ctx, `SELECT `+evidenceColumns+`, content FROM assessment_evidence
		WHERE assessment_id = $1 AND id = $2`, assessmentID, id), &content)
	if err != nil {
		return ev, nil, notFound(err)
	}
	return ev, content, nil
}

// RemoveEvidence deletes an evidence file of an editable assessment.
func (db *DB) RemoveEvidence(ctx context.Context, actor string, assessmentID, id int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		a, err := editableAssessment(ctx, tx, assessmentID)
		if err != nil {
			return err
		}
		ev, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM assessment_evidence
			WHERE assessment_id = $1 AND id = $2`, assessmentID, id))
		if err != nil {
			return notFound(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assessment_evidence WHERE id = $1`, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "remove_evidence", Entity: "assessment", EntityID: strconv.FormatInt(a.ID, 10),
			UnitCode: a.UnitCode, UnitDate: a.unitDay(), Detail: evidenceDetail(ev.Filename, ev.Code),
			Old: map[string]any{"evidence": ev.ID, "code": ev.Code, "filename": ev.Filename, "size": ev.Size, "sha256": ev.SHA256}})
	})
}
