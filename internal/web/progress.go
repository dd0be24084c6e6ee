package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/memo"
)

// GET /api/v1/progress?unit=CODE&set=ID&as_of=DATE&include_unapproved=1&format=json|text&lang=vi|en
//
// Without unit: the whole country (roles that read everywhere). Without set: the commune
// NTM set in force on the date.
func (s *Server) getProgress(r *http.Request, u *auth.User) (any, error) {
	day, err := asOf(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	unit := q.Get("unit")
	set, err := s.planScope(r, u, unit, day)
	if err != nil {
		return nil, err
	}
	basis, err := basisParam(q)
	if err != nil {
		return nil, err
	}
	format, lang := q.Get("format"), q.Get("lang")
	if format != "text" {
		format, lang = "json", ""
	} else if lang == "" {
		lang = "vi"
	}
	// The body is the same for everyone allowed to read it and changes only with the data
	// version: it is encoded (and compressed) once per version, and its ETag lets a client
	// that has it get 304 without any figure being computed.
	version, err := s.db.DataVersion(r.Context())
	if err != nil {
		return nil, err
	}
	key := strings.Join([]string{s.db.DSN(), version, set.ID, set.File, unit, string(day), string(basis), format, lang}, "|")
	sum := sha256.Sum256([]byte(key))
	etag := `"p` + hex.EncodeToString(sum[:12]) + `"`
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		return notModified(etag), nil
	}
	ctx := context.WithoutCancel(r.Context()) // others may be waiting for this computation
	f, err := progressBodies.Do(key, func() (*staticFile, error) {
		rep, err := app.ComputeProgress(ctx, s.db, set, unit, day, basis.ApprovedOnly())
		if err != nil {
			return nil, err
		}
		// The registers' figures of the same unit and day (OCOP, funding, works, models,
		// overdue tasks) ride along when present, cached under the same data version.
		regs, err := app.Registers(ctx, s.db, unit, day)
		if err != nil {
			return nil, err
		}
		f := &staticFile{etag: etag, ctype: "application/json; charset=utf-8"}
		if format == "text" {
			f.body, f.ctype = []byte(rep.Text(lang)+regs.Text(lang)), "text/plain; charset=utf-8"
		} else {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(struct {
				app.Progress
				app.RegisterFigures
			}{rep, regs}); err != nil {
				return nil, err
			}
			f.body = b.Bytes()
		}
		f.gz = gzipBytes(f.body, gzip.DefaultCompression)
		return f, nil
	})
	return servedFile{f}, err
}

// progressBodies keeps the encoded progress responses of recent requests, by database, data
// version and request; about 60 KB each once compressed, so a few MB at most.
var progressBodies = memo.New[*staticFile](64)

// basisParam reads which assessments the figures count: approved ones (the official figures,
// the default; approved_only=1 is still accepted) or, with include_unapproved=1, every one.
func basisParam(q url.Values) (app.Basis, error) {
	flag := func(name string) (bool, error) {
		switch q.Get(name) {
		case "", "0", "false":
			return false, nil
		case "1", "true":
			return true, nil
		}
		return false, badField(name, name+": dùng 1 hoặc 0 (use 1 or 0)")
	}
	all, err := flag("include_unapproved")
	if err != nil {
		return "", err
	}
	approved, err := flag("approved_only")
	if err != nil {
		return "", err
	}
	if all && approved {
		return "", badField("include_unapproved", "include_unapproved và approved_only loại trừ nhau (include_unapproved and approved_only exclude each other)")
	}
	return app.BasisOf(all), nil
}

// notModified answers 304 to a client that has the body of etag.
type notModified string

func (etag notModified) write(w http.ResponseWriter, r *http.Request, status int) {
	h := w.Header()
	h.Set("ETag", string(etag))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding")
	w.WriteHeader(http.StatusNotModified)
}

// servedFile answers an encoded body (see serveBytes), never cached without asking.
type servedFile struct{ f *staticFile }

func (s servedFile) write(w http.ResponseWriter, r *http.Request, status int) {
	serveBytes(w, r, s.f, "private, no-cache")
}
