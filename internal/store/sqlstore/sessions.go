package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Sessions = (*Store)(nil)

const sessionColumns = `token_hash, user_id, created_at, last_seen, expires_at, address, user_agent`

// Limits on what a session keeps of the request that logged in: the
// User-Agent header is the client's to choose, and a session row should
// not grow with it.
const (
	maxSessionAddress   = 100
	maxSessionUserAgent = 500
)

func scanSession(sc interface{ Scan(...any) error }, ss *store.Session) error {
	var created, seen, expires int64
	err := sc.Scan(&ss.TokenHash, &ss.UserID, &created, &seen, &expires, &ss.Address, &ss.UserAgent)
	ss.CreatedAt, ss.LastSeen, ss.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return err
}

// validateSession reports what makes ss unfit to store, naming the
// fields as a *model.ValidationError. An expiry is checked against
// CreatedAt only when the caller set it: callers with a clock of their own
// (tests, imports of sessions) need not agree with the database server's.
func validateSession(ss *store.Session) error {
	var fields []model.FieldError
	add := func(field, msg string) { fields = append(fields, model.FieldError{Field: field, Message: msg}) }
	if b, err := hex.DecodeString(ss.TokenHash); err != nil || len(b) != 32 || hex.EncodeToString(b) != ss.TokenHash {
		add("TokenHash", "must be a SHA-256 hash in lower-case hex (64 characters)")
	}
	if ss.UserID <= 0 {
		add("UserID", "is required")
	}
	if ss.ExpiresAt.IsZero() {
		add("ExpiresAt", "is required")
	} else if !ss.CreatedAt.IsZero() && !ss.ExpiresAt.After(ss.CreatedAt) {
		add("ExpiresAt", "must be after CreatedAt")
	}
	if len(ss.Address) > maxSessionAddress || !utf8.ValidString(ss.Address) {
		add("Address", fmt.Sprintf("must be valid UTF-8 of at most %d bytes", maxSessionAddress))
	}
	if !utf8.ValidString(ss.UserAgent) {
		add("UserAgent", "must be valid UTF-8")
	}
	if len(fields) == 0 {
		return nil
	}
	return &model.ValidationError{Record: fmt.Sprintf("session of user %d", ss.UserID), Fields: fields}
}

// truncateUTF8 shortens s to at most n bytes without splitting a
// character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// CreateSession implements store.Sessions. A zero CreatedAt or LastSeen
// is set to the current time; the times in ss are set to what is stored
// (UTC, whole microseconds), and a User-Agent longer than 500 bytes is
// shortened. A session for an account that does not exist is refused with
// ErrConflict.
func (s *Store) CreateSession(ctx context.Context, ss *store.Session) error {
	if err := validateSession(ss); err != nil {
		return err
	}
	created, seen := ss.CreatedAt, ss.LastSeen
	if created.IsZero() {
		created = s.timestamp()
	}
	if seen.IsZero() {
		seen = created
	}
	agent := truncateUTF8(ss.UserAgent, maxSessionUserAgent)
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			ss.TokenHash, ss.UserID, micros(created), micros(seen), micros(ss.ExpiresAt), ss.Address, agent)
		return err
	})
	if err != nil {
		return s.classify(err, fmt.Sprintf("create session of user %d", ss.UserID))
	}
	ss.CreatedAt, ss.LastSeen, ss.ExpiresAt = fromMicros(micros(created)), fromMicros(micros(seen)), fromMicros(micros(ss.ExpiresAt))
	ss.UserAgent = agent
	return nil
}

// Session implements store.Sessions. A session has expired at now when
// its ExpiresAt is now or earlier.
func (s *Store) Session(ctx context.Context, tokenHash string, now time.Time) (*store.Session, error) {
	var ss store.Session
	row := s.conn().QueryRowContext(ctx, s.q(`SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ? AND expires_at > ?`),
		tokenHash, micros(now))
	if err := scanSession(row, &ss); err != nil {
		if isNoRows(err) {
			// The hash is not repeated: it is as good as the token to
			// whoever reads the logs.
			return nil, notFound("session")
		}
		return nil, fmt.Errorf("read session: %w", err)
	}
	return &ss, nil
}

// TouchSession implements store.Sessions. A session that has expired at
// seen counts as gone: touching it must not bring it back to life.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, seen, extend time.Time) error {
	query, args := `UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND expires_at > ?`,
		[]any{micros(seen), tokenHash, micros(seen)}
	if !extend.IsZero() {
		query, args = `UPDATE sessions SET last_seen = ?, expires_at = ? WHERE token_hash = ? AND expires_at > ?`,
			[]any{micros(seen), micros(extend), tokenHash, micros(seen)}
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(query), args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("session")
		}
		return nil
	})
	return s.classify(err, "touch session")
}

// DeleteSession implements store.Sessions.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.deleteSessions(ctx, `token_hash = ?`, tokenHash)
	return s.classify(err, "delete session")
}

// DeleteUserSessions implements store.Sessions.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	n, err := s.deleteSessions(ctx, `user_id = ?`, userID)
	return n, s.classify(err, fmt.Sprintf("delete sessions of user %d", userID))
}

// DeleteExpiredSessions implements store.Sessions: it removes the
// sessions that Session no longer returns at now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	n, err := s.deleteSessions(ctx, `expires_at <= ?`, micros(now))
	return n, s.classify(err, "delete expired sessions")
}

// deleteSessions deletes the sessions matching where and counts them.
func (s *Store) deleteSessions(ctx context.Context, where string, arg any) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE `+where), arg)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}
