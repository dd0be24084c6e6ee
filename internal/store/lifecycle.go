package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ntm-vn/ntm/internal/auth"
)

// The user lifecycle (issue 15): role and unit changes, sessions listed and ended. Every
// change that alters what a user may do — disabling, a new role or unit, a password reset —
// ends their sessions and revokes their API tokens in the same transaction.

// endAccess ends a user's sessions (but keep, the caller's own) and revokes their tokens.
func endAccess(ctx context.Context, tx *Tx, id int64, keep string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, id, keep); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked = $1 WHERE user_id = $2 AND NOT revoked`, true, id)
	return err
}

func userForUpdate(ctx context.Context, tx *Tx, id int64) (auth.User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// SetUserRole gives a user another role and home unit (the caller checked both), ends their
// sessions and tokens, and audits the change.
func (db *DB) SetUserRole(ctx context.Context, id int64, role auth.Role, unit, actor string) error {
	return db.Write(ctx, func(tx *Tx) error {
		u, err := userForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Role == role && u.UnitCode == unit {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, unit_code = $2 WHERE id = $3`, string(role), unit, id); err != nil {
			return err
		}
		if err := endAccess(ctx, tx, id, ""); err != nil {
			return err
		}
		return tx.auditUser(ctx, AuditEntry{Actor: actor, Action: "update", Entity: "user", EntityID: u.Username, UnitCode: unit,
			Old: map[string]string{"role": string(u.Role), "unit": u.UnitCode}, New: map[string]string{"role": string(role), "unit": unit}})
	})
}

// ChangeOwnPassword replaces the password of a user who gave their old one (checked by the
// caller): their other sessions end, the one they use (keep) stays, their tokens stay.
func (db *DB) ChangeOwnPassword(ctx context.Context, id int64, hash, keep string) error {
	return db.Write(ctx, func(tx *Tx) error {
		u, err := userForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, id, keep); err != nil {
			return err
		}
		return tx.auditUser(ctx, AuditEntry{Actor: u.Username, Action: "change_password", Entity: "user", EntityID: u.Username, UnitCode: u.UnitCode})
	})
}

// UserSession is a signed-in browser as an administrator sees it: when it began, was last
// seen, ends; never its token.
type UserSession struct {
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UserSessions lists a user's live sessions, the latest seen first.
func (db *DB) UserSessions(ctx context.Context, id int64) ([]UserSession, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT created_at, last_seen, expires_at FROM sessions
		WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen DESC`, id, now())
	if err != nil {
		return nil, err
	}
	return scanRows(rows, func(row interface{ Scan(...any) error }) (UserSession, error) {
		var c, l, e string
		err := row.Scan(&c, &l, &e)
		return UserSession{CreatedAt: parseTime(c), LastSeen: parseTime(l), ExpiresAt: parseTime(e)}, err
	})
}

// EndSessions signs a user out everywhere and audits it; it says how many sessions ended.
func (db *DB) EndSessions(ctx context.Context, id int64, actor string) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		u, err := userForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return tx.auditUser(ctx, AuditEntry{Actor: actor, Action: "end_sessions", Entity: "user", EntityID: u.Username, UnitCode: u.UnitCode,
			New: map[string]int64{"ended": n}})
	})
	return n, err
}
