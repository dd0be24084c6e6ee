package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// ---------------------------------------------------------------------------------------
// Rows of the access matrix

// ocopSeeds caches the product made for a unit and day by withOCOPProduct, per database.
var ocopSeeds sync.Map // "db|unit|day" → [2]int64{producer, product}

// withOCOPProduct makes sure a producer and a product exist at the unit as of the day
// (through the store, which takes any level of unit) and sets {producer} and {product}.
func withOCOPProduct(t *testing.T, m *matrix, unit string, day units.Date) {
	t.Helper()
	key := fmt.Sprintf("%p|%s|%s", m.db, unit, day)
	if v, ok := ocopSeeds.Load(key); ok {
		ids := v.([2]int64)
		if _, err := m.db.OCOPProduct(context.Background(), ids[1]); err == nil {
			m.vars["{producer}"], m.vars["{product}"] = strconv.FormatInt(ids[0], 10), strconv.FormatInt(ids[1], 10)
			return
		}
	}
	ctx := context.Background()
	pr, err := m.db.CreateOCOPProducer(ctx, "seed", ocop.Producer{Name: "Chủ thể " + key, Kind: ocop.Household, UnitCode: unit}, day)
	if err != nil {
		t.Fatalf("producer at %s on %s: %v", unit, day, err)
	}
	p, err := m.db.CreateOCOPProduct(ctx, "seed", ocop.Product{Name: "Sản phẩm", ProducerID: pr.ID, UnitCode: unit, ProductSet: "1.2.b"}, day)
	if err != nil {
		t.Fatal(err)
	}
	ocopSeeds.Store(key, [2]int64{pr.ID, p.ID})
	m.vars["{producer}"], m.vars["{product}"] = strconv.FormatInt(pr.ID, 10), strconv.FormatInt(p.ID, 10)
}

// ocopRegistrations numbers the producers the matrix registers, so that none is a duplicate.
var ocopRegistrations atomic.Int64

// withOCOPNumber sets {n}, a number of its own for each request.
func withOCOPNumber(t *testing.T, m *matrix, unit string, day units.Date) {
	m.vars["{n}"] = strconv.FormatInt(ocopRegistrations.Add(1), 10)
}

// ocopCouncils caches the council made for a unit and day by withOCOPCouncil, per database.
var ocopCouncils sync.Map // "db|unit|day" → council id

// withOCOPCouncil makes sure a council of the unit sits on the day, with three seed members
// and the matrix's council member when the unit is in their scope; it sets {council}.
func withOCOPCouncil(t *testing.T, m *matrix, unit string, day units.Date) {
	t.Helper()
	makeOCOPCouncil(t, m, unit, day, "hd")
}

// withSpareOCOPCouncil is withOCOPCouncil for a council of its own, whose members the
// matrix may replace without touching the one evaluations use.
func withSpareOCOPCouncil(t *testing.T, m *matrix, unit string, day units.Date) {
	t.Helper()
	makeOCOPCouncil(t, m, unit, day, "hs")
}

func makeOCOPCouncil(t *testing.T, m *matrix, unit string, day units.Date, tag string) {
	t.Helper()
	key := fmt.Sprintf("%p|%s|%s|%s", m.db, unit, day, tag)
	if v, ok := ocopCouncils.Load(key); ok {
		m.vars["{council}"] = strconv.FormatInt(v.(int64), 10)
		return
	}
	ctx := context.Background()
	c := ocop.Council{UnitCode: unit, Name: "Hội đồng " + unit, From: day}
	for i := range 3 {
		name := fmt.Sprintf("%s-%s-%s-%d", tag, unit, day, i)
		newUser(t, m.db, name, auth.RoleOCOPCouncil, unit, "")
		c.Members = append(c.Members, ocop.CouncilMember{Username: name})
	}
	with := c
	with.Members = append(slices.Clone(c.Members), ocop.CouncilMember{Username: "m-ocop-council"})
	made, err := m.db.CreateOCOPCouncil(ctx, "seed", with)
	if err != nil {
		made, err = m.db.CreateOCOPCouncil(ctx, "seed", c)
	}
	if err != nil {
		t.Fatalf("council of %s on %s: %v", unit, day, err)
	}
	ocopCouncils.Store(key, made.ID)
	m.vars["{council}"] = strconv.FormatInt(made.ID, 10)
}

// withOCOPProductAndCouncil is withOCOPProduct and withOCOPCouncil.
func withOCOPProductAndCouncil(t *testing.T, m *matrix, unit string, day units.Date) {
	withOCOPProduct(t, m, unit, day)
	withOCOPCouncil(t, m, unit, day)
}

// withOCOPEvaluation opens a fresh evaluation of the unit's product dated on the day (all
// conditions confirmed), with one 60-point sheet when scored, closed when closed, certified
// when certified; it sets {evaluation} and {certificate}.
func withOCOPEvaluation(scored, closed, certified bool) func(t *testing.T, m *matrix, unit string, day units.Date) {
	return func(t *testing.T, m *matrix, unit string, day units.Date) {
		t.Helper()
		withOCOPProduct(t, m, unit, day)
		ctx := context.Background()
		rules, _ := ocop.Shipped()
		id, _ := strconv.ParseInt(m.vars["{product}"], 10, 64)
		v, _ := rules.VersionOn(day)
		withOCOPCouncil(t, m, unit, day)
		council, _ := strconv.ParseInt(m.vars["{council}"], 10, 64)
		e := ocop.Evaluation{ProductID: id, Date: day, CouncilID: council}
		for _, c := range v.Conditions {
			e.Conditions = append(e.Conditions, c.ID)
		}
		if err := rules.CheckEvaluation(&e); err != nil {
			t.Fatal(err)
		}
		e, err := m.db.OpenOCOPEvaluation(ctx, "seed", e)
		if err != nil {
			t.Fatal(err)
		}
		if scored {
			for i := range 3 {
				name := fmt.Sprintf("hd-%s-%s-%d", unit, day, i)
				if e, err = m.db.PutOCOPSheet(ctx, name, e.ID, ocop.Sheet{Member: name, A: 30, B: 20, C: 10}, rules); err != nil {
					t.Fatal(err)
				}
			}
		}
		if closed {
			if e, err = m.db.CloseOCOPEvaluation(ctx, "seed", e.ID, 0, rules); err != nil || !e.Outcome.Certifiable {
				t.Fatalf("close: %v %+v", err, e.Outcome)
			}
		}
		if certified {
			c, err := m.db.IssueOCOPCertificate(ctx, "seed", e.ID, ocop.Certificate{Decision: "QĐ " + strconv.FormatInt(e.ID, 10), Date: day}, rules)
			if err != nil {
				t.Fatal(err)
			}
			m.vars["{certificate}"] = strconv.FormatInt(c.ID, 10)
		}
		m.vars["{evaluation}"] = strconv.FormatInt(e.ID, 10)
	}
}

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "OCOP products below a unit", method: "GET", path: "/api/v1/ocop/products?unit={unit}&as_of={as_of}", action: auth.Read, setup: withOCOPProduct,
			check: func(t *testing.T, m *matrix, body []byte, unit string, asOf units.Date) {
				if !bytes.Contains(body, []byte(`"id":`+m.vars["{product}"]+",")) {
					t.Errorf("the product of %s is not listed: %s", unit, body)
				}
			}},
		accessEndpoint{name: "OCOP expiring certificates", method: "GET", path: "/api/v1/ocop/expiring?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "OCOP figures", method: "GET", path: "/api/v1/ocop/figures?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "OCOP product", method: "GET", path: "/api/v1/ocop/products/{product}", action: auth.Read, setup: withOCOPProduct},
		// Registering (the API and the pages' forms call the same use cases) a producer in the
		// unit; the matrix's units are not all communes, so a unit that is not one is answered
		// 422 (allowed) after the right is checked. A product takes the same right on its
		// unit, but a producer out of reach is answered as none (422), so that ids cannot be
		// probed: TestOCOPPages_RegisterProducerAndProduct covers it.
		accessEndpoint{name: "register an OCOP producer", method: "POST", path: "/api/v1/ocop/producers", action: auth.Enter, setup: withOCOPNumber, accept: []int{422},
			body: `{"name":"Chủ thể {unit} {as_of} {n}","kind":"ho-kinh-doanh","unit":"{unit}","as_of":"{as_of}"}`},
		accessEndpoint{name: "change an OCOP product", method: "PATCH", path: "/api/v1/ocop/products/{product}", action: auth.Enter, setup: withOCOPProduct,
			body: `{"description":"mô tả mới"}`},
		accessEndpoint{name: "change an OCOP producer", method: "PATCH", path: "/api/v1/ocop/producers/{producer}", action: auth.Enter, setup: withOCOPProduct,
			body: `{"address":"thôn 1"}`},
		accessEndpoint{name: "open an OCOP evaluation", method: "POST", path: "/api/v1/ocop/products/{product}/evaluations", action: auth.OCOPScore, setup: withOCOPProductAndCouncil,
			body: `{"date":"{as_of}"}`},
		// Issue 16: only a member of the evaluation's council enters a scoresheet, their own.
		accessEndpoint{name: "enter an OCOP scoresheet", method: "POST", path: "/api/v1/ocop/evaluations/{evaluation}/scoresheets", action: auth.OCOPScore,
			only: auth.RoleOCOPCouncil, setup: withOCOPEvaluation(false, false, false), body: `{"a":30,"b":20,"c":15}`},
		accessEndpoint{name: "OCOP councils", method: "GET", path: "/api/v1/ocop/councils?as_of={as_of}"},
		accessEndpoint{name: "an OCOP council", method: "GET", path: "/api/v1/ocop/councils/{council}", action: auth.Read, setup: withOCOPCouncil},
		accessEndpoint{name: "set up an OCOP council", method: "POST", path: "/api/v1/ocop/councils", action: auth.ManageTargets,
			body: `{"unit":"{unit}","name":"Hội đồng mới","from":"{as_of}"}`},
		accessEndpoint{name: "an OCOP council's members", method: "PUT", path: "/api/v1/ocop/councils/{council}/members", action: auth.ManageTargets,
			setup: withSpareOCOPCouncil, body: `{"members":[]}`},
		accessEndpoint{name: "close an OCOP evaluation", method: "POST", path: "/api/v1/ocop/evaluations/{evaluation}/close", action: auth.OCOPScore,
			setup: withOCOPEvaluation(true, false, false)},
		accessEndpoint{name: "issue an OCOP certificate", method: "POST", path: "/api/v1/ocop/evaluations/{evaluation}/certificate", action: auth.ManageRecognition,
			setup: withOCOPEvaluation(true, true, false), body: `{"decision":"{evaluation}/QĐ-UBND","date":"{as_of}"}`},
		accessEndpoint{name: "revoke an OCOP certificate", method: "POST", path: "/api/v1/ocop/certificates/{certificate}/revoke", action: auth.ManageRecognition,
			setup: withOCOPEvaluation(true, true, true), body: `{"date":"{as_of}","reason":"không đánh giá lại"}`},
	)
}

// ---------------------------------------------------------------------------------------
// The API (the matrix leaves out endpoints whose check is the same as a row's: producers
// and expiring lists read the unit as products do, photos and evaluations take the
// product's or evaluation's unit as the rows above do)

// ocopAllConditions are the ids of QĐ 148's mandatory conditions, as JSON.
func ocopAllConditions(t *testing.T, drop string) string {
	rules, _ := ocop.Shipped()
	v, _ := rules.Version("qd148-2023")
	var ids []string
	for _, c := range v.Conditions {
		if c.ID != drop {
			ids = append(ids, strconv.Quote(c.ID))
		}
	}
	return "[" + strings.Join(ids, ",") + "]"
}

type ocopEvalBody struct {
	ID      int64
	Status  string
	Outcome *ocop.Outcome
	Sheets  []ocop.Sheet
}

func TestOCOP_ScoringAcceptanceThroughTheAPI(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "52", ""))
		members := []string{}
		for _, n := range []string{"hd1", "hd2", "hd3"} {
			members = append(members, newToken(t, db, newUser(t, db, n, auth.RoleOCOPCouncil, "52", "")))
		}
		danang := newToken(t, db, newUser(t, db, "hd-danang", auth.RoleOCOPCouncil, "48", ""))
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, "23575", ""))

		// The commune officer registers a producer and its product in the commune.
		r := do(t, srv, call{"POST", "/api/v1/ocop/producers", `{"name":"HTX Cà phê Pleiku","kind":"Hợp tác xã","registration_no":"5900123","unit":"23575"}`, []string{authz(xa)}})
		var pr ocop.Producer
		r.decode(t, &pr)
		if r.status != 201 || pr.Kind != ocop.Cooperative {
			t.Fatalf("register producer: %d %s", r.status, r.body)
		}
		r = do(t, srv, call{"POST", "/api/v1/ocop/products", fmt.Sprintf(`{"name":"Cà phê bột","producer_id":%d,"product_set":"1.6.a"}`, pr.ID), []string{authz(xa)}})
		var p ocop.Product
		r.decode(t, &p)
		if r.status != 201 || p.UnitCode != "23575" || p.Group != "1" {
			t.Fatalf("register product: %d %s", r.status, r.body)
		}

		// Issue 16: no council, no evaluation; the province sets up its council (a council
		// member of another province cannot sit on it, nor can members appoint themselves).
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/products/%d/evaluations", p.ID), `{"date":"2026-03-01"}`, []string{authz(tinh)}})
		if r.status != 422 || !strings.Contains(string(r.body), "council_id") {
			t.Errorf("open without a council: %d %s", r.status, r.body)
		}
		council := `{"unit":"52","name":"Hội đồng OCOP tỉnh Gia Lai","decision":"12/QĐ-UBND","from":"2026-01-01","members":["hd1","hd2","hd3"]}`
		if r := do(t, srv, call{"POST", "/api/v1/ocop/councils", council, []string{authz(members[0])}}); r.status != 403 {
			t.Errorf("a council member sets up a council: %d", r.status)
		}
		if r := do(t, srv, call{"POST", "/api/v1/ocop/councils", strings.Replace(council, `"hd3"`, `"hd-danang"`, 1), []string{authz(tinh)}}); r.status != 422 || !strings.Contains(string(r.body), "hd-danang") {
			t.Errorf("a member of another province: %d %s", r.status, r.body)
		}
		if r := do(t, srv, call{"POST", "/api/v1/ocop/councils", council, []string{authz(tinh)}}); r.status != 201 {
			t.Fatalf("set up the council: %d %s", r.status, r.body)
		}

		// The province opens the evaluation; three members enter their sheets: 71, 69, 70.
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/products/%d/evaluations", p.ID),
			`{"date":"2026-03-01","conditions":` + ocopAllConditions(t, "") + `}`, []string{authz(tinh)}})
		var e ocopEvalBody
		r.decode(t, &e)
		if r.status != 201 || e.Status != "open" || !strings.Contains(string(r.body), `"council": "Hội đồng OCOP tỉnh Gia Lai"`) && !strings.Contains(string(r.body), `"council":"Hội đồng OCOP tỉnh Gia Lai"`) {
			t.Fatalf("open: %d %s", r.status, r.body)
		}
		sheets := fmt.Sprintf("/api/v1/ocop/evaluations/%d/scoresheets", e.ID)
		// An officer cannot enter a sheet, under any name.
		if r := do(t, srv, call{"POST", sheets, `{"member":"ông A","a":35,"b":20,"c":15}`, []string{authz(tinh)}}); r.status != 403 {
			t.Errorf("an officer's sheet under a made-up name: %d %s", r.status, r.body)
		}
		if r := do(t, srv, call{"POST", sheets, `{"a":35,"b":20,"c":15}`, []string{authz(tinh)}}); r.status != 403 {
			t.Errorf("an officer's own sheet: %d %s", r.status, r.body)
		}
		for i, total := range []int{71, 69, 70} {
			if i == 2 { // two sheets of three members: below the quorum
				r := do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/evaluations/%d/close", e.ID), "", []string{authz(members[0])}})
				if r.status != 422 || !strings.Contains(string(r.body), "2/3 phiếu") {
					t.Errorf("close below the quorum: %d %s", r.status, r.body)
				}
			}
			r = do(t, srv, call{"POST", sheets, fmt.Sprintf(`{"a":35,"b":20,"c":%d}`, total-55), []string{authz(members[i])}})
			if r.status != 200 {
				t.Fatalf("sheet %d: %d %s", i, r.status, r.body)
			}
		}
		r.decode(t, &e)
		if len(e.Sheets) != 3 || e.Outcome == nil || e.Outcome.Total != 70 || e.Outcome.Stars != 4 || e.Sheets[0].MemberName != "Người dùng hd1" {
			t.Errorf("provisional: %s", r.body)
		}
		for _, c := range []struct {
			name, token, body string
			status            int
			field, text       string
		}{
			{"a council member of another province", danang, `{"a":30,"b":20,"c":20}`, 403, "", ""},
			{"another member's sheet", members[0], `{"member":"hd2","a":1,"b":1,"c":1}`, 403, "", "của chính mình"},
			{"part A above its maximum", members[0], `{"a":41,"b":20,"c":20}`, 422, "a", "Phần A"},
			{"a missing part", members[0], `{"a":30,"b":20}`, 422, "c", "Phần C"},
			{"a commune officer", xa, `{"a":30,"b":20,"c":20}`, 403, "", ""},
		} {
			r := do(t, srv, call{"POST", sheets, c.body, []string{authz(c.token)}})
			var eb struct {
				Error struct{ Field, Message string }
			}
			r.decode(t, &eb)
			if r.status != c.status || eb.Error.Field != c.field || !strings.Contains(eb.Error.Message, c.text) {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/evaluations/%d/close", e.ID), "", []string{authz(members[0])}})
		r.decode(t, &e)
		if r.status != 200 || e.Status != "closed" || e.Outcome.Total != 70 || e.Outcome.Stars != 4 || !e.Outcome.Certifiable {
			t.Fatalf("close: %d %s", r.status, r.body)
		}
		// A council member scores; the province decides.
		cert := fmt.Sprintf("/api/v1/ocop/evaluations/%d/certificate", e.ID)
		if r := do(t, srv, call{"POST", cert, `{"decision":"123/QĐ-UBND","date":"2026-03-10"}`, []string{authz(members[0])}}); r.status != 403 {
			t.Errorf("a council member issues the certificate: %d", r.status)
		}
		r = do(t, srv, call{"POST", cert, `{"decision":"123/QĐ-UBND","date":"2026-03-10","issuer":"UBND tỉnh Gia Lai"}`, []string{authz(tinh)}})
		var c ocop.Certificate
		r.decode(t, &c)
		if r.status != 201 || c.Stars != 4 || c.ValidTo != "2029-03-10" || c.Council != "Hội đồng OCOP tỉnh Gia Lai" ||
			strings.Join(c.CouncilMembers, ", ") != "Người dùng hd1, Người dùng hd2, Người dùng hd3" {
			t.Fatalf("certificate: %d %s", r.status, r.body)
		}

		// The same under a missing mandatory 3-star condition: no certificate, and why.
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/products/%d/evaluations", p.ID),
			`{"date":"2026-04-01","conditions":` + ocopAllConditions(t, "kiem-nghiem") + `}`, []string{authz(tinh)}})
		r.decode(t, &e)
		for i, total := range []int{71, 69, 70} {
			do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/evaluations/%d/scoresheets", e.ID), fmt.Sprintf(`{"a":35,"b":20,"c":%d}`, total-55), []string{authz(members[i])}})
		}
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/evaluations/%d/close", e.ID), "", []string{authz(tinh)}})
		r.decode(t, &e)
		if e.Outcome == nil || e.Outcome.Stars != 2 || e.Outcome.Certifiable {
			t.Fatalf("capped close: %s", r.body)
		}
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/evaluations/%d/certificate", e.ID), `{"decision":"9/QĐ-UBND","date":"2026-04-10"}`, []string{authz(tinh)}})
		if r.status != 422 || r.errorCode() != "rule_violation" || !strings.Contains(string(r.body), "Chưa đạt điều kiện bắt buộc của hạng 3 sao") {
			t.Errorf("certificate of a capped result: %d %s", r.status, r.body)
		}

		// The product's page of the API shows its history and standing.
		r = do(t, srv, call{"GET", fmt.Sprintf("/api/v1/ocop/products/%d?as_of=2026-05-01", p.ID), "", []string{authz(xa)}})
		var view struct {
			Evaluations  []ocopEvalBody
			Certificates []ocop.Certificate
			Standing     ocop.Standing
		}
		r.decode(t, &view)
		if len(view.Evaluations) != 2 || len(view.Certificates) != 1 || view.Standing.Stars != 4 || view.Standing.Status != ocop.CertValid {
			t.Errorf("product: %s", r.body)
		}
		// Another province's council member cannot read it either.
		if r := do(t, srv, call{"GET", fmt.Sprintf("/api/v1/ocop/products/%d", p.ID), "", []string{authz(danang)}}); r.status != 403 {
			t.Errorf("read by another province: %d", r.status)
		}
	})
}

func TestOCOP_RegistryRights(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, "23575", ""))
		hd := newToken(t, db, newUser(t, db, "hd", auth.RoleOCOPCouncil, "52", ""))
		for _, c := range []struct {
			name, token, body string
			status            int
			field             string
		}{
			{"own commune", xa, `{"name":"Hộ A","kind":"ho-kinh-doanh","unit":"23575"}`, 201, ""},
			{"another commune", xa, `{"name":"Hộ B","kind":"ho-kinh-doanh","unit":"21607"}`, 403, ""},
			{"a council member", hd, `{"name":"Hộ C","kind":"ho-kinh-doanh","unit":"23575"}`, 403, ""},
			{"a province is not a commune", bearerOf(srv), `{"name":"Hộ D","kind":"ho-kinh-doanh","unit":"52"}`, 422, "unit"},
			{"unknown kind", xa, `{"name":"Hộ E","kind":"công xã","unit":"23575"}`, 422, "kind"},
			{"no name", xa, `{"kind":"htx","unit":"23575"}`, 422, "name"},
		} {
			r := do(t, srv, call{"POST", "/api/v1/ocop/producers", c.body, []string{authz(c.token)}})
			var eb struct{ Error struct{ Field string } }
			r.decode(t, &eb)
			if r.status != c.status || eb.Error.Field != c.field {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		r := do(t, srv, call{"POST", "/api/v1/ocop/products", `{"name":"Bánh","producer_id":1,"product_set":"9.9.z"}`, []string{authz(xa)}})
		if r.status != 422 || !strings.Contains(string(r.body), "product_set") {
			t.Errorf("unknown product set: %d %s", r.status, r.body)
		}
		r = do(t, srv, call{"GET", "/api/v1/ocop/rules", "", []string{authz(xa)}})
		if r.status != 200 || !strings.Contains(string(r.body), `"qd148-2023"`) || !strings.Contains(string(r.body), "Sinh vật cảnh") {
			t.Errorf("rules: %d", r.status)
		}
	})
}

// ocopWorkbook builds a product-list workbook.
func ocopWorkbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Mã xã", "Tên sản phẩm", "Chủ thể", "Loại chủ thể", "Bộ sản phẩm", "Số sao", "Số quyết định", "Ngày quyết định"})
	for i, r := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &r)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func postFile(t *testing.T, url, token string, data []byte) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b.Bytes(), resp: resp}
}

func TestOCOP_ImportExpiringAndFigures(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "52", ""))
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, "23575", ""))
		good := ocopWorkbook(t,
			[]any{"23575", "Cà phê bột", "HTX Cà phê", "HTX", "1.6.a", 3, "15/QĐ-UBND", "15/03/2023"},
			[]any{"21607", "Nước mắm", "Hộ ông Ba", "Hộ kinh doanh", "1.4.a", 4, "16/QĐ-UBND", "2025-01-10"},
		)
		// A role that may not record OCOP recognitions anywhere is refused before the file is
		// read (issue 16.1).
		if r := postFile(t, srv.URL+"/api/v1/ocop/import?filename=ds.xlsx", xa, good); r.status != 403 || !strings.Contains(string(r.body), "manage_recognition") {
			t.Errorf("commune officer imports: %d %s", r.status, r.body)
		}
		// A bad row: 422 naming sheet, row and column; nothing stored.
		bad := ocopWorkbook(t,
			[]any{"23575", "Cà phê bột", "HTX Cà phê", "HTX", "1.6.a", 3, "15/QĐ-UBND", "15/03/2023"},
			[]any{"21607", "Nước mắm", "Hộ ông Ba", "Hộ kinh doanh", "1.4.a", 7, "16/QĐ-UBND", "2025-01-10"},
		)
		r := postFile(t, srv.URL+"/api/v1/ocop/import?filename=ds.xlsx", tinh, bad)
		var ie struct {
			Error    struct{ Code string }
			Problems []ocop.Problem
		}
		r.decode(t, &ie)
		if r.status != 422 || ie.Error.Code != "invalid_file" || len(ie.Problems) != 1 || ie.Problems[0].Row != 3 || ie.Problems[0].Column != "F" || ie.Problems[0].Sheet != "Sheet1" {
			t.Errorf("bad file: %d %s", r.status, r.body)
		}
		r = postFile(t, srv.URL+"/api/v1/ocop/import?filename=ds.xlsx", tinh, good)
		var st store.OCOPImportStats
		r.decode(t, &st)
		if r.status != 200 || st.Products != 2 || st.Certificates != 2 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		// Acceptance: the certificate of 2023-03-15 is expiring on 2026-02-20, expired on 2026-03-16.
		var exp struct {
			Products []ocop.Listed
			Count    int
		}
		r = do(t, srv, call{"GET", "/api/v1/ocop/expiring?unit=52&as_of=2026-02-20", "", []string{authz(tinh)}})
		r.decode(t, &exp)
		if r.status != 200 || exp.Count != 1 || exp.Products[0].Name != "Cà phê bột" || exp.Products[0].Standing.Status != ocop.CertExpiring ||
			*exp.Products[0].Standing.Certificate.DaysLeft != 23 {
			t.Errorf("expiring on 2026-02-20: %s", r.body)
		}
		r = do(t, srv, call{"GET", "/api/v1/ocop/expiring?unit=52&as_of=2026-03-16", "", []string{authz(tinh)}})
		r.decode(t, &exp)
		if exp.Count != 0 {
			t.Errorf("expiring on 2026-03-16: %s", r.body)
		}
		var list struct {
			Products []ocop.Listed
			Total    int
		}
		r = do(t, srv, call{"GET", "/api/v1/ocop/products?unit=52&as_of=2026-03-16&status=expired", "", []string{authz(tinh)}})
		r.decode(t, &list)
		if list.Total != 1 || list.Products[0].Standing.Status != ocop.CertExpired {
			t.Errorf("expired on 2026-03-16: %s", r.body)
		}
		// The commune officer sees the commune's products only.
		r = do(t, srv, call{"GET", "/api/v1/ocop/products", "", []string{authz(xa)}})
		r.decode(t, &list)
		if list.Total != 1 || list.Products[0].UnitCode != "23575" {
			t.Errorf("commune list: %s", r.body)
		}
		var f struct {
			Certified ocop.StarCounts
			Expiring  int
			UnitName  string `json:"unit_name"`
		}
		r = do(t, srv, call{"GET", "/api/v1/ocop/figures?unit=52&as_of=2026-02-20", "", []string{authz(tinh)}})
		r.decode(t, &f)
		if r.status != 200 || f.Certified != (ocop.StarCounts{Three: 1, Four: 1}) || f.Expiring != 1 || f.UnitName != "Tỉnh Gia Lai" {
			t.Errorf("figures: %s", r.body)
		}
		if r := do(t, srv, call{"GET", "/api/v1/ocop/figures?unit=99&as_of=2026-02-20", "", []string{authz(bearerOf(srv))}}); r.status != 404 {
			t.Errorf("figures of no unit: %d %s", r.status, r.body)
		}
		// A photo: a picture is kept and served back; anything else is refused.
		png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
		pid := list.Products[0].ID
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/products/%d/photos?name=goi.png", pid), png, []string{authz(xa)}})
		var ph ocop.Photo
		r.decode(t, &ph)
		if r.status != 201 || ph.ContentType != "image/png" || ph.Name != "goi.png" {
			t.Fatalf("photo: %d %s", r.status, r.body)
		}
		r = do(t, srv, call{"GET", fmt.Sprintf("/api/v1/ocop/photos/%d", ph.ID), "", []string{authz(xa)}})
		if r.status != 200 || string(r.body) != png || r.header.Get("Content-Type") != "image/png" {
			t.Errorf("get photo: %d %q", r.status, r.header.Get("Content-Type"))
		}
		if r := do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/products/%d/photos", pid), "<script>alert(1)</script>", []string{authz(xa)}}); r.status != 422 {
			t.Errorf("not a picture: %d %s", r.status, r.body)
		}
		// The template reads back as a valid file.
		r = do(t, srv, call{"GET", "/api/v1/ocop/import-template", "", []string{authz(xa)}})
		if r.status != 200 || !bytes.HasPrefix(r.body, []byte("PK")) {
			t.Errorf("template: %d", r.status)
		}
	})
}

func TestOCOP_ChangingTheRulesKeepsSheetsWithinTheirParts(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "52", ""))
		r := do(t, srv, call{"POST", "/api/v1/ocop/producers", `{"name":"Hộ A","kind":"hkd","unit":"23575"}`, []string{authz(tinh)}})
		var pr ocop.Producer
		r.decode(t, &pr)
		r = do(t, srv, call{"POST", "/api/v1/ocop/products", fmt.Sprintf(`{"name":"Mật ong","producer_id":%d,"product_set":"1.2.b"}`, pr.ID), []string{authz(tinh)}})
		var p ocop.Product
		r.decode(t, &p)
		// Scored under QĐ 1048 (part C up to 40), then moved to a date under QĐ 148 (C up to 35).
		onga := newToken(t, db, newUser(t, db, "ong-a", auth.RoleOCOPCouncil, "52", ""))
		if _, err := db.CreateOCOPCouncil(context.Background(), "tinh", ocop.Council{UnitCode: "52", Name: "Hội đồng", From: "2022-01-01",
			Members: []ocop.CouncilMember{{Username: "ong-a"}}}); err != nil {
			t.Fatal(err)
		}
		r = do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/products/%d/evaluations", p.ID), `{"date":"2022-05-01","level":"province"}`, []string{authz(tinh)}})
		var e ocopEvalBody
		r.decode(t, &e)
		if r := do(t, srv, call{"POST", fmt.Sprintf("/api/v1/ocop/evaluations/%d/scoresheets", e.ID), `{"a":30,"b":20,"c":38}`, []string{authz(onga)}}); r.status != 200 {
			t.Fatalf("sheet under 1048: %d %s", r.status, r.body)
		}
		r = do(t, srv, call{"PATCH", fmt.Sprintf("/api/v1/ocop/evaluations/%d", e.ID), `{"date":"2023-06-01"}`, []string{authz(tinh)}})
		if r.status != 422 || !strings.Contains(string(r.body), `"field":"c"`) {
			t.Errorf("moving a 38-point part C under QĐ 148: %d %s", r.status, r.body)
		}
	})
}
