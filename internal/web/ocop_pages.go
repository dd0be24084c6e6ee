package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The OCOP pages: the registry with its filters and figures, a product with its history,
// the scoresheet of an evaluation (where council members enter their points), and the
// certificates about to expire. Server-rendered, no script; forms post here and go through
// the same checks and store calls as the API.

func (s *Server) ocopPageRoutes() {
	s.addNav("ocop", "/ocop", "ocop.nav")
	s.mux.HandleFunc("GET /ocop", s.ocopRegistryPage)
	s.mux.HandleFunc("GET /ocop/expiring", s.ocopExpiringPage)
	s.mux.HandleFunc("GET /ocop/products/{id}", s.ocopProductPage)
	s.mux.HandleFunc("POST /ocop/products/{id}/evaluations", s.ocopOpenEvaluationPost)
	s.mux.HandleFunc("GET /ocop/evaluations/{id}", s.ocopScorePage)
	s.mux.HandleFunc("POST /ocop/evaluations/{id}", s.ocopScorePost)
	s.ocopRegisterRoutes()
}

// ---------------------------------------------------------------------------------------
// Helpers the OCOP templates call

// OCOPStars writes stars as symbols, for beside the words ("★★★★").
func (p *page) OCOPStars(n int) string { return strings.Repeat("★", max(n, 0)) }

// OCOPStatus names a certificate status in the page's language.
func (p *page) OCOPStatus(s ocop.CertStatus) string { return p.T("ocop.status." + string(s)) }

// OCOPLevel names a council level.
func (p *page) OCOPLevel(l ocop.Level) string { return p.T("ocop.level." + string(l)) }

// OCOPKind names a producer kind.
func (p *page) OCOPKind(k ocop.ProducerKind) string { return k.Label().In(p.Lang) }

// OCOPMsg is a message of the domain in the page's language.
func (p *page) OCOPMsg(m ocop.Message) string { return m.In(p.Lang) }

// OCOPSet names a product set with its sub-group.
func (p *page) OCOPSet(code string) string { return ocopRules().Taxonomy.SetName(code, p.Lang) }

// OCOPSetVerified reports whether a product set was checked against the decision's text.
func (p *page) OCOPSetVerified(code string) bool {
	s, ok := ocopRules().Taxonomy.Set(code)
	return ok && s.Verified
}

// OCOPGroup names a group.
func (p *page) OCOPGroup(g *ocop.Group) string {
	return ocop.Message{VI: g.Name, EN: g.NameEN}.In(p.Lang)
}

// OCOPPoints writes points the page's way ("70,5" in Vietnamese).
func (p *page) OCOPPoints(x float64) string { return i18n.Decimal(x, decimalsOf(x), p.Lang) }

func decimalsOf(x float64) int {
	switch {
	case x == float64(int64(x)):
		return 0
	case x*10 == float64(int64(x*10)):
		return 1
	}
	return 2
}

// OCOPDays is a count of days kept as a pointer (days left of a certificate).
func (p *page) OCOPDays(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// OCOPName picks the Vietnamese or English name of a thing of the rules.
func (p *page) OCOPName(vi, en string) string { return ocop.Message{VI: vi, EN: en}.In(p.Lang) }

// ocopPageError answers a page request that failed: 404, 403 or 500.
func (s *Server) ocopPageError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "ocop.error.not_found")
	case isForbidden(err):
		s.errorPage(w, r, http.StatusForbidden, "ocop.error.forbidden")
	default:
		s.internalError(w, r, err)
	}
}

// ---------------------------------------------------------------------------------------
// The registry

type ocopRegistryData struct {
	Unit      *units.Unit // nil: the country
	UnitParam string
	Groups    []*ocop.Group
	Group     string
	Stars     int
	Status    string
	Q         string
	Statuses  []ocop.CertStatus
	Figures   ocop.Figures
	Rows      []ocop.Listed
	Total     int
	Limit     int
	// Council: the user sits on OCOP councils; Open are their councils' open evaluations,
	// the work a member lands on (issue 15.4).
	Council bool
	Open    []ocop.Evaluation
}

const ocopPageLimit = 500

// ocopPageRoot reads the unit of a list page (?unit=, default the user's home unit, or the
// country for national roles) and checks that the user may read it.
func (s *Server) ocopPageRoot(w http.ResponseWriter, r *http.Request, p *page) (*units.Unit, bool) {
	code := strings.TrimSpace(r.URL.Query().Get("unit"))
	u := p.User.user
	if code == "" && u.Role.Reach(auth.Read) != auth.Everywhere {
		code = u.UnitCode
	}
	if code == "" {
		return nil, true
	}
	un, err := s.db.Unit(r.Context(), code, p.AsOf)
	if errors.Is(err, store.ErrNotFound) {
		// A unit that ended on the reform (a former district's officer's home unit): its
		// archive, which leads to the units that took over its communes; else 404.
		if _, _, gerr := s.db.Successors(r.Context(), code, p.AsOf); gerr == nil {
			s.goneUnit(w, r, p, code)
		} else {
			s.errorPage(w, r, http.StatusNotFound, "ocop.error.unit", code)
		}
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	if err := s.allow(r, u, auth.Read, code, p.AsOf); err != nil {
		s.ocopPageError(w, r, err)
		return nil, false
	}
	return &un, true
}

// GET /ocop?unit=&group=&stars=&status=&q=&as_of=
func (s *Server) ocopRegistryPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startDated(w, r, "ocop.registry.title", "ocop")
	if !ok {
		return
	}
	root, ok := s.ocopPageRoot(w, r, p)
	if !ok {
		return
	}
	q := r.URL.Query()
	rules := ocopRules()
	d := ocopRegistryData{Unit: root, UnitParam: strings.TrimSpace(q.Get("unit")), Groups: rules.Taxonomy.Groups, Group: q.Get("group"),
		Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")), Limit: ocopPageLimit,
		Statuses: append([]ocop.CertStatus{ocop.NotCertified}, ocop.CertStatuses...)}
	d.Stars, _ = strconv.Atoi(q.Get("stars"))
	f := ocop.Filter{Group: d.Group, Stars: d.Stars, Status: ocop.CertStatus(d.Status), Text: d.Q}
	code := ""
	if root != nil {
		code = root.Code
		p.Title = p.T("ocop.registry.title_of", p.UnitName(*root))
	}
	products, err := s.db.OCOPProducts(r.Context(), store.OCOPQuery{Root: code, Day: p.AsOf})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if p.User.user.Role == auth.RoleOCOPCouncil {
		d.Council = true
		if d.Open, err = s.db.OpenOCOPEvaluationsOf(r.Context(), p.User.Username); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	d.Figures = rules.Tally(products, p.AsOf, units.Date(string(p.AsOf)[:4]+"-01-01"))
	d.Rows = rules.List(products, p.AsOf, f)
	d.Total = len(d.Rows)
	if len(d.Rows) > ocopPageLimit {
		d.Rows = d.Rows[:ocopPageLimit]
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "ocop_registry", p)
}

// ---------------------------------------------------------------------------------------
// Certificates about to expire

type ocopExpiringData struct {
	Unit       *units.Unit
	UnitParam  string
	NoticeDays int
	Rows       []ocop.Listed
}

// GET /ocop/expiring?unit=&as_of=
func (s *Server) ocopExpiringPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startDated(w, r, "ocop.expiring.title", "ocop")
	if !ok {
		return
	}
	root, ok := s.ocopPageRoot(w, r, p)
	if !ok {
		return
	}
	code := ""
	if root != nil {
		code = root.Code
	}
	products, err := s.db.OCOPProducts(r.Context(), store.OCOPQuery{Root: code, Day: p.AsOf})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	rules := ocopRules()
	p.Data = ocopExpiringData{Unit: root, UnitParam: strings.TrimSpace(r.URL.Query().Get("unit")), NoticeDays: rules.Validity.NoticeDays,
		Rows: rules.Expiring(products, p.AsOf)}
	s.render(w, r, http.StatusOK, "ocop_expiring", p)
}

// ---------------------------------------------------------------------------------------
// A product

type ocopProductData struct {
	View     productView
	Producer ocop.Producer
	CanScore bool
	Levels   []ocop.Level
	Form     ocopOpenForm
	Error    string
	// CanCertify: the user issues and revokes the product's certificates (auth.ManageRecognition);
	// Certifiable are the evaluations a certificate may be issued for, Revocable the
	// certificates not revoked (issue 15.5).
	CanCertify  bool
	Certifiable []ocop.Evaluation
	Revocable   []ocop.Certificate
	Issue       ocopIssueForm
	Revoke      ocopRevokeForm
	Err         formErr
	Done        string // what the last form did: registered, certified, revoked
	Months      int    // how long a certificate is valid
}

// ocopOpenForm is the form that opens an evaluation, as typed.
type ocopOpenForm struct {
	Date, Level, Council string
}

// GET /ocop/products/{id}?as_of=
func (s *Server) ocopProductPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startDated(w, r, "ocop.product.title", "ocop")
	if !ok {
		return
	}
	d, ok := ocopData(s, w, r, p, s.ocopProductData)
	if !ok {
		return
	}
	switch done := r.URL.Query().Get("done"); done {
	case "registered", "certified", "revoked":
		d.Done = done
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "ocop_product", p)
}

func (s *Server) ocopProductData(r *http.Request, p *page) (*ocopProductData, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	u := p.User.user
	prod, err := s.ocopProductAt(r, u, id, auth.Read)
	if err != nil {
		return nil, err
	}
	pr, err := s.db.OCOPProducer(r.Context(), prod.ProducerID)
	if err != nil {
		return nil, err
	}
	d := &ocopProductData{View: viewProduct(prod, p.AsOf), Producer: pr, Levels: ocop.Levels,
		CanScore:   s.allow(r, u, auth.OCOPScore, prod.UnitCode, prod.UnitFrom) == nil,
		CanCertify: s.allow(r, u, auth.ManageRecognition, prod.UnitCode, prod.UnitFrom) == nil,
		Months:     ocopRules().Validity.Months}
	d.certForms()
	// The forms' defaults, for the page and for a form sent back with an error.
	level, _, _ := ocopRules().RecognisedBy(3, units.Today())
	today := i18n.Date(string(units.Today()), p.Lang)
	d.Form = ocopOpenForm{Date: today, Level: string(level)}
	d.Issue.Date, d.Revoke.Date = today, today
	p.Title = prod.Name
	return d, nil
}

// POST /ocop/products/{id}/evaluations (form: date, level, council) — opens an evaluation and
// goes to its scoresheet.
func (s *Server) ocopOpenEvaluationPost(w http.ResponseWriter, r *http.Request) {
	p, d, ok := ocopPost(s, w, r, "ocop.product.title", s.ocopProductData)
	if !ok {
		return
	}
	form := ocopOpenForm{Date: strings.TrimSpace(r.PostForm.Get("date")), Level: r.PostForm.Get("level"), Council: r.PostForm.Get("council")}
	fail := func(msg string) {
		d.Form, d.Error = form, msg
		p.Data = d
		s.render(w, r, http.StatusUnprocessableEntity, "ocop_product", p)
	}
	if !d.CanScore {
		s.errorPage(w, r, http.StatusForbidden, "ocop.score.cannot")
		return
	}
	day, err := parseDay(form.Date)
	if err != nil {
		fail(p.T("ocop.error.date", form.Date))
		return
	}
	e := ocop.Evaluation{ProductID: d.View.ID, ProductSet: d.View.ProductSet, Date: day, Level: ocop.Level(form.Level), Council: form.Council}
	e, err = s.openEvaluation(r, p.User.user, e)
	if fe, ok := ocop.FieldOf(err); ok {
		fail(fe.In(p.Lang))
		return
	}
	if err != nil {
		s.ocopPageError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/ocop/evaluations/%d", e.ID), http.StatusSeeOther)
}

// ---------------------------------------------------------------------------------------
// The scoresheet of an evaluation

type ocopScoreData struct {
	E          ocop.Evaluation
	Product    ocop.Product
	Version    *ocop.Version
	Conditions []ocopConditionRow
	CanScore   bool
	Council    bool // the user is a council member: they enter their own sheet
	Form       ocopSheetForm
	Error      string
	ErrorField string
	Saved      bool
}

type ocopConditionRow struct {
	ocop.Condition
	Met     bool
	Applies bool
}

// ClosedDay is the day the evaluation was closed, in Vietnam ("" while open).
func (d *ocopScoreData) ClosedDay() units.Date {
	if d.E.ClosedAt == nil {
		return ""
	}
	return units.Date(d.E.ClosedAt.In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly))
}

// PartField is the form field of part id (A → a).
func (d *ocopScoreData) PartField(id string) string { return strings.ToLower(id) }

// PartValue is the points of part id as typed.
func (d *ocopScoreData) PartValue(id string) string {
	switch id {
	case "A":
		return d.Form.A
	case "B":
		return d.Form.B
	}
	return d.Form.C
}

// ocopSheetForm is the scoresheet form as typed.
type ocopSheetForm struct {
	Member, MemberName, A, B, C, Note string
}

// GET /ocop/evaluations/{id}
func (s *Server) ocopScorePage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "ocop.score.title")
	if !ok {
		return
	}
	p.Nav = "ocop"
	d, ok := ocopData(s, w, r, p, s.ocopScoreData)
	if !ok {
		return
	}
	d.Saved = r.URL.Query().Get("saved") == "1"
	p.Data = d
	s.render(w, r, http.StatusOK, "ocop_score", p)
}

func (s *Server) ocopScoreData(r *http.Request, p *page) (*ocopScoreData, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	u := p.User.user
	e, err := s.ocopEvaluationAt(r, u, id, auth.Read)
	if err != nil {
		return nil, err
	}
	prod, err := s.db.OCOPProduct(r.Context(), e.ProductID)
	if err != nil {
		return nil, err
	}
	withOutcome(&e)
	rules := ocopRules()
	v, ok := rules.Version(e.Rules)
	if !ok {
		return nil, fmt.Errorf("evaluation %d: unknown rules %q", e.ID, e.Rules)
	}
	// Only a member of the evaluation's council enters a sheet, their own (issue 16).
	member := ocop.Council{Members: e.Members}.Member(u.Username)
	d := &ocopScoreData{E: e, Product: prod, Version: v, Council: member,
		CanScore: member && e.Status == ocop.EvalOpen && s.allow(r, u, auth.OCOPScore, e.UnitCode, e.UnitFrom) == nil}
	met := map[string]bool{}
	for _, c := range e.Conditions {
		met[c] = true
	}
	set, _ := rules.Taxonomy.Set(e.ProductSet)
	for _, c := range v.Conditions {
		d.Conditions = append(d.Conditions, ocopConditionRow{Condition: c, Met: met[c.ID], Applies: set == nil || c.AppliesTo(set.Group)})
	}
	if d.Council {
		d.Form = ocopSheetForm{Member: u.Username, MemberName: u.Name}
	}
	// A member who has entered a sheet finds it in the form, to correct it.
	for _, sh := range e.Sheets {
		if sh.Member == u.Username {
			d.Form = ocopSheetForm{Member: sh.Member, MemberName: sh.MemberName, A: p.OCOPPoints(sh.A), B: p.OCOPPoints(sh.B), C: p.OCOPPoints(sh.C), Note: sh.Note}
		}
	}
	p.Title = p.T("ocop.score.heading", prod.Name)
	return d, nil
}

// formPoints reads points typed the Vietnamese way ("30,5") or the English way ("30.5").
func formPoints(v string) (*float64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil {
		return nil, false
	}
	return &x, true
}

// POST /ocop/evaluations/{id} (form: action = score | conditions | close, and its fields)
func (s *Server) ocopScorePost(w http.ResponseWriter, r *http.Request) {
	p, d, ok := ocopPost(s, w, r, "ocop.score.title", s.ocopScoreData)
	if !ok {
		return
	}
	u := p.User.user
	if s.allow(r, u, auth.OCOPScore, d.E.UnitCode, d.E.UnitFrom) != nil {
		s.errorPage(w, r, http.StatusForbidden, "ocop.score.cannot")
		return
	}
	fail := func(field, msg string) {
		d.Error, d.ErrorField = msg, field
		p.Data = d
		s.render(w, r, http.StatusUnprocessableEntity, "ocop_score", p)
	}
	done := func(e ocop.Evaluation, err error) {
		fe, isField := ocop.FieldOf(err)
		rule, isRule := ruleWords(err, fault.Rule, fault.Exists)
		refusal, refused := ruleWords(err, fault.Forbidden)
		switch {
		case isField:
			fail(fe.Field, fe.In(p.Lang))
		case isRule:
			fail("", rule.In(p.Lang))
		case refused:
			fail("member", refusal.In(p.Lang))
		case err != nil:
			s.ocopPageError(w, r, err)
		default:
			http.Redirect(w, r, fmt.Sprintf("/ocop/evaluations/%d?saved=1", e.ID), http.StatusSeeOther)
		}
	}
	switch r.PostForm.Get("action") {
	case "score":
		form := ocopSheetForm{Member: strings.TrimSpace(r.PostForm.Get("member")), MemberName: strings.TrimSpace(r.PostForm.Get("member_name")),
			A: r.PostForm.Get("a"), B: r.PostForm.Get("b"), C: r.PostForm.Get("c"), Note: r.PostForm.Get("note")}
		d.Form = form
		b := sheetBody{Member: form.Member, MemberName: form.MemberName, Note: form.Note}
		for _, f := range []struct {
			id  string
			v   string
			dst **float64
		}{{"a", form.A, &b.A}, {"b", form.B, &b.B}, {"c", form.C, &b.C}} {
			x, ok := formPoints(f.v)
			if !ok {
				fail(f.id, p.T("ocop.error.number", strings.ToUpper(f.id)))
				return
			}
			*f.dst = x
		}
		sheet, err := ocopSheet(u, b)
		if err != nil {
			done(d.E, err)
			return
		}
		done(s.db.PutOCOPSheet(r.Context(), u.Username, d.E.ID, sheet, ocopRules()))
	case "conditions":
		e := d.E
		e.Conditions = r.PostForm["condition"]
		if e.Conditions == nil {
			e.Conditions = []string{}
		}
		e.Version = 0
		if err := ocopRules().CheckEvaluation(&e); err != nil {
			done(e, err)
			return
		}
		done(s.db.UpdateOCOPEvaluation(r.Context(), u.Username, e))
	case "close":
		done(s.db.CloseOCOPEvaluation(r.Context(), u.Username, d.E.ID, 0, ocopRules()))
	default:
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
	}
}

// OCOPRegistryLink is the registry's URL with the filters given as pairs.
func (p *page) OCOPRegistryLink(kv ...string) string { return p.Link("/ocop", kv...) }

// OCOPProductLink is a product page's URL, as of the page's day.
func (p *page) OCOPProductLink(id int64) string {
	return p.Link("/ocop/products/" + url.PathEscape(strconv.FormatInt(id, 10)))
}
