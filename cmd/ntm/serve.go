package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/web"
)

func init() {
	register(func() *command {
		addr, proxies := os.Getenv("NTM_ADDR"), os.Getenv("NTM_TRUSTED_PROXIES")
		if addr == "" {
			addr = "127.0.0.1:8080"
		}
		var demo bool
		backups := backupSchedule{every: 24 * time.Hour, keep: 14}
		return &command{
			name: "serve",
			flags: []flagDef{{"addr", &addr}, {"trusted-proxies", &proxies}, {"backup-dir", &backups.dir},
				{"backup-every", &backups.every}, {"backup-keep", &backups.keep}, {"demo", &demo}},
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
			flagsOnly: true,
			run: withStore(func(ctx context.Context, e *env, db *store.DB, args []string) error {
				// e.store has applied the migrations; say so.
				return e.answer(map[string]string{"db": db.String(), "status": "up to date"}, "%s: lược đồ cơ sở dữ liệu đã cập nhật / schema up to date\n", db.String())
			}),
		}
	})
}
