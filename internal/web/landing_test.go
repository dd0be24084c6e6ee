package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
)

// TestLanding_EveryRole (issue 15.4): "/" takes each role to its day's work — the commune
// officer to its commune, officers and viewers to their unit's progress, the OCOP council to
// its open evaluations, national roles to the country — and a user whose unit ended on the
// reform to that unit's archive, never to an error.
func TestLanding_EveryRole(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	_, eval := seedOCOP(t, db) // an open evaluation of Gia Lai's council, hd1 among its members
	for _, c := range []struct {
		role       auth.Role
		unit, want string
	}{
		{auth.RoleAdmin, "", "/dashboard"},
		{auth.RoleCentral, "", "/dashboard"},
		{auth.RoleProvince, "01", "/dashboard?unit=01"},
		{auth.RoleDistrict, "016", "/units/016"}, // Sóc Sơn ended on 30/06/2025
		{auth.RoleCommune, "00004", "/units/00004"},
		{auth.RoleViewer, "01", "/dashboard?unit=01"},
		{auth.RoleOCOPCouncil, "01", "/ocop"},
	} {
		name := fmt.Sprintf("landing.%s.%s", c.role, c.unit)
		me := session(t, srv, db, name, c.role, c.unit)
		if status, h, _ := fetch(t, srv, "/", "", me); status != 303 || h.Get("Location") != c.want {
			t.Errorf("%s lands on %d → %s, want %s", c.role, status, h.Get("Location"), c.want)
		}
	}

	// The former district's officer: the archive, from the landing, the progress page and
	// the OCOP page alike, with its history and the communes that took over its own.
	huyen := session(t, srv, db, "huyen.soc-son", auth.RoleDistrict, "016")
	for _, path := range []string{"/units/016", "/dashboard?unit=016", "/ocop", "/funding", "/works", "/models", "/tasks", "/plan", "/dossiers", "/reports"} {
		status, _, body := fetch(t, srv, path, "vi", huyen)
		if status != 200 {
			t.Errorf("%s for the former district's officer: %d", path, status)
		}
		for _, want := range []string{"Huyện Sóc Sơn", "đến hết ngày 30/06/2025", `href="/dashboard?unit=016&amp;as_of=2025-06-30"`,
			`id="archive-took-over"`, "Xã Nội Bài", `href="/units/00433"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the archive lacks %q", path, want)
			}
		}
		if strings.Contains(body, "Có lỗi") || strings.Contains(body, `class="error"`) {
			t.Errorf("%s: an error on the former district's page", path)
		}
	}
	if status, _, body := fetch(t, srv, "/units/016", "en", huyen); status != 200 || !strings.Contains(body, "it existed until 2025-06-30") {
		t.Errorf("the archive in English: %d", status)
	}
	// The header names the officer's home unit with its last day, in either language, on any page.
	for _, c := range []struct{ path, lang, want string }{
		{"/units/016", "vi", `<span class="home">Huyện Sóc Sơn (đến 30/06/2025)</span>`},
		{"/assessments", "vi", `<span class="home">Huyện Sóc Sơn (đến 30/06/2025)</span>`},
		{"/units/016", "en", `<span class="home">Sóc Sơn (until 2025-06-30)</span>`},
	} {
		if _, _, body := fetch(t, srv, c.path, c.lang, huyen); !strings.Contains(body, c.want) {
			t.Errorf("%s (%s): the header lacks %s", c.path, c.lang, c.want)
		}
	}
	// A unit that exists is named without a day.
	if _, _, body := fetch(t, srv, "/units/00004", "vi", session(t, srv, db, "xa.header", auth.RoleCommune, "00004")); !strings.Contains(body, `<span class="home">Phường Ba Đình</span>`) {
		t.Errorf("the header of Ba Đình's officer does not name Phường Ba Đình alone")
	}
	// Its figures to the last day are readable.
	if status, _, _ := fetch(t, srv, "/dashboard?unit=016&as_of=2025-06-30", "vi", huyen); status != 200 {
		t.Errorf("the former district's progress on its last day: %d", status)
	}
	// Someone else's look at an ended unit is still a 404 (with the same archive).
	if status, _, body := fetch(t, srv, "/units/016", "vi", session(t, srv, db, "tw.landing", auth.RoleCentral, "")); status != 404 || !strings.Contains(body, "Xã Nội Bài") {
		t.Errorf("an ended unit for another user: %d", status)
	}

	// A new assessment without a unit: the commune officer goes on to their commune's form,
	// the province officer picks the unit.
	xa := session(t, srv, db, "xa.landing", auth.RoleCommune, "00004")
	if status, h, _ := fetch(t, srv, "/assessments/new", "vi", xa); status != 303 || h.Get("Location") != "/assessments/new?unit=00004" {
		t.Errorf("/assessments/new for a commune officer: %d → %s", status, h.Get("Location"))
	}
	tinh := session(t, srv, db, "tinh.landing", auth.RoleProvince, "01")
	if status, _, body := fetch(t, srv, "/assessments/new", "vi", tinh); status != 200 || !strings.Contains(body, `name="unit"`) || strings.Contains(body, "Không có đơn vị") {
		t.Errorf("/assessments/new for a province officer: %d", status)
	}
	// The commune's progress page has no empty map, list or charts.
	if status, _, body := fetch(t, srv, "/dashboard?unit=00004", "vi", xa); status != 200 || strings.Contains(body, `id="h-map"`) || strings.Contains(body, `id="h-charts"`) ||
		!strings.Contains(body, `href="/units/00004"`) {
		t.Errorf("a commune's progress page: %d", status)
	}

	// The OCOP council member lands on the open evaluations of their council.
	hd := signInForm(t, srv, "hd1", testPassword, "/")
	var c1 = hd.Cookies()
	status, _, body := fetch(t, srv, "/ocop", "vi", c1...)
	if status != 200 || !strings.Contains(body, `id="open-evaluations"`) || !strings.Contains(body, fmt.Sprintf(`href="/ocop/evaluations/%d"`, eval)) ||
		!strings.Contains(body, "Cà phê bột") {
		t.Errorf("the council member's OCOP page: %d", status)
	}
}

// TestNav_InTheOrderOfTheWork: the menu runs assessments, progress, plan, recognition, OCOP,
// resources, tasks, reports, units (issue 15.7).
func TestNav_InTheOrderOfTheWork(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	tinh := session(t, srv, db, "tinh.ha-noi", auth.RoleProvince, "01")
	_, _, body := fetch(t, srv, "/dashboard?unit=01", "vi", tinh)
	i := strings.Index(body, `<nav class="nav"`)
	j := strings.Index(body[i:], "</nav>")
	if i < 0 || j < 0 {
		t.Fatal("no menu")
	}
	nav := body[i : i+j]
	last := -1
	for _, href := range []string{"/assessments", "/dashboard", "/plan", "/dossiers", "/ocop", "/funding", "/tasks", "/reports", "/units"} {
		k := strings.Index(nav, `href="`+href+`"`)
		if k < 0 {
			t.Errorf("the menu lacks %s", href)
			continue
		}
		if k < last {
			t.Errorf("%s comes before the item above it in the menu:\n%s", href, nav)
		}
		last = k
	}
}
