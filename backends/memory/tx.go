package memory

import (
	"context"
	"maps"
	"sync"

	"github.com/gatewaykit/configstore"
)

// tx is a write transaction: a copy-on-write view of the snapshot it started
// from. Its table map is its own; a table is shared with the snapshot until
// the transaction first writes that kind, when it is cloned (dirty). Each
// method either applies completely or not at all, so a failed call leaves
// the transaction as it was. Its methods are safe for concurrent use.
type tx struct {
	mu    sync.Mutex
	view  view
	dirty map[string]bool
	done  bool
	// last holds, per kind, the last row the transaction inserted
	// (shareWithLast).
	last map[*kindInfo]row
}

var _ configstore.Tx = (*tx)(nil)

// newTx starts a transaction on a committed snapshot.
func newTx(base *view) *tx {
	return &tx{
		view:  view{schema: base.schema, tables: maps.Clone(base.tables)},
		dirty: make(map[string]bool),
	}
}

// shareWithLast makes r, a row of kind info about to be inserted, share
// values with the last row of its kind the transaction inserted
// (shareValues): a bulk insert then holds one boxed value for each run of
// equal ones (the same creation time, kind, source, provider across
// thousands of rows), where each record boxes its own.
func (t *tx) shareWithLast(info *kindInfo, r row) {
	if t.last == nil {
		t.last = map[*kindInfo]row{}
	}
	if last := t.last[info]; last != nil {
		shareValues(r, last)
	}
	t.last[info] = r
}

// finish ends the transaction; later calls fail with ErrTxDone.
func (t *tx) finish() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done = true
}

// begin locks the transaction for one call.
func (t *tx) begin(ctx context.Context) error {
	t.mu.Lock()
	if t.done {
		t.mu.Unlock()
		return ErrTxDone
	}
	if err := ctx.Err(); err != nil {
		t.mu.Unlock()
		return err
	}
	return nil
}

// writable returns the transaction's own copy of a kind's table, cloning
// the shared one on the kind's first write.
func (t *tx) writable(name string) *table {
	if !t.dirty[name] {
		t.view.tables[name] = t.view.tables[name].clone()
		t.dirty[name] = true
	}
	return t.view.tables[name]
}

// Get implements configstore.Reader; it sees the transaction's own writes.
func (t *tx) Get(ctx context.Context, kind *configstore.Kind, key string) (configstore.Record, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	return t.view.get(ctx, kind, key)
}

// List implements configstore.Reader; it sees the transaction's own writes.
func (t *tx) List(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	return t.view.list(ctx, kind, q)
}
