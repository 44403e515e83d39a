package conformance

import (
	"context"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

// Run runs the conformance suite against the harness's backend. Every
// subtest gets a fresh, empty store, configstore.New(h.Open(t)), closed when
// the subtest ends. Subtests are grouped by entity kind ("VirtualKey",
// "Provider", ...) and by cross-cutting behaviour ("Transaction",
// "Concurrency", "ChangeLog", "Context") and named by the behaviour they
// prove ("VirtualKey/DuplicateName", "Transaction/PanicRollsBack"), so
// `go test -run 'Conformance/VirtualKey/'` selects a part of the suite.
//
// Subtests run one after the other: a backend needs no support for
// several open stores at a time (although Open is called once per
// subtest).
//
// A Harness.Skip entry naming a group or a subtest skips it with the given
// reason; an entry that names nothing is reported as an error, so a stale
// skip list does not silently hide tests.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.Open == nil {
		t.Fatal("conformance.Run: Harness.Open is nil")
	}
	gs := groups()
	checkSkips(t, h.Skip, gs)
	for _, g := range gs {
		t.Run(g.name, func(t *testing.T) {
			if reason, ok := h.skipReason(g.name); ok {
				t.Skip(reason)
			}
			if g.name == "SharedStorage" && h.Reopen == nil {
				t.Skip("Harness.Reopen is not set: the backend's storage cannot be opened twice")
			}
			for _, tc := range g.tests {
				name := g.name + "/" + tc.name
				t.Run(tc.name, func(t *testing.T) {
					if reason, ok := h.skipReason(name); ok {
						t.Skip(reason)
					}
					tc.run(newSuiteT(t, h))
				})
			}
		})
	}
}

// suiteT is what a subtest works with: its testing.T, a context that ends
// with the subtest, and a fresh store over a new backend.
type suiteT struct {
	*testing.T
	ctx     context.Context
	store   configstore.ConfigStore
	h       Harness
	backend configstore.Backend // the store's backend
	closed  bool                // the store was closed by the test
}

func newSuiteT(t *testing.T, h Harness) *suiteT {
	backend := h.Open(t)
	if backend == nil {
		t.Fatal("Harness.Open returned a nil backend")
	}
	st := &suiteT{T: t, ctx: t.Context(), store: configstore.New(backend), h: h, backend: backend}
	t.Cleanup(func() {
		if st.closed {
			return
		}
		if err := st.store.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	return st
}

// closeStore closes the subtest's store before the subtest ends.
func (t *suiteT) closeStore() {
	t.Helper()
	t.closed = true
	t.must(t.store.Close(), "close the store")
}

// reopen returns a second store on the storage of the subtest's store,
// closed when the subtest ends.
func (t *suiteT) reopen() configstore.ConfigStore {
	t.Helper()
	b := t.h.Reopen(t.T, t.backend)
	if b == nil {
		t.Fatal("Harness.Reopen returned a nil backend")
	}
	s := configstore.New(b)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing the second store: %v", err)
		}
	})
	return s
}

// test is one subtest of a group.
type test struct {
	name string
	run  func(t *suiteT)
}

// group is a top-level subtest: an entity kind or a cross-cutting behaviour.
type group struct {
	name  string
	tests []test
}

// groups lists the whole suite, in the order it runs.
func groups() []group {
	return []group{
		{"Provider", providerTests()},
		{"Key", keyTests()},
		{"VirtualKey", virtualKeyTests()},
		{"Budget", budgetTests()},
		{"RateLimit", rateLimitTests()},
		{"Customer", customerTests()},
		{"Team", teamTests()},
		{"Plugin", pluginTests()},
		{"MCPClient", mcpClientTests()},
		{"RoutingRule", routingRuleTests()},
		{"ModelConfig", modelConfigTests()},
		{"ModelPricing", modelPricingTests()},
		{"ClientConfig", clientConfigTests()},
		{"VectorStoreConfig", vectorStoreConfigTests()},
		{"LogStoreConfig", logStoreConfigTests()},
		{"AuthConfig", authConfigTests()},
		{"Transaction", transactionTests()},
		{"BatchedInserts", batchedTests()},
		{"Concurrency", concurrencyTests()},
		{"ChangeLog", changeLogTests()},
		{"ReconcileMark", reconcileMarkTests()},
		{"Context", contextTests()},
		{"SharedStorage", sharedStorageTests()},
	}
}

// skipReason reports whether the subtest or group named name (or a group
// or subtest it belongs to, for names with several "/" segments) is listed
// in h.Skip.
func (h Harness) skipReason(name string) (string, bool) {
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			continue
		}
		if reason, ok := h.Skip[name[:i]]; ok {
			return reason, true
		}
	}
	return "", false
}

// checkSkips reports Skip entries that name no group or subtest.
func checkSkips(t *testing.T, skip map[string]string, gs []group) {
	t.Helper()
	for name := range skip {
		found := false
		for _, g := range gs {
			if name == g.name {
				found = true
			}
			for _, tc := range g.tests {
				full := g.name + "/" + tc.name
				if full == name || strings.HasPrefix(full, name+"/") {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("Harness.Skip names %q, which is neither a group nor a subtest of the suite", name)
		}
	}
}
