package configstore

import (
	"context"
	"errors"
	"fmt"
)

// store is the one portable implementation of ConfigStore over a Backend.
// Outside a transaction w is nil and every method opens its own snapshot
// read or write transaction; inside ExecuteTransaction w is the transaction
// and every method runs in it.
type store struct {
	backend Backend
	w       *writer
	snap    Reader // set inside readSnapshot: reads only
	// hint is shared by the stores of one New: see revisionHint.
	hint *revisionHint
	// cache is shared by the stores of one New that read snapshots: see
	// readCache.
	cache *readCache
}

// New returns the portable ConfigStore over backend: validation, references,
// delete rules, secrets, revisions and the change log live here, so every
// backend behaves the same.
func New(backend Backend) ConfigStore {
	return &store{backend: backend, hint: newRevisionHint(), cache: newReadCache(backend)}
}

// read runs fn against a consistent snapshot, or inside the current
// transaction. A snapshot of its own is an ownRead, whose last call may
// end it (lastCall).
func (s *store) read(ctx context.Context, fn func(r Reader) error) error {
	switch {
	case s.w != nil:
		return s.w.read(fn)
	case s.snap != nil:
		return fn(s.snap)
	}
	return s.backend.Read(ctx, func(r Reader) error { return fn(ownRead{r}) })
}

// readSnapshot runs fn with a store whose reads all see one snapshot (or
// the current transaction), for results assembled from several reads.
func (s *store) readSnapshot(ctx context.Context, fn func(rs *store) error) error {
	if s.w != nil || s.snap != nil {
		return fn(s)
	}
	return s.backend.Read(ctx, func(r Reader) error {
		return fn(&store{backend: s.backend, snap: r, hint: s.hint, cache: s.cache})
	})
}

// write runs fn, one portable write operation, in a write transaction:
// the current one, if any, else a new one that, when fn succeeds, records
// its changes in the change log and raises the store revision before the
// commit.
func (s *store) write(ctx context.Context, fn func(w *writer) error) error {
	switch {
	case s.w != nil:
		return s.w.run(fn)
	case s.snap != nil:
		return fmt.Errorf("write inside a read snapshot: %w", ErrReadOnly)
	}
	// An error of fn ends the transaction: it may be pipelined.
	return s.transact(ctx, true, func(w *writer) error { return w.run(fn) })
}

// ExecuteTransaction runs fn with a store bound to one write transaction;
// called on such a store, it runs fn in the same transaction.
func (s *store) ExecuteTransaction(ctx context.Context, fn func(tx ConfigStore) error) error {
	switch {
	case s.w != nil:
		return fn(s)
	case s.snap != nil:
		return fmt.Errorf("transaction inside a read snapshot: %w", ErrReadOnly)
	}
	return s.transact(ctx, false, func(w *writer) error {
		return fn(&store{backend: s.backend, w: w, hint: s.hint})
	})
}

// transact runs fn with the writer of a new backend write transaction,
// which commits when fn and the writer's end (the change log) succeed.
// With pipelined, fn's first failed call ends the transaction, so the
// backend may pipeline it (Pipeliner), and it is told the store revision
// the hint expects (expectRevision). The writer moved the revision hint
// to the revision it raised the store to, for the next transaction; when
// the commit failed instead, the hint knows nothing again (unless a later
// transaction has moved it since).
func (s *store) transact(ctx context.Context, pipelined bool, fn func(w *writer) error) error {
	var raised int64
	err := s.backend.Write(ctx, func(tx Tx) error {
		if p, ok := tx.(Pipeliner); ok && pipelined {
			p.Pipeline()
			expectRevision(tx, s.hint)
		}
		w := newWriter(tx, ctx, s.hint)
		err := fn(w)
		if endErr := w.end(ctx, err == nil); err == nil {
			err = endErr
		}
		raised = w.raised
		return err
	})
	if err != nil && raised > 0 {
		s.hint.last.CompareAndSwap(raised, -1)
	}
	return err
}

func (s *store) Close() error {
	if s.w != nil {
		return fmt.Errorf("Close inside ExecuteTransaction: %w", ErrInvalid)
	}
	s.cache.drop() // nor keep the entities (and their secrets) past it
	return s.backend.Close()
}

func (s *store) Revision(ctx context.Context) (int64, error) {
	var rev int64
	err := s.read(ctx, func(r Reader) error {
		var err error
		lastCall(r)
		rev, err = storeRevision(ctx, r)
		return err
	})
	return rev, err
}

// ListChanges never ends a page inside a revision: the last revision of a
// page is complete, so the next call may resume after it.
func (s *store) ListChanges(ctx context.Context, after int64, limit int) ([]Change, error) {
	if limit < 0 {
		return nil, invalidf("limit", "must not be negative")
	}
	var out []Change
	err := s.read(ctx, func(r Reader) error {
		recs, err := r.List(ctx, kindChange, Query{Where: []Condition{afterRevision(after)}, Limit: limit})
		if err != nil {
			return err
		}
		if limit > 0 && len(recs) == limit {
			last := recs[len(recs)-1]
			rest, err := r.List(ctx, kindChange, Query{Where: []Condition{
				Eq("revision", last["revision"]), Greater("id", last["id"])}})
			if err != nil {
				return err
			}
			recs = append(recs, rest...)
		}
		out, err = decodeAll[Change](recs)
		return err
	})
	return out, err
}

// storeRevision reads the store revision; a store never written is at 0.
func storeRevision(ctx context.Context, r Reader) (int64, error) {
	rec, err := r.Get(ctx, kindState, stateKey)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var st storeState
	if err := decodeInto(rec, &st); err != nil {
		return 0, err
	}
	return st.Revision, nil
}
