package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func tagFixture() []units.Unit {
	return []units.Unit{
		{Code: "01", Name: "Hà Nội", FullName: "Thành phố Hà Nội", Level: units.LevelProvince, Region: "DBSH", ValidFrom: "2025-07-01", ValidTo: units.Forever},
		{Code: "00004", Name: "Ba Đình", FullName: "Phường Ba Đình", Level: units.LevelCommune, ParentCode: "01", Region: "DBSH", ValidFrom: "2025-07-01", ValidTo: units.Forever},
		{Code: "09022", Name: "Sóc Sơn", FullName: "Xã Sóc Sơn", Level: units.LevelCommune, ParentCode: "01", Region: "DBSH", ValidFrom: "2025-07-01", ValidTo: units.Forever},
	}
}

func tagRows(t *testing.T, csv string) []units.TagAssignment {
	t.Helper()
	var rows [][]string
	var lines []int
	for i, l := range strings.Split(strings.TrimSpace(csv), "\n") {
		rows = append(rows, strings.Split(l, ","))
		lines = append(lines, i+1)
	}
	as, err := units.ParseTagRows("nhom.csv", rows, lines)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// A province's decision puts communes in groups and lists; the tags in force follow the
// latest group decision, survive a reload of the unit lists, and a bad file changes nothing.
func TestUnitTags_ImportAppliesDecisionsAllOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.ImportUnits(ctx, tagFixture(), nil); err != nil {
			t.Fatal(err)
		}
		const head = "Mã đơn vị,Nhãn hoặc nhóm,Số quyết định,Ngày quyết định,Hiệu lực từ\n"
		st, err := db.ImportUnitTags(ctx, tagRows(t, head+
			"09022,Nhóm 3,120/QĐ-UBND,20/02/2026,01/03/2026\n"+
			"09022,xã đặc biệt khó khăn,121/QĐ-UBND,20/02/2026,2026-03-01\n"+
			"00004,nhóm 1,120/QĐ-UBND,20/02/2026,01/03/2026\n"+
			"00004,Nhóm 2,300/QĐ-UBND,01/11/2026,01/01/2027\n"), "nhom.csv", "tinh", "2026-06-01")
		if err != nil {
			t.Fatal(err)
		}
		if st.New != 4 || st.Units != 2 || st.Pending != 1 {
			t.Errorf("stats %+v", st)
		}
		u, _ := db.Unit(ctx, "09022", "2026-06-01")
		if strings.Join(u.Tags, " ") != "dac-biet-kho-khan nhom-3" {
			t.Errorf("09022 tags %v", u.Tags)
		}
		if u, _ := db.Unit(ctx, "00004", "2026-06-01"); strings.Join(u.Tags, " ") != "nhom-1" {
			t.Errorf("00004 tags %v (the 2027 decision is not in force yet)", u.Tags)
		}
		// The tags fire: the group of the 2026-2030 set, and QĐ 318 Điều 1 (an extremely
		// disadvantaged commune of the delta uses the northern-mountain thresholds).
		cu := app.Unit(u)
		cat, _ := criteria.Shipped()
		r, err := cat.Evaluate("xa-ntm-2021", cu, criteria.Values{}, criteria.Options{})
		if err != nil || cu.Group != "nhom-3" {
			t.Fatalf("%+v %v", cu, err)
		}
		for _, v := range r.Indicators {
			if v.Code == "2.2" && (v.Scope.Key != "TDMNPB" || v.Scope.Via != "dac-biet-kho-khan") {
				t.Errorf("2.2 scope %+v, want TDMNPB via dac-biet-kho-khan", v.Scope)
			}
		}
		if g := app.Unit(units.Unit{Code: "x"}).Group; g != "" {
			t.Errorf("a commune without a group tag is given %q", g)
		}
		// The same file again changes nothing; a later import applies the 2027 decision.
		st, err = db.ImportUnitTags(ctx, tagRows(t, head+"00004,Nhóm 2,300/QĐ-UBND,01/11/2026,01/01/2027\n"), "nhom.csv", "tinh", "2027-01-02")
		if err != nil || st.New != 0 || st.Unchanged != 1 {
			t.Errorf("again: %+v %v", st, err)
		}
		if _, err := db.ImportUnitTags(ctx, tagRows(t, head+"00004,Nhóm 2,301/QĐ-UBND,02/11/2026,02/01/2027\n"), "nhom2.csv", "tinh", "2027-01-03"); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.Unit(ctx, "00004", "2027-02-01"); strings.Join(u.Tags, " ") != "nhom-2" {
			t.Errorf("00004 after the 2027 decision: %v", u.Tags)
		}
		// Reloading the unit lists keeps the decisions' tags.
		if _, err := db.ImportUnits(ctx, tagFixture(), nil); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.Unit(ctx, "09022", "2026-06-01"); strings.Join(u.Tags, " ") != "dac-biet-kho-khan nhom-3" {
			t.Errorf("after units import: %v", u.Tags)
		}
		// A row naming a unit that does not exist, or a province, refuses the whole file.
		before, _ := db.UnitTags(ctx, "09022")
		_, err = db.ImportUnitTags(ctx, tagRows(t, head+
			"09022,an toàn khu,5/QĐ-UBND,01/03/2026,01/03/2026\n"+
			"99999,Nhóm 1,5/QĐ-UBND,01/03/2026,01/03/2026\n"+
			"01,Nhóm 1,5/QĐ-UBND,01/03/2026,01/03/2026\n"), "sai.csv", "tinh", "2026-06-01")
		ps, _ := fault.ProblemsOf[[]units.TagProblem](err)
		if !fault.Is(err, fault.InvalidFile) || len(ps) != 2 || ps[0].Line != 3 || ps[1].Line != 4 ||
			!strings.Contains(err.Error(), "dòng 3, cột unit_code: không có đơn vị mã 99999") || !strings.Contains(err.Error(), "không phải là cấp xã hoặc thôn") {
			t.Fatalf("bad file: %v", err)
		}
		if after, _ := db.UnitTags(ctx, "09022"); len(after) != len(before) {
			t.Errorf("a refused file stored rows: %d → %d", len(before), len(after))
		}
		if u, _ := db.Unit(ctx, "09022", "2026-06-01"); strings.Join(u.Tags, " ") != "dac-biet-kho-khan nhom-3" {
			t.Errorf("a refused file changed tags: %v", u.Tags)
		}
	})
}
