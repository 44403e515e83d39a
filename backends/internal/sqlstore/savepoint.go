package sqlstore

import (
	"context"
	"errors"
)

// savepointName names the savepoint that makes one write operation atomic.
const savepointName = "configstore_op"

// atomic runs the statements of one write operation so that a failure
// leaves the transaction as it was before the operation, and usable: under
// a savepoint when the operation takes several statements, or when a failed
// statement would abort the whole transaction (Postgres). A single
// statement elsewhere is atomic by itself.
func (t *txn) atomic(ctx context.Context, statements int, fn func() error) error {
	if statements <= 1 && !t.dialect.FailedStatementAbortsTx() {
		return fn()
	}
	if _, err := t.tx.Tx.ExecContext(ctx, "SAVEPOINT "+savepointName); err != nil {
		return err
	}
	if err := fn(); err != nil {
		// The rollback runs even when ctx is done: the transaction must be
		// left usable, or the next statement reports the wrong error.
		bg := context.WithoutCancel(ctx)
		_, rbErr := t.tx.Tx.ExecContext(bg, "ROLLBACK TO SAVEPOINT "+savepointName)
		if rbErr == nil {
			_, rbErr = t.tx.Tx.ExecContext(bg, "RELEASE SAVEPOINT "+savepointName)
		}
		if rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	_, err := t.tx.Tx.ExecContext(ctx, "RELEASE SAVEPOINT "+savepointName)
	return err
}
