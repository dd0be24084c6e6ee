package web_test

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

var dashboardRecognised = regexp.MustCompile(`data-figure="units_recognized" data-value="(\d+)"`)

// One count per fact (issue 13.4): the units recognised at a tier, computed through the
// dashboard, the registry, the revocation watch, the progress and the bulletin, is one figure.
// Huyện Sóc Sơn (016) at the end of 2024: four communes recognised, one of them by two
// decisions (recognised again in 2023) and one revoked in 2024, so three units hold a
// recognition in force under four decisions.
func TestRecognisedUnits_OneFigureEverywhere(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		for i, c := range []struct {
			unit string
			day  units.Date
		}{{"00379", "2021-12-01"}, {"00382", "2021-12-01"}, {"00385", "2022-06-01"}, {"00388", "2022-06-01"}, {"00382", "2023-05-01"}} {
			if _, err := db.ImportRecognitions(ctx, "tinh", []store.RegistryImport{{Row: 2, UnitCode: c.unit, Tier: "ntm",
				Decision: recognition.Decision{Number: strconv.Itoa(i+1) + "/QĐ-UBND", Date: c.day, Signer: "Chủ tịch UBND thành phố"}}}, nil, false); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := db.Recognitions(ctx, store.RegistryFilter{Root: "00388", AsOf: "2024-12-31"})
		if err != nil || len(rs) != 1 {
			t.Fatalf("recognition of 00388: %v %v", rs, err)
		}
		if _, err := db.RevokeRecognition(ctx, "tinh", rs[0].ID, recognition.Decision{Number: "99/QĐ-UBND", Date: "2024-09-01", Signer: "Chủ tịch"}, "thu hồi"); err != nil {
			t.Fatal(err)
		}
		const want = 3
		tinh := []string{authz(newToken(t, db, newUser(t, db, "tp.ha-noi", auth.RoleProvince, "01", "")))}
		got := map[string]int{}
		var progress struct {
			UnitsRecognized int `json:"units_recognized"`
		}
		do(t, srv, call{"GET", "/api/v1/progress?unit=016&as_of=2024-12-31", "", tinh}).decode(t, &progress)
		got["progress"] = progress.UnitsRecognized
		var registry struct{ Total int }
		do(t, srv, call{"GET", "/api/v1/recognitions/summary?unit=016&tier=ntm&from=2024-01-01&to=2024-12-31", "", tinh}).decode(t, &registry)
		got["registry"] = registry.Total
		var watch struct{ Checked int }
		do(t, srv, call{"GET", "/api/v1/recognition/watch?unit=016&as_of=2024-12-31", "", tinh}).decode(t, &watch)
		got["revocation watch"] = watch.Checked
		var bulletin struct {
			Recognition struct {
				Tiers []struct {
					Tier  string
					Total int
				}
			}
		}
		do(t, srv, call{"GET", "/api/v1/reports/bulletin?unit=016&period=2024&format=json", "", tinh}).decode(t, &bulletin)
		for _, tr := range bulletin.Recognition.Tiers {
			if tr.Tier == "ntm" {
				got["bulletin"] = tr.Total
			}
		}
		cookie := session(t, srv, db, "tp.ha-noi.page", auth.RoleProvince, "01")
		_, _, page := fetch(t, srv, "/dashboard?unit=016&as_of=2024-12-31", "vi", cookie)
		if m := dashboardRecognised.FindStringSubmatch(page); m != nil {
			got["dashboard"], _ = strconv.Atoi(m[1])
		}
		for _, through := range []string{"dashboard", "registry", "revocation watch", "progress", "bulletin"} {
			if n, ok := got[through]; !ok || n != want {
				t.Errorf("units recognised through the %s: %d (found %v), want %d", through, n, ok, want)
			}
		}
	})
}
