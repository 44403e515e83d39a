package memory_test

import (
	"context"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
)

// del deletes keys of k in its own transaction.
func del(b configstore.Backend, k *configstore.Kind, keys ...string) error {
	return b.Write(context.Background(), func(tx configstore.Tx) error {
		return tx.Delete(context.Background(), k, keys...)
	})
}

func TestDeleteMissingKey(t *testing.T) {
	b := newBackend()
	rl := kind(t, "rate_limit")
	insert(t, b, rl, record(t, rl, "rl-1", nil))
	wantErr(t, del(b, rl, "nope"), configstore.ErrNotFound)
	// Several keys: all or nothing.
	wantErr(t, del(b, rl, "rl-1", "nope"), configstore.ErrNotFound)
	if get(t, b, rl, "rl-1") == nil {
		t.Fatal("a failed multi-key Delete removed an existing key")
	}
	if err := del(b, rl, "rl-1", "rl-1"); err != nil {
		t.Fatalf("Delete naming a key twice: %v", err)
	}
	if get(t, b, rl, "rl-1") != nil {
		t.Fatal("Delete left the row")
	}
}

// TestDeleteCascadeThroughCycle: a team and the budget it owns refer to
// each other (team.budget_id Restrict, budget.team_id Cascade). Deleting the
// team deletes the budget, and the budget's Restrict referrer (the team) is
// inside the closure, so it does not block.
func TestDeleteCascadeThroughCycle(t *testing.T) {
	b := newBackend()
	team, budget := kind(t, "team"), kind(t, "budget")
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Insert(ctx, team, record(t, team, "t", map[string]any{"name": "team"})); err != nil {
			return err
		}
		if err := tx.Insert(ctx, budget, record(t, budget, "bt", map[string]any{"team_id": "t"})); err != nil {
			return err
		}
		return tx.Update(ctx, team, record(t, team, "t", map[string]any{"name": "team", "budget_id": "bt"}), 1)
	})
	// The budget alone cannot go: the team outside its closure refers to it.
	wantErr(t, del(b, budget, "bt"), configstore.ErrReferenced)
	if get(t, b, budget, "bt") == nil {
		t.Fatal("a refused Delete removed the row")
	}
	if err := del(b, team, "t"); err != nil {
		t.Fatalf("Delete team: %v", err)
	}
	if get(t, b, team, "t") != nil || get(t, b, budget, "bt") != nil {
		t.Fatal("the team or its budget survived the cascade")
	}
}

// TestDeleteRestrictOutsideClosure: a virtual key refers to the team
// (Restrict), so deleting the team fails and nothing changes, not even the
// budget the cascade would have removed.
func TestDeleteRestrictOutsideClosure(t *testing.T) {
	b := newBackend()
	team, budget, vk := kind(t, "team"), kind(t, "budget"), kind(t, "virtual_key")
	insert(t, b, team, record(t, team, "t", map[string]any{"name": "team"}))
	insert(t, b, budget, record(t, budget, "bt", map[string]any{"team_id": "t"}))
	insert(t, b, vk, record(t, vk, "vk", map[string]any{"name": "vk", "value": "sk-x", "team_id": "t"}))
	err := del(b, team, "t")
	wantErr(t, err, configstore.ErrReferenced)
	if get(t, b, team, "t") == nil || get(t, b, budget, "bt") == nil || get(t, b, vk, "vk") == nil {
		t.Fatal("a refused Delete changed something")
	}
	// Deleting the virtual key first unblocks the team.
	if err := del(b, vk, "vk"); err != nil {
		t.Fatal(err)
	}
	if err := del(b, team, "t"); err != nil {
		t.Fatalf("Delete team without referrers: %v", err)
	}
	if get(t, b, budget, "bt") != nil {
		t.Fatal("the team's budget survived")
	}
}

// vkWithProviderConfig stores provider p with key k, and virtual key vk
// with a provider config pc listing k and a budget it owns.
func vkWithProviderConfig(t *testing.T, b configstore.Backend) {
	t.Helper()
	provider, key, vk := kind(t, "provider"), kind(t, "key"), kind(t, "virtual_key")
	pc, pck, budget := kind(t, "virtual_key_provider_config"), kind(t, "virtual_key_provider_config_key"), kind(t, "budget")
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		for _, step := range []struct {
			k   *configstore.Kind
			rec configstore.Record
		}{
			{provider, record(t, provider, "p", nil)},
			{key, record(t, key, "k", map[string]any{"provider": "p", "name": "key"})},
			{key, record(t, key, "k2", map[string]any{"provider": "p", "name": "key2"})},
			{vk, record(t, vk, "vk", map[string]any{"name": "vk", "value": "sk-x"})},
			{budget, record(t, budget, "bv", map[string]any{"virtual_key_id": "vk"})},
			{pc, record(t, pc, "pc", map[string]any{"virtual_key_id": "vk", "provider": "p"})},
			{pck, record(t, pck, "pck", map[string]any{"provider_config_id": "pc", "key_id": "k"})},
		} {
			if err := tx.Insert(ctx, step.k, step.rec); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestDeleteCascadesRecursively(t *testing.T) {
	b := newBackend()
	vkWithProviderConfig(t, b)
	if err := del(b, kind(t, "virtual_key"), "vk"); err != nil {
		t.Fatal(err)
	}
	for _, row := range []struct{ kind, key string }{
		{"virtual_key", "vk"}, {"budget", "bv"}, {"virtual_key_provider_config", "pc"},
		{"virtual_key_provider_config_key", "pck"},
	} {
		if get(t, b, kind(t, row.kind), row.key) != nil {
			t.Errorf("%s %q survived the cascade", row.kind, row.key)
		}
	}
	if get(t, b, kind(t, "key"), "k") == nil {
		t.Error("the key a deleted provider config listed was deleted")
	}
}

func TestDeleteRestrictReachedThroughCascade(t *testing.T) {
	b := newBackend()
	vkWithProviderConfig(t, b)
	provider, key := kind(t, "provider"), kind(t, "key")
	// Deleting the provider cascades to its keys; key k is listed by a
	// provider config outside the closure (Restrict), so nothing goes.
	wantErr(t, del(b, provider, "p"), configstore.ErrReferenced)
	if get(t, b, provider, "p") == nil || get(t, b, key, "k") == nil || get(t, b, key, "k2") == nil {
		t.Fatal("a refused cascading Delete removed rows")
	}
	// k2 is not referenced; deleting it alone works.
	if err := del(b, key, "k2"); err != nil {
		t.Fatal(err)
	}
	// Deleting the virtual key and the provider in one transaction works.
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Delete(ctx, kind(t, "virtual_key"), "vk"); err != nil {
			return err
		}
		return tx.Delete(ctx, provider, "p")
	})
	if got := keys(t, b, key, configstore.Query{}); len(got) != 0 {
		t.Fatalf("keys %v survived their provider", got)
	}
}

func TestDeleteSeveralKeysAllOrNothing(t *testing.T) {
	b := newBackend()
	rl, team := kind(t, "rate_limit"), kind(t, "team")
	insert(t, b, rl, record(t, rl, "free", nil), record(t, rl, "used", nil))
	insert(t, b, team, record(t, team, "t", map[string]any{"name": "team", "rate_limit_id": "used"}))
	wantErr(t, del(b, rl, "free", "used"), configstore.ErrReferenced)
	if got := keys(t, b, rl, configstore.Query{}); !slices.Equal(got, []string{"free", "used"}) {
		t.Fatalf("rate limits after a refused Delete: %v", got)
	}
}

func TestDeletedRowCannotBeReferenced(t *testing.T) {
	b := newBackend()
	rl, team := kind(t, "rate_limit"), kind(t, "team")
	insert(t, b, rl, record(t, rl, "rl", nil))
	err := b.Write(context.Background(), func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Delete(ctx, rl, "rl"); err != nil {
			return err
		}
		return tx.Insert(ctx, team, record(t, team, "t", map[string]any{"name": "team", "rate_limit_id": "rl"}))
	})
	wantErr(t, err, configstore.ErrInvalidReference)
}
