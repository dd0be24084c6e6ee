package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// The report an office signs (package report reads and writes the JSON): office profiles,
// report drafts with the office's own paragraphs, and issued reports frozen with their files.

// ReportProfile is an office's saved profile: JSON the report package reads.
type ReportProfile struct {
	UnitCode  string          `json:"unit"`
	Profile   json.RawMessage `json:"profile"`
	Version   int             `json:"version"`
	UpdatedBy string          `json:"updated_by"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// versionConflict is a write against an older version of a profile or a draft; the fault
// carries the stored version (the API answers the record itself instead, see web.withCurrent).
func versionConflict(what string, sent, current int) error {
	return &fault.Error{Code: fault.Conflict, Current: current,
		Text: fmt.Sprintf("%s đã được người khác sửa (phiên bản %d, bạn gửi %d); tải lại rồi sửa tiếp (the %s changed: version %d stored, %d sent)",
			map[string]string{"profile": "hồ sơ cơ quan", "draft": "dự thảo báo cáo"}[what], current, sent, what, current, sent)}
}

// ReportProfileOf returns the saved profile of the unit's office, ErrNotFound when it has none.
func (db *DB) ReportProfileOf(ctx context.Context, unit string) (ReportProfile, error) {
	var p ReportProfile
	var raw, at string
	err := db.r.QueryRowContext(ctx, `SELECT unit_code, profile, version, updated_by, updated_at FROM report_profiles WHERE unit_code = $1`, unit).
		Scan(&p.UnitCode, &raw, &p.Version, &p.UpdatedBy, &at)
	if err != nil {
		return p, notFound(err)
	}
	p.Profile, p.UpdatedAt = json.RawMessage(raw), parseTime(at)
	return p, nil
}

// PutReportProfile saves the profile of the unit's office. version is the one the change is
// based on: 0 for an office with no saved profile yet; a stale one is a fault.Conflict.
func (db *DB) PutReportProfile(ctx context.Context, actor, unit string, profile json.RawMessage, version int) (ReportProfile, error) {
	var out ReportProfile
	err := db.Write(ctx, func(tx *Tx) error {
		cur := 0
		var old string
		err := tx.QueryRowContext(ctx, `SELECT version, profile FROM report_profiles WHERE unit_code = $1`, unit).Scan(&cur, &old)
		if err != nil && !errors.Is(notFound(err), ErrNotFound) {
			return err
		}
		if cur != version {
			return versionConflict("profile", version, cur)
		}
		t := now()
		if cur == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO report_profiles (unit_code, profile, version, updated_by, updated_at) VALUES ($1, $2, 1, $3, $4)`,
				unit, string(profile), actor, t)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE report_profiles SET profile = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE unit_code = $4`,
				string(profile), actor, t, unit)
		}
		if err != nil {
			return err
		}
		out = ReportProfile{UnitCode: unit, Profile: profile, Version: cur + 1, UpdatedBy: actor, UpdatedAt: parseTime(t)}
		var oldV any
		if old != "" {
			oldV = json.RawMessage(old)
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "update", Entity: "report_profile", EntityID: unit, UnitCode: unit,
			Old: oldV, New: profile})
	})
	return out, err
}

// ReportDraft is a report of a unit for a period in one language: the office's paragraphs
// (JSON object, slot → text) while a draft; once issued its number, date and frozen bulletin.
type ReportDraft struct {
	ID         int64           `json:"id"`
	UnitCode   string          `json:"unit"`
	Period     string          `json:"period"`
	Lang       string          `json:"lang"`
	SetID      string          `json:"set,omitempty"`
	Paragraphs json.RawMessage `json:"paragraphs"`
	Version    int             `json:"version"`
	Status     string          `json:"status"` // draft, issued
	Number     int             `json:"number,omitempty"`
	IssuedOn   units.Date      `json:"issued_on,omitempty"`
	IssuedBy   string          `json:"issued_by,omitempty"`
	CreatedBy  string          `json:"created_by"`
	UpdatedBy  string          `json:"updated_by"`
	UpdatedAt  time.Time       `json:"updated_at"`
	// Formats are the files kept when it was issued.
	Formats []string `json:"formats,omitempty"`
}

// Report draft statuses.
const (
	DraftOpen   = "draft"
	DraftIssued = "issued"
)

const draftColumns = `id, unit_code, period, lang, set_id, paragraphs, version, status, number, issued_on, issued_by, created_by, updated_by, updated_at`

func scanDraft(row interface{ Scan(...any) error }) (ReportDraft, error) {
	var d ReportDraft
	var paras, issued, at string
	err := row.Scan(&d.ID, &d.UnitCode, &d.Period, &d.Lang, &d.SetID, &paras, &d.Version, &d.Status, &d.Number, &issued, &d.IssuedBy,
		&d.CreatedBy, &d.UpdatedBy, &at)
	d.Paragraphs, d.IssuedOn, d.UpdatedAt = json.RawMessage(paras), units.Date(issued), parseTime(at)
	return d, err
}

// OpenReportDraft returns the report of the unit, period and language, creating an empty
// draft when there is none.
func (db *DB) OpenReportDraft(ctx context.Context, actor, unit, period, lang, setID string) (ReportDraft, bool, error) {
	var d ReportDraft
	created := false
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		d, err = scanDraft(tx.QueryRowContext(ctx, `SELECT `+draftColumns+` FROM report_drafts WHERE unit_code = $1 AND period = $2 AND lang = $3`, unit, period, lang))
		if err == nil || !errors.Is(notFound(err), ErrNotFound) {
			return err
		}
		t := now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO report_drafts (unit_code, period, lang, set_id, paragraphs, version, status, created_by, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, '{}', 1, 'draft', $5, $5, $6) RETURNING id`, unit, period, lang, setID, actor, t).Scan(&id); err != nil {
			return err
		}
		created = true
		d = ReportDraft{ID: id, UnitCode: unit, Period: period, Lang: lang, SetID: setID, Paragraphs: json.RawMessage("{}"), Version: 1,
			Status: DraftOpen, CreatedBy: actor, UpdatedBy: actor, UpdatedAt: parseTime(t)}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "report_draft", EntityID: strconv.FormatInt(id, 10), UnitCode: unit,
			New: map[string]string{"period": period, "lang": lang}})
	})
	return d, created, err
}

// ReportDraftByID returns a report with the formats of its kept files.
func (db *DB) ReportDraftByID(ctx context.Context, id int64) (ReportDraft, error) {
	d, err := scanDraft(db.r.QueryRowContext(ctx, `SELECT `+draftColumns+` FROM report_drafts WHERE id = $1`, id))
	if err != nil {
		return d, notFound(err)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT format FROM report_files WHERE draft_id = $1 ORDER BY format`, id)
	if err != nil {
		return d, err
	}
	d.Formats, err = scanRows(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var f string
		return f, r.Scan(&f)
	})
	return d, err
}

// ReportDrafts lists the reports of the units named (nil: all), newest period first.
func (db *DB) ReportDrafts(ctx context.Context, unitCodes []string) ([]ReportDraft, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+draftColumns+` FROM report_drafts ORDER BY period DESC, unit_code, lang, id`)
	if err != nil {
		return nil, err
	}
	all, err := scanRows(rows, scanDraft)
	if err != nil || unitCodes == nil {
		return all, err
	}
	keep := map[string]bool{}
	for _, c := range unitCodes {
		keep[c] = true
	}
	out := []ReportDraft{}
	for _, d := range all {
		if keep[d.UnitCode] {
			out = append(out, d)
		}
	}
	return out, nil
}

// issuedError is a change to an issued report (422).
func issuedError(d ReportDraft) error {
	return fault.Newf(fault.Rule, "báo cáo số %d ngày %s đã ban hành, không sửa được; mở dự thảo kỳ khác (report no. %d was issued on %s and is locked)",
		d.Number, d.IssuedOn, d.Number, d.IssuedOn)
}

// draftToChange reads draft id for a change based on version: one that is issued, or whose
// version is not that one, is refused.
func draftToChange(ctx context.Context, tx *Tx, id int64, version int) (ReportDraft, error) {
	d, err := scanDraft(tx.QueryRowContext(ctx, `SELECT `+draftColumns+` FROM report_drafts WHERE id = $1`, id))
	switch {
	case err != nil:
		return d, notFound(err)
	case d.Status == DraftIssued:
		return d, issuedError(d)
	case d.Version != version:
		return d, versionConflict("draft", version, d.Version)
	}
	return d, nil
}

// SetReportParagraphs replaces the office's paragraphs of a draft, based on version.
func (db *DB) SetReportParagraphs(ctx context.Context, actor string, id int64, version int, paragraphs json.RawMessage) (ReportDraft, error) {
	var d ReportDraft
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if d, err = draftToChange(ctx, tx, id, version); err != nil {
			return err
		}
		t := now()
		if _, err := tx.ExecContext(ctx, `UPDATE report_drafts SET paragraphs = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE id = $4`,
			string(paragraphs), actor, t, id); err != nil {
			return err
		}
		old := d.Paragraphs
		d.Paragraphs, d.Version, d.UpdatedBy, d.UpdatedAt = paragraphs, d.Version+1, actor, parseTime(t)
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "update", Entity: "report_draft", EntityID: strconv.FormatInt(id, 10), UnitCode: d.UnitCode,
			Old: old, New: paragraphs})
	})
	return d, err
}

// ReportIssue is what issuing a draft stores: its number and date, the frozen bulletin and
// the files in every format.
type ReportIssue struct {
	Number   int
	IssuedOn units.Date
	Snapshot json.RawMessage
	Files    map[string][]byte // format → content
}

// IssueReport numbers, dates, freezes and locks a draft, based on version. A number the unit
// already gave another report of the same year is refused.
func (db *DB) IssueReport(ctx context.Context, actor string, id int64, version int, is ReportIssue) (ReportDraft, error) {
	var d ReportDraft
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if d, err = draftToChange(ctx, tx, id, version); err != nil {
			return err
		}
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM report_drafts WHERE unit_code = $1 AND status = 'issued' AND number = $2 AND substr(issued_on, 1, 4) = $3`,
			d.UnitCode, is.Number, string(is.IssuedOn)[:4]).Scan(&other)
		if err == nil {
			return fault.Newf(fault.Rule, "số %d năm %s đã dùng cho báo cáo khác (mã %d); chọn số khác theo sổ văn bản (number %d of %s is already used)",
				is.Number, string(is.IssuedOn)[:4], other, is.Number, string(is.IssuedOn)[:4])
		} else if !errors.Is(notFound(err), ErrNotFound) {
			return err
		}
		t := now()
		if _, err := tx.ExecContext(ctx, `UPDATE report_drafts SET status = 'issued', number = $1, issued_on = $2, issued_by = $3, snapshot = $4,
			version = version + 1, updated_by = $3, updated_at = $5 WHERE id = $6`, is.Number, string(is.IssuedOn), actor, string(is.Snapshot), t, id); err != nil {
			return err
		}
		for _, format := range slices.Sorted(maps.Keys(is.Files)) {
			content := is.Files[format]
			sum := sha256.Sum256(content)
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_files (draft_id, format, content, sha256) VALUES ($1, $2, $3, $4)`,
				id, format, content, hex.EncodeToString(sum[:])); err != nil {
				return err
			}
			d.Formats = append(d.Formats, format)
		}
		d.Status, d.Number, d.IssuedOn, d.IssuedBy, d.Version, d.UpdatedBy, d.UpdatedAt = DraftIssued, is.Number, is.IssuedOn, actor, d.Version+1, actor, parseTime(t)
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "issue", Entity: "report_draft", EntityID: strconv.FormatInt(id, 10), UnitCode: d.UnitCode,
			New: map[string]any{"number": is.Number, "issued_on": is.IssuedOn, "formats": len(is.Files)}})
	})
	return d, err
}

// ReportFile returns a file kept when the report was issued, with its SHA-256.
func (db *DB) ReportFile(ctx context.Context, id int64, format string) ([]byte, string, error) {
	var content []byte
	var sum string
	err := db.r.QueryRowContext(ctx, `SELECT content, sha256 FROM report_files WHERE draft_id = $1 AND format = $2`, id, format).Scan(&content, &sum)
	return content, sum, notFound(err)
}

// ReportSnapshot returns the frozen bulletin of an issued report.
func (db *DB) ReportSnapshot(ctx context.Context, id int64) (json.RawMessage, error) {
	var s string
	err := db.r.QueryRowContext(ctx, `SELECT snapshot FROM report_drafts WHERE id = $1 AND status = 'issued'`, id).Scan(&s)
	return json.RawMessage(s), notFound(err)
}
