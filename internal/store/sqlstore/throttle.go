package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Throttle = (*Store)(nil)

// maxThrottleKey bounds a key: keys are built from what clients send (an
// e-mail address typed at login), and a counter row should not grow with
// it.
const maxThrottleKey = 400

// checkThrottle refuses a key or window that cannot be counted.
func checkThrottle(key string, window time.Duration) error {
	switch {
	case key == "":
		return fmt.Errorf("throttle: key is empty: %w", store.ErrInvalid)
	case len(key) > maxThrottleKey:
		return fmt.Errorf("throttle: key is longer than %d bytes: %w", maxThrottleKey, store.ErrInvalid)
	case window <= 0:
		return fmt.Errorf("throttle %q: window %v is not positive: %w", key, window, store.ErrInvalid)
	}
	return nil
}

// Hit implements store.Throttle. In one transaction it first writes the
// key's throttle_keys row, whose lock makes Hits of the same key from any
// number of app servers take turns (on PostgreSQL, under READ COMMITTED,
// each later statement then sees the events of the Hits that went
// before), then drops the key's events at or before at-window, records
// this one and counts the window. Concurrent Hits of one key thus return
// distinct counts, as if they had run one after the other.
func (s *Store) Hit(ctx context.Context, key string, at time.Time, window time.Duration) (int, error) {
	if err := checkThrottle(key, window); err != nil {
		return 0, err
	}
	now, since := micros(at), micros(at.Add(-window))
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		// The latest event is kept as last_at even when clocks of several
		// servers disagree and an earlier event arrives late.
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO throttle_keys (key, last_at) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET last_at = CASE WHEN excluded.last_at > throttle_keys.last_at
				THEN excluded.last_at ELSE throttle_keys.last_at END`), key, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM throttle_events WHERE key = ? AND at <= ?`), key, since); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO throttle_events (key, at) VALUES (?, ?)`), key, now); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM throttle_events WHERE key = ? AND at > ? AND at <= ?`),
			key, since, now).Scan(&n)
	})
	if err != nil {
		return 0, s.classify(err, fmt.Sprintf("throttle %q: hit", key))
	}
	return n, nil
}

// Hits implements store.Throttle.
func (s *Store) Hits(ctx context.Context, key string, at time.Time, window time.Duration) (int, error) {
	if err := checkThrottle(key, window); err != nil {
		return 0, err
	}
	var n int
	err := s.conn().QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM throttle_events WHERE key = ? AND at > ? AND at <= ?`),
		key, micros(at.Add(-window)), micros(at)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("throttle %q: count hits: %w", key, err)
	}
	return n, nil
}

// ResetHits implements store.Throttle. Deleting the key's row removes its
// events with it (ON DELETE CASCADE) and waits for a Hit of the key that
// is under way.
func (s *Store) ResetHits(ctx context.Context, key string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`DELETE FROM throttle_keys WHERE key = ?`), key)
		return err
	})
	return s.classify(err, fmt.Sprintf("throttle %q: reset", key))
}

// PruneHits forgets every throttle event at or before before, and every
// key with no event after it, and returns how many keys it forgot. Hit
// prunes only the key it counts; an app server calls PruneHits now and
// then (with before = now minus the longest window it uses) so that keys
// that never come back, such as the addresses of one-off clients, do not
// accumulate.
func (s *Store) PruneHits(ctx context.Context, before time.Time) (int, error) {
	cut := micros(before)
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		// Quiet keys first (their events go with them by cascade), then
		// what is old of the others: a Hit holds its key's row before it
		// touches the key's events, so taking rows in the same order
		// cannot deadlock with it.
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM throttle_keys WHERE last_at <= ?`), cut)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM throttle_events WHERE at <= ?`), cut)
		return err
	})
	if err != nil {
		return 0, s.classify(err, "throttle: prune hits")
	}
	return int(n), nil
}
