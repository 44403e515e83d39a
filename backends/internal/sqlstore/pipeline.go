package sqlstore

import (
	"context"
	"errors"
	"strings"

	"github.com/gatewaykit/configstore"
)

// Pipelining is implemented by a Dialect whose transactions on a
// connection can hold a write back and send it in the round trip of the
// next statement (see txn.Pipeline).
type Pipelining interface {
	// Renumber returns query, whose placeholders number its parameters
	// from 1, with them numbered from 1+offset instead, for a statement
	// that goes after one of offset parameters.
	Renumber(query string, offset int) string
}

var _ configstore.Pipeliner = (*txn)(nil)

// Pipeline implements configstore.Pipeliner. On a transaction run as text
// on its connection whose dialect is Pipelining (PostgreSQL), an Update of
// a row the transaction read last (or expected, see Expect), at the
// revision it read (so it will match that one row: the transaction holds
// the write lock), is held back. The held writes go, in order, before the
// next statement, in its round trip, when that statement is an
// operation's under a savepoint (see sendText), or with the commit;
// before any other statement they go on their own.
func (t *txn) Pipeline() {
	if _, ok := t.dialect.(Pipelining); ok && t.tx == nil && t.writable {
		t.pipelined = true
	}
}

// heldWrite is a write held back for the next statement.
type heldWrite struct {
	stmt *Stmt
	kind *configstore.Kind
	rec  configstore.Record
}

// after returns the text and parameters of the held writes hs followed by
// s (which may be empty), in one round trip.
func (t *txn) after(hs []*heldWrite, s *Stmt) (string, []any) {
	renumber := t.dialect.(Pipelining).Renumber
	var text strings.Builder
	var args []any
	for _, h := range hs {
		if text.Len() > 0 {
			text.WriteString("; ")
		}
		text.WriteString(renumber(h.stmt.String(), len(args)))
		args = append(args, h.stmt.Args...)
	}
	if len(s.query) > 0 {
		text.WriteString("; ")
		text.WriteString(renumber(s.String(), len(args)))
	}
	return text.String(), append(args, s.Args...)
}

// sendHeld sends the held writes hs on their own, after the commands pre,
// under a savepoint: when they fail, the transaction is rolled back to
// before them, and the error is that of the write that failed
// (heldFailure), found by sending those before the last again one by one.
// Those then stay, or the rollback of the operation that sends them undoes
// them too although their Update calls succeeded: either way the
// transaction is given up, as a pipelined one is at its first failure.
func (t *txn) sendHeld(ctx context.Context, pre string, hs []*heldWrite) error {
	err := t.execHeld(ctx, pre, hs)
	if err == nil {
		return nil
	}
	failed := hs[len(hs)-1] // unless an earlier one fails alone
	for _, h := range hs[:len(hs)-1] {
		if ctx.Err() != nil {
			break
		}
		if alone := t.execHeld(ctx, "", []*heldWrite{h}); alone != nil {
			failed, err = h, alone
			break
		}
	}
	return &heldFailure{w: failed, err: err}
}

// execHeld runs the held writes hs after the commands pre, under a
// savepoint, rolled back to when they fail.
func (t *txn) execHeld(ctx context.Context, pre string, hs []*heldWrite) error {
	text, args := t.after(hs, t.stmt())
	_, err := t.db.ExecContext(ctx, pre+setSavepoint+text+"; "+releaseSavepoint, args...)
	if err == nil || ctx.Err() != nil {
		return err
	}
	if _, rbErr := t.db.ExecContext(context.WithoutCancel(ctx), rollbackSavepoint); rbErr != nil {
		err = errors.Join(err, rbErr)
	}
	return err
}

// opensSavepoint reports whether the pending commands prefix end by
// setting an operation's savepoint (see atomic).
func opensSavepoint(prefix string) bool {
	return strings.TrimPrefix(prefix, releaseSavepoint) == setSavepoint
}

// heldFailure is the error of a held write.
type heldFailure struct {
	w   *heldWrite
	err error
}

func (e *heldFailure) Error() string { return e.err.Error() }
func (e *heldFailure) Unwrap() error { return e.err }

// heldError returns the error of a failed held write, reported as its
// Update would have, when err is one (see sendHeld).
func (t *txn) heldError(ctx context.Context, err error) (error, bool) {
	var hf *heldFailure
	if !errors.As(err, &hf) {
		return nil, false
	}
	return t.writeError(ctx, "update", hf.w.kind, []configstore.Record{hf.w.rec}, hf.err), true
}
