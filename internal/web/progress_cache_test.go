package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/resources"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// Progress comes compressed to a client that takes gzip, with an ETag; the same ETag gets
// 304 while nothing changed, and a write to a register changes both the ETag and the body.
func TestAPI_ProgressGzipETag(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := newServer(t, db)
		tok := newToken(t, db, newUser(t, db, "tinh", auth.RoleProvince, "01", ""))
		const path = "/api/v1/progress?unit=01&as_of=2026-06-30"
		get := func(headers ...string) (answer, map[string]any) {
			t.Helper()
			r := do(t, srv, call{"GET", path, "", append([]string{authz(tok), "Accept-Encoding: gzip"}, headers...)})
			if r.status != 200 {
				return r, nil
			}
			if r.header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q, want gzip", r.header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			var body map[string]any
			if err := json.Unmarshal(plain, &body); err != nil {
				t.Fatalf("body: %v", err)
			}
			return r, body
		}
		r, body := get()
		etag := r.header.Get("ETag")
		if r.status != 200 || etag == "" || body["units_total"] == nil || body["funding"] != nil {
			t.Fatalf("first: %d ETag %q, units_total %v, funding %v", r.status, etag, body["units_total"], body["funding"])
		}
		if r, _ := get("If-None-Match: " + etag); r.status != 304 || len(r.body) != 0 {
			t.Errorf("same ETag: %d with %d bytes, want 304 and none", r.status, len(r.body))
		}
		commune := ruralCommunes(t, db, "01", "2026-06-30")[0].Code
		if _, err := db.PutFunding(context.Background(), "seed", resources.Funding{UnitCode: commune, Year: 2026,
			Parts: map[string]resources.Fixed{"nstw": resources.FromInt(1200)}}); err != nil {
			t.Fatal(err)
		}
		r, body = get("If-None-Match: " + etag)
		if r.status != 200 || r.header.Get("ETag") == etag || body["funding"] == nil {
			t.Errorf("after a funding entry: %d, ETag %q (was %q), funding %v", r.status, r.header.Get("ETag"), etag, body["funding"])
		}
		// Another province's officer gets 403, not the cached body nor a 304.
		other := newToken(t, db, newUser(t, db, "hcm", auth.RoleProvince, "79", ""))
		if r := do(t, srv, call{"GET", path, "", []string{authz(other), "If-None-Match: " + r.header.Get("ETag")}}); r.status != 403 {
			t.Errorf("another province: %d, want 403", r.status)
		}
	})
}
