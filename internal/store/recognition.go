package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/units"
)

// Recognition (xét, công nhận): dossiers walking through their workflow, their documents and
// comments, and the registry of recognition and revocation decisions. The workflow's rules
// are recognition.Workflow.Take's; the store keeps what happened, each step in one
// transaction with its audit entry.

// Dossier is one unit's application for one tier.
type Dossier struct {
	ID            int64              `json:"id"`
	UnitCode      string             `json:"unit"`
	UnitFrom      units.Date         `json:"unit_valid_from"`
	UnitName      string             `json:"unit_name"`
	UnitLevel     units.Level        `json:"unit_level"`
	Tier          string             `json:"tier"`
	SetID         string             `json:"set,omitempty"`
	WorkflowID    string             `json:"workflow"`
	Opened        units.Date         `json:"opened"`
	Step          int                `json:"step"`
	StepID        string             `json:"step_id"`
	StepStarted   units.Date         `json:"step_started"`
	Status        recognition.Status `json:"status"`
	Closed        units.Date         `json:"closed,omitempty"`
	AssessmentID  *int64             `json:"assessment_id,omitempty"`
	PostingFrom   units.Date         `json:"posting_from,omitempty"`
	PostingTo     units.Date         `json:"posting_to,omitempty"`
	PostingWhere  string             `json:"posting_where,omitempty"`
	Vote          *recognition.Vote  `json:"vote,omitempty"`
	RecognitionID *int64             `json:"recognition_id,omitempty"`
	CreatedBy     string             `json:"created_by"`
	CreatedAt     time.Time          `json:"created_at"`
	UpdatedBy     string             `json:"updated_by"`
	UpdatedAt     time.Time          `json:"updated_at"`
}

// State is where the dossier stands, for the workflow's rules.
func (d Dossier) State() recognition.State {
	return recognition.State{Step: d.Step, Status: d.Status, StepStarted: d.StepStarted}
}

// DossierDocument is an uploaded file of the checklist (without its content).
type DossierDocument struct {
	ID     int64  `json:"id"`
	Item   string `json:"item"`
	StepID string `json:"step_id"`
	StoredFile
}

// StoredFile is what is kept beside an uploaded file's content: its name, type, size and
// checksum, who uploaded it and when.
type StoredFile struct {
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// storedFile describes content uploaded by actor at t.
func storedFile(name, contentType string, content []byte, actor, t string) StoredFile {
	sum := sha256.Sum256(content)
	return StoredFile{Filename: name, ContentType: contentType, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
		UploadedBy: actor, UploadedAt: parseTime(t)}
}

// DossierComment is an officer's note on a step (kind note) or a comment received during the
// public posting (kind public).
type DossierComment struct {
	ID        int64      `json:"id"`
	StepID    string     `json:"step_id"`
	Kind      string     `json:"kind"`
	Author    string     `json:"author,omitempty"`
	Body      string     `json:"body"`
	Day       units.Date `json:"day"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

// Comment kinds.
const (
	CommentNote   = "note"
	CommentPublic = "public"
)

// DossierStep is one passage through a step.
type DossierStep struct {
	StepID  string     `json:"step_id"`
	Started units.Date `json:"started"`
	Ended   units.Date `json:"ended,omitempty"`
	Outcome string     `json:"outcome,omitempty"`
	Actor   string     `json:"actor,omitempty"`
	Comment string     `json:"comment,omitempty"`
}

// AttachedAssessment is the summary of the assessment attached to a dossier.
type AttachedAssessment struct {
	ID            int64      `json:"id"`
	SetID         string     `json:"set"`
	Period        string     `json:"period"`
	PeriodEnd     units.Date `json:"period_end"`
	Status        string     `json:"status"`
	Evaluated     bool       `json:"evaluated"`
	Met           bool       `json:"met"`
	CriteriaMet   []int      `json:"criteria_met_list"`
	CriteriaTotal int        `json:"criteria_total"`
}

// DossierView is a dossier with everything about it.
type DossierView struct {
	Dossier
	Documents   []DossierDocument   `json:"documents"`
	Comments    []DossierComment    `json:"comments"`
	History     []DossierStep       `json:"history"`
	Assessment  *AttachedAssessment `json:"assessment,omitempty"`
	Recognition *Recognition        `json:"recognition,omitempty"`
}

// Recognition is one decision of the registry.
type Recognition struct {
	ID         int64                  `json:"id"`
	UnitCode   string                 `json:"unit"`
	UnitFrom   units.Date             `json:"unit_valid_from"`
	UnitName   string                 `json:"unit_name"`
	UnitLevel  units.Level            `json:"unit_level"`
	ParentCode string                 `json:"parent,omitempty"`
	Tier       string                 `json:"tier"`
	SetID      string                 `json:"set,omitempty"`
	Decision   recognition.Decision   `json:"decision"`
	DossierID  *int64                 `json:"dossier_id,omitempty"`
	Source     string                 `json:"source"` // dossier | import
	CreatedBy  string                 `json:"created_by"`
	CreatedAt  time.Time              `json:"created_at"`
	Revocation *RecognitionRevocation `json:"revocation,omitempty"` // as of the day asked, when revoked by then
}

// InForce reports whether the recognition holds on day.
func (r Recognition) InForce(day units.Date) bool {
	return r.Decision.Date <= day && (r.Revocation == nil || r.Revocation.Decision.Date > day)
}

// RecognitionRevocation is the decision that revoked a recognition.
type RecognitionRevocation struct {
	Decision  recognition.Decision `json:"decision"`
	Reason    string               `json:"reason,omitempty"`
	CreatedBy string               `json:"created_by"`
	CreatedAt time.Time            `json:"created_at"`
}

const dossierColumns = `d.id, d.unit_code, d.unit_from, COALESCE(u.full_name, ''), COALESCE(u.level, ''), d.tier, d.set_id, d.workflow_id,
	d.opened, d.step, d.step_id, d.step_started, d.status, d.closed, d.assessment_id, d.posting_from, d.posting_to, d.posting_where,
	d.vote_members, d.vote_yes, d.vote_no, d.vote_abstain, d.vote_on, d.vote_note, d.recognition_id,
	d.created_by, d.created_at, d.updated_by, d.updated_at`

const dossierFrom = ` FROM dossiers d LEFT JOIN units u ON u.code = d.unit_code AND u.valid_from = d.unit_from`

func scanDossier(row interface{ Scan(...any) error }) (Dossier, error) {
	var d Dossier
	var from, level, opened, started, status, closed, pf, pt, von, cat, uat string
	var aid, rid sql.NullInt64
	var vm, vy, vn, va sql.NullInt64
	var vnote string
	err := row.Scan(&d.ID, &d.UnitCode, &from, &d.UnitName, &level, &d.Tier, &d.SetID, &d.WorkflowID, &opened, &d.Step, &d.StepID,
		&started, &status, &closed, &aid, &pf, &pt, &d.PostingWhere, &vm, &vy, &vn, &va, &von, &vnote, &rid,
		&d.CreatedBy, &cat, &d.UpdatedBy, &uat)
	if err != nil {
		return d, err
	}
	d.UnitFrom, d.UnitLevel, d.Opened, d.StepStarted = units.Date(from), units.Level(level), units.Date(opened), units.Date(started)
	d.Status, d.Closed, d.PostingFrom, d.PostingTo = recognition.Status(status), units.Date(closed), units.Date(pf), units.Date(pt)
	d.CreatedAt, d.UpdatedAt = parseTime(cat), parseTime(uat)
	if aid.Valid {
		d.AssessmentID = &aid.Int64
	}
	if rid.Valid {
		d.RecognitionID = &rid.Int64
	}
	if vm.Valid {
		d.Vote = &recognition.Vote{Members: int(vm.Int64), Yes: int(vy.Int64), No: int(vn.Int64), Abstain: int(va.Int64), On: units.Date(von), Note: vnote}
	}
	return d, nil
}

func getDossier(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (Dossier, error) {
	d, err := scanDossier(q.QueryRowContext(ctx, `SELECT `+dossierColumns+dossierFrom+` WHERE d.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	return d, err
}

// NewDossier is what opening a dossier takes.
type NewDossier struct {
	UnitCode   string
	Tier       string
	SetID      string // the criteria set the unit is assessed against ("" none)
	WorkflowID string
	FirstStep  string     // the workflow's first step
	Opened     units.Date // the unit as it exists on this day
}

// CreateDossier opens a dossier at the workflow's first step and attaches the unit's latest
// assessment of the set. A unit has at most one open dossier per tier (a fault.Exists carrying its id).
func (db *DB) CreateDossier(ctx context.Context, actor string, n NewDossier) (Dossier, error) {
	var d Dossier
	err := db.Write(ctx, func(tx *Tx) error {
		u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE `+validOn+` AND code = $2`, string(n.Opened), n.UnitCode))
		if err != nil {
			return notFound(err)
		}
		var open int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM dossiers WHERE unit_code = $1 AND unit_from = $2 AND tier = $3
			AND status NOT IN ('rejected', 'recognized') ORDER BY id LIMIT 1`, u.Code, string(u.ValidFrom), n.Tier).Scan(&open)
		if err == nil {
			return &fault.Error{Code: fault.Exists, Current: open,
				Text: fmt.Sprintf("đơn vị đã có hồ sơ %d đang xét cho mức này (an open dossier %d exists for the unit and tier)", open, open)}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		aid, err := latestAssessment(ctx, tx, u.Code, u.ValidFrom, n.SetID, n.Opened)
		if err != nil {
			return err
		}
		t := now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO dossiers (unit_code, unit_from, tier, set_id, workflow_id, opened, step, step_id,
			step_started, status, assessment_id, created_by, created_at, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $6, 'preparing', $8, $9, $10, $9, $10) RETURNING id`,
			u.Code, string(u.ValidFrom), n.Tier, n.SetID, n.WorkflowID, string(n.Opened), n.FirstStep, aid, actor, t).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_steps (dossier_id, step_id, started) VALUES ($1, $2, $3)`, id, n.FirstStep, string(n.Opened)); err != nil {
			return err
		}
		if d, err = getDossier(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "dossier", EntityID: strconv.FormatInt(id, 10),
			UnitCode: u.Code, UnitDate: n.Opened, New: map[string]string{"tier": n.Tier, "set": n.SetID, "workflow": n.WorkflowID, "opened": string(n.Opened)}})
	})
	return d, err
}

// latestAssessment is the id of the unit's latest evaluated assessment of the set whose period
// has begun by day (the longer period first when two end together), or nil.
func latestAssessment(ctx context.Context, tx *Tx, code string, from units.Date, setID string, day units.Date) (*int64, error) {
	if setID == "" {
		return nil, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM assessments WHERE unit_code = $1 AND unit_from = $2 AND set_id = $3
		AND period_start <= $4 AND eval_at IS NOT NULL ORDER BY period_end DESC, period_start ASC, id DESC LIMIT 1`,
		code, string(from), setID, string(day)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &id, nil
}

// Dossier returns one dossier.
func (db *DB) Dossier(ctx context.Context, id int64) (Dossier, error) {
	return getDossier(ctx, db.r, id)
}

// DossierView returns a dossier with its documents, comments, history, attached assessment
// and, once decided, its recognition (as it stands today).
func (db *DB) DossierView(ctx context.Context, id int64) (DossierView, error) {
	var v DossierView
	err := db.Read(ctx, func(tx *Tx) error {
		d, err := getDossier(ctx, tx, id)
		if err != nil {
			return err
		}
		v = DossierView{Dossier: d, Documents: []DossierDocument{}, Comments: []DossierComment{}, History: []DossierStep{}}
		rows, err := tx.QueryContext(ctx, `SELECT id, item, step_id, filename, content_type, size, sha256, uploaded_by, uploaded_at
			FROM dossier_documents WHERE dossier_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var doc DossierDocument
			var at string
			if err := rows.Scan(&doc.ID, &doc.Item, &doc.StepID, &doc.Filename, &doc.ContentType, &doc.Size, &doc.SHA256, &doc.UploadedBy, &at); err != nil {
				rows.Close()
				return err
			}
			doc.UploadedAt = parseTime(at)
			v.Documents = append(v.Documents, doc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT id, step_id, kind, author, body, day, created_by, created_at
			FROM dossier_comments WHERE dossier_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c DossierComment
			var day, at string
			if err := rows.Scan(&c.ID, &c.StepID, &c.Kind, &c.Author, &c.Body, &day, &c.CreatedBy, &at); err != nil {
				rows.Close()
				return err
			}
			c.Day, c.CreatedAt = units.Date(day), parseTime(at)
			v.Comments = append(v.Comments, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if v.History, err = dossierHistory(ctx, tx, id); err != nil {
			return err
		}
		if d.AssessmentID != nil {
			a, err := scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = $1`, *d.AssessmentID))
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err == nil {
				at := &AttachedAssessment{ID: a.ID, SetID: a.SetID, Period: a.Period, PeriodEnd: a.PeriodEnd, Status: string(a.Status), CriteriaMet: []int{}}
				if a.Evaluation != nil {
					at.Evaluated, at.Met, at.CriteriaMet, at.CriteriaTotal = true, a.Evaluation.Met, a.Evaluation.CriteriaMet, a.Evaluation.CriteriaTotal
				}
				v.Assessment = at
			}
		}
		if d.RecognitionID != nil {
			rs, err := queryRecognitions(ctx, tx, `WHERE r.id = $2`, string(units.Today()), *d.RecognitionID)
			if err != nil {
				return err
			}
			if len(rs) == 1 {
				v.Recognition = &rs[0]
			}
		}
		return nil
	})
	return v, err
}

func dossierHistory(ctx context.Context, tx *Tx, id int64) ([]DossierStep, error) {
	return queryList(ctx, tx, func(row interface{ Scan(...any) error }) (DossierStep, error) {
		var s DossierStep
		var started, ended string
		err := row.Scan(&s.StepID, &started, &ended, &s.Outcome, &s.Actor, &s.Comment)
		s.Started, s.Ended = units.Date(started), units.Date(ended)
		return s, err
	}, `SELECT step_id, started, ended, outcome, actor, comment FROM dossier_steps WHERE dossier_id = $1 ORDER BY id`, id)
}

// DossierFilter selects dossiers.
type DossierFilter struct {
	Within string             // units at or below this one, at any time ("" every unit)
	Unit   string             // exactly this unit code
	Status recognition.Status // this status only
	Open   bool               // only dossiers not closed
	Limit  int
}

// Dossiers lists dossiers, the most recently moved first.
func (db *DB) Dossiers(ctx context.Context, f DossierFilter) ([]Dossier, error) {
	var w filter
	w.add(f.Unit != "", "d.unit_code = $%d", f.Unit)
	w.add(f.Status != "", "d.status = $%d", string(f.Status))
	if f.Open {
		w.conds = append(w.conds, "d.status NOT IN ('rejected', 'recognized')")
	}
	prefix := w.within(f.Within, "d.unit_code", "d.unit_from")
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 1000
	}
	q := prefix + `SELECT ` + dossierColumns + dossierFrom + w.sql()
	q += fmt.Sprintf(" ORDER BY d.updated_at DESC, d.id DESC LIMIT %d", limit)
	rows, err := db.r.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	return scanList(rows, scanDossier)
}

// DossiersOn lists the dossiers that were open on day, each with the step it was at that day
// (from the dossiers' history), so that lateness can be computed for any day.
func (db *DB) DossiersOn(ctx context.Context, within string, day units.Date) ([]Dossier, error) {
	all, err := db.Dossiers(ctx, DossierFilter{Within: within, Limit: 5000})
	if err != nil {
		return nil, err
	}
	var out []Dossier
	err = db.Read(ctx, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT s.dossier_id, s.step_id, s.started,
				(SELECT COUNT(*) FROM dossier_steps p WHERE p.dossier_id = s.dossier_id AND p.id < s.id)
			FROM dossier_steps s WHERE s.started <= $1 AND (s.ended = '' OR s.ended > $1)`, string(day))
		if err != nil {
			return err
		}
		defer rows.Close()
		type at struct {
			step    string
			started units.Date
			earlier int
		}
		on := map[int64]at{}
		for rows.Next() {
			var id int64
			var a at
			var started string
			if err := rows.Scan(&id, &a.step, &started, &a.earlier); err != nil {
				return err
			}
			a.started = units.Date(started)
			on[id] = a
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range all {
			a, ok := on[d.ID]
			if !ok {
				continue
			}
			if a.step != d.StepID || a.started != d.StepStarted || d.Status.Closed() {
				// The dossier has moved since: it stood at an earlier step that day.
				d.StepID, d.StepStarted, d.Closed = a.step, a.started, ""
				d.Status = recognition.InReview
				if a.earlier == 0 {
					d.Status = recognition.Preparing
				}
				d.Step = -1 // the caller looks the step up by id
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// DocumentUpload is a file to add to a dossier's checklist.
type DocumentUpload struct {
	Item        string
	Filename    string
	ContentType string
	Content     []byte
}

// MaxDossierDocuments bounds the files of one dossier.
const MaxDossierDocuments = 200

// AddDossierDocument stores a file of the checklist for the dossier at step (the step the
// uploader saw; a fault.Conflict carrying it if it has moved on). The caller checks the item and the
// file's size and type.
func (db *DB) AddDossierDocument(ctx context.Context, actor string, id int64, step string, up DocumentUpload) (DossierDocument, error) {
	var doc DossierDocument
	err := db.Write(ctx, func(tx *Tx) error {
		d, err := openDossier(ctx, tx, id, step)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM dossier_documents WHERE dossier_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n >= MaxDossierDocuments {
			return recognition.RuleFault(fmt.Sprintf("hồ sơ đã có %d tệp, tối đa %d (a dossier holds at most %d files)", n, MaxDossierDocuments, MaxDossierDocuments))
		}
		t := now()
		doc = DossierDocument{Item: up.Item, StepID: d.StepID, StoredFile: storedFile(up.Filename, up.ContentType, up.Content, actor, t)}
		if err := tx.QueryRowContext(ctx, `INSERT INTO dossier_documents (dossier_id, item, step_id, filename, content_type, size, sha256,
			content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			id, doc.Item, doc.StepID, doc.Filename, doc.ContentType, doc.Size, doc.SHA256, up.Content, actor, t).Scan(&doc.ID); err != nil {
			return err
		}
		if err := touchDossier(ctx, tx, id, actor, t); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "upload", Entity: "dossier", EntityID: strconv.FormatInt(id, 10),
			UnitCode: d.UnitCode, UnitDate: d.Opened, Detail: doc.Filename,
			New: map[string]any{"document": doc.ID, "item": doc.Item, "size": doc.Size, "sha256": doc.SHA256, "content_type": doc.ContentType}})
	})
	return doc, err
}

// openDossier reads a dossier that is not closed and is at step (when step is given).
func openDossier(ctx context.Context, tx *Tx, id int64, step string) (Dossier, error) {
	d, err := getDossier(ctx, tx, id)
	if err != nil {
		return d, err
	}
	if d.Status.Closed() {
		return d, recognition.RuleFault(fmt.Sprintf("hồ sơ đã kết thúc (%s), không sửa được (the dossier is closed)", d.Status))
	}
	if step != "" && step != d.StepID {
		return d, &fault.Error{Code: fault.Conflict, Current: d,
			Text: fmt.Sprintf("hồ sơ đã chuyển sang bước %q, không còn ở bước %q; hãy tải lại trang (the dossier moved on to step %s)", d.StepID, step, d.StepID)}
	}
	return d, nil
}

func touchDossier(ctx context.Context, tx *Tx, id int64, actor, t string) error {
	_, err := tx.ExecContext(ctx, `UPDATE dossiers SET updated_by = $1, updated_at = $2 WHERE id = $3`, actor, t, id)
	return err
}

// DossierDocumentContent returns a document of the dossier with its content.
func (db *DB) DossierDocumentContent(ctx context.Context, dossierID, docID int64) (DossierDocument, []byte, error) {
	var doc DossierDocument
	var content []byte
	var at string
	err := db.r.QueryRowContext(ctx, `SELECT id, item, step_id, filename, content_type, size, sha256, uploaded_by, uploaded_at, content
		FROM dossier_documents WHERE dossier_id = $1 AND id = $2`, dossierID, docID).Scan(&doc.ID, &doc.Item, &doc.StepID, &doc.Filename,
		&doc.ContentType, &doc.Size, &doc.SHA256, &doc.UploadedBy, &at, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return doc, nil, ErrNotFound
	}
	doc.UploadedAt = parseTime(at)
	return doc, content, err
}

// DeleteDossierDocument removes a file the current step uploaded.
func (db *DB) DeleteDossierDocument(ctx context.Context, actor string, dossierID, docID int64, step string) error {
	return db.Write(ctx, func(tx *Tx) error {
		d, err := openDossier(ctx, tx, dossierID, step)
		if err != nil {
			return err
		}
		var item, stepID, name, sum string
		err = tx.QueryRowContext(ctx, `SELECT item, step_id, filename, sha256 FROM dossier_documents WHERE dossier_id = $1 AND id = $2`,
			dossierID, docID).Scan(&item, &stepID, &name, &sum)
		if err != nil {
			return notFound(err)
		}
		if stepID != d.StepID {
			return recognition.RuleFault("chỉ xóa được tệp do bước hiện tại tải lên (only files uploaded at the current step can be removed)")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dossier_documents WHERE id = $1`, docID); err != nil {
			return err
		}
		if err := touchDossier(ctx, tx, dossierID, actor, now()); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "delete_document", Entity: "dossier", EntityID: strconv.FormatInt(dossierID, 10),
			UnitCode: d.UnitCode, UnitDate: d.Opened, Detail: name, Old: map[string]any{"document": docID, "item": item, "sha256": sum}})
	})
}

// AddDossierComment adds a comment to the dossier's current step (step, when given, is the
// step the commenter saw).
func (db *DB) AddDossierComment(ctx context.Context, actor string, id int64, step string, c DossierComment) (DossierComment, error) {
	err := db.Write(ctx, func(tx *Tx) error {
		d, err := openDossier(ctx, tx, id, step)
		if err != nil {
			return err
		}
		if c.Kind == "" {
			c.Kind = CommentNote
		}
		t := now()
		c.StepID, c.CreatedBy, c.CreatedAt = d.StepID, actor, parseTime(t)
		if err := tx.QueryRowContext(ctx, `INSERT INTO dossier_comments (dossier_id, step_id, kind, author, body, day, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, id, c.StepID, c.Kind, c.Author, c.Body, string(c.Day), actor, t).Scan(&c.ID); err != nil {
			return err
		}
		if err := touchDossier(ctx, tx, id, actor, t); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "comment", Entity: "dossier", EntityID: strconv.FormatInt(id, 10),
			UnitCode: d.UnitCode, UnitDate: d.Opened, Detail: c.Body, New: map[string]string{"kind": c.Kind, "step": c.StepID, "author": c.Author, "day": string(c.Day)}})
	})
	return c, err
}

// SetPosting records the public posting window (and where it is posted) of a dossier at its
// posting step.
func (db *DB) SetPosting(ctx context.Context, actor string, id int64, step string, from, to units.Date, where string) (Dossier, error) {
	var d Dossier
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if d, err = openDossier(ctx, tx, id, step); err != nil {
			return err
		}
		old := map[string]string{"from": string(d.PostingFrom), "to": string(d.PostingTo), "where": d.PostingWhere}
		t := now()
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET posting_from = $1, posting_to = $2, posting_where = $3, updated_by = $4, updated_at = $5
			WHERE id = $6`, string(from), string(to), where, actor, t, id); err != nil {
			return err
		}
		if d, err = getDossier(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "posting", Entity: "dossier", EntityID: strconv.FormatInt(id, 10),
			UnitCode: d.UnitCode, UnitDate: d.Opened, Old: old, New: map[string]string{"from": string(from), "to": string(to), "where": where}})
	})
	return d, err
}

// RecordVote records the council's vote on a dossier at its council step.
func (db *DB) RecordVote(ctx context.Context, actor string, id int64, step string, v recognition.Vote) (Dossier, error) {
	var d Dossier
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if d, err = openDossier(ctx, tx, id, step); err != nil {
			return err
		}
		t := now()
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET vote_members = $1, vote_yes = $2, vote_no = $3, vote_abstain = $4, vote_on = $5,
			vote_note = $6, updated_by = $7, updated_at = $8 WHERE id = $9`, v.Members, v.Yes, v.No, v.Abstain, string(v.On), v.Note, actor, t, id); err != nil {
			return err
		}
		old := d.Vote
		if d, err = getDossier(ctx, tx, id); err != nil {
			return err
		}
		e := AuditEntry{Actor: actor, Action: "vote", Entity: "dossier", EntityID: strconv.FormatInt(id, 10),
			UnitCode: d.UnitCode, UnitDate: d.Opened, New: v, Detail: v.Note}
		if old != nil {
			e.Old = old
		}
		return tx.Audit(ctx, e)
	})
	return d, err
}

// StepAction is an outcome taken at a dossier's current step.
type StepAction struct {
	Step     string // the step the actor saw; a fault.Conflict if the dossier moved on
	Outcome  recognition.Outcome
	On       units.Date // the day it was taken
	Today    units.Date // no action is dated after it
	Comment  string
	Decision *recognition.Decision // the decision step's pass
}

// TakeStep ends the dossier's current step with an outcome, by the workflow's rules, in one
// transaction: the dossier moves on (or back, or closes), the step's passage is recorded, a
// posting step gets its default window, a council step a fresh vote, the first step's pass
// attaches the latest assessment again, and the decision's pass enters the registry.
func (db *DB) TakeStep(ctx context.Context, actor string, id int64, wf *recognition.Workflow, a StepAction) (Dossier, error) {
	var d Dossier
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if d, err = openDossier(ctx, tx, id, a.Step); err != nil {
			return err
		}
		if d.WorkflowID != wf.ID {
			return fmt.Errorf("dossier %d follows %s, not %s", id, d.WorkflowID, wf.ID)
		}
		f := recognition.Facts{On: a.On, Today: a.Today, Comment: a.Comment, Documents: map[string]int{},
			PostingTo: d.PostingTo, Vote: d.Vote, Decision: a.Decision}
		rows, err := tx.QueryContext(ctx, `SELECT item, COUNT(*) FROM dossier_documents WHERE dossier_id = $1 GROUP BY item`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var item string
			var n int
			if err := rows.Scan(&item, &n); err != nil {
				rows.Close()
				return err
			}
			f.Documents[item] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		from := d.State()
		next, err := wf.Take(from, a.Outcome, f)
		if err != nil {
			return err
		}
		t := now()
		if _, err := tx.ExecContext(ctx, `UPDATE dossier_steps SET ended = $1, outcome = $2, actor = $3, comment = $4
			WHERE dossier_id = $5 AND ended = ''`, string(a.On), string(a.Outcome), actor, a.Comment, id); err != nil {
			return err
		}
		nextStep := wf.Steps[next.Step]
		closed := ""
		if next.Status.Closed() {
			closed = string(a.On)
		} else if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_steps (dossier_id, step_id, started) VALUES ($1, $2, $3)`,
			id, nextStep.ID, string(a.On)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET step = $1, step_id = $2, step_started = $3, status = $4, closed = $5,
			updated_by = $6, updated_at = $7 WHERE id = $8`, next.Step, nextStep.ID, string(next.StepStarted), string(next.Status), closed, actor, t, id); err != nil {
			return err
		}
		if !next.Status.Closed() && next.Step != from.Step {
			switch nextStep.Kind {
			case recognition.KindPosting:
				pf, pt, _ := nextStep.PostingWindow(a.On)
				if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET posting_from = $1, posting_to = $2 WHERE id = $3`, string(pf), string(pt), id); err != nil {
					return err
				}
			case recognition.KindCouncil:
				if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET vote_members = NULL, vote_yes = NULL, vote_no = NULL, vote_abstain = NULL,
					vote_on = '', vote_note = '' WHERE id = $1`, id); err != nil {
					return err
				}
			}
		}
		if from.Step == 0 && a.Outcome == recognition.Pass {
			aid, err := latestAssessment(ctx, tx, d.UnitCode, d.UnitFrom, d.SetID, a.On)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET assessment_id = $1 WHERE id = $2`, aid, id); err != nil {
				return err
			}
		}
		if next.Status == recognition.Recognized {
			if err := tx.Touch(ctx, VersionRecognitions); err != nil {
				return err
			}
			var rid int64
			err := tx.QueryRowContext(ctx, `INSERT INTO recognitions (unit_code, unit_from, tier, set_id, decision_number, decision_date, signer,
				dossier_id, source, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'dossier', $9, $10)
				ON CONFLICT (unit_code, unit_from, tier, decision_number) DO NOTHING RETURNING id`,
				d.UnitCode, string(d.UnitFrom), d.Tier, d.SetID, strings.TrimSpace(a.Decision.Number), string(a.Decision.Date),
				strings.TrimSpace(a.Decision.Signer), id, actor, t).Scan(&rid)
			if errors.Is(err, sql.ErrNoRows) {
				return recognition.RuleFault(fmt.Sprintf("quyết định %s đã có trong sổ công nhận của đơn vị này (decision %s is already in the registry for this unit)", a.Decision.Number, a.Decision.Number))
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET recognition_id = $1 WHERE id = $2`, rid, id); err != nil {
				return err
			}
			if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "recognition", EntityID: strconv.FormatInt(rid, 10),
				UnitCode: d.UnitCode, UnitDate: d.Opened, Detail: fmt.Sprintf("dossier %d", id),
				New: map[string]any{"tier": d.Tier, "set": d.SetID, "decision": a.Decision}}); err != nil {
				return err
			}
		}
		if d, err = getDossier(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: string(a.Outcome), Entity: "dossier", EntityID: strconv.FormatInt(id, 10),
			UnitCode: d.UnitCode, UnitDate: d.Opened, Detail: a.Comment,
			Old: map[string]any{"step": wf.Steps[from.Step].ID, "status": from.Status},
			New: map[string]any{"step": d.StepID, "status": d.Status, "on": a.On}})
	})
	return d, err
}

// ---------------------------------------------------------------------------------------
// The registry

const recognitionColumns = `r.id, r.unit_code, r.unit_from, COALESCE(u.full_name, ''), COALESCE(u.level, ''), COALESCE(u.parent_code, ''),
	r.tier, r.set_id, r.decision_number, r.decision_date, r.signer, r.dossier_id, r.source, r.created_by, r.created_at,
	v.decision_number, v.decision_date, v.signer, v.reason, v.created_by, v.created_at`

// queryRecognitions runs a registry query; revocations count only when dated on or before
// day ($1 of the query; where's other arguments follow).
func queryRecognitions(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, where string, day string, args ...any) ([]Recognition, error) {
	return queryRecognitionsPrefix(ctx, q, "", where, day, args...)
}

func queryRecognitionsPrefix(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, prefix, where string, day string, args ...any) ([]Recognition, error) {
	query := prefix + `SELECT ` + recognitionColumns + ` FROM recognitions r
		LEFT JOIN units u ON u.code = r.unit_code AND u.valid_from = r.unit_from
		LEFT JOIN recognition_revocations v ON v.recognition_id = r.id AND v.decision_date <= $1 ` + where
	rows, err := q.QueryContext(ctx, query, append([]any{day}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Recognition{}
	for rows.Next() {
		var r Recognition
		var from, level, date, cat string
		var did sql.NullInt64
		var vnum, vdate, vsigner, vreason, vby, vat sql.NullString
		if err := rows.Scan(&r.ID, &r.UnitCode, &from, &r.UnitName, &level, &r.ParentCode, &r.Tier, &r.SetID, &r.Decision.Number, &date,
			&r.Decision.Signer, &did, &r.Source, &r.CreatedBy, &cat, &vnum, &vdate, &vsigner, &vreason, &vby, &vat); err != nil {
			return nil, err
		}
		r.UnitFrom, r.UnitLevel, r.Decision.Date, r.CreatedAt = units.Date(from), units.Level(level), units.Date(date), parseTime(cat)
		if did.Valid {
			r.DossierID = &did.Int64
		}
		if vnum.Valid {
			r.Revocation = &RecognitionRevocation{Decision: recognition.Decision{Number: vnum.String, Date: units.Date(vdate.String), Signer: vsigner.String},
				Reason: vreason.String, CreatedBy: vby.String, CreatedAt: parseTime(vat.String)}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RegistryFilter selects recognitions.
type RegistryFilter struct {
	Root    string     // units at or below this one on AsOf ("" the country)
	AsOf    units.Date // decisions dated on or before it, for units that exist on it
	Tier    string     // this tier only
	InForce bool       // only those not revoked by AsOf
	Since   units.Date // only decisions dated on or after it
}

// underRoot is the CTE and condition selecting units (alias u) valid on $1 at or below the
// root, given as argument number n.
func underRoot(root string, n int) (prefix, cond string) {
	cond = `u.valid_from <= $1 AND u.valid_to >= $1`
	if root == "" {
		return "", cond
	}
	prefix = fmt.Sprintf(`WITH RECURSIVE sub(code) AS (
		SELECT code FROM units WHERE valid_from <= $1 AND valid_to >= $1 AND code = $%d
		UNION SELECT c.code FROM units c JOIN sub ON c.parent_code = sub.code WHERE c.valid_from <= $1 AND c.valid_to >= $1) `, n)
	return prefix, cond + ` AND u.code IN (SELECT code FROM sub)`
}

// Recognitions returns the registry as of a day: the decisions dated on or before it, of the
// units that exist on it (codes were reused: a commune recognised before the 2025 reform is a
// unit that no longer exists), each with its revocation if revoked by then; by date, then unit.
func (db *DB) Recognitions(ctx context.Context, f RegistryFilter) ([]Recognition, error) {
	return readOne(ctx, db, func(tx *Tx) ([]Recognition, error) { return recognitionsTx(ctx, tx, f) })
}

func recognitionsTx(ctx context.Context, tx *Tx, f RegistryFilter) ([]Recognition, error) {
	w := filter{args: []any{string(f.AsOf)}} // $1, the day the revocations are read on
	prefix, cond := "", ""
	if f.Root != "" {
		w.args = append(w.args, f.Root)
		prefix, cond = underRoot(f.Root, 2)
	} else {
		_, cond = underRoot("", 0)
	}
	w.conds = append(w.conds, cond, "r.decision_date <= $1")
	w.add(f.Tier != "", "r.tier = $%d", f.Tier)
	w.add(f.Since != "", "r.decision_date >= $%d", string(f.Since))
	if f.InForce {
		w.conds = append(w.conds, "v.recognition_id IS NULL")
	}
	return queryRecognitionsPrefix(ctx, tx, prefix, w.sql()+" ORDER BY r.decision_date, r.unit_code, r.id", string(f.AsOf), w.args[1:]...)
}

// Recognition returns one decision of the registry, with its revocation if any.
func (db *DB) Recognition(ctx context.Context, id int64) (Recognition, error) {
	rs, err := queryRecognitions(ctx, db.r, `WHERE r.id = $2`, string(units.Forever), id)
	if err != nil {
		return Recognition{}, err
	}
	if len(rs) == 0 {
		return Recognition{}, ErrNotFound
	}
	return rs[0], nil
}

// RevokeRecognition records the decision that revokes a recognition (thu hồi). It is a
// decision like the recognition itself, never automatic; a recognition is revoked once.
func (db *DB) RevokeRecognition(ctx context.Context, actor string, id int64, dec recognition.Decision, reason string) (Recognition, error) {
	var r Recognition
	err := db.Write(ctx, func(tx *Tx) error {
		rs, err := queryRecognitions(ctx, tx, `WHERE r.id = $2`, string(units.Forever), id)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return ErrNotFound
		}
		r = rs[0]
		if r.Revocation != nil {
			return recognition.RuleFault(fmt.Sprintf("quyết định công nhận %s đã bị thu hồi bằng quyết định %s (already revoked)", r.Decision.Number, r.Revocation.Decision.Number))
		}
		if dec.Date < r.Decision.Date {
			return recognition.RuleFault("ngày thu hồi trước ngày công nhận (the revocation is dated before the recognition)")
		}
		if err := tx.Touch(ctx, VersionRecognitions); err != nil {
			return err
		}
		t := now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO recognition_revocations (recognition_id, decision_number, decision_date, signer, reason, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, strings.TrimSpace(dec.Number), string(dec.Date), strings.TrimSpace(dec.Signer), reason, actor, t); err != nil {
			return err
		}
		rs, err = queryRecognitions(ctx, tx, `WHERE r.id = $2`, string(units.Forever), id)
		if err != nil {
			return err
		}
		r = rs[0]
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "revoke", Entity: "recognition", EntityID: strconv.FormatInt(id, 10),
			UnitCode: r.UnitCode, UnitDate: r.Decision.Date, Detail: reason, New: dec})
	})
	return r, err
}

// RegistryImport is one row of an imported registry.
type RegistryImport struct {
	Row      int
	UnitCode string
	Tier     string
	SetID    string
	Decision recognition.Decision
}

// RegistryStats says what an import did (or would do).
type RegistryStats struct {
	Rows      int `json:"rows"`
	Inserted  int `json:"inserted"`
	Unchanged int `json:"unchanged"` // already in the registry
}

var errDryRun = errors.New("dry run")

// ImportRecognitions adds an office's existing registry, all or nothing: each row's unit is
// the one its code names on the decision's date, or the row is refused; every refused row is
// reported (recognition.ImportFault). A row already in the registry (same unit, tier and
// decision number) is left as it is, so importing a file twice changes nothing. setFor gives
// the criteria set of a row that names none (it may return ""). With dryRun nothing is stored.
func (db *DB) ImportRecognitions(ctx context.Context, actor string, rows []RegistryImport, setFor func(units.Unit, string, units.Date) string, dryRun bool) (RegistryStats, error) {
	var st RegistryStats
	err := db.Write(ctx, func(tx *Tx) error {
		st = RegistryStats{Rows: len(rows)}
		var probs []recognition.RowProblem
		t := now()
		for _, r := range rows {
			u, err := scanUnit(tx.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE `+validOn+` AND code = $2`, string(r.Decision.Date), r.UnitCode))
			if errors.Is(err, sql.ErrNoRows) {
				probs = append(probs, recognition.RowProblem{Row: r.Row, Field: "unit", Message: fmt.Sprintf("không có đơn vị mã %s vào ngày %s (no unit %s on %s)",
					r.UnitCode, numfmt.Date(string(r.Decision.Date), "vi"), r.UnitCode, r.Decision.Date)})
				continue
			}
			if err != nil {
				return err
			}
			if len(probs) > 0 {
				continue // only looking for more problems now
			}
			set := r.SetID
			if set == "" && setFor != nil {
				set = setFor(u, r.Tier, r.Decision.Date)
			}
			if err := tx.Touch(ctx, VersionRecognitions); err != nil {
				return err
			}
			var id int64
			err = tx.QueryRowContext(ctx, `INSERT INTO recognitions (unit_code, unit_from, tier, set_id, decision_number, decision_date, signer,
				source, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'import', $8, $9)
				ON CONFLICT (unit_code, unit_from, tier, decision_number) DO NOTHING RETURNING id`,
				u.Code, string(u.ValidFrom), r.Tier, set, strings.TrimSpace(r.Decision.Number), string(r.Decision.Date), strings.TrimSpace(r.Decision.Signer), actor, t).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				st.Unchanged++
				continue
			}
			if err != nil {
				return err
			}
			st.Inserted++
			if err := tx.Audit(ctx, AuditEntry{Actor: actor, Action: "import", Entity: "recognition", EntityID: strconv.FormatInt(id, 10),
				UnitCode: u.Code, UnitDate: r.Decision.Date, Detail: fmt.Sprintf("row %d", r.Row),
				New: map[string]any{"tier": r.Tier, "set": set, "decision": r.Decision}}); err != nil {
				return err
			}
		}
		if len(probs) > 0 {
			return recognition.ImportFault(probs)
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return st, err
}

// ---------------------------------------------------------------------------------------
// The revocation watch

// LatestAssessment is a unit's latest evaluated assessment of one set.
type LatestAssessment struct {
	ID            int64      `json:"id"`
	SetID         string     `json:"set"`
	Period        string     `json:"period"`
	PeriodStart   units.Date `json:"period_start"`
	PeriodEnd     units.Date `json:"period_end"`
	Status        string     `json:"status"`
	Met           bool       `json:"met"`
	CriteriaMet   []int      `json:"criteria_met_list"`
	CriteriaTotal int        `json:"criteria_total"`
}

// WatchCandidate is a unit recognised on a day, with what the revocation rule looks at.
type WatchCandidate struct {
	Recognition Recognition
	// Latest holds the unit's latest assessment of each set, its period ending on or before
	// the day.
	Latest []LatestAssessment
	// Children and ChildrenRevoked count, for a district, its communes on the day and those
	// whose NTM recognition was revoked by then.
	Children, ChildrenRevoked int
}

// WatchCandidates returns the recognitions in force on day of the units at or below root,
// with the units' latest assessments (approved ones only, when approvedOnly).
func (db *DB) WatchCandidates(ctx context.Context, root string, day units.Date, approvedOnly bool) ([]WatchCandidate, error) {
	var out []WatchCandidate
	err := db.Read(ctx, func(tx *Tx) error {
		out = nil
		recs, err := recognitionsTx(ctx, tx, RegistryFilter{Root: root, AsOf: day, InForce: true})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		byUnit := map[string][]int{} // code|from → indexes into out
		for _, r := range recs {
			k := r.UnitCode + "|" + string(r.UnitFrom)
			byUnit[k] = append(byUnit[k], len(out))
			out = append(out, WatchCandidate{Recognition: r})
		}
		prefix, cond := "", ""
		args := []any{string(day)}
		if root != "" {
			args = append(args, root)
			prefix, cond = underRoot(root, 2)
		} else {
			_, cond = underRoot("", 0)
		}
		status := ""
		if approvedOnly {
			status = " AND a.status = 'approved'"
		}
		rows, err := tx.QueryContext(ctx, prefix+`SELECT id, unit_code, unit_from, set_id, period, period_start, period_end, status,
				eval_met, eval_criteria, eval_criteria_total FROM (
				SELECT a.id, a.unit_code, a.unit_from, a.set_id, a.period, a.period_start, a.period_end, a.status, a.eval_met,
					a.eval_criteria, a.eval_criteria_total,
					ROW_NUMBER() OVER (PARTITION BY a.unit_code, a.unit_from, a.set_id ORDER BY a.period_end DESC, a.period_start ASC, a.id DESC) AS rn
				FROM assessments a JOIN units u ON u.code = a.unit_code AND u.valid_from = a.unit_from
				WHERE `+cond+` AND a.period_end <= $1 AND a.eval_at IS NOT NULL`+status+`
				AND EXISTS (SELECT 1 FROM recognitions r WHERE r.unit_code = a.unit_code AND r.unit_from = a.unit_from)) ranked
			WHERE rn = 1`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var la LatestAssessment
			var code, from, ps, pe, list string
			var met sql.NullBool
			var total sql.NullInt64
			if err := rows.Scan(&la.ID, &code, &from, &la.SetID, &la.Period, &ps, &pe, &la.Status, &met, &list, &total); err != nil {
				rows.Close()
				return err
			}
			la.PeriodStart, la.PeriodEnd, la.Met, la.CriteriaMet, la.CriteriaTotal = units.Date(ps), units.Date(pe), met.Bool, parseInts(list), int(total.Int64)
			for _, i := range byUnit[code+"|"+from] {
				out[i].Latest = append(out[i].Latest, la)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			r := out[i].Recognition
			if r.UnitLevel != units.LevelDistrict {
				continue
			}
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE `+validOn+` AND parent_code = $2 AND level = 'commune'`,
				string(day), r.UnitCode).Scan(&out[i].Children); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT c.code) FROM units c
				JOIN recognitions x ON x.unit_code = c.code AND x.unit_from = c.valid_from AND x.tier = 'ntm'
				JOIN recognition_revocations v ON v.recognition_id = x.id AND v.decision_date <= $1
				WHERE c.valid_from <= $1 AND c.valid_to >= $1 AND c.parent_code = $2 AND c.level = 'commune'`,
				string(day), r.UnitCode).Scan(&out[i].ChildrenRevoked); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// ---------------------------------------------------------------------------------------
// Progress: units_recognized

// markRecognized sets Entry.Recognized for the units holding a recognition for the set's tier
// on q.AsOf (and Previous.Recognized as of the end of the previous assessment's period). A
// recognised unit counts whether or not it has an assessment. ProgressEntries calls it once
// the entries are complete, in its read transaction.
func markRecognized(ctx context.Context, tx *Tx, q ProgressQuery, entries []progress.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	tier, err := setTier(ctx, tx, q.SetID)
	if err != nil || tier == "" {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.unit_code, r.decision_date, COALESCE(v.decision_date, '')
		FROM recognitions r JOIN units u ON u.code = r.unit_code AND u.valid_from = r.unit_from
		LEFT JOIN recognition_revocations v ON v.recognition_id = r.id
		WHERE u.valid_from <= $1 AND u.valid_to >= $1 AND r.tier = $2 AND r.decision_date <= $1`, string(q.AsOf), tier)
	if err != nil {
		return err
	}
	defer rows.Close()
	type span struct{ from, revoked string }
	held := map[string][]span{}
	for rows.Next() {
		var code string
		var s span
		if err := rows.Scan(&code, &s.from, &s.revoked); err != nil {
			return err
		}
		held[code] = append(held[code], s)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(held) == 0 {
		return nil
	}
	on := func(code string, day units.Date) bool {
		for _, s := range held[code] {
			if s.from <= string(day) && (s.revoked == "" || s.revoked > string(day)) {
				return true
			}
		}
		return false
	}
	for i := range entries {
		e := &entries[i]
		if _, ok := held[e.Unit.Code]; !ok {
			continue
		}
		e.Recognized = on(e.Unit.Code, q.AsOf)
		if e.Previous != nil {
			if p, err := assessment.ParsePeriod(e.Previous.Period); err == nil {
				prev := *e.Previous
				prev.Recognized = on(e.Unit.Code, min(p.End, q.AsOf))
				e.Previous = &prev
			}
		}
	}
	return nil
}

// setTier is the tier of a criteria set: from the set an office imported (following extends),
// else from the shipped sets; "" when the set is unknown.
func setTier(ctx context.Context, tx *Tx, id string) (string, error) {
	for depth := 0; depth < 5 && id != ""; depth++ {
		var src, at string
		err := tx.QueryRowContext(ctx, `SELECT source, imported_at FROM criteria_sets WHERE id = $1`, id).Scan(&src, &at)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return "", err
		}
		key := id + "@" + at
		if v, ok := importedTiers.Load(key); ok {
			h := v.(tierOf)
			if h.tier != "" || h.extends == "" {
				return h.tier, nil
			}
			id = h.extends
			continue
		}
		var head struct {
			Tier    string `yaml:"tier"`
			Extends string `yaml:"extends"`
		}
		if err := yaml.Unmarshal([]byte(src), &head); err != nil {
			return "", nil // a set the catalog cannot read either
		}
		importedTiers.Store(key, tierOf{head.Tier, head.Extends})
		if head.Tier != "" || head.Extends == "" {
			return head.Tier, nil
		}
		id = head.Extends
	}
	sets, err := criteria.ShippedSets()
	if err != nil {
		return "", err
	}
	for _, s := range sets {
		if s.ID == id {
			return s.Tier, nil
		}
	}
	return "", nil
}

type tierOf struct{ tier, extends string }

// importedTiers caches the tier of imported sets by id and import time.
var importedTiers sync.Map
