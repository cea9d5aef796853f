package sqlstore

import (
	"context"
	"database/sql"

	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Transactor = (*Store)(nil)

// WithTx implements store.Transactor.
func (s *Store) WithTx(ctx context.Context, fn func(store.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		// A panic in fn would otherwise leave the transaction open, and
		// with it SQLite's write lock.
		defer func() {
			if r := recover(); r != nil {
				_ = tx.Rollback()
				panic(r)
			}
		}()
		return fn(&Store{db: s.db, dialect: s.dialect, tx: tx})
	})
}

// conn returns what a single query runs on: the transaction of WithTx, or
// the database.
func (s *Store) conn() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db
}
