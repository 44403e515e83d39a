package configstore

import (
	"context"
	"errors"
	"fmt"
)

// ReconcileMark records that a reconcile left the store matching a config
// file: the reconciler's Digest of that file and of how it reconciled it,
// and the store Revision the reconcile committed (or found, when it had
// nothing to write). While the store revision is still Revision, no write
// transaction has changed anything since, so reconciling the same file in
// the same way again would write nothing.
type ReconcileMark struct {
	Digest   string
	Revision int64
}

// markKey is the key of the storeState record holding the ReconcileMark.
const markKey = "reconcile"

// GetReconcileMark returns the mark MarkReconciled left; an error wrapping
// ErrNotFound when none, and inside a transaction that has changed
// something (the store is no longer as any reconcile left it).
func (s *store) GetReconcileMark(ctx context.Context) (*ReconcileMark, error) {
	if s.w != nil && s.w.changedAnything() {
		return nil, fmt.Errorf("no reconcile mark inside a transaction that changed the store: %w", ErrNotFound)
	}
	var st storeState
	err := s.read(ctx, func(r Reader) error {
		lastCall(r)
		rec, err := r.Get(ctx, kindState, markKey)
		if err != nil {
			return err
		}
		return decodeInto(rec, &st)
	})
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("no reconcile mark: %w", ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &ReconcileMark{Digest: st.Digest, Revision: st.Revision}, nil
}

// MarkReconciled records digest with the revision its write transaction
// commits: the revision after the transaction's changes, or the current one
// when it changed nothing. Inside ExecuteTransaction the mark is written at
// the commit, unless the transaction changes anything after the call: the
// mark would then vouch for writes the reconcile did not make.
func (s *store) MarkReconciled(ctx context.Context, digest string) error {
	if digest == "" {
		return invalidf("digest", "must not be empty")
	}
	return s.write(ctx, func(w *writer) error {
		w.mark, w.markedAt = digest, w.recorded
		return nil
	})
}

// changedAnything reports whether the transaction has recorded a change.
func (w *writer) changedAnything() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.recorded > 0
}

// writeMark writes the mark of the transaction, if it set one and changed
// nothing after, at revision rev. The caller holds w.mu (commitLog).
func (w *writer) writeMark(ctx context.Context, rev int64) error {
	if w.mark == "" || w.recorded != w.markedAt {
		return nil
	}
	rec := mustEncode(&storeState{ID: markKey, Revision: rev, Digest: w.mark})
	current, err := w.tx.Get(ctx, kindState, markKey)
	switch {
	case errors.Is(err, ErrNotFound):
		return w.tx.Insert(ctx, kindState, rec)
	case err != nil:
		return err
	}
	var st storeState
	if err := decodeInto(current, &st); err != nil {
		return err
	}
	return w.tx.Update(ctx, kindState, rec, st.Revision)
}
