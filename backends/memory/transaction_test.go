package memory_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
	"github.com/gatewaykit/configstore/backends/memory"
)

func TestReadOnlyRefusesWrites(t *testing.T) {
	b := memory.New(memory.Options{ReadOnly: true})
	called := false
	err := b.Write(context.Background(), func(configstore.Tx) error { called = true; return nil })
	wantErr(t, err, configstore.ErrReadOnly)
	if called {
		t.Fatal("Write called fn on a read-only backend")
	}
	if !b.ReadOnly() {
		t.Fatal("ReadOnly() = false for Options{ReadOnly: true}")
	}
}

func TestSealKeepsDataAndRefusesWrites(t *testing.T) {
	b := newBackend()
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "rl-1", nil))
	if b.ReadOnly() {
		t.Fatal("a new backend is read-only")
	}
	b.Seal()
	called := false
	err := b.Write(context.Background(), func(configstore.Tx) error { called = true; return nil })
	wantErr(t, err, configstore.ErrReadOnly)
	if called {
		t.Fatal("Write called fn after Seal")
	}
	if backendtest.Get(t, b, rl, "rl-1") == nil {
		t.Fatal("Seal lost the data loaded before it")
	}
}

func TestSealDuringWriteDiscardsTheTransaction(t *testing.T) {
	b := newBackend()
	rl := backendtest.Kind(t, "rate_limit")
	err := b.Write(context.Background(), func(tx configstore.Tx) error {
		if err := tx.Insert(context.Background(), rl, backendtest.Record(t, rl, "rl-1", nil)); err != nil {
			return err
		}
		b.Seal()
		return nil
	})
	wantErr(t, err, configstore.ErrReadOnly)
	if backendtest.Get(t, b, rl, "rl-1") != nil {
		t.Fatal("a transaction committed after Seal")
	}
}

func TestReaderKeepsItsSnapshotDuringCommit(t *testing.T) {
	b := newBackend()
	rl, team, cust := backendtest.Kind(t, "rate_limit"), backendtest.Kind(t, "team"), backendtest.Kind(t, "customer")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "rl-1", nil))
	backendtest.Insert(t, b, cust, backendtest.Record(t, cust, "c", nil))
	backendtest.Insert(t, b, team, backendtest.Record(t, team, "t1", map[string]any{"name": "one", "customer_id": "c"}))
	ctx := context.Background()
	err := b.Read(ctx, func(r configstore.Reader) error {
		committed := make(chan error)
		go func() {
			committed <- b.Write(ctx, func(tx configstore.Tx) error {
				if err := tx.Insert(ctx, rl, backendtest.Record(t, rl, "rl-2", nil)); err != nil {
					return err
				}
				if err := tx.Insert(ctx, team, backendtest.Record(t, team, "t2", map[string]any{"name": "two", "customer_id": "c"})); err != nil {
					return err
				}
				if err := tx.Delete(ctx, team, "t1"); err != nil {
					return err
				}
				return tx.Delete(ctx, rl, "rl-1")
			})
		}()
		if err := <-committed; err != nil {
			t.Fatalf("concurrent Write: %v", err)
		}
		if _, err := r.Get(ctx, rl, "rl-2"); !errors.Is(err, configstore.ErrNotFound) {
			t.Errorf("the snapshot shows a row committed after it started (err %v)", err)
		}
		if _, err := r.Get(ctx, rl, "rl-1"); err != nil {
			t.Errorf("the snapshot lost a row deleted after it started: %v", err)
		}
		recs, err := r.List(ctx, team, configstore.Query{Where: []configstore.Condition{configstore.Eq("customer_id", "c")}})
		if err != nil || len(recs) != 1 || recs[0]["id"] != "t1" {
			t.Errorf("the snapshot's referrer index changed: teams of customer c %v, %v; want t1", recs, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(t, b, rl, configstore.Query{}); len(got) != 1 || got[0] != "rl-2" {
		t.Fatalf("after the commit: rate limits %v, want [rl-2]", got)
	}
	if got := keys(t, b, team, configstore.Query{Where: []configstore.Condition{configstore.Eq("customer_id", "c")}}); !slices.Equal(got, []string{"t2"}) {
		t.Fatalf("after the commit: teams of c %v, want [t2]", got)
	}
}

func TestRolledBackReferrerDoesNotLeak(t *testing.T) {
	b := newBackend()
	team, cust := backendtest.Kind(t, "team"), backendtest.Kind(t, "customer")
	backendtest.Insert(t, b, cust, backendtest.Record(t, cust, "c", nil))
	backendtest.Insert(t, b, team, backendtest.Record(t, team, "t1", map[string]any{"name": "one", "customer_id": "c"}))
	boom := errors.New("boom")
	err := b.Write(context.Background(), func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Insert(ctx, team, backendtest.Record(t, team, "t2", map[string]any{"name": "two", "customer_id": "c"})); err != nil {
			return err
		}
		if err := tx.Delete(ctx, team, "t1"); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Write: %v", err)
	}
	q := configstore.Query{Where: []configstore.Condition{configstore.Eq("customer_id", "c")}}
	if got := keys(t, b, team, q); len(got) != 1 || got[0] != "t1" {
		t.Fatalf("teams of c after a rollback: %v, want [t1]", got)
	}
	// The customer is deletable only if no team refers to it; t1 does.
	err = b.Write(context.Background(), func(tx configstore.Tx) error { return tx.Delete(context.Background(), cust, "c") })
	wantErr(t, err, configstore.ErrReferenced)
}

func TestTransactionUnusableAfterWrite(t *testing.T) {
	b := newBackend()
	rl := backendtest.Kind(t, "rate_limit")
	var kept configstore.Tx
	write(t, b, func(tx configstore.Tx) error { kept = tx; return nil })
	err := kept.Insert(context.Background(), rl, backendtest.Record(t, rl, "late", nil))
	wantErr(t, err, memory.ErrTxDone)
	if backendtest.Get(t, b, rl, "late") != nil {
		t.Fatal("a write through a finished transaction is visible")
	}
}

func TestClose(t *testing.T) {
	b := newBackend()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	wantErr(t, b.Read(context.Background(), func(configstore.Reader) error { return nil }), memory.ErrClosed)
	wantErr(t, b.Write(context.Background(), func(configstore.Tx) error { return nil }), memory.ErrClosed)
}
