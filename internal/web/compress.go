package web

import (
	"compress/gzip"
	"mime"
	"net/http"
	"sync"
)

// compressMin is the size below which a body is sent as it is: gzip's header and trailer
// would cost more than they save on an error or a short list.
const compressMin = 1024

// compressible are the content types the middleware compresses: text the server writes.
// Files already compressed (xlsx, docx, pdf, zip, images) and downloads named by a
// Content-Disposition pass untouched.
var compressible = map[string]bool{
	"application/json":     true,
	"application/geo+json": true,
	"text/plain":           true,
	"text/csv":             true,
	"text/html":            true,
	"application/yaml":     true,
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

// gzipResponse compresses a response on its way out when the client takes gzip, the
// handler did not encode it itself (the progress API and the pages keep bodies compressed
// once per data version), its type is text and it is longer than compressMin. It holds
// the first compressMin bytes to decide, then streams. A compressible response says
// Vary: Accept-Encoding to every client, so that a shared cache keeps both forms apart.
type gzipResponse struct {
	http.ResponseWriter
	accepts  bool // the client takes gzip
	status   int  // held back until decided
	eligible bool // the headers allow compressing
	buf      []byte
	decided  bool
	zw       *gzip.Writer // nil: passing through
}

// compressed wraps w for r; finish must be called once the handler returned.
func compressed(w http.ResponseWriter, r *http.Request) *gzipResponse {
	// A range request reads bytes of the stored body; HEAD has none.
	return &gzipResponse{ResponseWriter: w, accepts: acceptsGzip(r),
		decided: r.Method == http.MethodHead || r.Header.Get("Range") != ""}
}

func (g *gzipResponse) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func (g *gzipResponse) WriteHeader(code int) {
	switch {
	case g.decided && g.status == 0:
		g.ResponseWriter.WriteHeader(code)
	case g.decided || g.status != 0:
		// a second WriteHeader: dropped, as net/http would
	default:
		g.status = code
		g.eligible = g.mayCompress()
		if !g.eligible || !g.accepts {
			g.decide(false)
		}
	}
}

// mayCompress tells whether the response, as its headers stand, may be compressed.
func (g *gzipResponse) mayCompress() bool {
	h := g.Header()
	if g.status < 200 || g.status == http.StatusNoContent || g.status == http.StatusNotModified ||
		g.status == http.StatusPartialContent || h.Get("Content-Encoding") != "" || h.Get("Content-Disposition") != "" {
		return false
	}
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return compressible[ct]
}

func (g *gzipResponse) Write(p []byte) (int, error) {
	if !g.decided && g.status == 0 {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(p))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.decided {
		if g.zw != nil {
			return g.zw.Write(p)
		}
		return g.ResponseWriter.Write(p)
	}
	g.buf = append(g.buf, p...)
	if len(g.buf) >= compressMin {
		g.decide(true)
	}
	return len(p), nil
}

// decide sends the headers, compressed or not, and what was held back.
func (g *gzipResponse) decide(compress bool) {
	g.decided = true
	h := g.Header()
	if g.eligible {
		h.Add("Vary", "Accept-Encoding")
	}
	if compress {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		g.zw = gzipWriters.Get().(*gzip.Writer)
		g.zw.Reset(g.ResponseWriter)
	}
	if g.status != 0 {
		g.ResponseWriter.WriteHeader(g.status)
	}
	if len(g.buf) > 0 {
		if g.zw != nil {
			g.zw.Write(g.buf)
		} else {
			g.ResponseWriter.Write(g.buf)
		}
		g.buf = nil
	}
}

// finish writes what is held back (a short body goes as it is) and ends the gzip stream.
func (g *gzipResponse) finish() {
	if !g.decided {
		g.decide(false)
	}
	if g.zw != nil {
		g.zw.Close()
		gzipWriters.Put(g.zw)
		g.zw = nil
	}
}
