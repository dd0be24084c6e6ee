package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The pages of the report an office signs: /reports (the unit's reports and a form to open
// one), /reports/profile (the office's profile), /reports/{id} (the draft: the office's
// paragraphs, preview, issue; an issued report's downloads). Each does what the API does,
// through the same functions.

func (s *Server) reportDocumentPageRoutes() {
	s.addNav("documents", "/reports", "nav.documents")
	s.mux.HandleFunc("GET /reports", s.documentsPage)
	s.mux.HandleFunc("POST /reports", s.documentsPost)
	s.mux.HandleFunc("GET /reports/profile", s.profilePage)
	s.mux.HandleFunc("POST /reports/profile", s.profilePost)
	s.mux.HandleFunc("GET /reports/{id}", s.draftPage)
	s.mux.HandleFunc("POST /reports/{id}", s.draftPost)
}

type documentsData struct {
	Unit     string
	UnitName string
	Period   string
	Drafts   []store.ReportDraft
	Error    string
	CanWrite bool
}

// DocLink is the address of a report's file.
func (p *page) DocLink(id int64, format string) string {
	return fmt.Sprintf("/api/v1/reports/drafts/%d/document?format=%s", id, format)
}

// DocStatus says where a report stands.
func (p *page) DocStatus(d store.ReportDraft) string {
	if d.Status == store.DraftIssued {
		return p.T("documents.status.issued", d.Number, p.Date(d.IssuedOn))
	}
	return p.T("documents.status.draft", d.Version)
}

// pageUnit is the unit a page is about: ?unit=, else the user's home unit.
func pageUnit(r *http.Request, v *viewer) string {
	if u, ok := r.URL.Query()["unit"]; ok {
		return strings.TrimSpace(u[0])
	}
	return v.UnitCode
}

// readsUnitReports begins a page of the reports section about unit; false (answered 403)
// when the page's user may not read the unit's reports.
func (s *Server) readsUnitReports(w http.ResponseWriter, r *http.Request, p *page, unit string) bool {
	p.Nav = "documents"
	if err := s.allow(r, p.User.user, auth.Read, unit, units.Today()); err != nil {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return false
	}
	return true
}

// writesUnitReports reports whether the page's user may write the reports of unit.
func (s *Server) writesUnitReports(r *http.Request, p *page, unit string) bool {
	return s.allow(r, p.User.user, auth.ManageTargets, unit, units.Today()) == nil
}

// GET /reports?unit=
func (s *Server) documentsPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "documents.title")
	if !ok || s.archiveIfHomeGone(w, r, p) {
		return
	}
	s.renderDocuments(w, r, p, pageUnit(r, p.User), "", http.StatusOK)
}

func (s *Server) renderDocuments(w http.ResponseWriter, r *http.Request, p *page, unit, errMsg string, status int) {
	if !s.readsUnitReports(w, r, p, unit) {
		return
	}
	name, _, err := s.officeUnit(r, unit)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, "documents.not_found")
		return
	}
	ds, err := s.db.ReportDrafts(r.Context(), []string{unit})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	today := string(units.Today())
	month, _ := strconv.Atoi(today[5:7])
	p.Data = documentsData{Unit: unit, UnitName: name, Period: fmt.Sprintf("%s-Q%d", today[:4], (month-1)/3+1), Drafts: ds, Error: errMsg,
		CanWrite: s.writesUnitReports(r, p, unit)}
	s.render(w, r, status, "reports_documents", p)
}

// POST /reports (unit, period, lang): open the draft and go to it.
func (s *Server) documentsPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "documents.title", 1<<20)
	if !ok {
		return
	}
	f := r.PostForm
	in := draftOpen{Unit: strings.TrimSpace(f.Get("unit")), Period: strings.TrimSpace(f.Get("period")), Lang: f.Get("lang")}
	d, _, err := s.openDraft(r, p.User.user, in)
	if err != nil {
		if isForbidden(err) {
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		s.renderDocuments(w, r, p, in.Unit, pageError(err), http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/reports/%d", d.ID), http.StatusSeeOther)
}

// pageError is the message of a refusal as a page shows it.
func pageError(err error) string {
	switch {
	case isInvalid(err):
		return invalidMessage(err)
	case fault.Is(err, fault.InvalidValue) || fault.Is(err, fault.Rule):
		return invalidMessage(err)
	case errors.Is(err, store.ErrNotFound):
		return "không tìm thấy đơn vị hoặc báo cáo (not found)"
	}
	return err.Error()
}

type profileData struct {
	Unit       string
	UnitName   string
	Profile    report.Profile
	Recipients string
	Bands      string
	Flash      string
	Error      string
	CanWrite   bool
}

// GET /reports/profile?unit=
func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "documents.profile")
	if !ok {
		return
	}
	unit := pageUnit(r, p.User)
	pr, err := s.profileOf(r, unit)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, "documents.not_found")
		return
	}
	flash := ""
	if r.URL.Query().Get("saved") == "1" {
		flash = p.T("documents.profile.saved")
	}
	s.renderProfile(w, r, p, unit, pr, flash, "", http.StatusOK)
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, p *page, unit string, pr report.Profile, flash, errMsg string, status int) {
	if !s.readsUnitReports(w, r, p, unit) {
		return
	}
	name, _, _ := s.officeUnit(r, unit)
	p.Data = profileData{Unit: unit, UnitName: name, Profile: pr, Recipients: strings.Join(pr.Recipients, "\n"), Bands: pr.BandLines(), Flash: flash, Error: errMsg,
		CanWrite: s.writesUnitReports(r, p, unit)}
	s.render(w, r, status, "reports_profile", p)
}

// POST /reports/profile (unit, version, the fields)
func (s *Server) profilePost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "documents.profile", 1<<20)
	if !ok {
		return
	}
	f := r.PostForm
	unit := strings.TrimSpace(f.Get("unit"))
	if err := s.allow(r, p.User.user, auth.ManageTargets, unit, units.Today()); err != nil {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return
	}
	v, _ := strconv.Atoi(f.Get("version"))
	pr := report.Profile{Parent: f.Get("parent"), Body: f.Get("body"), Place: f.Get("place"), NumberPattern: f.Get("number_pattern"),
		Recipients: strings.Split(f.Get("recipients"), "\n"), Authority: f.Get("authority"), SignerTitle: f.Get("signer_title"),
		SignerName: f.Get("signer_name"), Version: v}
	bands, err := report.ParseBandLines(f.Get("bands"))
	if err == nil {
		pr.Bands = bands
		_, err = s.saveProfile(r, p.User.user, unit, pr)
	}
	if err != nil {
		if fault.Is(err, fault.Conflict) {
			cur, _ := s.profileOf(r, unit)
			s.renderProfile(w, r, p, unit, cur, "", err.Error(), http.StatusConflict)
			return
		}
		pr.Version = v
		s.renderProfile(w, r, p, unit, pr, "", pageError(err), http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, "/reports/profile?saved=1&unit="+url.QueryEscape(unit), http.StatusSeeOther)
}

type draftPageData struct {
	Draft    draftView
	UnitName string
	Period   string
	Flash    string
	Error    string
	CanWrite bool
	Today    string
}

// draftOfPage reads /reports/{id} and checks the viewer may read it.
func (s *Server) draftOfPage(w http.ResponseWriter, r *http.Request, p *page, action auth.Action) (store.ReportDraft, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var d store.ReportDraft
	if err == nil {
		d, err = s.db.ReportDraftByID(r.Context(), id)
	}
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, "documents.not_found")
		return d, false
	}
	if err := s.allow(r, p.User.user, action, d.UnitCode, s.draftDay(r, d)); err != nil {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return d, false
	}
	return d, true
}

// GET /reports/{id}
func (s *Server) draftPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "documents.title")
	if !ok {
		return
	}
	d, ok := s.draftOfPage(w, r, p, auth.Read)
	if !ok {
		return
	}
	flash := ""
	if r.URL.Query().Get("saved") == "1" {
		flash = p.T("documents.draft.saved")
	}
	s.renderDraft(w, r, p, d, flash, "", http.StatusOK)
}

func (s *Server) renderDraft(w http.ResponseWriter, r *http.Request, p *page, d store.ReportDraft, flash, errMsg string, status int) {
	p.Nav = "documents"
	name, _, _ := s.officeUnit(r, d.UnitCode)
	per, _ := report.NewPeriod(d.Period, "")
	p.Title = p.T("documents.draft.title", name, per.Name(d.Lang))
	p.Data = draftPageData{Draft: viewDraft(d), UnitName: name, Period: per.Name(d.Lang), Flash: flash, Error: errMsg, Today: p.Date(units.Today()),
		CanWrite: d.Status == store.DraftOpen && s.allow(r, p.User.user, auth.ManageTargets, d.UnitCode, s.draftDay(r, d)) == nil}
	s.render(w, r, status, "reports_draft", p)
}

// POST /reports/{id} (action save: version and the slots; action issue: version, number, date)
func (s *Server) draftPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "documents.title", 1<<20)
	if !ok {
		return
	}
	d, ok := s.draftOfPage(w, r, p, auth.ManageTargets)
	if !ok {
		return
	}
	f := r.PostForm
	v, _ := strconv.Atoi(f.Get("version"))
	var err error
	var out store.ReportDraft
	switch f.Get("action") {
	case "issue":
		n, nerr := strconv.Atoi(strings.TrimSpace(f.Get("number")))
		if nerr != nil {
			err = &fault.Error{Code: fault.InvalidValue, Field: "number", Text: p.T("documents.field.number") + ": " + strings.TrimSpace(f.Get("number"))}
			break
		}
		date := strings.TrimSpace(f.Get("date"))
		if date != "" {
			day, derr := parseDay(date)
			if derr != nil {
				err = badField("date", derr.Error())
				break
			}
			date = string(day)
		}
		out, err = s.issueDraft(r, p.User.user, d, v, n, date)
	default:
		paras := map[string]string{}
		for _, k := range report.OwnSlots() {
			paras[k] = f.Get("own_" + k)
		}
		out, err = s.setParagraphs(r, p.User.user, d, v, paras)
		if err != nil {
			// Keep what was typed on the page beside the error.
			raw, _ := json.Marshal(paras)
			d.Paragraphs = raw
		}
	}
	if err != nil {
		if fault.Is(err, fault.Conflict) {
			cur, _ := s.db.ReportDraftByID(r.Context(), d.ID)
			s.renderDraft(w, r, p, cur, "", p.T("documents.conflict", cur.Version), http.StatusConflict)
			return
		}
		s.renderDraft(w, r, p, d, "", pageError(err), http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/reports/%d?saved=1", out.ID), http.StatusSeeOther)
}
