package conformance

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gatewaykit/configstore"
)

// blockedGuard bounds how long a test waits for a read that must not wait
// for a writer; it only turns a deadlock into a failure and is never
// reached by a conforming backend.
const blockedGuard = 30 * time.Second

func transactionTests() []test {
	return []test{
		{"CommitsSeveralKinds", testTxCommit},
		{"ErrorRollsBack", testTxErrorRollsBack},
		{"StoreErrorRollsBack", testTxStoreErrorRollsBack},
		{"PanicRollsBack", testTxPanicRollsBack},
		{"ReadsInsideSeeOwnWrites", testTxReadsOwnWrites},
		{"WritesInvisibleOutsideUntilCommit", testTxIsolation},
		{"NestedJoinsTheTransaction", testTxNested},
		{"NestedErrorRollsBackAll", testTxNestedError},
		{"RolledBackDeleteRestoresCascade", testTxCascadeRollback},
		{"RecordRevisionCountsEveryWrite", testTxRecordRevision},
		{"StaleRevisionInsideConflicts", testTxStaleInside},
		{"StoreUsableAfterRollback", testTxUsableAfterRollback},
		{"FinishedTransactionLosesNoWrite", testTxLeaked},
		{"HandledErrorInsideDoesNotAbort", testTxHandledError},
	}
}

// txWorld is what the transaction tests start from: two providers, one of
// them doomed, and a team.
func txWorld(t *suiteT) {
	t.Helper()
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "existing",
		ConcurrencyAndBufferSize: &configstore.ConcurrencyAndBufferSize{Concurrency: 1, BufferSize: 1}}), "create provider")
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "doomed"}), "create provider")
	t.must(t.store.CreateTeam(t.ctx, &configstore.Team{ID: "team-x", Name: "x"}), "create team")
}

// txWrites is a transaction body that creates several kinds, updates
// provider "existing" and deletes provider "doomed".
func txWrites(tx configstore.ConfigStore, t *suiteT) error {
	ctx := t.ctx
	if err := tx.CreateProvider(ctx, &configstore.Provider{Name: "new"}); err != nil {
		return err
	}
	if err := tx.CreateKey(ctx, &configstore.Key{ID: "new-key", Provider: "new", Name: "new key"}); err != nil {
		return err
	}
	if err := tx.CreateRateLimit(ctx, &configstore.RateLimit{ID: "new-rl"}); err != nil {
		return err
	}
	if err := tx.CreateVirtualKey(ctx, &configstore.VirtualKey{ID: "new-vk", Name: "new vk", Value: configstore.NewEnvVar("sk-bf-new-0123456789"),
		TeamID: "team-x", RateLimitID: "new-rl",
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "new", KeyIDs: []string{"new-key"}}}}); err != nil {
		return err
	}
	if err := tx.CreateBudget(ctx, &configstore.Budget{ID: "new-budget", ResetDuration: "1d", VirtualKeyID: "new-vk"}); err != nil {
		return err
	}
	p, err := tx.GetProvider(ctx, "existing")
	if err != nil {
		return err
	}
	p.ConcurrencyAndBufferSize = &configstore.ConcurrencyAndBufferSize{Concurrency: 2, BufferSize: 2}
	if err := tx.UpdateProvider(ctx, p); err != nil {
		return err
	}
	return tx.DeleteProvider(ctx, "doomed")
}

// wantTxState checks whether txWrites' effects are visible (committed) or
// not (the world as txWorld left it), on store s.
func wantTxState(s configstore.ConfigStore, t *suiteT, committed bool) error {
	ctx := t.ctx
	var errs []error
	check := func(err error, wantFound bool, what string) {
		switch {
		case wantFound && err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		case !wantFound && !errors.Is(err, configstore.ErrNotFound):
			errs = append(errs, fmt.Errorf("%s: got %v, want ErrNotFound", what, err))
		}
	}
	_, err := s.GetProvider(ctx, "new")
	check(err, committed, "provider created in the transaction")
	_, err = s.GetKey(ctx, "new-key")
	check(err, committed, "key created in the transaction")
	_, err = s.GetRateLimit(ctx, "new-rl")
	check(err, committed, "rate limit created in the transaction")
	_, err = s.GetVirtualKey(ctx, "new-vk")
	check(err, committed, "virtual key created in the transaction")
	_, err = s.GetBudget(ctx, "new-budget")
	check(err, committed, "budget created in the transaction")
	_, err = s.GetProvider(ctx, "doomed")
	check(err, !committed, "provider deleted in the transaction")
	p, err := s.GetProvider(ctx, "existing")
	check(err, true, "provider updated in the transaction")
	if err == nil {
		want := 1
		if committed {
			want = 2
		}
		if got := p.ConcurrencyAndBufferSize.Concurrency; got != want {
			errs = append(errs, fmt.Errorf("provider updated in the transaction has concurrency %d, want %d", got, want))
		}
	}
	ps, err := s.ListProviders(ctx)
	check(err, true, "ListProviders")
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	want := []string{"doomed", "existing"}
	if committed {
		want = []string{"existing", "new"}
	}
	if err == nil && !slices.Equal(names, want) {
		errs = append(errs, fmt.Errorf("ListProviders returns %q, want %q", names, want))
	}
	return errors.Join(errs...)
}

func testTxCommit(t *suiteT) {
	txWorld(t)
	before := t.revision()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error { return txWrites(tx, t) }), "transaction")
	t.must(wantTxState(t.store, t, true), "after commit")
	t.wantChanges(before,
		configstore.Change{Kind: "provider", ID: "new", Op: configstore.OpCreate},
		configstore.Change{Kind: "key", ID: "new-key", Op: configstore.OpCreate},
		configstore.Change{Kind: "rate_limit", ID: "new-rl", Op: configstore.OpCreate},
		configstore.Change{Kind: "virtual_key", ID: "new-vk", Op: configstore.OpCreate},
		configstore.Change{Kind: "budget", ID: "new-budget", Op: configstore.OpCreate},
		configstore.Change{Kind: "provider", ID: "existing", Op: configstore.OpUpdate},
		configstore.Change{Kind: "provider", ID: "doomed", Op: configstore.OpDelete})
	vk, err := t.store.GetVirtualKey(t.ctx, "new-vk")
	t.must(err, "get")
	if len(vk.ProviderConfigs) != 1 || !slices.Equal(vk.ProviderConfigs[0].KeyIDs, []string{"new-key"}) {
		t.Fatalf("virtual key created in a transaction has provider configs %+v", vk.ProviderConfigs)
	}
}

func testTxErrorRollsBack(t *suiteT) {
	txWorld(t)
	before := t.revision()
	errAbort := errors.New("abort")
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := txWrites(tx, t); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", errAbort)
	})
	t.wantErr(err, errAbort, "ExecuteTransaction returns fn's error")
	t.must(wantTxState(t.store, t, false), "after rollback")
	t.wantNoChange(before, "a rolled-back transaction")
}

func testTxStoreErrorRollsBack(t *suiteT) {
	txWorld(t)
	before := t.revision()
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := txWrites(tx, t); err != nil {
			return err
		}
		return tx.CreateProvider(t.ctx, &configstore.Provider{Name: "existing"})
	})
	t.wantErr(err, configstore.ErrAlreadyExists, "a transaction whose last write fails")
	t.must(wantTxState(t.store, t, false), "after rollback")
	t.wantNoChange(before, "a rolled-back transaction")
}

func testTxPanicRollsBack(t *suiteT) {
	txWorld(t)
	before := t.revision()
	type panicValue struct{ msg string }
	want := &panicValue{"boom"}
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_ = t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
			if err := txWrites(tx, t); err != nil {
				return err
			}
			panic(want)
		})
	}()
	if recovered != want {
		t.Fatalf("ExecuteTransaction re-panicked with %v, want the original panic value %v", recovered, want)
	}
	t.must(wantTxState(t.store, t, false), "after a panic")
	t.wantNoChange(before, "a transaction that panicked")
	// The store is still usable: the panic released the writer.
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "after-panic"}), "write after the panic")
	t.wantChanges(before, configstore.Change{Kind: "provider", ID: "after-panic", Op: configstore.OpCreate})
}

func testTxReadsOwnWrites(t *suiteT) {
	txWorld(t)
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := txWrites(tx, t); err != nil {
			return err
		}
		if err := wantTxState(tx, t, true); err != nil {
			return fmt.Errorf("reads inside the transaction: %w", err)
		}
		pcs, err := tx.GetProvidersConfig(t.ctx)
		if err != nil {
			return err
		}
		if len(pcs["new"].Keys) != 1 {
			return fmt.Errorf("GetProvidersConfig inside the transaction gives the new provider %d keys, want 1", len(pcs["new"].Keys))
		}
		keys, err := tx.ListProviderKeys(t.ctx, "new")
		if err != nil || len(keys) != 1 {
			return fmt.Errorf("ListProviderKeys inside the transaction: %d keys, %v; want 1", len(keys), err)
		}
		vk, err := tx.GetVirtualKeyByValue(t.ctx, "sk-bf-new-0123456789")
		if err != nil || vk.ID != "new-vk" {
			return fmt.Errorf("GetVirtualKeyByValue inside the transaction: %v", err)
		}
		// Cascades inside the transaction are visible inside too.
		if err := tx.DeleteVirtualKey(t.ctx, "new-vk"); err != nil {
			return err
		}
		if _, err := tx.GetBudget(t.ctx, "new-budget"); !errors.Is(err, configstore.ErrNotFound) {
			return fmt.Errorf("the budget of a virtual key deleted in the transaction: got %v, want ErrNotFound", err)
		}
		return nil
	}), "transaction")
}

func testTxIsolation(t *suiteT) {
	txWorld(t)
	before := t.revision()
	written := make(chan struct{})
	observed := make(chan error, 1)
	go func() {
		<-written
		// Reads through the outer store, from another goroutine, while
		// the transaction is open.
		errs := []error{wantTxState(t.store, t, false)}
		if rev, err := t.store.Revision(t.ctx); err != nil || rev != before {
			errs = append(errs, fmt.Errorf("store revision during the transaction is %d, %v; want %d", rev, err, before))
		}
		if cs, err := t.store.ListChanges(t.ctx, before, 0); err != nil || len(cs) != 0 {
			errs = append(errs, fmt.Errorf("change log during the transaction has %d new entries, %v", len(cs), err))
		}
		observed <- errors.Join(errs...)
	}()
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := txWrites(tx, t); err != nil {
			return err
		}
		close(written)
		select {
		case err := <-observed:
			if err != nil {
				return fmt.Errorf("reads outside the open transaction: %w", err)
			}
			return nil
		case <-time.After(blockedGuard):
			return fmt.Errorf("reads outside the transaction did not return within %v while it was open: readers must not wait for a writer", blockedGuard)
		}
	})
	t.must(err, "transaction")
	t.must(wantTxState(t.store, t, true), "after commit")
	if got := t.revision(); got != before+1 {
		t.Fatalf("store revision after commit is %d, want %d", got, before+1)
	}
}

func testTxNested(t *suiteT) {
	before := t.revision()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreateProvider(t.ctx, &configstore.Provider{Name: "outer"}); err != nil {
			return err
		}
		return tx.ExecuteTransaction(t.ctx, func(inner configstore.ConfigStore) error {
			if _, err := inner.GetProvider(t.ctx, "outer"); err != nil {
				return fmt.Errorf("the nested transaction does not see the outer one's write: %w", err)
			}
			return inner.CreateKey(t.ctx, &configstore.Key{ID: "inner-key", Provider: "outer", Name: "inner"})
		})
	}), "transaction")
	t.wantChanges(before,
		configstore.Change{Kind: "provider", ID: "outer", Op: configstore.OpCreate},
		configstore.Change{Kind: "key", ID: "inner-key", Op: configstore.OpCreate})
}

func testTxNestedError(t *suiteT) {
	before := t.revision()
	errInner := errors.New("inner failure")
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreateProvider(t.ctx, &configstore.Provider{Name: "outer"}); err != nil {
			return err
		}
		return tx.ExecuteTransaction(t.ctx, func(inner configstore.ConfigStore) error {
			if err := inner.CreateProvider(t.ctx, &configstore.Provider{Name: "inner"}); err != nil {
				return err
			}
			return errInner
		})
	})
	t.wantErr(err, errInner, "a transaction whose nested transaction fails")
	for _, name := range []string{"outer", "inner"} {
		_, err := t.store.GetProvider(t.ctx, name)
		t.wantErr(err, configstore.ErrNotFound, "provider %q after the rollback", name)
	}
	t.wantNoChange(before, "a rolled-back nested transaction")
}

func testTxCascadeRollback(t *suiteT) {
	seedWorld(t)
	before := t.revision()
	errAbort := errors.New("abort")
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.DeleteProvider(t.ctx, provOpenAI); err != nil {
			return err
		}
		if _, err := tx.GetKey(t.ctx, keyOpenAI1); !errors.Is(err, configstore.ErrNotFound) {
			return fmt.Errorf("inside the transaction, a key of the deleted provider: got %v, want ErrNotFound", err)
		}
		return errAbort
	})
	t.wantErr(err, errAbort, "transaction")
	for _, id := range []string{keyOpenAI1, keyOpenAI2} {
		_, err := t.store.GetKey(t.ctx, id)
		t.must(err, "key %q after the rolled-back cascade", id)
	}
	keys, err := t.store.ListProviderKeys(t.ctx, provOpenAI)
	t.must(err, "ListProviderKeys")
	if len(keys) != 2 {
		t.Fatalf("provider %q has %d keys after the rolled-back delete, want 2", provOpenAI, len(keys))
	}
	t.wantNoChange(before, "a rolled-back delete")
}

func testTxRecordRevision(t *suiteT) {
	before := t.revision()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		p := &configstore.Provider{Name: "p"}
		if err := tx.CreateProvider(t.ctx, p); err != nil {
			return err
		}
		for range 2 {
			p.SendBackRawRequest = !p.SendBackRawRequest
			if err := tx.UpdateProvider(t.ctx, p); err != nil {
				return err
			}
		}
		if p.Revision != 3 {
			return fmt.Errorf("after a create and two updates in one transaction, Revision is %d, want 3", p.Revision)
		}
		return nil
	}), "transaction")
	p, err := t.store.GetProvider(t.ctx, "p")
	t.must(err, "get")
	if p.Revision != 3 || p.SendBackRawRequest {
		t.Fatalf("after commit the provider has Revision %d, SendBackRawRequest %v; want 3, false", p.Revision, p.SendBackRawRequest)
	}
	t.wantChanges(before, configstore.Change{Kind: "provider", ID: "p", Op: configstore.OpCreate})
}

func testTxStaleInside(t *suiteT) {
	p := &configstore.Provider{Name: "p"}
	t.must(t.store.CreateProvider(t.ctx, p), "create")
	stale := *p
	t.must(t.store.UpdateProvider(t.ctx, p), "update")
	before := t.revision()
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreateProvider(t.ctx, &configstore.Provider{Name: "q"}); err != nil {
			return err
		}
		return tx.UpdateProvider(t.ctx, &stale)
	})
	t.wantErr(err, configstore.ErrConflict, "a transaction updating from a stale read")
	_, err = t.store.GetProvider(t.ctx, "q")
	t.wantErr(err, configstore.ErrNotFound, "provider created before the conflict")
	t.wantNoChange(before, "a rolled-back transaction")
}

func testTxUsableAfterRollback(t *suiteT) {
	errAbort := errors.New("abort")
	for i := range 3 {
		err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
			if err := tx.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}); err != nil {
				return err
			}
			return errAbort
		})
		t.wantErr(err, errAbort, "rolled-back transaction %d", i)
	}
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "create after the rollbacks")
	if rev := t.revision(); rev != 1 {
		t.Fatalf("store revision after three rollbacks and one write is %d, want 1", rev)
	}
}

// testTxLeaked: a tx kept past the end of its ExecuteTransaction must not
// silently lose writes: a write through it fails, or it is stored.
func testTxLeaked(t *suiteT) {
	var leaked configstore.ConfigStore
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		leaked = tx
		return tx.CreateProvider(t.ctx, &configstore.Provider{Name: "inside"})
	}), "transaction")
	err := leaked.CreateProvider(t.ctx, &configstore.Provider{Name: "leaked"})
	_, getErr := t.store.GetProvider(t.ctx, "leaked")
	switch {
	case err == nil && getErr != nil:
		t.Fatalf("a write through a finished transaction reported success but was lost (get: %v)", getErr)
	case err != nil && getErr == nil:
		t.Fatalf("a write through a finished transaction failed (%v) but was stored", err)
	}
	// The store is not wedged either way.
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "after"}), "write after the leak")
}

// testTxHandledError: a write inside a transaction that fails (here a
// duplicate, which SQL databases report by aborting the statement) can be
// handled by fn, which then carries on: the transaction stays usable and
// commits everything else. A create-or-update is written this way.
func testTxHandledError(t *suiteT) {
	seedWorld(t)
	before := t.revision()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		for _, dup := range []func() error{
			func() error { return tx.CreateProvider(t.ctx, &configstore.Provider{Name: provOpenAI}) },
			func() error {
				return tx.CreateKey(t.ctx, &configstore.Key{ID: "other-id", Provider: provOpenAI, Name: "openai primary"})
			},
			func() error {
				return tx.CreateVirtualKey(t.ctx, &configstore.VirtualKey{ID: "vk-dup", Name: "dup",
					Value: configstore.NewEnvVar("sk-bf-seed-0123456789")})
			},
		} {
			if err := dup(); !errors.Is(err, configstore.ErrAlreadyExists) {
				return fmt.Errorf("a duplicate inside the transaction: got %v, want ErrAlreadyExists", err)
			}
		}
		p, err := tx.GetProvider(t.ctx, provOpenAI)
		if err != nil {
			return fmt.Errorf("read after a handled error: %w", err)
		}
		p.SendBackRawRequest = true
		if err := tx.UpdateProvider(t.ctx, p); err != nil {
			return fmt.Errorf("update after a handled error: %w", err)
		}
		return tx.CreatePlugin(t.ctx, &configstore.Plugin{Name: "after-error"})
	}), "a transaction that handles a failed write and carries on")
	p, err := t.store.GetProvider(t.ctx, provOpenAI)
	t.must(err, "get")
	if !p.SendBackRawRequest {
		t.Fatalf("the update made after a handled error was not committed")
	}
	_, err = t.store.GetVirtualKey(t.ctx, "vk-dup")
	t.wantErr(err, configstore.ErrNotFound, "the refused virtual key")
	t.wantChanges(before,
		configstore.Change{Kind: "provider", ID: provOpenAI, Op: configstore.OpUpdate},
		configstore.Change{Kind: "plugin", ID: "after-error", Op: configstore.OpCreate})
}
