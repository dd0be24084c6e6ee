package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/web"
)

// Sign-in throttles from the command line (issue 16): the same list the admin page shows,
// and clearing one so its user may sign in at once (audited as "system").

func init() {
	register(func() *command {
		return &command{
			name:      "throttles list",
			flagsOnly: true,
			run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
				now := time.Now()
				t, err := web.ListThrottles(ctx, db, now)
				if err != nil {
					return err
				}
				if e.json {
					return e.printJSON(t)
				}
				until := func(u *time.Time) string {
					if u == nil {
						return "được thử ngay"
					}
					return "chờ đến " + u.Local().Format("2006-01-02 15:04:05")
				}
				tw := e.table("TÊN ĐĂNG NHẬP\tĐỊA CHỈ\tSỐ LẦN SAI\tLẦN SAI GẦN NHẤT\tTRẠNG THÁI")
				for _, p := range t.Pairs {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", p.Username, p.IP, p.Count, p.Last.Local().Format("2006-01-02 15:04:05"), until(p.Until))
				}
				tw.Flush()
				for _, a := range t.Addresses {
					if a.Until != nil {
						fmt.Fprintf(e.stdout, "Địa chỉ %s thử sai %d tên đăng nhập: %s\n", a.IP, a.Names, until(a.Until))
					}
				}
				fmt.Fprintf(e.stdout, "%d cặp tên đăng nhập × địa chỉ có lần sai trong một giờ qua\n", len(t.Pairs))
				return nil
			}),
		}
	})

	register(func() *command {
		var clearUser, clearIP string
		return &command{
			name:      "throttles clear",
			usage:     "[--user USERNAME] [--ip ADDRESS]",
			flags:     []flagDef{{"user", &clearUser}, {"ip", &clearIP}},
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				if clearUser == "" && clearIP == "" {
					return usageError{"cho --user, --ip hoặc cả hai (give --user, --ip or both)"}
				}
				name := clearUser
				if name != "" {
					var err error
					if name, err = auth.NormalizeUsername(name); err != nil {
						return usageError{err.Error()}
					}
				}
				db, err := e.store(ctx)
				if err != nil {
					return err
				}
				n, err := db.ClearLoginFailureGroups(ctx, "system", name, clearIP)
				if err != nil {
					return err
				}
				return e.answer(map[string]any{"cleared": n, "username": name, "ip": clearIP}, "Đã xóa %d lần đăng nhập sai; có thể đăng nhập lại ngay.\n", n)
			},
		}
	})
}
