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
// the row the transaction read last, at the revision it read (so it will
// match that one row: the transaction holds the write lock), is held back
// and sent before the next statement, in its round trip, when that
// statement is an operation's under a savepoint (see sendText), or with
// the commit; before any other statement it goes on its own.
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

// after returns the text and parameters of the held write h followed by
// s, in one round trip.
func (t *txn) after(h *heldWrite, s *Stmt) (string, []any) {
	text := h.stmt.String()
	if len(s.query) > 0 {
		text += "; " + t.dialect.(Pipelining).Renumber(s.String(), len(h.stmt.Args))
	}
	return text, append(h.stmt.Args[:len(h.stmt.Args):len(h.stmt.Args)], s.Args...)
}

// sendHeld sends the held write h on its own, after the commands pre,
// under a savepoint of its own: when it fails, the transaction is rolled
// back to before it and stays usable, and the error is h's (heldFailure).
func (t *txn) sendHeld(ctx context.Context, pre string, h *heldWrite) error {
	_, err := t.db.ExecContext(ctx, pre+setSavepoint+h.stmt.String()+"; "+releaseSavepoint, h.stmt.Args...)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil {
		if _, rbErr := t.db.ExecContext(context.WithoutCancel(ctx), rollbackSavepoint); rbErr != nil {
			err = errors.Join(err, rbErr)
		}
	}
	return &heldFailure{w: h, err: err}
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
