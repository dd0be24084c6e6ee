package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() { Argon2 = Argon2Params{Memory: 64, Time: 1, Threads: 1} }

// TestPermissions_SPEC restates SPEC §3 action by action; the table in auth.go must agree.
func TestPermissions_SPEC(t *testing.T) {
	E, S, N := Everywhere, Subtree, Nowhere
	want := map[Role]map[Action]Reach{
		//                read  enter import verify targets recog ocop criteria users audit accounts
		RoleAdmin:       row(E, E, E, E, E, E, E, E, E, E, E),
		RoleCentral:     row(E, N, N, N, N, N, N, E, N, N, N),
		RoleProvince:    row(S, S, S, S, S, S, S, N, N, S, S),
		RoleDistrict:    row(S, S, S, S, S, S, S, N, N, S, N),
		RoleCommune:     row(S, S, S, N, N, N, N, N, N, N, N),
		RoleViewer:      row(S, N, N, N, N, N, N, N, N, N, N),
		RoleOCOPCouncil: row(S, N, N, N, N, N, S, N, N, N, N),
	}
	if len(want) != len(Roles) {
		t.Fatalf("test covers %d roles, package has %d", len(want), len(Roles))
	}
	for _, r := range Roles {
		for _, a := range Actions {
			if got := r.Reach(a); got != want[r][a] {
				t.Errorf("%s %s: %s, want %s", r, a, got, want[r][a])
			}
		}
	}
	if Role("chief").Reach(Read) != Nowhere {
		t.Error("an unknown role may read")
	}
}

func row(rs ...Reach) map[Action]Reach {
	order := []Action{Read, Enter, Import, Verify, ManageTargets, ManageRecognition, OCOPScore, ManageCriteria, ManageUsers, ReadAudit, ManageAccounts}
	m := map[Action]Reach{}
	for i, a := range order {
		m[a] = rs[i]
	}
	return m
}

func TestAuthorize(t *testing.T) {
	in := func() (bool, error) { return true, nil }
	out := func() (bool, error) { return false, nil }
	never := func() (bool, error) { t.Fatal("scope asked when it cannot decide"); return false, nil }
	broken := func() (bool, error) { return false, errors.New("db down") }
	admin := &User{Username: "a", Role: RoleAdmin}
	central := &User{Username: "c", Role: RoleCentral}
	prov := &User{Username: "p", Role: RoleProvince, UnitCode: "52"}
	commune := &User{Username: "x", Role: RoleCommune, UnitCode: "21607"}
	cases := []struct {
		name    string
		u       *User
		a       Action
		unit    string
		inScope func() (bool, error)
		ok      bool
	}{
		{"admin anywhere", admin, Verify, "01", never, true},
		{"admin national", admin, ManageCriteria, "", never, true},
		{"central reads anywhere", central, Read, "01", never, true},
		{"central may not enter", central, Enter, "01", never, false},
		{"central manages criteria", central, ManageCriteria, "", never, true},
		{"province in scope", prov, Verify, "21607", in, true},
		{"province out of scope", prov, Verify, "01", out, false},
		{"province national", prov, ManageCriteria, "", never, false},
		{"province no unit", prov, Read, "", never, false},
		{"commune may not verify", commune, Verify, "21607", never, false},
		{"commune enters own", commune, Enter, "21607", in, true},
		{"anonymous", nil, Read, "01", never, false},
		{"disabled", &User{Role: RoleAdmin, Disabled: true}, Read, "01", never, false},
		{"no home", &User{Role: RoleViewer}, Read, "01", never, false},
	}
	for _, c := range cases {
		err := Authorize(c.u, c.a, c.unit, c.inScope)
		if c.ok && err != nil || !c.ok && !fault.Is(err, fault.Forbidden) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := Authorize(prov, Read, "01", broken); err == nil || fault.Is(err, fault.Forbidden) {
		t.Errorf("a failing scope check must be an error, not a refusal: %v", err)
	}
}

func TestPasswordHash_RoundTrip(t *testing.T) {
	h, err := HashPassword("mật khẩu đúng 123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string with the current parameters", h)
	}
	if ok, err := CheckPassword(h, "mật khẩu đúng 123"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	for _, wrong := range []string{"mật khẩu sai 123", "", "mat khau dung 123"} {
		if ok, err := CheckPassword(h, wrong); ok || err != nil {
			t.Errorf("wrong password %q: %v %v", wrong, ok, err)
		}
	}
	h2, _ := HashPassword("mật khẩu đúng 123")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	// A hash made with other parameters still verifies: they travel in the string.
	old := Argon2
	Argon2 = Argon2Params{Memory: 128, Time: 2, Threads: 2}
	h3, _ := HashPassword("khác")
	Argon2 = old
	if ok, err := CheckPassword(h3, "khác"); !ok || err != nil || !strings.Contains(h3, "m=128,t=2,p=2") {
		t.Errorf("hash with other parameters %q: %v %v", h3, ok, err)
	}
}

func TestCheckPassword_BadHash(t *testing.T) {
	for _, h := range []string{"", "plain", "$2a$10$abcdefghijklmnopqrstuv", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA"} {
		if ok, err := CheckPassword(h, "x"); ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("%q: %v %v", h, ok, err)
		}
	}
}

func TestTokens(t *testing.T) {
	a, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewToken()
	if len(a) != 43 || a == b || strings.ContainsAny(a, "+/=") {
		t.Errorf("tokens %q %q: want 43 distinct base64url characters", a, b)
	}
	if h := HashToken(a); len(h) != 64 || h != HashToken(a) || h == HashToken(b) || strings.Contains(h, a) {
		t.Errorf("HashToken: %q", h)
	}
	p, _ := NewPassword()
	if len(p) != 16 || CheckPasswordStrength(p) != nil || strings.ContainsAny(p, "0O1lI") {
		t.Errorf("NewPassword: %q", p)
	}
	if CheckPasswordStrength("ngắn") == nil {
		t.Error("a short password passes")
	}
}

func TestNormalizeUsername(t *testing.T) {
	for in, want := range map[string]string{" Lan.Nguyen ": "lan.nguyen", "gl-52": "gl-52", "a@b.vn": "a@b.vn"} {
		if got, err := NormalizeUsername(in); got != want || err != nil {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "a", "nguyễn", "a b", "-x", strings.Repeat("a", 65)} {
		if _, err := NormalizeUsername(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseRoleAndHome(t *testing.T) {
	if r, err := ParseRole("ocop-council"); r != RoleOCOPCouncil || err != nil {
		t.Errorf("ParseRole: %v %v", r, err)
	}
	if _, err := ParseRole("superuser"); err == nil || !strings.Contains(err.Error(), "province") {
		t.Errorf("ParseRole of an unknown role: %v", err)
	}
	cases := []struct {
		r     Role
		level units.Level
		ok    bool
	}{
		{RoleAdmin, "", true}, {RoleCentral, "", true}, {RoleProvince, "", false},
		{RoleProvince, units.LevelProvince, true}, {RoleProvince, units.LevelCommune, false},
		{RoleCommune, units.LevelCommune, true}, {RoleDistrict, units.LevelDistrict, true},
		{RoleViewer, units.LevelCommune, true}, {RoleOCOPCouncil, units.LevelProvince, true},
	}
	for _, c := range cases {
		if err := CheckHome(c.r, c.level); (err == nil) != c.ok {
			t.Errorf("CheckHome(%s, %q): %v", c.r, c.level, err)
		}
	}
}
