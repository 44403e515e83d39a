package backendtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/internal/waitctx"
)

var transactionTests = map[string]func(t *testing.T, b configstore.Backend){
	"ErrorRollsBack":                  testErrorRollsBack,
	"PanicRollsBackAndRepanics":       testPanicRollsBack,
	"FailedCallLeavesTxUsable":        testFailedCallLeavesTxUsable,
	"SeesOwnWritesOthersDoNot":        testSeesOwnWrites,
	"ReaderKeepsItsSnapshot":          testReaderKeepsSnapshot,
	"ReadIsReadOnly":                  testReadIsReadOnly,
	"CancelledContext":                testCancelledContext,
	"CancelDuringTransactionDiscards": testCancelDuringTransaction,
	"WaitingWriterHonoursCancel":      testWaitingWriterHonoursCancel,
	"ConcurrentReadModifyWrite":       testConcurrentReadModifyWrite,
	"UnusableAfterWrite":              testUnusableAfterWrite,
	"Close":                           testClose,
	"InsertAtCommit":                  testInsertAtCommit,
	"InsertBulk":                      testInsertBulk,
	"Expect":                          testExpect,
}

func testErrorRollsBack(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	Insert(t, b, rl, Record(t, rl, "kept", nil))
	boom := errors.New("boom")
	err := b.Write(context.Background(), func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Insert(ctx, rl, Record(t, rl, "added", nil)); err != nil {
			return err
		}
		if err := tx.Update(ctx, rl, Record(t, rl, "kept", map[string]any{"revision": int64(2)}), 1); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Write returned %v, want fn's error unchanged", err)
	}
	if Get(t, b, rl, "added") != nil || Get(t, b, rl, "kept")["revision"] != int64(1) {
		t.Fatal("writes of a failed transaction were committed")
	}
}

func testPanicRollsBack(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Fatalf("recovered %v, want the panic of fn", p)
			}
		}()
		_ = b.Write(context.Background(), func(tx configstore.Tx) error {
			if err := tx.Insert(context.Background(), rl, Record(t, rl, "added", nil)); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if Get(t, b, rl, "added") != nil {
		t.Fatal("the insert of a panicking transaction was committed")
	}
	Insert(t, b, rl, Record(t, rl, "after", nil)) // the writer is free again
	if Get(t, b, rl, "after") == nil {
		t.Fatal("a write after a panicking one did not commit")
	}
}

func testFailedCallLeavesTxUsable(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		err := tx.Insert(ctx, rl, Record(t, rl, "a", nil), Record(t, rl, "b", nil), Record(t, rl, "a", nil))
		wantErr(t, err, configstore.ErrAlreadyExists)
		if _, err := tx.Get(ctx, rl, "a"); !errors.Is(err, configstore.ErrNotFound) {
			t.Errorf("a failed Insert stored part of its batch: Get a: %v", err)
		}
		wantErr(t, tx.Update(ctx, rl, Record(t, rl, "zz", nil), 1), configstore.ErrNotFound)
		wantErr(t, tx.Delete(ctx, rl, "zz"), configstore.ErrNotFound)
		return tx.Insert(ctx, rl, Record(t, rl, "c", nil))
	})
	if got := keys(t, b, rl, configstore.Query{}); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("committed %v after failed calls, want [c]", got)
	}
}

func testSeesOwnWrites(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Insert(ctx, rl, Record(t, rl, "rl-1", nil)); err != nil {
			return err
		}
		if _, err := tx.Get(ctx, rl, "rl-1"); err != nil {
			t.Errorf("the transaction does not see its own insert: %v", err)
		}
		recs, err := tx.List(ctx, rl, configstore.Query{})
		if err != nil || len(recs) != 1 {
			t.Errorf("List in the transaction = %d records, %v; want 1", len(recs), err)
		}
		// A reader on another goroutine does not wait for this transaction
		// (the test would hang) and does not see its writes.
		seen := make(chan configstore.Record)
		go func() { seen <- Get(t, b, rl, "rl-1") }()
		if rec := <-seen; rec != nil {
			t.Error("a reader saw an uncommitted insert")
		}
		return nil
	})
	if Get(t, b, rl, "rl-1") == nil {
		t.Fatal("the insert is not visible after commit")
	}
}

func testReaderKeepsSnapshot(t *testing.T, b configstore.Backend) {
	rl, team, cust := Kind(t, "rate_limit"), Kind(t, "team"), Kind(t, "customer")
	Insert(t, b, rl, Record(t, rl, "rl-1", nil))
	Insert(t, b, cust, Record(t, cust, "c", nil))
	Insert(t, b, team, Record(t, team, "t1", map[string]any{"name": "one", "customer_id": "c"}))
	ctx := context.Background()
	err := b.Read(ctx, func(r configstore.Reader) error {
		// The snapshot starts at the latest with the first read.
		if _, err := r.Get(ctx, rl, "rl-1"); err != nil {
			return err
		}
		committed := make(chan error)
		go func() {
			committed <- b.Write(ctx, func(tx configstore.Tx) error {
				if err := tx.Insert(ctx, rl, Record(t, rl, "rl-2", nil)); err != nil {
					return err
				}
				if err := tx.Insert(ctx, team, Record(t, team, "t2", map[string]any{"name": "two", "customer_id": "c"})); err != nil {
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
			t.Errorf("the snapshot changed: teams of customer c %v, %v; want t1", recs, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(t, b, rl, configstore.Query{}); !slices.Equal(got, []string{"rl-2"}) {
		t.Fatalf("after the commit: rate limits %v, want [rl-2]", got)
	}
}

// testReadIsReadOnly: a Reader handed to Read cannot be used to write.
// errNoWriteMethods stands for the refusal of a Reader without write methods.
var errNoWriteMethods = errors.New("the reader has no write methods")

func testReadIsReadOnly(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	err := b.Read(context.Background(), func(r configstore.Reader) error {
		tx, ok := r.(configstore.Tx)
		if !ok {
			return errNoWriteMethods // read-only by construction
		}
		return tx.Insert(context.Background(), rl, Record(t, rl, "sneaky", nil))
	})
	if err == nil {
		t.Fatal("an insert through a Read snapshot succeeded")
	}
	if Get(t, b, rl, "sneaky") != nil {
		t.Fatal("an insert through a Read snapshot was stored")
	}
}

func testCancelledContext(t *testing.T, b configstore.Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	wantErr(t, b.Read(ctx, func(configstore.Reader) error { called = true; return nil }), context.Canceled)
	wantErr(t, b.Write(ctx, func(configstore.Tx) error { called = true; return nil }), context.Canceled)
	if called {
		t.Fatal("fn called with a cancelled context")
	}
}

func testCancelDuringTransaction(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	ctx, cancel := context.WithCancel(context.Background())
	err := b.Write(ctx, func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, rl, Record(t, rl, "rl-1", nil)); err != nil {
			return err
		}
		cancel()
		if err := tx.Insert(ctx, rl, Record(t, rl, "rl-2", nil)); !errors.Is(err, context.Canceled) {
			t.Errorf("Insert with a cancelled context: %v, want context.Canceled", err)
		}
		return nil
	})
	wantErr(t, err, context.Canceled)
	if Get(t, b, rl, "rl-1") != nil {
		t.Fatal("a transaction whose context ended was committed")
	}
	Insert(t, b, rl, Record(t, rl, "after", nil)) // the writer is free again
}

func testWaitingWriterHonoursCancel(t *testing.T, b configstore.Backend) {
	inside, release := make(chan struct{}), make(chan struct{})
	first := make(chan error)
	go func() {
		first <- b.Write(context.Background(), func(configstore.Tx) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	inner, cancel := context.WithCancel(context.Background())
	ctx := waitctx.New(inner) // Waiting: the second writer waits for its turn
	second := make(chan error)
	called := false
	go func() { second <- b.Write(ctx, func(configstore.Tx) error { called = true; return nil }) }()
	<-ctx.Waiting()
	cancel()
	wantErr(t, <-second, context.Canceled)
	if called {
		t.Fatal("a cancelled waiting writer ran fn")
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
}

// testConcurrentReadModifyWrite: 8 goroutines make 200 read-modify-write
// updates each on one backend.
func testConcurrentReadModifyWrite(t *testing.T, b configstore.Backend) {
	ConcurrentReadModifyWrite(t, []configstore.Backend{b}, 8, 200)
}

// ConcurrentReadModifyWrite runs goroutines on each of backends, which
// share one store (as the processes or nodes sharing it would), each making
// updates read-modify-write updates of one record in write transactions:
// Get it, then Update it expecting the revision read. Write transactions
// are serialized, so none may fail (no ErrConflict, no SQLITE_BUSY) and no
// increment may be lost.
func ConcurrentReadModifyWrite(t *testing.T, backends []configstore.Backend, goroutines, updates int) {
	t.Helper()
	rl := Kind(t, "rate_limit")
	Insert(t, backends[0], rl, Record(t, rl, "counter", nil))
	ctx := context.Background()
	total := len(backends) * goroutines * updates
	var wg sync.WaitGroup
	errs := make(chan error, total)
	for bi, b := range backends {
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range updates {
					errs <- b.Write(ctx, func(tx configstore.Tx) error {
						rec, err := tx.Get(ctx, rl, "counter")
						if err != nil {
							return err
						}
						rev := rec["revision"].(int64)
						rec["revision"] = rev + 1
						rec["token_current_usage"] = rec["token_current_usage"].(int64) + 1
						rec["token_reset_duration"] = fmt.Sprintf("backend %d goroutine %d update %d", bi, g, i)
						return tx.Update(ctx, rl, rec, rev)
					})
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("read-modify-write: %v", err)
		}
	}
	got := Get(t, backends[len(backends)-1], rl, "counter")
	if got["revision"] != int64(1+total) || got["token_current_usage"] != int64(total) {
		t.Fatalf("after %d updates: revision %v, usage %v", total, got["revision"], got["token_current_usage"])
	}
}

func testUnusableAfterWrite(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	var kept configstore.Tx
	write(t, b, func(tx configstore.Tx) error { kept = tx; return nil })
	if err := kept.Insert(context.Background(), rl, Record(t, rl, "late", nil)); err == nil {
		t.Fatal("an insert through a finished transaction succeeded")
	}
	if Get(t, b, rl, "late") != nil {
		t.Fatal("a write through a finished transaction is visible")
	}
}

func testClose(t *testing.T, b configstore.Backend) {
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := b.Read(context.Background(), func(configstore.Reader) error { return nil }); err == nil {
		t.Fatal("Read after Close succeeded")
	}
	if err := b.Write(context.Background(), func(configstore.Tx) error { return nil }); err == nil {
		t.Fatal("Write after Close succeeded")
	}
}
