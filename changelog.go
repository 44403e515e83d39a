package configstore

import (
	"context"
	"errors"
	"time"
)

// writer is one write transaction of the portable layer: the backend
// transaction and the entities it changed, for the change log.
type writer struct {
	tx      Tx
	source  string
	changes []pendingChange
}

type pendingChange struct {
	kind, id string
	op       ChangeOp
}

// record notes that an entity changed. Several changes of one entity in a
// transaction merge into one entry: create+update is a create, create+delete
// leaves nothing, delete+create is an update.
func (w *writer) record(kind *Kind, id string, op ChangeOp) {
	if kind.Part {
		return
	}
	for i, c := range w.changes {
		if c.kind != kind.Name || c.id != id {
			continue
		}
		switch {
		case c.op == OpCreate && op == OpDelete:
			w.changes = append(w.changes[:i], w.changes[i+1:]...)
		case c.op == OpCreate:
		case c.op == OpDelete && op == OpCreate:
			w.changes[i].op = OpUpdate
		default:
			w.changes[i].op = op
		}
		return
	}
	w.changes = append(w.changes, pendingChange{kind: kind.Name, id: id, op: op})
}

// commitLog raises the store revision by one and writes one change-log
// entry per changed entity, inside the transaction, so the revision order
// is the commit order (write transactions are serialized by the backend).
// A transaction that changed nothing leaves both alone.
func (w *writer) commitLog(ctx context.Context) error {
	if len(w.changes) == 0 {
		return nil
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
			return err
		}
		rev = st.Revision + 1
		err = w.tx.Update(ctx, kindState, mustEncode(&storeState{ID: stateKey, Revision: rev}), st.Revision)
	}
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	recs := make([]Record, len(w.changes))
	for i, c := range w.changes {
		recs[i] = mustEncode(&Change{Seq: changeSeq(rev, i), Revision: rev, Kind: c.kind, ID: c.id,
			Op: c.op, Source: w.source, Time: now})
	}
	return w.tx.Insert(ctx, kindChange, recs...)
}
