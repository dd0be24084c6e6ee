package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// This file holds who may use ntm and what they did: users, sessions, API tokens, failed
// sign-ins (for rate limiting across server processes), the audit log, and the scope of a
// home unit across the 2025 reorganisation.

// ErrUserExists says that the user name is taken: a fault of code Exists, compared by identity
// with errors.Is.
var ErrUserExists = fault.Both(fault.Exists, "người dùng đã có", "user already exists")

func timeText(t time.Time) string { return t.UTC().Format(timeLayout) }

const userColumns = `id, username, name, password_hash, role, unit_code, created_at, disabled`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (auth.User, error) {
	var u auth.User
	var role, created string
	err := row.Scan(append([]any{&u.ID, &u.Username, &u.Name, &u.PasswordHash, &role, &u.UnitCode, &created, &u.Disabled}, extra...)...)
	u.Role, u.CreatedAt = auth.Role(role), parseTime(created)
	return u, err
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// CreateUser adds a user (u.ID and u.CreatedAt are set by the store) and audits it as done by
// actor. The caller has normalised the user name and checked the role and home unit.
func (db *DB) CreateUser(ctx context.Context, u auth.User, actor string) (auth.User, error) {
	err := db.Write(ctx, func(tx *Tx) error {
		u.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, name, password_hash, role, unit_code, created_at, disabled)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.Username, u.Name, u.PasswordHash, string(u.Role), u.UnitCode, timeText(u.CreatedAt), u.Disabled).Scan(&u.ID)
		if isUniqueViolation(err) {
			return fmt.Errorf("user %s: %w", u.Username, ErrUserExists)
		}
		if err != nil {
			return err
		}
		return tx.auditUser(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "user", EntityID: u.Username,
			UnitCode: u.UnitCode, New: userAudit(u)})
	})
	return u, err
}

// userAudit is what the audit log keeps of a user: never the password hash.
func userAudit(u auth.User) map[string]any {
	return map[string]any{"username": u.Username, "name": u.Name, "role": u.Role, "unit_code": u.UnitCode, "disabled": u.Disabled}
}

// homeDate is the day on which a user's home unit code names their home: today, or the last
// day of the unit if it no longer exists (a district officer's district). Audit entries about
// users carry it, so that they are scoped like the users.
func homeDate(ctx context.Context, tx *Tx, code string) (units.Date, error) {
	today := units.Today()
	if code == "" {
		return "", nil
	}
	var last string
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(valid_to), '') FROM units WHERE code = $1 AND valid_from <= $2`,
		code, string(today)).Scan(&last)
	if last == "" {
		return today, err
	}
	return min(units.Date(last), today), err
}

// auditUser records a change to a user or their tokens, dated to the user's home unit.
func (tx *Tx) auditUser(ctx context.Context, e AuditEntry) error {
	day, err := homeDate(ctx, tx, e.UnitCode)
	if err != nil {
		return err
	}
	e.UnitDate = day
	return tx.Audit(ctx, e)
}

// UserByUsername returns the user with the (normalised) name, or ErrNotFound.
func (db *DB) UserByUsername(ctx context.Context, username string) (auth.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, ErrNotFound
	}
	return u, err
}

// UserByID returns the user with the id, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (auth.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, ErrNotFound
	}
	return u, err
}

// Users lists users by name; with within, only those whose home unit lies in within's scope
// (see InScope), taking each home unit as it is today, or as it last was if it no longer
// exists (a district officer's district). Users without a home unit are national and are
// listed only without within.
func (db *DB) Users(ctx context.Context, within string) ([]auth.User, error) {
	today := units.Today()
	rows, err := db.r.QueryContext(ctx, `SELECT `+userColumns+`,
		COALESCE((SELECT MAX(x.valid_to) FROM units x WHERE x.code = users.unit_code AND x.valid_from <= $1), '')
		FROM users ORDER BY username`, string(today))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type homed struct {
		u   auth.User
		day units.Date
	}
	var all []homed
	for rows.Next() {
		var h homed
		var last string
		if h.u, err = scanUser(rows, &last); err != nil {
			return nil, err
		}
		h.day = min(units.Date(last), today)
		all = append(all, h)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	var spans map[string][]span
	if within != "" {
		if spans, err = db.spansOf(ctx, within); err != nil {
			return nil, err
		}
	}
	out := []auth.User{}
	for _, h := range all {
		if within == "" || h.u.UnitCode != "" && covers(spans[h.u.UnitCode], h.u.UnitCode, h.day) {
			out = append(out, h.u)
		}
	}
	return out, nil
}

// SetUserPassword replaces a user's password hash and ends their sessions and API tokens.
func (db *DB) SetUserPassword(ctx context.Context, id int64, hash, actor string) error {
	return db.Write(ctx, func(tx *Tx) error {
		var username, unit string
		err := tx.QueryRowContext(ctx, `SELECT username, unit_code FROM users WHERE id = $1`, id).Scan(&username, &unit)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id); err != nil {
			return err
		}
		if err := endAccess(ctx, tx, id, ""); err != nil { // lifecycle.go
			return err
		}
		return tx.auditUser(ctx, AuditEntry{Actor: actor, Action: "set_password", Entity: "user", EntityID: username, UnitCode: unit})
	})
}

// SetUserDisabled disables or enables a user; disabling ends their sessions and revokes their
// API tokens (enabling them again revives neither).
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool, actor string) error {
	return db.Write(ctx, func(tx *Tx) error {
		var username, unit string
		var was bool
		err := tx.QueryRowContext(ctx, `SELECT username, unit_code, disabled FROM users WHERE id = $1`, id).Scan(&username, &unit, &was)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil || was == disabled {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, id); err != nil {
			return err
		}
		if disabled {
			if err := endAccess(ctx, tx, id, ""); err != nil { // lifecycle.go
				return err
			}
		}
		return tx.auditUser(ctx, AuditEntry{Actor: actor, Action: "update", Entity: "user", EntityID: username, UnitCode: unit,
			Old: map[string]bool{"disabled": was}, New: map[string]bool{"disabled": disabled}})
	})
}

// Session is a signed-in browser. The token itself lives only in the browser's cookie.
type Session struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	if s.LastSeen.IsZero() {
		s.LastSeen = s.CreatedAt
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen)
			VALUES ($1, $2, $3, $4, $5)`, s.TokenHash, s.UserID, timeText(s.CreatedAt), timeText(s.ExpiresAt), timeText(s.LastSeen))
		return err
	})
}

// SessionUser returns the session with the token hash and its user, or ErrNotFound when there
// is no such session, it has expired, or its user is disabled.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (auth.User, Session, error) {
	var s Session
	var created, expires, seen string
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT u.id, u.username, u.name, u.password_hash, u.role, u.unit_code,
			u.created_at, u.disabled, s.created_at, s.expires_at, s.last_seen
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, tokenHash, now()), &created, &expires, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, Session{}, ErrNotFound
	}
	if err != nil {
		return auth.User{}, Session{}, err
	}
	s = Session{TokenHash: tokenHash, UserID: u.ID, CreatedAt: parseTime(created), ExpiresAt: parseTime(expires), LastSeen: parseTime(seen)}
	return u, s, nil
}

// ExtendSession moves a session's expiry to expiresAt and notes that it was seen now.
func (db *DB) ExtendSession(ctx context.Context, tokenHash string, expiresAt time.Time) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET expires_at = $1, last_seen = $2 WHERE token_hash = $3`,
			timeText(expiresAt), now(), tokenHash)
		return err
	})
}

// DeleteSession ends a session (signing out); ending one that does not exist is no error.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
		return err
	})
}

// DeleteExpiredSessions removes sessions that have expired and says how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// APIToken is a secret that lets a machine act as a user. Only its hash is stored.
type APIToken struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"` // zero: never expires
	Revoked   bool      `json:"revoked"`
	TokenHash string    `json:"-"`
}

const tokenColumns = `t.id, t.name, t.user_id, t.created_at, t.expires_at, t.revoked, t.token_hash`

func scanToken(row interface{ Scan(...any) error }, extra ...any) (APIToken, error) {
	var t APIToken
	var created, expires string
	err := row.Scan(append([]any{&t.ID, &t.Name, &t.UserID, &created, &expires, &t.Revoked, &t.TokenHash}, extra...)...)
	t.CreatedAt = parseTime(created)
	if expires != "" {
		t.ExpiresAt = parseTime(expires)
	}
	return t, err
}

// CreateAPIToken stores a token (its TokenHash, Name, UserID and ExpiresAt) and audits it.
func (db *DB) CreateAPIToken(ctx context.Context, t APIToken, actor string) (APIToken, error) {
	err := db.Write(ctx, func(tx *Tx) error {
		var username, unit string
		err := tx.QueryRowContext(ctx, `SELECT username, unit_code FROM users WHERE id = $1`, t.UserID).Scan(&username, &unit)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		t.CreatedAt, t.Revoked = time.Now().UTC().Truncate(time.Microsecond), false
		expires := ""
		if !t.ExpiresAt.IsZero() {
			expires = timeText(t.ExpiresAt)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (token_hash, name, user_id, created_at, expires_at, revoked)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, t.TokenHash, t.Name, t.UserID, timeText(t.CreatedAt), expires, false).Scan(&t.ID); err != nil {
			return err
		}
		return tx.auditUser(ctx, AuditEntry{Actor: actor, Action: "create", Entity: "api_token", EntityID: fmt.Sprint(t.ID), UnitCode: unit,
			New: map[string]any{"name": t.Name, "user": username, "expires_at": expires}})
	})
	return t, err
}

// APITokenUser returns the token with the hash and its user, or ErrNotFound when there is no
// such token, or it is revoked or expired, or its user is disabled.
func (db *DB) APITokenUser(ctx context.Context, tokenHash string) (auth.User, APIToken, error) {
	var u auth.User
	var role, created string
	t, err := scanToken(db.r.QueryRowContext(ctx, `SELECT `+tokenColumns+`,
			u.id, u.username, u.name, u.password_hash, u.role, u.unit_code, u.created_at, u.disabled
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND NOT t.revoked AND (t.expires_at = '' OR t.expires_at > $2) AND NOT u.disabled`,
		tokenHash, now()), &u.ID, &u.Username, &u.Name, &u.PasswordHash, &role, &u.UnitCode, &created, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, APIToken{}, ErrNotFound
	}
	u.Role, u.CreatedAt = auth.Role(role), parseTime(created)
	return u, t, err
}

// APIToken returns the token with the id, or ErrNotFound.
func (db *DB) APIToken(ctx context.Context, id int64) (APIToken, error) {
	t, err := scanToken(db.r.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return APIToken{}, ErrNotFound
	}
	return t, err
}

// APITokens lists a user's tokens, newest first, revoked ones included.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	return queryList(ctx, db.r, func(row interface{ Scan(...any) error }) (APIToken, error) { return scanToken(row) },
		`SELECT `+tokenColumns+` FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id DESC`, userID)
}

// RevokeAPIToken revokes a token for good and audits it; revoking twice is no error.
func (db *DB) RevokeAPIToken(ctx context.Context, id int64, actor string) error {
	return db.Write(ctx, func(tx *Tx) error {
		var revoked bool
		var unit string
		err := tx.QueryRowContext(ctx, `SELECT t.revoked, u.unit_code FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE t.id = $1`, id).Scan(&revoked, &unit)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil || revoked {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked = $1 WHERE id = $2`, true, id); err != nil {
			return err
		}
		return tx.auditUser(ctx, AuditEntry{Actor: actor, Action: "revoke", Entity: "api_token", EntityID: fmt.Sprint(id), UnitCode: unit,
			Old: map[string]bool{"revoked": false}, New: map[string]bool{"revoked": true}})
	})
}

// LoginFailureCounts says how many sign-ins failed recently for one user name from one
// address, and from the address for any name, and when the latest of each failed.
type LoginFailureCounts struct {
	ByPair, ByIP     int // failures of the name from the address; failures from the address
	PairLast, IPLast time.Time
	NamesFromIP      int // distinct names that failed from the address
}

// RecordLoginFailure notes a failed (or refused) sign-in in the audit log and, when count
// is set, among the failures that throttle the name and the address; failures older than a
// day are forgotten.
func (db *DB) RecordLoginFailure(ctx context.Context, username, ip string, at time.Time, reason string, count bool) error {
	return db.Write(ctx, func(tx *Tx) error {
		if count {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)`,
				username, ip, timeText(at)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, timeText(at.Add(-24*time.Hour))); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, AuditEntry{At: at, Actor: username, Action: "sign_in_failed", Entity: "session", EntityID: username,
			New: map[string]string{"ip": ip, "reason": reason}})
	})
}

// LoginFailures counts the failed sign-ins since a time of the user name from the address,
// and from the address.
func (db *DB) LoginFailures(ctx context.Context, username, ip string, since time.Time) (LoginFailureCounts, error) {
	var c LoginFailureCounts
	var pl, il string
	err := db.r.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM login_failures WHERE username = $1 AND ip = $2 AND at >= $3),
		(SELECT COALESCE(MAX(at), '') FROM login_failures WHERE username = $1 AND ip = $2 AND at >= $3),
		(SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at >= $3),
		(SELECT COALESCE(MAX(at), '') FROM login_failures WHERE ip = $2 AND at >= $3),
		(SELECT COUNT(DISTINCT username) FROM login_failures WHERE ip = $2 AND at >= $3)`,
		username, ip, timeText(since)).Scan(&c.ByPair, &pl, &c.ByIP, &il, &c.NamesFromIP)
	c.PairLast, c.IPLast = parseTime(pl), parseTime(il)
	return c, err
}

// ClearLoginFailures forgets the failed sign-ins of a user name from an address, after it
// signs in from there.
func (db *DB) ClearLoginFailures(ctx context.Context, username, ip string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1 AND ip = $2`, username, ip)
		return err
	})
}

// LoginFailureGroup is the failed sign-ins of one user name from one address since a time.
type LoginFailureGroup struct {
	Username string    `json:"username"`
	IP       string    `json:"ip"`
	Count    int       `json:"failures"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
}

// LoginFailureGroups lists the failed sign-ins since a time by user name and address, the
// most recent first.
func (db *DB) LoginFailureGroups(ctx context.Context, since time.Time) ([]LoginFailureGroup, error) {
	out := []LoginFailureGroup{}
	rows, err := db.r.QueryContext(ctx, `SELECT username, ip, COUNT(*), MIN(at), MAX(at) FROM login_failures
		WHERE at >= $1 GROUP BY username, ip ORDER BY MAX(at) DESC, username, ip`, timeText(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g LoginFailureGroup
		var first, last string
		if err := rows.Scan(&g.Username, &g.IP, &g.Count, &first, &last); err != nil {
			return nil, err
		}
		g.First, g.Last = parseTime(first), parseTime(last)
		out = append(out, g)
	}
	return out, rows.Err()
}

// ClearLoginFailureGroups forgets the failed sign-ins of a user name, of an address, or of
// both (an empty argument matches any), and records who did it; it returns how many went.
func (db *DB) ClearLoginFailureGroups(ctx context.Context, actor, username, ip string) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE ($1 = '' OR username = $1) AND ($2 = '' OR ip = $2)`, username, ip)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor, Action: "clear", Entity: "sign_in_throttle", EntityID: username,
			Old: map[string]any{"username": username, "ip": ip, "failures": n}})
	})
	return n, err
}

// AuditEntry is one change: who made it, when, to what, and the values before and after.
type AuditEntry struct {
	ID       int64      `json:"id"`
	At       time.Time  `json:"at"`        // set by Audit when zero
	Actor    string     `json:"actor"`     // a user name, or "system"
	Action   string     `json:"action"`    // create, update, submit, verify, revoke…
	Entity   string     `json:"entity"`    // user, api_token, assessment…
	EntityID string     `json:"entity_id"` // the entity's id or name
	UnitCode string     `json:"unit_code"` // the unit the change concerns, if any
	UnitDate units.Date `json:"unit_date"` // the day on which UnitCode names that unit; default: the day of At
	// Old and New are marshalled to JSON; AuditLog gives them back as json.RawMessage.
	Old    any    `json:"old,omitempty"`
	New    any    `json:"new,omitempty"`
	Detail string `json:"detail,omitempty"` // a note in words, e.g. the reason an assessment was returned
}

type auditDetail struct {
	Old  json.RawMessage `json:"old,omitempty"`
	New  json.RawMessage `json:"new,omitempty"`
	Note string          `json:"note,omitempty"`
}

var vietnam = time.FixedZone("ICT", 7*60*60)

// Audit records a change in the transaction that makes it, so that the change and its record
// are stored together or not at all.
func (tx *Tx) Audit(ctx context.Context, e AuditEntry) error {
	return tx.AuditAll(ctx, []AuditEntry{e})
}

// AuditAll records entries as Audit does, in multi-row statements: an import writes one
// per assessment, tens of thousands at once.
func (tx *Tx) AuditAll(ctx context.Context, es []AuditEntry) error {
	rows := make([][]any, len(es))
	for i, e := range es {
		row, err := auditRow(e)
		if err != nil {
			return err
		}
		rows[i] = row
	}
	return execBatch(ctx, tx, `INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_code, unit_date, detail)`, "", rows)
}

// auditRow is the audit_log row of e, its defaults filled in.
func auditRow(e AuditEntry) ([]any, error) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if e.Actor == "" {
		e.Actor = "system"
	}
	if e.UnitCode != "" && e.UnitDate == "" {
		e.UnitDate = units.Date(e.At.In(vietnam).Format(time.DateOnly))
	}
	var d auditDetail
	var err error
	if e.Old != nil {
		if d.Old, err = json.Marshal(e.Old); err != nil {
			return nil, fmt.Errorf("audit %s %s: old: %w", e.Entity, e.EntityID, err)
		}
	}
	if e.New != nil {
		if d.New, err = json.Marshal(e.New); err != nil {
			return nil, fmt.Errorf("audit %s %s: new: %w", e.Entity, e.EntityID, err)
		}
	}
	d.Note = e.Detail
	detail, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return []any{timeText(e.At), e.Actor, e.Action, e.Entity, e.EntityID, e.UnitCode, string(e.UnitDate), string(detail)}, nil
}

// AuditFilter selects audit entries; empty fields select everything.
type AuditFilter struct {
	Entity, EntityID string
	UnitCode         string // entries about this unit code (any date)
	Actor            string
	Within           string // only entries whose unit lies in this home unit's scope on their unit date (see InScope)
	BeforeID         int64  // entries older than this one, for paging
	Limit            int    // at most this many (default 100, at most 1000)
}

// AuditLog returns the entries that match, newest first.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var w filter
	prefix := ""
	if f.Within != "" {
		w.args = append(w.args, f.Within, string(units.Today()))
		prefix = scopeCTE + " "
		w.conds = append(w.conds, `EXISTS (SELECT 1 FROM spans s WHERE s.code = a.unit_code AND s.vf <= a.unit_date AND s.vt >= a.unit_date)`)
	}
	w.add(f.Entity != "", "a.entity = $%d", f.Entity)
	w.add(f.EntityID != "", "a.entity_id = $%d", f.EntityID)
	w.add(f.UnitCode != "", "a.unit_code = $%d", f.UnitCode)
	w.add(f.Actor != "", "a.actor = $%d", f.Actor)
	w.add(f.BeforeID > 0, "a.id < $%d", f.BeforeID)
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := prefix + `SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.unit_code, a.unit_date, a.detail FROM audit_log a` + w.sql()
	args := append(w.args, f.Limit)
	q += fmt.Sprintf(" ORDER BY a.id DESC LIMIT $%d", len(args))
	var out []AuditEntry
	err := db.readScope(ctx, func(tx *Tx) error {
		out = []AuditEntry{}
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return scanAudit(rows, &out)
	})
	return out, err
}

func scanAudit(rows *sql.Rows, out *[]AuditEntry) error {
	for rows.Next() {
		var e AuditEntry
		var at, day, detail string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.UnitCode, &day, &detail); err != nil {
			return err
		}
		e.At, e.UnitDate = parseTime(at), units.Date(day)
		var d auditDetail
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			return fmt.Errorf("audit entry %d: detail: %w", e.ID, err)
		}
		if d.Old != nil {
			e.Old = d.Old
		}
		if d.New != nil {
			e.New = d.New
		}
		e.Detail = d.Note
		*out = append(*out, e)
	}
	return rows.Err()
}

// scopeCTE defines spans(code, vf, vt): the units in the scope of the home unit $1, each over
// the days [vf, vt] on which it is in scope. $2 is today. Units are effective-dated and codes
// were reused, so the scope is worked out over unit rows, not codes:
//
//   - home is the home unit as it is today (or, if it no longer exists, as it last was),
//     from the first day it has been that unit: back through the rows of its code where it
//     was only renamed or changed in type (a district, or lineage of basis lists: Đồng Nai a
//     province until 29/04/2026 is the home of its officers before then too);
//   - down is home and the units below it, each over the days it was below home;
//   - back is the units that ended before home began and whose lineage (through any number of
//     reorganisations) leads to a unit below home that exists today — old communes;
//   - up is the units above those (old districts and provinces); kids are the units below
//     them (two levels down) that have a lineage, missing those of them not in back, and
//     whole keeps the units of up that miss none: an old district half of whose communes
//     went elsewhere stays out, since its totals would count communes outside the scope;
//   - below is what lies under back (an old commune's villages).
//
// back, up and below count only before home began: once home exists, its subtree decides.
// CROSS JOIN keeps SQLite from starting kids with a scan of every unit (PostgreSQL reads it
// as a plain join).
const scopeCTE = `WITH RECURSIVE
home0(code, vf, vt) AS (
	SELECT code, valid_from, valid_to FROM units WHERE code = $1
	ORDER BY CASE WHEN valid_from <= $2 AND valid_to >= $2 THEN 0 ELSE 1 END, valid_to DESC LIMIT 1),
homes(code, vf, vt) AS (
	SELECT code, vf, vt FROM home0
	UNION
	SELECT o.code, o.valid_from, o.valid_to FROM homes h JOIN units o ON o.code = h.code AND o.valid_to < h.vf
	WHERE NOT EXISTS (SELECT 1 FROM units o2 WHERE o2.code = o.code AND o2.valid_to > o.valid_to AND o2.valid_to < h.vf)
	AND (o.level = 'district' OR EXISTS (SELECT 1 FROM unit_lineage l WHERE l.old_code = h.code AND l.new_code = h.code
		AND l.effective = h.vf AND l.basis = 'lists'))),
home(code, vf, vt) AS (SELECT code, MIN(vf), MAX(vt) FROM homes GROUP BY code),
down(code, vf, vt) AS (
	SELECT code, vf, vt FROM home
	UNION
	SELECT u.code,
		CASE WHEN u.valid_from > d.vf THEN u.valid_from ELSE d.vf END,
		CASE WHEN u.valid_to < d.vt THEN u.valid_to ELSE d.vt END
	FROM units u JOIN down d ON u.parent_code = d.code AND u.valid_from <= d.vt AND u.valid_to >= d.vf),
back(code, vf, vt, parent) AS (
	SELECT o.code, o.valid_from, o.valid_to, o.parent_code
	FROM down d
	JOIN units n ON n.code = d.code AND n.valid_from <= $2 AND n.valid_to >= $2
	JOIN unit_lineage l ON l.new_code = n.code AND l.effective >= n.valid_from AND l.effective <= $2
	JOIN units o ON o.code = l.old_code AND o.valid_to < l.effective
	WHERE d.vf <= $2 AND d.vt >= $2
	AND NOT EXISTS (SELECT 1 FROM units o2 WHERE o2.code = o.code AND o2.valid_to > o.valid_to AND o2.valid_to < l.effective)
	UNION
	SELECT o.code, o.valid_from, o.valid_to, o.parent_code
	FROM back b
	JOIN unit_lineage l ON l.new_code = b.code AND l.effective >= b.vf AND l.effective <= b.vt
	JOIN units o ON o.code = l.old_code AND o.valid_to < l.effective
	WHERE NOT EXISTS (SELECT 1 FROM units o2 WHERE o2.code = o.code AND o2.valid_to > o.valid_to AND o2.valid_to < l.effective)),
up(code, vf, vt, parent) AS (
	SELECT p.code, p.valid_from, p.valid_to, p.parent_code
	FROM back b JOIN units p ON p.code = b.parent AND p.valid_from <= b.vt AND p.valid_to >= b.vf
	UNION
	SELECT p.code, p.valid_from, p.valid_to, p.parent_code
	FROM up x JOIN units p ON p.code = x.parent AND p.valid_from <= x.vt AND p.valid_to >= x.vf),
below(code, vf, vt) AS (
	SELECT u.code, u.valid_from, u.valid_to FROM back b JOIN units u ON u.parent_code = b.code AND u.valid_from <= b.vt AND u.valid_to >= b.vf
	UNION
	SELECT u.code, u.valid_from, u.valid_to FROM below x JOIN units u ON u.parent_code = x.code AND u.valid_from <= x.vt AND u.valid_to >= x.vf),
kids(anc, ancvf, code, vf) AS (
	SELECT x.code, x.vf, c.code, c.valid_from FROM up x CROSS JOIN units c
	WHERE c.parent_code = x.code AND c.valid_from <= x.vt AND c.valid_to >= x.vf
	AND EXISTS (SELECT 1 FROM unit_lineage l WHERE l.old_code = c.code AND l.effective > c.valid_to)
	UNION ALL
	SELECT x.code, x.vf, c.code, c.valid_from FROM up x CROSS JOIN units d CROSS JOIN units c
	WHERE d.parent_code = x.code AND d.valid_from <= x.vt AND d.valid_to >= x.vf
	AND c.parent_code = d.code AND c.valid_from <= d.valid_to AND c.valid_to >= d.valid_from
	AND EXISTS (SELECT 1 FROM unit_lineage l WHERE l.old_code = c.code AND l.effective > c.valid_to)),
missing(anc, ancvf) AS (
	SELECT DISTINCT k.anc, k.ancvf FROM kids k LEFT JOIN back b ON b.code = k.code AND b.vf = k.vf WHERE b.code IS NULL),
whole(code, vf, vt) AS (
	SELECT x.code, x.vf, x.vt FROM up x LEFT JOIN missing m ON m.anc = x.code AND m.ancvf = x.vf WHERE m.anc IS NULL),
spans(code, vf, vt) AS (
	SELECT code, vf, vt FROM down
	UNION SELECT code, vf, vt FROM back WHERE vt < (SELECT vf FROM home)
	UNION SELECT code, vf, vt FROM whole WHERE vt < (SELECT vf FROM home)
	UNION SELECT code, vf, vt FROM below WHERE vt < (SELECT vf FROM home))`

// InScope reports whether the unit code, as of asOf, is in the scope of the home unit: it is
// home or below it on asOf; or, when home did not yet exist on asOf (a province formed on
// 1 July 2025), it has a lineage successor that lies below home today — for a district or
// province, every one of its communes has. So an officer of the new Gia Lai (52) sees the
// old Gia Lai (64) and the old Bình Định (52) as of 2024, but not Quảng Nam (49); an officer
// of a new commune sees the old communes it was formed from, not their old district.
//
// The scope of a home unit is computed once per day and version of the units (scopecache.go).
func (db *DB) InScope(ctx context.Context, home, code string, asOf units.Date) (bool, error) {
	spans, err := db.spansOf(ctx, home)
	if err != nil {
		return false, err
	}
	return covers(spans[code], code, asOf), nil
}

// readScope runs a query over scopeCTE. On PostgreSQL it switches the JIT compiler off: the
// planner's row estimates for recursive queries run to billions, so it would spend a second
// compiling a query that runs in milliseconds.
func (db *DB) readScope(ctx context.Context, fn func(tx *Tx) error) error {
	return db.Read(ctx, func(tx *Tx) error {
		if tx.engine == Postgres {
			if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// ScopeCodes returns the codes of the units in home's scope as of asOf (see InScope), for
// filtering lists.
func (db *DB) ScopeCodes(ctx context.Context, home string, asOf units.Date) (map[string]bool, error) {
	spans, err := db.spansOf(ctx, home)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for code, list := range spans {
		if covers(list, code, asOf) {
			out[code] = true
		}
	}
	return out, nil
}

// span is a unit code in scope over the days [from, to].
type span struct {
	code     string
	from, to units.Date
}

func (db *DB) scopeSpans(ctx context.Context, home string) ([]span, error) {
	var out []span
	err := db.readScope(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.scopeSpans(ctx, home)
		return err
	})
	return out, err
}

// scopeSpans reads home's scope in tx.
func (tx *Tx) scopeSpans(ctx context.Context, home string) ([]span, error) {
	return queryRows(ctx, tx, func(row interface{ Scan(...any) error }) (span, error) {
		var s span
		var from, to string
		err := row.Scan(&s.code, &from, &to)
		s.from, s.to = units.Date(from), units.Date(to)
		return s, err
	}, scopeCTE+` SELECT code, vf, vt FROM spans`, home, string(units.Today()))
}

func covers(spans []span, code string, day units.Date) bool {
	for _, s := range spans {
		if s.code == code && s.from <= day && s.to >= day {
			return true
		}
	}
	return false
}
