package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/ocop"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// The scope of a home unit is cached, yet a unit added below it (by any process) is in
// scope at once, and one that moves away leaves it.
func TestInScope_SeesUnitsChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		province := units.Unit{Code: "91", Name: "Thử", FullName: "Tỉnh Thử", Level: units.LevelProvince, Type: "tinh",
			ValidFrom: "2000-01-01", ValidTo: "9999-12-31"}
		other := province
		other.Code, other.FullName = "92", "Tỉnh Khác"
		commune := units.Unit{Code: "99001", Name: "Một", FullName: "Xã Một", Level: units.LevelCommune, Type: "xa",
			ParentCode: "91", ValidFrom: "2000-01-01", ValidTo: "9999-12-31"}
		if _, err := db.ImportUnits(ctx, []units.Unit{province, other}, nil); err != nil {
			t.Fatal(err)
		}
		today := units.Today()
		if in, err := db.InScope(ctx, "91", "99001", today); err != nil || in {
			t.Fatalf("before the commune exists: %v %v", in, err)
		}
		if _, err := storetest.Reopen(t, db).ImportUnits(ctx, []units.Unit{commune}, nil); err != nil {
			t.Fatal(err)
		}
		if in, err := db.InScope(ctx, "91", "99001", today); err != nil || !in {
			t.Errorf("after another process added it: %v %v", in, err)
		}
		commune.ParentCode = "92"
		if _, err := db.ImportUnits(ctx, []units.Unit{commune}, nil); err != nil {
			t.Fatal(err)
		}
		codes, err := db.ScopeCodes(ctx, "91", today)
		if err != nil || codes["99001"] || !codes["91"] {
			t.Errorf("after it moved to another province: %v %v", codes, err)
		}
	})
}

// The checks made inside a transaction (an OCOP council's members: each one's home unit must
// hold the council's) use the same cached scope, and see the units change as InScope does.
func TestCouncilMembers_SeeUnitsChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		province := units.Unit{Code: "91", Name: "Thử", FullName: "Tỉnh Thử", Level: units.LevelProvince, Type: "tinh",
			ValidFrom: "2000-01-01", ValidTo: "9999-12-31"}
		other := province
		other.Code, other.FullName = "92", "Tỉnh Khác"
		commune := units.Unit{Code: "99001", Name: "Một", FullName: "Xã Một", Level: units.LevelCommune, Type: "xa",
			ParentCode: "91", ValidFrom: "2000-01-01", ValidTo: "9999-12-31"}
		if _, err := db.ImportUnits(ctx, []units.Unit{province, other, commune}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, auth.User{Username: "hd", Name: "Thành viên", Role: auth.RoleOCOPCouncil, UnitCode: "91"}, "system"); err != nil {
			t.Fatal(err)
		}
		council := ocop.Council{UnitCode: "99001", Name: "Hội đồng xã", From: "2026-01-01", Members: []ocop.CouncilMember{{Username: "hd"}}}
		if _, err := db.CreateOCOPCouncil(ctx, "system", council); err != nil {
			t.Fatalf("a member of the province on a council of its commune: %v", err)
		}
		commune.ParentCode = "92"
		if _, err := storetest.Reopen(t, db).ImportUnits(ctx, []units.Unit{commune}, nil); err != nil {
			t.Fatal(err)
		}
		council.Name = "Hội đồng xã (mới)"
		_, err := db.CreateOCOPCouncil(ctx, "system", council)
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Field != "members" {
			t.Errorf("after the commune moved to another province (by another process): %v, want a refusal of the members", err)
		}
	})
}
