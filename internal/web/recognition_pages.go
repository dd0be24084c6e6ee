package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/numfmt"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The recognition pages: the dossiers (with the overdue ones), a dossier where each role
// takes its step through plain forms, the registry (with revocation and import), and the
// revocation watch list. The forms post here; the handlers call the same operations as the
// API (recognition.go), so the rules are applied once, and come back to the page with what
// happened, or with the reason it did not.

func (s *Server) recognitionPageRoutes() {
	s.addNav("recognition", "/dossiers", "recognition.nav")
	s.mux.HandleFunc("GET /dossiers", s.dossiersPage)
	s.mux.HandleFunc("POST /dossiers", s.dossierCreateForm)
	s.mux.HandleFunc("GET /dossiers/{id}", s.dossierPage)
	s.mux.HandleFunc("POST /dossiers/{id}/{op}", s.dossierForm)
	s.mux.HandleFunc("POST /dossiers/{id}/documents/{doc}/delete", s.dossierDeleteForm)
	s.mux.HandleFunc("GET /recognitions", s.registryPage)
	s.mux.HandleFunc("POST /recognitions/import", s.registryImportForm)
	s.mux.HandleFunc("POST /recognitions/{id}/revoke", s.revokeForm)
	s.mux.HandleFunc("GET /recognitions/watch", s.watchPage)
}

// ---------------------------------------------------------------------------------------
// Texts the templates need

// RecTier names a tier.
func (p *page) RecTier(tier string) string { return p.T("recognition.tier." + tier) }

// RecStatus names a dossier's status.
func (p *page) RecStatus(st any) string { return p.T("recognition.status." + fmt.Sprint(st)) }

// RecRole names the role that takes a step.
func (p *page) RecRole(r any) string { return p.T("recognition.role." + fmt.Sprint(r)) }

// RecOutcome names an outcome.
func (p *page) RecOutcome(o any) string { return p.T("recognition.outcome." + fmt.Sprint(o)) }

// RecStep names a step in the page's language.
func (p *page) RecStep(s recognition.Step) string {
	if p.Lang == i18n.EN && s.NameEN != "" {
		return s.NameEN
	}
	return s.Name
}

// RecDoc names a checklist item in the page's language.
func (p *page) RecDoc(d recognition.Document) string {
	name, cond := d.Name, d.Condition
	if p.Lang == i18n.EN && d.NameEN != "" {
		name, cond = d.NameEN, d.ConditionEN
	}
	if cond == "" {
		return name
	}
	s := p.T("recognition.condition", cond, name)
	if !d.Verified {
		s += " (" + p.T("rules.unverified") + ")"
	}
	return s
}

// RecWorkflow is a workflow's title in the page's language.
func (p *page) RecWorkflow(w *recognition.Workflow) string {
	if p.Lang == i18n.EN && w.TitleEN != "" {
		return w.TitleEN
	}
	return w.Title
}

// RecSize writes a file size ("1,2 MB", "350 KB").
func (p *page) RecSize(n int64) string {
	if n >= 1<<20 {
		return numfmt.Decimal(float64(n)/(1<<20), 1, p.Lang) + " MB"
	}
	return numfmt.Int(int((n+1023)/1024), p.Lang) + " KB"
}

// RecPct writes a share of criteria ("52,6%").
func (p *page) RecPct(x float64) string { return numfmt.Percent(x, 1, p.Lang) }

// RecDay is a day as the date fields take it (dd/mm/yyyy in Vietnamese).
func (p *page) RecDay(d units.Date) string { return i18n.Date(string(d), p.Lang) }

// ---------------------------------------------------------------------------------------
// Shared page plumbing

// recPage starts a recognition page with the day from as_of.
func (s *Server) recPage(w http.ResponseWriter, r *http.Request, title string) (*page, bool) {
	return s.startDated(w, r, title, "recognition")
}

// formUser checks a form post (same origin, signed in) and returns its user; it answers and
// returns nil when not.
func (s *Server) formUser(w http.ResponseWriter, r *http.Request) *auth.User {
	if !sameOrigin(r) {
		s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return nil
	}
	u := s.user(r)
	if u == nil {
		http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
		return nil
	}
	return u
}

// recFailed shows a recognition page again with why its form failed: show gets a new page
// (title) with recMessage's status and words; an error without words is a 500.
func (s *Server) recFailed(w http.ResponseWriter, r *http.Request, title string, err error, show func(p *page, status int, msg string)) {
	status, msg := recMessage(pageLang(r), err)
	if msg == "" {
		s.internalError(w, r, err)
		return
	}
	p := s.newPage(r, title)
	p.Nav = "recognition"
	show(p, status, msg)
}

// recMessage is an error as a page shows it, in the page's language where the program has the
// words, else the message (Vietnamese, then English) the rules gave.
func recMessage(lang string, err error) (int, string) {
	f, _ := fault.As(err)
	probs, isImport := fault.ProblemsOf[[]recognition.RowProblem](err)
	step, isStep := recognition.Step{}, false
	if f != nil {
		step, isStep = f.Current.(recognition.Step)
	}
	switch {
	case isStep:
		name := step.Name
		if lang == i18n.EN && step.NameEN != "" {
			name = step.NameEN
		}
		return http.StatusForbidden, i18n.T(lang, "recognition.error.role", name, i18n.T(lang, "recognition.role."+string(step.Role)))
	case isForbidden(err):
		return http.StatusForbidden, i18n.T(lang, "recognition.error.forbidden")
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, i18n.T(lang, "recognition.error.not_found")
	case fault.Is(err, fault.Conflict):
		return http.StatusConflict, i18n.T(lang, "recognition.error.moved")
	case fault.Is(err, fault.Exists):
		id, _ := store.ExistingID(err)
		return http.StatusConflict, i18n.T(lang, "recognition.error.exists", id)
	case isInvalid(err):
		return http.StatusBadRequest, invalidMessage(err)
	case isImport:
		return http.StatusUnprocessableEntity, i18n.T(lang, "recognition.error.import", len(probs))
	}
	status, msg, _ := pageFault(lang, err)
	return status, msg
}

// ---------------------------------------------------------------------------------------
// The dossiers

type dossiersData struct {
	Unit      string // the unit asked for ("" every unit the user reads)
	Status    string
	Dossiers  []dossierRow
	Overdue   []app.OverdueDossier
	CanCreate bool   // the user opens dossiers of their own commune
	HomeUnit  string // prefilled in the form
	Error     string
	Tiers     []string
	Statuses  []recognition.Status
}

type dossierRow struct {
	store.Dossier
	StepName string
	Late     recognition.Lateness
}

// GET /dossiers?unit=&status=&as_of=
func (s *Server) dossiersPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.recPage(w, r, "recognition.dossiers.title")
	if !ok || s.archiveIfHomeGone(w, r, p) {
		return
	}
	s.renderDossiers(w, r, p, http.StatusOK, "")
}

func (s *Server) renderDossiers(w http.ResponseWriter, r *http.Request, p *page, status int, errMsg string) {
	u := p.User.user
	q := r.URL.Query()
	d := dossiersData{Unit: strings.TrimSpace(q.Get("unit")), Status: q.Get("status"), Error: errMsg, Tiers: recognition.Tiers, Statuses: recognition.Statuses}
	root, err := s.rootFor(r, u, d.Unit, p.AsOf)
	if err != nil {
		if isForbidden(err) {
			s.errorPage(w, r, http.StatusForbidden, "recognition.error.forbidden")
			return
		}
		s.internalError(w, r, err)
		return
	}
	f := store.DossierFilter{Within: root}
	if st := recognition.Status(d.Status); st.Valid() {
		f.Status = st
	}
	list, err := s.db.Dossiers(r.Context(), f)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	lib, err := workflows()
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	for _, x := range s.visibleDossiers(r, u, list) {
		row := dossierRow{Dossier: x}
		if wf, ok := lib.Workflow(x.WorkflowID); ok {
			step, _, _ := wf.Step(x.StepID)
			row.StepName = p.RecStep(step)
			row.Late = wf.Late(x.State(), p.AsOf)
		}
		d.Dossiers = append(d.Dossiers, row)
	}
	overdue, err := app.OverdueDossiers(r.Context(), s.db, lib, root, p.AsOf)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	for _, o := range overdue {
		if s.allow(r, u, auth.Read, o.UnitCode, o.Opened) == nil {
			d.Overdue = append(d.Overdue, o)
		}
	}
	d.CanCreate = u.Role == auth.RoleCommune || u.Role == auth.RoleAdmin
	d.HomeUnit = u.UnitCode
	p.Data = d
	s.render(w, r, status, "recognition_dossiers", p)
}

// POST /dossiers (form: unit, tier, opened)
func (s *Server) dossierCreateForm(w http.ResponseWriter, r *http.Request) {
	u := s.formUser(w, r)
	if u == nil || !s.readForm(w, r, 64<<10) {
		return
	}
	d, err := s.openDossier(r, u, dossierInput{Unit: r.PostForm.Get("unit"), Tier: r.PostForm.Get("tier"), Opened: r.PostForm.Get("opened")})
	if err != nil {
		s.recFailed(w, r, "recognition.dossiers.title", err, func(p *page, status int, msg string) {
			r.URL.RawQuery = ""
			s.renderDossiers(w, r, p, status, msg)
		})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/dossiers/%d?done=created", d.ID), http.StatusSeeOther)
}

// dossierPageData is the page of one dossier.
type dossierPageData struct {
	D          store.DossierView
	WF         *recognition.Workflow
	Step       recognition.Step
	Late       recognition.Lateness
	Steps      []stepRow
	History    []historyRow
	Checklist  []checklistItem
	Upload     []recognition.Document // the items the current step may upload
	CanAct     bool
	Why        string // why the user cannot act, in words
	Outcomes   []recognition.Outcome
	CanComment bool
	Notes      []store.DossierComment
	Public     []store.DossierComment
	SetTitle   string
	Returned   *historyRow // the return that sent the dossier back, while it is returned
	Flash      string
	Error      string
	Today      units.Date
	MaxMB      int
	Extensions string
}

// stepRow is a step of the workflow on the timeline.
type stepRow struct {
	recognition.Step
	Index int
	State string // done, current, todo
}

// historyRow is a passage through a step.
type historyRow struct {
	store.DossierStep
	Step recognition.Step
}

// GET /dossiers/{id}?done=
func (s *Server) dossierPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.recPage(w, r, "recognition.dossier.title")
	if !ok {
		return
	}
	s.renderDossier(w, r, p, r.PathValue("id"), http.StatusOK, p.doneFlash(r, "recognition.done."), "")
}

func (s *Server) renderDossier(w http.ResponseWriter, r *http.Request, p *page, id string, status int, flash, errMsg string) {
	u := p.User.user
	det, err := s.dossierDetail(r, u, id)
	if err != nil {
		code, msg := recMessage(p.Lang, err)
		if msg == "" {
			s.internalError(w, r, err)
			return
		}
		s.errorPage(w, r, code, "recognition.error.page", msg)
		return
	}
	d := dossierPageData{D: det.Dossier, WF: det.Workflow, Step: det.Step, Late: det.Lateness, Checklist: det.Checklist,
		CanAct: det.Can.Act, Outcomes: det.Can.Outcomes, CanComment: det.Can.Comment, Flash: flash, Error: errMsg,
		Today: units.Today(), MaxMB: recognition.MaxFileSize >> 20, Extensions: recognition.AllowedExtensions}
	if !det.Can.Act && !d.D.Status.Closed() {
		if role := d.Step.Role; u.Role != role && u.Role != auth.RoleAdmin {
			d.Why = p.T("recognition.dossier.why_role", p.RecRole(role))
		} else {
			d.Why = p.T("recognition.error.forbidden")
		}
	}
	_, cur, _ := det.Workflow.Step(d.D.StepID)
	for i, st := range det.Workflow.Steps {
		row := stepRow{Step: st, Index: i + 1, State: "todo"}
		switch {
		case d.D.Status == recognition.Recognized || i < cur:
			row.State = "done"
		case i == cur && !d.D.Status.Closed():
			row.State = "current"
		}
		d.Steps = append(d.Steps, row)
	}
	for _, h := range det.Dossier.History {
		st, _, _ := det.Workflow.Step(h.StepID)
		d.History = append(d.History, historyRow{DossierStep: h, Step: st})
		if h.Outcome == string(recognition.Return) && d.D.Status == recognition.Returned {
			d.Returned = &d.History[len(d.History)-1]
		}
	}
	for _, c := range det.Dossier.Comments {
		if c.Kind == store.CommentPublic {
			d.Public = append(d.Public, c)
		} else {
			d.Notes = append(d.Notes, c)
		}
	}
	if d.CanAct {
		d.Upload = d.Step.Documents
	}
	if d.D.SetID != "" {
		if cat, err := s.rules(r.Context()); err == nil {
			if set, err := cat.Get(r.Context(), d.D.SetID); err == nil {
				d.SetTitle = set.Title
			}
		}
	}
	p.Title = p.T("recognition.dossier.title_of", d.D.ID, d.D.UnitName)
	p.Data = d
	s.render(w, r, status, "recognition_dossier", p)
}

// POST /dossiers/{id}/{op} — op is documents (multipart), comments, public-comments,
// posting, vote or actions.
func (s *Server) dossierForm(w http.ResponseWriter, r *http.Request) {
	u := s.formUser(w, r)
	if u == nil {
		return
	}
	id, op := r.PathValue("id"), r.PathValue("op")
	var done string
	var err error
	if op == "documents" {
		var item, step, name string
		var data []byte
		item, step, name, data, err = readDocumentForm(w, r)
		if err == nil {
			_, err = s.uploadDocument(r, u, id, step, item, name, data)
		}
		done = "uploaded"
	} else {
		if !s.readForm(w, r, 64<<10) {
			return
		}
		f := r.PostForm
		step := f.Get("step")
		switch op {
		case "comments":
			_, err = s.addComment(r, u, id, step, f.Get("body"))
			done = "commented"
		case "public-comments":
			_, err = s.addPublicComment(r, u, id, publicInput{Step: step, Author: f.Get("author"), Body: f.Get("body"), Received: f.Get("received")})
			done = "public_comment"
		case "posting":
			_, err = s.recordPosting(r, u, id, postingInput{Step: step, From: f.Get("from"), To: f.Get("to"), Where: f.Get("where")})
			done = "posting"
		case "vote":
			v := voteInput{Step: step, On: f.Get("on"), Note: f.Get("note")}
			var bad string
			for _, x := range []struct {
				name string
				to   *int
			}{{"members", &v.Members}, {"yes", &v.Yes}, {"no", &v.No}, {"abstain", &v.Abstain}} {
				t := strings.TrimSpace(f.Get(x.name))
				if t == "" {
					continue
				}
				n, perr := strconv.Atoi(t)
				if perr != nil {
					bad = x.name
				}
				*x.to = n
			}
			if bad != "" {
				err = badField(bad, i18n.T(pageLang(r), "recognition.error.number"))
			} else {
				_, err = s.recordVote(r, u, id, v)
			}
			done = "vote"
		case "actions":
			in := actionInput{Step: step, Outcome: recognition.Outcome(f.Get("outcome")), On: f.Get("on"), Comment: f.Get("comment")}
			if in.Outcome == recognition.Pass && strings.TrimSpace(f.Get("decision_number")) != "" {
				date, derr := dayField("decision_date", f.Get("decision_date"), "")
				if derr != nil {
					err = derr
				}
				in.Decision = &recognition.Decision{Number: strings.TrimSpace(f.Get("decision_number")), Date: date, Signer: strings.TrimSpace(f.Get("decision_signer"))}
			}
			if err == nil {
				_, err = s.takeAction(r, u, id, in)
			}
			done = "action_" + string(in.Outcome)
		default:
			s.errorPage(w, r, http.StatusNotFound, "recognition.error.not_found")
			return
		}
	}
	s.afterForm(w, r, id, done, err)
}

// afterForm goes back to the dossier with what happened, or shows it again with why not.
func (s *Server) afterForm(w http.ResponseWriter, r *http.Request, id, done string, err error) {
	if err == nil {
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
		return
	}
	s.recFailed(w, r, "recognition.dossier.title", err, func(p *page, status int, msg string) {
		if status == http.StatusNotFound {
			s.errorPage(w, r, status, "recognition.error.page", msg)
			return
		}
		s.renderDossier(w, r, p, id, status, "", msg)
	})
}

// POST /dossiers/{id}/documents/{doc}/delete (form: step)
func (s *Server) dossierDeleteForm(w http.ResponseWriter, r *http.Request) {
	u := s.formUser(w, r)
	if u == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	r.ParseForm()
	id := r.PathValue("id")
	err := s.deleteDocument(r, u, id, r.PathValue("doc"), r.PostForm.Get("step"))
	s.afterForm(w, r, id, "deleted", err)
}

// ---------------------------------------------------------------------------------------
// The registry

type registryData struct {
	Unit         string
	InForce      bool
	Recognitions []store.Recognition
	Count        int
	Summary      *app.Recognitions
	CanImport    bool
	CanRevoke    map[int64]bool
	Flash, Error string
	Problems     []recognition.RowProblem
	Today        units.Date
}

// GET /recognitions?unit=&as_of=&in_force=1&done=
func (s *Server) registryPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.recPage(w, r, "recognition.registry.title")
	if !ok {
		return
	}
	s.renderRegistry(w, r, p, http.StatusOK, p.doneFlash(r, "recognition.done.", r.URL.Query().Get("n")), "", nil)
}

func (s *Server) renderRegistry(w http.ResponseWriter, r *http.Request, p *page, status int, flash, errMsg string, probs []recognition.RowProblem) {
	u := p.User.user
	q := r.URL.Query()
	d := registryData{Unit: strings.TrimSpace(q.Get("unit")), InForce: q.Get("in_force") == "1", Flash: flash, Error: errMsg, Problems: probs,
		CanRevoke: map[int64]bool{}, Today: units.Today()}
	root, err := s.rootFor(r, u, d.Unit, p.AsOf)
	if err != nil {
		if isForbidden(err) {
			s.errorPage(w, r, http.StatusForbidden, "recognition.error.forbidden")
			return
		}
		s.internalError(w, r, err)
		return
	}
	if d.Recognitions, err = s.db.Recognitions(r.Context(), store.RegistryFilter{Root: root, AsOf: p.AsOf, InForce: d.InForce}); err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Count = len(d.Recognitions)
	sum, err := app.CountRecognitions(r.Context(), s.db, root, "ntm", units.LevelCommune, units.Date(string(p.AsOf)[:4]+"-01-01"), p.AsOf)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d.Summary = &sum
	reach := u.Role.Reach(auth.ManageRecognition)
	d.CanImport = reach == auth.Everywhere || reach == auth.Subtree && u.UnitCode != ""
	for _, x := range d.Recognitions {
		if x.Revocation != nil {
			continue
		}
		if want := revoker(x.UnitLevel); (u.Role == auth.RoleAdmin || u.Role == want) && s.allow(r, u, auth.ManageRecognition, x.UnitCode, x.Decision.Date) == nil {
			d.CanRevoke[x.ID] = true
		}
	}
	p.Data = d
	s.render(w, r, status, "recognition_registry", p)
}

// POST /recognitions/import (multipart: file, dry_run)
func (s *Server) registryImportForm(w http.ResponseWriter, r *http.Request) {
	u := s.formUser(w, r)
	if u == nil {
		return
	}
	lang := pageLang(r)
	r.Body = http.MaxBytesReader(w, r.Body, 21<<20)
	var rows []recognition.RegistryRow
	var st store.RegistryStats
	err := r.ParseMultipartForm(21 << 20)
	dry := false
	if err == nil {
		defer r.MultipartForm.RemoveAll()
		dry = r.FormValue("dry_run") == "1"
		f, _, ferr := r.FormFile("file")
		if ferr != nil {
			err = badField("file", i18n.T(lang, "recognition.error.no_file"))
		} else {
			defer f.Close()
			rows, err = recognition.ReadRegistry(f)
		}
	} else {
		err = badField("file", i18n.T(lang, "recognition.error.no_file"))
	}
	if err == nil {
		st, err = s.importRegistry(r, u, rows, dry)
	}
	if err != nil {
		s.registryFailed(w, r, err)
		return
	}
	key := "imported"
	if dry {
		key = "import_checked"
	}
	http.Redirect(w, r, fmt.Sprintf("/recognitions?done=%s&n=%d", key, st.Inserted), http.StatusSeeOther)
}

// POST /recognitions/{id}/revoke (form: number, date, signer, reason)
func (s *Server) revokeForm(w http.ResponseWriter, r *http.Request) {
	u := s.formUser(w, r)
	if u == nil || !s.readForm(w, r, 64<<10) {
		return
	}
	f := r.PostForm
	_, err := s.revoke(r, u, r.PathValue("id"), revokeInput{Number: f.Get("number"), Date: f.Get("date"), Signer: f.Get("signer"), Reason: f.Get("reason")})
	if err != nil {
		s.registryFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/recognitions?done=revoked", http.StatusSeeOther)
}

// registryFailed shows the registry again with why a form failed (and an import's problems).
func (s *Server) registryFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.recFailed(w, r, "recognition.registry.title", err, func(p *page, status int, msg string) {
		probs, _ := fault.ProblemsOf[[]recognition.RowProblem](err)
		r.URL.RawQuery = ""
		s.renderRegistry(w, r, p, status, "", msg, probs)
	})
}

// ---------------------------------------------------------------------------------------
// The watch list

// GET /recognitions/watch?unit=&as_of=
func (s *Server) watchPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.recPage(w, r, "recognition.watch.title")
	if !ok {
		return
	}
	q := r.URL.Query()
	watch, err := s.watch(r, p.User.user, q.Get("unit"), q.Get("approved_only") == "1")
	if err != nil {
		switch {
		case isForbidden(err):
			s.errorPage(w, r, http.StatusForbidden, "recognition.error.forbidden")
		case isInvalid(err):
			s.errorPage(w, r, http.StatusBadRequest, "recognition.error.page", invalidMessage(err))
		default:
			s.internalError(w, r, err)
		}
		return
	}
	p.Data = struct {
		Unit  string
		Watch app.Watch
	}{strings.TrimSpace(q.Get("unit")), watch}
	s.render(w, r, http.StatusOK, "recognition_watch", p)
}
