package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
)

// The user lifecycle from the command line (issue 15), as "system" like user add: disable,
// enable, a new password, another role or unit, sessions listed and ended, tokens listed and
// revoked. Disabling, a role or unit change and a new password end the user's sessions and
// revoke their tokens at once; every change is audited.

// namedUser reads the one user named by the arguments.
func namedUser(ctx context.Context, e *env, args []string) (*store.DB, auth.User, error) {
	if len(args) != 1 {
		return nil, auth.User{}, usageError{"cho đúng một tên đăng nhập (give one user name)"}
	}
	name, err := auth.NormalizeUsername(args[0])
	if err != nil {
		return nil, auth.User{}, usageError{err.Error()}
	}
	db, err := e.store(ctx)
	if err != nil {
		return nil, auth.User{}, err
	}
	u, err := db.UserByUsername(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, u, fmt.Errorf("không có người dùng %s (no user %s): %w", name, name, err)
	}
	return db, u, err
}

// withUser makes the run of a command on the one user its argument names (see namedUser).
func withUser(run func(ctx context.Context, e *env, db *store.DB, u auth.User) error) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		db, u, err := namedUser(ctx, e, args)
		if err != nil {
			return err
		}
		return run(ctx, e, db, u)
	}
}

func init() {
	for _, disable := range []bool{true, false} {
		register(func() *command { return userEnableCmd(disable) })
	}
	register(userPasswdCmd, userSetCmd, userSessionsCmd, tokenListCmd, tokenRevokeCmd)
}

// userPasswdCmd is `ntm user passwd`.
func userPasswdCmd() *command {
	var pwStdin bool
	return &command{
		name:  "user passwd",
		usage: "USERNAME [--password-stdin]",
		flags: []flagDef{{"password-stdin", &pwStdin}},
		run: withUser(func(ctx context.Context, e *env, db *store.DB, u auth.User) error {
			password, err := newPassword(e, pwStdin)
			if err != nil {
				return err
			}
			hash, err := auth.HashPassword(password)
			if err != nil {
				return err
			}
			if err := db.SetUserPassword(ctx, u.ID, hash, "system"); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Đã đặt lại mật khẩu của %s; các phiên đăng nhập và token đã chấm dứt.\n", u.Username)
			if !pwStdin {
				fmt.Fprintf(e.stdout, "Mật khẩu mới (chỉ hiện một lần): %s\n", password)
			}
			return nil
		}),
	}
}

// userSetCmd is `ntm user set`.
func userSetCmd() *command {
	var setRole, setUnit string
	return &command{
		name:  "user set",
		usage: "USERNAME [--role ROLE] [--unit CODE]",
		flags: []flagDef{{"role", &setRole}, {"unit", &setUnit}},
		run: func(ctx context.Context, e *env, args []string) error {
			if setRole == "" && setUnit == "" {
				return usageError{"cho --role hoặc --unit (give --role or --unit)"}
			}
			db, u, err := namedUser(ctx, e, args)
			if err != nil {
				return err
			}
			role, code := u.Role, u.UnitCode
			if setRole != "" {
				if role, err = auth.ParseRole(setRole); err != nil {
					return usageError{err.Error()}
				}
			}
			if setUnit != "" {
				code = strings.TrimSpace(setUnit)
			}
			home, err := homeUnit(ctx, db, role, code)
			if err != nil {
				return err
			}
			if err := auth.CheckHome(role, home.Level); err != nil {
				return usageError{err.Error()}
			}
			if err := db.SetUserRole(ctx, u.ID, role, home.Code, "system"); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: %s, %s; các phiên đăng nhập và token đã chấm dứt.\n", u.Username, role, home.Code)
			return nil
		},
	}
}

// userSessionsCmd is `ntm user sessions`.
func userSessionsCmd() *command {
	var endAll bool
	return &command{
		name:  "user sessions",
		usage: "USERNAME [--end]",
		flags: []flagDef{{"end", &endAll}},
		run: withUser(func(ctx context.Context, e *env, db *store.DB, u auth.User) error {
			if endAll {
				n, err := db.EndSessions(ctx, u.ID, "system")
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Đã kết thúc %d phiên của %s.\n", n, u.Username)
				return nil
			}
			list, err := db.UserSessions(ctx, u.ID)
			if err != nil {
				return err
			}
			return printRows(e, list, "BẮT ĐẦU\tLẦN CUỐI\tHẾT HẠN", fmt.Sprintf("%d phiên", len(list)), func(w io.Writer, s store.UserSession) {
				fmt.Fprintf(w, "%s\t%s\t%s\n", s.CreatedAt.Local().Format("02/01/2006 15:04"), s.LastSeen.Local().Format("02/01/2006 15:04"), s.ExpiresAt.Local().Format("02/01/2006 15:04"))
			})
		}),
	}
}

// tokenListCmd is `ntm token list`.
func tokenListCmd() *command {
	return &command{
		name:  "token list",
		usage: "USERNAME",
		run: withUser(func(ctx context.Context, e *env, db *store.DB, u auth.User) error {
			list, err := db.APITokens(ctx, u.ID)
			if err != nil {
				return err
			}
			return printRows(e, list, "MÃ\tTÊN\tTẠO LÚC\tHẾT HẠN\tTRẠNG THÁI", "", func(w io.Writer, t store.APIToken) {
				exp, state := "không", "còn hiệu lực"
				if !t.ExpiresAt.IsZero() {
					exp = t.ExpiresAt.Local().Format("02/01/2006")
				}
				if t.Revoked {
					state = "đã thu hồi"
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Local().Format("02/01/2006 15:04"), exp, state)
			})
		}),
	}
}

// tokenRevokeCmd is `ntm token revoke`.
func tokenRevokeCmd() *command {
	return &command{
		name:   "token revoke",
		usage:  "ID",
		oneArg: &usageError{"cho một mã token (give one token id)"},
		run: func(ctx context.Context, e *env, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{fmt.Sprintf("%q không phải mã token (not a token id)", args[0])}
			}
			db, err := e.store(ctx)
			if err != nil {
				return err
			}
			if err := db.RevokeAPIToken(ctx, id, "system"); err != nil {
				return fmt.Errorf("token %d: %w", id, err)
			}
			fmt.Fprintf(e.stdout, "Đã thu hồi token %d.\n", id)
			return nil
		},
	}
}

// userEnableCmd is `ntm user disable` (disable) or `ntm user enable`.
func userEnableCmd(disable bool) *command {
	name, done := "user enable", "Đã mở khóa %s.\n"
	if disable {
		name, done = "user disable", "Đã khóa %s; các phiên đăng nhập và token đã chấm dứt.\n"
	}
	return &command{
		name: name, usage: "USERNAME",
		run: withUser(func(ctx context.Context, e *env, db *store.DB, u auth.User) error {
			if err := db.SetUserDisabled(ctx, u.ID, disable, "system"); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, done, u.Username)
			return nil
		}),
	}
}
