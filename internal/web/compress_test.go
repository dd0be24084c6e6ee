package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCompressed: text answers longer than compressMin go out gzip-compressed to clients
// that take it, byte for byte the same once decompressed; short answers, downloads, bodies
// the handler compressed itself, ranges and clients without gzip get the body as written.
func TestCompressed(t *testing.T) {
	long := `{"units":[` + strings.Repeat(`{"code":"01001","name":"Phường Phúc Xá"},`, 100) + `{}]}`
	json := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			// in small pieces, as json.Encoder and templates write
			for i := 0; i < len(body); i += 100 {
				w.Write([]byte(body[i:min(len(body), i+100)]))
			}
		}
	}
	tests := []struct {
		name           string
		acceptEncoding string
		rangeHeader    string
		handler        http.HandlerFunc
		wantGzip       bool
		wantVary       bool
	}{
		{"long JSON", "gzip, deflate, br", "", json(long), true, true},
		{"long JSON, no gzip", "", "", json(long), false, true},
		{"long JSON, gzip refused", "gzip;q=0", "", json(long), false, true},
		{"short JSON", "gzip", "", json(`{"error":{"code":"not_found"}}`), false, true},
		{"text without WriteHeader", "gzip", "", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, long)
		}, true, true},
		{"xlsx download", "gzip", "", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			io.WriteString(w, long)
		}, false, false},
		{"CSV attachment", "gzip", "", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/csv")
			w.Header().Set("Content-Disposition", `attachment; filename="a.csv"`)
			io.WriteString(w, long)
		}, false, false},
		{"range", "gzip", "bytes=0-99", json(long), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/units", nil)
			if tc.acceptEncoding != "" {
				r.Header.Set("Accept-Encoding", tc.acceptEncoding)
			}
			if tc.rangeHeader != "" {
				r.Header.Set("Range", tc.rangeHeader)
			}
			rec := httptest.NewRecorder()
			gz := compressed(rec, r)
			tc.handler(gz, r)
			gz.finish()
			res := rec.Result()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			body := rec.Body.Bytes()
			if got := res.Header.Get("Content-Encoding") == "gzip"; got != tc.wantGzip {
				t.Fatalf("compressed = %v, want %v", got, tc.wantGzip)
			}
			if got := res.Header.Get("Vary") == "Accept-Encoding"; got != tc.wantVary {
				t.Errorf("Vary = %q", res.Header.Get("Vary"))
			}
			if tc.wantGzip {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if n := rec.Body.Len(); n*3 > len(body) {
					t.Errorf("%d bytes compressed to %d", len(body), n)
				}
			}
			want := httptest.NewRecorder()
			tc.handler(want, r)
			if !bytes.Equal(body, want.Body.Bytes()) {
				t.Errorf("body differs from the handler's:\n%.200s\nwant\n%.200s", body, want.Body.Bytes())
			}
		})
	}
}

// TestCompressed_LeavesEncodedBodies: a body the handler compressed itself (the progress
// API, the pages) passes once, not gzip in gzip.
func TestCompressed_LeavesEncodedBodies(t *testing.T) {
	f := &staticFile{body: bytes.Repeat([]byte(`{"a":1},`), 500), ctype: "application/json", etag: `"x"`}
	f.gz = gzipBytes(f.body, gzip.DefaultCompression)
	r := httptest.NewRequest("GET", "/api/v1/progress", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	gz := compressed(rec, r)
	serveBytes(gz, r, f, "private, no-cache")
	gz.finish()
	if !bytes.Equal(rec.Body.Bytes(), f.gz) {
		t.Errorf("body is not the handler's gzip (%d bytes, want %d)", rec.Body.Len(), len(f.gz))
	}
	if v := rec.Result().Header.Values("Vary"); len(v) != 1 {
		t.Errorf("Vary = %q", v)
	}
}
