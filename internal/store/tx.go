package store

import "context"

// Transactor runs several writes as one: an import of a file either
// lands entirely or not at all. It is separate from Store, like Harvester,
// so that a store serving pages only need not implement it; the SQL
// backends do.
type Transactor interface {
	// WithTx calls fn with a Store whose reads and writes all belong to
	// one transaction, committed when fn returns nil and rolled back when
	// it returns an error (which WithTx returns) or panics. Reads inside
	// fn see fn's own writes. The engine may abort the transaction to
	// break a deadlock; fn is then run again from the start, so it must
	// not keep state from one run to the next. A write that fails inside
	// fn ends the transaction: fn should return that error rather than
	// carry on. The Store must not be used after fn returns, nor from
	// several goroutines at once; WithTx on it runs fn in the same
	// transaction.
	WithTx(ctx context.Context, fn func(Store) error) error
}
