package ocop

import (
	"strings"
	"testing"
	"testing/fstest"

	ocopdata "github.com/ntm-vn/ntm/data/ocop"
)

func shippedRules(t testing.TB) *Rules {
	t.Helper()
	r, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestShipped_LoadsVersionsLevelsAndTaxonomy(t *testing.T) {
	r := shippedRules(t)
	for _, c := range []struct {
		day      string
		id       string
		a, b, cc float64
	}{
		{"2019-08-21", "qd1048-2019", 35, 25, 40},
		{"2020-06-08", "qd1048-781-2020", 35, 25, 40},
		{"2023-02-23", "qd1048-781-2020", 35, 25, 40},
		{"2023-02-24", "qd148-2023", 40, 25, 35},
		{"2026-03-01", "qd148-2023", 40, 25, 35},
	} {
		v, err := r.VersionOn(unitsDate(c.day))
		if err != nil || v.ID != c.id || v.Parts[0].Max != c.a || v.Parts[1].Max != c.b || v.Parts[2].Max != c.cc {
			t.Errorf("%s: %v %+v", c.day, err, v)
		}
	}
	if _, err := r.VersionOn("2019-08-20"); err == nil {
		t.Error("a version before QĐ 1048")
	}
	if len(r.Taxonomy.Groups) != 6 || len(r.Taxonomy.Sets()) < 20 {
		t.Errorf("taxonomy: %d groups, %d sets", len(r.Taxonomy.Groups), len(r.Taxonomy.Sets()))
	}
	s, ok := r.Taxonomy.FindSet("đồ ăn nhanh")
	if !ok || s.Code != "1.3.a" || s.Group != "1" || s.SubGroup != "1.3" {
		t.Errorf("find by name: %+v", s)
	}
	if g, _ := r.Taxonomy.Group("5"); g.Name != "Sinh vật cảnh" || !g.Verified {
		t.Errorf("group 5: %+v", g)
	}
	if r.Validity.Months != 36 || r.Validity.NoticeDays != 30 {
		t.Errorf("validity: %+v", r.Validity)
	}
	// Facts the reference marks unverified stay so.
	v, _ := r.Version("qd148-2023")
	if v.BandsVerified() {
		t.Error("the 148 bands are marked verified")
	}
	for _, c := range v.Conditions {
		if c.Verified {
			t.Errorf("condition %s marked verified", c.ID)
		}
	}
	if v1048, _ := r.Version("qd1048-2019"); !v1048.BandsVerified() || len(v1048.Conditions) != 0 {
		t.Error("1048 bands should be verified and carry no conditions")
	}
}

func TestRecognisedBy_ByStarsAndDate(t *testing.T) {
	r := shippedRules(t)
	for _, c := range []struct {
		stars int
		day   string
		want  Level
	}{
		{3, "2022-12-31", LevelProvince},
		{4, "2022-12-31", LevelProvince},
		{5, "2022-12-31", LevelCentral},
		{3, "2023-02-23", LevelProvince},
		{3, "2023-02-24", LevelDistrict},
		{4, "2024-06-01", LevelProvince},
		{3, "2025-07-05", LevelDistrict},
		{3, "2025-07-06", LevelProvince},
		{4, "2026-01-01", LevelProvince},
		{5, "2026-01-01", LevelCentral},
	} {
		got, _, err := r.RecognisedBy(c.stars, unitsDate(c.day))
		if err != nil || got != c.want {
			t.Errorf("%d stars on %s: %s %v, want %s", c.stars, c.day, got, err, c.want)
		}
	}
}

func TestLoad_ProblemsNameFileAndLine(t *testing.T) {
	rules, _ := ocopdata.FS.ReadFile("rules.yaml")
	tax, _ := ocopdata.FS.ReadFile("taxonomy.yaml")
	for _, c := range []struct {
		name, file, from, to, want string
	}{
		{"part maxima", "rules.yaml", "max: 35, verified: true}\n      - {id: B", "max: 36, verified: true}\n      - {id: B", "add up to 101"},
		{"band gap", "rules.yaml", "{stars: 4, min: 70, max: 90, verified: false}", "{stars: 4, min: 71, max: 90, verified: false}", "does not follow"},
		{"unknown field", "rules.yaml", "notice_days: 30", "notice_day: 30", "notice_day"},
		{"set code", "taxonomy.yaml", "{code: 1.3.a,", "{code: 1.4.z,", "taxonomy.yaml:"},
	} {
		fs := fstest.MapFS{"rules.yaml": {Data: rules}, "taxonomy.yaml": {Data: tax}}
		src := string(fs[c.file].Data)
		if !strings.Contains(src, c.from) {
			t.Fatalf("%s: %q not in %s", c.name, c.from, c.file)
		}
		fs[c.file] = &fstest.MapFile{Data: []byte(strings.Replace(src, c.from, c.to, 1))}
		_, err := Load(fs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
