// Package plantest builds the constructed province the plan's tests share: a province of
// seven communes in two regions, a three-criteria set whose thresholds differ by region, and
// assessments whose gaps, order, costs and proposals the tests work out by hand.
package plantest

import (
	"context"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Codes of the constructed province.
const (
	Province = "99"
	SetID    = "thu-nghiem-2026"
	AsOf     = units.Date("2026-12-31")
)

// SetYAML is the set: 1.1 hard roads 90 % (95 % in DBSH), 1.2 income 45 triệu đồng/người
// (dynamic), 2.1 clean water 80 %, 3.1 a plan (yes/no).
const SetYAML = `id: thu-nghiem-2026
title: Bộ tiêu chí thử nghiệm
basis: {decision: 1/QĐ-TN, issued: 2025-01-01, effective: 2025-01-01}
level: commune
tier: ntm
varies_by: region
requires: []
criteria:
  - number: 1
    name: Giao thông
    indicators:
      - {code: "1.1", name: Tỷ lệ đường cứng hóa, kind: percent, unit: "%", op: ">=", threshold: 90, by: {DBSH: 95}, verified: true}
      - {code: "1.2", name: Thu nhập bình quân, kind: number, unit: triệu đồng/người, op: ">=", threshold: 45, dynamic: true, verified: true}
  - number: 2
    name: Nước sạch
    indicators:
      - {code: "2.1", name: Tỷ lệ hộ dùng nước sạch, kind: percent, unit: "%", op: ">=", threshold: 80, verified: true}
  - number: 3
    name: Quy hoạch
    indicators:
      - {code: "3.1", name: Có quy hoạch, kind: bool, op: "==", threshold: true, verified: true}
`

// Communes: code → name, region. A is 99001 … G is 99007.
var Communes = []struct{ Code, Name, Region string }{
	{"99001", "Xã An", "TDMNPB"},
	{"99002", "Xã Bình", "DBSH"},
	{"99003", "Xã Cát", "TDMNPB"},
	{"99004", "Xã Dương", "DBSH"},
	{"99005", "Xã Đông", "DBSH"},
	{"99006", "Xã Phú", "DBSH"},
	{"99007", "Xã Giang", "TDMNPB"},
}

// Values of the 2026 assessments (99006 has none). As the plan package's unit test:
//
//	99001 1.1 = 82 < 90        99002 1.1 = 93 < 95 (DBSH)   99003 1.2 = 41,2, 2.1 = 70
//	99004 meets all            99005 3.1 missing            99007 1.1 = 80, 1.2 = 40
//
// Closest first: 99002, 99001, 99007, 99003; 99005 apart (data only); 99006 not assessed.
var Values = map[string]map[string]string{
	"99001": {"1.1": "82", "1.2": "50", "2.1": "85", "3.1": "true"},
	"99002": {"1.1": "93", "1.2": "50", "2.1": "85", "3.1": "true"},
	"99003": {"1.1": "96", "1.2": "41,2", "2.1": "70", "3.1": "true"},
	"99004": {"1.1": "96", "1.2": "46,5", "2.1": "87", "3.1": "true"},
	"99005": {"1.1": "96", "1.2": "50", "2.1": "85"},
	"99007": {"1.1": "80", "1.2": "40", "2.1": "85", "3.1": "true"},
}

// Build loads the province, the set and the assessments (2025 and 2026 for 99004, whose
// income fell from 48 to 46,5; it is recognised, as is 99001) into db.
func Build(t testing.TB, db *store.DB) *app.Catalog {
	t.Helper()
	ctx := context.Background()
	us := []units.Unit{{Code: Province, Name: "Thử Nghiệm", FullName: "Tỉnh Thử Nghiệm", Level: units.LevelProvince, Type: "tỉnh",
		ValidFrom: "2025-07-01", ValidTo: "9999-12-31"}}
	for _, c := range Communes {
		us = append(us, units.Unit{Code: c.Code, Name: c.Name[len("Xã "):], FullName: c.Name, Level: units.LevelCommune, Type: units.TypeRuralCommune,
			ParentCode: Province, Region: c.Region, ValidFrom: "2025-07-01", ValidTo: "9999-12-31"})
	}
	if _, err := db.ImportUnits(ctx, us, nil); err != nil {
		t.Fatal(err)
	}
	cat, err := app.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	set, err := criteria.Parse("thu-nghiem-2026.yaml", []byte(SetYAML))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Import(ctx, "tinh", set, "thu-nghiem-2026.yaml", []byte(SetYAML)); err != nil {
		t.Fatal(err)
	}
	Assess(t, db, "99004", "2025", map[string]string{"1.1": "96", "1.2": "48", "2.1": "87", "3.1": "true"})
	for code, vals := range Values {
		Assess(t, db, code, "2026", vals)
	}
	for _, code := range []string{"99001", "99004"} {
		if _, err := db.ImportRecognitions(ctx, "tinh", []store.RegistryImport{{Row: 2, UnitCode: code, Tier: criteria.TierNTM,
			Decision: recognition.Decision{Number: "1/QĐ-UBND-" + code, Date: "2025-12-01", Signer: "Chủ tịch UBND tỉnh"}}}, nil, false); err != nil {
			t.Fatal(err)
		}
	}
	return cat
}

// Assess stores an assessment of the set for period with vals.
func Assess(t testing.TB, db *store.DB, code, period string, vals map[string]string) store.Assessment {
	t.Helper()
	ctx := context.Background()
	p, err := assessment.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := app.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	a, err := cat.CreateAssessment(ctx, app.System("xa"), code, SetID, p)
	if err != nil {
		t.Fatal(err)
	}
	var ch []store.ValueChange
	for k, v := range vals {
		ch = append(ch, store.ValueChange{Code: k, Value: &v})
	}
	a, err = cat.SetValues(ctx, app.System("xa"), a.ID, a.Version, ch)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
