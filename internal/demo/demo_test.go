package demo_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/demo"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
	"github.com/ntm-vn/ntm/internal/web"
)

func init() { auth.Argon2 = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1} }

func load(t *testing.T, db *store.DB) demo.Stats {
	t.Helper()
	ctx := context.Background()
	us, ls, err := units.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(ctx, us, ls); err != nil {
		t.Fatal(err)
	}
	st, err := demo.Load(ctx, db, demo.Options{Provinces: []string{"01", "79"}})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestDemo_ProvinceOfficerSeesOwnProgressOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st := load(t, db)
		if st.Users != 9 || st.Assessments == 0 || st.Values == 0 || st.Recognitions == 0 || st.OCOPProducts == 0 {
			t.Fatalf("demo loaded %+v", st)
		}
		// The council's members have an evaluation to score when they sign in.
		if open, err := db.OpenOCOPEvaluationsOf(context.Background(), "ocop"); err != nil || len(open) != 1 {
			t.Errorf("open evaluations of the demo council member: %d %v", len(open), err)
		}
		// Products are named as producers name theirs, not by their category.
		ps, err := db.OCOPProducts(context.Background(), store.OCOPQuery{Root: "01", Day: "2026-11-01"})
		if err != nil || len(ps) == 0 {
			t.Fatalf("Hà Nội's OCOP products: %d %v", len(ps), err)
		}
		for _, p := range ps {
			if strings.HasPrefix(p.Name, "Rau, củ") || strings.HasPrefix(p.Name, "Gạo, ngũ cốc") || strings.HasPrefix(p.Name, "Chế biến từ") {
				t.Errorf("a product named by its category: %q", p.Name)
			}
		}
		// Loading again changes nothing.
		if again, err := demo.Load(context.Background(), db, demo.Options{Provinces: []string{"01"}}); err != nil || again.Values != 0 {
			t.Errorf("second load: %+v %v", again, err)
		}
		srv := httptest.NewServer(web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))))
		defer srv.Close()
		jar := &cookieJar{}
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/session", strings.NewReader(`{"username":"tinh","password":"`+demo.Password+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("sign in as the demo province officer: %v %v", resp.Status, err)
		}
		jar.cookies = resp.Cookies()
		resp.Body.Close()

		get := func(path string) (int, map[string]any) {
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			for _, c := range jar.cookies {
				req.AddCookie(c)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			return resp.StatusCode, body
		}
		status, p := get("/api/v1/progress?unit=01&as_of=2026-09-30")
		if status != 200 {
			t.Fatalf("own province: %d %v", status, p)
		}
		for _, f := range []string{"units_total", "units_met", "units_recognized", "criteria_total", "criteria_met_sum", "criteria_met_avg",
			"indicators_total", "indicators_met_sum", "indicators_met_avg", "distribution", "bands", "by_criterion", "children", "fell_back", "delta"} {
			if _, ok := p[f]; !ok {
				t.Errorf("progress lacks %s", f)
			}
		}
		if p["units_recognized"].(float64) == 0 || p["ocop"] == nil {
			t.Errorf("Hà Nội 2026: %v recognised, OCOP %v", p["units_recognized"], p["ocop"])
		}
		// The resources register: Hà Nội's 2026 funding (its reported total flagged), works and models.
		if f, ok := p["funding"].(map[string]any); !ok || f["total"].(float64) == 0 || len(f["flags"].([]any)) != 1 || p["works"] == nil || p["models"] == nil {
			t.Errorf("Hà Nội 2026: funding %v, works %v, models %v", p["funding"], p["works"] != nil, p["models"] != nil)
		}
		all, _, _ := units.Shipped()
		if _, od := get("/api/v1/progress?unit=01"); od["tasks_overdue"] == nil || od["tasks_overdue"].(map[string]any)["count"].(float64) != 1 ||
			od["tasks_overdue"].(map[string]any)["tasks"].([]any)[0].(map[string]any)["owner"] != demo.DemoCommune(all) {
			t.Errorf("Hà Nội today: overdue tasks %v, want the demo commune's one", od["tasks_overdue"])
		}
		if p["units_total"].(float64) != 75 || p["criteria_met_sum"].(float64) == 0 || len(p["children"].([]any)) != 75 {
			t.Errorf("Hà Nội 2026: %v xã, %v criteria, %d children", p["units_total"], p["criteria_met_sum"], len(p["children"].([]any)))
		}
		// History before the reform: the old districts of Hà Nội, improving over the years.
		_, p22 := get("/api/v1/progress?unit=01&set=xa-ntm-2021&as_of=2022-12-31")
		_, p24 := get("/api/v1/progress?unit=01&set=xa-ntm-2021&as_of=2024-12-31")
		if !(p24["criteria_met_avg"].(float64) > p22["criteria_met_avg"].(float64)) || len(p24["fell_back"].([]any)) == 0 {
			t.Errorf("2022 → 2024: average %v → %v, %d fell back", p22["criteria_met_avg"], p24["criteria_met_avg"], len(p24["fell_back"].([]any)))
		}
		if status, _ := get("/api/v1/progress?unit=79&as_of=2026-09-30"); status != 403 {
			t.Errorf("another province: %d, want 403", status)
		}
	})
}

type cookieJar struct{ cookies []*http.Cookie }

// The README's run command loads the demo for the whole country on SQLite: it must load
// without a conflict anywhere (tests of two provinces cannot show a clash in a third).
func TestDemo_LoadsTheWholeCountry(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	us, ls, err := units.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(ctx, us, ls); err != nil {
		t.Fatal(err)
	}
	st, err := demo.Load(ctx, db, demo.Options{})
	if err != nil {
		t.Fatalf("the national demo does not load: %v", err)
	}
	if st.Assessments < 30000 || st.Recognitions == 0 || st.OCOPProducts == 0 {
		t.Errorf("national demo: %+v", st)
	}
}

// Issue 15.10: the demo province shows each feature at work without entering anything —
// dossiers at every step of the commune workflow and in every status, the queue's
// assessments in every status, and a report issued with its number.
func TestDemo_ShowcaseInTheDemoProvince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		load(t, db)
		ctx := context.Background()
		ds, err := db.Dossiers(ctx, store.DossierFilter{Within: demo.ShowcaseProvince, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		steps, statuses := map[string]int{}, map[recognition.Status]int{}
		for _, d := range ds {
			statuses[d.Status]++
			if !d.Status.Closed() {
				steps[d.StepID]++
			}
		}
		lib, _ := recognition.Shipped()
		wf, _ := lib.Workflow("xa-2025")
		for _, s := range wf.Steps {
			if steps[s.ID] == 0 {
				t.Errorf("no open dossier at step %s (steps: %v)", s.ID, steps)
			}
		}
		for _, s := range recognition.Statuses {
			if statuses[s] == 0 {
				t.Errorf("no dossier %s (statuses: %v)", s, statuses)
			}
		}
		// The demo commune officer's commune is left for the visitor to open its dossier.
		all, _, _ := units.Shipped()
		if own, _ := db.Dossiers(ctx, store.DossierFilter{Unit: demo.DemoCommune(all)}); len(own) != 0 {
			t.Errorf("the demo commune already has %d dossiers", len(own))
		}

		for _, s := range assessment.Statuses {
			if as, err := db.ListAssessments(ctx, store.AssessmentFilter{Within: demo.ShowcaseProvince, Status: s, Limit: 1}); err != nil || len(as) == 0 {
				t.Errorf("no assessment %s in the demo province: %v", s, err)
			}
		}

		drafts, err := db.ReportDrafts(ctx, []string{demo.ShowcaseProvince})
		if err != nil {
			t.Fatal(err)
		}
		issued := false
		for _, d := range drafts {
			issued = issued || d.UnitCode == demo.ShowcaseProvince && d.Period == demo.ShowcaseReportPeriod && d.Status == store.DraftIssued && d.Number == demo.ShowcaseReportNumber
		}
		if !issued {
			t.Errorf("no report of %s issued with number %d: %+v", demo.ShowcaseReportPeriod, demo.ShowcaseReportNumber, drafts)
		}
	})
}

// A demo user that already exists (the administrator made by hand before the demo) is kept,
// and the others are still made: CreateUser's error wraps store.ErrUserExists.
func TestDemo_KeepsAnExistingUser(t *testing.T) {
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.CreateUser(ctx, auth.User{Username: "admin", Name: "Quản trị", Role: auth.RoleAdmin}, "system"); err != nil {
			t.Fatal(err)
		}
		st, err := demo.Load(ctx, db, demo.Options{Provinces: []string{"01"}})
		if err != nil {
			t.Fatal(err)
		}
		if st.Users != 8 {
			t.Errorf("demo users made: %d, want 8 (9 less the existing admin)", st.Users)
		}
	})
}
