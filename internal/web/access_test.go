package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// The access matrix: every role × every endpoint that touches a unit's data × a unit that is
// the user's own, a child of it, a sibling, and its parent. An endpoint is a row of
// accessEndpoints; add one for each new endpoint (assessments, progress, imports…), naming
// the action it needs, and TestAccessMatrix proves who gets it (2xx) and who gets 403.

// accessEndpoint is one row of the matrix.
type accessEndpoint struct {
	name   string
	method string
	path   string // {unit} and {as_of} are replaced by the target unit and its date
	body   string // the same replacements
	// action is what the endpoint needs; "" means any signed-in user (public reference data).
	action auth.Action
	// setup, if set, prepares what the request needs (e.g. an assessment to verify) for the
	// unit on the date; it runs before every request of the row.
	setup func(t *testing.T, m *matrix, unit string, asOf units.Date)
	// only, if set, narrows action to this role (an OCOP scoresheet: council members only).
	only auth.Role
	// check, if set, looks at an allowed answer (e.g. that a list holds only what it should).
	check func(t *testing.T, m *matrix, body []byte, unit string, asOf units.Date)
	// accept lists statuses besides 2xx that show the right was granted: a register of
	// communes answers 422 for a unit that is not one, after the right is checked.
	accept []int
}

// withAssessment makes sure the unit has an assessment of xa-ntm-2026 for the year of asOf
// (created through the store, which assesses any level) in the given status, and sets {id}
// and {version}.
func withAssessment(status assessment.Status) func(t *testing.T, m *matrix, unit string, asOf units.Date) {
	return func(t *testing.T, m *matrix, unit string, asOf units.Date) {
		t.Helper()
		ctx := context.Background()
		p, err := assessment.ParsePeriod(string(asOf)[:4])
		if err != nil {
			t.Fatal(err)
		}
		a, err := m.db.CreateAssessment(ctx, "seed", unit, "xa-ntm-2026", p, store.Evaluation{})
		if id, ok := store.ExistingID(err); ok {
			a, err = m.db.Assessment(ctx, id)
		}
		if err != nil {
			t.Fatalf("assessment of %s for %s: %v", unit, p.Text, err)
		}
		// Walk it to the status wanted: back to draft first, then forward.
		steps := map[assessment.Status][]assessment.Action{
			assessment.Submitted: {assessment.Return},
			assessment.Verified:  {assessment.Return},
			assessment.Approved:  {assessment.Unlock},
		}[a.Status]
		if status == assessment.Submitted {
			steps = append(steps, assessment.Submit)
		}
		for _, act := range steps {
			if a, err = m.db.ChangeStatus(ctx, "seed", a.ID, a.Version, act, "matrix"); err != nil {
				t.Fatalf("%s: %v", act, err)
			}
		}
		m.vars["{id}"] = strconv.FormatInt(a.ID, 10)
		m.vars["{version}"] = strconv.Itoa(a.Version)
	}
}

// withYear sets {year} to the year of asOf.
func withYear(t *testing.T, m *matrix, unit string, asOf units.Date) {
	m.vars["{year}"] = string(asOf)[:4]
}

var accessEndpoints = []accessEndpoint{
	{name: "targets of a unit", method: "GET", path: "/api/v1/targets?unit={unit}&as_of={as_of}", action: auth.Read},
	{name: "set a target", method: "POST", path: "/api/v1/targets", action: auth.ManageTargets, setup: withYear,
		body: `{"unit":"{unit}","year":{year},"metric":"units_met","set":"xa-ntm-2026","value":3}`},
	{name: "progress", method: "GET", path: "/api/v1/progress?unit={unit}&as_of={as_of}", action: auth.Read},
	{name: "assessments below a unit", method: "GET", path: "/api/v1/assessments?within={unit}&as_of={as_of}", action: auth.Read,
		setup: withAssessment(assessment.Draft)},
	{name: "evaluate values", method: "POST", path: "/api/v1/evaluate", action: auth.Read,
		body: `{"set":"xa-ntm-2026","unit":"{unit}","as_of":"{as_of}","values":{"TC1":"1"}}`},
	{name: "assessment", method: "GET", path: "/api/v1/assessments/{id}", action: auth.Read, setup: withAssessment(assessment.Draft)},
	{name: "assessment evaluation", method: "GET", path: "/api/v1/assessments/{id}/evaluation", action: auth.Read, setup: withAssessment(assessment.Draft)},
	{name: "assessment history", method: "GET", path: "/api/v1/assessments/{id}/history", action: auth.Read, setup: withAssessment(assessment.Draft)},
	{name: "enter values", method: "PATCH", path: "/api/v1/assessments/{id}/values", action: auth.Enter, setup: withAssessment(assessment.Draft),
		body: `{"version":{version},"values":[{"code":"TC1","value":"1"}]}`},
	{name: "submit", method: "POST", path: "/api/v1/assessments/{id}/status", action: auth.Enter, setup: withAssessment(assessment.Draft),
		body: `{"version":{version},"action":"submit"}`},
	{name: "verify", method: "POST", path: "/api/v1/assessments/{id}/status", action: auth.Verify, setup: withAssessment(assessment.Submitted),
		body: `{"version":{version},"action":"verify"}`},
	{name: "return", method: "POST", path: "/api/v1/assessments/{id}/status", action: auth.Verify, setup: withAssessment(assessment.Submitted),
		body: `{"version":{version},"action":"return","comment":"thiếu minh chứng"}`},
	{name: "import values", method: "POST", path: "/api/v1/imports?dry_run=1&filename=v.csv", action: auth.Import,
		setup: withImportPeriod, body: "unit,set,period,code,value\n{unit},xa-ntm-2026,{period},TC1,1\n", check: importJobDone},
	// Another user's import job: only the admin role reads it (as only admin manages users).
	{name: "another user's import job", method: "GET", path: "/api/v1/imports/{job}", action: auth.ManageUsers, setup: withImportJob},
	{name: "unit", method: "GET", path: "/api/v1/units/{unit}?as_of={as_of}"},
	{name: "unit's children", method: "GET", path: "/api/v1/units?parent={unit}&as_of={as_of}"},
	{name: "audit log of a unit", method: "GET", path: "/api/v1/audit?unit={unit}&as_of={as_of}", action: auth.ReadAudit,
		check: func(t *testing.T, m *matrix, body []byte, unit string, asOf units.Date) {
			var got struct {
				Entries []store.AuditEntry
				Count   int
			}
			json.Unmarshal(body, &got)
			if got.Count != len(got.Entries) {
				t.Errorf("count %d for %d entries", got.Count, len(got.Entries))
			}
			for _, e := range got.Entries {
				if e.UnitCode != unit {
					t.Errorf("audit of %s holds an entry of %s", unit, e.UnitCode)
				}
			}
		}},
}

// specReach restates SPEC §3, independently of internal/auth: where each role may take
// each action ("all": everywhere; "subtree": its home unit and below; absent: nowhere).
func specReach(r auth.Role, a auth.Action) string {
	switch r {
	case auth.RoleAdmin:
		return "all"
	case auth.RoleCentral:
		if a == auth.Read || a == auth.ManageCriteria {
			return "all"
		}
	case auth.RoleProvince, auth.RoleDistrict:
		if a == auth.ManageAccounts && r == auth.RoleProvince { // users of the province (issue 15)
			return "subtree"
		}
		switch a {
		case auth.Read, auth.Enter, auth.Import, auth.Verify, auth.ManageTargets, auth.ManageRecognition, auth.OCOPScore, auth.ReadAudit:
			return "subtree"
		}
	case auth.RoleCommune:
		if a == auth.Read || a == auth.Enter || a == auth.Import {
			return "subtree"
		}
	case auth.RoleViewer:
		if a == auth.Read {
			return "subtree"
		}
	case auth.RoleOCOPCouncil:
		if a == auth.Read || a == auth.OCOPScore {
			return "subtree"
		}
	}
	return ""
}

// subject is a user of the matrix with the units around their home, as of a day. A
// relation left empty does not exist for that home (a province has no parent).
type subject struct {
	name                        string
	role                        auth.Role
	home                        string
	asOf                        units.Date
	own, child, sibling, parent string
	token                       string
}

// matrix is the world the matrix runs in.
type matrix struct {
	srv      *httptest.Server
	db       *store.DB
	subjects []*subject
	vars     map[string]string // set by a row's setup, e.g. {id} and {version} of an assessment
}

// village is a test village (thôn) of Phường Pleiku (23575), so that a commune has a child.
const village = "2357501"

func newMatrix(t *testing.T, db *store.DB) *matrix {
	t.Helper()
	m := &matrix{srv: newServer(t, db), db: db}
	// The matrix proves scope by role and unit; every role enters, then verifies, the same
	// assessments, which separation of duties would refuse — its rules have their own tests
	// (TestChangeStatus_SeparationOfDuties, TestAPI_QueueAndBulkSteps).
	db.SetDuties(&assessment.Duties{Enabled: false})
	ctx := context.Background()
	if _, err := db.ImportUnits(ctx, []units.Unit{{Code: village, Name: "Thôn Một", FullName: "Thôn Một", Level: units.LevelVillage,
		Type: "thôn", ParentCode: "23575", Region: units.RegionTN, ValidFrom: "2025-07-01", ValidTo: units.Forever}}, nil); err != nil {
		t.Fatal(err)
	}
	today := units.Today()
	// Units of the new Gia Lai (52): Phường Pleiku 23575 and Xã Nhơn Châu 21607; Đà Nẵng is 48.
	// Before the reform: Bình Định (52), its Thành phố Quy Nhơn (540) with Phường Nhơn Bình
	// (21550) and Huyện An Lão (542); Gia Lai (64) with Phường Yên Đỗ (23557); Quảng Nam (49).
	m.subjects = []*subject{
		{name: "admin", role: auth.RoleAdmin, asOf: today, own: "23575", child: village, sibling: "21607", parent: "52"},
		{name: "central", role: auth.RoleCentral, asOf: today, own: "23575", child: village, sibling: "21607", parent: "52"},
		{name: "province", role: auth.RoleProvince, home: "52", asOf: today, own: "52", child: "23575", sibling: "48"},
		{name: "province-history", role: auth.RoleProvince, home: "52", asOf: "2024-01-01", own: "64", child: "23557", sibling: "49"},
		{name: "district", role: auth.RoleDistrict, home: "540", asOf: "2025-06-30", own: "540", child: "21550", sibling: "542", parent: "52"},
		{name: "commune", role: auth.RoleCommune, home: "23575", asOf: today, own: "23575", child: village, sibling: "21607", parent: "52"},
		{name: "viewer", role: auth.RoleViewer, home: "23575", asOf: today, own: "23575", child: village, sibling: "21607", parent: "52"},
		{name: "ocop-council", role: auth.RoleOCOPCouncil, home: "23575", asOf: today, own: "23575", child: village, sibling: "21607", parent: "52"},
	}
	for _, s := range m.subjects {
		s.token = newToken(t, db, newUser(t, db, "m-"+s.name, s.role, s.home, ""))
	}
	return m
}

func (m *matrix) subject(name string) *subject {
	for _, s := range m.subjects {
		if s.name == name {
			return s
		}
	}
	panic("no subject " + name)
}

func (m *matrix) call(t *testing.T, s *subject, method, path, body string) answer {
	t.Helper()
	return do(t, m.srv, call{method, path, body, []string{"Authorization: Bearer " + s.token}})
}

func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		for _, e := range accessEndpoints {
			for _, s := range m.subjects {
				for _, rel := range []struct{ name, unit string }{{"own", s.own}, {"child", s.child}, {"sibling", s.sibling}, {"parent", s.parent}} {
					if rel.unit == "" {
						continue
					}
					reach := "all"
					if e.action != "" {
						reach = specReach(s.role, e.action)
					}
					allowed := reach == "all" || reach == "subtree" && (rel.name == "own" || rel.name == "child")
					allowed = allowed && (e.only == "" || e.only == s.role)
					m.vars = map[string]string{}
					if e.setup != nil {
						e.setup(t, m, rel.unit, s.asOf)
					}
					pairs := []string{"{unit}", rel.unit, "{as_of}", string(s.asOf)}
					for k, v := range m.vars {
						pairs = append(pairs, k, v)
					}
					fill := strings.NewReplacer(pairs...).Replace
					a := m.call(t, s, e.method, fill(e.path), fill(e.body))
					what := fmt.Sprintf("%s: %s on %s %s (%s as of %s)", e.name, s.name, rel.name, rel.unit, e.method, s.asOf)
					switch {
					case allowed && (a.status < 200 || a.status > 299) && !slices.Contains(e.accept, a.status):
						t.Errorf("%s: %d, want 2xx: %s", what, a.status, a.body)
					case !allowed && (a.status != 403 || a.errorCode() != "forbidden"):
						t.Errorf("%s: %d, want 403 forbidden: %s", what, a.status, a.body)
					case allowed && e.check != nil && a.status/100 == 2:
						e.check(t, m, a.body, rel.unit, s.asOf)
					}
				}
			}
		}
	})
}

// TestAccessMatrix_Lists: lists and counts hold only what the user may see — never an entry
// of another province, before or after the reform.
func TestAccessMatrix_Lists(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		ctx := context.Background()
		const old = units.Date("2024-06-30")
		seed := []store.AuditEntry{
			{EntityID: "23575", UnitCode: "23575"},
			{EntityID: "village", UnitCode: village},
			{EntityID: "21607", UnitCode: "21607"},
			{EntityID: "20335-danang", UnitCode: "20335"},
			{EntityID: "01", UnitCode: "01"},
			{EntityID: "21550-old", UnitCode: "21550", UnitDate: old},
			{EntityID: "23557-old", UnitCode: "23557", UnitDate: old},
			{EntityID: "20335-quangnam-old", UnitCode: "20335", UnitDate: old},
			{EntityID: "52-binhdinh-old", UnitCode: "52", UnitDate: old},
			{EntityID: "49-old", UnitCode: "49", UnitDate: old},
			{EntityID: "national"},
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			for _, e := range seed {
				e.Actor, e.Action, e.Entity = "seed", "update", "assessment"
				if err := tx.Audit(ctx, e); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		all := []string{}
		for _, e := range seed {
			all = append(all, e.EntityID)
		}
		for _, c := range []struct {
			subject string
			status  int
			want    []string
		}{
			{"admin", 200, all},
			{"province", 200, []string{"23575", "village", "21607", "21550-old", "23557-old", "52-binhdinh-old"}},
			{"district", 200, []string{"21550-old"}},
			{"central", 403, nil},
			{"commune", 403, nil},
			{"viewer", 403, nil},
			{"ocop-council", 403, nil},
		} {
			a := m.call(t, m.subject(c.subject), "GET", "/api/v1/audit?entity=assessment", "")
			var got struct {
				Entries []store.AuditEntry
				Count   int
			}
			json.Unmarshal(a.body, &got)
			var ids []string
			for _, e := range got.Entries {
				ids = append(ids, e.EntityID)
			}
			sort.Strings(ids)
			want := slices.Clone(c.want)
			sort.Strings(want)
			if a.status != c.status || !slices.Equal(ids, want) || got.Count != len(want) {
				t.Errorf("audit log for %s: %d, count %d, %v; want %d %v", c.subject, a.status, got.Count, ids, c.status, want)
			}
			if c.status == 403 && strings.Contains(string(a.body), "entries") {
				t.Errorf("a refusal for %s carries entries: %s", c.subject, a.body)
			}
		}
		// The audit log of the users created for the matrix: a province officer sees the
		// users of the province (and of its old districts), not the national ones.
		a := m.call(t, m.subject("province"), "GET", "/api/v1/audit?entity=user", "")
		var users struct{ Entries []store.AuditEntry }
		a.decode(t, &users)
		var names []string
		for _, e := range users.Entries {
			names = append(names, e.EntityID)
		}
		sort.Strings(names)
		if want := []string{"m-commune", "m-district", "m-ocop-council", "m-province", "m-province-history", "m-viewer"}; !slices.Equal(names, want) {
			t.Errorf("user entries seen by the province: %v, want %v", names, want)
		}

		// The tree of one's own units, as of before the reform: the new Gia Lai's officer
		// sees the two provinces it was formed from, a commune officer none of them.
		for _, c := range []struct {
			subject, query string
			want           []string
		}{
			{"province", "as_of=2024-01-01", []string{"52", "64"}},
			{"province", "as_of=2024-01-01&parent=64", nil}, // the 17 districts of old Gia Lai
			{"province", "as_of=2024-01-01&action=verify&parent=540", nil},
			{"commune", "as_of=2024-01-01", []string{}},
			{"commune", "as_of=2024-01-01&parent=622", []string{"23566", "23570", "23572", "23575", "23596"}}, // the wards Phường Pleiku was formed from
			{"commune", "action=verify", []string{}},
			{"central", "as_of=2024-01-01", nil},
			{"viewer", "parent=23575", []string{village}},
		} {
			a := m.call(t, m.subject(c.subject), "GET", "/api/v1/me/units?"+c.query, "")
			var got struct{ Units []units.Unit }
			a.decode(t, &got)
			var codes []string
			for _, u := range got.Units {
				codes = append(codes, u.Code)
			}
			switch {
			case a.status != 200 || got.Units == nil:
				t.Errorf("me/units for %s ?%s: %d %s", c.subject, c.query, a.status, a.body)
			case c.want != nil && !slices.Equal(codes, c.want) && !(len(codes) == 0 && len(c.want) == 0):
				t.Errorf("me/units for %s ?%s: %v, want %v", c.subject, c.query, codes, c.want)
			}
		}
		// Without filtering these lists are the full ones; with it, nothing from outside.
		check := func(subject, query string, n int) {
			a := m.call(t, m.subject(subject), "GET", "/api/v1/me/units?"+query, "")
			var got struct{ Units []units.Unit }
			a.decode(t, &got)
			if len(got.Units) != n {
				t.Errorf("me/units for %s ?%s: %d units, want %d", subject, query, len(got.Units), n)
			}
		}
		check("province", "as_of=2024-01-01&parent=64", 17)
		check("province", "as_of=2024-01-01&parent=49", 0)
		check("province", "as_of=2024-01-01&action=verify&parent=540", 17)
		check("central", "as_of=2024-01-01", 63)
		check("central", "as_of=2024-01-01&action=verify", 0)
		if a := m.call(t, m.subject("viewer"), "GET", "/api/v1/me/units?action=fly", ""); a.status != 400 {
			t.Errorf("unknown action: %d", a.status)
		}
	})
}
