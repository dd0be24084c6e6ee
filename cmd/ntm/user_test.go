package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

func init() { auth.Argon2 = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1} }

func TestUserAddListAndToken(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		dsn := db.DSN()
		// A generated password is shown once.
		code, out, errs := ntm(t, "--db", dsn, "user", "add", "Lan", "--role", "province", "--unit", "52", "--name", "Nguyễn Thị Lan")
		pw := regexp.MustCompile(`: ([A-Za-z0-9]{16})\n`).FindStringSubmatch(out)
		if code != 0 || pw == nil || !strings.Contains(out, "52 Tỉnh Gia Lai") {
			t.Fatalf("user add: exit %d %q %s", code, out, errs)
		}
		// A password from stdin.
		if code, out, errs := ntmStdin(t, "mật khẩu của Minh\n", "--db", dsn, "user", "add", "minh", "--role", "commune", "--unit", "23575", "--password-stdin"); code != 0 || strings.Contains(out, "Mật khẩu") {
			t.Fatalf("user add --password-stdin: exit %d %q %s", code, out, errs)
		}
		code, out, _ = ntm(t, "--db", dsn, "user", "add", "admin", "--role", "admin", "--json")
		var added struct {
			User     auth.User
			Password string
		}
		if code != 0 || json.Unmarshal([]byte(out), &added) != nil || added.User.Role != auth.RoleAdmin || len(added.Password) != 16 || strings.Contains(out, "argon2") {
			t.Errorf("user add --json: exit %d %s", code, out)
		}
		// A district officer's district was abolished; it is taken as it last was.
		if code, _, errs := ntm(t, "--db", dsn, "user", "add", "quynhon", "--role", "district", "--unit", "540"); code != 0 {
			t.Errorf("district officer: exit %d %s", code, errs)
		}

		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		lan, err := db.UserByUsername(ctx, "lan")
		if err != nil || lan.Name != "Nguyễn Thị Lan" || lan.Role != auth.RoleProvince || lan.UnitCode != "52" {
			t.Fatalf("lan: %+v %v", lan, err)
		}
		if ok, _ := auth.CheckPassword(lan.PasswordHash, pw[1]); !ok {
			t.Error("the generated password does not sign lan in")
		}
		minh, _ := db.UserByUsername(ctx, "minh")
		if ok, _ := auth.CheckPassword(minh.PasswordHash, "mật khẩu của Minh"); !ok {
			t.Error("the password from stdin does not sign minh in")
		}
		if log, _ := db.AuditLog(ctx, store.AuditFilter{Entity: "user", EntityID: "lan"}); len(log) != 1 || log[0].Actor != "system" {
			t.Errorf("audit of user add: %+v", log)
		}

		code, out, _ = ntm(t, "--db", dsn, "user", "list", "--json")
		var list []map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 4 || strings.Contains(out, "argon2") {
			t.Errorf("user list --json: exit %d %s", code, out)
		}
		code, out, _ = ntm(t, "--db", dsn, "user", "list", "--within", "52")
		if code != 0 || !strings.Contains(out, "lan") || !strings.Contains(out, "minh") || !strings.Contains(out, "quynhon") || strings.Contains(out, "admin") {
			t.Errorf("user list --within 52: exit %d\n%s", code, out)
		}

		code, out, _ = ntm(t, "--db", dsn, "token", "create", "lan", "--name", "đồng bộ", "--expires-in-days", "30")
		secret := regexp.MustCompile(`(?m)^[A-Za-z0-9_-]{43}$`).FindString(out)
		if code != 0 || secret == "" {
			t.Fatalf("token create: exit %d %q", code, out)
		}
		if u, tok, err := db.APITokenUser(ctx, auth.HashToken(secret)); err != nil || u.Username != "lan" || tok.Name != "đồng bộ" || tok.ExpiresAt.IsZero() {
			t.Errorf("the token: %+v %+v %v", u, tok, err)
		}
	})
}

func TestUserAdd_Refusals(t *testing.T) {
	t.Parallel()
	dsn := storetest.Units.Open(t, store.SQLite).DSN()
	ntm(t, "--db", dsn, "user", "add", "lan", "--role", "province", "--unit", "52")
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		says  string
	}{
		{"no user name", "", []string{"user", "add", "--role", "admin"}, 2, "user name"},
		{"bad user name", "", []string{"user", "add", "Nguyễn Lan", "--role", "admin"}, 2, "không hợp lệ"},
		{"no role", "", []string{"user", "add", "x1"}, 2, "--role"},
		{"unknown role", "", []string{"user", "add", "x1", "--role", "boss"}, 2, "ocop-council"},
		{"no unit", "", []string{"user", "add", "x1", "--role", "viewer"}, 2, "--unit"},
		{"wrong level", "", []string{"user", "add", "x1", "--role", "commune", "--unit", "52"}, 2, "commune"},
		{"abolished unit", "", []string{"user", "add", "x1", "--role", "province", "--unit", "64"}, 4, "64"},
		{"unknown unit", "", []string{"user", "add", "x1", "--role", "viewer", "--unit", "99999"}, 4, "99999"},
		{"short password", "ngắn\n", []string{"user", "add", "x1", "--role", "admin", "--password-stdin"}, 2, "10"},
		{"taken", "", []string{"user", "add", "LAN", "--role", "admin"}, 1, "đã có"},
		{"token for nobody", "", []string{"token", "create", "nobody"}, 4, "nobody"},
		{"token, negative days", "", []string{"token", "create", "lan", "--expires-in-days", "-1"}, 2, "expires"},
	} {
		code, _, errs := ntmStdin(t, c.stdin, append([]string{"--db", dsn}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.says) {
			t.Errorf("%s: exit %d, want %d; stderr %q", c.name, code, c.code, errs)
		}
	}
}
