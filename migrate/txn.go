package migrate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// txn is one transaction on Up's dedicated connection.
type txn struct {
	// db runs the transaction's statements.
	db bun.IDB
	// commit and rollback end it.
	commit, rollback func(context.Context) error
}

// finishTimeout bounds COMMIT, ROLLBACK and unlock statements, which run
// even when the caller's context is already cancelled.
const finishTimeout = 10 * time.Second

// cleanupContext returns a context for statements that must run on every
// path: not cancelled with ctx, but bounded.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
}

// inTx runs fn in a transaction opened by begin on conn, committing if fn
// succeeds and rolling back otherwise. If a transaction cannot be ended,
// conn is discarded so that it never returns to the pool mid-transaction.
func inTx(ctx context.Context, conn bun.Conn, begin beginFunc, fn func(context.Context, bun.IDB) error) error {
	tx, err := begin(ctx, conn)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx.db); err != nil {
		if rbErr := tx.rollback(ctx); rbErr != nil {
			discard(conn)
			return errors.Join(err, fmt.Errorf("migrate: rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.commit(ctx); err != nil {
		if rbErr := tx.rollback(ctx); rbErr != nil {
			discard(conn)
		}
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// discard makes database/sql close conn's driver connection instead of
// returning it to the pool (a driver.ErrBadConn from Raw does that). Used
// when a transaction or a session lock may still be open on it.
func discard(conn bun.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// beginFunc opens a migration transaction on conn, waiting for whatever
// lock the dialect needs.
type beginFunc func(ctx context.Context, conn bun.Conn) (*txn, error)

// beginSQL opens an ordinary database/sql transaction on conn (PostgreSQL,
// which is serialised by the advisory lock Up already holds).
func beginSQL(ctx context.Context, conn bun.Conn) (*txn, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("migrate: begin: %w", err)
	}
	return &txn{
		db:     tx,
		commit: func(context.Context) error { return tx.Commit() },
		rollback: func(context.Context) error {
			if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
				return err
			}
			return nil
		},
	}, nil
}
