package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/plan/plantest"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "plan", method: "GET", path: "/api/v1/plan?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "plan warnings", method: "GET", path: "/api/v1/plan/warnings?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "plan costs", method: "GET", path: "/api/v1/plan/costs?unit={unit}&as_of={as_of}&set=xa-ntm-2021", action: auth.Read},
		accessEndpoint{name: "import plan costs", method: "POST", path: "/api/v1/plan/costs?unit={unit}&as_of={as_of}&set=xa-ntm-2021&filename=dg.csv",
			action: auth.ManageTargets, body: "Mã chỉ tiêu,Đơn giá (triệu đồng)\n2.1,\"12,5\"\n"},
		accessEndpoint{name: "plan proposal", method: "GET", path: "/api/v1/plan/proposal?unit={unit}&as_of={as_of}&count=2", action: auth.Read},
		accessEndpoint{name: "plan what-if", method: "POST", path: "/api/v1/plan/projection", action: auth.Read,
			body: `{"unit":"{unit}","as_of":"{as_of}","assumptions":[]}`},
		accessEndpoint{name: "plan scenarios", method: "GET", path: "/api/v1/plan/scenarios?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "save a plan scenario", method: "POST", path: "/api/v1/plan/scenarios", action: auth.ManageTargets, setup: withSeq,
			body: `{"unit":"{unit}","as_of":"{as_of}","year":{year},"name":"Phương án {n}","assumptions":[]}`},
		accessEndpoint{name: "plan scenario", method: "GET", path: "/api/v1/plan/scenarios/{id}", action: auth.Read, setup: withScenario},
		accessEndpoint{name: "save a scenario's next version", method: "PUT", path: "/api/v1/plan/scenarios/{id}", action: auth.ManageTargets, setup: withScenario,
			body: `{"version":1,"as_of":"{as_of}","assumptions":[]}`},
		accessEndpoint{name: "compare a scenario", method: "GET", path: "/api/v1/plan/scenarios/{id}/compare?as_of={as_of}", action: auth.Read, setup: withScenario},
	)
}

// withScenario stores a scenario of the unit for the year of asOf and sets {id}.
func withScenario(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withSeq(t, m, unit, asOf)
	sc, err := m.db.CreateScenario(context.Background(), "seed", store.Scenario{UnitCode: unit, Year: matrixYear(asOf), SetID: "xa-ntm-2026",
		Name: "Kịch bản " + m.vars["{n}"], Assumptions: []byte("[]"), Projected: []byte(`{"projected":{"communes":0}}`)})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(sc.ID, 10)
}

// planBody is the JSON of GET /api/v1/plan, in the shape issue 19 gives.
type planBody struct {
	Units []struct {
		Code              string `json:"code"`
		Name              string `json:"name"`
		CriteriaMissing   int    `json:"criteria_missing"`
		IndicatorsMissing int    `json:"indicators_missing"`
		Missing           []struct {
			Criterion  int `json:"criterion"`
			Indicators []struct {
				Code      string   `json:"code"`
				Value     any      `json:"value"`
				Threshold any      `json:"threshold"`
				Op        string   `json:"op"`
				Gap       *float64 `json:"gap"`
			} `json:"indicators"`
		} `json:"missing"`
	} `json:"units"`
	Incomplete []struct{ Code string } `json:"incomplete"`
	Empty      bool                    `json:"empty"`
	Message    string                  `json:"message"`
}

func TestAPI_PlanGapsOfTheConstructedProvince(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		plantest.Build(t, db)
		srv := newServer(t, db)
		var p planBody
		if st := get(t, srv, "/api/v1/plan?unit=99&set=thu-nghiem-2026&as_of=2026-12-31", &p); st != 200 {
			t.Fatalf("status %d", st)
		}
		var order []string
		for _, u := range p.Units {
			order = append(order, u.Code)
		}
		if strings.Join(order, ",") != "99002,99001,99007,99003" || len(p.Incomplete) != 1 || p.Incomplete[0].Code != "99005" {
			t.Fatalf("order %v, incomplete %v", order, p.Incomplete)
		}
		g := p.Units[3].Missing[1].Indicators[0] // 99003, criterion 2: 70 → 80
		if p.Units[3].Missing[1].Criterion != 2 || g.Code != "2.1" || g.Value != 70.0 || g.Threshold != 80.0 || g.Op != ">=" || g.Gap == nil || *g.Gap != 10 {
			t.Errorf("99003 criterion 2: %+v", g)
		}
		// A day before any assessment: an empty plan that says so, not an error.
		p = planBody{}
		if st := get(t, srv, "/api/v1/plan?unit=99&set=thu-nghiem-2026&as_of=2025-08-01", &p); st != 200 || !p.Empty || p.Message == "" || len(p.Units) != 0 {
			t.Errorf("empty plan: %d %+v", st, p)
		}
		// Bad input: the same answers as GET /api/v1/progress.
		for _, c := range []struct {
			path  string
			want  int
			field string
		}{
			{"/api/v1/plan?unit=99&set=nope", 400, "set"},
			{"/api/v1/plan?unit=99&as_of=31-13-2026", 400, "as_of"},
			{"/api/v1/plan?unit=98&set=thu-nghiem-2026", 404, ""},
			{"/api/v1/plan/warnings?unit=99&set=nope", 400, "set"},
		} {
			var e struct {
				Error struct{ Code, Field string }
			}
			if st := get(t, srv, c.path, &e); st != c.want || e.Error.Field != c.field {
				t.Errorf("%s: %d %+v, want %d field %q", c.path, st, e, c.want, c.field)
			}
			// The progress of the same unit, set and day is refused the same way.
			progress := strings.NewReplacer("/plan/warnings", "/progress", "/plan", "/progress").Replace(c.path)
			if st := get(t, srv, progress, &e); st != c.want {
				t.Errorf("%s: %d, but %s: %d", progress, st, c.path, c.want)
			}
		}
	})
}
