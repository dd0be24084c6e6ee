package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The OCOP register's forms (issue 15.5): registering a producer and a product (/ocop/register),
// and issuing or revoking a certificate from the product's page. They call the use cases the
// API calls (app.RegisterOCOPProducer…), with the API's field names, so the rules, the roles
// and the messages are the same; a field's error comes back beside the field, in the page's
// language, and nothing is changed.

func (s *Server) ocopRegisterRoutes() {
	s.mux.HandleFunc("GET /ocop/register", s.ocopRegisterPage)
	s.mux.HandleFunc("POST /ocop/producers", s.ocopProducerPost)
	s.mux.HandleFunc("POST /ocop/products", s.ocopProductPost)
	s.mux.HandleFunc("POST /ocop/products/{id}/certificate", s.ocopCertificatePost)
	s.mux.HandleFunc("POST /ocop/products/{id}/revoke", s.ocopRevokePost)
}

// formErr is the error of a form: which form (a page may have several), the field at fault
// ("" for the form as a whole) and the message in the page's language.
type formErr struct {
	Form, Field, Message string
}

// On is the message when the error is about field of form.
func (e formErr) On(form, field string) string {
	if e.Form == form && e.Field == field {
		return e.Message
	}
	return ""
}

// Of is the message of form as a whole (or of a field the form does not show).
func (e formErr) Of(form string, shown ...string) string {
	if e.Form != form {
		return ""
	}
	for _, f := range shown {
		if f == e.Field {
			return ""
		}
	}
	return e.Message
}

// ocopFormFault makes the error of a form out of an error of a use case, with its HTTP status;
// ok is false for an error the user cannot correct (not found, internal).
func ocopFormFault(p *page, form string, err error) (formErr, int, bool) {
	status := errorStatus[fault.CodeOf(err)]
	if fe, ok := ocop.FieldOf(err); ok {
		return formErr{form, fe.Field, fe.In(p.Lang)}, status, true
	}
	if f, ok := ruleWords(err, fault.Rule, fault.Exists); ok {
		return formErr{form, "", f.In(p.Lang)}, status, true
	}
	if unit, ok := auth.RefusedUnit(err); ok {
		// A unit typed in the form that the user may not write in: said by the unit's field.
		return formErr{form, "unit", p.T("ocop.register.forbidden_unit", unit)}, http.StatusForbidden, true
	}
	return formErr{}, 0, false
}

// startForm begins a form post of the OCOP section: same origin, signed in, a small form body.
func (s *Server) startForm(w http.ResponseWriter, r *http.Request, title string) (*page, bool) {
	p, ok := s.postForm(w, r, title, 64<<10)
	if ok {
		p.Nav = "ocop"
	}
	return p, ok
}

// ocopData loads the data of an OCOP page with load; ok is false when it failed and the
// error page has answered.
func ocopData[D any](s *Server, w http.ResponseWriter, r *http.Request, p *page, load func(*http.Request, *page) (D, error)) (D, bool) {
	d, err := load(r, p)
	if err != nil {
		s.ocopPageError(w, r, err)
	}
	return d, err == nil
}

// ocopPost begins a form post of an OCOP page (startForm) and loads the page's data with
// load; ok is false when the page has answered.
func ocopPost[D any](s *Server, w http.ResponseWriter, r *http.Request, title string, load func(*http.Request, *page) (D, error)) (*page, D, bool) {
	p, ok := s.startForm(w, r, title)
	if !ok {
		var none D
		return nil, none, false
	}
	d, ok := ocopData(s, w, r, p, load)
	return p, d, ok
}

// registerFailed answers a form of the register page whose use case failed: the form's error
// on the page with what was typed (set puts both back), or the error page.
func (s *Server) registerFailed(w http.ResponseWriter, r *http.Request, p *page, form string, err error, set func(*ocopRegisterData, formErr)) {
	fe, status, ok := ocopFormFault(p, form, err)
	if !ok {
		s.ocopPageError(w, r, err)
		return
	}
	s.renderRegister(w, r, p, status, func(d *ocopRegisterData) { set(d, fe) })
}

// ---------------------------------------------------------------------------------------
// Registering producers and products

type ocopRegisterData struct {
	Kinds     []ocop.ProducerKind
	Groups    []*ocop.Group
	Producers []ocop.Producer // those the user may register a product of
	Producer  ocopProducerForm
	Product   ocopProductForm
	Err       formErr
	Done      string // the producer just registered, for the flash
}

// ocopProducerForm is the producer form as typed (the API's field names).
type ocopProducerForm struct {
	Name, Kind, RegistrationNo, Address, Unit string
}

// ocopProductForm is the product form as typed.
type ocopProductForm struct {
	ProducerID, Name, ProductSet, Description, Unit string
}

// MayRegisterOCOP reports whether the signed-in user registers OCOP producers and products
// somewhere (the registry's link to the forms).
func (p *page) MayRegisterOCOP() bool {
	return p.User != nil && p.User.user.Role.Reach(auth.Enter) != auth.Nowhere
}

// ocopRegisterData reads what the forms offer: the kinds, the taxonomy and the producers of
// the user's units.
func (s *Server) ocopRegisterData(r *http.Request, p *page) (*ocopRegisterData, error) {
	rules := ocopRules()
	u := p.User.user
	root := ""
	if u.Role.Reach(auth.Read) != auth.Everywhere {
		root = u.UnitCode
	}
	list, err := s.db.OCOPProducers(r.Context(), store.OCOPQuery{Root: root, Day: units.Today()})
	if err != nil {
		return nil, err
	}
	d := &ocopRegisterData{Kinds: ocop.ProducerKinds, Groups: rules.Taxonomy.Groups}
	for _, pr := range list {
		if s.allow(r, u, auth.Enter, pr.UnitCode, pr.UnitFrom) == nil {
			d.Producers = append(d.Producers, pr)
		}
	}
	// A commune officer registers in their own commune: the unit is filled in for them.
	if u.Role == auth.RoleCommune {
		d.Producer.Unit = u.UnitCode
	}
	return d, nil
}

// renderRegister answers the register page, or a 403 page to a role that registers nothing.
func (s *Server) renderRegister(w http.ResponseWriter, r *http.Request, p *page, status int, fill func(d *ocopRegisterData)) {
	p.Nav = "ocop"
	if !p.MayRegisterOCOP() {
		s.errorPage(w, r, http.StatusForbidden, "ocop.register.cannot")
		return
	}
	d, err := s.ocopRegisterData(r, p)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if fill != nil {
		fill(d)
	}
	p.Data = d
	s.render(w, r, status, "ocop_register", p)
}

// GET /ocop/register?producer=ID (the producer just registered, chosen for the product form)
func (s *Server) ocopRegisterPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "ocop.register.title")
	if !ok {
		return
	}
	s.renderRegister(w, r, p, http.StatusOK, func(d *ocopRegisterData) {
		id := r.URL.Query().Get("producer")
		for _, pr := range d.Producers {
			if strconv.FormatInt(pr.ID, 10) == id {
				d.Product.ProducerID, d.Done = id, pr.Name
			}
		}
	})
}

// POST /ocop/producers (form: name, kind, registration_no, address, unit)
func (s *Server) ocopProducerPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startForm(w, r, "ocop.register.title")
	if !ok {
		return
	}
	f := r.PostForm
	form := ocopProducerForm{Name: f.Get("name"), Kind: f.Get("kind"), RegistrationNo: f.Get("registration_no"), Address: f.Get("address"),
		Unit: strings.TrimSpace(f.Get("unit"))}
	pr := ocop.Producer{Name: form.Name, Kind: ocop.ProducerKind(form.Kind), RegistrationNo: form.RegistrationNo, Address: form.Address, UnitCode: form.Unit}
	pr, err := app.RegisterOCOPProducer(r.Context(), s.db, p.User.user, pr, units.Today())
	if err != nil {
		s.registerFailed(w, r, p, "producer", err, func(d *ocopRegisterData, fe formErr) { d.Producer, d.Err = form, fe })
		return
	}
	http.Redirect(w, r, "/ocop/register?producer="+strconv.FormatInt(pr.ID, 10)+"#product", http.StatusSeeOther)
}

// POST /ocop/products (form: producer_id, name, product_set, description, unit)
func (s *Server) ocopProductPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startForm(w, r, "ocop.register.title")
	if !ok {
		return
	}
	f := r.PostForm
	form := ocopProductForm{ProducerID: strings.TrimSpace(f.Get("producer_id")), Name: f.Get("name"), ProductSet: f.Get("product_set"),
		Description: f.Get("description"), Unit: strings.TrimSpace(f.Get("unit"))}
	id, _ := strconv.ParseInt(form.ProducerID, 10, 64)
	prod := ocop.Product{ProducerID: id, Name: form.Name, ProductSet: form.ProductSet, Description: form.Description, UnitCode: form.Unit}
	prod, err := app.RegisterOCOPProduct(r.Context(), s.db, p.User.user, prod, units.Today(), ocopRules())
	if err != nil {
		s.registerFailed(w, r, p, "product", err, func(d *ocopRegisterData, fe formErr) { d.Product, d.Err = form, fe })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/ocop/products/%d?done=registered", prod.ID), http.StatusSeeOther)
}

// ---------------------------------------------------------------------------------------
// Issuing and revoking certificates, from the product's page

// ocopIssueForm is the certificate form as typed.
type ocopIssueForm struct {
	Evaluation, Decision, Date, Issuer string
}

// ocopRevokeForm is the revocation form as typed.
type ocopRevokeForm struct {
	Certificate, Date, Reason string
	Confirm                   bool
}

// certForms fills what the certificate forms offer: the closed, certifiable evaluations
// without a certificate yet, and the certificates not revoked.
func (d *ocopProductData) certForms() {
	issued := map[int64]bool{}
	for _, c := range d.View.Certificates {
		issued[c.EvaluationID] = true
		if c.RevokedOn == "" {
			d.Revocable = append(d.Revocable, c)
		}
	}
	for _, e := range d.View.Evaluations {
		if e.Status == ocop.EvalClosed && e.Outcome != nil && e.Outcome.Certifiable && !issued[e.ID] {
			d.Certifiable = append(d.Certifiable, e)
		}
	}
}

// certPost begins a certificate form post of the product page and re-reads the product; ok is
// false when the page was answered.
func (s *Server) certPost(w http.ResponseWriter, r *http.Request) (*page, *ocopProductData, bool) {
	p, d, ok := ocopPost(s, w, r, "ocop.product.title", s.ocopProductData)
	if !ok {
		return nil, nil, false
	}
	if !d.CanCertify {
		s.errorPage(w, r, http.StatusForbidden, "ocop.cert.cannot")
		return nil, nil, false
	}
	return p, d, true
}

// chosenID is the id among xs that a form's typed value names, 0 when none.
func chosenID[T any](xs []T, id func(T) int64, typed string) int64 {
	for _, x := range xs {
		if strconv.FormatInt(id(x), 10) == typed {
			return id(x)
		}
	}
	return 0
}

// renderProductForm answers the product page with a form's error.
func (s *Server) renderProductForm(w http.ResponseWriter, r *http.Request, p *page, d *ocopProductData, status int, fe formErr) {
	d.Err = fe
	p.Data = d
	s.render(w, r, status, "ocop_product", p)
}

// POST /ocop/products/{id}/certificate (form: evaluation, decision, date, issuer)
func (s *Server) ocopCertificatePost(w http.ResponseWriter, r *http.Request) {
	p, d, ok := s.certPost(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	d.Issue = ocopIssueForm{Evaluation: f.Get("evaluation"), Decision: f.Get("decision"), Date: strings.TrimSpace(f.Get("date")), Issuer: f.Get("issuer")}
	eval := chosenID(d.Certifiable, func(e ocop.Evaluation) int64 { return e.ID }, d.Issue.Evaluation)
	if eval == 0 {
		s.renderProductForm(w, r, p, d, http.StatusUnprocessableEntity, formErr{"issue", "evaluation", p.T("ocop.cert.error.evaluation")})
		return
	}
	day, err := parseDay(d.Issue.Date)
	if err != nil {
		s.renderProductForm(w, r, p, d, http.StatusUnprocessableEntity, formErr{"issue", "date", p.T("ocop.error.date", d.Issue.Date)})
		return
	}
	_, err = app.IssueOCOPCertificate(r.Context(), s.db, p.User.user, eval, ocop.Certificate{Decision: d.Issue.Decision, Date: day, Issuer: d.Issue.Issuer}, ocopRules())
	if err != nil {
		s.productFormFailed(w, r, p, d, "issue", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/ocop/products/%d?done=certified", d.View.ID), http.StatusSeeOther)
}

// productFormFailed answers a form of the product page whose use case failed.
func (s *Server) productFormFailed(w http.ResponseWriter, r *http.Request, p *page, d *ocopProductData, form string, err error) {
	fe, status, ok := ocopFormFault(p, form, err)
	if !ok {
		s.ocopPageError(w, r, err)
		return
	}
	s.renderProductForm(w, r, p, d, status, fe)
}

// POST /ocop/products/{id}/revoke (form: certificate, date, reason, confirm)
func (s *Server) ocopRevokePost(w http.ResponseWriter, r *http.Request) {
	p, d, ok := s.certPost(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	d.Revoke = ocopRevokeForm{Certificate: f.Get("certificate"), Date: strings.TrimSpace(f.Get("date")), Reason: f.Get("reason"), Confirm: f.Get("confirm") == "1"}
	cert := chosenID(d.Revocable, func(c ocop.Certificate) int64 { return c.ID }, d.Revoke.Certificate)
	fail := func(field, key string, args ...any) {
		s.renderProductForm(w, r, p, d, http.StatusUnprocessableEntity, formErr{"revoke", field, p.T(key, args...)})
	}
	if cert == 0 {
		fail("certificate", "ocop.revoke.error.certificate")
		return
	}
	day, err := parseDay(d.Revoke.Date)
	if err != nil {
		fail("date", "ocop.error.date", d.Revoke.Date)
		return
	}
	// Revoking cannot be undone: the form asks the user to tick that they mean it.
	if !d.Revoke.Confirm {
		fail("confirm", "ocop.revoke.error.confirm")
		return
	}
	if _, err := app.RevokeOCOPCertificate(r.Context(), s.db, p.User.user, cert, day, d.Revoke.Reason); err != nil {
		s.productFormFailed(w, r, p, d, "revoke", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/ocop/products/%d?done=revoked", d.View.ID), http.StatusSeeOther)
}
