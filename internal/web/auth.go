package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Authentication and access (SPEC §3). A request is signed in by the session cookie a
// browser got from POST /api/v1/session, or by "Authorization: Bearer TOKEN" with an API
// token; a token acts as its user. Handlers that need a user are wrapped in s.authed, and
// check each unit they touch with s.allow (role × action × the user's home subtree, as of
// the day the data are about); lists keep only what s.scope allows.
//
// Cookie-authenticated requests that change things must carry X-Requested-With or come
// from this site's own origin (Origin, else Referer), so another site cannot make a
// signed-in browser send them; bearer requests carry no ambient credential and are exempt.

const (
	sessionCookie = "ntm_session"
	sessionIdle   = 12 * time.Hour     // a session ends after this long unused…
	sessionMax    = 7 * 24 * time.Hour // …and at the latest this long after sign-in
	sessionTouch  = 5 * time.Minute    // how often use moves a session's expiry forward

	// Sign-in throttles, counted in the database so that they hold across servers. They slow
	// guessing without locking anyone out: failures of one user name from one address make
	// that pair wait longer and longer (never the name from another address), and an address
	// that fails for many names (spraying) waits the same way.
	failWindow = time.Hour        // failures older than this no longer count
	pairFree   = 3                // failures of a name from an address before it must wait
	sprayNames = 10               // distinct names failing from an address before it must wait
	delayBase  = 5 * time.Second  // the first wait; each further failure doubles it…
	delayMax   = 15 * time.Minute // …up to this
)

// authenticator holds what authentication needs besides the database.
type authenticator struct {
	db  *store.DB
	log *slog.Logger
	now func() time.Time
}

func newAuthenticator(db *store.DB, log *slog.Logger) *authenticator {
	return &authenticator{db: db, log: log, now: time.Now}
}

func (s *Server) authRoutes() {
	s.mux.HandleFunc("POST /api/v1/session", s.createSession)
	s.mux.HandleFunc("DELETE /api/v1/session", s.deleteSession)
	s.mux.HandleFunc("GET /api/v1/me", s.authed(s.me))
	s.mux.HandleFunc("GET /api/v1/me/units", s.authed(s.myUnits))
	s.mux.HandleFunc("GET /api/v1/tokens", s.authed(s.listTokens))
	s.mux.HandleFunc("POST /api/v1/tokens", s.authed(s.createToken))
	s.mux.HandleFunc("DELETE /api/v1/tokens/{id}", s.authed(s.revokeToken))
	s.mux.HandleFunc("GET /api/v1/audit", s.authed(s.auditLog))
}

// identity is who sent a request and how.
type identity struct {
	user   *auth.User // nil: anonymous
	cookie bool       // signed in by the session cookie (so subject to the CSRF check)
}

type identityKey struct{}

// errBadToken says that a request offered an Authorization header that proves nothing.
var errBadToken = errors.New("invalid or expired API token")

// identify works out who sent r. A bad bearer token is an error (the client meant to sign
// in and should hear that it failed); a stale cookie is merely anonymous.
func (s *Server) identify(r *http.Request) (identity, error) {
	if id, ok := r.Context().Value(identityKey{}).(identity); ok {
		return id, nil
	}
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return identity{}, errBadToken
		}
		u, _, err := s.db.APITokenUser(ctx, auth.HashToken(token))
		if errors.Is(err, store.ErrNotFound) {
			return identity{}, errBadToken
		}
		if err != nil {
			return identity{}, err
		}
		return identity{user: &u}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return identity{}, nil
	}
	hash := auth.HashToken(c.Value)
	u, sess, err := s.db.SessionUser(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return identity{}, nil
	}
	if err != nil {
		return identity{}, err
	}
	if now := s.auth.now(); now.Sub(sess.LastSeen) > sessionTouch {
		until := now.Add(sessionIdle)
		if limit := sess.CreatedAt.Add(sessionMax); until.After(limit) {
			until = limit
		}
		if err := s.db.ExtendSession(ctx, hash, until); err != nil {
			s.log.Warn("session: extend", "user", u.Username, "err", err)
		}
	}
	return identity{user: &u, cookie: true}, nil
}

// user returns the signed-in user of r, or nil when the request is anonymous (or its
// credentials are not valid).
func (s *Server) user(r *http.Request) *auth.User {
	id, err := s.identify(r)
	if err != nil && !errors.Is(err, errBadToken) {
		s.log.Error("identify", "path", r.URL.Path, "err", err)
	}
	return id.user
}

// authed wraps a handler that needs a signed-in user: anonymous requests get 401, cookie
// requests that change things without proof of coming from this site get 403.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, u *auth.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := s.identify(r)
		switch {
		case errors.Is(err, errBadToken):
			s.unauthenticated(w, r, "API token không hợp lệ, đã thu hồi hoặc hết hạn (invalid, revoked or expired API token)")
			return
		case err != nil:
			s.fail(w, r, err)
			return
		case id.user == nil:
			s.unauthenticated(w, r, "Hãy đăng nhập (sign in first)")
			return
		case id.cookie && unsafeMethod(r.Method) && !sameSite(r):
			s.fail(w, r, &fault.Error{Code: fault.CrossSite, Text: "Yêu cầu thiếu X-Requested-With hoặc không đến từ trang này (cross-site request refused)"})
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)), id.user)
	}
}

// signedIn returns the signed-in user of r, or answers 401 (or 500) and returns nil: for
// read-only handlers that need a user but take no unit-scoped action.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) *auth.User {
	var user *auth.User
	s.authed(func(_ http.ResponseWriter, _ *http.Request, u *auth.User) { user = u })(w, r)
	return user
}

func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="ntm"`)
	s.fail(w, r, &fault.Error{Code: fault.Unauthenticated, Text: msg})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// sameSite reports whether a request shows it comes from this site's own pages: the
// X-Requested-With header (which another origin cannot set without a CORS grant, and ntm
// grants none), or an Origin — else a Referer — on this host.
func sameSite(r *http.Request) bool {
	if r.Header.Get("X-Requested-With") != "" {
		return true
	}
	from := r.Header.Get("Origin")
	if from == "" {
		from = r.Header.Get("Referer")
	}
	if from == "" || from == "null" {
		return false
	}
	u, err := url.Parse(from)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// allow returns nil when u may take action on the unit (as the code names it on asOf; an
// empty code is something national), or an error that s.fail answers with 403.
func (s *Server) allow(r *http.Request, u *auth.User, action auth.Action, unitCode string, asOf units.Date) error {
	return auth.Authorize(u, action, unitCode, func() (bool, error) {
		return s.db.InScope(r.Context(), u.UnitCode, unitCode, asOf)
	})
}

// isForbidden tells that err is a refusal (403).
func isForbidden(err error) bool { return fault.Is(err, fault.Forbidden) }

// unitScope is the set of units on which a user may take an action as of a day, for
// filtering lists: a list endpoint keeps the rows whose unit it has, and counts only those.
type unitScope struct {
	all   bool
	codes map[string]bool
}

func (sc unitScope) has(code string) bool { return sc.all || sc.codes[code] }

// scope returns the units on which u may take action as of asOf (none when the role may
// not take it at all).
func (s *Server) scope(r *http.Request, u *auth.User, action auth.Action, asOf units.Date) (unitScope, error) {
	if u == nil || u.Disabled {
		return unitScope{}, nil
	}
	switch u.Role.Reach(action) {
	case auth.Everywhere:
		return unitScope{all: true}, nil
	case auth.Subtree:
		if u.UnitCode == "" {
			return unitScope{}, nil
		}
		codes, err := s.db.ScopeCodes(r.Context(), u.UnitCode, asOf)
		return unitScope{codes: codes}, err
	}
	return unitScope{}, nil
}

// visibleUnits keeps the units of list on which u may take action as of asOf.
func (s *Server) visibleUnits(r *http.Request, u *auth.User, action auth.Action, list []units.Unit, asOf units.Date) ([]units.Unit, error) {
	sc, err := s.scope(r, u, action, asOf)
	if err != nil {
		return nil, err
	}
	out := []units.Unit{}
	for _, x := range list {
		if sc.has(x.Code) {
			out = append(out, x)
		}
	}
	return out, nil
}

// readBody decodes a small JSON request body into v.
func readBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badField("body", "nội dung yêu cầu không phải JSON hợp lệ (body is not valid JSON): "+err.Error())
	}
	return nil
}

// clientIP is the address a request came from, for sign-in throttles and the log. The
// X-Forwarded-For header counts only when the connection comes from a trusted proxy
// (SetTrustedProxies): read from the right, the first address that is not a trusted proxy
// is the client's; any client can write the rest of the header.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	remote, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(remote) {
		return host
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := remote
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			if ap, perr := netip.ParseAddrPort(strings.TrimSpace(hops[i])); perr == nil {
				a, err = ap.Addr(), nil
			}
		}
		if err != nil {
			break // a malformed hop: trust nothing to its left
		}
		client = a.Unmap()
		if !s.trusted(client) {
			break
		}
	}
	return client.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// SetTrustedProxies names the reverse proxies whose X-Forwarded-For header is believed.
func (s *Server) SetTrustedProxies(p []netip.Prefix) { s.proxies = p }

// ParseTrustedProxies reads a list of addresses and CIDR ranges separated by commas or
// spaces ("127.0.0.1, 10.0.0.0/8, ::1").
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("proxy tin cậy %q không phải địa chỉ IP hay dải CIDR (trusted proxy %q is not an IP address or CIDR range)", f, f)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// throttleDelay is how long to wait after the latest failure when n failures are over the
// free ones (n ≥ 0): delayBase doubled n times, at most delayMax.
func throttleDelay(n int) time.Duration {
	if n >= 20 {
		return delayMax
	}
	return min(delayBase<<n, delayMax)
}

// throttleWait is how long a sign-in of the counted name from the address must still wait
// (0: it may try now).
func throttleWait(c store.LoginFailureCounts, now time.Time) time.Duration {
	var wait time.Duration
	if c.ByPair >= pairFree {
		wait = c.PairLast.Add(throttleDelay(c.ByPair - pairFree)).Sub(now)
	}
	if c.NamesFromIP >= sprayNames {
		wait = max(wait, c.IPLast.Add(throttleDelay(c.NamesFromIP-sprayNames)).Sub(now))
	}
	return max(wait, 0)
}

// overTLS reports whether the browser reached us over HTTPS, directly or through a proxy.
func overTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// POST /api/v1/session {"username", "password"} — signs in: sets the session cookie and
// returns the user. While the name is throttled from the caller's address, or the address
// is throttled for spraying names, it answers 429 with Retry-After without looking at the
// password (throttleWait). Every refusal is in the audit log.
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" && !sameSite(r) {
		s.fail(w, r, &fault.Error{Code: fault.CrossSite, Text: "Yêu cầu thiếu X-Requested-With hoặc không đến từ trang này (cross-site request refused)"})
		return
	}
	var body struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	switch {
	case strings.TrimSpace(body.Username) == "":
		s.fail(w, r, badField("username", "Hãy nhập tên đăng nhập (username is required)"))
		return
	case body.Password == "":
		s.fail(w, r, badField("password", "Hãy nhập mật khẩu (password is required)"))
		return
	}
	ctx := r.Context()
	// A name that cannot be a user's is counted under "?" (for the address's limit) and not
	// looked up.
	name, err := auth.NormalizeUsername(body.Username)
	valid := err == nil
	if !valid {
		name = "?"
	}
	ip := s.clientIP(r)
	now := s.auth.now()
	fails, err := s.db.LoginFailures(ctx, name, ip, now.Add(-failWindow))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait := throttleWait(fails, now); wait > 0 {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.log.Warn("sign-in: throttled", "username", name, "ip", ip, "retry_after", secs)
		if err := s.db.RecordLoginFailure(ctx, name, ip, now, "throttled", false); err != nil {
			s.log.Error("sign-in: audit", "err", err)
		}
		s.fail(w, r, &fault.Error{Code: fault.TooMany, Text: fmt.Sprintf("Đăng nhập sai nhiều lần; hãy thử lại sau %d giây (too many failed sign-ins; retry in %d s)", secs, secs)})
		return
	}
	u, err := auth.User{}, store.ErrNotFound
	if valid {
		u, err = s.db.UserByUsername(ctx, name)
	}
	ok := false
	switch {
	case err == nil && !u.Disabled && u.PasswordHash != "":
		ok, err = auth.CheckPassword(u.PasswordHash, body.Password)
		if err != nil {
			s.log.Error("sign-in: stored hash", "username", name, "err", err)
			ok = false
		}
	case err == nil || errors.Is(err, store.ErrNotFound):
		auth.SpendPasswordCheck(body.Password) // as slow as a wrong password
	default:
		s.fail(w, r, err)
		return
	}
	if !ok {
		if err := s.db.RecordLoginFailure(ctx, name, ip, now, "wrong username or password", true); err != nil {
			s.fail(w, r, err)
			return
		}
		s.log.Warn("sign-in: refused", "username", name, "ip", ip)
		s.fail(w, r, &fault.Error{Code: fault.BadCredentials, Text: "Tên đăng nhập hoặc mật khẩu không đúng (wrong username or password)"})
		return
	}
	token, err := auth.NewToken()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sess := store.Session{TokenHash: auth.HashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(sessionIdle)}
	if err := s.db.CreateSession(ctx, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.db.ClearLoginFailures(ctx, name, ip); err != nil {
		s.log.Warn("sign-in: clear failures", "username", name, "err", err)
	}
	if _, err := s.db.DeleteExpiredSessions(ctx); err != nil {
		s.log.Warn("sign-in: delete expired sessions", "err", err)
	}
	// A browser-session cookie: it goes when the browser closes (offices share computers).
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: overTLS(r)})
	s.log.Info("sign-in", "username", name, "ip", ip)
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "expires_at": sess.ExpiresAt.UTC()})
}

// DELETE /api/v1/session — signs out: ends the session and clears the cookie.
func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	if err == nil && c.Value != "" {
		if r.Header.Get("Authorization") == "" && !sameSite(r) {
			s.fail(w, r, &fault.Error{Code: fault.CrossSite, Text: "Yêu cầu thiếu X-Requested-With hoặc không đến từ trang này (cross-site request refused)"})
			return
		}
		if u := s.user(r); u != nil {
			s.log.Info("sign-out", "username", u.Username)
		}
		if err := s.db.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: overTLS(r)})
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/me — the signed-in user and what their role may do where.
func (s *Server) me(w http.ResponseWriter, r *http.Request, u *auth.User) {
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "permissions": u.Role.Permissions()})
}

// GET /api/v1/me/units?action=read&parent=CODE&as_of=DATE — the units directly below parent
// (or the provinces) on which the caller may take the action: the tree of what is theirs.
func (s *Server) myUnits(w http.ResponseWriter, r *http.Request, u *auth.User) {
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	action := auth.Action(r.URL.Query().Get("action"))
	if action == "" {
		action = auth.Read
	}
	if !slices.Contains(auth.Actions, action) {
		s.fail(w, r, badField("action", "hành động không có (unknown action) "+string(action)))
		return
	}
	list, err := s.db.Children(r.Context(), r.URL.Query().Get("parent"), day)
	if err == nil {
		list, err = s.visibleUnits(r, u, action, list, day)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"as_of": day, "action": action, "units": list})
}

// GET /api/v1/tokens — the caller's API tokens (never their secrets).
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, u *auth.User) {
	list, err := s.db.APITokens(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": list})
}

// POST /api/v1/tokens {"name", "expires_in_days"} — a new API token acting as the caller;
// the secret is in this answer and nowhere else.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, u *auth.User) {
	var body struct {
		Name          string `json:"name"`
		ExpiresInDays int    `json:"expires_in_days"` // 0: never
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	body.Name = strings.TrimSpace(body.Name)
	if len([]rune(body.Name)) > 100 {
		s.fail(w, r, badField("name", "tên token dài quá 100 ký tự (name longer than 100 characters)"))
		return
	}
	if body.ExpiresInDays < 0 || body.ExpiresInDays > 3660 {
		s.fail(w, r, badField("expires_in_days", "expires_in_days phải từ 0 (không hết hạn) đến 3660"))
		return
	}
	secret, err := auth.NewToken()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := store.APIToken{TokenHash: auth.HashToken(secret), Name: body.Name, UserID: u.ID}
	if body.ExpiresInDays > 0 {
		t.ExpiresAt = s.auth.now().Add(time.Duration(body.ExpiresInDays) * 24 * time.Hour)
	}
	if t, err = s.db.CreateAPIToken(r.Context(), t, u.Username); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

// DELETE /api/v1/tokens/{id} — revokes one of the caller's tokens (an admin: anyone's).
// Another user's token is "not found", so that ids say nothing.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, u *auth.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, badField("id", "id phải là số (id must be a number)"))
		return
	}
	t, err := s.db.APIToken(r.Context(), id)
	if err == nil && t.UserID != u.ID && s.allow(r, u, auth.ManageUsers, "", "") != nil {
		// Another user's token: those who manage that user's account (users.go) revoke it.
		owner, oerr := s.db.UserByID(r.Context(), t.UserID)
		if oerr != nil || u.Role.Reach(auth.ManageAccounts) == auth.Nowhere || s.manages(r, u, owner) != nil {
			err = store.ErrNotFound
		}
	}
	if err == nil {
		err = s.db.RevokeAPIToken(r.Context(), id, u.Username)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/audit?entity=&entity_id=&unit=CODE&as_of=DATE&actor=&before=ID&limit=N — the
// audit log, newest first: an admin sees everything; a province or district officer only
// entries about units in their scope (unit, when given, must be in it as of as_of).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, u *auth.User) {
	reach := u.Role.Reach(auth.ReadAudit)
	if reach == auth.Nowhere {
		s.fail(w, r, auth.Refusal(u.Role, auth.ReadAudit, ""))
		return
	}
	q := r.URL.Query()
	f := store.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Actor: q.Get("actor")}
	if unit := q.Get("unit"); unit != "" {
		day, err := asOf(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.allow(r, u, auth.ReadAudit, unit, day); err != nil {
			s.fail(w, r, err)
			return
		}
		f.UnitCode = unit
	}
	if reach == auth.Subtree {
		f.Within = u.UnitCode
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			s.fail(w, r, badField("before", "before phải là số nguyên dương (before must be a positive id)"))
			return
		}
		f.BeforeID = n
	}
	f.Limit = 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			s.fail(w, r, badField("limit", "limit phải từ 1 đến 1000 (limit must be 1 to 1000)"))
			return
		}
		f.Limit = n
	}
	entries, err := s.db.AuditLog(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{"entries": entries, "count": len(entries)}
	if n := len(entries); n == f.Limit {
		out["next_before"] = entries[n-1].ID // there may be more: ask again with before=
	}
	writeJSON(w, http.StatusOK, out)
}
