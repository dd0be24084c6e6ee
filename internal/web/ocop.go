package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The OCOP API (SPEC §1.7). Who may do what, on the product's commune (its unit as
// registered, on the day that unit began, so that products of communes abolished in 2025
// stay with the officers of the units that took them over):
//
//   - reading the registry, evaluations and figures: auth.Read;
//   - registering and editing producers, products and photos: auth.Enter — commune officers
//     register those of their commune, province and district officers those of their
//     province or district;
//   - opening, scoring and closing an evaluation: auth.OCOPScore (council members, province
//     and district officers); a council member enters only their own scoresheet;
//   - issuing and revoking certificates, and importing an existing product list with its
//     decisions: auth.ManageRecognition (province and district officers), since the decision
//     is the people's committee's.

func (s *Server) ocopRoutes() {
	s.mux.HandleFunc("GET /api/v1/ocop/rules", s.authed(s.ocopRulesAPI))
	s.mux.HandleFunc("GET /api/v1/ocop/import-template", s.authed(s.ocopTemplate))
	s.mux.HandleFunc("GET /api/v1/ocop/producers", s.authed(s.listOCOPProducers))
	s.mux.HandleFunc("POST /api/v1/ocop/producers", s.authed(s.createOCOPProducer))
	s.mux.HandleFunc("GET /api/v1/ocop/producers/{id}", s.authed(s.getOCOPProducer))
	s.mux.HandleFunc("PATCH /api/v1/ocop/producers/{id}", s.authed(s.updateOCOPProducer))
	s.mux.HandleFunc("DELETE /api/v1/ocop/producers/{id}", s.authed(s.deleteOCOPProducer))
	s.mux.HandleFunc("GET /api/v1/ocop/products", s.authed(s.listOCOPProducts))
	s.mux.HandleFunc("POST /api/v1/ocop/products", s.authed(s.createOCOPProduct))
	s.mux.HandleFunc("GET /api/v1/ocop/products/{id}", s.authed(s.getOCOPProduct))
	s.mux.HandleFunc("PATCH /api/v1/ocop/products/{id}", s.authed(s.updateOCOPProduct))
	s.mux.HandleFunc("DELETE /api/v1/ocop/products/{id}", s.authed(s.deleteOCOPProduct))
	s.mux.HandleFunc("POST /api/v1/ocop/products/{id}/photos", s.authed(s.addOCOPPhoto))
	s.mux.HandleFunc("GET /api/v1/ocop/photos/{id}", s.authed(s.getOCOPPhoto))
	s.mux.HandleFunc("DELETE /api/v1/ocop/photos/{id}", s.authed(s.deleteOCOPPhoto))
	s.mux.HandleFunc("POST /api/v1/ocop/products/{id}/evaluations", s.authed(s.openOCOPEvaluation))
	s.mux.HandleFunc("GET /api/v1/ocop/evaluations/{id}", s.authed(s.getOCOPEvaluation))
	s.mux.HandleFunc("PATCH /api/v1/ocop/evaluations/{id}", s.authed(s.updateOCOPEvaluation))
	s.mux.HandleFunc("POST /api/v1/ocop/evaluations/{id}/scoresheets", s.authed(s.putOCOPSheet))
	s.mux.HandleFunc("DELETE /api/v1/ocop/evaluations/{id}/scoresheets/{member}", s.authed(s.deleteOCOPSheet))
	s.mux.HandleFunc("POST /api/v1/ocop/evaluations/{id}/close", s.authed(s.closeOCOPEvaluation))
	s.mux.HandleFunc("POST /api/v1/ocop/evaluations/{id}/certificate", s.authed(s.issueOCOPCertificate))
	s.mux.HandleFunc("GET /api/v1/ocop/certificates/{id}", s.authed(s.getOCOPCertificate))
	s.mux.HandleFunc("POST /api/v1/ocop/certificates/{id}/revoke", s.authed(s.revokeOCOPCertificate))
	s.mux.HandleFunc("GET /api/v1/ocop/expiring", s.authed(s.ocopExpiring))
	s.mux.HandleFunc("GET /api/v1/ocop/figures", s.authed(s.ocopFigures))
	s.mux.HandleFunc("POST /api/v1/ocop/import", s.authed(s.importOCOP))
	s.ocopPageRoutes()
}

func init() {
	asOf := APIParam{Name: "as_of", Description: "date YYYY-MM-DD (default today)"}
	unit := APIParam{Name: "unit", Description: "unit code (default: the user's home unit, or the country for national roles)"}
	documentAPI(map[string]APIDoc{
		"GET /api/v1/ocop/rules":           {Summary: "OCOP rules as data: rule versions (part maxima, star bands, mandatory conditions, verified flags), who evaluates by date, certificate validity, the product taxonomy."},
		"GET /api/v1/ocop/import-template": {Summary: "An XLSX template of the product-list import (one row per product)."},
		"GET /api/v1/ocop/producers":       {Summary: "OCOP producers at or below a unit.", Params: []APIParam{unit, asOf, {Name: "q", Description: "text in the name"}}},
		"POST /api/v1/ocop/producers": {Summary: "Register a producer (chủ thể) in a commune; 409 when its registration number is registered.",
			Body: "{name, kind (doanh-nghiep|hop-tac-xa|to-hop-tac|ho-kinh-doanh), registration_no, address, unit, as_of?}"},
		"GET /api/v1/ocop/producers/{id}":    {Summary: "One producer."},
		"PATCH /api/v1/ocop/producers/{id}":  {Summary: "Change a producer; version, when sent, must be the stored one (else 409).", Body: "{name?, kind?, registration_no?, address?, unit?, as_of?, version?}"},
		"DELETE /api/v1/ocop/producers/{id}": {Summary: "Remove a producer without products."},
		"GET /api/v1/ocop/products": {Summary: "OCOP products at or below a unit with their standing on a day (certificate, stars, status).",
			Params: []APIParam{unit, asOf, {Name: "group"}, {Name: "subgroup"}, {Name: "set"}, {Name: "stars", Description: "3, 4 or 5: the stars of the latest certificate"},
				{Name: "status", Description: "valid, expiring, expired, revoked, replaced or none"}, {Name: "q", Description: "text in the product's or the producer's name"}, {Name: "limit"}}},
		"POST /api/v1/ocop/products": {Summary: "Register a product of a producer in a commune, in a product set of the taxonomy.",
			Body: "{name, producer_id, unit?, product_set, description, as_of?}"},
		"GET /api/v1/ocop/products/{id}": {Summary: "A product with its photos, certificates and evaluations (history) and its standing on a day.", Params: []APIParam{asOf}},
		"PATCH /api/v1/ocop/products/{id}": {Summary: "Change a product; version, when sent, must be the stored one (else 409).",
			Body: "{name?, producer_id?, unit?, product_set?, description?, as_of?, version?}"},
		"DELETE /api/v1/ocop/products/{id}":      {Summary: "Remove a product never evaluated nor certified."},
		"POST /api/v1/ocop/products/{id}/photos": {Summary: "Add a photo (JPEG, PNG or WebP, at most 2 MB) as the raw body.", Params: []APIParam{{Name: "name", Description: "file name"}}},
		"GET /api/v1/ocop/photos/{id}":           {Summary: "A product photo."},
		"DELETE /api/v1/ocop/photos/{id}":        {Summary: "Remove a product photo."},
		"POST /api/v1/ocop/products/{id}/evaluations": {Summary: "Open an evaluation of the product by a council (rule version from the date unless given).",
			Body: "{date, level (district|province|central; default: who evaluates 3 stars that day), council, rules?, conditions: [ids met]}"},
		"GET /api/v1/ocop/evaluations/{id}": {Summary: "An evaluation with its scoresheets and its outcome (provisional while open)."},
		"PATCH /api/v1/ocop/evaluations/{id}": {Summary: "Change an open evaluation: level, council, date, rules, confirmed conditions.",
			Body: "{date?, level?, council?, rules?, conditions?, version?}"},
		"POST /api/v1/ocop/evaluations/{id}/scoresheets": {Summary: "Enter or replace the caller's own scoresheet (parts A, B, C within their maxima, else 422 naming the part); only members of the evaluation's council (403 otherwise), the member taken from the session.",
			Body: "{a, b, c, note?} (member, if sent, must be the caller)"},
		"DELETE /api/v1/ocop/evaluations/{id}/scoresheets/{member}": {Summary: "Remove a scoresheet from an open evaluation."},
		"POST /api/v1/ocop/evaluations/{id}/close": {Summary: "Close an evaluation: the average of the members' totals, the stars after the mandatory conditions, whether it can be certified and why.",
			Body: "{version?}"},
		"POST /api/v1/ocop/evaluations/{id}/certificate": {Summary: "Issue the certificate of a closed, certifiable evaluation (valid 36 months); 422 with the reason otherwise.",
			Body: "{decision, date, issuer}"},
		"GET /api/v1/ocop/certificates/{id}":         {Summary: "A certificate with its status on a day.", Params: []APIParam{asOf}},
		"POST /api/v1/ocop/certificates/{id}/revoke": {Summary: "Revoke a certificate, with a reason.", Body: "{date?, reason}"},
		"GET /api/v1/ocop/expiring": {Summary: "Certificates ending within 30 days (their holders must be warned), the soonest first.",
			Params: []APIParam{unit, asOf}},
		"GET /api/v1/ocop/figures": {Summary: "OCOP figures of a unit on a day: products holding a certificate by stars, certified in the period, expiring, expired, revoked, by group.",
			Params: []APIParam{unit, asOf, {Name: "from", Description: "start of the period (default 1 January of as_of's year)"}}},
		"POST /api/v1/ocop/import": {Summary: "Import an existing product list from XLSX (one row per product with its stars and decision), all or nothing; 422 lists every bad row (sheet, row, column).",
			Params: []APIParam{{Name: "as_of", Description: "the day the commune codes are read on (default today)"}, {Name: "filename"}},
			Body:   "the workbook (multipart field file, or the raw body)"},
	})
}

// ocopRules returns the shipped OCOP rules.
func ocopRules() *ocop.Rules {
	r, err := ocop.Shipped()
	if err != nil {
		panic(err) // the shipped data are checked by the tests; a broken binary should not start serving
	}
	return r
}

// dayParam reads a date of a body ("" gives the default).
func dayParam(field, v string, def units.Date) (units.Date, error) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	d, err := units.ReadDate(strings.TrimSpace(v))
	if err != nil {
		return "", badField(field, field+": "+err.Error())
	}
	return d, nil
}

// ocopRoot reads the unit and day of a list: ?unit= (default the user's home unit, or the
// country for national roles) and ?as_of=; the user must be able to read the unit.
func (s *Server) ocopRoot(r *http.Request, u *auth.User) (string, units.Date, error) {
	day, err := asOf(r)
	if err != nil {
		return "", "", err
	}
	root := strings.TrimSpace(r.URL.Query().Get("unit"))
	if root == "" {
		if u.Role.Reach(auth.Read) == auth.Everywhere {
			return "", day, nil
		}
		root = u.UnitCode
	}
	if err := s.allow(r, u, auth.Read, root, day); err != nil {
		return "", "", err
	}
	if _, err := s.db.Unit(r.Context(), root, day); errors.Is(err, store.ErrNotFound) {
		return "", "", fault.Newf(fault.NotFound, "không có đơn vị mã %s vào ngày %s (no unit %s on %s)", root, day, root, day)
	} else if err != nil {
		return "", "", err
	}
	return root, day, nil
}

// ocopRefusal is the fault of a refusal with its own words in both languages (HTTP 403).
func ocopRefusal(m ocop.Message) *fault.Error { return fault.Both(fault.Forbidden, m.VI, m.EN) }

// ruleWords returns the fault in err's chain when it has its words in both languages and
// one of the codes: an ocopRefusal (Forbidden), an ocop.RuleFault (Rule), an OCOP record
// that exists (Exists).
func ruleWords(err error, codes ...fault.Code) (*fault.Error, bool) {
	f, ok := fault.As(err)
	if !ok || f.Words == nil || !slices.Contains(codes, f.Code) {
		return nil, false
	}
	return f, true
}

// errOtherSheet refuses a scoresheet in another member's name.
var errOtherSheet = ocopRefusal(ocop.Message{
	VI: "mỗi thành viên hội đồng chỉ nhập, sửa phiếu chấm của chính mình; tên thành viên lấy theo tài khoản đăng nhập",
	EN: "a council member enters and changes their own scoresheet only; the member is the signed-in user"})

// communeOn checks that code names a commune on day, for registering producers and products.
func (s *Server) communeOn(r *http.Request, code string, day units.Date) error {
	return app.OCOPCommune(r.Context(), s.db, code, day)
}

// ---------------------------------------------------------------------------------------
// Rules

// GET /api/v1/ocop/rules
func (s *Server) ocopRulesAPI(w http.ResponseWriter, r *http.Request, u *auth.User) {
	rules := ocopRules()
	writeJSON(w, http.StatusOK, map[string]any{"validity": rules.Validity, "versions": rules.Versions, "levels": rules.Levels,
		"taxonomy": rules.Taxonomy, "producer_kinds": ocop.ProducerKinds})
}

// GET /api/v1/ocop/import-template
func (s *Server) ocopTemplate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	b, err := ocop.Template()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="ocop-san-pham.xlsx"`)
	w.Write(b)
}

// ---------------------------------------------------------------------------------------
// Producers

type producerBody struct {
	Name           *string `json:"name"`
	Kind           *string `json:"kind"`
	RegistrationNo *string `json:"registration_no"`
	Address        *string `json:"address"`
	Unit           *string `json:"unit"`
	AsOf           string  `json:"as_of"`
	Version        int     `json:"version"`
}

func (b producerBody) apply(p *ocop.Producer) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&p.Name, b.Name)
	set(&p.RegistrationNo, b.RegistrationNo)
	set(&p.Address, b.Address)
	set(&p.UnitCode, b.Unit)
	if b.Kind != nil {
		p.Kind = ocop.ProducerKind(strings.TrimSpace(*b.Kind))
	}
	p.Version = b.Version
}

// GET /api/v1/ocop/producers?unit=&as_of=&q=
func (s *Server) listOCOPProducers(w http.ResponseWriter, r *http.Request, u *auth.User) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.db.OCOPProducers(r.Context(), store.OCOPQuery{Root: root, Day: day, Text: r.URL.Query().Get("q")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": root, "as_of": day, "producers": list, "count": len(list)})
}

// POST /api/v1/ocop/producers
func (s *Server) createOCOPProducer(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var b producerBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	day, err := dayParam("as_of", b.AsOf, units.Today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var p ocop.Producer
	b.apply(&p)
	p, err = app.RegisterOCOPProducer(r.Context(), s.db, u, p, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/ocop/producers/%d", p.ID))
	writeJSON(w, http.StatusCreated, p)
}

// ocopProducer loads the producer of the path and checks that u may take action on its commune.
func (s *Server) ocopProducer(r *http.Request, u *auth.User, action auth.Action) (ocop.Producer, error) {
	id, err := pathID(r)
	if err != nil {
		return ocop.Producer{}, err
	}
	p, err := s.db.OCOPProducer(r.Context(), id)
	if err != nil {
		return p, err
	}
	if err := s.allow(r, u, action, p.UnitCode, p.UnitFrom); err != nil {
		return ocop.Producer{}, err
	}
	return p, nil
}

// GET /api/v1/ocop/producers/{id}
func (s *Server) getOCOPProducer(w http.ResponseWriter, r *http.Request, u *auth.User) {
	p, err := s.ocopProducer(r, u, auth.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// PATCH /api/v1/ocop/producers/{id}
func (s *Server) updateOCOPProducer(w http.ResponseWriter, r *http.Request, u *auth.User) {
	p, err := s.ocopProducer(r, u, auth.Enter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b producerBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	day, err := dayParam("as_of", b.AsOf, units.Today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	oldUnit := p.UnitCode
	b.apply(&p)
	if err := p.Check(); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.UnitCode != oldUnit {
		if err := s.allow(r, u, auth.Enter, p.UnitCode, day); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.communeOn(r, p.UnitCode, day); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p, err = s.db.UpdateOCOPProducer(r.Context(), u.Username, p, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// DELETE /api/v1/ocop/producers/{id}
func (s *Server) deleteOCOPProducer(w http.ResponseWriter, r *http.Request, u *auth.User) {
	p, err := s.ocopProducer(r, u, auth.Enter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.db.DeleteOCOPProducer(r.Context(), u.Username, p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ---------------------------------------------------------------------------------------
// Products

type productBody struct {
	Name        *string `json:"name"`
	ProducerID  *int64  `json:"producer_id"`
	Unit        *string `json:"unit"`
	ProductSet  *string `json:"product_set"`
	Description *string `json:"description"`
	AsOf        string  `json:"as_of"`
	Version     int     `json:"version"`
}

func (b productBody) apply(p *ocop.Product) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&p.Name, b.Name)
	set(&p.UnitCode, b.Unit)
	set(&p.ProductSet, b.ProductSet)
	set(&p.Description, b.Description)
	if b.ProducerID != nil {
		p.ProducerID = *b.ProducerID
	}
	p.Version = b.Version
}

// productFilter reads the list filters of a request.
func productFilter(q map[string][]string) (ocop.Filter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	f := ocop.Filter{Group: get("group"), SubGroup: get("subgroup"), Set: get("set"), Status: ocop.CertStatus(get("status")), Text: get("q")}
	if v := get("stars"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5 {
			return f, badField("stars", "stars là số sao từ 1 đến 5 (stars must be 1 to 5)")
		}
		f.Stars = n
	}
	if f.Status != "" && f.Status != ocop.NotCertified && f.Status.Label().EN == "not certified" {
		return f, badField("status", "status: valid, expiring, expired, revoked, replaced hoặc none")
	}
	return f, nil
}

// GET /api/v1/ocop/products?unit=&as_of=&group=&subgroup=&set=&stars=&status=&q=&limit=
func (s *Server) listOCOPProducts(w http.ResponseWriter, r *http.Request, u *auth.User) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := productFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit := 1000
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			s.fail(w, r, badField("limit", "limit must be a positive whole number"))
			return
		}
	}
	products, err := s.db.OCOPProducts(r.Context(), store.OCOPQuery{Root: root, Day: day})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list := ocopRules().List(products, day, f)
	total := len(list)
	if len(list) > limit {
		list = list[:limit]
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": root, "as_of": day, "products": list, "count": len(list), "total": total})
}

// POST /api/v1/ocop/products
func (s *Server) createOCOPProduct(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var b productBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	day, err := dayParam("as_of", b.AsOf, units.Today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var p ocop.Product
	b.apply(&p)
	p, err = app.RegisterOCOPProduct(r.Context(), s.db, u, p, day, ocopRules())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/ocop/products/%d", p.ID))
	writeJSON(w, http.StatusCreated, p)
}

// ocopProductAt loads product id with its history and checks that u may take action on its
// commune.
func (s *Server) ocopProductAt(r *http.Request, u *auth.User, id int64, action auth.Action) (ocop.Product, error) {
	p, err := s.db.OCOPProduct(r.Context(), id)
	if err != nil {
		return p, err
	}
	// A product out of reach is refused even for reads, so that ids cannot be probed.
	if err := s.allow(r, u, action, p.UnitCode, p.UnitFrom); err != nil {
		return ocop.Product{}, err
	}
	return p, nil
}

func (s *Server) ocopProduct(r *http.Request, u *auth.User, action auth.Action) (ocop.Product, error) {
	id, err := pathID(r)
	if err != nil {
		return ocop.Product{}, err
	}
	return s.ocopProductAt(r, u, id, action)
}

// productView is a product with its history and standing on a day.
type productView struct {
	ocop.Product
	Standing ocop.Standing `json:"standing"`
	AsOf     units.Date    `json:"as_of"`
}

func viewProduct(p ocop.Product, day units.Date) productView {
	rules := ocopRules()
	for i, c := range p.Certificates {
		p.Certificates[i] = rules.WithStatus(c, day)
	}
	for i := range p.Evaluations {
		withOutcome(&p.Evaluations[i])
	}
	return productView{Product: p, Standing: rules.StandingOf(p.Certificates, day), AsOf: day}
}

// withOutcome fills the provisional outcome of an open evaluation.
func withOutcome(e *ocop.Evaluation) {
	if e.Status == ocop.EvalOpen {
		if o, err := ocopRules().Evaluate(e); err == nil {
			e.Outcome, e.Provisional = o, true
		}
	}
}

// GET /api/v1/ocop/products/{id}?as_of=
func (s *Server) getOCOPProduct(w http.ResponseWriter, r *http.Request, u *auth.User) {
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.ocopProduct(r, u, auth.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewProduct(p, day))
}

// PATCH /api/v1/ocop/products/{id}
func (s *Server) updateOCOPProduct(w http.ResponseWriter, r *http.Request, u *auth.User) {
	p, err := s.ocopProduct(r, u, auth.Enter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b productBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	day, err := dayParam("as_of", b.AsOf, units.Today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	oldUnit, oldProducer := p.UnitCode, p.ProducerID
	b.apply(&p)
	if err := p.Check(ocopRules().Taxonomy); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.ProducerID != oldProducer {
		pr, err := s.db.OCOPProducer(r.Context(), p.ProducerID)
		if err == nil {
			err = s.allow(r, u, auth.Read, pr.UnitCode, pr.UnitFrom)
		}
		if err != nil {
			s.fail(w, r, app.NoOCOPProducer(p.ProducerID))
			return
		}
	}
	if p.UnitCode != oldUnit {
		if err := s.allow(r, u, auth.Enter, p.UnitCode, day); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.communeOn(r, p.UnitCode, day); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Certificates, p.Evaluations = nil, nil
	p, err = s.db.UpdateOCOPProduct(r.Context(), u.Username, p, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// DELETE /api/v1/ocop/products/{id}
func (s *Server) deleteOCOPProduct(w http.ResponseWriter, r *http.Request, u *auth.User) {
	p, err := s.ocopProduct(r, u, auth.Enter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.db.DeleteOCOPProduct(r.Context(), u.Username, p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ---------------------------------------------------------------------------------------
// Photos

// POST /api/v1/ocop/products/{id}/photos?name= — the image is the raw body.
func (s *Server) addOCOPPhoto(w http.ResponseWriter, r *http.Request, u *auth.User) {
	p, err := s.ocopProduct(r, u, auth.Enter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, ocop.MaxPhotoBytes+1))
	if err != nil || len(data) > ocop.MaxPhotoBytes {
		s.fail(w, r, ocop.FieldFault("body", "ảnh quá lớn: tối đa 2 MB; hãy thu nhỏ ảnh", "the photo is too large: 2 MB at most; make it smaller"))
		return
	}
	ph, err := s.storePhoto(r, u, p.ID, r.URL.Query().Get("name"), data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/ocop/photos/%d", ph.ID))
	writeJSON(w, http.StatusCreated, ph)
}

// storePhoto checks that data is a picture of an accepted format (by its content, not by
// what the client says) and keeps it.
func (s *Server) storePhoto(r *http.Request, u *auth.User, productID int64, name string, data []byte) (ocop.Photo, error) {
	ct := http.DetectContentType(data)
	ok := false
	for _, t := range ocop.PhotoTypes {
		ok = ok || ct == t
	}
	if len(data) == 0 || !ok {
		return ocop.Photo{}, ocop.FieldFault("body", "tệp không phải ảnh JPEG, PNG hoặc WebP", "the file is not a JPEG, PNG or WebP picture")
	}
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "anh"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return s.db.AddOCOPPhoto(r.Context(), u.Username, productID, name, ct, data)
}

// GET /api/v1/ocop/photos/{id}
func (s *Server) getOCOPPhoto(w http.ResponseWriter, r *http.Request, u *auth.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ph, productID, data, err := s.db.OCOPPhoto(r.Context(), id)
	if err == nil {
		_, err = s.ocopProductAt(r, u, productID, auth.Read)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ph.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": ph.Name}))
	w.Write(data)
}

// DELETE /api/v1/ocop/photos/{id}
func (s *Server) deleteOCOPPhoto(w http.ResponseWriter, r *http.Request, u *auth.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, productID, _, err := s.db.OCOPPhoto(r.Context(), id)
	if err == nil {
		_, err = s.ocopProductAt(r, u, productID, auth.Enter)
	}
	if err == nil {
		err = s.db.DeleteOCOPPhoto(r.Context(), u.Username, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ---------------------------------------------------------------------------------------
// Evaluations

type evaluationBody struct {
	Date       *string   `json:"date"`
	Level      *string   `json:"level"`
	Council    *string   `json:"council"`
	CouncilID  *int64    `json:"council_id"`
	Rules      *string   `json:"rules"`
	Conditions *[]string `json:"conditions"`
	Version    int       `json:"version"`
}

func (b evaluationBody) apply(e *ocop.Evaluation) {
	if b.Date != nil {
		e.Date = units.Date(strings.TrimSpace(*b.Date))
	}
	if b.Level != nil {
		e.Level = ocop.Level(strings.TrimSpace(*b.Level))
	}
	if b.Council != nil {
		e.Council = *b.Council
	}
	if b.CouncilID != nil {
		e.CouncilID = *b.CouncilID
	}
	if b.Rules != nil {
		e.Rules = strings.TrimSpace(*b.Rules)
	}
	if b.Conditions != nil {
		e.Conditions = *b.Conditions
	}
	e.Version = b.Version
}

// POST /api/v1/ocop/products/{id}/evaluations
func (s *Server) openOCOPEvaluation(w http.ResponseWriter, r *http.Request, u *auth.User) {
	p, err := s.ocopProduct(r, u, auth.OCOPScore)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b evaluationBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	e := ocop.Evaluation{ProductID: p.ID, ProductSet: p.ProductSet, Date: units.Today()}
	b.apply(&e)
	e, err = s.openEvaluation(r, u, e)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/ocop/evaluations/%d", e.ID))
	writeJSON(w, http.StatusCreated, e)
}

// openEvaluation checks and opens an evaluation (the caller has checked the right on its
// product), with its provisional outcome.
func (s *Server) openEvaluation(r *http.Request, u *auth.User, e ocop.Evaluation) (ocop.Evaluation, error) {
	if err := ocopRules().CheckEvaluation(&e); err != nil {
		return e, err
	}
	// The council: the one named, else the one that sits that day for the product's unit.
	if e.CouncilID == 0 {
		p, err := s.db.OCOPProduct(r.Context(), e.ProductID)
		if err != nil {
			return e, err
		}
		c, err := s.db.OCOPCouncilFor(r.Context(), p, e.Date)
		if errors.Is(err, store.ErrNotFound) {
			return e, ocop.FieldFault("council_id", fmt.Sprintf("không có hội đồng OCOP nào làm việc ngày %s cho đơn vị %s; hãy lập hội đồng (ntm ocop councils add) hoặc chọn council_id", e.Date, p.UnitCode),
				fmt.Sprintf("no OCOP council sits on %s for unit %s; set one up or give council_id", e.Date, p.UnitCode))
		}
		if err != nil {
			return e, err
		}
		e.CouncilID = c.ID
	}
	e, err := s.db.OpenOCOPEvaluation(r.Context(), u.Username, e)
	if err != nil {
		return e, err
	}
	withOutcome(&e)
	return e, nil
}

// ocopEvaluation loads the evaluation of the path and checks that u may take action on its
// product's commune.
func (s *Server) ocopEvaluation(r *http.Request, u *auth.User, action auth.Action) (ocop.Evaluation, error) {
	id, err := pathID(r)
	if err != nil {
		return ocop.Evaluation{}, err
	}
	return s.ocopEvaluationAt(r, u, id, action)
}

func (s *Server) ocopEvaluationAt(r *http.Request, u *auth.User, id int64, action auth.Action) (ocop.Evaluation, error) {
	e, err := s.db.OCOPEvaluation(r.Context(), id)
	if err != nil {
		return e, err
	}
	if err := s.allow(r, u, action, e.UnitCode, e.UnitFrom); err != nil {
		return ocop.Evaluation{}, err
	}
	return e, nil
}

// GET /api/v1/ocop/evaluations/{id}
func (s *Server) getOCOPEvaluation(w http.ResponseWriter, r *http.Request, u *auth.User) {
	e, err := s.ocopEvaluation(r, u, auth.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	withOutcome(&e)
	writeJSON(w, http.StatusOK, e)
}

// PATCH /api/v1/ocop/evaluations/{id}
func (s *Server) updateOCOPEvaluation(w http.ResponseWriter, r *http.Request, u *auth.User) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b evaluationBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	if b.Date != nil && b.Rules == nil {
		e.Rules = "" // the rules of the new date
	}
	b.apply(&e)
	if err := ocopRules().CheckEvaluation(&e); err != nil {
		s.fail(w, r, err)
		return
	}
	// Sheets already entered must fit the parts of the (possibly new) rule version.
	if _, err := ocopRules().Evaluate(&e); err != nil {
		s.fail(w, r, err)
		return
	}
	if e, err = s.db.UpdateOCOPEvaluation(r.Context(), u.Username, e); err != nil {
		s.fail(w, r, err)
		return
	}
	withOutcome(&e)
	writeJSON(w, http.StatusOK, e)
}

// sheetBody is a scoresheet as sent; the parts are required.
type sheetBody struct {
	Member     string   `json:"member"`
	MemberName string   `json:"member_name"`
	A          *float64 `json:"a"`
	B          *float64 `json:"b"`
	C          *float64 `json:"c"`
	Note       string   `json:"note"`
}

// ocopSheet makes the scoresheet u enters: always their own, under their user name and the
// name of their account (a member named in the body must be u); the store checks that u
// sits on the evaluation's council.
func ocopSheet(u *auth.User, b sheetBody) (ocop.Sheet, error) {
	s := ocop.Sheet{Member: u.Username, MemberName: u.Name, Note: b.Note}
	if m := strings.TrimSpace(b.Member); m != "" && m != u.Username || strings.TrimSpace(b.MemberName) != "" && strings.TrimSpace(b.MemberName) != u.Name {
		return s, errOtherSheet
	}
	if s.MemberName == "" {
		s.MemberName = u.Username
	}
	for _, p := range []struct {
		id string
		v  *float64
		to *float64
	}{{"a", b.A, &s.A}, {"b", b.B, &s.B}, {"c", b.C, &s.C}} {
		if p.v == nil {
			return s, ocop.FieldFault(p.id, "thiếu điểm Phần "+strings.ToUpper(p.id), "the points of part "+strings.ToUpper(p.id)+" are missing")
		}
		*p.to = *p.v
	}
	return s, nil
}

// POST /api/v1/ocop/evaluations/{id}/scoresheets
func (s *Server) putOCOPSheet(w http.ResponseWriter, r *http.Request, u *auth.User) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b sheetBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	sheet, err := ocopSheet(u, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !(ocop.Council{Members: e.Members}).Member(u.Username) {
		n := ocop.NotMemberError(e.Council)
		s.fail(w, r, ocopRefusal(ocop.Message{VI: n.Words.VI, EN: n.Words.EN}))
		return
	}
	if e, err = s.db.PutOCOPSheet(r.Context(), u.Username, e.ID, sheet, ocopRules()); err != nil {
		s.fail(w, r, err)
		return
	}
	withOutcome(&e)
	writeJSON(w, http.StatusOK, e)
}

// DELETE /api/v1/ocop/evaluations/{id}/scoresheets/{member}
func (s *Server) deleteOCOPSheet(w http.ResponseWriter, r *http.Request, u *auth.User) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	member := r.PathValue("member")
	if u.Role == auth.RoleOCOPCouncil && member != u.Username {
		s.fail(w, r, errOtherSheet)
		return
	}
	if e, err = s.db.DeleteOCOPSheet(r.Context(), u.Username, e.ID, member); err != nil {
		s.fail(w, r, err)
		return
	}
	withOutcome(&e)
	writeJSON(w, http.StatusOK, e)
}

// POST /api/v1/ocop/evaluations/{id}/close
func (s *Server) closeOCOPEvaluation(w http.ResponseWriter, r *http.Request, u *auth.User) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b struct {
		Version int `json:"version"`
	}
	if r.ContentLength != 0 {
		if err := readBody(w, r, &b); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if e, err = s.db.CloseOCOPEvaluation(r.Context(), u.Username, e.ID, b.Version, ocopRules()); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// ---------------------------------------------------------------------------------------
// Certificates

type certificateBody struct {
	Decision string `json:"decision"`
	Date     string `json:"date"`
	Issuer   string `json:"issuer"`
}

// POST /api/v1/ocop/evaluations/{id}/certificate
func (s *Server) issueOCOPCertificate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b certificateBody
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := app.IssueOCOPCertificate(r.Context(), s.db, u, id,
		ocop.Certificate{Decision: b.Decision, Date: units.Date(strings.TrimSpace(b.Date)), Issuer: b.Issuer}, ocopRules())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/ocop/certificates/%d", c.ID))
	writeJSON(w, http.StatusCreated, ocopRules().WithStatus(c, units.Today()))
}

// ocopCertificate loads the certificate of the path and checks the right on its commune.
func (s *Server) ocopCertificate(r *http.Request, u *auth.User, action auth.Action) (ocop.Certificate, error) {
	id, err := pathID(r)
	if err != nil {
		return ocop.Certificate{}, err
	}
	c, err := s.db.OCOPCertificate(r.Context(), id)
	if err != nil {
		return c, err
	}
	if err := s.allow(r, u, action, c.UnitCode, c.UnitFrom); err != nil {
		return ocop.Certificate{}, err
	}
	return c, nil
}

// GET /api/v1/ocop/certificates/{id}?as_of=
func (s *Server) getOCOPCertificate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.ocopCertificate(r, u, auth.Read)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ocopRules().WithStatus(c, day))
}

// POST /api/v1/ocop/certificates/{id}/revoke {date?, reason}
func (s *Server) revokeOCOPCertificate(w http.ResponseWriter, r *http.Request, u *auth.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b struct {
		Date   string `json:"date"`
		Reason string `json:"reason"`
	}
	if err := readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	day, err := dayParam("date", b.Date, units.Today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := app.RevokeOCOPCertificate(r.Context(), s.db, u, id, day, b.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ocopRules().WithStatus(c, day))
}

// ---------------------------------------------------------------------------------------
// Lists and figures

// GET /api/v1/ocop/expiring?unit=&as_of=
func (s *Server) ocopExpiring(w http.ResponseWriter, r *http.Request, u *auth.User) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	products, err := s.db.OCOPProducts(r.Context(), store.OCOPQuery{Root: root, Day: day})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list := ocopRules().Expiring(products, day)
	writeJSON(w, http.StatusOK, map[string]any{"unit": root, "as_of": day, "notice_days": ocopRules().Validity.NoticeDays,
		"products": list, "count": len(list)})
}

// GET /api/v1/ocop/figures?unit=&as_of=&from=
func (s *Server) ocopFigures(w http.ResponseWriter, r *http.Request, u *auth.User) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	from, err := dayParam("from", r.URL.Query().Get("from"), "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if from > day {
		s.fail(w, r, badField("from", "from phải trước as_of (from must not be after as_of)"))
		return
	}
	f, err := app.OCOP(r.Context(), s.db, root, day, from)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// ---------------------------------------------------------------------------------------
// Import

// maxImportBytes caps an imported workbook.
const maxImportBytes = 20 << 20

// POST /api/v1/ocop/import?as_of=&filename= — the workbook as the multipart field "file" or
// the raw body.
func (s *Server) importOCOP(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if err := mayImportAny(u, auth.ManageRecognition); err != nil {
		s.fail(w, r, err)
		return
	}
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := r.URL.Query().Get("filename")
	var data []byte
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		f, h, err := r.FormFile("file")
		if err != nil {
			s.fail(w, r, badField("file", "cần tệp XLSX trong trường file (the XLSX file goes in the field file)"))
			return
		}
		defer f.Close()
		if name == "" {
			name = h.Filename
		}
		data, err = io.ReadAll(f)
		if err != nil {
			s.fail(w, r, badField("file", "không đọc được tệp (cannot read the file): "+err.Error()))
			return
		}
	} else if data, err = io.ReadAll(r.Body); err != nil {
		s.fail(w, r, badField("body", "tệp quá lớn (tối đa 20 MB) hoặc không đọc được (the file is too large, 20 MB at most, or unreadable)"))
		return
	}
	if name == "" {
		name = "ocop.xlsx"
	}
	name = path.Base(name)
	st, err := s.importOCOPData(r, u, name, data, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// importOCOPData reads, checks the right on every row's commune, and stores a product list.
func (s *Server) importOCOPData(r *http.Request, u *auth.User, name string, data []byte, day units.Date) (store.OCOPImportStats, error) {
	rules := ocopRules()
	rows, err := rules.ReadImport(name, bytes.NewReader(data), units.Today())
	if err != nil {
		return store.OCOPImportStats{}, err
	}
	allowed := map[string]bool{}
	var refused []string
	for _, row := range rows {
		ok, seen := allowed[row.UnitCode]
		if !seen {
			ok = s.allow(r, u, auth.ManageRecognition, row.UnitCode, day) == nil
			allowed[row.UnitCode] = ok
		}
		if !ok {
			refused = append(refused, fmt.Sprintf("%d (%s)", row.Row, row.UnitCode))
		}
	}
	if len(refused) > 0 {
		if len(refused) > 10 {
			refused = append(refused[:10], "…")
		}
		rows := strings.Join(refused, ", ")
		return store.OCOPImportStats{}, ocopRefusal(ocop.Message{
			VI: "không có quyền công nhận sản phẩm OCOP tại xã của các dòng " + rows + "; không nhập gì",
			EN: "you may not record OCOP recognitions in the communes of rows " + rows + "; nothing imported"})
	}
	return s.db.ImportOCOP(r.Context(), u.Username, name, rows, day, rules)
}
