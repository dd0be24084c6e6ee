package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// The front-end bundle: ui/ (npm) is built by esbuild into static/dist, which is committed
// and embedded, so `go run ./cmd/ntm serve` needs no npm step. dist/manifest.json maps each
// bundle's name ("app.js") to its content-hashed file ("app-5XQ2K7.js") and records a hash
// of the sources it was built from (a test fails when the two have drifted apart).
//
//go:embed static
var staticFS embed.FS

// manifest is dist/manifest.json, written by ui/build.mjs.
type manifest struct {
	SourceHash string            `json:"source_hash"`
	Files      map[string]string `json:"files"`
}

var loadManifest = sync.OnceValue(func() manifest {
	var m manifest
	b, err := staticFS.ReadFile("static/dist/manifest.json")
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		panic("web: static/dist/manifest.json: " + err.Error() + " (run: cd ui && npm ci && npm run build)")
	}
	return m
})

// assetURL returns the URL of a bundle by its name in ui/src ("app.js", "app.css").
func assetURL(name string) string {
	if f, ok := loadManifest().Files[name]; ok {
		return "/static/dist/" + f
	}
	return "/static/dist/missing/" + name
}

// staticFile is an embedded file ready to serve: its bytes, their gzip form when that is
// smaller, and an entity tag.
type staticFile struct {
	body, gz    []byte
	etag, ctype string
	immutable   bool
}

var staticCache sync.Map // path → *staticFile

func loadStatic(name string) (*staticFile, bool) {
	if f, ok := staticCache.Load(name); ok {
		return f.(*staticFile), true
	}
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		return nil, false
	}
	sum := sha256.Sum256(b)
	f := &staticFile{
		body:  b,
		etag:  `"` + hex.EncodeToString(sum[:12]) + `"`,
		ctype: mime.TypeByExtension(path.Ext(name)),
		// Built bundles carry a hash of their content in their name; nothing else may be
		// cached for ever.
		immutable: strings.HasPrefix(name, "dist/") && name != "dist/manifest.json",
	}
	if f.ctype == "" {
		f.ctype = "application/octet-stream"
	}
	f.gz = gzipBytes(b, gzip.BestCompression)
	actual, _ := staticCache.LoadOrStore(name, f)
	return actual.(*staticFile), true
}

// gzipBytes compresses b at level, or returns nil when that does not make it smaller.
func gzipBytes(b []byte, level int) []byte {
	if len(b) < 512 {
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, level)
	zw.Write(b)
	zw.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}

// acceptsGzip reports whether the client takes gzip (and did not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}

// serveBytes writes a cacheable response: 304 when the client has it, gzip when it takes it.
func serveBytes(w http.ResponseWriter, r *http.Request, f *staticFile, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// GET /static/{path...}
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("path")
	if name == "" || strings.Contains(name, "..") || strings.HasSuffix(name, "/") {
		http.NotFound(w, r)
		return
	}
	f, ok := loadStatic(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	cc := "no-cache"
	if f.immutable {
		cc = "public, max-age=31536000, immutable"
	}
	serveBytes(w, r, f, cc)
}
