package main

import (
	"context"

	"github.com/ntm-vn/ntm/internal/web"
)

// ntm openapi prints the API's OpenAPI document without a database or a running server, for
// generating a client offline and for the linter in CI.
func init() {
	register(func() *command {
		server := "http://127.0.0.1:8080"
		return &command{
			name:      "openapi",
			usage:     "[--server URL]",
			flags:     []flagDef{{"server", &server}},
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				return e.printJSON(web.OpenAPIDocument(server))
			},
		}
	})
}
