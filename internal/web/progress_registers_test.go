package web_test

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestProgress_CarriesTheRegistersWhenPresent(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		seedResources(t, db)
		tok := newToken(t, db, newUser(t, db, "trung-uong", auth.RoleCentral, "", ""))
		cases := []struct {
			name    string
			path    string
			present []string
			absent  []string
		}{
			{"province at the end of 2025: funding, works, models; no task yet",
				"/api/v1/progress?unit=52&as_of=2025-12-31", []string{"funding", "works", "models"}, []string{"tasks_overdue", "ocop"}},
			{"province today: the task due yesterday is overdue",
				"/api/v1/progress?unit=52", []string{"tasks_overdue", "models"}, []string{"ocop"}},
			{"province with nothing entered",
				"/api/v1/progress?unit=01&as_of=2025-12-31", nil, []string{"funding", "works", "models", "tasks_overdue", "ocop"}},
		}
		for _, c := range cases {
			a := do(t, srv, call{"GET", c.path, "", []string{authz(tok)}})
			if a.status != 200 {
				t.Fatalf("%s: %d %s", c.name, a.status, a.body)
			}
			var body map[string]any
			a.decode(t, &body)
			if body["units_total"] == nil {
				t.Errorf("%s: the progress figures are gone: %s", c.name, a.body)
			}
			for _, k := range c.present {
				if body[k] == nil {
					t.Errorf("%s: lacks %s", c.name, k)
				}
			}
			for _, k := range c.absent {
				if _, ok := body[k]; ok {
					t.Errorf("%s: carries %s though it is empty", c.name, k)
				}
			}
		}
		var body struct {
			Funding struct {
				Total float64 `json:"total"`
				Flags []any   `json:"flags"`
			} `json:"funding"`
			Works struct {
				Rate float64 `json:"disbursement_pct"`
			} `json:"works"`
			Overdue struct {
				Count int `json:"count"`
			} `json:"tasks_overdue"`
		}
		do(t, srv, call{"GET", "/api/v1/progress?unit=52&as_of=2025-12-31", "", []string{authz(tok)}}).decode(t, &body)
		if body.Funding.Total != 370600 || len(body.Funding.Flags) != 1 || body.Works.Rate != 25 {
			t.Errorf("Gia Lai 2025: %+v", body)
		}
		do(t, srv, call{"GET", "/api/v1/progress?unit=52", "", []string{authz(tok)}}).decode(t, &body)
		if body.Overdue.Count != 1 {
			t.Errorf("Gia Lai today: %d overdue tasks, want 1", body.Overdue.Count)
		}

		for lang, want := range map[string][]string{
			"vi": {"Năm 2025 huy động 370.600 triệu đồng", "Hoàn thành 104,48 km đường liên xã", "Năm 2025 có thêm 01 khu dân cư kiểu mẫu"},
			"en": {"In 2025, 370,600 million VND was mobilised", "Completed 104.48 km of inter-commune road", "In 2025: 1 more model residential areas"},
		} {
			a := do(t, srv, call{"GET", "/api/v1/progress?unit=52&as_of=2025-12-31&format=text&lang=" + lang, "", []string{authz(tok)}})
			for _, w := range want {
				if !strings.Contains(string(a.body), w) {
					t.Errorf("text (%s) lacks %q:\n%s", lang, w, a.body)
				}
			}
		}
	})
}
