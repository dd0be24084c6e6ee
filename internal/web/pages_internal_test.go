package web

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/progress"
	"github.com/ntm-vn/ntm/internal/units"
)

func newRequest(method, target string, body io.Reader) *http.Request {
	return httptest.NewRequest(method, target, body)
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/",
		"/units/01?as_of=x":    "/units/01?as_of=x",
		"//evil.example/x":     "/",
		"https://evil.example": "/",
		"/\\evil.example":      "/",
		"units":                "/",
		"/a\r\nSet-Cookie: x":  "/",
		// issue 16: browsers drop tabs and newlines, turn "\\" into "/" and follow "//host"
		"/\t/evil.example":                    "/",
		"/%09/evil.example":                   "/",
		"/\n/evil.example":                    "/",
		"\t//evil.example":                    "/",
		"/ /evil.example":                     "/",
		"/%2F%2Fevil.example":                 "/",
		"/%2f/evil.example":                   "/",
		"/%5Cevil.example":                    "/",
		"/%5c%5cevil.example":                 "/",
		"%2F%2Fevil.example":                  "/",
		"http://evil.example/":                "/",
		"HTTPS:evil.example":                  "/",
		"javascript:alert(1)":                 "/",
		"///evil.example":                     "/",
		"/%0d%0aSet-Cookie:x":                 "/",
		"/units/%ZZ":                          "/",
		"/units?q=H%C3%A0%20N%E1%BB%99i":      "/units?q=H%C3%A0%20N%E1%BB%99i",
		"/sign-in?next=%2F%2Fevil":            "/sign-in?next=%2F%2Fevil",
		"/ocop/products/12#photos":            "/ocop/products/12#photos",
		"/dashboard?unit=01&as_of=2026-06-30": "/dashboard?unit=01&as_of=2026-06-30",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColourMap_CriteriaBands(t *testing.T) {
	p := &page{Lang: i18n.VI}
	m := &mapSpec{Units: []mapUnit{{Code: "a"}, {Code: "b"}, {Code: "c"}, {Code: "d"}, {Code: "e"}, {Code: "f"}, {Code: "g"}}}
	f := &app.Figures{Criteria: 19, Children: map[string]app.ChildFigure{
		"a": {CriteriaMet: 19}, "b": {CriteriaMet: 15}, "c": {CriteriaMet: 14}, "d": {CriteriaMet: 10},
		"e": {CriteriaMet: 5}, "f": {CriteriaMet: 4.5},
	}}
	legend := p.colourMap(m, f, "criteria")
	want := []string{"q5", "q4", "q3", "q3", "q2", "q1", ""}
	for i, u := range m.Units {
		if u.Class != want[i] {
			t.Errorf("unit %s: class %q, want %q", u.Code, u.Class, want[i])
		}
	}
	if m.Units[6].Value != "Chưa có số liệu" || m.Units[5].Value != "4,50/19 tiêu chí" {
		t.Errorf("values: %q, %q", m.Units[6].Value, m.Units[5].Value)
	}
	var labels []string
	for _, l := range legend {
		labels = append(labels, l.Label)
	}
	got := strings.Join(labels, " | ")
	if got != "Đạt đủ 19 tiêu chí | Đạt 15–18 tiêu chí | Đạt 10–14 tiêu chí | Đạt 5–9 tiêu chí | Dưới 5 tiêu chí | Chưa có số liệu" {
		t.Errorf("legend: %s", got)
	}
	if legend[2].Count != 2 || legend[5].Count != -1 {
		t.Errorf("counts: %+v", legend)
	}
}

func TestColourMap_NoFigures(t *testing.T) {
	p := &page{Lang: i18n.EN}
	m := &mapSpec{Units: []mapUnit{{Code: "a"}}}
	legend := p.colourMap(m, nil, "criteria")
	if len(legend) != 1 || legend[0].Label != "No figures yet" || m.Units[0].Class != "" {
		t.Errorf("legend %+v, units %+v", legend, m.Units)
	}
}

func TestColourMap_Tier(t *testing.T) {
	p := &page{Lang: i18n.VI}
	m := &mapSpec{Units: []mapUnit{{Code: "a"}, {Code: "b"}}}
	f := &app.Figures{Criteria: 10, Children: map[string]app.ChildFigure{"a": {Tier: "nang-cao", Single: true}, "b": {Single: true}, "c": {CriteriaMet: 7}}}
	m.Units = append(m.Units, mapUnit{Code: "c"})
	p.colourMap(m, f, "tier")
	if m.Units[0].Class != "t-nang-cao" || m.Units[1].Class != "t-none" || m.Units[0].Value != "Nông thôn mới nâng cao" {
		t.Errorf("%+v", m.Units)
	}
	// A group of units (a province) has no tier: it is left uncoloured, not "not met".
	if m.Units[2].Class != "" || m.Units[2].Value != "Chưa có số liệu" {
		t.Errorf("a group on the tier map: %+v", m.Units[2])
	}
}

func TestCharts(t *testing.T) {
	p := &page{Lang: i18n.VI}
	d := p.distributionChart(&app.Figures{Distribution: []int{0, 3, 1200}})
	if len(d.Bars) != 3 || d.Bars[0].Label != "2 tiêu chí" || d.Bars[0].Value != "1.200" || d.Bars[0].Width != 100 || d.Bars[2].Width != 0 {
		t.Errorf("distribution: %+v", d.Bars)
	}
	l := newLineChart("x", []string{"2023", "2024", "2025"}, []float64{10, 15, 19}, 19, func(v float64) string { return p.Dec(v, 0) })
	if l.Points != "40.0,95.8 310.0,53.7 580.0,20.0" || l.Dots[2].Label != "2025: 19" {
		t.Errorf("line: %q %+v", l.Points, l.Dots)
	}
}

func TestSubsetTopology(t *testing.T) {
	raw := func(s string) []byte { return []byte(s) }
	topo := topology{Type: "Topology", Objects: map[string]topoCollection{"communes": {Type: "GeometryCollection", Geometries: []topoGeometry{
		{Type: "Polygon", Arcs: raw(`[[0,1]]`), Properties: map[string]string{"code": "a", "province_code": "01"}},
		{Type: "Polygon", Arcs: raw(`[[2,-2]]`), Properties: map[string]string{"code": "b", "province_code": "02"}},
		{Type: "MultiPolygon", Arcs: raw(`[[[3]],[[-3,-2]]]`), Properties: map[string]string{"code": "c", "province_code": "02"}},
	}}}}
	for i := 0; i < 4; i++ {
		topo.Arcs = append(topo.Arcs, raw(`[[`+string(rune('0'+i))+`,0]]`))
	}
	sub, err := subsetTopology(topo, "communes", func(g topoGeometry) bool { return g.Properties["province_code"] == "02" })
	if err != nil {
		t.Fatal(err)
	}
	g := sub.Objects["communes"].Geometries
	if len(g) != 2 || len(sub.Arcs) != 3 {
		t.Fatalf("%d geometries, %d arcs", len(g), len(sub.Arcs))
	}
	// Arcs renumbered in order of first use: 2 → 0, 1 → 1, 3 → 2; -2 is arc 1 reversed.
	if string(g[0].Arcs) != `[[0,-2]]` || string(g[1].Arcs) != `[[[2]],[[-1,-2]]]` {
		t.Errorf("arcs: %s %s", g[0].Arcs, g[1].Arcs)
	}
	if string(sub.Arcs[0]) != `[[2,0]]` || string(sub.Arcs[2]) != `[[3,0]]` {
		t.Errorf("arc data: %s", sub.Arcs)
	}
	bad := topo
	bad.Objects = map[string]topoCollection{"communes": {Geometries: []topoGeometry{{Type: "Polygon", Arcs: raw(`[[9]]`)}}}}
	if _, err := subsetTopology(bad, "communes", func(topoGeometry) bool { return true }); err == nil {
		t.Error("an arc out of range was accepted")
	}
}

// TestCatalogKeysUsed checks that every message key the templates, the page handlers and
// the scripts use exists in both catalogs.
func TestCatalogKeysUsed(t *testing.T) {
	used := map[string]string{} // key → where
	add := func(key, where string) {
		if _, ok := used[key]; !ok {
			used[key] = where
		}
	}
	tmplKey := regexp.MustCompile(`\.T\s+"([^"]+)"`)
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := templateFS.ReadFile("templates/" + e.Name())
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			add(m[1], e.Name())
		}
	}
	if len(used) < 40 {
		t.Fatalf("found only %d keys in the templates; is the pattern right?", len(used))
	}
	// Keys in Go code: the first string argument of T, newPage, errorPage and fail.
	goKey := regexp.MustCompile(`(?:\bT|newPage|errorPage|fail)\([^"()]*"([a-z0-9_-]+(?:\.[a-z0-9_-]+)+)"`)
	for _, f := range []string{"pages.go", "pages_form.go", "pages_figures.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			add(m[1], f)
		}
	}
	// Keys made from values.
	for _, k := range unitTypeKeys {
		add(k, "unitTypeKeys")
	}
	for _, r := range auth.Roles {
		add("role."+string(r), "auth.Roles")
	}
	for _, l := range []units.Level{units.LevelProvince, units.LevelDistrict, units.LevelCommune, units.LevelVillage} {
		add("level."+string(l), "LevelName")
		add("level."+string(l)+".many", "LevelName")
	}
	for _, s := range []string{"met", "not_met", "missing", "not_applicable"} {
		add("state."+s, "grid")
	}
	for _, tr := range app.Tiers {
		add("tier."+tr, "tiers")
	}
	for _, k := range []string{"full", "partial"} {
		add("lineage."+k, "lineage")
	}
	for st := criteria.StatusMissing; st <= criteria.StatusIncomplete; st++ {
		add("verdict."+st.String(), "VerdictSymbol")
		add("js.verdict."+st.String(), "form.js")
	}
	for _, st := range assessment.Statuses {
		add("status."+string(st), "StatusName")
		add("js.status."+string(st), "form.js")
	}
	for _, a := range formActionsAll {
		add("form.done."+a, "assessmentPage")
	}
	for _, a := range []string{"created", "exists", "nothing"} {
		add("form.done."+a, "assessmentPage")
	}
	for _, a := range workflowActions {
		add("form.history."+a, "buildForm")
	}
	for _, st := range []string{progress.StatusMet, progress.StatusOnTrack, progress.StatusOffTrack, progress.StatusNoData} {
		add("targets.status."+st, "dashboard")
	}
	for _, m := range []string{progress.MetricUnitsMet, progress.MetricUnitsRecognized, progress.MetricCriteriaMetAvg, progress.MetricIndicatorsMetPct, progress.MetricShareMet} {
		add("metric."+m, "metricName")
	}
	for _, k := range []string{"value", "yours", "theirs"} {
		add("js.conflict."+k, "form.js")
	}
	add("js.conflict.choose_status", "form.js")
	// Keys in the scripts: msg('js.…').
	jsKey := regexp.MustCompile(`msg\('([^']+)'`)
	err = filepath.WalkDir(filepath.Join("..", "..", "ui", "src"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range jsKey.FindAllStringSubmatch(string(b), -1) {
			if strings.HasSuffix(m[1], ".") {
				continue // a prefix completed at run time: its keys are listed above
			}
			add(m[1], path)
			if !strings.HasPrefix(m[1], "js.") {
				t.Errorf("%s: script message %q must start with js. to reach the page", path, m[1])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for key, where := range used {
		for _, lang := range i18n.Langs {
			if !i18n.Has(lang, key) {
				t.Errorf("%s uses %q, which %s.json lacks", where, key, lang)
			}
		}
	}
}
