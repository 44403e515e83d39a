package migrate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// beginImmediate returns a beginFunc that opens each SQLite migration
// transaction with BEGIN IMMEDIATE, taking the database's write lock before
// the applied set is read. While another connection holds the write lock
// (SQLITE_BUSY once the connection's own busy_timeout, if any, has run out)
// it retries, logging, until o.LockTimeout has passed since the first
// attempt, then returns a *LockTimeoutError.
//
// The transaction is raw SQL on the dedicated connection: database/sql's
// BeginTx cannot ask for IMMEDIATE without driver-specific DSN options.
func beginImmediate(o Options) beginFunc {
	return func(ctx context.Context, conn bun.Conn) (*txn, error) {
		deadline := time.Now().Add(o.LockTimeout)
		w := newWaiter(o, "sqlite")
		for {
			_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
			if err == nil {
				break
			}
			if !isBusy(err) {
				return nil, fmt.Errorf("migrate: begin immediate: %w", err)
			}
			if !time.Now().Before(deadline) {
				return nil, &LockTimeoutError{Timeout: o.LockTimeout, Dialect: "sqlite"}
			}
			w.logWaiting("migrate: waiting for the SQLite write lock, held by another connection")
			if err := w.sleep(ctx, deadline); err != nil {
				return nil, err
			}
		}
		end := func(stmt string) func(context.Context) error {
			return func(ctx context.Context) error {
				cctx, cancel := cleanupContext(ctx)
				defer cancel()
				_, err := conn.ExecContext(cctx, stmt)
				return err
			}
		}
		return &txn{db: conn, commit: end("COMMIT"), rollback: end("ROLLBACK")}, nil
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY ("database is
// locked"), by message, which both the cgo (mattn) and the pure-Go (modernc)
// drivers include.
func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}
