package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/ntm-vn/ntm/internal/web"
)

func init() {
	register(func() *command {
		var addr, proxies string
		var demo bool
		var backups backupSchedule
		return &command{
			name:    "serve",
			summary: "chạy máy chủ web và API, nâng cấp cơ sở dữ liệu trước (run the web server and API, applying migrations first)",
			setup: func(fs *flag.FlagSet, e *env) {
				addr = os.Getenv("NTM_ADDR")
				if addr == "" {
					addr = "127.0.0.1:8080"
				}
				fs.StringVar(&addr, "addr", addr, "địa chỉ lắng nghe; hoặc biến NTM_ADDR (address to listen on)")
				fs.StringVar(&proxies, "trusted-proxies", os.Getenv("NTM_TRUSTED_PROXIES"),
					"các proxy tin cậy mà X-Forwarded-For của chúng cho biết máy khách: địa chỉ hoặc dải CIDR, cách nhau bởi dấu phẩy; hoặc biến NTM_TRUSTED_PROXIES (trusted reverse proxies, addresses or CIDR ranges)")
				fs.StringVar(&backups.dir, "backup-dir", "", "sao lưu định kỳ vào thư mục này, xem ntm backup (take scheduled backups into this folder)")
				fs.DurationVar(&backups.every, "backup-every", 24*time.Hour, "bao lâu sao lưu một lần (how often to take a scheduled backup)")
				fs.IntVar(&backups.keep, "backup-keep", 14, "giữ bao nhiêu bản sao lưu định kỳ, bản cũ nhất bị xóa (how many scheduled backups to keep)")
				fs.BoolVar(&demo, "demo", false, "nạp danh mục đơn vị và dữ liệu mẫu trước nếu cơ sở dữ liệu còn trống (load the units and the demo data first when the database has none)")
			},
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				trusted, err := web.ParseTrustedProxies(proxies)
				if err != nil {
					return usageError{"--trusted-proxies: " + err.Error()}
				}
				if err := backups.check(); err != nil {
					return err
				}
				log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
				db, err := e.store(ctx)
				if err != nil {
					return err
				}
				if demo {
					if err := loadDemo(ctx, e, false); err != nil {
						return err
					}
				}
				handler := web.New(db, log)
				handler.SetTrustedProxies(trusted)
				srv := &http.Server{
					Addr:              addr,
					Handler:           handler,
					ReadHeaderTimeout: 10 * time.Second,
					IdleTimeout:       2 * time.Minute,
				}
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return err
				}
				log.Info("ntm listening", "url", "http://"+ln.Addr().String(), "db", db.String(), "version", version)
				errc := make(chan error, 1)
				go func() { errc <- srv.Serve(ln) }()
				go backups.run(ctx, db, log)
				select {
				case err := <-errc:
					return err
				case <-ctx.Done():
				}
				// Graceful shutdown: finish requests in flight, refuse new ones.
				log.Info("shutting down")
				sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				if err := srv.Shutdown(sctx); err != nil {
					return fmt.Errorf("shutdown: %w", err)
				}
				if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
					return err
				}
				return nil
			},
		}
	})

	register(func() *command {
		return &command{
			name:      "migrate",
			summary:   "tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu (create or upgrade the database schema)",
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				db, err := e.store(ctx)
				if err != nil {
					return err
				}
				// e.store has applied the migrations; say so.
				return e.answer(map[string]string{"db": db.String(), "status": "up to date"}, "%s: lược đồ cơ sở dữ liệu đã cập nhật / schema up to date\n", db.String())
			},
		}
	})
}
