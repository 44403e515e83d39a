package conformance

import (
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/gatewaykit/configstore"
)

// The shape of the concurrent tests: workers goroutines doing rounds
// operations each.
const (
	workers = 8
	rounds  = 25
)

func concurrencyTests() []test {
	return []test{
		{"NoLostUpdates", testNoLostUpdates},
		{"NoLostUpdatesInTransactions", testNoLostUpdatesTx},
		{"ConcurrentCreatesOfOneNameOneWins", testConcurrentUnique},
		{"ConcurrentTransactionsGetConsecutiveRevisions", testConcurrentRevisions},
		{"ReadersSeeWholeTransactions", testReadersSeeWholeTx},
		{"ReadersSeeWholeVirtualKeys", testReadersSeeWholeVK},
		{"ReadersSeeWholeProvidersConfig", testReadersSeeWholeProvidersConfig},
	}
}

// runWorkers runs n goroutines and returns the errors they returned.
func runWorkers(n int, work func(i int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = work(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func testNoLostUpdates(t *suiteT) {
	t.must(t.store.CreateBudget(t.ctx, &configstore.Budget{ID: "counter", ResetDuration: "1d", MaxLimit: 1000}), "create")
	before := t.revision()
	var mu sync.Mutex
	conflicts := 0
	err := runWorkers(workers, func(int) error {
		for range rounds {
			for {
				b, err := t.store.GetBudget(t.ctx, "counter")
				if err != nil {
					return err
				}
				b.CurrentUsage++
				err = t.store.UpdateBudget(t.ctx, b)
				if errors.Is(err, configstore.ErrConflict) {
					mu.Lock()
					conflicts++
					mu.Unlock()
					continue
				}
				if err != nil {
					return err
				}
				break
			}
		}
		return nil
	})
	t.must(err, "concurrent increments")
	b, err := t.store.GetBudget(t.ctx, "counter")
	t.must(err, "get")
	if want := float64(workers * rounds); b.CurrentUsage != want {
		t.Fatalf("after %d increments with revision checks, CurrentUsage is %v: updates were lost", workers*rounds, b.CurrentUsage)
	}
	if want := int64(1 + workers*rounds); b.Revision != want {
		t.Fatalf("after %d updates the budget has Revision %d, want %d", workers*rounds, b.Revision, want)
	}
	if got := t.revision(); got != before+workers*rounds {
		t.Fatalf("store revision went from %d to %d after %d committed updates", before, got, workers*rounds)
	}
	cs := t.changesAfter(before)
	if len(cs) != workers*rounds {
		t.Fatalf("change log has %d entries for %d updates", len(cs), workers*rounds)
	}
	t.Logf("%d conflicts retried", conflicts)
}

func testNoLostUpdatesTx(t *suiteT) {
	t.must(t.store.CreateBudget(t.ctx, &configstore.Budget{ID: "counter", ResetDuration: "1d"}), "create")
	err := runWorkers(workers, func(int) error {
		for range rounds {
			err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
				b, err := tx.GetBudget(t.ctx, "counter")
				if err != nil {
					return err
				}
				b.CurrentUsage++
				// The revision read inside the write transaction is current:
				// write transactions are serialized.
				return tx.UpdateBudget(t.ctx, b)
			})
			if err != nil {
				return fmt.Errorf("increment in a transaction: %w", err)
			}
		}
		return nil
	})
	t.must(err, "concurrent transactions")
	b, err := t.store.GetBudget(t.ctx, "counter")
	t.must(err, "get")
	if want := float64(workers * rounds); b.CurrentUsage != want {
		t.Fatalf("after %d read-modify-write transactions, CurrentUsage is %v, want %v", workers*rounds, b.CurrentUsage, want)
	}
}

func testConcurrentUnique(t *suiteT) {
	var mu sync.Mutex
	created, taken := 0, 0
	err := runWorkers(workers, func(i int) error {
		err := t.store.CreateVirtualKey(t.ctx, &configstore.VirtualKey{ID: "vk-" + strconv.Itoa(i), Name: "contested",
			Value: configstore.NewEnvVar("sk-bf-contested-" + strconv.Itoa(i) + "-0123456789")})
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			created++
		case errors.Is(err, configstore.ErrAlreadyExists):
			taken++
		default:
			return err
		}
		return nil
	})
	t.must(err, "concurrent creates")
	if created != 1 || taken != workers-1 {
		t.Fatalf("%d concurrent creates of one name: %d succeeded, %d failed with ErrAlreadyExists; want 1 and %d", workers, created, taken, workers-1)
	}
	vks, err := t.store.ListVirtualKeys(t.ctx)
	t.must(err, "list")
	if len(vks) != 1 {
		t.Fatalf("list returns %d virtual keys, want 1", len(vks))
	}
}

func testConcurrentRevisions(t *suiteT) {
	const perWorker = 5
	err := runWorkers(workers, func(i int) error {
		for j := range perWorker {
			name := fmt.Sprintf("plugin-%d-%d", i, j)
			err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
				if err := tx.CreatePlugin(t.ctx, &configstore.Plugin{Name: name}); err != nil {
					return err
				}
				return tx.CreateRoutingRule(t.ctx, &configstore.RoutingRule{ID: name, Name: name,
					Targets: []configstore.RoutingTarget{{Weight: 1}}})
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	t.must(err, "concurrent transactions")
	total := int64(workers * perWorker)
	if got := t.revision(); got != total {
		t.Fatalf("store revision after %d committed transactions is %d", total, got)
	}
	cs := t.changesAfter(0)
	if len(cs) != int(2*total) {
		t.Fatalf("change log has %d entries, want %d", len(cs), 2*total)
	}
	// Each revision holds exactly the two entities of one transaction.
	for i := 0; i < len(cs); i += 2 {
		a, b := cs[i], cs[i+1]
		if a.Revision != int64(i/2+1) || b.Revision != a.Revision || a.ID != b.ID || a.Kind == b.Kind {
			t.Fatalf("change log entries %d and %d are %s and %s, want the plugin and routing rule of revision %d",
				i, i+1, formatChange(a), formatChange(b), i/2+1)
		}
	}
}

// readUntil starts readers goroutines, each calling its own read function
// (from newRead) in a loop until done is closed; started is marked done by
// each after its first read. The returned function waits for them and
// returns what they found wrong.
func readUntil(readers int, done <-chan struct{}, started *sync.WaitGroup, newRead func() func() error) func() error {
	errs := make(chan error, readers)
	for range readers {
		read := newRead()
		go func() {
			first := true
			defer func() {
				if first {
					started.Done()
				}
			}()
			for {
				if err := read(); err != nil {
					errs <- err
					return
				}
				if first {
					started.Done()
					first = false
				}
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
			}
		}()
	}
	return func() error {
		var all []error
		for range readers {
			all = append(all, <-errs)
		}
		return errors.Join(all...)
	}
}

// readers is the number of reading goroutines in the concurrent read tests.
const readers = 4

// concurrentReads runs readers while write(i) runs for i = 1..50, then
// fails the test with what the readers or the writer found wrong.
func concurrentReads(t *suiteT, newRead func() func() error, write func(i int) error) {
	t.Helper()
	done := make(chan struct{})
	var started sync.WaitGroup
	started.Add(readers)
	wait := readUntil(readers, done, &started, newRead)
	started.Wait()
	var werr error
	for i := 1; i <= 50 && werr == nil; i++ {
		if err := write(i); err != nil {
			werr = fmt.Errorf("writer step %d: %w", i, err)
		}
	}
	close(done)
	t.must(errors.Join(werr, wait()), "concurrent reads and writes")
}

// testReadersSeeWholeTx: a writer sets two budgets to the same limit in
// each transaction; readers listing them never see them differ, nor go
// back to an older value.
func testReadersSeeWholeTx(t *suiteT) {
	for _, id := range []string{"pair-a", "pair-b"} {
		t.must(t.store.CreateBudget(t.ctx, &configstore.Budget{ID: id, ResetDuration: "1d"}), "create")
	}
	newRead := func() func() error {
		last := 0.0
		return func() error {
			bs, err := t.store.ListBudgets(t.ctx)
			if err != nil {
				return err
			}
			if len(bs) != 2 {
				return fmt.Errorf("a reader saw %d budgets, want 2", len(bs))
			}
			a, b := bs[0].MaxLimit, bs[1].MaxLimit
			if a != b {
				return fmt.Errorf("a reader saw budgets with limits %v and %v: part of a transaction", a, b)
			}
			if a < last {
				return fmt.Errorf("a reader saw limit %v after %v: a read went back in time", a, last)
			}
			last = a
			return nil
		}
	}
	concurrentReads(t, newRead, func(i int) error {
		return t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
			for _, id := range []string{"pair-a", "pair-b"} {
				b, err := tx.GetBudget(t.ctx, id)
				if err != nil {
					return err
				}
				b.MaxLimit = float64(i)
				if err := tx.UpdateBudget(t.ctx, b); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// testReadersSeeWholeVirtualKeys: a writer rewrites a virtual key's
// provider configs (stored as rows of their own) together with its
// description; readers always see them match.
func testReadersSeeWholeVK(t *suiteT) {
	seedWorld(t)
	vkAt := func(i int) *configstore.VirtualKey {
		w := float64(i)
		pcs := []configstore.VirtualKeyProviderConfig{
			{Provider: provOpenAI, Weight: &w, KeyIDs: []string{keyOpenAI1, keyOpenAI2}},
			{Provider: provAnthropic, Weight: &w, KeyIDs: []string{keyAnthropic1}},
		}
		if i%2 == 1 {
			pcs = pcs[:1]
			pcs[0].KeyIDs = []string{keyOpenAI2}
		}
		return &configstore.VirtualKey{ID: "vk-w", Name: "written", Value: configstore.NewEnvVar("sk-bf-written-0123456789"),
			Description: strconv.Itoa(i), ProviderConfigs: pcs}
	}
	t.must(t.store.CreateVirtualKey(t.ctx, vkAt(0)), "create")
	newRead := func() func() error {
		return func() error {
			v, err := t.store.GetVirtualKey(t.ctx, "vk-w")
			if err != nil {
				return err
			}
			i, err := strconv.Atoi(v.Description)
			if err != nil {
				return err
			}
			return matchVK(v, vkAt(i))
		}
	}
	concurrentReads(t, newRead, func(i int) error { return t.store.UpdateVirtualKey(t.ctx, vkAt(i)) })
}

func matchVK(got, want *configstore.VirtualKey) error {
	if d := diff(got.ProviderConfigs, want.ProviderConfigs); len(d) > 0 {
		return fmt.Errorf("a reader saw virtual key description %q with provider configs of another write: %v", got.Description, d)
	}
	return nil
}

// testReadersSeeWholeProvidersConfig: a writer sets a provider's retry
// count and the weights of its keys to the same value in one transaction;
// GetProvidersConfig, which reads providers and keys, always returns them
// equal.
func testReadersSeeWholeProvidersConfig(t *suiteT) {
	seedWorld(t)
	newRead := func() func() error {
		return func() error {
			pcs, err := t.store.GetProvidersConfig(t.ctx)
			if err != nil {
				return err
			}
			pc := pcs[provOpenAI]
			retries := 0
			if pc.NetworkConfig != nil {
				retries = pc.NetworkConfig.MaxRetries
			}
			if len(pc.Keys) != 2 || pc.Keys[0].Weight != float64(retries) || pc.Keys[1].Weight != float64(retries) {
				return fmt.Errorf("a reader saw provider %q with max_retries %d and %d keys of weights %v: part of a transaction",
					provOpenAI, retries, len(pc.Keys), weights(pc.Keys))
			}
			return nil
		}
	}
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error { return setProviderGeneration(t, tx, 0) }), "reset")
	concurrentReads(t, newRead, func(i int) error {
		return t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error { return setProviderGeneration(t, tx, i) })
	})
}

// setProviderGeneration sets provider openai's max_retries and its keys'
// weights to i.
func setProviderGeneration(t *suiteT, tx configstore.ConfigStore, i int) error {
	p, err := tx.GetProvider(t.ctx, provOpenAI)
	if err != nil {
		return err
	}
	p.NetworkConfig = &configstore.NetworkConfig{MaxRetries: i}
	if err := tx.UpdateProvider(t.ctx, p); err != nil {
		return err
	}
	for _, id := range []string{keyOpenAI1, keyOpenAI2} {
		k, err := tx.GetKey(t.ctx, id)
		if err != nil {
			return err
		}
		k.Weight = float64(i)
		if err := tx.UpdateKey(t.ctx, k); err != nil {
			return err
		}
	}
	return nil
}

func weights(keys []configstore.Key) []float64 {
	out := make([]float64, len(keys))
	for i, k := range keys {
		out[i] = k.Weight
	}
	return out
}
