package conformance

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/gatewaykit/configstore"
)

// sharedStorageTests need Harness.Reopen: a second backend on the same
// storage, as after a restart or on a second gateway node.
func sharedStorageTests() []test {
	return []test{
		{"ReopenKeepsEverything", testReopenKeeps},
		{"ReopenAfterRollbackKeepsNothingOfIt", testReopenAfterRollback},
		{"CommitsVisibleAcrossStores", testSharedVisible},
		{"RevisionIsGlobal", testSharedRevision},
		{"OpenTransactionInvisibleToOtherStore", testSharedIsolation},
		{"NoLostUpdatesAcrossStores", testSharedNoLostUpdates},
		{"TransactionsSerializedAcrossStores", testSharedSerialized},
		{"UniqueFieldsAcrossStores", testSharedUnique},
	}
}

// everything is what testReopenKeeps writes and reads back (exported
// fields, for diff).
type everything struct {
	VK       *configstore.VirtualKey
	Key      *configstore.Key
	Plugin   *configstore.Plugin
	Budget   *configstore.Budget
	Client   *configstore.ClientConfig
	Rev      int64
	Changes  []configstore.Change
	PCs      map[string]configstore.ProviderConfig
	Pricings []configstore.ModelPricing
}

func readEverything(t *suiteT, s configstore.ConfigStore) everything {
	t.Helper()
	var e everything
	var err error
	e.VK, err = s.GetVirtualKey(t.ctx, "vk-full")
	t.must(err, "get virtual key")
	e.Key, err = s.GetKey(t.ctx, "key-full")
	t.must(err, "get key")
	e.Plugin, err = s.GetPlugin(t.ctx, fullPlugin().Name)
	t.must(err, "get plugin")
	e.Budget, err = s.GetBudget(t.ctx, "budget-full")
	t.must(err, "get budget")
	e.Client, err = s.GetClientConfig(t.ctx)
	t.must(err, "get client config")
	e.Rev, err = s.Revision(t.ctx)
	t.must(err, "revision")
	e.Changes, err = s.ListChanges(t.ctx, 0, 0)
	t.must(err, "list changes")
	e.PCs, err = s.GetProvidersConfig(t.ctx)
	t.must(err, "GetProvidersConfig")
	e.Pricings, err = s.ListModelPricing(t.ctx)
	t.must(err, "list model pricing")
	return e
}

func testReopenKeeps(t *suiteT) {
	seedWorld(t)
	t.must(t.store.CreateVirtualKey(t.ctx, fullVirtualKey()), "create virtual key")
	t.must(t.store.CreateKey(t.ctx, fullKey()), "create key")
	t.must(t.store.CreatePlugin(t.ctx, fullPlugin()), "create plugin")
	t.must(t.store.CreateBudget(t.ctx, fullBudget()), "create budget")
	t.must(t.store.UpdateClientConfig(t.ctx, clientConfigSuite.full()), "update client config")
	t.must(t.store.ReplaceModelPricing(t.ctx, []configstore.ModelPricing{*fullModelPricing()}), "replace pricing")
	before := readEverything(t, t.store)
	t.closeStore()
	after := readEverything(t, t.reopen())
	t.equal(after, before, "everything, read again after reopening the storage")
}

func testReopenAfterRollback(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "kept"}), "create")
	errAbort := errors.New("abort")
	t.wantErr(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(tx.CreateProvider(t.ctx, &configstore.Provider{Name: "dropped"}), tx.DeleteProvider(t.ctx, "kept"), errAbort)
	}), errAbort, "transaction")
	t.closeStore()
	s := t.reopen()
	ps, err := s.ListProviders(t.ctx)
	t.must(err, "list")
	if len(ps) != 1 || ps[0].Name != "kept" {
		t.Fatalf("after reopening, the providers are %+v, want only %q", ps, "kept")
	}
	if rev, err := s.Revision(t.ctx); err != nil || rev != 1 {
		t.Fatalf("after reopening, the store revision is %d, %v; want 1", rev, err)
	}
}

func testSharedVisible(t *suiteT) {
	other := t.reopen()
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "from-first"}), "create through the first store")
	p, err := other.GetProvider(t.ctx, "from-first")
	t.must(err, "read it through the second store")
	t.must(other.CreateKey(t.ctx, &configstore.Key{ID: "k", Provider: "from-first", Name: "k"}), "create a key through the second store")
	p.SendBackRawRequest = true
	t.must(other.UpdateProvider(t.ctx, p), "update through the second store")
	got, err := t.store.GetProvider(t.ctx, "from-first")
	t.must(err, "read through the first store")
	t.equal(got, p, "provider updated through the second store, read through the first")
	pcs, err := t.store.GetProvidersConfig(t.ctx)
	t.must(err, "GetProvidersConfig")
	if len(pcs["from-first"].Keys) != 1 {
		t.Fatalf("the first store does not see the key created through the second")
	}
	t.must(t.store.DeleteProvider(t.ctx, "from-first"), "delete through the first store")
	_, err = other.GetKey(t.ctx, "k")
	t.wantErr(err, configstore.ErrNotFound, "the cascaded key, through the second store")
}

func testSharedRevision(t *suiteT) {
	stores := []configstore.ConfigStore{t.store, t.reopen()}
	for i := range 6 {
		s := stores[i%2]
		t.must(s.CreatePlugin(t.ctx, &configstore.Plugin{Name: "p" + strconv.Itoa(i)}), "write %d", i)
		for j, s := range stores {
			if rev, err := s.Revision(t.ctx); err != nil || rev != int64(i+1) {
				t.Fatalf("after %d writes alternating between two stores, store %d reports revision %d, %v", i+1, j, rev, err)
			}
		}
	}
	a, err := stores[0].ListChanges(t.ctx, 0, 0)
	t.must(err, "list changes")
	b, err := stores[1].ListChanges(t.ctx, 0, 0)
	t.must(err, "list changes")
	t.equal(b, a, "change log through the second store")
	for i, c := range a {
		if c.Revision != int64(i+1) || c.ID != "p"+strconv.Itoa(i) {
			t.Fatalf("change %d is %s, want plugin p%d at revision %d", i, formatChange(c), i, i+1)
		}
	}
}

func testSharedIsolation(t *suiteT) {
	other := t.reopen()
	written := make(chan struct{})
	observed := make(chan error, 1)
	go func() {
		<-written
		_, err := other.GetProvider(t.ctx, "pending")
		if !errors.Is(err, configstore.ErrNotFound) {
			observed <- fmt.Errorf("the second store sees a provider of an open transaction (get: %v)", err)
			return
		}
		if rev, err := other.Revision(t.ctx); err != nil || rev != 0 {
			observed <- fmt.Errorf("the second store reports revision %d, %v during the first write transaction", rev, err)
			return
		}
		observed <- nil
	}()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreateProvider(t.ctx, &configstore.Provider{Name: "pending"}); err != nil {
			return err
		}
		close(written)
		select {
		case err := <-observed:
			return err
		case <-time.After(blockedGuard):
			return fmt.Errorf("a read through the second store did not return within %v while a write transaction was open: readers must not wait for a writer", blockedGuard)
		}
	}), "transaction")
	_, err := other.GetProvider(t.ctx, "pending")
	t.must(err, "the committed provider through the second store")
}

// counterWorkers runs workers goroutines on each store incrementing
// budget "counter" rounds times each with increment.
func counterWorkers(t *suiteT, stores []configstore.ConfigStore, increment func(s configstore.ConfigStore) error) {
	t.Helper()
	t.must(t.store.CreateBudget(t.ctx, &configstore.Budget{ID: "counter", ResetDuration: "1d"}), "create")
	const perStore = workers / 2
	err := runWorkers(perStore*len(stores), func(i int) error {
		s := stores[i%len(stores)]
		for range rounds {
			if err := increment(s); err != nil {
				return err
			}
		}
		return nil
	})
	t.must(err, "concurrent increments")
	for j, s := range stores {
		b, err := s.GetBudget(t.ctx, "counter")
		t.must(err, "get")
		if want := float64(perStore * len(stores) * rounds); b.CurrentUsage != want {
			t.Fatalf("after %v increments through two stores, store %d reads %v: updates were lost", want, j, b.CurrentUsage)
		}
	}
}

func testSharedNoLostUpdates(t *suiteT) {
	counterWorkers(t, []configstore.ConfigStore{t.store, t.reopen()}, func(s configstore.ConfigStore) error {
		for {
			b, err := s.GetBudget(t.ctx, "counter")
			if err != nil {
				return err
			}
			b.CurrentUsage++
			err = s.UpdateBudget(t.ctx, b)
			if !errors.Is(err, configstore.ErrConflict) {
				return err
			}
		}
	})
}

func testSharedSerialized(t *suiteT) {
	counterWorkers(t, []configstore.ConfigStore{t.store, t.reopen()}, func(s configstore.ConfigStore) error {
		return s.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
			b, err := tx.GetBudget(t.ctx, "counter")
			if err != nil {
				return err
			}
			b.CurrentUsage++
			// Write transactions are serialized across processes sharing
			// the store: what this one read is still current.
			return tx.UpdateBudget(t.ctx, b)
		})
	})
}

func testSharedUnique(t *suiteT) {
	stores := []configstore.ConfigStore{t.store, t.reopen()}
	var mu sync.Mutex
	created := 0
	err := runWorkers(workers, func(i int) error {
		err := stores[i%2].CreateTeam(t.ctx, &configstore.Team{ID: "team-" + strconv.Itoa(i), Name: "contested"})
		if errors.Is(err, configstore.ErrAlreadyExists) {
			return nil
		}
		if err == nil {
			mu.Lock()
			created++
			mu.Unlock()
		}
		return err
	})
	t.must(err, "concurrent creates through two stores")
	if created != 1 {
		t.Fatalf("%d concurrent creates of one team name through two stores: %d succeeded, want 1", workers, created)
	}
}
