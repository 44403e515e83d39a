package conformance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

// batchedTests runs the transaction tests again with every transaction's
// inserts batched (configstore.WithBatchedInserts), as a config.json apply
// runs, plus the behaviours batching changes. The one transaction test
// left out is HandledErrorInsideDoesNotAbort: in a batched transaction a
// duplicate shows at the flush, not at the create (see
// DuplicateFailsAtTheFlush).
func batchedTests() []test {
	var tests []test
	for _, tc := range transactionTests() {
		if tc.name == "HandledErrorInsideDoesNotAbort" {
			continue
		}
		tests = append(tests, test{tc.name, batched(tc.run)})
	}
	return append(tests,
		test{"DuplicateFailsAtTheFlush", batched(testBatchedDuplicate)},
		test{"InterleavedKindsKeepTheirOrder", batched(testBatchedInterleaved)},
	)
}

// batched runs fn with batched inserts in the test's context.
func batched(fn func(t *suiteT)) func(t *suiteT) {
	return func(t *suiteT) {
		t.ctx = configstore.WithBatchedInserts(t.ctx)
		fn(t)
	}
}

// testBatchedDuplicate: a create that takes a stored key's unique name is
// accepted by the call (only the database checks uniqueness) and fails
// the transaction when its insert is sent, naming the record; nothing of
// the transaction is stored, and the transaction's later calls fail too.
func testBatchedDuplicate(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "create provider")
	t.must(t.store.CreateKey(t.ctx, &configstore.Key{ID: "k1", Provider: "p", Name: "taken"}), "create key")
	before := t.revision()
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreatePlugin(t.ctx, &configstore.Plugin{Name: "before-dup"}); err != nil {
			return err
		}
		if err := tx.CreateKey(t.ctx, &configstore.Key{ID: "k2", Provider: "p", Name: "taken"}); err != nil {
			return err // a backend may refuse it at once; the outcome is the same
		}
		_, err := tx.GetKey(t.ctx, "k1") // flushes the batched inserts
		if !errors.Is(err, configstore.ErrAlreadyExists) {
			return fmt.Errorf("a read after a batched duplicate: got %v, want ErrAlreadyExists", err)
		}
		if err := tx.CreatePlugin(t.ctx, &configstore.Plugin{Name: "after-dup"}); err == nil {
			return errors.New("a create after a failed flush succeeded; the transaction must only roll back")
		}
		return err
	})
	t.wantErr(err, configstore.ErrAlreadyExists, "a batched transaction with a duplicate")
	if !strings.Contains(err.Error(), `"k2"`) {
		t.Errorf("the error does not name the duplicate key k2: %v", err)
	}
	t.wantNoChange(before, "a batched transaction that failed")
	for _, name := range []string{"before-dup", "after-dup"} {
		_, err := t.store.GetPlugin(t.ctx, name)
		t.wantErr(err, configstore.ErrNotFound, "plugin %q of the failed transaction", name)
	}
}

// testBatchedInterleaved: entities created one at a time, each between
// the rows it refers to and the rows that refer to it (a rate limit, then
// a virtual key with provider configs using it, then the budget the
// virtual key owns), are all stored, with their parts.
func testBatchedInterleaved(t *suiteT) {
	const n = 30
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}); err != nil {
			return err
		}
		if err := tx.CreateKey(t.ctx, &configstore.Key{ID: "k", Provider: "p", Name: "k"}); err != nil {
			return err
		}
		for i := range n {
			rl := fmt.Sprintf("rl-%d", i)
			vk := fmt.Sprintf("vk-%d", i)
			if err := tx.CreateRateLimit(t.ctx, &configstore.RateLimit{ID: rl}); err != nil {
				return err
			}
			if err := tx.CreateVirtualKey(t.ctx, &configstore.VirtualKey{ID: vk, Name: vk, RateLimitID: rl,
				Value:           configstore.NewEnvVar(fmt.Sprintf("sk-bf-batched-%04d", i)),
				ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "p", KeyIDs: []string{"k"}, RateLimitID: rl}}}); err != nil {
				return err
			}
			if err := tx.CreateBudget(t.ctx, &configstore.Budget{ID: "b-" + vk, ResetDuration: "1d", VirtualKeyID: vk}); err != nil {
				return err
			}
		}
		return nil
	}), "a batched transaction creating interleaved kinds")
	vks, err := t.store.ListVirtualKeys(t.ctx)
	t.must(err, "list virtual keys")
	if len(vks) != n {
		t.Fatalf("%d virtual keys stored, want %d", len(vks), n)
	}
	for _, vk := range vks {
		if len(vk.ProviderConfigs) != 1 || vk.ProviderConfigs[0].RateLimitID != vk.RateLimitID {
			t.Errorf("virtual key %s has provider configs %+v", vk.ID, vk.ProviderConfigs)
		}
		b, err := t.store.GetBudget(t.ctx, "b-"+vk.ID)
		t.must(err, "get the budget of %s", vk.ID)
		t.equal(b.VirtualKeyID, vk.ID, "the owner of budget b-%s", vk.ID)
	}
	changes := t.changesAfter(0)
	if len(changes) != 2+3*n {
		t.Errorf("%d change-log entries, want %d", len(changes), 2+3*n)
	}
}
