package units

import (
	"fmt"
	"testing"
)

func TestShipped_CountsByLevelAndDate(t *testing.T) {
	us, _, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date Date
		want map[Level]int
	}{
		{"2025-06-30", map[Level]int{LevelProvince: 63, LevelDistrict: 696, LevelCommune: 10035}},
		{"2025-01-01", map[Level]int{LevelProvince: 63, LevelDistrict: 696, LevelCommune: 10035}},
		{"2025-07-01", map[Level]int{LevelProvince: 34, LevelCommune: 3321}},
		{"2026-01-01", map[Level]int{LevelProvince: 34, LevelCommune: 3321}},
	}
	for _, tt := range tests {
		got := map[Level]int{}
		for _, u := range AsOf(us, tt.date) {
			got[u.Level]++
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("as of %s: %v, want %v", tt.date, got, tt.want)
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
	if len(ls) != 10571 {
		t.Errorf("%d lineage rows, want 10571", len(ls))
	}
	byCode := map[string][]Unit{}
	for _, u := range us {
		byCode[u.Code] = append(byCode[u.Code], u)
	}
	find := func(code string, d Date) (Unit, bool) { return Find(byCode[code], code, d) }
	for _, l := range ls {
		if l.Effective != "2025-07-01" {
			t.Errorf("%s → %s: effective %s", l.OldCode, l.NewCode, l.Effective)
		}
		if _, ok := find(l.OldCode, "2025-06-30"); !ok {
			t.Errorf("old code %s is no unit on 2025-06-30", l.OldCode)
		}
		if u, ok := find(l.NewCode, "2025-07-01"); !ok || u.Level != LevelCommune {
			t.Errorf("new code %s is no commune on 2025-07-01", l.NewCode)
		}
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
