package configstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// writer is one write transaction of the portable layer: the backend
// transaction and the entities it changed, for the change log. Its
// operations run one at a time, so a transaction's store may be used from
// several goroutines.
type writer struct {
	mu     sync.Mutex
	tx     *countingTx
	source string // the transaction's source: its context's, or SourceAPI
	// changes are the entities changed so far, in order of their first
	// change; an entity created and then deleted is left as a tombstone
	// (op ""). changed indexes them by kind and id.
	changes []pendingChange
	changed map[changeKey]int
	// broken is set when an operation failed after it had written part of
	// its change: the transaction can then only roll back.
	broken error
	// finished is set when the transaction has ended.
	finished bool
	// hint is the store's revisionHint; raised is the revision the
	// transaction raised the store to (0: none), which the hint holds
	// until the commit fails.
	hint   *revisionHint
	raised int64
	// mark is the digest MarkReconciled set, written at the commit unless
	// the transaction recorded a change after it (recorded moved past
	// markedAt): the mark vouches only for the writes made before it.
	mark               string
	recorded, markedAt int
}

type pendingChange struct {
	kind, id, source string
	op               ChangeOp
}

// changeKey identifies a changed entity.
type changeKey struct{ kind, id string }

func newWriter(tx Tx, ctx context.Context, hint *revisionHint) *writer {
	return &writer{tx: &countingTx{Tx: tx, batched: batchedInserts(ctx)}, source: sourceOf(ctx), hint: hint}
}

// revisionHint is the store revision the last commit of this process
// raised the revision record to, or -1: what the record most likely holds,
// so that the next commit can raise it in one statement (raiseRevision).
type revisionHint struct{ last atomic.Int64 }

// newRevisionHint returns a hint that knows nothing yet.
func newRevisionHint() *revisionHint {
	h := &revisionHint{}
	h.last.Store(-1)
	return h
}

// expectRevision tells tx, where it is an Expecter, that the revision
// record holds what the last commit of this process raised it to, as the
// hint has it: raiseRevision's update on the hint's word may then go with
// the commit.
func expectRevision(tx Tx, hint *revisionHint) {
	e, ok := tx.(Expecter)
	if last := hint.last.Load(); ok && last >= 0 {
		e.Expect(kindState, mustEncode(&storeState{ID: stateKey, Revision: last}))
	}
}

// raiseRevision raises the store revision by one and returns the new one.
// It first updates the revision record on the hint's word, an update the
// backend refuses with ErrConflict when another process committed since;
// only then does it read the record. The caller holds w.mu (commitLog).
func (w *writer) raiseRevision(ctx context.Context) (int64, error) {
	if last := w.hint.last.Load(); last >= 0 {
		err := w.tx.Update(ctx, kindState, mustEncode(&storeState{ID: stateKey, Revision: last + 1}), last)
		if err == nil {
			w.raised = last + 1
			w.hint.last.Store(last + 1)
			return last + 1, nil
		}
		if !errors.Is(err, ErrConflict) && !errors.Is(err, ErrNotFound) {
			return 0, err
		}
	}
	current, err := w.tx.Get(ctx, kindState, stateKey)
	var rev int64
	switch {
	case errors.Is(err, ErrNotFound):
		rev = 1
		err = w.tx.Insert(ctx, kindState, mustEncode(&storeState{ID: stateKey, Revision: rev}))
	case err == nil:
		var st storeState
		if err = decodeInto(current, &st); err != nil {
			return 0, err
		}
		rev = st.Revision + 1
		err = w.tx.Update(ctx, kindState, mustEncode(&storeState{ID: stateKey, Revision: rev}), st.Revision)
	}
	if err != nil {
		return 0, err
	}
	w.raised = rev
	w.hint.last.Store(rev)
	return rev, nil
}

// run runs one write operation. An operation that fails before writing
// leaves the transaction usable (the caller may handle the error and go
// on); one that fails halfway breaks it, so it cannot commit half a change.
func (w *writer) run(fn func(w *writer) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	before := w.tx.writes
	err := fn(w)
	if err != nil && (w.tx.writes != before || w.tx.flushErr != nil) {
		w.broken = fmt.Errorf("an earlier write in this transaction failed halfway, so it must roll back: %w", err)
	}
	return err
}

// usable returns nil while the transaction can go on, else why not.
func (w *writer) usable() error {
	switch {
	case w.broken != nil:
		return w.broken
	case w.tx.flushErr != nil:
		w.broken = fmt.Errorf("the batched inserts of this transaction failed, so it must roll back: %w", w.tx.flushErr)
		return w.broken
	case w.finished:
		return fmt.Errorf("the transaction has ended: %w", ErrInvalid)
	}
	return nil
}

// end ends the transaction's operations: with commit (fn succeeded) it
// writes the change log and the batched inserts; either way the
// transaction is marked finished under the lock every operation takes, so
// a call racing with the end, or a store kept past its ExecuteTransaction,
// is refused instead of holding back an insert or a change nothing will
// send.
func (w *writer) end(ctx context.Context, commit bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.usable()
	w.finished = true
	if err != nil || !commit {
		return err
	}
	return w.commitLog(ctx)
}

// read runs a read inside the transaction, between write operations.
func (w *writer) read(fn func(r Reader) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	return fn(w.tx)
}

// sourceFor is the source of a write: its own context's, if set, else the
// transaction's.
func (w *writer) sourceFor(ctx context.Context) string {
	if s, ok := ctx.Value(sourceKey{}).(string); ok && s != "" {
		return s
	}
	return w.source
}

// record notes that an entity changed. Several changes of one entity in a
// transaction merge into one entry: create+update is a create, create+delete
// leaves nothing, delete+create is an update.
func (w *writer) record(ctx context.Context, kind *Kind, id string, op ChangeOp) {
	if kind.Part {
		return
	}
	w.recorded++
	source := w.sourceFor(ctx)
	key := changeKey{kind.Name, id}
	i, ok := w.changed[key]
	if !ok || w.changes[i].op == "" {
		// A new entity, or one created and deleted again (its tombstone
		// stays behind): a new entry at the end.
		if w.changed == nil {
			w.changed = map[changeKey]int{}
		}
		w.changed[key] = len(w.changes)
		w.changes = append(w.changes, pendingChange{kind: kind.Name, id: id, op: op, source: source})
		return
	}
	c := &w.changes[i]
	c.source = source
	switch {
	case c.op == OpCreate && op == OpDelete:
		c.op = "" // created and deleted: nothing to log
	case c.op == OpCreate:
	case c.op == OpDelete && op == OpCreate:
		c.op = OpUpdate
	default:
		c.op = op
	}
}

// commitLog raises the store revision by one and writes one change-log
// entry per changed entity, inside the transaction, so the revision order
// is the commit order (write transactions are serialized by the backend);
// the entries go with the commit where the backend can (CommitInserter).
// A transaction that changed nothing leaves both alone. The reconcile
// mark, if the transaction set one, is written last. The batched
// inserts go first (see WithBatchedInserts). The caller holds w.mu (end).
func (w *writer) commitLog(ctx context.Context) error {
	if err := w.tx.flush(ctx); err != nil {
		return err
	}
	live := make([]pendingChange, 0, len(w.changes))
	for _, c := range w.changes {
		if c.op != "" {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		if w.mark == "" {
			return nil
		}
		rev, err := storeRevision(ctx, w.tx)
		if err == nil {
			err = w.writeMark(ctx, rev)
		}
		if err != nil {
			return err
		}
		return w.tx.flush(ctx)
	}
	rev, err := w.raiseRevision(ctx)
	if err != nil {
		return err
	}
	now := nowMillis()
	recs := make([]Record, len(live))
	for i, c := range live {
		recs[i] = mustEncode(&Change{Seq: changeSeq(rev, i), Revision: rev, Kind: c.kind, ID: c.id,
			Op: c.op, Source: c.source, Time: now})
	}
	if err := w.tx.insertAtCommit(ctx, kindChange, recs); err != nil {
		return err
	}
	if err := w.writeMark(ctx, rev); err != nil {
		return err
	}
	return w.tx.flush(ctx)
}
