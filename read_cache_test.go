package configstore_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
	"github.com/gatewaykit/configstore/backends/sqlite"
	"github.com/gatewaykit/configstore/internal/waitctx"
)

// countedLists is a Backend whose snapshot reads count their List calls
// (a hit of the read cache makes none, a miss lists the entity) and still
// say what the cache needs: their versions (configstore.SnapshotVersions)
// where they have them, and whether the database is in process.
type countedLists struct {
	configstore.Backend
	lists atomic.Int64
}

func (b *countedLists) Read(ctx context.Context, fn func(r configstore.Reader) error) error {
	return b.Backend.Read(ctx, func(r configstore.Reader) error {
		c := countedReader{r, b}
		if sv, ok := r.(configstore.SnapshotVersions); ok {
			return fn(versionedReader{c, sv})
		}
		return fn(c)
	})
}

func (b *countedLists) InProcess() bool {
	ip, ok := b.Backend.(configstore.InProcess)
	return ok && ip.InProcess()
}

// take returns the lists since the last take.
func (b *countedLists) take() int64 { return b.lists.Swap(0) }

type countedReader struct {
	configstore.Reader
	b *countedLists
}

func (r countedReader) List(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	r.b.lists.Add(1)
	return r.Reader.List(ctx, kind, q)
}

type versionedReader struct {
	countedReader
	configstore.SnapshotVersions
}

// cacheBackends open, for each backend whose stores keep a read cache, a
// backend and a second one on the same data (for memory the same; for
// SQLite another on the same file, as another process would).
var cacheBackends = map[string]func(t *testing.T) (configstore.Backend, configstore.Backend){
	"memory": func(t *testing.T) (configstore.Backend, configstore.Backend) {
		b := memory.New(memory.Options{})
		return b, b
	},
	"sqlite": func(t *testing.T) (configstore.Backend, configstore.Backend) {
		path := filepath.Join(t.TempDir(), "config.db")
		open := func() configstore.Backend {
			b, err := sqlite.Open(context.Background(), sqlite.Config{Path: path},
				configstore.OpenOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		return open(), open()
	},
}

// cacheFixture is a store with two virtual keys, one with an MCP config,
// and a second store on the same data.
type cacheFixture struct {
	b      *countedLists
	s      configstore.ConfigStore
	other  configstore.ConfigStore // writes the first store never sees
	values map[string]string       // virtual key id -> value, as last written
}

func newCacheFixture(t *testing.T, open func(t *testing.T) (configstore.Backend, configstore.Backend)) *cacheFixture {
	t.Helper()
	ctx := context.Background()
	first, second := open(t)
	b := &countedLists{Backend: first}
	f := &cacheFixture{b: b, s: configstore.New(b), other: configstore.New(second), values: map[string]string{}}
	t.Cleanup(func() {
		_ = f.s.Close()
		_ = f.other.Close()
	})
	must(t, f.s.CreateProvider(ctx, &configstore.Provider{Name: "p"}))
	for _, id := range []string{"k1", "k2"} {
		must(t, f.s.CreateKey(ctx, &configstore.Key{ID: id, Provider: "p", Name: id, Value: configstore.NewEnvVar("sk-" + id)}))
	}
	must(t, f.s.CreateMCPClient(ctx, &configstore.MCPClient{ClientID: "c1", Name: "tools", ConnectionType: "http",
		ConnectionString: configstore.NewEnvVar("http://tools")}))
	weight := 0.5
	f.create(t, f.s, &configstore.VirtualKey{ID: "vk1", Name: "one", Value: configstore.NewEnvVar("sk-vk1"),
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "p", Weight: &weight, KeyIDs: []string{"k1"}}},
		MCPConfigs:      []configstore.VirtualKeyMCPConfig{{MCPClientName: "tools", ToolsToExecute: []string{"search"}}}})
	f.create(t, f.s, &configstore.VirtualKey{ID: "vk2", Name: "two", Value: configstore.NewEnvVar("sk-vk2")})
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *cacheFixture) create(t *testing.T, s configstore.ConfigStore, vk *configstore.VirtualKey) {
	t.Helper()
	must(t, s.CreateVirtualKey(context.Background(), vk))
	f.values[vk.ID] = vk.Value.Stored()
}

// update applies change to the stored virtual key id through s.
func (f *cacheFixture) update(t *testing.T, s configstore.ConfigStore, id string, change func(vk *configstore.VirtualKey)) {
	t.Helper()
	ctx := context.Background()
	vk, err := s.GetVirtualKey(ctx, id)
	must(t, err)
	change(vk)
	must(t, s.UpdateVirtualKey(ctx, vk))
	f.values[id] = vk.Value.Stored()
}

// check fails t unless the store's reads of both virtual keys, by id and
// by value, return what reads in a transaction (never cached) return.
func (f *cacheFixture) check(t *testing.T, step string) {
	t.Helper()
	ctx := context.Background()
	for _, id := range []string{"vk1", "vk2"} {
		var want *configstore.VirtualKey
		var wantErr error
		must(t, f.s.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
			want, wantErr = tx.GetVirtualKey(ctx, id)
			return nil
		}))
		got, err := f.s.GetVirtualKey(ctx, id)
		if !errors.Is(err, configstore.ErrNotFound) || !errors.Is(wantErr, configstore.ErrNotFound) {
			if err != nil || wantErr != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: GetVirtualKey(%s) = %+v, %v; a transaction reads %+v, %v", step, id, got, err, want, wantErr)
			}
		}
		byValue, err := f.s.GetVirtualKeyByValue(ctx, f.values[id])
		if wantErr != nil {
			if !errors.Is(err, configstore.ErrNotFound) {
				t.Fatalf("%s: GetVirtualKeyByValue of deleted %s = %+v, %v; want ErrNotFound", step, id, byValue, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(byValue, want) {
			t.Fatalf("%s: GetVirtualKeyByValue of %s = %+v, %v; a transaction reads %+v", step, id, byValue, err, want)
		}
	}
}

// forEachCacheBackend runs test on a new fixture of each backend whose
// stores keep a read cache.
func forEachCacheBackend(t *testing.T, test func(t *testing.T, name string, f *cacheFixture)) {
	for name, open := range cacheBackends {
		t.Run(name, func(t *testing.T) { test(t, name, newCacheFixture(t, open)) })
	}
}

// TestReadCacheFollowsWrites: on the backends whose stores keep a read
// cache, reads by id and by value return what a transaction reads after
// every kind of write: of the entity, of its parts only, of an MCP client
// its parts name, through another store on the same data, a delete, and a
// new entity under a deleted one's id; on memory, whose rows have
// versions, also a write straight to the backend.
func TestReadCacheFollowsWrites(t *testing.T) {
	forEachCacheBackend(t, func(t *testing.T, name string, f *cacheFixture) {
		ctx := context.Background()
		f.check(t, "created")
		f.update(t, f.s, "vk1", func(vk *configstore.VirtualKey) { vk.Description = "described" })
		f.check(t, "description updated")
		f.update(t, f.s, "vk1", func(vk *configstore.VirtualKey) { vk.ProviderConfigs[0].KeyIDs = []string{"k1", "k2"} })
		f.check(t, "key list updated")
		f.update(t, f.other, "vk2", func(vk *configstore.VirtualKey) { vk.Value = configstore.NewEnvVar("sk-vk2-new") })
		f.check(t, "value updated by another store")
		if _, err := f.s.GetVirtualKeyByValue(ctx, "sk-vk2"); !errors.Is(err, configstore.ErrNotFound) {
			t.Fatalf("GetVirtualKeyByValue of the replaced value: %v, want ErrNotFound", err)
		}
		client, err := f.other.GetMCPClient(ctx, "c1")
		must(t, err)
		client.Name = "renamed tools"
		must(t, f.other.UpdateMCPClient(ctx, client))
		f.check(t, "MCP client renamed")
		if vk, err := f.s.GetVirtualKey(ctx, "vk1"); err != nil || vk.MCPConfigs[0].MCPClientName != "renamed tools" {
			t.Fatalf("after the rename: %+v, %v", vk, err)
		}
		if name == "memory" {
			kind, _ := configstore.KindByName("virtual_key")
			must(t, f.b.Write(ctx, func(tx configstore.Tx) error {
				rec, err := tx.Get(ctx, kind, "vk1")
				if err != nil {
					return err
				}
				rec["name"] = "written to the backend"
				return tx.Update(ctx, kind, rec, rec["revision"].(int64))
			}))
			f.check(t, "written to the backend")
		}
		must(t, f.s.DeleteVirtualKey(ctx, "vk2"))
		f.check(t, "deleted")
		f.create(t, f.other, &configstore.VirtualKey{ID: "vk2", Name: "two again", Value: configstore.NewEnvVar("sk-vk2-again"),
			ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "p", KeyIDs: []string{configstore.AllKeys}}}})
		f.check(t, "created again by another store")
	})
}

// TestReadCacheServesUnchangedEntities: once a kind is loaded, a read of
// an entity no one wrote since lists nothing on the backend; one another
// store wrote since is read again.
func TestReadCacheServesUnchangedEntities(t *testing.T) {
	forEachCacheBackend(t, func(t *testing.T, _ string, f *cacheFixture) {
		ctx := context.Background()
		_, err := f.s.GetVirtualKey(ctx, "vk1")
		must(t, err)
		f.b.take()
		for _, read := range []func() error{
			func() error { _, err := f.s.GetVirtualKey(ctx, "vk1"); return err },
			func() error { _, err := f.s.GetVirtualKeyByValue(ctx, "sk-vk2"); return err },
		} {
			must(t, read())
			if n := f.b.take(); n != 0 {
				t.Fatalf("a read of an unchanged virtual key made %d lists, want 0", n)
			}
		}
		f.update(t, f.other, "vk1", func(vk *configstore.VirtualKey) { vk.Description = "changed" })
		f.b.take()
		vk, err := f.s.GetVirtualKey(ctx, "vk1")
		must(t, err)
		if n := f.b.take(); n == 0 || vk.Description != "changed" {
			t.Fatalf("a read of a changed virtual key made %d lists and read %q; want some and the change", n, vk.Description)
		}
	})
}

// TestReadCacheHandsOutCopies: changing what a read returned, down to its
// slices and pointers, changes nothing the next read returns.
func TestReadCacheHandsOutCopies(t *testing.T) {
	forEachCacheBackend(t, func(t *testing.T, _ string, f *cacheFixture) {
		ctx := context.Background()
		first, err := f.s.GetVirtualKey(ctx, "vk1")
		must(t, err)
		var want *configstore.VirtualKey
		must(t, f.s.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
			want, err = tx.GetVirtualKey(ctx, "vk1") // not cached
			return err
		}))
		first.Name = "changed"
		first.ProviderConfigs[0].KeyIDs[0] = "changed"
		*first.ProviderConfigs[0].Weight = 2
		first.MCPConfigs[0].ToolsToExecute[0] = "changed"
		first.ProviderConfigs = append(first.ProviderConfigs[:1], configstore.VirtualKeyProviderConfig{Provider: "q"})
		got, err := f.s.GetVirtualKey(ctx, "vk1")
		must(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after changing an earlier read: %+v, want %+v", got, want)
		}
	})
}

// TestReadCacheReadsPastABadEntity: an entity that does not decode fails
// its own reads, not the reads of the other entities of its kind (the
// first read of a kind reads every entity).
func TestReadCacheReadsPastABadEntity(t *testing.T) {
	forEachCacheBackend(t, func(t *testing.T, _ string, f *cacheFixture) {
		ctx := context.Background()
		kind, _ := configstore.KindByName("virtual_key_provider_config")
		must(t, f.b.Write(ctx, func(tx configstore.Tx) error {
			recs, err := tx.List(ctx, kind, configstore.Query{Where: []configstore.Condition{configstore.Eq("virtual_key_id", "vk1")}})
			if err != nil {
				return err
			}
			recs[0]["allowed_models"] = `[1]`
			if err := tx.Delete(ctx, kind, recs[0]["id"].(string)); err != nil {
				return err
			}
			return tx.Insert(ctx, kind, recs[0])
		}))
		for _, read := range []func() error{ // the first read of the kind among them
			func() error { _, err := f.s.GetVirtualKey(ctx, "vk2"); return err },
			func() error { _, err := f.s.GetVirtualKeyByValue(ctx, "sk-vk2"); return err },
		} {
			if err := read(); err != nil {
				t.Fatalf("a read of the good key beside it: %v", err)
			}
		}
		if vk, err := f.s.GetVirtualKey(ctx, "vk1"); err == nil {
			t.Fatalf("GetVirtualKey of the key with a bad provider config succeeded: %+v", vk)
		}
	})
}

// TestReadCacheForgets: the cache keeps no entity that was deleted, drops
// its entries without reading the whole kind again when a kind its parts
// name is written, and keeps nothing once the store is closed.
func TestReadCacheForgets(t *testing.T) {
	forEachCacheBackend(t, func(t *testing.T, _ string, f *cacheFixture) {
		ctx := context.Background()
		_, err := f.s.GetVirtualKeyByValue(ctx, "sk-vk2")
		must(t, err)
		if n := configstore.CachedEntries(f.s, "virtual_key"); n != 2 {
			t.Fatalf("after the first read: %d entries, want both keys", n)
		}
		must(t, f.other.DeleteVirtualKey(ctx, "vk2"))
		if _, err := f.s.GetVirtualKeyByValue(ctx, "sk-vk2"); !errors.Is(err, configstore.ErrNotFound) {
			t.Fatalf("GetVirtualKeyByValue of the deleted key: %v, want ErrNotFound", err)
		}
		if n := configstore.CachedEntries(f.s, "virtual_key"); n != 1 {
			t.Fatalf("after the delete: %d entries, want 1", n)
		}
		client, err := f.other.GetMCPClient(ctx, "c1")
		must(t, err)
		client.ConnectionType = "sse"
		must(t, f.other.UpdateMCPClient(ctx, client))
		f.create(t, f.other, &configstore.VirtualKey{ID: "vk3", Name: "three", Value: configstore.NewEnvVar("sk-vk3")})
		_, err = f.s.GetVirtualKey(ctx, "vk3")
		must(t, err)
		if n := configstore.CachedEntries(f.s, "virtual_key"); n != 1 {
			t.Fatalf("after an MCP client's write and one read: %d entries, want only the one read", n)
		}
		must(t, f.s.Close())
		if n := configstore.CachedEntries(f.s, "virtual_key"); n != 0 {
			t.Fatalf("after Close: %d entries, want 0", n)
		}
	})
}

// TestReadCacheWaitEndsWithContext: a read waiting for its kind's cache
// (another read holds it, loading the kind, say) gives up when its
// context ends.
func TestReadCacheWaitEndsWithContext(t *testing.T) {
	f := newCacheFixture(t, cacheBackends["memory"])
	_, err := f.s.GetVirtualKey(context.Background(), "vk1")
	must(t, err)
	release := configstore.HoldCacheTurn(f.s, "virtual_key")
	defer release()
	parent, cancel := context.WithCancel(context.Background())
	ctx := waitctx.New(parent)
	done := make(chan error)
	go func() {
		_, err := f.s.GetVirtualKey(ctx, "vk1")
		done <- err
	}()
	<-ctx.Waiting() // the read waits for the turn (the memory read before it asks only Err)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("a read waiting for the cache, its context canceled: %v, want context.Canceled", err)
	}
}
