package web

import (
	"context"
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
	s.mux.HandleFunc("GET /funding", s.resGet(fundingView))
	s.mux.HandleFunc("POST /funding", s.resPostTo(fundingView, "saved", s.fundingSave))
	s.mux.HandleFunc("POST /funding/import", s.resPostTo(fundingView, "imported", s.resImport("funding")))
	s.mux.HandleFunc("GET /works", s.resGet(worksView))
	s.mux.HandleFunc("POST /works", s.resPostTo(worksView, "saved", s.workSave))
	s.mux.HandleFunc("POST /works/disbursements", s.resPostTo(worksView, "saved", s.disbursementSave))
	s.mux.HandleFunc("POST /works/import", s.resPostTo(worksView, "imported", s.resImport("works")))
	s.mux.HandleFunc("GET /models", s.resGet(modelsView))
	s.mux.HandleFunc("POST /models", s.resPostTo(modelsView, "saved", s.modelSave))
	s.mux.HandleFunc("POST /models/import", s.resPostTo(modelsView, "imported", s.resImport("models")))
	s.talliesPageRoutes()
	s.mux.HandleFunc("GET /tasks", s.resGet(tasksView))
	s.mux.HandleFunc("POST /meetings", s.resPostTo(tasksView, "saved", s.meetingSave))
	s.mux.HandleFunc("POST /tasks", s.resPostTo(tasksView, "saved", s.taskSave))
	s.mux.HandleFunc("POST /tasks/notes", s.resPostTo(tasksView, "saved", s.taskNoteSave))
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
	return p.resKindName(code, k.Name, k.NameEN, ok)
}

// ResModelKind names a kind of model.
func (p *page) ResModelKind(code string) string {
	k, ok := resources.MustShipped().ModelKind(code)
	return p.resKindName(code, k.Name, k.NameEN, ok)
}

// resKindName is a kind's name in the page's language, its code when the catalog lacks it.
func (p *page) resKindName(code, name, nameEN string, ok bool) string {
	if !ok {
		return code
	}
	return p.ResName(name, nameEN)
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
	nav := "resources"
	if tab == "tasks" {
		nav = "tasks"
	}
	p, ok := s.startDated(w, r, title, nav)
	if !ok {
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
	p, ok := s.startPost(w, r, "resources.title")
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

// resView is a tab of the register: its path, the catalog keys of its title
// (resources.<key>.title, and .title_of below a unit), its template and how its data is read.
type resView struct {
	path, key, tab, template string
	load                     func(s *Server, r *http.Request, p *page, rp resPage) (any, error)
}

// resShow renders v: the page begun (resStart), the refused post's error and fields if any
// (extra), v's data, the title naming the unit, the template with status.
func (s *Server) resShow(w http.ResponseWriter, r *http.Request, v resView, extra *resPage, status int) {
	p, rp, ok := s.resStart(w, r, "resources."+v.key+".title", v.tab)
	if !ok {
		return
	}
	if extra != nil {
		rp.Error, rp.Problems, rp.Form = extra.Error, extra.Problems, extra.Form
	}
	d, err := v.load(s, r, p, rp)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if rp.Unit != nil {
		p.Title = p.T("resources."+v.key+".title_of", p.UnitName(*rp.Unit))
	}
	p.Data = d
	s.render(w, r, status, v.template, p)
}

// resGet is v's GET handler (?unit=&year=&as_of= and the tab's own filters).
func (s *Server) resGet(v resView) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.resShow(w, r, v, nil, http.StatusOK) }
}

// resPostTo is the handler of a form posted from v's page: save reads the form and saves it,
// returning how many rows it saved when that is worth saying; then back to v's page with the
// flash done, or v's page again with the error and the fields as entered.
func (s *Server) resPostTo(v resView, done string, save func(r *http.Request, p *page) (int, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.resPost(w, r)
		if !ok {
			return
		}
		n, err := save(r, p)
		if err != nil {
			s.resRefuse(w, r, p, v, err)
			return
		}
		q := resBackQuery(r)
		q.Set("done", done)
		if n > 0 {
			q.Set("n", strconv.Itoa(n))
		}
		http.Redirect(w, r, v.path+"?"+q.Encode(), http.StatusSeeOther)
	}
}

// resBackQuery is the query of the page a post came from (its back_* fields).
func resBackQuery(r *http.Request) url.Values {
	q := url.Values{}
	for _, k := range []string{"unit", "year", "as_of"} {
		if v := strings.TrimSpace(r.PostForm.Get("back_" + k)); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// resSave saves v with save (a new row) when every field of its form fm was read; a page
// wants only the error.
func resSave[T, E any](r *http.Request, p *page, fm *resForm, save func(*http.Request, *auth.User, int64, T) (E, error), v T) (int, error) {
	if fm.err != nil {
		return 0, fm.err
	}
	_, err := save(r, p.User.user, 0, v)
	return 0, err
}

// resRow is the row a form acts on: its id (field; msgKey when it is not one), the row
// loaded, and allow's answer on whether the user may act on it.
func resRow[E any](r *http.Request, fm *resForm, field, msgKey string, load func(context.Context, int64) (E, error), allow func(E) error) (E, error) {
	var row E
	id := fm.id(field, msgKey)
	if fm.err != nil {
		return row, fm.err
	}
	row, err := load(r.Context(), id)
	if err == nil {
		err = allow(row)
	}
	return row, err
}

// resFormError is a value of a form that cannot be read.
type resFormError struct{ msg string }

func (e *resFormError) Error() string { return e.msg }

// resForm reads a register form the page's way. The first field that cannot be read is its
// err; the fields read after it are zero.
type resForm struct {
	p    *page
	form url.Values
	err  error
}

func (p *page) resForm(r *http.Request) *resForm { return &resForm{p: p, form: r.PostForm} }

// text is a field without its surrounding spaces.
func (f *resForm) text(field string) string { return strings.TrimSpace(f.form.Get(field)) }

// fail records err unless an earlier field failed.
func (f *resForm) fail(err error) {
	if f.err == nil {
		f.err = err
	}
}

// read runs parse on a field that is not empty; label names the field in the message
// (msgKey) of a value parse refuses.
func (f *resForm) read(field, label, msgKey string, parse func(string) error) {
	v := f.text(field)
	if f.err != nil || v == "" {
		return
	}
	if parse(v) != nil {
		f.fail(&resFormError{f.p.T(msgKey, label, v)})
	}
}

// fixed reads an amount or a quantity; empty is nil.
func (f *resForm) fixed(field, label string) *resources.Fixed {
	var out *resources.Fixed
	f.read(field, label, "resources.error.number", func(v string) error {
		x, err := resources.ParseLocal(v, f.p.Lang)
		out = &x
		return err
	})
	if f.err != nil {
		return nil
	}
	return out
}

// int reads a whole number; empty is 0.
func (f *resForm) int(field, label string) (n int) {
	f.read(field, label, "resources.error.whole", func(v string) (err error) {
		n, err = strconv.Atoi(v)
		return err
	})
	if f.err != nil {
		return 0
	}
	return n
}

// day reads a day; empty is "".
func (f *resForm) day(field, label string) (d units.Date) {
	f.read(field, label, "resources.error.date", func(v string) (err error) {
		d, err = parseDay(v)
		return err
	})
	if f.err != nil {
		return ""
	}
	return d
}

// id reads the id of the row a form acts on; msgKey says it is missing.
func (f *resForm) id(field, msgKey string) int64 {
	id, err := strconv.ParseInt(f.form.Get(field), 10, 64)
	if err != nil {
		f.fail(&resFormError{f.p.T(msgKey)})
	}
	return id
}

// resMessage turns the error of a post into what the page says, with the status to answer;
// ok is false for an error the user cannot act on (a 500).
func (p *page) resMessage(err error) (msg string, problems []string, status int, ok bool) {
	file, fileProblems, isFile := resources.ImportFile(err)
	fe, isFieldFault := resources.FieldOf(err)
	var rf *resFormError
	var le *sheet.LimitError
	switch {
	case errors.As(err, &rf):
		return rf.msg, nil, http.StatusUnprocessableEntity, true
	case errors.As(err, &le):
		return p.ResName(le.VI(), le.EN()), nil, http.StatusRequestEntityTooLarge, true
	case isFieldFault:
		return fe.In(p.Lang), nil, http.StatusUnprocessableEntity, true
	case isInvalid(err):
		return invalidMessage(err), nil, http.StatusUnprocessableEntity, true
	case isFile:
		for _, pr := range fileProblems {
			problems = append(problems, pr.Text(p.Lang))
		}
		return p.T("resources.error.file", file, len(fileProblems)), problems, http.StatusUnprocessableEntity, true
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

// resRefuse shows v's page again, as the post's back_* fields ask, with the error and the
// fields as entered; an error the user cannot act on is a 500.
func (s *Server) resRefuse(w http.ResponseWriter, r *http.Request, p *page, v resView, err error) {
	msg, probs, status, ok := p.resMessage(err)
	if !ok {
		s.internalError(w, r, err)
		return
	}
	g := r.Clone(r.Context())
	g.Method = http.MethodGet
	g.URL = &url.URL{Path: v.path, RawQuery: resBackQuery(r).Encode()}
	s.resShow(w, g, v, &resPage{Error: msg, Problems: probs, Form: r.PostForm}, status)
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
var fundingView = resView{path: "/funding", key: "funding", tab: "funding", template: "resources_funding", load: (*Server).fundingData}

func (s *Server) fundingData(r *http.Request, p *page, rp resPage) (any, error) {
	d := resFundingData{resPage: rp, Sources: p.resSourceFields(true)}
	var err error
	if d.Report, err = app.FundingSummary(r.Context(), s.db, rp.root(), rp.Year, p.AsOf); err == nil {
		d.Entries, err = s.db.ListFunding(r.Context(), store.FundingFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, Years: []int{rp.Year}})
	}
	return d, err
}

// POST /funding (form: unit, year, part.<source>…, reported_total, note)
func (s *Server) fundingSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	f := resources.Funding{UnitCode: fm.text("unit"), Note: fm.text("note"), Parts: map[string]resources.Fixed{}}
	f.Year = fm.int("year", p.T("resources.field.year"))
	for _, sf := range p.resSourceFields(true) {
		if v := fm.fixed("part."+sf.Code, sf.Name); v != nil {
			f.Parts[sf.Code] = *v
		}
	}
	f.ReportedTotal = fm.fixed("reported_total", p.T("resources.field.reported_total"))
	return resSave(r, p, fm, s.saveFunding, f)
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
var worksView = resView{path: "/works", key: "works", tab: "works", template: "resources_works", load: (*Server).worksData}

func (s *Server) worksData(r *http.Request, p *page, rp resPage) (any, error) {
	cat := resources.MustShipped()
	d := resWorksData{resPage: rp, Kinds: cat.WorkKinds, Measures: cat.Measures, Statuses: resources.WorkStatuses, Sources: p.resSourceFields(false)}
	var err error
	if d.Report, err = app.WorksSummary(r.Context(), s.db, rp.root(), rp.Year, p.AsOf); err == nil {
		d.Works, err = s.db.ListWorks(r.Context(), store.WorkFilter{AsOfScope: store.AsOfScope{Root: rp.root(), AsOf: p.AsOf}, Year: rp.Year})
	}
	return d, err
}

// POST /works (form: unit, year, kind, name, quantity, measure, status, done_on,
// criterion_set, criterion, budget.<source>…, note)
func (s *Server) workSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	wk := resources.Work{UnitCode: fm.text("unit"), Kind: fm.form.Get("kind"), Name: fm.text("name"),
		Measure: fm.form.Get("measure"), Status: fm.form.Get("status"), CriterionSet: fm.text("criterion_set"),
		Note: fm.text("note"), Budget: map[string]resources.Fixed{}}
	wk.Year = fm.int("year", p.T("resources.field.year"))
	wk.Criterion = fm.int("criterion", p.T("resources.field.criterion"))
	wk.DoneOn = fm.day("done_on", p.T("resources.field.done_on"))
	if q := fm.fixed("quantity", p.T("resources.field.quantity")); q != nil {
		wk.Quantity = *q
	}
	for _, sf := range p.resSourceFields(false) {
		if v := fm.fixed("budget."+sf.Code, sf.Name); v != nil {
			wk.Budget[sf.Code] = *v
		}
	}
	return resSave(r, p, fm, s.saveWork, wk)
}

// POST /works/disbursements (form: work, day, amount, source, note)
func (s *Server) disbursementSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	wk, err := resRow(r, fm, "work", "resources.error.pick_work", s.db.Work, func(wk resources.WorkEntry) error {
		return s.allow(r, p.User.user, auth.Enter, wk.UnitCode, store.YearDay(wk.Year, wk.UnitFrom))
	})
	if err != nil {
		return 0, err
	}
	d := resources.Disbursement{Source: fm.form.Get("source"), Note: fm.text("note")}
	d.Day = fm.day("day", p.T("resources.field.day"))
	if a := fm.fixed("amount", p.T("resources.field.amount")); a != nil {
		d.Amount = *a
	}
	if fm.err != nil {
		return 0, fm.err
	}
	_, err = s.addDisbursement(r, p.User.user, wk, d)
	return 0, err
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
var modelsView = resView{path: "/models", key: "models", tab: "models", template: "resources_models", load: (*Server).modelsData}

func (s *Server) modelsData(r *http.Request, p *page, rp resPage) (any, error) {
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
	return d, err
}

// POST /models (form: kind, unit, village, name, year, decision, decision_date, revoked_year, note)
func (s *Server) modelSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	m := resources.Model{Kind: fm.form.Get("kind"), UnitCode: fm.text("unit"), Village: fm.text("village"),
		Name: fm.text("name"), Decision: fm.text("decision"), Note: fm.text("note")}
	m.Year = fm.int("year", p.T("resources.field.recognized"))
	m.RevokedYear = fm.int("revoked_year", p.T("resources.field.revoked"))
	m.DecisionDate = fm.day("decision_date", p.T("resources.field.decision_date"))
	return resSave(r, p, fm, s.saveModel, m)
}

// ---------------------------------------------------------------------------------------
// Import of lists

// resImport reads the list a form uploads (POST /{funding,works,models}/import, multipart
// form: file) and imports it; it returns the rows imported.
func (s *Server) resImport(kind string) func(r *http.Request, p *page) (int, error) {
	return func(r *http.Request, p *page) (int, error) {
		file, hdr, err := r.FormFile("file")
		if err != nil {
			return 0, &resFormError{p.T("resources.error.no_file")}
		}
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, maxResourceImport+1))
		if err != nil || len(data) > maxResourceImport {
			return 0, &resFormError{p.T("resources.error.no_file")}
		}
		n, err := s.importList(r, p.User.user, kind, hdr.Filename, data)
		return n.Rows, err
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
var tasksView = resView{path: "/tasks", key: "tasks", tab: "tasks", template: "resources_tasks", load: (*Server).tasksData}

func (s *Server) tasksData(r *http.Request, p *page, rp resPage) (any, error) {
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
	return d, err
}

// POST /meetings (form: unit, day, chair, conclusions)
func (s *Server) meetingSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	m := resources.Meeting{UnitCode: fm.text("unit"), Chair: fm.text("chair"), Conclusions: fm.text("conclusions")}
	m.Day = fm.day("day", p.T("resources.field.meeting_day"))
	return resSave(r, p, fm, s.saveMeeting, m)
}

// POST /tasks (form: meeting, unit, title, owner_kind, owner, criterion_set, criterion,
// linked_unit, assigned, due)
func (s *Server) taskSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	t := resources.Task{UnitCode: fm.text("unit"), Title: fm.text("title"), OwnerKind: fm.form.Get("owner_kind"),
		Owner: fm.text("owner"), CriterionSet: fm.text("criterion_set"), LinkedUnit: fm.text("linked_unit")}
	if fm.form.Get("meeting") != "" {
		t.MeetingID = fm.id("meeting", "resources.error.not_found")
	}
	t.Criterion = fm.int("criterion", p.T("resources.field.criterion"))
	t.Assigned = fm.day("assigned", p.T("resources.field.assigned"))
	if t.Due = fm.day("due", p.T("resources.field.due")); t.Due == "" {
		fm.fail(&resFormError{p.T("resources.error.due")})
	}
	return resSave(r, p, fm, s.saveTask, t)
}

// POST /tasks/notes (form: task, day, note, status) — by the committee or the owner unit.
func (s *Server) taskNoteSave(r *http.Request, p *page) (int, error) {
	fm := p.resForm(r)
	t, err := resRow(r, fm, "task", "resources.error.pick_task", s.db.Task, func(t resources.TaskEntry) error {
		return s.allowTask(r, p.User.user, t, auth.ManageTargets, auth.Enter)
	})
	if err != nil {
		return 0, err
	}
	if day := fm.day("day", p.T("resources.field.day")); fm.err == nil {
		_, err = s.addTaskNote(r, p.User.user, t, day, fm.form.Get("note"), fm.form.Get("status"))
		return 0, err
	}
	return 0, fm.err
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
