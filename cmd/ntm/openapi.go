package main

import (
	"context"
	"flag"

	"github.com/ntm-vn/ntm/internal/web"
)

// ntm openapi prints the API's OpenAPI document without a database or a running server, for
// generating a client offline and for the linter in CI.
func init() {
	register(func() *command {
		var server string
		return &command{
			name:    "openapi",
			usage:   "[--server URL]",
			summary: "in tài liệu OpenAPI của API (print the API's OpenAPI document)",
			setup: func(fs *flag.FlagSet, e *env) {
				fs.StringVar(&server, "server", "http://127.0.0.1:8080", "địa chỉ máy chủ ghi trong tài liệu (the server URL the document names)")
			},
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				return e.printJSON(web.OpenAPIDocument(server))
			},
		}
	})
}
