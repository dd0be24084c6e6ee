package web_test

import (
	"fmt"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func TestAPI_TargetsOnTrack(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		xa := newToken(t, db, newUser(t, db, "xa", auth.RoleCommune, ruralCommunes(t, db, "01", "2026-06-30")[0].Code, ""))
		// Two communes of Hà Nội meet all 10 criteria of 2026 as of Q2.
		for _, c := range ruralCommunes(t, db, "01", "2026-06-30")[:2] {
			r := do(t, srv, call{"POST", "/api/v1/assessments", fmt.Sprintf(`{"unit":%q,"set":"xa-ntm-2026","period":"2026-Q2"}`, c.Code), []string{authz(tinh)}})
			var a assessmentBody
			r.decode(t, &a)
			vals := `{"values":[`
			for n := 1; n <= 10; n++ {
				if n > 1 {
					vals += ","
				}
				vals += fmt.Sprintf(`{"code":"TC%d","value":"1"}`, n)
			}
			do(t, srv, call{"PATCH", fmt.Sprintf("/api/v1/assessments/%d/values", a.ID), vals + "]}", []string{authz(tinh), `If-Match: "1"`}})
			approve(t, db, a.ID)
		}
		cases := []struct {
			body, want string
		}{
			{`{"unit":"01","year":2026,"metric":"units_met","set":"xa-ntm-2026","value":2}`, "met"},
			{`{"unit":"01","year":2026,"metric":"units_met","set":"xa-ntm-2026","value":3}`, "on_track"}, // 2 ≥ 3 × 181/365
			{`{"unit":"01","year":2026,"metric":"criteria_met_avg","set":"xa-ntm-2026","value":10}`, "met"},
			{`{"unit":"01","year":2026,"metric":"share_met","set":"xa-ntm-2026","value":65}`, "off_track"}, // 2 of 75 xã
		}
		for _, c := range cases {
			r := do(t, srv, call{"POST", "/api/v1/targets", c.body, []string{authz(tinh)}})
			if r.status != 200 {
				t.Fatalf("put target: %d %s", r.status, r.body)
			}
			r = do(t, srv, call{"GET", "/api/v1/targets?unit=01&year=2026&as_of=2026-06-30", "", []string{authz(tinh)}})
			var got struct {
				Targets []struct {
					Metric string
					Value  float64
					Status struct {
						OnTrack string `json:"on_track"`
					}
				}
			}
			r.decode(t, &got)
			found := false
			for _, tg := range got.Targets {
				if fmt.Sprintf(`"metric":%q`, tg.Metric) != "" && c.body == fmt.Sprintf(`{"unit":"01","year":2026,"metric":%q,"set":"xa-ntm-2026","value":%g}`, tg.Metric, tg.Value) {
					found = true
					if tg.Status.OnTrack != c.want {
						t.Errorf("%s: %s, want %s", c.body, tg.Status.OnTrack, c.want)
					}
				}
			}
			if !found {
				t.Errorf("%s: target not listed: %s", c.body, r.body)
			}
		}
		// Commune officers read targets but may not set them; unknown metrics are refused.
		if r := do(t, srv, call{"POST", "/api/v1/targets", `{"unit":"01","year":2026,"metric":"units_met","set":"xa-ntm-2026","value":1}`, []string{authz(xa)}}); r.status != 403 {
			t.Errorf("commune sets a target: %d", r.status)
		}
		if r := do(t, srv, call{"POST", "/api/v1/targets", `{"unit":"01","year":2026,"metric":"happiness","value":1}`, []string{authz(tinh)}}); r.status != 400 {
			t.Errorf("unknown metric: %d %s", r.status, r.body)
		}
	})
}

func TestAPI_TargetsOfRegisters(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		for _, c := range []struct {
			body   string
			status int
		}{
			{`{"unit":"01","year":2026,"metric":"ocop_3star_plus","value":8}`, 200},
			{`{"unit":"01","year":2026,"metric":"funding_total","value":356410}`, 200},
			{`{"unit":"01","year":2026,"metric":"recognitions_new","set":"xa-ntm-2026","value":5}`, 200},
			{`{"unit":"01","year":2026,"metric":"ocop_3star_plus","set":"xa-ntm-2026","value":8}`, 400},
		} {
			if r := do(t, srv, call{"POST", "/api/v1/targets", c.body, []string{authz(tinh)}}); r.status != c.status {
				t.Errorf("%s: %d %s", c.body, r.status, r.body)
			}
		}
		r := do(t, srv, call{"GET", "/api/v1/targets?unit=01&year=2026&as_of=2026-06-30", "", []string{authz(tinh)}})
		var got struct {
			Targets []struct {
				Metric string
				Status struct {
					Actual  *float64
					OnTrack string `json:"on_track"`
				}
			}
		}
		r.decode(t, &got)
		for _, tg := range got.Targets {
			// An empty OCOP register counts 0 products: behind a target of 8.
			if tg.Metric == "ocop_3star_plus" && (tg.Status.Actual == nil || *tg.Status.Actual != 0 || tg.Status.OnTrack != "off_track") {
				t.Errorf("ocop target: %+v", tg.Status)
			}
		}
		if len(got.Targets) != 3 {
			t.Errorf("targets: %s", r.body)
		}
		// Why a register target has no actual, in the request's language.
		for lang, want := range map[string]string{"": "chưa có số liệu vốn huy động năm này", "en": "no funding entered for the year"} {
			r := do(t, srv, call{"GET", "/api/v1/targets?unit=01&year=2026&as_of=2026-06-30&lang=" + lang, "", []string{authz(tinh)}})
			var src struct {
				Targets []struct{ Metric, Source string }
			}
			r.decode(t, &src)
			for _, tg := range src.Targets {
				if tg.Metric == "funding_total" && tg.Source != want {
					t.Errorf("lang %q: source %q, want %q", lang, tg.Source, want)
				}
			}
		}
	})
}
