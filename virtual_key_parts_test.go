package configstore_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
)

// partListings is a Backend whose write transactions count the lists of
// each kind they run.
type partListings struct {
	configstore.Backend
	mu    sync.Mutex
	lists map[string]int
}

func (b *partListings) Write(ctx context.Context, fn func(tx configstore.Tx) error) error {
	return b.Backend.Write(ctx, func(tx configstore.Tx) error { return fn(listCounter{tx, b}) })
}

// take returns the counts since the last take.
func (b *partListings) take() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.lists
	b.lists = map[string]int{}
	return n
}

type listCounter struct {
	configstore.Tx
	b *partListings
}

func (c listCounter) List(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	c.b.mu.Lock()
	c.b.lists[kind.Name]++
	c.b.mu.Unlock()
	return c.Tx.List(ctx, kind, q)
}

// TestUpdateComparesPartsDigest: an update of a virtual key that leaves
// its parts as they are reads none of their rows (the stored digest
// matches); one that changes them, or of a key stored without a digest,
// reads and replaces them, and stores the digest of the new rows, not one
// the caller gave.
func TestUpdateComparesPartsDigest(t *testing.T) {
	ctx := context.Background()
	b := &partListings{Backend: memory.New(memory.Options{}), lists: map[string]int{}}
	s := configstore.New(b)
	defer s.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateProvider(ctx, &configstore.Provider{Name: "p"}))
	for _, id := range []string{"k1", "k2"} {
		must(s.CreateKey(ctx, &configstore.Key{ID: id, Provider: "p", Name: id, Value: configstore.NewEnvVar("sk-" + id)}))
	}
	vk := &configstore.VirtualKey{ID: "vk", Name: "vk", Value: configstore.NewEnvVar("sk-vk"),
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "p", KeyIDs: []string{"k1"}}}}
	must(s.CreateVirtualKey(ctx, vk))
	created := vk.PartsDigest
	if created == "" {
		t.Fatal("a created virtual key has no PartsDigest")
	}
	b.take()

	vk.Description, vk.PartsDigest = "renamed", "from the caller"
	must(s.UpdateVirtualKey(ctx, vk))
	if n := b.take()["virtual_key_provider_config"]; n != 0 || vk.PartsDigest != created {
		t.Fatalf("update of the description: %d lists of provider configs, digest %q; want 0 and %q", n, vk.PartsDigest, created)
	}

	vk.ProviderConfigs[0].KeyIDs = []string{"k2"}
	must(s.UpdateVirtualKey(ctx, vk))
	if n := b.take()["virtual_key_provider_config"]; n == 0 || vk.PartsDigest == created {
		t.Fatalf("update of the key list: %d lists of provider configs, digest %q; want some and a new one", n, vk.PartsDigest)
	}
	wantKeys(t, s, []string{"k2"})

	// A key stored before the digest was kept: its parts are read.
	kind, _ := configstore.KindByName("virtual_key")
	must(b.Backend.Write(ctx, func(tx configstore.Tx) error {
		rec, err := tx.Get(ctx, kind, "vk")
		if err != nil {
			return err
		}
		rec["parts_digest"] = nil
		return tx.Update(ctx, kind, rec, rec["revision"].(int64))
	}))
	stale, err := s.GetVirtualKey(ctx, "vk")
	must(err)
	stale.ProviderConfigs[0].KeyIDs = []string{"k1", "k2"}
	must(s.UpdateVirtualKey(ctx, stale))
	if n := b.take()["virtual_key_provider_config"]; n == 0 || stale.PartsDigest == "" {
		t.Fatalf("update of a key without a digest: %d lists of provider configs, digest %q; want some and a digest", n, stale.PartsDigest)
	}
	wantKeys(t, s, []string{"k1", "k2"})
}

// wantKeys fails t unless virtual key "vk" lists keys in its one
// provider config.
func wantKeys(t *testing.T, s configstore.ConfigStore, keys []string) {
	t.Helper()
	got, err := s.GetVirtualKey(context.Background(), "vk")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ProviderConfigs) != 1 || !slices.Equal(got.ProviderConfigs[0].KeyIDs, keys) {
		t.Fatalf("stored provider configs %+v, want one with keys %v", got.ProviderConfigs, keys)
	}
}
