package units

import (
	"fmt"
	"testing"
)

// The official counts named in data/units/README.md ("Official counts"), by level and, on the
// two days of the reform, by type.
func TestShipped_CountsByLevelAndDate(t *testing.T) {
	us, _, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date  Date
		want  map[Level]int
		types map[string]int // communes and provinces by type, where a source gives them
	}{
		{"2019-06-30", map[Level]int{LevelProvince: 63, LevelDistrict: 713, LevelCommune: 11160}, nil},
		{"2021-06-30", map[Level]int{LevelProvince: 63, LevelDistrict: 705, LevelCommune: 10603}, nil},
		{"2025-06-30", map[Level]int{LevelProvince: 63, LevelDistrict: 696, LevelCommune: 10035},
			map[string]int{TypeProvince: 57, TypeCentralCity: 6}},
		{"2025-07-01", map[Level]int{LevelProvince: 34, LevelCommune: 3321},
			map[string]int{TypeProvince: 28, TypeCentralCity: 6, TypeRuralCommune: 2621, TypeWard: 687, TypeSpecialZone: 13}},
		// Đồng Nai a centrally-run city and 10 of its xã phường from 30/04/2026.
		{"2026-04-30", map[Level]int{LevelProvince: 34, LevelCommune: 3321},
			map[string]int{TypeProvince: 27, TypeCentralCity: 7, TypeRuralCommune: 2611, TypeWard: 697, TypeSpecialZone: 13}},
	}
	for _, tt := range tests {
		got, types := map[Level]int{}, map[string]int{}
		for _, u := range AsOf(us, tt.date) {
			got[u.Level]++
			if u.Level != LevelDistrict {
				types[u.Type]++
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("as of %s: %v, want %v", tt.date, got, tt.want)
		}
		for typ, n := range tt.types {
			if types[typ] != n {
				t.Errorf("as of %s: %d of type %s, want %d", tt.date, types[typ], typ, n)
			}
		}
	}
}

func TestShipped_DongNai(t *testing.T) {
	us, ls, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code     string
		date     Date
		fullName string
	}{
		{"75", "2025-07-01", "Tỉnh Đồng Nai"},
		{"75", "2026-04-29", "Tỉnh Đồng Nai"},
		{"75", "2026-04-30", "Thành phố Đồng Nai"},
		{"25270", "2025-07-01", "Xã Lộc Ninh"},
		{"25270", "2026-04-30", "Phường Lộc Ninh"},
	}
	for _, tt := range tests {
		u, ok := Find(us, tt.code, tt.date)
		if !ok || u.FullName != tt.fullName {
			t.Errorf("Find(%s, %s) = %q, %v; want %q", tt.code, tt.date, u.FullName, ok, tt.fullName)
		}
	}
	var xa, phuong int
	for _, u := range AsOf(us, "2025-07-01") {
		if u.ParentCode == "75" {
			switch u.Type {
			case TypeRuralCommune:
				xa++
			case TypeWard:
				phuong++
			}
		}
	}
	if xa != 72 || phuong != 23 {
		t.Errorf("Đồng Nai on 2025-07-01: %d xã, %d phường; want 72, 23", xa, phuong)
	}
	want := Lineage{OldCode: "75", NewCode: "75", Kind: LineageFull, Effective: "2026-04-30", Resolution: "30/2026/QH16", Basis: BasisLists}
	found := false
	for _, l := range ls {
		found = found || l == want
	}
	if !found {
		t.Errorf("no lineage %+v", want)
	}
}

// A commune merged in 2019-2020 resolves, on a later day, to the commune that took it in.
func TestShipped_MergedIn2019ResolvesToSuccessor(t *testing.T) {
	us, ls, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	// 786/NQ-UBTVQH14 (Thanh Hóa, from 01/12/2019): Xã Đông Khê (16387) and Xã Đông Anh (16408)
	// of Đông Sơn became Xã Đông Khê under the code 16408.
	old, ok := Find(us, "16387", "2019-11-30")
	if !ok || old.FullName != "Xã Đông Khê" || old.ValidTo != "2019-11-30" {
		t.Fatalf("16387 on 2019-11-30: %+v, %v", old, ok)
	}
	if _, ok := Find(us, "16387", "2019-12-01"); ok {
		t.Error("16387 still exists on 2019-12-01")
	}
	var next []Lineage
	for _, l := range ls {
		if l.OldCode == old.Code && l.Effective == old.ValidTo.AddDays(1) {
			next = append(next, l)
		}
	}
	want := []Lineage{{OldCode: "16387", NewCode: "16408", Kind: LineageFull, Effective: "2019-12-01", Resolution: "786/NQ-UBTVQH14", Basis: BasisInferred}}
	if fmt.Sprint(next) != fmt.Sprint(want) {
		t.Fatalf("lineage of 16387: %+v, want %+v", next, want)
	}
	succ, ok := Find(us, "16408", "2019-12-01")
	if !ok || succ.FullName != "Xã Đông Khê" || succ.ValidFrom != "2019-12-01" {
		t.Errorf("16408 on 2019-12-01: %+v, %v", succ, ok)
	}
	if u, ok := Find(us, "16408", "2019-11-30"); !ok || u.FullName != "Xã Đông Anh" {
		t.Errorf("16408 on 2019-11-30: %+v, %v; want Xã Đông Anh", u, ok)
	}
}

// A commune that moved to another district is in the district of the day.
func TestShipped_ParentAsOfTheDay(t *testing.T) {
	us, _, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	// Đông Khê (16408) was in Đông Sơn (405) until Đông Sơn joined Thanh Hóa city (380).
	for _, tt := range []struct {
		date   Date
		parent string
	}{{"2020-06-30", "405"}, {"2025-06-30", "380"}} {
		if u, ok := Find(us, "16408", tt.date); !ok || u.ParentCode != tt.parent {
			t.Errorf("16408 on %s: parent %q, %v; want %s", tt.date, u.ParentCode, ok, tt.parent)
		}
	}
}

func TestShipped_Regions(t *testing.T) {
	us, _, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	spanning := map[string]bool{"24": true, "25": true, "51": true, "52": true, "66": true, "68": true, "80": true}
	for _, u := range us {
		wantEmpty := u.Level == LevelProvince && u.ValidFrom == "2025-07-01" && spanning[u.Code]
		if (u.Region == "") != wantEmpty {
			t.Errorf("%s %s (%s..%s): region %q", u.Code, u.FullName, u.ValidFrom, u.ValidTo, u.Region)
		}
	}
}

func TestShipped_LineageResolves(t *testing.T) {
	us, ls, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string][]Unit{}
	for _, u := range us {
		byCode[u.Code] = append(byCode[u.Code], u)
	}
	find := func(code string, d Date) (Unit, bool) { return Find(byCode[code], code, d) }
	table := 0
	for _, l := range ls {
		if l.Basis == BasisTable {
			table++
			if l.Effective != "2025-07-01" {
				t.Errorf("%s → %s: effective %s", l.OldCode, l.NewCode, l.Effective)
			}
		}
		if !ValidBasis(l.Basis) || l.Basis == "" {
			t.Errorf("%s → %s on %s: basis %q", l.OldCode, l.NewCode, l.Effective, l.Basis)
		}
		// The old unit ends the day before, the new one starts that day.
		if u, ok := find(l.OldCode, l.Effective.AddDays(-1)); !ok || u.ValidTo != l.Effective.AddDays(-1) {
			t.Errorf("%s → %s on %s: old unit %+v, %v", l.OldCode, l.NewCode, l.Effective, u, ok)
		}
		if u, ok := find(l.NewCode, l.Effective); !ok || u.ValidFrom != l.Effective {
			t.Errorf("%s → %s on %s: new unit %+v, %v", l.OldCode, l.NewCode, l.Effective, u, ok)
		}
	}
	if table != 10571 {
		t.Errorf("%d lineage rows from the 2025 table, want 10571", table)
	}
}

func TestShipped_ReusedCode(t *testing.T) {
	us, _, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code     string
		date     Date
		fullName string
	}{
		{"00004", "2025-06-30", "Phường Trúc Bạch"},
		{"00004", "2025-07-01", "Phường Ba Đình"},
		{"52", "2025-06-30", "Tỉnh Bình Định"},
		{"52", "2025-07-01", "Tỉnh Gia Lai"},
		{"06978", "2026-01-01", "Xã Ba Chẽ"},
	}
	for _, tt := range tests {
		u, ok := Find(us, tt.code, tt.date)
		if !ok || u.FullName != tt.fullName {
			t.Errorf("Find(%s, %s) = %q, %v; want %q", tt.code, tt.date, u.FullName, ok, tt.fullName)
		}
	}
}

func TestShipped_ReturnsCopies(t *testing.T) {
	a, _, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	a[0].Name = "changed"
	b, _, _ := Shipped()
	if b[0].Name == "changed" {
		t.Error("a change to one result shows in the next")
	}
}
