package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func withTally(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withYear(t, m, unit, asOf)
	x, err := m.db.SaveModelTally(context.Background(), "seed", 0, resources.ModelTally{Kind: "vuon-mau", UnitCode: unit, Year: matrixYear(asOf), New: 2, Cumulative: 5})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(x.ID, 10)
}

func withUnitIndicator(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	withYear(t, m, unit, asOf)
	x, err := m.db.SaveUnitIndicator(context.Background(), "seed", 0, resources.UnitIndicator{UnitCode: unit, Year: matrixYear(asOf), Code: "thu-nhap",
		Name: "Thu nhập bình quân đầu người", Measure: "triệu đồng/người/năm", Value: 72.5})
	if err != nil {
		t.Fatal(err)
	}
	m.vars["{id}"] = strconv.FormatInt(x.ID, 10)
}

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "counts of models below a unit", method: "GET", path: "/api/v1/model-tallies?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "enter a count of models", method: "POST", path: "/api/v1/model-tallies", action: auth.Enter, setup: withYear,
			body: `{"kind":"thon-ntm","unit":"{unit}","year":{year},"new":3,"cumulative":9,"of":24}`},
		accessEndpoint{name: "count of models", method: "GET", path: "/api/v1/model-tallies/{id}", action: auth.Read, setup: withTally},
		accessEndpoint{name: "change a count of models", method: "PUT", path: "/api/v1/model-tallies/{id}", action: auth.Enter, setup: withTally,
			body: `{"kind":"vuon-mau","unit":"{unit}","year":{year},"new":28,"cumulative":96}`},
		accessEndpoint{name: "delete a count of models", method: "DELETE", path: "/api/v1/model-tallies/{id}", action: auth.Enter, setup: withTally},

		accessEndpoint{name: "a unit's own figures", method: "GET", path: "/api/v1/unit-indicators?unit={unit}&as_of={as_of}", action: auth.Read},
		accessEndpoint{name: "enter a unit's own figure", method: "POST", path: "/api/v1/unit-indicators", action: auth.Enter, setup: withYear,
			body: `{"unit":"{unit}","year":{year},"code":"ho-ngheo","name":"Tỷ lệ hộ nghèo đa chiều","measure":"%","value":1.2}`},
		accessEndpoint{name: "a unit's figure", method: "GET", path: "/api/v1/unit-indicators/{id}", action: auth.Read, setup: withUnitIndicator},
		accessEndpoint{name: "change a unit's figure", method: "PUT", path: "/api/v1/unit-indicators/{id}", action: auth.Enter, setup: withUnitIndicator,
			body: `{"unit":"{unit}","year":{year},"code":"thu-nhap","name":"Thu nhập bình quân đầu người","value":75}`},
		accessEndpoint{name: "delete a unit's figure", method: "DELETE", path: "/api/v1/unit-indicators/{id}", action: auth.Enter, setup: withUnitIndicator},
	)
}

// Models entered as counts and one by one make one count: a unit's tally stands for its rows,
// a village's share is counted against the commune's stated total or the villages the unit
// list holds, and the summary prints "10/25 thôn (40,0%)".
func TestModelTallies_SummaryCountsOncePerFact(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		// Phường Pleiku (23575) has one village in the unit list.
		if _, err := db.ImportUnits(ctx, []units.Unit{{Code: "2357501", Name: "Thôn Một", FullName: "Thôn Một", Level: units.LevelVillage,
			Type: "thôn", ParentCode: "23575", Region: units.RegionTN, ValidFrom: "2025-07-01", ValidTo: units.Forever}}, nil); err != nil {
			t.Fatal(err)
		}
		tinh := []string{authz(newToken(t, db, newUser(t, db, "tinh.gia-lai", auth.RoleProvince, "52", "")))}
		for _, c := range []struct {
			path, body string
			status     int
			field      string
		}{
			// Nhơn Châu (21607): 9 of its 24 villages meet the standard, 3 of them new in 2025.
			{"/api/v1/model-tallies", `{"kind":"thon-ntm","unit":"21607","year":2025,"new":3,"cumulative":9,"of":24}`, 200, ""},
			// Its gardens as counts, and one garden also entered as a row: the count stands for it.
			{"/api/v1/model-tallies", `{"kind":"vuon-mau","unit":"21607","year":2025,"new":28,"cumulative":96}`, 200, ""},
			{"/api/v1/models", `{"kind":"vuon-mau","unit":"21607","name":"Vườn hộ ông A","year":2025}`, 201, ""},
			// Pleiku's garden and its one village, entered as rows.
			{"/api/v1/models", `{"kind":"vuon-mau","unit":"23575","name":"Vườn hộ bà B","year":2025}`, 201, ""},
			{"/api/v1/models", `{"kind":"thon-ntm","unit":"2357501","name":"Thôn Một","year":2025}`, 201, ""},
			// The same count entered again replaces it.
			{"/api/v1/model-tallies", `{"kind":"thon-ntm","unit":"21607","year":2025,"new":3,"cumulative":9,"of":24}`, 200, ""},
			// Bad input names its field and changes nothing.
			{"/api/v1/model-tallies", `{"kind":"thon-ntm","unit":"21607","year":2025,"new":5,"cumulative":4}`, 400, "cumulative"},
			{"/api/v1/model-tallies", `{"kind":"thon-ntm","unit":"21607","year":2025,"new":1,"cumulative":30,"of":24}`, 400, "of"},
			{"/api/v1/model-tallies", `{"kind":"cho","unit":"21607","year":2025,"new":1,"cumulative":3}`, 400, "kind"},
			// Another province (Đà Nẵng, 48) is not the user's to enter.
			{"/api/v1/model-tallies", `{"kind":"vuon-mau","unit":"48","year":2025,"new":1,"cumulative":3}`, 403, ""},
		} {
			a := do(t, srv, call{"POST", c.path, c.body, tinh})
			if a.status != c.status || (c.field != "" && !strings.Contains(string(a.body), `"field":"`+c.field+`"`)) {
				t.Errorf("%s %s: %d %s, want %d %s", c.path, c.body, a.status, a.body, c.status, c.field)
			}
		}
		for _, c := range []struct {
			path string
			want []string
		}{
			{"/api/v1/models/summary?unit=52&year=2025&to=2025&as_of=2025-12-31&format=text",
				[]string{"có thêm 29 vườn mẫu, nâng tổng số lên 97 vườn mẫu", "có thêm 04 thôn đạt chuẩn nông thôn mới, nâng tổng số lên 10 thôn đạt chuẩn nông thôn mới, đạt 10/25 thôn (40,0%)"}},
			{"/api/v1/models/summary?unit=21607&to=2025&as_of=2025-12-31&format=text",
				[]string{"có thêm 28 vườn mẫu, nâng tổng số lên 96 vườn mẫu", "nâng tổng số lên 09 thôn đạt chuẩn nông thôn mới, đạt 9/24 thôn (37,5%)"}},
			{"/api/v1/models/summary?unit=21607&to=2025&as_of=2025-12-31&format=text&lang=en",
				[]string{"28 more model gardens, 96 in all", "9 in all: 9/24 villages (37.5%)"}},
			{"/api/v1/models/summary?unit=21607&to=2025&as_of=2025-12-31", []string{`"share":{"met":9,"of":24,"pct":37.5`}},
		} {
			a := do(t, srv, call{"GET", c.path, "", tinh})
			for _, w := range c.want {
				if a.status != 200 || !strings.Contains(string(a.body), w) {
					t.Errorf("%s: %d %s\nwant %q", c.path, a.status, a.body, w)
				}
			}
		}
	})
}

// Targets on each kind of model and on a unit's own figure read the aggregate registers and
// name what they are set on.
func TestModelTallies_Targets(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tinh := []string{authz(newToken(t, db, newUser(t, db, "tinh.gia-lai", auth.RoleProvince, "52", "")))}
		for _, c := range []struct{ path, body string }{
			{"/api/v1/model-tallies", `{"kind":"thon-ntm","unit":"21607","year":2025,"new":3,"cumulative":9,"of":24}`},
			{"/api/v1/unit-indicators", `{"unit":"52","year":2025,"code":"thu-nhap","name":"Thu nhập bình quân đầu người","measure":"triệu đồng/người/năm","value":72.5}`},
			{"/api/v1/targets", `{"unit":"52","year":2025,"metric":"models_share:thon-ntm","value":50}`},
			{"/api/v1/targets", `{"unit":"52","year":2025,"metric":"models_new:thon-ntm","value":3}`},
			{"/api/v1/targets", `{"unit":"52","year":2025,"metric":"own:thu-nhap","value":70}`},
			{"/api/v1/targets", `{"unit":"52","year":2025,"metric":"own:ho-ngheo","value":1,"direction":"at_most"}`},
			{"/api/v1/funding", `{"unit":"21607","year":2025,"parts":{"nstw":100,"nsdp":20}}`},
			{"/api/v1/targets", `{"unit":"52","year":2025,"metric":"funding:nstw","value":150}`},
			{"/api/v1/targets", `{"unit":"52","year":2025,"metric":"ocop_certified_4star","value":2}`},
		} {
			if a := do(t, srv, call{"POST", c.path, c.body, tinh}); a.status != 200 {
				t.Fatalf("%s %s: %d %s", c.path, c.body, a.status, a.body)
			}
		}
		var got struct {
			Targets []struct {
				Metric, Name, Source string
				Status               struct {
					Actual  *float64
					OnTrack string `json:"on_track"`
				}
			}
		}
		do(t, srv, call{"GET", "/api/v1/targets?unit=52&year=2025&as_of=2025-12-31", "", tinh}).decode(t, &got)
		want := map[string]struct {
			actual float64 // -1: no data
			status string
			name   string
		}{
			"models_share:thon-ntm": {37.5, "off_track", "Thôn đạt chuẩn nông thôn mới, tỷ lệ trên tổng số thôn (%)"},
			"models_new:thon-ntm":   {3, "met", "Thôn đạt chuẩn nông thôn mới, mới trong năm"},
			"own:thu-nhap":          {72.5, "met", "Thu nhập bình quân đầu người"},
			"own:ho-ngheo":          {-1, "no_data", ""},
			"funding:nstw":          {100, "off_track", "Vốn huy động: Ngân sách trung ương"},
			"ocop_certified_4star":  {0, "off_track", ""},
		}
		if len(got.Targets) != len(want) {
			t.Fatalf("targets: %+v", got.Targets)
		}
		for _, tg := range got.Targets {
			w := want[tg.Metric]
			has := tg.Status.Actual != nil
			if has != (w.actual >= 0) || (has && *tg.Status.Actual != w.actual) || tg.Status.OnTrack != w.status || tg.Name != w.name {
				t.Errorf("%s: %+v name %q source %q, want %+v", tg.Metric, tg.Status, tg.Name, tg.Source, w)
			}
		}
	})
}

// The models page enters counts and shows the share; the figures tab enters a unit's own
// figure and lists it by name; a refused form says which field, and stores nothing.
func TestTalliesPages_EnterAndShow(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	prov := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
	for _, c := range []struct {
		path   string
		form   url.Values
		status int
		want   string
	}{
		{"/models/counts", url.Values{"kind": {"thon-ntm"}, "unit": {"21607"}, "year": {"2025"}, "new": {"3"}, "cumulative": {"2"}, "back_unit": {"52"}}, 422,
			"lũy kế 2 nhỏ hơn số mới trong năm 3"},
		{"/models/counts", url.Values{"kind": {"thon-ntm"}, "unit": {"21607"}, "year": {"2025"}, "new": {"3"}, "cumulative": {"9"}, "of": {"24"}, "back_unit": {"52"}}, 303, ""},
		{"/unit-indicators", url.Values{"unit": {"52"}, "year": {"2025"}, "code": {"thu-nhap"}, "name": {"Thu nhập bình quân đầu người"}, "value": {"abc"}}, 422,
			"“abc” không phải là số"},
		{"/unit-indicators", url.Values{"unit": {"52"}, "year": {"2025"}, "code": {"thu-nhap"}, "name": {"Thu nhập bình quân đầu người"},
			"measure": {"triệu đồng/người/năm"}, "value": {"72,5"}}, 303, ""},
	} {
		status, _, body := resPostForm(t, srv, c.path, c.form, srv.URL, prov)
		if status != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s %v: %d, want %d %q\n%s", c.path, c.form, status, c.status, c.want, body)
		}
	}
	for path, want := range map[string][]string{
		"/models?unit=52&year=2025&as_of=2025-12-31":          {"đạt 9/24 thôn (37,5%)", "Số liệu tổng hợp đến năm 2025", "Xã Nhơn Châu"},
		"/unit-indicators?unit=52&year=2025&as_of=2025-12-31": {"Thu nhập bình quân đầu người: 72,5 triệu đồng/người/năm", "own:thu-nhap"},
	} {
		_, _, body := fetch(t, srv, path, "vi", prov)
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
	if ts, _ := db.ListModelTallies(context.Background(), store.TallyFilter{}); len(ts) != 1 {
		t.Errorf("tallies stored: %+v", ts)
	}
}
