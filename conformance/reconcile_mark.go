package conformance

import (
	"errors"

	"github.com/gatewaykit/configstore"
)

// reconcileMarkTests prove the reconcile mark (configstore.ReconcileMark):
// it is stored with the revision its transaction commits, is not a change,
// and goes with a rolled-back transaction.
func reconcileMarkTests() []test {
	return []test{
		{"NoneOnAnEmptyStore", func(t *suiteT) {
			_, err := t.store.GetReconcileMark(t.ctx)
			t.wantErr(err, configstore.ErrNotFound, "GetReconcileMark on an empty store")
		}},
		{"EmptyDigestInvalid", func(t *suiteT) {
			t.wantErr(t.store.MarkReconciled(t.ctx, ""), configstore.ErrInvalid, "MarkReconciled with an empty digest")
		}},
		{"AtTheRevisionItsTransactionCommits", testMarkRevision},
		{"ChangeAfterItInTheTransactionCancelsIt", testMarkThenChange},
		{"NoneInsideATransactionThatChanged", testMarkInsideChangedTx},
		{"IsNotAChange", testMarkNotAChange},
		{"GoesWithARolledBackTransaction", testMarkRollback},
	}
}

// wantMark fails the test unless the store's mark is digest at revision.
func (t *suiteT) wantMark(digest string, revision int64) {
	t.Helper()
	mark, err := t.store.GetReconcileMark(t.ctx)
	t.must(err, "GetReconcileMark")
	if mark.Digest != digest || mark.Revision != revision {
		t.Fatalf("mark %q at revision %d, want %q at %d", mark.Digest, mark.Revision, digest, revision)
	}
}

func testMarkRevision(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "CreateProvider")
	t.must(t.store.MarkReconciled(t.ctx, "d1"), "MarkReconciled outside a transaction")
	t.wantMark("d1", 1)
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		// Marked after the writes: the mark carries the revision the
		// transaction commits.
		return errors.Join(tx.CreateProvider(t.ctx, &configstore.Provider{Name: "q"}),
			tx.MarkReconciled(t.ctx, "d2"))
	}), "transaction")
	t.wantMark("d2", 2)
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "r"}), "CreateProvider")
	t.wantMark("d2", 2) // a later write moves the store, not the mark
	if rev := t.revision(); rev != 3 {
		t.Fatalf("revision %d, want 3", rev)
	}
}

func testMarkThenChange(t *suiteT) {
	t.must(t.store.MarkReconciled(t.ctx, "d1"), "MarkReconciled")
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(tx.MarkReconciled(t.ctx, "d2"),
			tx.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}))
	}), "transaction")
	t.wantMark("d1", 0) // d2 would vouch for the provider created after it
}

func testMarkInsideChangedTx(t *suiteT) {
	t.must(t.store.MarkReconciled(t.ctx, "d1"), "MarkReconciled")
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if _, err := tx.GetReconcileMark(t.ctx); err != nil {
			return err // unchanged so far: the mark is there
		}
		t.must(tx.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "CreateProvider")
		_, err := tx.GetReconcileMark(t.ctx)
		t.wantErr(err, configstore.ErrNotFound, "GetReconcileMark after a change in the transaction")
		return nil
	}), "transaction")
}

func testMarkNotAChange(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "CreateProvider")
	before := t.revision()
	t.must(t.store.MarkReconciled(t.ctx, "d1"), "MarkReconciled")
	t.must(t.store.MarkReconciled(t.ctx, "d2"), "MarkReconciled again")
	if rev := t.revision(); rev != before {
		t.Fatalf("marking moved the revision from %d to %d", before, rev)
	}
	if cs := t.changesAfter(before); len(cs) != 0 {
		t.Fatalf("marking logged %d changes", len(cs))
	}
	t.wantMark("d2", before)
}

func testMarkRollback(t *suiteT) {
	t.must(t.store.MarkReconciled(t.ctx, "d1"), "MarkReconciled")
	boom := errors.New("boom")
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := errors.Join(tx.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}),
			tx.MarkReconciled(t.ctx, "d2")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("transaction: %v, want boom", err)
	}
	t.wantMark("d1", 0)
}
