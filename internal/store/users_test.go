package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

func TestUsers_CreateAndFind(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, auth.User{Username: "lan", Name: "Nguyễn Thị Lan", Role: auth.RoleProvince,
			UnitCode: "52", PasswordHash: "$argon2id$x"}, "system")
		if err != nil || u.ID == 0 || u.CreatedAt.IsZero() {
			t.Fatalf("CreateUser: %+v %v", u, err)
		}
		if _, err := db.CreateUser(ctx, auth.User{Username: "lan", Role: auth.RoleViewer, UnitCode: "01"}, "system"); !errors.Is(err, store.ErrUserExists) {
			t.Errorf("second user named lan: %v", err)
		}
		got, err := db.UserByUsername(ctx, "lan")
		if err != nil || got.ID != u.ID || got.Name != "Nguyễn Thị Lan" || got.Role != auth.RoleProvince || got.UnitCode != "52" ||
			got.PasswordHash != "$argon2id$x" || got.Disabled || !got.CreatedAt.Equal(u.CreatedAt) {
			t.Errorf("UserByUsername: %+v %v (created %+v)", got, err, u)
		}
		if byID, err := db.UserByID(ctx, u.ID); err != nil || byID.Username != "lan" {
			t.Errorf("UserByID: %+v %v", byID, err)
		}
		if _, err := db.UserByUsername(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
		if _, err := db.UserByID(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
		if err := db.SetUserDisabled(ctx, u.ID, true, "admin"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(ctx, u.ID); !got.Disabled {
			t.Error("disabled user is not disabled")
		}
		if err := db.SetUserPassword(ctx, u.ID, "$argon2id$y", "admin"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(ctx, u.ID); got.PasswordHash != "$argon2id$y" {
			t.Error("password not changed")
		}
		log, err := db.AuditLog(ctx, store.AuditFilter{Entity: "user", EntityID: "lan"})
		if err != nil || len(log) != 3 || log[0].Action != "set_password" || log[1].Action != "update" || log[2].Action != "create" {
			t.Fatalf("audit of lan: %+v %v", log, err)
		}
		var created map[string]any
		json.Unmarshal(log[2].New.(json.RawMessage), &created)
		if created["role"] != "province" || created["unit_code"] != "52" || created["password_hash"] != nil || log[2].Actor != "system" {
			t.Errorf("audit of the creation: %+v new %v", log[2], created)
		}
	})
}

func TestUsers_ListWithinScope(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, u := range []auth.User{
			{Username: "admin", Role: auth.RoleAdmin},
			{Username: "gialai", Role: auth.RoleProvince, UnitCode: "52"},
			{Username: "pleiku", Role: auth.RoleCommune, UnitCode: "23575"},
			{Username: "quynhon", Role: auth.RoleDistrict, UnitCode: "540"}, // an old district of Bình Định
			{Username: "danang", Role: auth.RoleProvince, UnitCode: "48"},
			{Username: "banthach", Role: auth.RoleCommune, UnitCode: "20335"}, // Đà Nẵng now, Quảng Nam before
		} {
			if _, err := db.CreateUser(ctx, u, "system"); err != nil {
				t.Fatal(err)
			}
		}
		names := func(within string) []string {
			us, err := db.Users(ctx, within)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range us {
				out = append(out, u.Username)
			}
			return out
		}
		for within, want := range map[string][]string{
			"":      {"admin", "banthach", "danang", "gialai", "pleiku", "quynhon"},
			"52":    {"gialai", "pleiku", "quynhon"},
			"48":    {"banthach", "danang"},
			"23575": {"pleiku"},
			"540":   {"quynhon"},
		} {
			if got := names(within); !equal(got, want) {
				t.Errorf("users within %q: %v, want %v", within, got, want)
			}
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSessions_Expiry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, _ := db.CreateUser(ctx, auth.User{Username: "lan", Role: auth.RoleAdmin}, "system")
		now := time.Now()
		live := store.Session{TokenHash: auth.HashToken("live"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		dead := store.Session{TokenHash: auth.HashToken("dead"), UserID: u.ID, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Second)}
		for _, s := range []store.Session{live, dead} {
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		got, s, err := db.SessionUser(ctx, live.TokenHash)
		if err != nil || got.Username != "lan" || s.UserID != u.ID || s.ExpiresAt.Sub(live.ExpiresAt).Abs() > time.Millisecond {
			t.Errorf("live session: %+v %+v %v", got, s, err)
		}
		if _, _, err := db.SessionUser(ctx, dead.TokenHash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session: %v", err)
		}
		if _, _, err := db.SessionUser(ctx, auth.HashToken("never")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown session: %v", err)
		}
		// Extending brings an expired-soon session forward.
		if err := db.ExtendSession(ctx, live.TokenHash, now.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, s, _ := db.SessionUser(ctx, live.TokenHash); s.ExpiresAt.Before(now.Add(47*time.Hour)) || s.LastSeen.Before(now.Add(-time.Minute)) {
			t.Errorf("extended session: %+v", s)
		}
		if n, err := db.DeleteExpiredSessions(ctx); n != 1 || err != nil {
			t.Errorf("DeleteExpiredSessions: %d %v", n, err)
		}
		// A disabled user's sessions end.
		db.SetUserDisabled(ctx, u.ID, true, "system")
		if _, _, err := db.SessionUser(ctx, live.TokenHash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session of a disabled user: %v", err)
		}
		db.SetUserDisabled(ctx, u.ID, false, "system")
		db.CreateSession(ctx, live)
		if err := db.DeleteSession(ctx, live.TokenHash); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, live.TokenHash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted session: %v", err)
		}
	})
}

func TestAPITokens_Revoke(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, _ := db.CreateUser(ctx, auth.User{Username: "may", Role: auth.RoleViewer, UnitCode: "52"}, "system")
		tok, err := db.CreateAPIToken(ctx, store.APIToken{TokenHash: auth.HashToken("s3cret"), Name: "báo cáo", UserID: u.ID}, "may")
		if err != nil || tok.ID == 0 {
			t.Fatalf("CreateAPIToken: %+v %v", tok, err)
		}
		old, _ := db.CreateAPIToken(ctx, store.APIToken{TokenHash: auth.HashToken("old"), UserID: u.ID, ExpiresAt: time.Now().Add(-time.Minute)}, "may")
		got, gt, err := db.APITokenUser(ctx, auth.HashToken("s3cret"))
		if err != nil || got.Username != "may" || got.Role != auth.RoleViewer || gt.ID != tok.ID || gt.Name != "báo cáo" || !gt.ExpiresAt.IsZero() {
			t.Errorf("APITokenUser: %+v %+v %v", got, gt, err)
		}
		if _, _, err := db.APITokenUser(ctx, auth.HashToken("old")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired token: %v", err)
		}
		if list, _ := db.APITokens(ctx, u.ID); len(list) != 2 || list[0].ID != old.ID {
			t.Errorf("APITokens: %+v", list)
		}
		if err := db.RevokeAPIToken(ctx, tok.ID, "may"); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(ctx, tok.ID, "may"); err != nil {
			t.Errorf("revoking twice: %v", err)
		}
		if _, _, err := db.APITokenUser(ctx, auth.HashToken("s3cret")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked token still works: %v", err)
		}
		if got, _ := db.APIToken(ctx, tok.ID); !got.Revoked || got.UserID != u.ID {
			t.Errorf("APIToken after revoking: %+v", got)
		}
		if err := db.RevokeAPIToken(ctx, 9999, "may"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking an unknown token: %v", err)
		}
		log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "api_token"})
		if len(log) != 3 || log[0].Action != "revoke" || log[0].UnitCode != "52" {
			t.Errorf("audit of tokens: %+v", log)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		for i, f := range []struct {
			user, ip string
			ago      time.Duration
		}{
			{"lan", "10.0.0.1", 20 * time.Minute}, // too old to count
			{"lan", "10.0.0.1", 10 * time.Minute},
			{"lan", "10.0.0.2", 5 * time.Minute},
			{"minh", "10.0.0.1", time.Minute},
		} {
			if err := db.RecordLoginFailure(ctx, f.user, f.ip, now.Add(-f.ago), "wrong password", true); err != nil {
				t.Fatal(i, err)
			}
		}
		c, err := db.LoginFailures(ctx, "lan", "10.0.0.1", now.Add(-15*time.Minute))
		if err != nil || c.ByPair != 1 || c.ByIP != 2 || c.NamesFromIP != 2 || c.PairLast.Sub(now.Add(-10*time.Minute)).Abs() > time.Millisecond ||
			c.IPLast.Sub(now.Add(-time.Minute)).Abs() > time.Millisecond {
			t.Errorf("LoginFailures: %+v %v", c, err)
		}
		groups, err := db.LoginFailureGroups(ctx, now.Add(-15*time.Minute))
		if err != nil || len(groups) != 3 || groups[0].Username != "minh" || groups[2].IP != "10.0.0.1" || groups[2].Count != 1 {
			t.Errorf("groups: %+v %v", groups, err)
		}
		db.ClearLoginFailures(ctx, "lan", "10.0.0.1")
		if c, _ := db.LoginFailures(ctx, "lan", "10.0.0.1", now.Add(-time.Hour)); c.ByPair != 0 || c.ByIP != 1 {
			t.Errorf("after clearing lan from 10.0.0.1: %+v", c)
		}
		if c, _ := db.LoginFailures(ctx, "lan", "10.0.0.2", now.Add(-time.Hour)); c.ByPair != 1 {
			t.Errorf("lan from 10.0.0.2 should stay: %+v", c)
		}
		if n, err := db.ClearLoginFailureGroups(ctx, "admin", "", "10.0.0.2"); n != 1 || err != nil {
			t.Errorf("clear an address: %d %v", n, err)
		}
		log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "session"})
		if len(log) != 4 || log[0].Action != "sign_in_failed" || !strings.Contains(string(log[0].New.(json.RawMessage)), "10.0.0.1") {
			t.Errorf("failures audited: %+v", log)
		}
		if log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "sign_in_throttle"}); len(log) != 1 || log[0].Actor != "admin" {
			t.Errorf("clearing audited: %+v", log)
		}
	})
}

func TestAudit_RoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 20, 30, 0, 0, time.UTC) // 3 March in Vietnam
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Audit(ctx, store.AuditEntry{At: at, Actor: "lan", Action: "update", Entity: "assessment", EntityID: "17",
				UnitCode: "21607", Old: map[string]any{"1.1": 0.5}, New: map[string]any{"1.1": 0.75}, Detail: "sửa số liệu"}); err != nil {
				return err
			}
			return tx.Audit(ctx, store.AuditEntry{Action: "import", Entity: "criteria_set", EntityID: "qd-318"})
		})
		if err != nil {
			t.Fatal(err)
		}
		// A change rolled back leaves no entry.
		db.Write(ctx, func(tx *store.Tx) error {
			tx.Audit(ctx, store.AuditEntry{Actor: "x", Action: "update", Entity: "assessment", EntityID: "17"})
			return errors.New("rolled back")
		})
		log, err := db.AuditLog(ctx, store.AuditFilter{})
		if err != nil || len(log) != 2 {
			t.Fatalf("AuditLog: %+v %v", log, err)
		}
		e := log[1]
		if !e.At.Equal(at) || e.Actor != "lan" || e.Action != "update" || e.Entity != "assessment" || e.EntityID != "17" ||
			e.UnitCode != "21607" || e.UnitDate != "2026-03-03" || e.Detail != "sửa số liệu" {
			t.Errorf("entry: %+v", e)
		}
		if string(e.Old.(json.RawMessage)) != `{"1.1":0.5}` || string(e.New.(json.RawMessage)) != `{"1.1":0.75}` {
			t.Errorf("old → new: %s → %s", e.Old, e.New)
		}
		if s := log[0]; s.Actor != "system" || s.Old != nil || s.New != nil || s.UnitDate != "" {
			t.Errorf("entry without values: %+v", s)
		}
		for _, c := range []struct {
			f    store.AuditFilter
			want int
		}{
			{store.AuditFilter{Entity: "assessment"}, 1},
			{store.AuditFilter{Entity: "assessment", EntityID: "18"}, 0},
			{store.AuditFilter{UnitCode: "21607"}, 1},
			{store.AuditFilter{Actor: "system"}, 1},
			{store.AuditFilter{BeforeID: log[0].ID}, 1},
			{store.AuditFilter{Limit: 1}, 1},
		} {
			if got, err := db.AuditLog(ctx, c.f); len(got) != c.want || err != nil {
				t.Errorf("%+v: %d entries, want %d (%v)", c.f, len(got), c.want, err)
			}
		}
	})
}

// TestInScope_AcrossTheReform checks scopes with the shipped units: a home unit formed on
// 1 July 2025 covers the old units that became part of it, and nothing else.
func TestInScope_AcrossTheReform(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := units.Today()
		const before = units.Date("2024-01-01")
		cases := []struct {
			home, code string
			asOf       units.Date
			want       bool
		}{
			// New province 52 (Gia Lai) today.
			{"52", "52", today, true},
			{"52", "23575", today, true},  // Phường Pleiku
			{"52", "21607", today, true},  // Xã Nhơn Châu
			{"52", "48", today, false},    // Đà Nẵng
			{"52", "20335", today, false}, // Phường Bàn Thạch, Đà Nẵng
			{"52", "99999", today, false},
			// … and before the reform: old Gia Lai (64) and old Bình Định (52), not Quảng Nam (49).
			{"52", "64", before, true},
			{"52", "622", before, true},   // Thành phố Pleiku
			{"52", "23557", before, true}, // Phường Yên Đỗ, Pleiku
			{"52", "52", before, true},    // Bình Định, the code's old owner
			{"52", "540", before, true},   // Thành phố Quy Nhơn
			{"52", "21550", before, true}, // Phường Nhơn Bình
			{"52", "49", before, false},
			{"52", "502", before, false},
			{"52", "20335", before, false}, // Phường Tân Thạnh, Tam Kỳ
			{"52", "01", before, false},
			// A new commune covers the old communes it was formed from, not their district.
			{"23575", "23575", today, true},
			{"23575", "23575", before, true},
			{"23575", "23557", before, false}, // went into 23563
			{"23575", "622", before, false},
			{"23575", "64", before, false},
			{"23575", "52", today, false},
			// An old district, for the periods it existed.
			{"540", "540", before, true},
			{"540", "21550", before, true},
			{"540", "542", before, false},
			{"540", "52", before, false},
			{"540", "21550", today, false},
			// Đồng Nai (75), a province until 29/04/2026 and a city since, is one home: its
			// communes of 2025 are in scope, the 10 xã that became phường under both names.
			{"75", "25195", "2025-08-01", true},
			{"75", "25270", "2025-08-01", true},
			{"75", "25270", today, true},
			{"75", "75", "2025-08-01", true},
			// Đà Nẵng (48) got Quảng Nam (49).
			{"48", "49", before, true},
			{"48", "20335", before, true},
			{"48", "20335", today, true},
			{"48", "64", before, false},
		}
		for _, c := range cases {
			got, err := db.InScope(ctx, c.home, c.code, c.asOf)
			if err != nil || got != c.want {
				t.Errorf("InScope(home %s, %s as of %s) = %v %v, want %v", c.home, c.code, c.asOf, got, err, c.want)
			}
		}
		// ScopeCodes agrees with InScope.
		codes, err := db.ScopeCodes(ctx, "52", before)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.home == "52" && c.asOf == before && codes[c.code] != c.want {
				t.Errorf("ScopeCodes(52, %s)[%s] = %v", before, c.code, codes[c.code])
			}
		}
		// Old 52 and 64: 2 provinces, 11 + 17 districts and all their communes of the day.
		n := 0
		for _, u := range mustDescendants(t, db, "52", before) {
			n += b2i(codes[u.Code])
		}
		for _, u := range mustDescendants(t, db, "64", before) {
			n += b2i(codes[u.Code])
		}
		if n+2 != len(codes) {
			t.Errorf("scope of 52 as of %s: %d codes, of which %d under old 52 and 64", before, len(codes), n)
		}
	})
}

func mustDescendants(t *testing.T, db *store.DB, code string, day units.Date) []units.Unit {
	us, err := db.Descendants(context.Background(), code, day)
	if err != nil {
		t.Fatal(err)
	}
	return us
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestAuditLog_Within(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		entries := []store.AuditEntry{
			{EntityID: "new-gialai", UnitCode: "23575"},
			{EntityID: "old-gialai", UnitCode: "23557", UnitDate: "2024-06-30"},
			{EntityID: "old-binhdinh", UnitCode: "52", UnitDate: "2024-06-30"},
			{EntityID: "old-quangnam", UnitCode: "20335", UnitDate: "2024-06-30"},
			{EntityID: "danang", UnitCode: "20335"},
			{EntityID: "national"},
		}
		db.Write(ctx, func(tx *store.Tx) error {
			for _, e := range entries {
				e.Actor, e.Action, e.Entity = "lan", "update", "assessment"
				if err := tx.Audit(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		ids := func(f store.AuditFilter) []string {
			log, err := db.AuditLog(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range log {
				out = append(out, e.EntityID)
			}
			return out
		}
		for _, c := range []struct {
			f    store.AuditFilter
			want []string
		}{
			{store.AuditFilter{Within: "52"}, []string{"old-binhdinh", "old-gialai", "new-gialai"}},
			{store.AuditFilter{Within: "48"}, []string{"danang", "old-quangnam"}},
			{store.AuditFilter{Within: "48", UnitCode: "20335"}, []string{"danang", "old-quangnam"}},
			{store.AuditFilter{Within: "52", UnitCode: "20335"}, nil},
			{store.AuditFilter{Within: "23575"}, []string{"new-gialai"}},
			{store.AuditFilter{}, []string{"national", "danang", "old-quangnam", "old-binhdinh", "old-gialai", "new-gialai"}},
		} {
			if got := ids(c.f); !equal(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
	})
}
