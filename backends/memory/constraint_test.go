package memory_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

// tryInsert inserts records in their own transaction and returns the error.
func tryInsert(b configstore.Backend, k *configstore.Kind, recs ...configstore.Record) error {
	return b.Write(context.Background(), func(tx configstore.Tx) error {
		return tx.Insert(context.Background(), k, recs...)
	})
}

// tryUpdate updates a record in its own transaction and returns the error.
func tryUpdate(b configstore.Backend, k *configstore.Kind, rec configstore.Record, expected int64) error {
	return b.Write(context.Background(), func(tx configstore.Tx) error {
		return tx.Update(context.Background(), k, rec, expected)
	})
}

func TestDuplicateKey(t *testing.T) {
	b := newBackend()
	rl := kind(t, "rate_limit")
	insert(t, b, rl, record(t, rl, "rl", nil))
	wantErr(t, tryInsert(b, rl, record(t, rl, "rl", nil)), configstore.ErrAlreadyExists)
	wantErr(t, tryInsert(b, rl, record(t, rl, "x", nil), record(t, rl, "x", nil)), configstore.ErrAlreadyExists)
}

func TestUniqueConstraint(t *testing.T) {
	b := newBackend()
	team := kind(t, "team")
	insert(t, b, team, record(t, team, "t1", map[string]any{"name": "alpha"}))
	wantErr(t, tryInsert(b, team, record(t, team, "t2", map[string]any{"name": "alpha"})), configstore.ErrAlreadyExists)
	// Within one batch.
	wantErr(t, tryInsert(b, team, record(t, team, "t2", map[string]any{"name": "beta"}),
		record(t, team, "t3", map[string]any{"name": "beta"})), configstore.ErrAlreadyExists)
	// Bytewise: a different case is a different name.
	insert(t, b, team, record(t, team, "t2", map[string]any{"name": "Alpha"}))
	// Update to a taken name fails; keeping one's own name works.
	wantErr(t, tryUpdate(b, team, record(t, team, "t2", map[string]any{"name": "alpha", "revision": int64(2)}), 1),
		configstore.ErrAlreadyExists)
	if err := tryUpdate(b, team, record(t, team, "t1", map[string]any{"name": "alpha", "revision": int64(2)}), 1); err != nil {
		t.Fatalf("update keeping its own name: %v", err)
	}
	// A rename frees the old name; a delete frees the name.
	if err := tryUpdate(b, team, record(t, team, "t1", map[string]any{"name": "gamma", "revision": int64(3)}), 2); err != nil {
		t.Fatal(err)
	}
	insert(t, b, team, record(t, team, "t4", map[string]any{"name": "alpha"}))
	if err := del(b, team, "t4"); err != nil {
		t.Fatal(err)
	}
	insert(t, b, team, record(t, team, "t5", map[string]any{"name": "alpha"}))
	wantErr(t, tryInsert(b, team, record(t, team, "t6", map[string]any{"name": "gamma"})), configstore.ErrAlreadyExists)
}

func TestMultiFieldUniqueConstraint(t *testing.T) {
	b := newBackend()
	mp := kind(t, "model_pricing")
	insert(t, b, mp, record(t, mp, "1", map[string]any{"model": "gpt", "provider": "openai", "mode": "chat"}))
	insert(t, b, mp, record(t, mp, "2", map[string]any{"model": "gpt", "provider": "openai", "mode": "embedding"}))
	// Components must not run together: ("ab","c") differs from ("a","bc").
	insert(t, b, mp, record(t, mp, "3", map[string]any{"model": "gptopen", "provider": "ai", "mode": "chat"}))
	err := tryInsert(b, mp, record(t, mp, "4", map[string]any{"model": "gpt", "provider": "openai", "mode": "chat"}))
	wantErr(t, err, configstore.ErrAlreadyExists)
}

func TestUniqueErrorHidesValues(t *testing.T) {
	b := newBackend()
	vk := kind(t, "virtual_key")
	const secret = "sk-very-secret-value"
	insert(t, b, vk, record(t, vk, "vk1", map[string]any{"name": "one", "value": secret}))
	err := tryInsert(b, vk, record(t, vk, "vk2", map[string]any{"name": "two", "value": secret}))
	wantErr(t, err, configstore.ErrAlreadyExists)
	if msg := err.Error(); strings.Contains(msg, secret) || !strings.Contains(msg, "value") || !strings.Contains(msg, "virtual_key") {
		t.Fatalf("error %q must name the kind and the field, not the value", msg)
	}
}

func TestInvalidReference(t *testing.T) {
	b := newBackend()
	team, cust := kind(t, "team"), kind(t, "customer")
	err := tryInsert(b, team, record(t, team, "t", map[string]any{"name": "team", "customer_id": "missing"}))
	wantErr(t, err, configstore.ErrInvalidReference)
	if !strings.Contains(err.Error(), "customer_id") {
		t.Fatalf("error %q does not name the field", err)
	}
	// NULL refers to nothing; a row inserted earlier in the transaction counts.
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Insert(ctx, team, record(t, team, "t0", map[string]any{"name": "zero"})); err != nil {
			return err
		}
		if err := tx.Insert(ctx, cust, record(t, cust, "c", nil)); err != nil {
			return err
		}
		return tx.Insert(ctx, team, record(t, team, "t", map[string]any{"name": "team", "customer_id": "c"}))
	})
	// Update checks references too.
	err = tryUpdate(b, team, record(t, team, "t", map[string]any{"name": "team", "customer_id": "gone", "revision": int64(2)}), 1)
	wantErr(t, err, configstore.ErrInvalidReference)
}

func TestUpdate(t *testing.T) {
	b := newBackend()
	rl := kind(t, "rate_limit")
	wantErr(t, tryUpdate(b, rl, record(t, rl, "missing", nil), 1), configstore.ErrNotFound)
	insert(t, b, rl, record(t, rl, "rl", map[string]any{"token_reset_duration": "1h"}))
	wantErr(t, tryUpdate(b, rl, record(t, rl, "rl", map[string]any{"revision": int64(2)}), 7), configstore.ErrConflict)
	if got := get(t, b, rl, "rl"); got["token_reset_duration"] != "1h" {
		t.Fatal("a conflicting update changed the row")
	}
	if err := tryUpdate(b, rl, record(t, rl, "rl", map[string]any{"revision": int64(2), "token_reset_duration": "1d"}), 1); err != nil {
		t.Fatal(err)
	}
	got := get(t, b, rl, "rl")
	if got["token_reset_duration"] != "1d" || got["revision"] != int64(2) {
		t.Fatalf("after the update: %v", got)
	}
	wantErr(t, tryUpdate(b, rl, record(t, rl, "rl", map[string]any{"revision": int64(3)}), 1), configstore.ErrConflict)
}

func TestUpdateKindWithoutRevision(t *testing.T) {
	b := newBackend()
	vkWithProviderConfig(t, b)
	pc := kind(t, "virtual_key_provider_config")
	rec := record(t, pc, "pc", map[string]any{"virtual_key_id": "vk", "provider": "p", "position": int64(3)})
	wantErr(t, tryUpdate(b, pc, rec, 1), configstore.ErrConflict)
	if err := tryUpdate(b, pc, rec, 0); err != nil {
		t.Fatalf("update of a kind without revision, expecting 0: %v", err)
	}
	if got := get(t, b, pc, "pc")["position"]; got != int64(3) {
		t.Fatalf("position = %v, want 3", got)
	}
}

func TestUpdateMovesReferrer(t *testing.T) {
	b := newBackend()
	team, cust := kind(t, "team"), kind(t, "customer")
	insert(t, b, cust, record(t, cust, "c1", nil), record(t, cust, "c2", nil))
	insert(t, b, team, record(t, team, "t", map[string]any{"name": "team", "customer_id": "c1"}))
	if err := tryUpdate(b, team, record(t, team, "t", map[string]any{"name": "team", "customer_id": "c2", "revision": int64(2)}), 1); err != nil {
		t.Fatal(err)
	}
	wantErr(t, del(b, cust, "c2"), configstore.ErrReferenced)
	if err := del(b, cust, "c1"); err != nil {
		t.Fatalf("the team moved away from c1, yet: %v", err)
	}
	// Moving to NULL releases the last referrer.
	if err := tryUpdate(b, team, record(t, team, "t", map[string]any{"name": "team", "revision": int64(3)}), 2); err != nil {
		t.Fatal(err)
	}
	if err := del(b, cust, "c2"); err != nil {
		t.Fatalf("the team's customer is NULL, yet: %v", err)
	}
}
