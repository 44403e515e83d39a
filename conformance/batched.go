package conformance

import (
	"errors"
	"fmt"
	"math"
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
		test{"ManyRowsRoundTrip", batched(testBatchedManyRows)},
		test{"DuplicateAmongManyRows", batched(testBatchedManyRowsDuplicate)},
		test{"DanglingReferenceAmongManyRows", batched(testBatchedManyRowsDangling)},
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

// manyRows is how many records the many-row tests send in one flush:
// more than a backend may send one at a time (the SQL backends switch to
// a bulk path, COPY on PostgreSQL, from 64 rows).
const manyRows = 150

// manyKeys returns manyRows keys of provider p whose values exercise every
// column type: text holding the characters bulk formats escape (tab,
// newline, carriage return, backslash, a literal \N), quotes and
// non-ASCII text; floats at the edges of their range; nil and set
// booleans; lists and maps (JSON).
func manyKeys() []*configstore.Key {
	texts := []string{"plain", "tab\there", "line\nbreak\r\n", `back\slash`, `\N`, `"quoted" 'x'`, "日本語 ✓", " lead and trail "}
	floats := []float64{0, 1, 0.1, 2.5, 1e-300, 1e300, math.MaxFloat64, math.SmallestNonzeroFloat64}
	keys := make([]*configstore.Key, manyRows)
	for i := range keys {
		text := texts[i%len(texts)]
		k := &configstore.Key{ID: fmt.Sprintf("k-%03d", i), Provider: "p", Name: fmt.Sprintf("%s %03d", text, i),
			Value: configstore.NewEnvVar("sk-" + text), Weight: floats[i%len(floats)], UseForBatchAPI: i%2 == 0,
			Models: []string{text, "m"}, Aliases: map[string]string{text: "alias\t" + text}}
		if i%3 != 0 {
			enabled := i%3 == 1
			k.Enabled = &enabled
		}
		keys[i] = k
	}
	return keys
}

// testBatchedManyRows: many keys created in one batched transaction are
// stored exactly as given, every value of every column type.
func testBatchedManyRows(t *suiteT) {
	keys := manyKeys()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.CreateKey(t.ctx, k); err != nil {
				return err
			}
		}
		return nil
	}), "a batched transaction creating %d keys", len(keys))
	for _, want := range manyKeys() {
		got, err := t.store.GetKey(t.ctx, want.ID)
		t.must(err, "get key %s", want.ID)
		copyServerFields(want, got)
		t.equal(got, want, "key %s read back", want.ID)
	}
}

// testBatchedManyRowsDuplicate: a duplicate name among many keys sent in
// one flush fails the transaction naming that key, and stores none of
// them.
func testBatchedManyRowsDuplicate(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "create provider")
	keys := manyKeys()
	dup := keys[manyRows*2/3]
	dup.Name = keys[manyRows/3].Name
	before := t.revision()
	err := t.createKeys(keys)
	t.wantErr(err, configstore.ErrAlreadyExists, "%d batched keys, one a duplicate", len(keys))
	if !strings.Contains(err.Error(), fmt.Sprintf("%q", dup.ID)) && !strings.Contains(err.Error(), fmt.Sprintf("%q", keys[manyRows/3].ID)) {
		t.Errorf("the error names neither key of the duplicate pair (%s, %s): %v", keys[manyRows/3].ID, dup.ID, err)
	}
	t.wantNoChange(before, "a batched transaction with a duplicate among many rows")
}

// testBatchedManyRowsDangling: a key of a provider that does not exist,
// among many sent in one flush, fails the transaction with
// ErrInvalidReference naming the key, and stores none of them.
func testBatchedManyRowsDangling(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "create provider")
	keys := manyKeys()
	dangling := keys[manyRows/2]
	dangling.Provider = "missing"
	before := t.revision()
	err := t.createKeys(keys)
	t.wantErr(err, configstore.ErrInvalidReference, "%d batched keys, one of a missing provider", len(keys))
	if !strings.Contains(err.Error(), fmt.Sprintf("%q", dangling.ID)) && !strings.Contains(err.Error(), "missing") {
		t.Errorf("the error names neither the key %s nor its provider: %v", dangling.ID, err)
	}
	t.wantNoChange(before, "a batched transaction with a dangling reference among many rows")
}

// createKeys creates keys in one transaction.
func (t *suiteT) createKeys(keys []*configstore.Key) error {
	return t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		for _, k := range keys {
			if err := tx.CreateKey(t.ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
}
