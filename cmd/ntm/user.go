package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Users and API tokens from the command line: how the first admin gets in, and how scripts
// get tokens. Changes are audited as made by "system".

func init() {
	register(userAddCmd, userListCmd, tokenCreateCmd)
}

// userAddCmd is `ntm user add`.
func userAddCmd() *command {
	var addRole, addUnit, addName string
	var addPasswordStdin bool
	return &command{
		name:   "user add",
		usage:  "USERNAME --role ROLE [--unit CODE] [--name NAME] [--password-stdin]",
		flags:  []flagDef{{"role", &addRole}, {"unit", &addUnit}, {"name", &addName}, {"password-stdin", &addPasswordStdin}},
		oneArg: &usageError{"cho một tên đăng nhập (give one user name)"},
		run: func(ctx context.Context, e *env, args []string) error {
			username, err := auth.NormalizeUsername(args[0])
			if err != nil {
				return usageError{err.Error()}
			}
			if addRole == "" {
				return usageError{"cần --role (--role is required)"}
			}
			role, err := auth.ParseRole(addRole)
			if err != nil {
				return usageError{err.Error()}
			}
			generated := !addPasswordStdin
			password, err := newPassword(e, addPasswordStdin)
			if err != nil {
				return err
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			home, err := homeUnit(ctx, db, role, strings.TrimSpace(addUnit))
			if err != nil {
				return err
			}
			if err := auth.CheckHome(role, home.Level); err != nil {
				return usageError{err.Error()}
			}
			hash, err := auth.HashPassword(password)
			if err != nil {
				return err
			}
			u, err := db.CreateUser(ctx, auth.User{Username: username, Name: strings.TrimSpace(addName), Role: role,
				UnitCode: home.Code, PasswordHash: hash}, "system")
			if errors.Is(err, store.ErrUserExists) {
				return fmt.Errorf("người dùng %s đã có (user %s exists)", username, username)
			}
			if err != nil {
				return err
			}
			if e.json {
				out := map[string]any{"user": u}
				if generated {
					out["password"] = password
				}
				return e.printJSON(out)
			}
			where := "toàn quốc"
			if home.Code != "" {
				where = home.Code + " " + home.FullName
			}
			fmt.Fprintf(e.stdout, "Đã tạo người dùng %s: %s, %s.\n", u.Username, roleVI(string(u.Role)), where)
			if generated {
				fmt.Fprintf(e.stdout, "Mật khẩu (chỉ hiện một lần, hãy chuyển cho người dùng): %s\n", password)
			}
			return nil
		},
	}
}

// userListCmd is `ntm user list`.
func userListCmd() *command {
	var listWithin string
	return &command{
		name:      "user list",
		flags:     []flagDef{{"within", &listWithin}},
		flagsOnly: true,
		run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
			list, err := db.Users(ctx, listWithin)
			if err != nil {
				return err
			}
			return printRows(e, list, "TÊN ĐĂNG NHẬP\tHỌ TÊN\tVAI TRÒ\tĐƠN VỊ\tTRẠNG THÁI\tTẠO LÚC", fmt.Sprintf("%d người dùng", len(list)), func(w io.Writer, u auth.User) {
				state := "hoạt động"
				if u.Disabled {
					state = "đã khóa"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.Name, roleVI(string(u.Role)), u.UnitCode, state, u.CreatedAt.Local().Format("02/01/2006 15:04"))
			})
		}),
	}
}

// tokenCreateCmd is `ntm token create`.
func tokenCreateCmd() *command {
	var tokenName string
	var tokenDays int
	return &command{
		name:   "token create",
		usage:  "USERNAME [--name NAME] [--expires-in-days N]",
		flags:  []flagDef{{"name", &tokenName}, {"expires-in-days", &tokenDays}},
		oneArg: &usageError{"cho một tên đăng nhập (give one user name)"},
		run: func(ctx context.Context, e *env, args []string) error {
			if tokenDays < 0 {
				return usageError{"--expires-in-days phải từ 0 trở lên (must be 0 or more)"}
			}
			username, err := auth.NormalizeUsername(args[0])
			if err != nil {
				return usageError{err.Error()}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			u, err := db.UserByUsername(ctx, username)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("không có người dùng %s (no user %s): %w", username, username, err)
			}
			if err != nil {
				return err
			}
			secret, err := auth.NewToken()
			if err != nil {
				return err
			}
			t := store.APIToken{TokenHash: auth.HashToken(secret), Name: strings.TrimSpace(tokenName), UserID: u.ID}
			if tokenDays > 0 {
				t.ExpiresAt = time.Now().Add(time.Duration(tokenDays) * 24 * time.Hour)
			}
			if t, err = db.CreateAPIToken(ctx, t, "system"); err != nil {
				return err
			}
			return e.answer(map[string]any{"token": t, "secret": secret}, "Token %d cho %s (chỉ hiện một lần; gửi kèm mỗi yêu cầu: Authorization: Bearer …):\n%s\n", t.ID, u.Username, secret)
		},
	}
}

// newPassword reads a password from standard input (fromStdin) or generates one, and
// checks that it is strong enough.
func newPassword(e *env, fromStdin bool) (string, error) {
	password, err := "", error(nil)
	if fromStdin {
		var b []byte
		b, err = io.ReadAll(io.LimitReader(e.stdin, 4096))
		password = strings.TrimRight(string(b), "\r\n")
	} else {
		password, err = auth.NewPassword()
	}
	if err != nil {
		return "", err
	}
	if err := auth.CheckPasswordStrength(password); err != nil {
		return "", usageError{err.Error()}
	}
	return password, nil
}

// homeUnit checks a home unit code: it must name a unit that exists today — except for a
// district officer, whose district was abolished on 1 July 2025 and is taken as it last was.
// An empty code is the whole country.
func homeUnit(ctx context.Context, db *store.DB, role auth.Role, code string) (units.Unit, error) {
	if code == "" {
		return units.Unit{}, nil
	}
	today := units.Today()
	u, err := db.Unit(ctx, code, today)
	if errors.Is(err, store.ErrNotFound) && role == auth.RoleDistrict {
		if old, _, serr := db.Successors(ctx, code, today); serr == nil && old.Level == units.LevelDistrict {
			return old, nil
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return units.Unit{}, fmt.Errorf("không có đơn vị mã %s hôm nay (%s); chạy 'ntm units import' nếu chưa nạp danh mục (no unit %s today): %w",
			code, today, code, err)
	}
	return u, err
}
