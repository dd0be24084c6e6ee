package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/sheet"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The resources register's pages: funding, works and models (one section, three tabs) and
// the steering meetings and tasks. Server-rendered, no script; the forms post here and go
// through the same checks and store calls as the API (resources.go). Texts come from the
// catalogs resources.vi.json and resources.en.json.

func (s *Server) resourcePageRoutes() {
	s.addNav("resources", "/funding", "resources.nav")
	s.addNav("tasks", "/tasks", "resources.nav.tasks")
	s.mux.HandleFunc("GET /funding", s.fundingPage)
	s.mux.HandleFunc("POST /funding", s.fundingPost)
	s.mux.HandleFunc("POST /funding/import", s.resImportPost("funding"))
	s.mux.HandleFunc("GET /works", s.worksPage)
	s.mux.HandleFunc("POST /works", s.worksPost)
	s.mux.HandleFunc("POST /works/disbursements", s.disbursementPost)
	s.mux.HandleFunc("POST /works/import", s.resImportPost("works"))
	s.mux.HandleFunc("GET /models", s.modelsPage)
	s.mux.HandleFunc("POST /models", s.modelsPost)
	s.mux.HandleFunc("POST /models/import", s.resImportPost("models"))
	s.talliesPageRoutes()
	s.mux.HandleFunc("GET /tasks", s.tasksPage)
	s.mux.HandleFunc("POST /meetings", s.meetingPost)
	s.mux.HandleFunc("POST /tasks", s.taskPost)
	s.mux.HandleFunc("POST /tasks/notes", s.taskNotePost)
}

// ---------------------------------------------------------------------------------------
// What the templates call

// ResAmount writes an amount or a quantity the page's way ("370.600", "104,48").
func (p *page) ResAmount(x resources.Fixed) string { return x.Format(p.Lang) }

// ResRate writes a rate ("25,0%"), "—" without one.
func (p *page) ResRate(x *float64) string {
	if x == nil {
		return "—"
	}
	return p.Pct(*x, 1)
}

// ResSource names a funding source.
func (p *page) ResSource(code string) string { return resources.MustShipped().SourceName(code, p.Lang) }

// ResWorkKind names a kind of work.
func (p *page) ResWorkKind(code string) string {
	k, ok := resources.MustShipped().WorkKind(code)
	switch {
	case !ok:
		return code
	case p.Lang == i18n.EN:
		return k.NameEN
	}
	return k.Name
}

// ResModelKind names a kind of model.
func (p *page) ResModelKind(code string) string {
	k, ok := resources.MustShipped().ModelKind(code)
	switch {
	case !ok:
		return code
	case p.Lang == i18n.EN:
		return k.NameEN
	}
	return k.Name
}

// ResMeasure writes a measure in the page's language.
func (p *page) ResMeasure(m string) string {
	if p.Lang == i18n.EN {
		return resources.MeasureEN(m)
	}
	return m
}

// ResKindLine is a kind's figure as reports write it ("104,48 km đường liên xã").
func (p *page) ResKindLine(k resources.KindFigure) string { return k.Text(p.Lang) }

// ResModelLine is a model count as reports write it.
func (p *page) ResModelLine(c resources.ModelCount) string { return c.Text(p.Lang) }

// ResCheck says a sum check in words.
func (p *page) ResCheck(c resources.TotalCheck) string { return c.Text(p.Lang) }

// ResName picks the Vietnamese or English name.
func (p *page) ResName(vi, en string) string {
	if p.Lang == i18n.EN {
		return en
	}
	return vi
}

// ---------------------------------------------------------------------------------------
// Shared by the pages

// resPage is what every page of the register holds besides its own data.
type resPage struct {
	Tab       string      // funding | works | models | tasks
	Unit      *units.Unit // nil: the country
	UnitParam string      // the unit code asked for, or the user's home unit
	Year      int
	PrevYear  int
	CanEnter  bool // the user may enter rows (somewhere)
	CanManage bool // the user may manage steering meetings and tasks (somewhere)
	Flash     string
	Error     string
	Problems  []string
	Form      url.Values // the fields of a refused form, shown again
}

// resStart begins a page of the register: the signed-in user, the day, the unit (?unit=,
// default the user's home unit; the country for national roles) checked for reading, the
// year (?year=, default the day's year) and a flash message after a redirect.
func (s *Server) resStart(w http.ResponseWriter, r *http.Request, title, tab string) (*page, resPage, bool) {
	p, ok := s.startPage(w, r, title)
	if !ok {
		return nil, resPage{}, false
	}
	p.Nav = "resources"
	if tab == "tasks" {
		p.Nav = "tasks"
	}
	if !s.readAsOf(w, r, p) {
		return nil, resPage{}, false
	}
	u := p.User.user
	q := r.URL.Query()
	rp := resPage{Tab: tab, Year: resYear(p.AsOf), CanEnter: u.Role.Reach(auth.Enter) != auth.Nowhere,
		CanManage: u.Role.Reach(auth.ManageTargets) != auth.Nowhere}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			s.errorPage(w, r, http.StatusBadRequest, "resources.error.year", v)
			return nil, resPage{}, false
		}
		rp.Year = y
	}
	rp.PrevYear = rp.Year - 1
	code := strings.TrimSpace(q.Get("unit"))
	if code == "" && u.Role.Reach(auth.Read) != auth.Everywhere {
		code = u.UnitCode
	}
	rp.UnitParam = code
	if code != "" {
		un, err := s.db.Unit(r.Context(), code, p.AsOf)
		if errors.Is(err, store.ErrNotFound) {
			// A unit that ended (a former district): its archive, which leads to the units that
			// took over its communes; else 404.
			s.goneUnit(w, r, p, code)
			return nil, resPage{}, false
		}
		if err != nil {
			s.internalError(w, r, err)
			return nil, resPage{}, false
		}
		rp.Unit = &un
	}
	if err := s.allow(r, u, auth.Read, code, p.AsOf); err != nil {
		s.errorPage(w, r, http.StatusForbidden, "resources.error.forbidden")
		return nil, resPage{}, false
	}
	switch q.Get("done") {
	case "saved":
		rp.Flash = p.T("resources.flash.saved")
	case "imported":
		n, _ := strconv.Atoi(q.Get("n"))
		rp.Flash = p.T("resources.flash.imported", n)
	}
	return p, rp, true
}

// resRoot is the code the page's roll-up is below ("" the country).
func (rp resPage) root() string {
	if rp.Unit == nil {
		return ""
	}
	return rp.Unit.Code
}

// resPost begins a form post: same origin, a signed-in user, a parsed form.
func (s *Server) resPost(w http.ResponseWriter, r *http.Request) (*page, bool) {
	if !sameOrigin(r) {
		s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return nil, false
	}
	p, ok := s.startPage(w, r, "resources.title")
	if !ok {
		return nil, false
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, maxResourceImport+(1<<20))
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
			return nil, false
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
		if err := r.ParseForm(); err != nil {
			s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
			return nil, false
		}
	}
	return p, true
}

// resBack is where a successful post goes: the page it came from, with a flash.
func resBack(path string, r *http.Request, done string, n int) string {
	q := url.Values{}
	for _, k := range []string{"unit", "year", "as_of"} {
		if v := strings.TrimSpace(r.PostForm.Get("back_" + k)); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("done", done)
	if n > 0 {
		q.Set("n", strconv.Itoa(n))
	}
	return path + "?" + q.Encode()
}

// resFormError is a value of a form that cannot be read.
type resFormError struct{ msg string }

func (e *resFormError) Error() string { return e.msg }

// resFixed reads an amount or quantity field the page's way; empty is nil.
func (p *page) resFixed(form url.Values, field, label string) (*resources.Fixed, error) {
	v := strings.TrimSpace(form.Get(field))
	if v == "" {
		return nil, nil
	}
	x, err := resources.ParseLocal(v, p.Lang)
	if err != nil {
		return nil, &resFormError{p.T("resources.error.number", label, v)}
	}
	return &x, nil
}

func (p *page) resInt(form url.Values, field, label string) (int, error) {
	v := strings.TrimSpace(form.Get(field))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &resFormError{p.T("resources.error.whole", label, v)}
	}
	return n, nil
}

func (p *page) resDay(form url.Values, field, label string) (units.Date, error) {
	v := strings.TrimSpace(form.Get(field))
	if v == "" {
		return "", nil
	}
	d, err := parseDay(v)
	if err != nil {
		return "", &resFormError{p.T("resources.error.date", label, v)}
	}
	return d, nil
}

// resMessage turns the error of a post into what the page says, with the status to answer;
// ok is false for an error the user cannot act on (a 500).
func (p *page) resMessage(err error) (msg string, problems []string, status int, ok bool) {
	var fe *resources.FieldError
	var ie *resources.ImportError
	var rf *resFormError
	var le *sheet.LimitError
	switch {
	case errors.As(err, &rf):
		return rf.msg, nil, http.StatusUnprocessableEntity, true
	case errors.As(err, &le):
		return p.ResName(le.VI(), le.EN()), nil, http.StatusRequestEntityTooLarge, true
	case errors.As(err, &fe):
		return fe.Message(p.Lang), nil, http.StatusUnprocessableEntity, true
	case isInvalid(err):
		return invalidMessage(err), nil, http.StatusUnprocessableEntity, true
	case errors.As(err, &ie):
		for _, pr := range ie.Problems {
			problems = append(problems, pr.Text(p.Lang))
		}
		return p.T("resources.error.file", ie.File, len(ie.Problems)), problems, http.StatusUnprocessableEntity, true
	case errors.Is(err, store.ErrNoUnit):
		f, _ := fault.As(err)
		return p.T("resources.error.unit", f.Args...), nil, http.StatusUnprocessableEntity, true
	case fault.Is(err, fault.Exists):
		id, _ := store.ExistingID(err)
		return p.T("resources.error.exists", strconv.FormatInt(id, 10)), nil, http.StatusConflict, true
	case fault.Is(err, fault.InvalidValue):
		return p.faultMessage(err), nil, http.StatusUnprocessableEntity, true
	case isForbidden(err):
		return p.T("resources.error.forbidden_unit"), nil, http.StatusForbidden, true
	case errors.Is(err, store.ErrNotFound):
		return p.T("resources.error.not_found"), nil, http.StatusNotFound, true
	}
	return "", nil, 0, false
}

// resRefuse shows the page again with the error and the fields as entered.
func (s *Server) resRefuse(w http.ResponseWriter, r *http.Request, p *page, err error, show func(rp resPage, status int)) {
	msg, probs, status, ok := p.resMessage(err)
	if !ok {
		s.internalError(w, r, err)
		return
	}
	rp := resPage{Error: msg, Problems: probs, Form: r.PostForm}
	show(rp, status)
}

// resRedisplay re-runs a page's GET handler on the post's back_* fields, with the error.
func (s *Server) resRedisplay(w http.ResponseWriter, r *http.Request, path string, render func(w http.ResponseWriter, r *http.Request, extra *resPage, status int)) func(rp resPage, status int) {
	return func(rp resPage, status int) {
		q := url.Values{}
		for _, k := range []string{"unit", "year", "as_of"} {
			if v := strings.TrimSpace(r.PostForm.Get("back_" + k)); v != "" {
				q.Set(k, v)
			}
		}
		g := r.Clone(r.Context())
		g.Method = http.MethodGet
		g.URL = &url.URL{Path: path, RawQuery: q.Encode()}
		render(w, g, &rp, status)
	}
}

func mergeRes(rp *resPage, extra *resPage) {
	if extra == nil {
		return
	}
	rp.Error, rp.Problems, rp.Form = extra.Error, extra.Problems, extra.Form
}

// ---------------------------------------------------------------------------------------
// Funding

type resSourceField struct {
	Code, Name string
	Kind       bool // a kind of a source (cộng đồng dân cư: tiền, ngày công, hiến đất)
}

type resFundingData struct {
	resPage
	Report  app.FundingReport
	Entries []resources.FundingEntry
	Sources []resSourceField
}

func (p *page) resSourceFields(withKinds bool) []resSourceField {
	cat := resources.MustShipped()
	var out []resSourceField
	for _, s := range cat.Sources {
		out = append(out, resSourceField{Code: s.Code, Name: p.ResName(s.Name, s.NameEN)})
		if withKinds {
			for _, k := range s.Kinds {
				out = append(out, resSourceField{Code: k.Code, Name: p.ResName(k.Name, k.NameEN), Kind: true})
			}
		}
	}
	return out
}

// GET /funding?unit=&year=&as_of=
func (s *Server) fundingPage(w http.ResponseWriter, r *http.Request) {
	s.renderFunding(w, r, nil, http.StatusOK)
}

func (s *Server) renderFunding(w http.ResponseWriter, r *http.Request, extra *resPage, status int) {
	p, rp, ok := s.resStart(w, r, "resources.funding.title", "funding")
	if !ok {
		return
	}
	mergeRes(&rp, extra)
	d := resFundingData{resPage: rp, Sources: p.resSourceFields(true)}
	var err error
	if d.Report, err = app.FundingSummary(r.Context(), s.db, rp.root(), rp.Year, p.AsOf); err == nil {
		d.Entries, err = s.db.ListFunding(r.Context(), store.FundingFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, Years: []int{rp.Year}})
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if rp.Unit != nil {
		p.Title = p.T("resources.funding.title_of", p.UnitName(*rp.Unit))
	}
	p.Data = d
	s.render(w, r, status, "resources_funding", p)
}

// POST /funding (form: unit, year, part.<source>…, reported_total, note)
func (s *Server) fundingPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	refuse := s.resRedisplay(w, r, "/funding", s.renderFunding)
	f, err := p.fundingForm(r.PostForm)
	if err == nil {
		_, err = s.saveFunding(r, p.User.user, 0, f)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, refuse)
		return
	}
	http.Redirect(w, r, resBack("/funding", r, "saved", 0), http.StatusSeeOther)
}

func (p *page) fundingForm(form url.Values) (resources.Funding, error) {
	f := resources.Funding{UnitCode: strings.TrimSpace(form.Get("unit")), Note: strings.TrimSpace(form.Get("note")), Parts: map[string]resources.Fixed{}}
	var err error
	if f.Year, err = p.resInt(form, "year", p.T("resources.field.year")); err != nil {
		return f, err
	}
	for _, sf := range p.resSourceFields(true) {
		v, err := p.resFixed(form, "part."+sf.Code, sf.Name)
		if err != nil {
			return f, err
		}
		if v != nil {
			f.Parts[sf.Code] = *v
		}
	}
	f.ReportedTotal, err = p.resFixed(form, "reported_total", p.T("resources.field.reported_total"))
	return f, err
}

// ---------------------------------------------------------------------------------------
// Works

type resWorksData struct {
	resPage
	Report   app.WorksReport
	Works    []resources.WorkEntry
	Kinds    []resources.WorkKind
	Measures []string
	Statuses []string
	Sources  []resSourceField
}

// GET /works?unit=&year=&as_of=
func (s *Server) worksPage(w http.ResponseWriter, r *http.Request) {
	s.renderWorks(w, r, nil, http.StatusOK)
}

func (s *Server) renderWorks(w http.ResponseWriter, r *http.Request, extra *resPage, status int) {
	p, rp, ok := s.resStart(w, r, "resources.works.title", "works")
	if !ok {
		return
	}
	mergeRes(&rp, extra)
	cat := resources.MustShipped()
	d := resWorksData{resPage: rp, Kinds: cat.WorkKinds, Measures: cat.Measures, Statuses: resources.WorkStatuses, Sources: p.resSourceFields(false)}
	var err error
	if d.Report, err = app.WorksSummary(r.Context(), s.db, rp.root(), rp.Year, p.AsOf); err == nil {
		d.Works, err = s.db.ListWorks(r.Context(), store.WorkFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, Year: rp.Year})
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if rp.Unit != nil {
		p.Title = p.T("resources.works.title_of", p.UnitName(*rp.Unit))
	}
	p.Data = d
	s.render(w, r, status, "resources_works", p)
}

// POST /works (form: unit, year, kind, name, quantity, measure, status, done_on,
// criterion_set, criterion, budget.<source>…, note)
func (s *Server) worksPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	refuse := s.resRedisplay(w, r, "/works", s.renderWorks)
	form := r.PostForm
	wk := resources.Work{UnitCode: strings.TrimSpace(form.Get("unit")), Kind: form.Get("kind"), Name: strings.TrimSpace(form.Get("name")),
		Measure: form.Get("measure"), Status: form.Get("status"), CriterionSet: strings.TrimSpace(form.Get("criterion_set")),
		Note: strings.TrimSpace(form.Get("note")), Budget: map[string]resources.Fixed{}}
	var err error
	wk.Year, err = p.resInt(form, "year", p.T("resources.field.year"))
	if err == nil {
		wk.Criterion, err = p.resInt(form, "criterion", p.T("resources.field.criterion"))
	}
	if err == nil {
		wk.DoneOn, err = p.resDay(form, "done_on", p.T("resources.field.done_on"))
	}
	var q *resources.Fixed
	if err == nil {
		q, err = p.resFixed(form, "quantity", p.T("resources.field.quantity"))
		if q != nil {
			wk.Quantity = *q
		}
	}
	for _, sf := range p.resSourceFields(false) {
		if err != nil {
			break
		}
		var v *resources.Fixed
		if v, err = p.resFixed(form, "budget."+sf.Code, sf.Name); v != nil {
			wk.Budget[sf.Code] = *v
		}
	}
	if err == nil {
		_, err = s.saveWork(r, p.User.user, 0, wk)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, refuse)
		return
	}
	http.Redirect(w, r, resBack("/works", r, "saved", 0), http.StatusSeeOther)
}

// POST /works/disbursements (form: work, day, amount, source, note)
func (s *Server) disbursementPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	refuse := s.resRedisplay(w, r, "/works", s.renderWorks)
	form := r.PostForm
	var wk resources.WorkEntry
	id, err := strconv.ParseInt(form.Get("work"), 10, 64)
	if err != nil {
		err = &resFormError{p.T("resources.error.pick_work")}
	} else if wk, err = s.db.Work(r.Context(), id); err == nil {
		err = s.allow(r, p.User.user, auth.Enter, wk.UnitCode, store.YearDay(wk.Year, wk.UnitFrom))
	}
	d := resources.Disbursement{Source: form.Get("source"), Note: strings.TrimSpace(form.Get("note"))}
	if err == nil {
		d.Day, err = p.resDay(form, "day", p.T("resources.field.day"))
	}
	if err == nil {
		var a *resources.Fixed
		if a, err = p.resFixed(form, "amount", p.T("resources.field.amount")); a != nil {
			d.Amount = *a
		}
	}
	if err == nil {
		_, err = s.addDisbursement(r, p.User.user, wk, d)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, refuse)
		return
	}
	http.Redirect(w, r, resBack("/works", r, "saved", 0), http.StatusSeeOther)
}

// ---------------------------------------------------------------------------------------
// Models

type resModelsData struct {
	resPage
	From, To int
	Report   app.ModelsReport
	Models   []resources.ModelEntry
	Tallies  []resources.ModelTallyEntry // models entered as counts
	Kinds    []resources.ModelKind
}

// GET /models?unit=&from=&to=&as_of=
func (s *Server) modelsPage(w http.ResponseWriter, r *http.Request) {
	s.renderModels(w, r, nil, http.StatusOK)
}

func (s *Server) renderModels(w http.ResponseWriter, r *http.Request, extra *resPage, status int) {
	p, rp, ok := s.resStart(w, r, "resources.models.title", "models")
	if !ok {
		return
	}
	mergeRes(&rp, extra)
	d := resModelsData{resPage: rp, To: rp.Year, Kinds: resources.MustShipped().ModelKinds}
	d.From = d.To
	if v, err := strconv.Atoi(r.URL.Query().Get("from")); err == nil && v <= d.To && v >= 2000 {
		d.From = v
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("to")); err == nil && v >= d.From && v <= 2100 {
		d.To = v
	}
	var err error
	if d.Report, err = app.ModelsSummary(r.Context(), s.db, rp.root(), d.From, d.To, p.AsOf); err == nil {
		d.Models, err = s.db.ListModels(r.Context(), store.ModelFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, ToYear: d.To})
	}
	if err == nil {
		d.Tallies, err = s.db.ListModelTallies(r.Context(), store.TallyFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, ToYear: d.To})
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if rp.Unit != nil {
		p.Title = p.T("resources.models.title_of", p.UnitName(*rp.Unit))
	}
	p.Data = d
	s.render(w, r, status, "resources_models", p)
}

// POST /models (form: kind, unit, village, name, year, decision, decision_date, revoked_year, note)
func (s *Server) modelsPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	refuse := s.resRedisplay(w, r, "/models", s.renderModels)
	form := r.PostForm
	m := resources.Model{Kind: form.Get("kind"), UnitCode: strings.TrimSpace(form.Get("unit")), Village: strings.TrimSpace(form.Get("village")),
		Name: strings.TrimSpace(form.Get("name")), Decision: strings.TrimSpace(form.Get("decision")), Note: strings.TrimSpace(form.Get("note"))}
	var err error
	m.Year, err = p.resInt(form, "year", p.T("resources.field.recognized"))
	if err == nil {
		m.RevokedYear, err = p.resInt(form, "revoked_year", p.T("resources.field.revoked"))
	}
	if err == nil {
		m.DecisionDate, err = p.resDay(form, "decision_date", p.T("resources.field.decision_date"))
	}
	if err == nil {
		_, err = s.saveModel(r, p.User.user, 0, m)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, refuse)
		return
	}
	http.Redirect(w, r, resBack("/models", r, "saved", 0), http.StatusSeeOther)
}

// ---------------------------------------------------------------------------------------
// Import of lists

// POST /{funding,works,models}/import (multipart form: file)
func (s *Server) resImportPost(kind string) http.HandlerFunc {
	path := "/" + kind
	render := map[string]func(http.ResponseWriter, *http.Request, *resPage, int){"funding": s.renderFunding, "works": s.renderWorks, "models": s.renderModels}[kind]
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.resPost(w, r)
		if !ok {
			return
		}
		refuse := s.resRedisplay(w, r, path, render)
		file, hdr, err := r.FormFile("file")
		if err != nil {
			s.resRefuse(w, r, p, &resFormError{p.T("resources.error.no_file")}, refuse)
			return
		}
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, maxResourceImport+1))
		if err != nil || len(data) > maxResourceImport {
			s.resRefuse(w, r, p, &resFormError{p.T("resources.error.no_file")}, refuse)
			return
		}
		n, err := s.importList(r, p.User.user, kind, hdr.Filename, data)
		if err != nil {
			s.resRefuse(w, r, p, err, refuse)
			return
		}
		http.Redirect(w, r, resBack(path, r, "imported", n.Rows), http.StatusSeeOther)
	}
}

// ---------------------------------------------------------------------------------------
// Steering meetings and tasks

type resTasksData struct {
	resPage
	Status   string
	Overdue  app.OverdueReport
	Mine     []resources.TaskEntry // the user's reminders: overdue tasks they answer for
	Tasks    []resources.TaskEntry
	Meetings []resources.MeetingEntry
	Statuses []string
}

// GET /tasks?unit=&status=&as_of=
func (s *Server) tasksPage(w http.ResponseWriter, r *http.Request) {
	s.renderTasks(w, r, nil, http.StatusOK)
}

func (s *Server) renderTasks(w http.ResponseWriter, r *http.Request, extra *resPage, status int) {
	p, rp, ok := s.resStart(w, r, "resources.tasks.title", "tasks")
	if !ok {
		return
	}
	mergeRes(&rp, extra)
	d := resTasksData{resPage: rp, Status: r.URL.Query().Get("status"), Statuses: resources.TaskStatuses}
	ctx := r.Context()
	sc := store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}
	var err error
	if d.Overdue, err = app.OverdueTasks(ctx, s.db, rp.root(), p.AsOf); err == nil {
		d.Mine, err = app.OverdueTasksFor(ctx, s.db, p.User.user, p.AsOf)
	}
	if err == nil {
		d.Tasks, err = s.db.ListTasks(ctx, store.TaskFilter{AsOfScope: sc, Status: d.Status})
	}
	if err == nil {
		d.Meetings, err = s.db.ListMeetings(ctx, store.MeetingFilter{AsOfScope: sc})
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if rp.Unit != nil {
		p.Title = p.T("resources.tasks.title_of", p.UnitName(*rp.Unit))
	}
	p.Data = d
	s.render(w, r, status, "resources_tasks", p)
}

// POST /meetings (form: unit, day, chair, conclusions)
func (s *Server) meetingPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	refuse := s.resRedisplay(w, r, "/tasks", s.renderTasks)
	form := r.PostForm
	m := resources.Meeting{UnitCode: strings.TrimSpace(form.Get("unit")), Chair: strings.TrimSpace(form.Get("chair")), Conclusions: strings.TrimSpace(form.Get("conclusions"))}
	var err error
	if m.Day, err = p.resDay(form, "day", p.T("resources.field.meeting_day")); err == nil {
		_, err = s.saveMeeting(r, p.User.user, 0, m)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, refuse)
		return
	}
	http.Redirect(w, r, resBack("/tasks", r, "saved", 0), http.StatusSeeOther)
}

// POST /tasks (form: meeting, unit, title, owner_kind, owner, criterion_set, criterion,
// linked_unit, assigned, due)
func (s *Server) taskPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	refuse := s.resRedisplay(w, r, "/tasks", s.renderTasks)
	form := r.PostForm
	t := resources.Task{UnitCode: strings.TrimSpace(form.Get("unit")), Title: strings.TrimSpace(form.Get("title")), OwnerKind: form.Get("owner_kind"),
		Owner: strings.TrimSpace(form.Get("owner")), CriterionSet: strings.TrimSpace(form.Get("criterion_set")), LinkedUnit: strings.TrimSpace(form.Get("linked_unit"))}
	var err error
	if v := form.Get("meeting"); v != "" {
		if t.MeetingID, err = strconv.ParseInt(v, 10, 64); err != nil {
			err = &resFormError{p.T("resources.error.not_found")}
		}
	}
	if err == nil {
		t.Criterion, err = p.resInt(form, "criterion", p.T("resources.field.criterion"))
	}
	if err == nil {
		t.Assigned, err = p.resDay(form, "assigned", p.T("resources.field.assigned"))
	}
	if err == nil {
		t.Due, err = p.resDay(form, "due", p.T("resources.field.due"))
	}
	if err == nil && t.Due == "" {
		err = &resFormError{p.T("resources.error.due")}
	}
	if err == nil {
		_, err = s.saveTask(r, p.User.user, 0, t)
	}
	if err != nil {
		s.resRefuse(w, r, p, err, refuse)
		return
	}
	http.Redirect(w, r, resBack("/tasks", r, "saved", 0), http.StatusSeeOther)
}

// POST /tasks/notes (form: task, day, note, status) — by the committee or the owner unit.
func (s *Server) taskNotePost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.resPost(w, r)
	if !ok {
		return
	}
	refuse := s.resRedisplay(w, r, "/tasks", s.renderTasks)
	form := r.PostForm
	var t resources.TaskEntry
	id, err := strconv.ParseInt(form.Get("task"), 10, 64)
	if err != nil {
		err = &resFormError{p.T("resources.error.pick_task")}
	} else if t, err = s.db.Task(r.Context(), id); err == nil {
		err = s.allowTask(r, p.User.user, t, auth.ManageTargets, auth.Enter)
	}
	var day units.Date
	if err == nil {
		day, err = p.resDay(form, "day", p.T("resources.field.day"))
	}
	if err == nil {
		_, err = s.addTaskNote(r, p.User.user, t, day, form.Get("note"), form.Get("status"))
	}
	if err != nil {
		s.resRefuse(w, r, p, err, refuse)
		return
	}
	http.Redirect(w, r, resBack("/tasks", r, "saved", 0), http.StatusSeeOther)
}

// ResTaskStatus names a task status.
func (p *page) ResTaskStatus(st string) string { return p.T("resources.task_status." + st) }

// ResWorkStatus names a work status.
func (p *page) ResWorkStatus(st string) string { return p.T("resources.work_status." + st) }

// ResOwner names a task's owner: the department, or the unit's name.
func (p *page) ResOwner(t resources.TaskEntry) string {
	if t.OwnerKind == resources.OwnerUnit && t.OwnerName != "" {
		return t.OwnerName
	}
	return t.Owner
}

// ResDue says a task's due day and, when overdue, by how much.
func (p *page) ResDue(t resources.TaskEntry) string {
	if t.Overdue {
		return p.T("resources.task.overdue_by", p.Date(t.Due), t.DaysOverdue)
	}
	return p.Date(t.Due)
}
