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
func (s *Server) ocopRulesAPI(r *http.Request, u *auth.User) (any, error) {
	rules := ocopRules()
	return map[string]any{"validity": rules.Validity, "versions": rules.Versions, "levels": rules.Levels,
		"taxonomy": rules.Taxonomy, "producer_kinds": ocop.ProducerKinds}, nil
}

// GET /api/v1/ocop/import-template
func (s *Server) ocopTemplate(r *http.Request, u *auth.User) (any, error) {
	b, err := ocop.Template()
	return download{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `attachment; filename="ocop-san-pham.xlsx"`, b}, err
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

// setTrimmed sets *dst to the text of a patch's field, trimmed, when the patch has the field.
func setTrimmed(dst *string, src *string) {
	if src != nil {
		*dst = strings.TrimSpace(*src)
	}
}

func (b producerBody) apply(p *ocop.Producer) {
	setTrimmed(&p.Name, b.Name)
	setTrimmed(&p.RegistrationNo, b.RegistrationNo)
	setTrimmed(&p.Address, b.Address)
	setTrimmed(&p.UnitCode, b.Unit)
	if b.Kind != nil {
		p.Kind = ocop.ProducerKind(strings.TrimSpace(*b.Kind))
	}
	p.Version = b.Version
}

// GET /api/v1/ocop/producers?unit=&as_of=&q=
func (s *Server) listOCOPProducers(r *http.Request, u *auth.User) (any, error) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		return nil, err
	}
	list, err := s.db.OCOPProducers(r.Context(), store.OCOPQuery{Root: root, Day: day, Text: r.URL.Query().Get("q")})
	return map[string]any{"unit": root, "as_of": day, "producers": list, "count": len(list)}, err
}

// POST /api/v1/ocop/producers
func (s *Server) createOCOPProducer(r *http.Request, u *auth.User) (any, error) {
	var p ocop.Producer
	day, err := readPatch(r, &producerBody{}, &p)
	if err != nil {
		return nil, err
	}
	p, err = app.RegisterOCOPProducer(r.Context(), s.db, u, p, day)
	return located{fmt.Sprintf("/api/v1/ocop/producers/%d", p.ID), p}, err
}

// ocopProducer loads the producer of the path and checks that u may take action on its commune.
func (s *Server) ocopProducer(r *http.Request, u *auth.User, action auth.Action) (ocop.Producer, error) {
	return atPath(r, func(id int64) (ocop.Producer, error) {
		return loadAllowed(s, r, u, action, id, s.db.OCOPProducer, func(p ocop.Producer) (string, units.Date) { return p.UnitCode, p.UnitFrom })
	})
}

// GET /api/v1/ocop/producers/{id}
func (s *Server) getOCOPProducer(r *http.Request, u *auth.User) (any, error) {
	return s.ocopProducer(r, u, auth.Read)
}

// PATCH /api/v1/ocop/producers/{id}
func (s *Server) updateOCOPProducer(r *http.Request, u *auth.User) (any, error) {
	p, err := s.ocopProducer(r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	oldUnit := p.UnitCode
	day, err := readPatch(r, &producerBody{}, &p)
	if err == nil {
		err = p.Check()
	}
	if err == nil {
		err = s.moveToCommune(r, u, oldUnit, p.UnitCode, day)
	}
	if err != nil {
		return nil, err
	}
	return s.db.UpdateOCOPProducer(r.Context(), u.Username, p, day)
}

// DELETE /api/v1/ocop/producers/{id}
func (s *Server) deleteOCOPProducer(r *http.Request, u *auth.User) (any, error) {
	p, err := s.ocopProducer(r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	return nil, s.db.DeleteOCOPProducer(r.Context(), u.Username, p.ID)
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
	setTrimmed(&p.Name, b.Name)
	setTrimmed(&p.UnitCode, b.Unit)
	setTrimmed(&p.ProductSet, b.ProductSet)
	setTrimmed(&p.Description, b.Description)
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
func (s *Server) listOCOPProducts(r *http.Request, u *auth.User) (any, error) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		return nil, err
	}
	f, err := productFilter(r.URL.Query())
	if err != nil {
		return nil, err
	}
	limit := 1000
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return nil, badField("limit", "limit must be a positive whole number")
		}
	}
	products, err := s.db.OCOPProducts(r.Context(), store.OCOPQuery{Root: root, Day: day})
	if err != nil {
		return nil, err
	}
	list := ocopRules().List(products, day, f)
	total := len(list)
	if len(list) > limit {
		list = list[:limit]
	}
	return map[string]any{"unit": root, "as_of": day, "products": list, "count": len(list), "total": total}, nil
}

// POST /api/v1/ocop/products
func (s *Server) createOCOPProduct(r *http.Request, u *auth.User) (any, error) {
	var p ocop.Product
	day, err := readPatch(r, &productBody{}, &p)
	if err != nil {
		return nil, err
	}
	p, err = app.RegisterOCOPProduct(r.Context(), s.db, u, p, day, ocopRules())
	return located{fmt.Sprintf("/api/v1/ocop/products/%d", p.ID), p}, err
}

// ocopProductAt loads product id with its history and checks that u may take action on its
// commune.
func (s *Server) ocopProductAt(r *http.Request, u *auth.User, id int64, action auth.Action) (ocop.Product, error) {
	// A product out of reach is refused even for reads, so that ids cannot be probed.
	return loadAllowed(s, r, u, action, id, s.db.OCOPProduct, func(p ocop.Product) (string, units.Date) { return p.UnitCode, p.UnitFrom })
}

func (s *Server) ocopProduct(r *http.Request, u *auth.User, action auth.Action) (ocop.Product, error) {
	return atPath(r, func(id int64) (ocop.Product, error) { return s.ocopProductAt(r, u, id, action) })
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
func (s *Server) getOCOPProduct(r *http.Request, u *auth.User) (any, error) {
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	p, err := s.ocopProduct(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	return viewProduct(p, day), nil
}

// PATCH /api/v1/ocop/products/{id}
func (s *Server) updateOCOPProduct(r *http.Request, u *auth.User) (any, error) {
	p, err := s.ocopProduct(r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	oldUnit, oldProducer := p.UnitCode, p.ProducerID
	day, err := readPatch(r, &productBody{}, &p)
	if err == nil {
		err = p.Check(ocopRules().Taxonomy)
	}
	if err != nil {
		return nil, err
	}
	if p.ProducerID != oldProducer {
		pr, err := s.db.OCOPProducer(r.Context(), p.ProducerID)
		if err == nil {
			err = s.allow(r, u, auth.Read, pr.UnitCode, pr.UnitFrom)
		}
		if err != nil {
			return nil, app.NoOCOPProducer(p.ProducerID)
		}
	}
	if err := s.moveToCommune(r, u, oldUnit, p.UnitCode, day); err != nil {
		return nil, err
	}
	p.Certificates, p.Evaluations = nil, nil
	return s.db.UpdateOCOPProduct(r.Context(), u.Username, p, day)
}

// DELETE /api/v1/ocop/products/{id}
func (s *Server) deleteOCOPProduct(r *http.Request, u *auth.User) (any, error) {
	p, err := s.ocopProduct(r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	return nil, s.db.DeleteOCOPProduct(r.Context(), u.Username, p.ID)
}

// ---------------------------------------------------------------------------------------
// Photos

// POST /api/v1/ocop/products/{id}/photos?name= — the image is the raw body.
func (s *Server) addOCOPPhoto(r *http.Request, u *auth.User) (any, error) {
	p, err := s.ocopProduct(r, u, auth.Enter)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(http.MaxBytesReader(writerOf(r), r.Body, ocop.MaxPhotoBytes+1))
	if err != nil || len(data) > ocop.MaxPhotoBytes {
		return nil, ocop.FieldFault("body", "ảnh quá lớn: tối đa 2 MB; hãy thu nhỏ ảnh", "the photo is too large: 2 MB at most; make it smaller")
	}
	ph, err := s.storePhoto(r, u, p.ID, r.URL.Query().Get("name"), data)
	return located{fmt.Sprintf("/api/v1/ocop/photos/%d", ph.ID), ph}, err
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
func (s *Server) getOCOPPhoto(r *http.Request, u *auth.User) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ph, productID, data, err := s.db.OCOPPhoto(r.Context(), id)
	if err == nil {
		_, err = s.ocopProductAt(r, u, productID, auth.Read)
	}
	return photo{ph, data}, err
}

// DELETE /api/v1/ocop/photos/{id}
func (s *Server) deleteOCOPPhoto(r *http.Request, u *auth.User) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	_, productID, _, err := s.db.OCOPPhoto(r.Context(), id)
	if err == nil {
		_, err = s.ocopProductAt(r, u, productID, auth.Enter)
	}
	if err != nil {
		return nil, err
	}
	return nil, s.db.DeleteOCOPPhoto(r.Context(), u.Username, id)
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
func (s *Server) openOCOPEvaluation(r *http.Request, u *auth.User) (any, error) {
	p, err := s.ocopProduct(r, u, auth.OCOPScore)
	if err != nil {
		return nil, err
	}
	var b evaluationBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	e := ocop.Evaluation{ProductID: p.ID, ProductSet: p.ProductSet, Date: units.Today()}
	b.apply(&e)
	e, err = s.openEvaluation(r, u, e)
	return located{fmt.Sprintf("/api/v1/ocop/evaluations/%d", e.ID), e}, err
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
	return atPath(r, func(id int64) (ocop.Evaluation, error) { return s.ocopEvaluationAt(r, u, id, action) })
}

func (s *Server) ocopEvaluationAt(r *http.Request, u *auth.User, id int64, action auth.Action) (ocop.Evaluation, error) {
	return loadAllowed(s, r, u, action, id, s.db.OCOPEvaluation, func(e ocop.Evaluation) (string, units.Date) { return e.UnitCode, e.UnitFrom })
}

// GET /api/v1/ocop/evaluations/{id}
func (s *Server) getOCOPEvaluation(r *http.Request, u *auth.User) (any, error) {
	e, err := s.ocopEvaluation(r, u, auth.Read)
	return outcome(e, err)
}

// PATCH /api/v1/ocop/evaluations/{id}
func (s *Server) updateOCOPEvaluation(r *http.Request, u *auth.User) (any, error) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		return nil, err
	}
	var b evaluationBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	if b.Date != nil && b.Rules == nil {
		e.Rules = "" // the rules of the new date
	}
	b.apply(&e)
	if err := ocopRules().CheckEvaluation(&e); err != nil {
		return nil, err
	}
	// Sheets already entered must fit the parts of the (possibly new) rule version.
	if _, err := ocopRules().Evaluate(&e); err != nil {
		return nil, err
	}
	return outcome(s.db.UpdateOCOPEvaluation(r.Context(), u.Username, e))
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
func (s *Server) putOCOPSheet(r *http.Request, u *auth.User) (any, error) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		return nil, err
	}
	var b sheetBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	sheet, err := ocopSheet(u, b)
	if err != nil {
		return nil, err
	}
	if !(ocop.Council{Members: e.Members}).Member(u.Username) {
		n := ocop.NotMemberError(e.Council)
		return nil, ocopRefusal(ocop.Message{VI: n.Words.VI, EN: n.Words.EN})
	}
	return outcome(s.db.PutOCOPSheet(r.Context(), u.Username, e.ID, sheet, ocopRules()))
}

// DELETE /api/v1/ocop/evaluations/{id}/scoresheets/{member}
func (s *Server) deleteOCOPSheet(r *http.Request, u *auth.User) (any, error) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		return nil, err
	}
	member := r.PathValue("member")
	if u.Role == auth.RoleOCOPCouncil && member != u.Username {
		return nil, errOtherSheet
	}
	return outcome(s.db.DeleteOCOPSheet(r.Context(), u.Username, e.ID, member))
}

// POST /api/v1/ocop/evaluations/{id}/close
func (s *Server) closeOCOPEvaluation(r *http.Request, u *auth.User) (any, error) {
	e, err := s.ocopEvaluation(r, u, auth.OCOPScore)
	if err != nil {
		return nil, err
	}
	var b struct {
		Version int `json:"version"`
	}
	if r.ContentLength != 0 {
		if err := readJSON(r, &b); err != nil {
			return nil, err
		}
	}
	return s.db.CloseOCOPEvaluation(r.Context(), u.Username, e.ID, b.Version, ocopRules())
}

// ---------------------------------------------------------------------------------------
// Certificates

type certificateBody struct {
	Decision string `json:"decision"`
	Date     string `json:"date"`
	Issuer   string `json:"issuer"`
}

// POST /api/v1/ocop/evaluations/{id}/certificate
func (s *Server) issueOCOPCertificate(r *http.Request, u *auth.User) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var b certificateBody
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	c, err := app.IssueOCOPCertificate(r.Context(), s.db, u, id,
		ocop.Certificate{Decision: b.Decision, Date: units.Date(strings.TrimSpace(b.Date)), Issuer: b.Issuer}, ocopRules())
	if err != nil {
		return nil, err
	}
	return located{fmt.Sprintf("/api/v1/ocop/certificates/%d", c.ID), ocopRules().WithStatus(c, units.Today())}, nil
}

// ocopCertificate loads the certificate of the path and checks the right on its commune.
func (s *Server) ocopCertificate(r *http.Request, u *auth.User, action auth.Action) (ocop.Certificate, error) {
	return atPath(r, func(id int64) (ocop.Certificate, error) {
		return loadAllowed(s, r, u, action, id, s.db.OCOPCertificate, func(c ocop.Certificate) (string, units.Date) { return c.UnitCode, c.UnitFrom })
	})
}

// GET /api/v1/ocop/certificates/{id}?as_of=
func (s *Server) getOCOPCertificate(r *http.Request, u *auth.User) (any, error) {
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	c, err := s.ocopCertificate(r, u, auth.Read)
	if err != nil {
		return nil, err
	}
	return ocopRules().WithStatus(c, day), nil
}

// POST /api/v1/ocop/certificates/{id}/revoke {date?, reason}
func (s *Server) revokeOCOPCertificate(r *http.Request, u *auth.User) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var b struct {
		Date   string `json:"date"`
		Reason string `json:"reason"`
	}
	if err := readJSON(r, &b); err != nil {
		return nil, err
	}
	day, err := dayParam("date", b.Date, units.Today())
	if err != nil {
		return nil, err
	}
	c, err := app.RevokeOCOPCertificate(r.Context(), s.db, u, id, day, b.Reason)
	if err != nil {
		return nil, err
	}
	return ocopRules().WithStatus(c, day), nil
}

// ---------------------------------------------------------------------------------------
// Lists and figures

// GET /api/v1/ocop/expiring?unit=&as_of=
func (s *Server) ocopExpiring(r *http.Request, u *auth.User) (any, error) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		return nil, err
	}
	products, err := s.db.OCOPProducts(r.Context(), store.OCOPQuery{Root: root, Day: day})
	if err != nil {
		return nil, err
	}
	list := ocopRules().Expiring(products, day)
	return map[string]any{"unit": root, "as_of": day, "notice_days": ocopRules().Validity.NoticeDays,
		"products": list, "count": len(list)}, nil
}

// GET /api/v1/ocop/figures?unit=&as_of=&from=
func (s *Server) ocopFigures(r *http.Request, u *auth.User) (any, error) {
	root, day, err := s.ocopRoot(r, u)
	if err != nil {
		return nil, err
	}
	from, err := dayParam("from", r.URL.Query().Get("from"), "")
	if err != nil {
		return nil, err
	}
	if from > day {
		return nil, badField("from", "from phải trước as_of (from must not be after as_of)")
	}
	return app.OCOP(r.Context(), s.db, root, day, from)
}

// ---------------------------------------------------------------------------------------
// Import

// maxImportBytes caps an imported workbook.
const maxImportBytes = 20 << 20

// POST /api/v1/ocop/import?as_of=&filename= — the workbook as the multipart field "file" or
// the raw body.
func (s *Server) importOCOP(r *http.Request, u *auth.User) (any, error) {
	if err := mayImportAny(u, auth.ManageRecognition); err != nil {
		return nil, err
	}
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("filename")
	var data []byte
	r.Body = http.MaxBytesReader(writerOf(r), r.Body, maxImportBytes)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		f, h, err := r.FormFile("file")
		if err != nil {
			return nil, badField("file", "cần tệp XLSX trong trường file (the XLSX file goes in the field file)")
		}
		defer f.Close()
		if name == "" {
			name = h.Filename
		}
		data, err = io.ReadAll(f)
		if err != nil {
			return nil, badField("file", "không đọc được tệp (cannot read the file): "+err.Error())
		}
	} else if data, err = io.ReadAll(r.Body); err != nil {
		return nil, badField("body", "tệp quá lớn (tối đa 20 MB) hoặc không đọc được (the file is too large, 20 MB at most, or unreadable)")
	}
	if name == "" {
		name = "ocop.xlsx"
	}
	return s.importOCOPData(r, u, path.Base(name), data, day)
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

// readPatch decodes a body that changes an entry (see producerBody) into v, and reads its
// as_of (default today).
func readPatch[T any](r *http.Request, b interface {
	apply(*T)
	day() string
}, v *T) (units.Date, error) {
	if err := readJSON(r, b); err != nil {
		return "", err
	}
	day, err := dayParam("as_of", b.day(), units.Today())
	if err != nil {
		return "", err
	}
	b.apply(v)
	return day, nil
}

func (b producerBody) day() string { return b.AsOf }
func (b productBody) day() string  { return b.AsOf }

// moveToCommune checks, when a change moves an entry from unit old to unit code, that u may
// enter in code and that code is a commune on day.
func (s *Server) moveToCommune(r *http.Request, u *auth.User, old, code string, day units.Date) error {
	if code == old {
		return nil
	}
	if err := s.allow(r, u, auth.Enter, code, day); err != nil {
		return err
	}
	return s.communeOn(r, code, day)
}

// outcome answers an evaluation with its provisional outcome while it is open.
func outcome(e ocop.Evaluation, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	withOutcome(&e)
	return e, nil
}

// photo answers a product photo inline.
type photo struct {
	ph   ocop.Photo
	data []byte
}

func (p photo) write(w http.ResponseWriter, r *http.Request, status int) {
	h := w.Header()
	h.Set("Content-Type", p.ph.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(p.data)))
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": p.ph.Name}))
	w.Write(p.data)
}
