package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/memo"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// renderedPages keeps recent dashboard pages as sent, plain and gzip-compressed: executing
// the template and compressing a province's page (its communes in the list and on the map)
// cost far more than reading its figures, which the app caches per data version. A page is
// kept under everything it is made of (dashboardPageKey), so it is served again only where
// it would come out byte for byte the same.
var renderedPages = memo.New[renderedPage](64)

type renderedPage struct {
	body, gz []byte
}

// dashboardPageKey names the dashboard page p shows for r: the database and its data
// version (assessments, units, recognitions, registers: the figures, the trail and the
// children, the reminders, the registers and the header's queue), the criteria sets in
// force, the unit's targets for the year (a write to a target bumps no version), who looks
// and in which language, the URL and the day. "" when it cannot be named; the page is then
// computed and not kept.
func (s *Server) dashboardPageKey(r *http.Request, p *page) string {
	ctx := r.Context()
	version, err := s.db.DataVersion(ctx)
	if err != nil {
		return ""
	}
	cat, err := s.rules(ctx)
	if err != nil {
		return ""
	}
	cur, err := cat.Current(ctx)
	if err != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(s.db.DSN() + "|" + version + "|" + string(units.Today()) + "|" + p.Lang + "|" + r.URL.RequestURI() + "|")
	for _, set := range cur.Sets() {
		b.WriteString(set.ID + "@" + set.File + ",")
	}
	v := p.User
	fmt.Fprintf(&b, "|%q|%q|%q|%q|%q", v.Username, v.Name, v.Role, v.UnitCode, v.Until)
	if v.Unit != nil {
		fmt.Fprintf(&b, "|%q", v.Unit.Name)
	}
	if p.Queue != nil {
		b.WriteString("|q" + strconv.Itoa(*p.Queue))
	}
	if code := r.URL.Query().Get("unit"); code != "" {
		year, _ := strconv.Atoi(string(p.AsOf)[:4])
		ts, err := s.db.Targets(ctx, store.TargetFilter{UnitCode: code, Year: year})
		if err != nil {
			return ""
		}
		fmt.Fprintf(&b, "|%v", ts)
	}
	return b.String()
}

// serveKeptDashboard answers with the page kept under key when there is one and the user
// may still read the unit's figures, and tells whether it did.
func (s *Server) serveKeptDashboard(w http.ResponseWriter, r *http.Request, p *page, key string) bool {
	if key == "" {
		return false
	}
	kept, ok := renderedPages.Get(key)
	if !ok || s.allow(r, p.User.user, auth.Read, r.URL.Query().Get("unit"), p.AsOf) != nil {
		return false
	}
	if kept.gz != nil && acceptsGzip(r) {
		writePage(w, r, http.StatusOK, p.Lang, kept.gz, true)
	} else {
		writePage(w, r, http.StatusOK, p.Lang, kept.body, false)
	}
	return true
}
