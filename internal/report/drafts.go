package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The report draft (dự thảo báo cáo): per unit, period and language, the office's own
// paragraphs by slot (data/reports/document.yaml own_paragraphs) written beside the
// generated figures, which stay live until the report is issued. Issuing numbers and dates
// it, freezes the bulletin as JSON, and keeps the files of every format, so that a download
// gives the same bytes ever after (store.IssueReport).

// MaxParagraphs is the most text one slot takes, in characters.
const MaxParagraphs = 20000

// OwnSlots are the slots of the office's paragraphs, in the order of the report.
func OwnSlots() []string {
	lay, err := documentLayout()
	if err != nil {
		return nil
	}
	return lay.OwnParagraphs
}

// SlotTitle names a slot in lang.
func SlotTitle(lang, slot string) string { return label(lang, "own."+slot) }

// CheckParagraphs refuses a slot that does not exist or text too long; empty slots are
// dropped.
func CheckParagraphs(m map[string]string) (map[string]string, error) {
	slots := OwnSlots()
	out := map[string]string{}
	for k, v := range m {
		if !slices.Contains(slots, k) {
			return nil, profileError("paragraphs."+k, fmt.Sprintf("paragraphs.%s: không có mục %q; các mục là %s (no slot %q)", k, k, strings.Join(slots, ", "), k))
		}
		v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
		if n := len([]rune(v)); n > MaxParagraphs {
			return nil, profileError("paragraphs."+k, fmt.Sprintf("paragraphs.%s: %d ký tự, nhiều nhất %d (at most %d characters)", k, n, MaxParagraphs, MaxParagraphs))
		}
		if v != "" {
			out[k] = v
		}
	}
	return out, nil
}

// ownParagraphs writes the office's text as Markdown paragraphs.
func ownParagraphs(text string) string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimLeft(line, "#|")
		line = strings.ReplaceAll(line, "<!--", "<!-")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "+ "); ok {
			line = "- " + rest
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n\n")
}

// officeOf is the office of a report's unit: its saved profile, else the defaults.
func officeOf(ctx context.Context, src Source, c resolved) (*Office, error) {
	p, err := ProfileOf(ctx, src.DB, c.unit.Code, c.unit.Name, c.level)
	if err != nil {
		return nil, err
	}
	return &Office{Profile: p}, nil
}

// ProfileOf is the saved profile of the unit's office, else the defaults from its name.
func ProfileOf(ctx context.Context, db *store.DB, code, fullName string, level units.Level) (Profile, error) {
	saved, err := db.ReportProfileOf(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return DefaultProfile(code, fullName, level)
	}
	if err != nil {
		return Profile{}, err
	}
	var p Profile
	if err := json.Unmarshal(saved.Profile, &p); err != nil {
		return Profile{}, fmt.Errorf("report profile of %q: %w", code, err)
	}
	p.UnitCode, p.Version = code, saved.Version
	return p, nil
}

// DraftBulletin builds the bulletin of a draft with the current figures and the office's
// paragraphs.
func DraftBulletin(ctx context.Context, src Source, d store.ReportDraft) (*Bulletin, error) {
	b, err := Build(ctx, src, Request{Unit: d.UnitCode, SetID: d.SetID, Period: d.Period, Lang: d.Lang})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(d.Paragraphs, &b.Own); err != nil {
		return nil, fmt.Errorf("report draft %d: paragraphs: %w", d.ID, err)
	}
	return b, nil
}

// IssueFormats are the formats an issued report is kept in.
var IssueFormats = []string{FormatDOCX, FormatPDF, FormatHTML, FormatMarkdown, FormatXLSX}

// Issue prepares what issuing a draft stores: the bulletin with its number and date, frozen
// as JSON, and its files in every format.
func Issue(ctx context.Context, src Source, d store.ReportDraft, number int, day units.Date) (store.ReportIssue, error) {
	if number <= 0 {
		return store.ReportIssue{}, profileError("number", fmt.Sprintf("number: số văn bản phải là số nguyên dương, lấy theo sổ đăng ký văn bản (%d is not a document number)", number))
	}
	b, err := DraftBulletin(ctx, src, d)
	if err != nil {
		return store.ReportIssue{}, err
	}
	b.Office.Number, b.Office.Date = number, day
	snap, err := json.Marshal(b)
	if err != nil {
		return store.ReportIssue{}, err
	}
	doc, err := b.Document()
	if err != nil {
		return store.ReportIssue{}, err
	}
	files := map[string][]byte{}
	for _, f := range IssueFormats {
		if files[f], err = doc.Render(f); err != nil {
			return store.ReportIssue{}, fmt.Errorf("report %d as %s: %w", d.ID, f, err)
		}
	}
	return store.ReportIssue{Number: number, IssuedOn: day, Snapshot: snap, Files: files}, nil
}

// DraftFileName is the name an issued report's file is saved under: with its number.
func DraftFileName(d store.ReportDraft, format string) string {
	name := filename(d.Lang, "bulletin", d.UnitCode, d.Period)
	if d.Status == store.DraftIssued {
		name += "-so-" + fmt.Sprint(d.Number)
	}
	return name + "." + format
}

// CountryName is the name of the whole country in reports.
func CountryName() string { return label("vi", "country") }

// SaveProfile checks and saves the profile of an office (code "" the country), based on
// version (0 for the first save).
func SaveProfile(ctx context.Context, db *store.DB, actor, code string, p Profile, version int) (Profile, error) {
	if err := p.Check(); err != nil {
		return p, err
	}
	p.UnitCode, p.Version = code, 0
	raw, err := json.Marshal(p)
	if err != nil {
		return p, err
	}
	saved, err := db.PutReportProfile(ctx, actor, code, raw, version)
	if err != nil {
		return p, err
	}
	p.Version = saved.Version
	return p, nil
}

// SetParagraphs checks and stores the office's paragraphs of a draft, based on version.
func SetParagraphs(ctx context.Context, db *store.DB, actor string, d store.ReportDraft, version int, paras map[string]string) (store.ReportDraft, error) {
	clean, err := CheckParagraphs(paras)
	if err != nil {
		return d, err
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return d, err
	}
	return db.SetReportParagraphs(ctx, actor, d.ID, version, raw)
}

// IssueDraft issues a draft, based on version: its number, its date (not before the period
// starts), the bulletin frozen and its files kept.
func IssueDraft(ctx context.Context, src Source, actor string, d store.ReportDraft, version, number int, day units.Date) (store.ReportDraft, error) {
	if p, err := NewPeriod(d.Period, ""); err == nil && day < p.Start {
		return d, profileError("date", fmt.Sprintf("date: ngày ban hành %s trước khi kỳ %s bắt đầu (the date is before the period)", day, d.Period))
	}
	is, err := Issue(ctx, src, d, number, day)
	if err != nil {
		return d, err
	}
	return src.DB.IssueReport(ctx, actor, d.ID, version, is)
}
