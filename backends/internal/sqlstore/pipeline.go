package sqlstore

import (
	"context"
	"errors"

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
	// ErrorTable returns the table whose constraint err reports broken,
	// or "".
	ErrorTable(err error) string
}

var _ configstore.Pipeliner = (*txn)(nil)

// Pipeline implements configstore.Pipeliner. On a transaction run as text
// on its connection whose dialect is Pipelining (PostgreSQL), an Update of
// the row the transaction read last, at the revision it read (so it will
// match that one row: the transaction holds the write lock), is held back
// and sent before the next statement, in its round trip (see sendText), or
// with the commit.
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

// carry returns the text and parameters of s sent after the held write,
// if any, which it releases, and the write.
func (t *txn) carry(s *Stmt) (string, []any, *heldWrite) {
	h := t.held
	if h == nil {
		return s.String(), s.Args, nil
	}
	t.held = nil
	text := h.stmt.String()
	if len(s.query) > 0 {
		text += "; " + t.dialect.(Pipelining).Renumber(s.String(), len(h.stmt.Args))
	}
	return text, append(h.stmt.Args[:len(h.stmt.Args):len(h.stmt.Args)], s.Args...), h
}

// heldFailure is the error of a statement that carried a held write, when
// the error names the write's table: the write failed.
type heldFailure struct {
	w   *heldWrite
	err error
}

func (e *heldFailure) Error() string { return e.err.Error() }
func (e *heldFailure) Unwrap() error { return e.err }

// blame returns err, of a round trip that carried h, as the failure of h
// when it names h's table.
func (t *txn) blame(h *heldWrite, err error) error {
	if h == nil || err == nil || t.dialect.(Pipelining).ErrorTable(err) != h.kind.Table {
		return err
	}
	return &heldFailure{w: h, err: err}
}

// heldError returns the error of a failed held write, reported as its
// Update would have, when err is one (see blame).
func (t *txn) heldError(ctx context.Context, err error) (error, bool) {
	var hf *heldFailure
	if !errors.As(err, &hf) {
		return nil, false
	}
	return t.writeError(ctx, "update", hf.w.kind, []configstore.Record{hf.w.rec}, hf.err), true
}
