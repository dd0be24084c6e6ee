package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

type assessmentBody struct {
	ID      int64
	Unit    string
	Status  string
	Version int
	Values  map[string]struct {
		Value, Note string
		EnteredBy   string `json:"entered_by"`
	}
	Evaluation struct {
		CriteriaMet int `json:"criteria_met"`
	}
}

func authz(tok string) string { return "Authorization: Bearer " + tok }

// ruralCommunes returns the xã directly below parent on day.
func ruralCommunes(t *testing.T, db *store.DB, parent string, day units.Date) []units.Unit {
	t.Helper()
	kids, err := db.Children(context.Background(), parent, day)
	if err != nil {
		t.Fatal(err)
	}
	var out []units.Unit
	for _, k := range kids {
		if k.IsRuralCommune() {
			out = append(out, k)
		}
	}
	return out
}

func TestAPI_AssessmentLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		commune := ruralCommunes(t, db, "01", "2026-06-30")[0].Code
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, commune, ""))
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		tinh2 := newToken(t, db, newUser(t, db, "tinh2", auth.RoleProvince, "01", ""))

		r := do(t, srv, call{"POST", "/api/v1/assessments", fmt.Sprintf(`{"unit":%q,"set":"xa-ntm-2026","period":"2026-Q2"}`, commune), []string{authz(xa)}})
		if r.status != 201 || r.header.Get("ETag") != `"1"` {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var a assessmentBody
		r.decode(t, &a)
		path := fmt.Sprintf("/api/v1/assessments/%d", a.ID)

		// Values need the version they are based on.
		if r := do(t, srv, call{"PATCH", path + "/values", `{"values":[{"code":"TC1","value":"đạt"}]}`, []string{authz(xa)}}); r.status != 428 {
			t.Errorf("PATCH without If-Match: %d", r.status)
		}
		r = do(t, srv, call{"PATCH", path + "/values", `{"values":[{"code":"tc1","value":"đạt","note":"biên bản 12/5"},{"code":"TC2","value":"1"}]}`, []string{authz(xa), `If-Match: "1"`}})
		r.decode(t, &a)
		if r.status != 200 || a.Version != 2 || a.Values["TC1"].Value != "true" || a.Values["TC1"].EnteredBy != "xa" || a.Evaluation.CriteriaMet != 2 {
			t.Fatalf("patch: %d %s", r.status, r.body)
		}
		// A stale version: 409 with the current values.
		r = do(t, srv, call{"PATCH", path + "/values", `{"values":[{"code":"TC3","value":"1"}]}`, []string{authz(tinh), `If-Match: "1"`}})
		var conflict struct {
			Error   struct{ Code string }
			Current assessmentBody
		}
		r.decode(t, &conflict)
		if r.status != 409 || conflict.Error.Code != "conflict" || conflict.Current.Version != 2 || conflict.Current.Values["TC2"].Value != "true" {
			t.Errorf("stale patch: %d %s", r.status, r.body)
		}
		// A bad value names its field.
		r = do(t, srv, call{"PATCH", path + "/values", `{"values":[{"code":"TC1","value":"1"},{"code":"TC3","value":"có lẽ"}]}`, []string{authz(xa), `If-Match: "2"`}})
		var e errorBody
		r.decode(t, &e)
		if r.status != 422 || e.Error.Field != "values[1]" {
			t.Errorf("bad value: %d %s", r.status, r.body)
		}
		// The commune submits; it may not verify its own work.
		r = do(t, srv, call{"POST", path + "/status", `{"action":"submit"}`, []string{authz(xa), `If-Match: "2"`}})
		if r.status != 200 {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}
		if r := do(t, srv, call{"POST", path + "/status", `{"action":"verify"}`, []string{authz(xa), `If-Match: "3"`}}); r.status != 403 {
			t.Errorf("commune verifies: %d", r.status)
		}
		r = do(t, srv, call{"POST", path + "/status", `{"action":"verify"}`, []string{authz(tinh), `If-Match: "3"`}})
		if r.status != 200 {
			t.Fatalf("verify: %d %s", r.status, r.body)
		}
		// Whoever verified may not approve too (data/assessment/duties.yaml): 403 naming the rule.
		r = do(t, srv, call{"POST", path + "/status", `{"action":"approve"}`, []string{authz(tinh), `If-Match: "4"`}})
		if r.status != 403 || r.errorCode() != "separation_of_duties" || !strings.Contains(string(r.body), "tham-tra-khac-phe-duyet") {
			t.Fatalf("approve by the verifier: %d %s", r.status, r.body)
		}
		r = do(t, srv, call{"POST", path + "/status", `{"action":"approve"}`, []string{authz(tinh2), `If-Match: "4"`}})
		if r.status != 200 {
			t.Fatalf("approve: %d %s", r.status, r.body)
		}
		r.decode(t, &a)
		if a.Status != "approved" {
			t.Errorf("status %s", a.Status)
		}
		// Approved: locked.
		r = do(t, srv, call{"PATCH", path + "/values", `{"values":[{"code":"TC5","value":"1"}]}`, []string{authz(xa), `If-Match: "5"`}})
		if r.status != 422 || r.errorCode() != "rule_violation" {
			t.Errorf("edit approved: %d %s", r.status, r.body)
		}
		// The history shows who did what.
		r = do(t, srv, call{"GET", path + "/history", "", []string{authz(xa)}})
		var h struct{ Count int }
		r.decode(t, &h)
		if r.status != 200 || h.Count != 6 { // create, 2 values, submit, verify, approve
			t.Errorf("history: %d %s", r.status, r.body)
		}
		// The evaluation explains itself.
		r = do(t, srv, call{"GET", path + "/evaluation", "", []string{authz(xa)}})
		var ev struct {
			CriteriaMet   int `json:"criteria_met"`
			CriteriaTotal int `json:"criteria_total"`
		}
		r.decode(t, &ev)
		if r.status != 200 || ev.CriteriaMet != 2 || ev.CriteriaTotal != 10 {
			t.Errorf("evaluation: %d %s", r.status, r.body)
		}
		// Another commune's officer cannot read it.
		other := ruralCommunes(t, db, "01", "2026-06-30")[1].Code
		xa2 := newToken(t, db, newUser(t, db, "xa2", auth.RoleCommune, other, ""))
		if r := do(t, srv, call{"GET", path, "", []string{authz(xa2)}}); r.status != 403 || strings.Contains(string(r.body), "TC1") {
			t.Errorf("other commune reads: %d %s", r.status, r.body)
		}
		// Wards are not assessed against commune sets.
		ward := "00004"
		r = do(t, srv, call{"POST", "/api/v1/assessments", fmt.Sprintf(`{"unit":%q,"set":"xa-ntm-2026","period":"2026"}`, ward), []string{authz(tinh)}})
		if r.status != 422 {
			t.Errorf("assess a ward: %d %s", r.status, r.body)
		}
	})
}

func TestAPI_ConcurrentWritesOneConflict(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		commune := ruralCommunes(t, db, "01", "2026-06-30")[0].Code
		tok := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		r := do(t, srv, call{"POST", "/api/v1/assessments", fmt.Sprintf(`{"unit":%q,"set":"xa-ntm-2026","period":"2026"}`, commune), []string{authz(tok)}})
		var a assessmentBody
		r.decode(t, &a)
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf(`{"values":[{"code":"TC1","value":"%d"}]}`, i)
				statuses[i] = do(t, srv, call{"PATCH", fmt.Sprintf("/api/v1/assessments/%d/values", a.ID), body, []string{authz(tok), `If-Match: "1"`}}).status
			}()
		}
		wg.Wait()
		if !(statuses[0] == 200 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 200) {
			t.Errorf("two writes with the same version: %v, want one 200 and one 409", statuses)
		}
	})
}

// districtWith19 finds a pre-reform district with exactly 19 xã.
func districtWith19(t *testing.T, db *store.DB, day units.Date) (string, []units.Unit) {
	t.Helper()
	provinces, _ := db.Children(context.Background(), "", day)
	for _, p := range provinces {
		districts, _ := db.Children(context.Background(), p.Code, day)
		for _, d := range districts {
			if xs := ruralCommunes(t, db, d.Code, day); len(xs) == 19 {
				return d.Code, xs
			}
		}
	}
	t.Fatal("no district with exactly 19 xã")
	return "", nil
}

func TestAPI_ProgressHandMade(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		day := units.Date("2024-12-31")
		district, communes := districtWith19(t, db, day)
		admin := newToken(t, db, newUser(t, db, "admin", auth.RoleAdmin, "", ""))
		counts := []int{19, 19, 19, 18, 17, 17, 16, 15, 15, 14, 14, 13, 12, 12, 11, 10, 9, 8, 5}
		for i, c := range communes {
			r := do(t, srv, call{"POST", "/api/v1/assessments", fmt.Sprintf(`{"unit":%q,"set":"xa-ntm-2021","period":"2024"}`, c.Code), []string{authz(admin)}})
			var a assessmentBody
			r.decode(t, &a)
			var vals []string
			for n := 1; n <= 19; n++ {
				met := "0"
				if n <= counts[i] {
					met = "1"
				}
				vals = append(vals, fmt.Sprintf(`{"code":"TC%d","value":%q}`, n, met))
			}
			r = do(t, srv, call{"PATCH", fmt.Sprintf("/api/v1/assessments/%d/values", a.ID), `{"values":[` + strings.Join(vals, ",") + `]}`, []string{authz(admin), `If-Match: "1"`}})
			if r.status != 200 {
				t.Fatalf("values: %d %s", r.status, r.body)
			}
			approve(t, db, a.ID)
		}
		r := do(t, srv, call{"GET", "/api/v1/progress?set=xa-ntm-2021&as_of=2024-12-31&unit=" + district, "", []string{authz(admin)}})
		var p struct {
			UnitsTotal     int            `json:"units_total"`
			UnitsMet       int            `json:"units_met"`
			CriteriaMetSum int            `json:"criteria_met_sum"`
			CriteriaMetAvg float64        `json:"criteria_met_avg"`
			Distribution   map[string]int `json:"distribution"`
			ByCriterion    []struct {
				Number   int `json:"number"`
				UnitsMet int `json:"units_met"`
			} `json:"by_criterion"`
		}
		r.decode(t, &p)
		want := map[string]int{"19": 3, "18": 1, "17": 2, "16": 1, "15": 2, "14": 2, "13": 1, "12": 2, "11": 1, "10": 1, "9": 1, "8": 1, "5": 1}
		if p.UnitsTotal != 19 || p.UnitsMet != 3 || p.CriteriaMetSum != 263 || fmt.Sprintf("%.2f", p.CriteriaMetAvg) != "13.84" {
			t.Errorf("progress: %d units, %d met, sum %d, avg %v", p.UnitsTotal, p.UnitsMet, p.CriteriaMetSum, p.CriteriaMetAvg)
		}
		if fmt.Sprint(p.Distribution) != fmt.Sprint(want) {
			t.Errorf("distribution %v, want %v", p.Distribution, want)
		}
		if len(p.ByCriterion) != 19 || p.ByCriterion[0].UnitsMet != 19 || p.ByCriterion[18].UnitsMet != 3 {
			t.Errorf("by criterion: %+v", p.ByCriterion)
		}
		// The Vietnamese text writes the average with a decimal comma.
		r = do(t, srv, call{"GET", "/api/v1/progress?format=text&set=xa-ntm-2021&as_of=2024-12-31&unit=" + district, "", []string{authz(admin)}})
		if !strings.Contains(string(r.body), "13,84") || !strings.Contains(string(r.body), "263") {
			t.Errorf("text: %s", r.body)
		}
		r = do(t, srv, call{"GET", "/api/v1/progress?format=text&lang=en&set=xa-ntm-2021&as_of=2024-12-31&unit=" + district, "", []string{authz(admin)}})
		if !strings.Contains(string(r.body), "13.84") {
			t.Errorf("English text: %s", r.body)
		}
		// Before any assessment's period ended, nothing is assessed and nothing counts as 0.
		r = do(t, srv, call{"GET", "/api/v1/progress?set=xa-ntm-2021&as_of=2024-06-30&unit=" + district, "", []string{authz(admin)}})
		var empty struct {
			UnitsNotAssessed int     `json:"units_not_assessed"`
			CriteriaMetAvg   float64 `json:"criteria_met_avg"`
		}
		json.Unmarshal(r.body, &empty)
		if empty.UnitsNotAssessed != 19 || empty.CriteriaMetAvg != 0 {
			t.Errorf("before the period: %s", r.body)
		}
	})
}

func TestAPI_ProgressScope(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tok := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		if r := do(t, srv, call{"GET", "/api/v1/progress?unit=01&as_of=2026-06-30", "", []string{authz(tok)}}); r.status != 200 {
			t.Errorf("own province: %d %s", r.status, r.body)
		}
		for _, path := range []string{"/api/v1/progress?unit=79&as_of=2026-06-30", "/api/v1/progress?as_of=2026-06-30"} {
			if r := do(t, srv, call{"GET", path, "", []string{authz(tok)}}); r.status != 403 {
				t.Errorf("%s: %d, want 403", path, r.status)
			}
		}
	})
}
