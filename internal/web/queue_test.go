package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "the queue below a unit", method: "GET", path: "/api/v1/assessments?queue=1&unit={unit}&as_of={as_of}", action: auth.Read,
			setup: withAssessment(assessment.Submitted)},
		accessEndpoint{name: "bulk verify", method: "POST", path: "/api/v1/assessments/status", action: auth.Verify,
			setup: withAssessment(assessment.Submitted), body: `{"action":"verify","items":[{"id":{id},"version":{version}}]}`},
	)
}

// queueWorld: three communes of Hà Nội with an assessment each, submitted by their commune
// officer; two province officers; a commune officer of the first commune.
type queueWorld struct {
	db         *store.DB
	ids        []int64
	communes   []string
	xa, tinh   string // API tokens
	tinh2      string
	otherToken string // a province officer of another province
}

func newQueueWorld(t *testing.T, db *store.DB) (*queueWorld, func(c call) answer) {
	t.Helper()
	srv := newServer(t, db)
	ctx := context.Background()
	w := &queueWorld{db: db}
	for _, c := range ruralCommunes(t, db, "01", "2026-06-30")[:3] {
		w.communes = append(w.communes, c.Code)
		id := seedAssessment(t, db, "xa."+c.Code, c.Code, "xa-ntm-2026", "2026-Q2", map[string]string{"TC1": "true"})
		a, _ := db.Assessment(ctx, id)
		if _, err := db.ChangeStatus(ctx, "xa."+c.Code, id, a.Version, assessment.Submit, ""); err != nil {
			t.Fatal(err)
		}
		w.ids = append(w.ids, id)
	}
	w.xa = newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, w.communes[0], ""))
	w.tinh = newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
	w.tinh2 = newToken(t, db, newUser(t, db, "tinh2", auth.RoleProvince, "01", ""))
	w.otherToken = newToken(t, db, newUser(t, db, "tinh.khac", auth.RoleProvince, "79", ""))
	return w, func(c call) answer { return do(t, srv, c) }
}

type queueAnswer struct {
	Assessments []struct {
		ID       int64             `json:"id"`
		Status   string            `json:"status"`
		Version  int               `json:"version"`
		UnitName string            `json:"unit_name"`
		Actions  []string          `json:"actions"`
		Refused  map[string]string `json:"refused"`
	}
	Count  int
	Counts map[string]int
}

func TestAPI_QueueAndBulkSteps(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		w, call_ := newQueueWorld(t, db)
		get := func(token, query string) queueAnswer {
			t.Helper()
			r := call_(call{"GET", "/api/v1/assessments?queue=1" + query, "", []string{authz(token)}})
			if r.status != 200 {
				t.Fatalf("queue%s: %d %s", query, r.status, r.body)
			}
			var q queueAnswer
			r.decode(t, &q)
			return q
		}
		q := get(w.tinh, "")
		if q.Count != 3 || q.Counts["submitted"] != 3 || q.Assessments[0].ID != w.ids[0] || q.Assessments[0].UnitName == "" {
			t.Fatalf("province queue: %+v", q)
		}
		if got := strings.Join(q.Assessments[0].Actions, " "); got != "verify return" {
			t.Errorf("steps offered: %q", got)
		}
		// The commune officer's queue is its own commune's drafts and returned ones: none.
		if q := get(w.xa, ""); q.Count != 0 {
			t.Errorf("commune queue: %+v", q)
		}
		// Another province sees nothing of Hà Nội, and may not ask for it.
		if q := get(w.otherToken, ""); q.Count != 0 {
			t.Errorf("another province's queue: %+v", q)
		}
		if r := call_(call{"GET", "/api/v1/assessments?queue=1&unit=01", "", []string{authz(w.otherToken)}}); r.status != 403 {
			t.Errorf("another province asks for 01: %d", r.status)
		}
		if r := call_(call{"GET", "/api/v1/assessments?queue=1&status=approved", "", []string{authz(w.tinh)}}); r.status != 400 || !strings.Contains(string(r.body), "status") {
			t.Errorf("a status that does not wait: %d %s", r.status, r.body)
		}
		// Bulk verify of two, stale version on one: nothing moves, the error names it.
		body := func(action string, items ...[2]int64) string {
			var parts []string
			for _, it := range items {
				parts = append(parts, fmt.Sprintf(`{"id":%d,"version":%d}`, it[0], it[1]))
			}
			return fmt.Sprintf(`{"action":%q,"items":[%s]}`, action, strings.Join(parts, ","))
		}
		v0, v1 := int64(q.Assessments[0].Version), int64(q.Assessments[1].Version)
		r := call_(call{"POST", "/api/v1/assessments/status", body("verify", [2]int64{w.ids[0], v0}, [2]int64{w.ids[1], v1 - 1}), []string{authz(w.tinh)}})
		if r.status != 409 || !strings.Contains(string(r.body), fmt.Sprint(w.ids[1])) {
			t.Fatalf("stale bulk: %d %s", r.status, r.body)
		}
		if q := get(w.tinh, "&status=submitted"); q.Count != 3 {
			t.Fatalf("after a refused bulk step %d still submitted, want 3", q.Count)
		}
		// The commune may not verify in bulk.
		if r := call_(call{"POST", "/api/v1/assessments/status", body("verify", [2]int64{w.ids[0], v0}), []string{authz(w.xa)}}); r.status != 403 {
			t.Errorf("commune bulk verify: %d %s", r.status, r.body)
		}
		r = call_(call{"POST", "/api/v1/assessments/status", body("verify", [2]int64{w.ids[0], v0}, [2]int64{w.ids[1], v1}), []string{authz(w.tinh)}})
		if r.status != 200 {
			t.Fatalf("bulk verify: %d %s", r.status, r.body)
		}
		// The verifier sees them waiting for approval by someone else; the second officer may.
		q = get(w.tinh, "&status=verified")
		if q.Count != 2 || len(q.Assessments[0].Actions) != 1 || !strings.Contains(q.Assessments[0].Refused["approve"], "tham-tra-khac-phe-duyet") {
			t.Fatalf("verifier's queue of verified: %+v", q)
		}
		r = call_(call{"POST", "/api/v1/assessments/status", body("approve", [2]int64{w.ids[0], v0 + 1}, [2]int64{w.ids[1], v1 + 1}), []string{authz(w.tinh)}})
		if r.status != 403 || r.errorCode() != "separation_of_duties" {
			t.Errorf("bulk approve by the verifier: %d %s", r.status, r.body)
		}
		r = call_(call{"POST", "/api/v1/assessments/status", body("approve", [2]int64{w.ids[0], v0 + 1}, [2]int64{w.ids[1], v1 + 1}), []string{authz(w.tinh2)}})
		if r.status != 200 {
			t.Fatalf("bulk approve: %d %s", r.status, r.body)
		}
		if q := get(w.tinh2, ""); q.Count != 1 || q.Assessments[0].ID != w.ids[2] {
			t.Errorf("queue after approval: %+v", q)
		}
	})
}

func TestQueuePage_FiltersConfirmAndBulkApprove(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		communes := ruralCommunes(t, db, "01", "2026-06-30")[:2]
		var ids []int64
		for _, c := range communes {
			id := seedAssessment(t, db, "xa.nhap", c.Code, "xa-ntm-2026", "2026-Q2", map[string]string{"TC1": "true"})
			a, _ := db.Assessment(ctx, id)
			a, _ = db.ChangeStatus(ctx, "xa.nhap", id, a.Version, assessment.Submit, "")
			if _, err := db.ChangeStatus(ctx, "tinh.thamtra", id, a.Version, assessment.Verify, ""); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		tinh := session(t, srv, db, "tinh", auth.RoleProvince, "01")
		viewer := session(t, srv, db, "xem", auth.RoleViewer, "01")

		// The header counts what waits; the dashboard's count of verified links to the queue.
		_, _, body := fetch(t, srv, "/units", "", tinh)
		if !strings.Contains(body, `id="queue-count"`) || !strings.Contains(body, "Chờ xử lý: 2") {
			t.Errorf("header count missing: %s", brief(body))
		}
		_, _, body = fetch(t, srv, "/units", "", viewer)
		if strings.Contains(body, `id="queue-count"`) {
			t.Error("a viewer is shown a queue count")
		}
		_, _, body = fetch(t, srv, "/dashboard?unit=01&set=xa-ntm-2026", "", tinh)
		if !regexp.MustCompile(`<a href="/assessments\?set=xa-ntm-2026&amp;status=verified&amp;unit=01" data-status-link>2 đã thẩm tra</a>`).MatchString(body) {
			t.Errorf("dashboard count is not a link to the queue: %s", regexp.MustCompile(`(?s)id="dashboard-statuses".{0,600}`).FindString(body))
		}
		status, _, body := fetch(t, srv, "/assessments?status=verified&unit=01&set=xa-ntm-2026", "", tinh)
		if status != 200 || strings.Count(body, `name="item"`) != 2 || !strings.Contains(body, "Đã thẩm tra (2)") {
			t.Fatalf("queue page: %d %s", status, brief(body))
		}
		items := regexp.MustCompile(`name="item" value="([0-9:]+)"`).FindAllStringSubmatch(body, -1)
		// First press: the confirmation lists the rows and moves nothing.
		form := url.Values{"action": {"approve"}, "status": {"verified"}, "item": {items[0][1], items[1][1]}}
		status, _, body = postPage(t, srv, "/assessments", tinh, form)
		if status != 200 || !strings.Contains(body, "Phê duyệt 2 phiếu sau?") || !strings.Contains(body, communes[1].FullName) {
			t.Fatalf("confirmation: %d %s", status, brief(body))
		}
		if a, _ := db.Assessment(ctx, ids[0]); a.Status != assessment.Verified {
			t.Fatal("the first press moved an assessment")
		}
		form.Set("confirm", "1")
		status, h, _ := postPage(t, srv, "/assessments", tinh, form)
		if status != 303 || !strings.Contains(h.Get("Location"), "done=approve") {
			t.Fatalf("confirmed: %d %s", status, h.Get("Location"))
		}
		for _, id := range ids {
			if a, _ := db.Assessment(ctx, id); a.Status != assessment.Approved {
				t.Errorf("assessment %d: %s", id, a.Status)
			}
		}
		_, _, body = fetch(t, srv, h.Get("Location"), "", tinh)
		if !strings.Contains(body, "Đã phê duyệt 2 phiếu.") || !strings.Contains(body, `id="queue-empty"`) {
			t.Errorf("after approval: %s", brief(body))
		}
	})
}

// A provincial version of the 2026 set that requires evidence for criterion 1's result:
// submitting without a file is refused with the list; with one coded TC1 it goes through.
func TestAPI_SubmitNeedsRequiredEvidence(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		src, err := os.ReadFile("../../data/criteria/xa-ntm-2026.yaml")
		if err != nil {
			t.Fatal(err)
		}
		yaml := strings.Replace(string(src), "id: xa-ntm-2026\n", "id: xa-ntm-2026-minh-chung\n", 1)
		yaml = strings.Replace(yaml, "    name: Quy hoạch\n", "    name: Quy hoạch\n    evidence: required\n", 1)
		admin := newToken(t, db, newUser(t, db, "admin", auth.RoleAdmin, "", ""))
		if r := do(t, srv, call{"POST", "/api/v1/criteria?filename=mc.yaml", yaml, []string{authz(admin)}}); r.status/100 != 2 {
			t.Fatalf("import the set: %d %s", r.status, r.body)
		}
		commune := ruralCommunes(t, db, "01", "2026-06-30")[0].Code
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, commune, ""))
		id := seedAssessment(t, db, "xa", commune, "xa-ntm-2026-minh-chung", "2026-Q2", map[string]string{"TC1": "true", "TC2": "true"})
		a, _ := db.Assessment(ctx, id)
		path := fmt.Sprintf("/api/v1/assessments/%d/status", id)
		r := do(t, srv, call{"POST", path, fmt.Sprintf(`{"action":"submit","version":%d}`, a.Version), []string{authz(xa)}})
		if r.status != 422 || !strings.Contains(string(r.body), "chưa có minh chứng cho: TC1 ") {
			t.Fatalf("submit without evidence: %d %s", r.status, r.body)
		}
		if _, err := db.AddEvidence(ctx, "xa", id, store.EvidenceUpload{Filename: "quy-hoach.pdf", Code: "TC1", Content: evidencePDF}); err != nil {
			t.Fatal(err)
		}
		r = do(t, srv, call{"POST", path, fmt.Sprintf(`{"action":"submit","version":%d}`, a.Version), []string{authz(xa)}})
		if r.status != 200 {
			t.Fatalf("submit with evidence: %d %s", r.status, r.body)
		}
	})
}
