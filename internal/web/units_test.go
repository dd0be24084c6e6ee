package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
	"github.com/ntm-vn/ntm/internal/web"
)

// newServer returns a test server over db, which holds the shipped units (a copy of
// storetest.Units), and an admin whose API token get sends.
func newServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	if _, err := db.Unit(context.Background(), "01", "2025-06-30"); err != nil {
		t.Fatalf("newServer needs the shipped units (a database from storetest.Units): %v", err)
	}
	srv := httptest.NewServer(web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))))
	bearer.Store(srv.URL, newToken(t, db, newUser(t, db, "admin-test", auth.RoleAdmin, "", "")))
	t.Cleanup(func() {
		srv.Close()
		bearer.Delete(srv.URL)
	})
	return srv
}

// bearer holds the API token that get sends to each server made by newServer (tests run in
// parallel: a sync.Map).
var bearer sync.Map // srv.URL → token

// bearerOf is the admin's API token of a server made by newServer.
func bearerOf(srv *httptest.Server) string {
	tok, _ := bearer.Load(srv.URL)
	s, _ := tok.(string)
	return s
}

// get fetches path and decodes the JSON body into v, returning the status.
func get(t *testing.T, srv *httptest.Server, path string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if tok := bearerOf(srv); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: decode: %v", path, err)
	}
	return resp.StatusCode
}

type errorBody struct {
	Error struct {
		Code, Message, Field string
	}
}

func TestAPI_Units(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)

		var list struct{ Units []units.Unit }
		if st := get(t, srv, "/api/v1/units?as_of=2026-01-01", &list); st != 200 || len(list.Units) != 34 {
			t.Errorf("provinces 2026: status %d, %d units", st, len(list.Units))
		}
		if st := get(t, srv, "/api/v1/units?as_of=2025-06-30", &list); st != 200 || len(list.Units) != 63 {
			t.Errorf("provinces 2025-06-30: status %d, %d units", st, len(list.Units))
		}
		get(t, srv, "/api/v1/units?parent=01&as_of=2025-06-30", &list)
		if len(list.Units) != 30 || list.Units[0].Level != units.LevelDistrict {
			t.Errorf("Hà Nội's children before the reform: %d", len(list.Units))
		}
		get(t, srv, "/api/v1/units?q=soc%20son&as_of=2025-06-30", &list)
		if len(list.Units) == 0 || list.Units[0].FullName != "Huyện Sóc Sơn" {
			t.Errorf("search soc son: %+v", list.Units)
		}

		var d struct {
			units.Unit
			Parent       *units.Unit
			RegionName   string `json:"region_name"`
			Successors   []store.Link
			Predecessors []store.Link
		}
		if st := get(t, srv, "/api/v1/units/00013?as_of=2025-06-30", &d); st != 200 {
			t.Fatalf("unit 00013: status %d", st)
		}
		if d.FullName != "Phường Quán Thánh" || d.Parent == nil || d.Parent.Code != "001" || d.RegionName != "Đồng bằng sông Hồng" {
			t.Errorf("unit 00013: %+v parent %+v", d.Unit, d.Parent)
		}
		if len(d.Successors) != 1 || d.Successors[0].Unit.Code != "00004" || d.Successors[0].Unit.FullName != "Phường Ba Đình" {
			t.Errorf("00013 successors: %+v", d.Successors)
		}
		var succ struct {
			Unit       units.Unit
			Successors []store.Link
		}
		if st := get(t, srv, "/api/v1/units/00013/successors?as_of=2025-07-01", &succ); st != 200 || len(succ.Successors) != 1 || succ.Successors[0].Unit.Code != "00004" {
			t.Errorf("successors as of 2025-07-01: %d %+v", st, succ)
		}
		var pred struct{ Predecessors []store.Link }
		get(t, srv, "/api/v1/units/00004/predecessors?as_of=2025-07-01", &pred)
		if len(pred.Predecessors) < 2 {
			t.Errorf("predecessors of 00004: %+v", pred)
		}
	})
}

func TestAPI_UnitErrors(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		cases := []struct {
			path   string
			status int
			code   string
			field  string
		}{
			{"/api/v1/units/99999", 404, "not_found", "code"},
			{"/api/v1/units/52?as_of=2025-13-01", 400, "invalid", "as_of"},
			{"/api/v1/units?as_of=yesterday", 400, "invalid", "as_of"},
			{"/api/v1/units?parent=99999", 404, "not_found", "parent"},
			{"/api/v1/units?level=hamlet", 400, "invalid", "level"},
			{"/api/v1/nothing", 404, "not_found", ""},
		}
		for _, c := range cases {
			var e errorBody
			st := get(t, srv, c.path, &e)
			if st != c.status || e.Error.Code != c.code || e.Error.Field != c.field || e.Error.Message == "" {
				t.Errorf("%s: %d %+v, want %d %s field %q", c.path, st, e.Error, c.status, c.code, c.field)
			}
		}
	})
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		var h map[string]string
		if st := get(t, srv, "/healthz", &h); st != 200 || h["status"] != "ok" || h["engine"] != string(db.Engine()) {
			t.Errorf("healthz: %d %v", st, h)
		}
	})
}
