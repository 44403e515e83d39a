package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestHeldWriteSharesARoundTripWithAFailure: a held Update of rate limit
// "a" goes with the Insert of "b" whose key is taken; the round trip
// fails, both are undone and sent apart, and the error is the Insert's.
func TestHeldWriteSharesARoundTripWithAFailure(t *testing.T) {
	b, _ := openRecorded(t)
	ctx := context.Background()
	rl := backendtest.Kind(t, "rate_limit")
	if err := b.Write(ctx, func(tx configstore.Tx) error {
		return tx.Insert(ctx, rl, backendtest.Record(t, rl, "a", nil), backendtest.Record(t, rl, "b", nil))
	}); err != nil {
		t.Fatal(err)
	}
	err := b.Write(ctx, func(tx configstore.Tx) error {
		tx.(configstore.Pipeliner).Pipeline()
		if _, err := tx.Get(ctx, rl, "a"); err != nil {
			return err
		}
		if err := tx.Update(ctx, rl, backendtest.Record(t, rl, "a", map[string]any{"revision": int64(2)}), 1); err != nil {
			return err
		}
		return tx.Insert(ctx, rl, backendtest.Record(t, rl, "b", nil)) // "b" is taken
	})
	if !errors.Is(err, configstore.ErrAlreadyExists) || !strings.Contains(err.Error(), `insert rate_limit "b"`) {
		t.Fatalf("got %v; want the insert of \"b\" named", err)
	}
}

// TestHeldWriteFailsAlone: a rename of a virtual key to a taken name that
// also changes its provider configs: the held UPDATE goes on its own, under
// a savepoint, before Delete's SELECT (which opens none), and its failure
// is reported as the rename's, naming the constraint, as without
// pipelining. (Without a change of parts it shares the revision's round
// trip: see TestVirtualKeyUpdateRoundTrips.)
func TestHeldWriteFailsAlone(t *testing.T) {
	b, _ := openRecorded(t)
	ctx := context.Background()
	store := configstore.New(b)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(store.CreateProvider(ctx, &configstore.Provider{Name: "p"}))
	must(store.CreateKey(ctx, &configstore.Key{ID: "k", Provider: "p", Name: "k", Value: configstore.NewEnvVar("sk-k")}))
	must(store.CreateKey(ctx, &configstore.Key{ID: "k2", Provider: "p", Name: "k2", Value: configstore.NewEnvVar("sk-k2")}))
	must(store.CreateVirtualKey(ctx, &configstore.VirtualKey{ID: "vk", Name: "vk", Value: configstore.NewEnvVar("sk-vk")}))
	other := &configstore.VirtualKey{ID: "other", Name: "other", Value: configstore.NewEnvVar("sk-other"),
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "p", KeyIDs: []string{"k"}}}}
	must(store.CreateVirtualKey(ctx, other))
	other.Name = "vk"
	other.ProviderConfigs[0].KeyIDs = []string{"k", "k2"}
	err := store.UpdateVirtualKey(ctx, other)
	if !errors.Is(err, configstore.ErrAlreadyExists) || !strings.Contains(err.Error(), "unique (name)") {
		t.Fatalf("got %v; want ErrAlreadyExists naming unique (name)", err)
	}
}
