package sqlstore

import (
	"context"
	"errors"
)

// Savepoint commands. One savepoint name serves every operation: an
// operation's savepoint is released before the next one is set.
const (
	setSavepoint      = "SAVEPOINT configstore_op; "
	releaseSavepoint  = "RELEASE SAVEPOINT configstore_op; "
	rollbackSavepoint = "ROLLBACK TO SAVEPOINT configstore_op; RELEASE SAVEPOINT configstore_op"
	// rollbackToSavepoint undoes what ran since the savepoint and keeps it.
	rollbackToSavepoint = "ROLLBACK TO SAVEPOINT configstore_op"
)

// atomic runs the statements of one write operation so that a failure
// leaves the transaction as it was before the operation, and usable.
//
// Where a failed statement aborts the transaction (Postgres), every
// operation runs under a savepoint. Its SAVEPOINT travels with the
// operation's first statement (and the RELEASE of the previous operation's
// savepoint before it), so a successful write costs no extra round trip;
// only a failure adds one, to roll back to the savepoint.
//
// Elsewhere (SQLite) a failed statement undoes itself alone, so only an
// operation of several statements needs a savepoint.
func (t *txn) atomic(ctx context.Context, statements int, fn func() error) error {
	if !t.dialect.FailedStatementAbortsTx() {
		if statements <= 1 {
			return fn()
		}
		return t.underSavepoint(ctx, fn)
	}
	pending := t.prefix
	t.prefix += setSavepoint
	err := fn()
	if t.prefix != "" { // no statement ran: nothing was sent
		t.prefix = pending
		return err
	}
	if err != nil {
		return t.rollbackToSavepoint(ctx, err)
	}
	t.prefix = releaseSavepoint
	return nil
}

// underSavepoint runs fn between SAVEPOINT and RELEASE, rolling back to the
// savepoint when fn fails.
func (t *txn) underSavepoint(ctx context.Context, fn func() error) error {
	if _, err := t.db.ExecContext(ctx, setSavepoint); err != nil {
		return err
	}
	if err := fn(); err != nil {
		return t.rollbackToSavepoint(ctx, err)
	}
	_, err := t.db.ExecContext(ctx, releaseSavepoint)
	return err
}

// rollbackToSavepoint undoes the failed operation and returns its error.
// It runs even when ctx is done: the transaction must be left usable, or
// the next statement reports the wrong error.
func (t *txn) rollbackToSavepoint(ctx context.Context, err error) error {
	if _, rbErr := t.db.ExecContext(context.WithoutCancel(ctx), rollbackSavepoint); rbErr != nil {
		return errors.Join(err, rbErr)
	}
	return err
}
