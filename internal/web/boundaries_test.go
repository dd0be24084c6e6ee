package web_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/units"
)

type topoJSON struct {
	Type      string
	Transform struct{ Scale, Translate []float64 }
	Arcs      [][][]int
	Objects   map[string]struct {
		Geometries []struct {
			Type       string
			Arcs       json.RawMessage
			Properties struct {
				Code, Name   string
				ProvinceCode string `json:"province_code"`
			}
		}
	}
}

func getTopo(t *testing.T, url string, cookie *http.Cookie) (topoJSON, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var topo topoJSON
	if resp.StatusCode != 200 {
		return topo, resp
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("%s: not gzip", url)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(zr).Decode(&topo); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return topo, resp
}

// arcIndices collects the arc indices of a Polygon or MultiPolygon.
func arcIndices(t *testing.T, typ string, raw json.RawMessage) []int {
	var out []int
	switch typ {
	case "Polygon":
		var rings [][]int
		json.Unmarshal(raw, &rings)
		for _, r := range rings {
			out = append(out, r...)
		}
	case "MultiPolygon":
		var polys [][][]int
		json.Unmarshal(raw, &polys)
		for _, p := range polys {
			for _, r := range p {
				out = append(out, r...)
			}
		}
	default:
		t.Errorf("geometry type %s", typ)
	}
	return out
}

func TestBoundaries(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	day := units.Date("2026-01-01")
	if _, resp := getTopo(t, srv.URL+"/api/v1/boundaries/provinces", nil); resp.StatusCode != 401 {
		t.Errorf("anonymous: %d, want 401", resp.StatusCode)
	}
	me := session(t, srv, db, "xa.ba-dinh", auth.RoleCommune, "00004")

	prov, resp := getTopo(t, srv.URL+"/api/v1/boundaries/provinces", me)
	if resp.StatusCode != 200 || len(prov.Objects["provinces"].Geometries) != 34 {
		t.Fatalf("provinces: %d, %d geometries", resp.StatusCode, len(prov.Objects["provinces"].Geometries))
	}
	if resp.Header.Get("Cache-Control") != "private, max-age=86400" || resp.Header.Get("ETag") == "" {
		t.Errorf("provinces: headers %v", resp.Header)
	}

	total := 0
	provinces, _ := db.Children(ctx, "", day)
	for _, p := range provinces {
		topo, resp := getTopo(t, srv.URL+"/api/v1/boundaries/communes?province="+p.Code, me)
		if resp.StatusCode != 200 {
			t.Errorf("communes of %s: %d", p.Code, resp.StatusCode)
			continue
		}
		communes, _ := db.Children(ctx, p.Code, day)
		want := map[string]bool{}
		for _, c := range communes {
			want[c.Code] = true
		}
		geoms := topo.Objects["communes"].Geometries
		if len(geoms) != len(communes) {
			t.Errorf("province %s: %d geometries, %d communes", p.Code, len(geoms), len(communes))
		}
		used := make([]bool, len(topo.Arcs))
		for _, g := range geoms {
			if !want[g.Properties.Code] || g.Properties.ProvinceCode != p.Code {
				t.Errorf("province %s: geometry of %s (%s)", p.Code, g.Properties.Code, g.Properties.ProvinceCode)
			}
			for _, i := range arcIndices(t, g.Type, g.Arcs) {
				if i < 0 {
					i = ^i
				}
				if i >= len(topo.Arcs) {
					t.Fatalf("province %s: arc %d of %d", p.Code, i, len(topo.Arcs))
				}
				used[i] = true
			}
		}
		for i, u := range used {
			if !u {
				t.Errorf("province %s: arc %d unused", p.Code, i)
				break
			}
		}
		if len(topo.Transform.Scale) != 2 {
			t.Errorf("province %s: no transform", p.Code)
		}
		total += len(geoms)
	}
	if total != 3321 {
		t.Errorf("%d communes in all, want 3321", total)
	}

	for path, want := range map[string]int{
		"/api/v1/boundaries/communes":                              400,
		"/api/v1/boundaries/communes?province=99":                  404,
		"/api/v1/boundaries/communes?province=01&as_of=2025-06-30": 404,
		"/api/v1/boundaries/provinces?as_of=2025-06-30":            404,
		"/api/v1/boundaries/provinces?as_of=bad":                   400,
	} {
		var body struct {
			Error struct{ Code, Message, Field string }
		}
		st, h, text := fetch(t, srv, path, "", me)
		if err := json.Unmarshal([]byte(text), &body); err != nil || st != want || body.Error.Code == "" || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s, want %d", path, st, text, want)
		}
	}
}
