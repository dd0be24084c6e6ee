package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
)

// Sign-in throttles as an administrator sees them (issue 16): who is made to wait, from
// where, until when, and the button that lets them try again at once.

func init() {
	documentAPI(map[string]APIDoc{
		"GET /api/v1/sign-in-throttles": {Summary: "The sign-in throttles of the past hour (admin): failures of each user name from each address with the time it must wait until, and addresses that failed for many names.",
			Returns: "{window, pairs: [{username, ip, failures, first, last, until?}], addresses: [{ip, names, failures, last, until?}]}"},
		"DELETE /api/v1/sign-in-throttles": {Summary: "Forget the failed sign-ins of a user name, an address or both, so they may sign in at once (admin; audited).",
			Params:  []APIParam{{Name: "username", Description: "the user name"}, {Name: "ip", Description: "the client address"}},
			Returns: "{cleared, username, ip}"},
	})
}

func (s *Server) throttleRoutes() {
	s.mux.HandleFunc("GET /admin/sign-in-throttles", s.throttlesPage)
	s.mux.HandleFunc("POST /admin/sign-in-throttles", s.throttlesPost)
}

// Throttles is the state of the sign-in throttles: the failures of each user name from
// each address within the window, and the addresses that failed for many names.
type Throttles struct {
	Window    string            `json:"window"`
	Pairs     []PairThrottle    `json:"pairs"`
	Addresses []AddressThrottle `json:"addresses"`
}

// PairThrottle is one user name from one address.
type PairThrottle struct {
	store.LoginFailureGroup
	Until *time.Time `json:"until,omitempty"` // waiting until then; absent: may try now
}

// AddressThrottle is one address's failures for any name.
type AddressThrottle struct {
	IP       string     `json:"ip"`
	Names    int        `json:"names"`
	Failures int        `json:"failures"`
	Last     time.Time  `json:"last"`
	Until    *time.Time `json:"until,omitempty"` // the address waits (spraying) until then
}

// ListThrottles computes the throttles in force at now, with the rule createSession applies
// (the command line's `ntm throttles list` shows the same).
func ListThrottles(ctx context.Context, db *store.DB, now time.Time) (Throttles, error) {
	groups, err := db.LoginFailureGroups(ctx, now.Add(-failWindow))
	if err != nil {
		return Throttles{}, err
	}
	out := Throttles{Window: failWindow.String(), Pairs: []PairThrottle{}, Addresses: []AddressThrottle{}}
	byIP := map[string]*AddressThrottle{}
	for _, g := range groups {
		p := PairThrottle{LoginFailureGroup: g}
		if wait := throttleWait(store.LoginFailureCounts{ByPair: g.Count, PairLast: g.Last}, now); wait > 0 {
			t := now.Add(wait).UTC()
			p.Until = &t
		}
		out.Pairs = append(out.Pairs, p)
		a := byIP[g.IP]
		if a == nil {
			a = &AddressThrottle{IP: g.IP}
			byIP[g.IP] = a
		}
		a.Names++
		a.Failures += g.Count
		if g.Last.After(a.Last) {
			a.Last = g.Last
		}
	}
	for _, a := range byIP {
		if wait := throttleWait(store.LoginFailureCounts{NamesFromIP: a.Names, IPLast: a.Last}, now); wait > 0 {
			t := now.Add(wait).UTC()
			a.Until = &t
		}
		out.Addresses = append(out.Addresses, *a)
	}
	slices.SortFunc(out.Addresses, func(a, b AddressThrottle) int { return b.Last.Compare(a.Last) })
	return out, nil
}

// GET /api/v1/sign-in-throttles — the sign-in throttles (admin: manage_users).
func (s *Server) listThrottles(r *http.Request, u *auth.User) (any, error) {
	if err := s.allow(r, u, auth.ManageUsers, "", ""); err != nil {
		return nil, err
	}
	return ListThrottles(r.Context(), s.db, s.auth.now())
}

// DELETE /api/v1/sign-in-throttles?username=&ip= — forgets the failures of a user name, an
// address, or the name from the address, so they may sign in at once (admin; audited).
func (s *Server) clearThrottles(r *http.Request, u *auth.User) (any, error) {
	if err := s.allow(r, u, auth.ManageUsers, "", ""); err != nil {
		return nil, err
	}
	name, ip, err := throttleTarget(r.URL.Query())
	if err != nil {
		return nil, err
	}
	n, err := s.db.ClearLoginFailureGroups(r.Context(), u.Username, name, ip)
	return map[string]any{"cleared": n, "username": name, "ip": ip}, err
}

// throttleTarget reads which throttles to clear: a user name, an address or both.
func throttleTarget(q url.Values) (name, ip string, err error) {
	name, ip = strings.TrimSpace(q.Get("username")), strings.TrimSpace(q.Get("ip"))
	if name == "" && ip == "" {
		return "", "", badField("username", "Hãy chỉ rõ tên đăng nhập hoặc địa chỉ (username or ip is required)")
	}
	if name != "" && name != "?" {
		if name, err = auth.NormalizeUsername(name); err != nil {
			return "", "", badField("username", err.Error())
		}
	}
	return name, ip, nil
}

type throttlesData struct {
	Throttles
	Flash string
}

// GET /admin/sign-in-throttles — the throttles, each with a button that clears it.
func (s *Server) throttlesPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "throttle.title")
	if !ok {
		return
	}
	if s.allow(r, p.User.user, auth.ManageUsers, "", "") != nil {
		s.errorPage(w, r, http.StatusForbidden, "throttle.forbidden")
		return
	}
	t, err := ListThrottles(r.Context(), s.db, s.auth.now())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	d := throttlesData{Throttles: t}
	if n, err := strconv.Atoi(r.URL.Query().Get("cleared")); err == nil {
		d.Flash = p.T("throttle.cleared", p.Int(n))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "throttles", p)
}

// POST /admin/sign-in-throttles (form: username, ip) — clears through the API.
func (s *Server) throttlesPost(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
		return
	}
	q := url.Values{"username": {r.PostForm.Get("username")}, "ip": {r.PostForm.Get("ip")}}
	rec := s.forward(r, http.MethodDelete, "/api/v1/sign-in-throttles?"+q.Encode(), nil)
	switch {
	case rec.status == http.StatusUnauthorized:
		http.Redirect(w, r, "/sign-in?next=%2Fadmin%2Fsign-in-throttles", http.StatusSeeOther)
	case rec.status == http.StatusForbidden:
		s.errorPage(w, r, http.StatusForbidden, "throttle.forbidden")
	case rec.status != http.StatusOK:
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
	default:
		var got struct{ Cleared int }
		json.Unmarshal(rec.body.Bytes(), &got)
		http.Redirect(w, r, "/admin/sign-in-throttles?cleared="+strconv.Itoa(got.Cleared), http.StatusSeeOther)
	}
}
