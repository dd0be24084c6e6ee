package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The report an office signs (issue 14): the office's profile (header and signature block),
// report drafts with the office's own paragraphs, issuing (number, date, frozen files), and
// the downloads. Reading needs read on the unit; writing and issuing manage_targets (the
// province and district offices on their units, admin everywhere).

func init() {
	unitP := APIParam{Name: "unit", Description: "unit code of the office; none: the country"}
	asOfP := APIParam{Name: "as_of", Description: "the day on which the code names the unit (default today; an earlier day for a unit since abolished)"}
	documentAPI(map[string]APIDoc{
		"GET /api/v1/reports/profile": {Summary: "The office's profile: its header (parent body, issuing body, place), number pattern, recipients and signer; the defaults from the unit's name until saved (version 0).",
			Params: []APIParam{unitP, asOfP}, Returns: "the profile"},
		"PUT /api/v1/reports/profile": {Summary: "Save the office's profile; If-Match (or version) is the version it is based on, 0 for the first save; 409 with the current profile when stale; 422 naming a field left empty.",
			Params: []APIParam{unitP, asOfP}, Body: `{"parent", "body", "place", "number_pattern": "{n}/BC-BCĐ", "recipients": […], "authority", "signer_title", "signer_name", "bands": {"xa-ntm-2021": "19 / 15-18 / 9-14 / 5-8 / <5"}, "version"}`, Returns: "the profile saved"},
		"GET /api/v1/reports/drafts": {Summary: "The reports of a unit, drafts and issued (the archive), newest period first.",
			Params: []APIParam{unitP, asOfP}, Returns: "{drafts}"},
		"POST /api/v1/reports/drafts": {Summary: "Open the report of a unit for a period and language (an empty draft, or the one there is).",
			Body: `{"unit", "period": "2026-Q2", "lang": "vi", "set"}`, Returns: "the draft (201 when created)"},
		"GET /api/v1/reports/drafts/{id}": {Summary: "A report: the office's paragraphs by slot with their titles, version (ETag), status, number and date once issued, formats kept."},
		"PUT /api/v1/reports/drafts/{id}/paragraphs": {Summary: "Replace the office's own paragraphs of a draft (slots: emulation, general, shortcomings, tasks, proposals); If-Match or version; 409 when stale, 422 once issued.",
			Body: `{"paragraphs": {"general": "…"}, "version"}`, Returns: "the draft"},
		"POST /api/v1/reports/drafts/{id}/issue": {Summary: "Issue a draft: its number (from the office's register) and date; the figures are frozen and the files of every format kept; it is locked. 422 for a number already used that year.",
			Body: `{"number": 125, "date": "2026-07-05", "version"}`, Returns: "the report issued"},
		"GET /api/v1/reports/drafts/{id}/document": {Summary: "A report as a file: a draft with the current figures, an issued one exactly as it was issued (X-Checksum-Sha256).",
			Params:  []APIParam{{Name: "format", Description: "docx (default), pdf, html, md, xlsx, or json (the bulletin, frozen once issued)"}},
			Returns: "the document, named in Content-Disposition with the unit, the period and the number"},
	})
}

// officeUnit is the unit on the day of ?as_of=: its full name and level for the defaults.
func (s *Server) officeUnit(r *http.Request, code string) (string, units.Level, error) {
	if code == "" {
		return report.CountryName(), "", nil
	}
	day, err := asOf(r)
	if err != nil {
		return "", "", err
	}
	u, err := s.db.Unit(r.Context(), code, day)
	if err != nil {
		return "", "", err
	}
	return u.FullName, u.Level, nil
}

// GET /api/v1/reports/profile?unit=
func (s *Server) getReportProfile(r *http.Request, u *auth.User) (any, error) {
	code, err := s.office(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	p, err := s.profileOf(r, code)
	return tagged{versionTag(p.Version), p}, err
}

func (s *Server) profileOf(r *http.Request, code string) (report.Profile, error) {
	name, level, err := s.officeUnit(r, code)
	if err != nil {
		return report.Profile{}, err
	}
	return report.ProfileOf(r.Context(), s.db, code, name, level)
}

// bodyVersion reads If-Match, else the body's version (0 allowed: a first save).
func bodyVersion(r *http.Request, body int) (int, error) {
	if m := strings.Trim(strings.TrimPrefix(r.Header.Get("If-Match"), "W/"), `" `); m != "" {
		v, err := strconv.Atoi(m)
		if err != nil {
			return 0, badField("If-Match", "If-Match phải là phiên bản (ETag) đang sửa (If-Match must be the ETag)")
		}
		return v, nil
	}
	return body, nil
}

// PUT /api/v1/reports/profile?unit=
func (s *Server) putReportProfile(r *http.Request, u *auth.User) (any, error) {
	code, err := s.office(r, u, auth.ManageTargets)
	if err != nil {
		return nil, err
	}
	var p report.Profile
	if err := readJSON(r, &p); err != nil {
		return nil, err
	}
	out, err := s.saveProfile(r, u, code, p)
	if err != nil {
		cur, _ := s.profileOf(r, code)
		return nil, withCurrent(err, cur)
	}
	return tagged{versionTag(out.Version), out}, nil
}

func (s *Server) saveProfile(r *http.Request, u *auth.User, code string, p report.Profile) (report.Profile, error) {
	v, err := bodyVersion(r, p.Version)
	if err != nil {
		return p, err
	}
	if _, _, err := s.officeUnit(r, code); err != nil {
		return p, err
	}
	return report.SaveProfile(r.Context(), s.db, u.Username, code, p, v)
}

// draftDay is the day a draft's unit is checked on: its period's end, or its start for a
// unit abolished within the period.
func (s *Server) draftDay(r *http.Request, d store.ReportDraft) units.Date {
	p, err := report.NewPeriod(d.Period, "")
	if err != nil {
		return units.Today()
	}
	return s.unitDay(r, d.UnitCode, p)
}

// unitDay is the period's end when the unit exists then, else its start.
func (s *Server) unitDay(r *http.Request, code string, p report.Period) units.Date {
	if code == "" {
		return p.End
	}
	if _, err := s.db.Unit(r.Context(), code, p.End); err != nil {
		if _, err := s.db.Unit(r.Context(), code, p.Start); err == nil {
			return p.Start
		}
	}
	return p.End
}

// GET /api/v1/reports/drafts?unit=
func (s *Server) listReportDrafts(r *http.Request, u *auth.User) (any, error) {
	code, err := s.office(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	ds, err := s.db.ReportDrafts(r.Context(), []string{code})
	return map[string]any{"drafts": ds}, err
}

type draftOpen struct {
	Unit   string `json:"unit"`
	Period string `json:"period"`
	Lang   string `json:"lang"`
	Set    string `json:"set"`
}

// openDraft checks and opens the report of a unit for a period.
func (s *Server) openDraft(r *http.Request, u *auth.User, in draftOpen) (store.ReportDraft, bool, error) {
	lang, err := report.CheckLang(in.Lang)
	if err != nil {
		return store.ReportDraft{}, false, badField("lang", err.Error())
	}
	per, err := report.NewPeriod(in.Period, "")
	if err != nil || strings.TrimSpace(in.Period) == "" {
		msg := "period: cần kỳ báo cáo, ví dụ 2026-Q2 (a period is needed)"
		if err != nil {
			msg = invalidMessage(err)
		}
		return store.ReportDraft{}, false, badField("period", msg)
	}
	day := s.unitDay(r, in.Unit, per)
	if err := s.allow(r, u, auth.ManageTargets, in.Unit, day); err != nil {
		return store.ReportDraft{}, false, err
	}
	if in.Unit != "" {
		if _, err := s.db.Unit(r.Context(), in.Unit, day); err != nil {
			return store.ReportDraft{}, false, err
		}
	}
	return s.db.OpenReportDraft(r.Context(), u.Username, in.Unit, per.Text, lang, in.Set)
}

// POST /api/v1/reports/drafts {unit, period, lang, set}
func (s *Server) openReportDraft(r *http.Request, u *auth.User) (any, error) {
	var in draftOpen
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	d, created, err := s.openDraft(r, u, in)
	if created {
		return withStatus{http.StatusCreated, draftAnswer(d)}, err
	}
	return draftAnswer(d), err
}

// draftView is a draft as the API and the pages show it.
type draftView struct {
	store.ReportDraft
	Slots []draftSlot `json:"slots"`
}

type draftSlot struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

func viewDraft(d store.ReportDraft) draftView {
	var paras map[string]string
	json.Unmarshal(d.Paragraphs, &paras)
	v := draftView{ReportDraft: d}
	for _, k := range report.OwnSlots() {
		v.Slots = append(v.Slots, draftSlot{Key: k, Title: report.SlotTitle(d.Lang, k), Text: paras[k]})
	}
	return v
}

// draftAnswer answers a draft as the API shows it, with its version as ETag.
func draftAnswer(d store.ReportDraft) tagged {
	return tagged{versionTag(d.Version), viewDraft(d)}
}

// draftFor reads the path's draft and checks the user's right on its unit.
func (s *Server) draftFor(r *http.Request, u *auth.User, action auth.Action) (store.ReportDraft, error) {
	id, err := pathID(r)
	if err != nil {
		return store.ReportDraft{}, err
	}
	d, err := s.db.ReportDraftByID(r.Context(), id)
	if err != nil {
		return d, err
	}
	return d, s.allow(r, u, action, d.UnitCode, s.draftDay(r, d))
}

// GET /api/v1/reports/drafts/{id}
func (s *Server) getReportDraft(r *http.Request, u *auth.User) (any, error) {
	d, err := s.draftFor(r, u, auth.Read)
	return draftAnswer(d), err
}

// setParagraphs checks and stores the office's paragraphs of a draft.
func (s *Server) setParagraphs(r *http.Request, u *auth.User, d store.ReportDraft, version int, paras map[string]string) (store.ReportDraft, error) {
	return report.SetParagraphs(r.Context(), s.db, u.Username, d, version, paras)
}

// PUT /api/v1/reports/drafts/{id}/paragraphs {paragraphs, version} with If-Match
func (s *Server) putReportParagraphs(r *http.Request, u *auth.User) (any, error) {
	d, err := s.draftFor(r, u, auth.ManageTargets)
	if err != nil {
		return nil, err
	}
	var in struct {
		Paragraphs map[string]string `json:"paragraphs"`
		Version    int               `json:"version"`
	}
	body, err := io.ReadAll(http.MaxBytesReader(writerOf(r), r.Body, 1<<20))
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		err = dec.Decode(&in)
	}
	if err != nil {
		return nil, badField("body", "nội dung yêu cầu không phải JSON hợp lệ (body is not valid JSON): "+err.Error())
	}
	v, err := version(r, in.Version)
	if err != nil {
		return nil, err
	}
	out, err := s.setParagraphs(r, u, d, v, in.Paragraphs)
	return s.changedDraft(r, d, out, err)
}

// issueDraft issues a draft with a number and a date (today when none).
func (s *Server) issueDraft(r *http.Request, u *auth.User, d store.ReportDraft, version, number int, date string) (store.ReportDraft, error) {
	day := units.Today()
	if date != "" {
		dd, err := units.ReadDate(date)
		if err != nil {
			return d, badField("date", "date: "+err.Error())
		}
		day = dd
	}
	return withRules(s, r, func(cat *app.Catalog) (store.ReportDraft, error) {
		return report.IssueDraft(r.Context(), report.Source{DB: s.db, Catalog: cat}, u.Username, d, version, number, day)
	})
}

// POST /api/v1/reports/drafts/{id}/issue {number, date, version} with If-Match
func (s *Server) issueReportDraft(r *http.Request, u *auth.User) (any, error) {
	d, err := s.draftFor(r, u, auth.ManageTargets)
	if err != nil {
		return nil, err
	}
	var in struct {
		Number  int    `json:"number"`
		Date    string `json:"date"`
		Version int    `json:"version"`
	}
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	v, err := version(r, in.Version)
	if err != nil {
		return nil, err
	}
	out, err := s.issueDraft(r, u, d, v, in.Number, in.Date)
	return s.changedDraft(r, d, out, err)
}

// draftFile is a report as a file: an issued one's kept bytes, a draft rendered now.
func (s *Server) draftFile(r *http.Request, d store.ReportDraft, format string) ([]byte, error) {
	if d.Status == store.DraftIssued {
		if format == "json" {
			return s.db.ReportSnapshot(r.Context(), d.ID)
		}
		b, _, err := s.db.ReportFile(r.Context(), d.ID, format)
		return b, err
	}
	cat, err := s.rules(r.Context())
	if err != nil {
		return nil, err
	}
	b, err := report.DraftBulletin(r.Context(), report.Source{DB: s.db, Catalog: cat}, d)
	if err != nil {
		return nil, err
	}
	if format == "json" {
		return json.Marshal(b)
	}
	doc, err := b.Document()
	if err != nil {
		return nil, err
	}
	return doc.Render(format)
}

// GET /api/v1/reports/drafts/{id}/document?format=
func (s *Server) reportDraftDocument(r *http.Request, u *auth.User) (any, error) {
	d, err := s.draftFor(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = report.FormatDOCX
	}
	if format != "json" {
		if format, err = report.CheckFormat(format); err != nil {
			return nil, badField("format", err.Error())
		}
	}
	body, err := s.draftFile(r, d, format)
	if err != nil {
		return nil, reportFault(report.Request{SetID: d.SetID}, err)
	}
	doc := reportFile{body: body, format: format, name: report.DraftFileName(d, format)}
	if d.Status == store.DraftIssued {
		_, doc.sum, _ = s.db.ReportFile(r.Context(), d.ID, format)
	}
	return doc, nil
}

// office reads the unit ?unit= of an office's profile or reports and checks that u may take
// action on it as of ?as_of=.
func (s *Server) office(r *http.Request, u *auth.User, action auth.Action) (string, error) {
	code := r.URL.Query().Get("unit")
	day, err := asOf(r)
	if err != nil {
		return "", err
	}
	return code, s.allow(r, u, action, code, day)
}

// versionTag is a version as an entity tag.
func versionTag(v int) string { return strconv.Quote(strconv.Itoa(v)) }

// changedDraft answers a change of draft d: the draft as changed (out), or err with the
// draft as stored now.
func (s *Server) changedDraft(r *http.Request, d, out store.ReportDraft, err error) (any, error) {
	if err != nil {
		cur, _ := s.db.ReportDraftByID(r.Context(), d.ID)
		return nil, withCurrent(err, viewDraft(cur))
	}
	return draftAnswer(out), nil
}
