package backendtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

var constraintTests = map[string]func(t *testing.T, b configstore.Backend){
	"DuplicateKey":                 testDuplicateKey,
	"UniqueConstraint":             testUniqueConstraint,
	"MultiFieldUniqueConstraint":   testMultiFieldUniqueConstraint,
	"CompositeUniqueWithReference": testCompositeUniqueWithReference,
	"ErrorsHideValues":             testErrorsHideValues,
	"InvalidReference":             testInvalidReference,
	"Update":                       testUpdate,
	"UpdateKindWithoutRevision":    testUpdateKindWithoutRevision,
	"UpdateMovesReferrer":          testUpdateMovesReferrer,
	"BulkInsert":                   testBulkInsert,
	"BulkInsertIsAtomic":           testBulkInsertIsAtomic,
}

func testDuplicateKey(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	Insert(t, b, rl, Record(t, rl, "rl", nil))
	err := tryInsert(b, rl, Record(t, rl, "rl", nil))
	wantErr(t, err, configstore.ErrAlreadyExists)
	if !strings.Contains(err.Error(), `"rl"`) || !strings.Contains(err.Error(), "rate_limit") {
		t.Fatalf("error %q does not name the kind and the key", err)
	}
	wantErr(t, tryInsert(b, rl, Record(t, rl, "x", nil), Record(t, rl, "x", nil)), configstore.ErrAlreadyExists)
}

func testUniqueConstraint(t *testing.T, b configstore.Backend) {
	team := Kind(t, "team")
	Insert(t, b, team, Record(t, team, "t1", map[string]any{"name": "alpha"}))
	wantErr(t, tryInsert(b, team, Record(t, team, "t2", map[string]any{"name": "alpha"})), configstore.ErrAlreadyExists)
	// Within one batch.
	wantErr(t, tryInsert(b, team, Record(t, team, "t2", map[string]any{"name": "beta"}),
		Record(t, team, "t3", map[string]any{"name": "beta"})), configstore.ErrAlreadyExists)
	// Bytewise: a different case is a different name.
	Insert(t, b, team, Record(t, team, "t2", map[string]any{"name": "Alpha"}))
	// Update to a taken name fails; keeping one's own name works.
	err := tryUpdate(b, team, Record(t, team, "t2", map[string]any{"name": "alpha", "revision": int64(2)}), 1)
	wantErr(t, err, configstore.ErrAlreadyExists)
	if !strings.Contains(err.Error(), `"t2"`) || !strings.Contains(err.Error(), "name") {
		t.Fatalf("error %q does not name the key and the field", err)
	}
	if err := tryUpdate(b, team, Record(t, team, "t1", map[string]any{"name": "alpha", "revision": int64(2)}), 1); err != nil {
		t.Fatalf("update keeping its own name: %v", err)
	}
	// A rename frees the old name; a delete frees the name.
	if err := tryUpdate(b, team, Record(t, team, "t1", map[string]any{"name": "gamma", "revision": int64(3)}), 2); err != nil {
		t.Fatal(err)
	}
	Insert(t, b, team, Record(t, team, "t4", map[string]any{"name": "alpha"}))
	if err := del(b, team, "t4"); err != nil {
		t.Fatal(err)
	}
	Insert(t, b, team, Record(t, team, "t5", map[string]any{"name": "alpha"}))
	wantErr(t, tryInsert(b, team, Record(t, team, "t6", map[string]any{"name": "gamma"})), configstore.ErrAlreadyExists)
}

func testMultiFieldUniqueConstraint(t *testing.T, b configstore.Backend) {
	mp := Kind(t, "model_pricing")
	Insert(t, b, mp, Record(t, mp, "1", map[string]any{"model": "gpt", "provider": "openai", "mode": "chat"}))
	Insert(t, b, mp, Record(t, mp, "2", map[string]any{"model": "gpt", "provider": "openai", "mode": "embedding"}))
	Insert(t, b, mp, Record(t, mp, "3", map[string]any{"model": "gptopen", "provider": "ai", "mode": "chat"}))
	err := tryInsert(b, mp, Record(t, mp, "4", map[string]any{"model": "gpt", "provider": "openai", "mode": "chat"}))
	wantErr(t, err, configstore.ErrAlreadyExists)
	if !strings.Contains(err.Error(), `"4"`) || !strings.Contains(err.Error(), "model, provider, mode") {
		t.Fatalf("error %q does not name the key and the fields", err)
	}
}

func testCompositeUniqueWithReference(t *testing.T, b configstore.Backend) {
	pc := Kind(t, "virtual_key_provider_config")
	vkWithProviderConfig(t, b)
	// (virtual_key_id, provider) is unique; another provider is fine.
	Insert(t, b, pc, Record(t, pc, "pc2", map[string]any{"virtual_key_id": "vk", "provider": "q"}))
	err := tryInsert(b, pc, Record(t, pc, "pc3", map[string]any{"virtual_key_id": "vk", "provider": "q"}))
	wantErr(t, err, configstore.ErrAlreadyExists)
	if !strings.Contains(err.Error(), "virtual_key_id, provider") {
		t.Fatalf("error %q does not name the fields", err)
	}
}

func testErrorsHideValues(t *testing.T, b configstore.Backend) {
	vk := Kind(t, "virtual_key")
	const secret = "sk-very-secret-value"
	Insert(t, b, vk, Record(t, vk, "vk1", map[string]any{"name": "one", "value": secret}))
	check := func(err error, want error, field string) {
		t.Helper()
		wantErr(t, err, want)
		if msg := err.Error(); strings.Contains(msg, secret) || !strings.Contains(msg, field) || !strings.Contains(msg, "virtual_key") {
			t.Fatalf("error %q must name the kind and the field %s, not the value", msg, field)
		}
	}
	// Alone, and in a batch the database must search.
	check(tryInsert(b, vk, Record(t, vk, "vk2", map[string]any{"name": "two", "value": secret})), configstore.ErrAlreadyExists, "value")
	batch := []configstore.Record{Record(t, vk, "vk3", map[string]any{"name": "three", "value": "other"}),
		Record(t, vk, "vk4", map[string]any{"name": "four", "value": secret})}
	err := tryInsert(b, vk, batch...)
	check(err, configstore.ErrAlreadyExists, "value")
	if !strings.Contains(err.Error(), `"vk4"`) {
		t.Fatalf("error %q does not name the record of the batch", err)
	}
	Insert(t, b, vk, Record(t, vk, "vk5", map[string]any{"name": "five", "value": "another"}))
	check(tryUpdate(b, vk, Record(t, vk, "vk5", map[string]any{"name": "five", "value": secret, "revision": int64(2)}), 1),
		configstore.ErrAlreadyExists, "value")
	// A dangling reference whose value is the secret.
	check(tryInsert(b, vk, Record(t, vk, "vk6", map[string]any{"name": "six", "value": "v6", "team_id": secret})),
		configstore.ErrInvalidReference, "team_id")
}

func testInvalidReference(t *testing.T, b configstore.Backend) {
	team, cust := Kind(t, "team"), Kind(t, "customer")
	err := tryInsert(b, team, Record(t, team, "t", map[string]any{"name": "team", "customer_id": "missing"}))
	wantErr(t, err, configstore.ErrInvalidReference)
	if !strings.Contains(err.Error(), "customer_id") || !strings.Contains(err.Error(), `"t"`) {
		t.Fatalf("error %q does not name the key and the field", err)
	}
	// In a batch, the offending record is named.
	Insert(t, b, cust, Record(t, cust, "c0", nil))
	err = tryInsert(b, team, Record(t, team, "ok", map[string]any{"name": "ok", "customer_id": "c0"}),
		Record(t, team, "bad", map[string]any{"name": "bad", "customer_id": "c0", "rate_limit_id": "gone"}))
	wantErr(t, err, configstore.ErrInvalidReference)
	if !strings.Contains(err.Error(), "rate_limit_id") || !strings.Contains(err.Error(), `"bad"`) {
		t.Fatalf("error %q does not name the key and the field", err)
	}
	// NULL refers to nothing; a row inserted earlier in the transaction counts.
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Insert(ctx, team, Record(t, team, "t0", map[string]any{"name": "zero"})); err != nil {
			return err
		}
		if err := tx.Insert(ctx, cust, Record(t, cust, "c", nil)); err != nil {
			return err
		}
		return tx.Insert(ctx, team, Record(t, team, "t", map[string]any{"name": "team", "customer_id": "c"}))
	})
	// Update checks references too.
	err = tryUpdate(b, team, Record(t, team, "t", map[string]any{"name": "team", "customer_id": "gone", "revision": int64(2)}), 1)
	wantErr(t, err, configstore.ErrInvalidReference)
}

func testUpdate(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	wantErr(t, tryUpdate(b, rl, Record(t, rl, "missing", nil), 1), configstore.ErrNotFound)
	Insert(t, b, rl, Record(t, rl, "rl", map[string]any{"token_reset_duration": "1h"}))
	err := tryUpdate(b, rl, Record(t, rl, "rl", map[string]any{"revision": int64(2)}), 7)
	wantErr(t, err, configstore.ErrConflict)
	if !strings.Contains(err.Error(), `"rl"`) {
		t.Fatalf("error %q does not name the key", err)
	}
	if got := Get(t, b, rl, "rl"); got["token_reset_duration"] != "1h" {
		t.Fatal("a conflicting update changed the row")
	}
	if err := tryUpdate(b, rl, Record(t, rl, "rl", map[string]any{"revision": int64(2), "token_reset_duration": "1d"}), 1); err != nil {
		t.Fatal(err)
	}
	got := Get(t, b, rl, "rl")
	if got["token_reset_duration"] != "1d" || got["revision"] != int64(2) {
		t.Fatalf("after the update: %v", got)
	}
	wantErr(t, tryUpdate(b, rl, Record(t, rl, "rl", map[string]any{"revision": int64(3)}), 1), configstore.ErrConflict)
}

func testUpdateKindWithoutRevision(t *testing.T, b configstore.Backend) {
	vkWithProviderConfig(t, b)
	pc := Kind(t, "virtual_key_provider_config")
	rec := Record(t, pc, "pc", map[string]any{"virtual_key_id": "vk", "provider": "p", "position": int64(3)})
	wantErr(t, tryUpdate(b, pc, rec, 1), configstore.ErrConflict)
	if err := tryUpdate(b, pc, rec, 0); err != nil {
		t.Fatalf("update of a kind without revision, expecting 0: %v", err)
	}
	if got := Get(t, b, pc, "pc")["position"]; got != int64(3) {
		t.Fatalf("position = %v, want 3", got)
	}
	wantErr(t, tryUpdate(b, pc, Record(t, pc, "nope", map[string]any{"virtual_key_id": "vk", "provider": "x"}), 0), configstore.ErrNotFound)
}

func testUpdateMovesReferrer(t *testing.T, b configstore.Backend) {
	team, cust := Kind(t, "team"), Kind(t, "customer")
	Insert(t, b, cust, Record(t, cust, "c1", nil), Record(t, cust, "c2", nil))
	Insert(t, b, team, Record(t, team, "t", map[string]any{"name": "team", "customer_id": "c1"}))
	if err := tryUpdate(b, team, Record(t, team, "t", map[string]any{"name": "team", "customer_id": "c2", "revision": int64(2)}), 1); err != nil {
		t.Fatal(err)
	}
	wantErr(t, del(b, cust, "c2"), configstore.ErrReferenced)
	if err := del(b, cust, "c1"); err != nil {
		t.Fatalf("the team moved away from c1, yet: %v", err)
	}
	if err := tryUpdate(b, team, Record(t, team, "t", map[string]any{"name": "team", "revision": int64(3)}), 2); err != nil {
		t.Fatal(err)
	}
	if err := del(b, cust, "c2"); err != nil {
		t.Fatalf("the team's customer is NULL, yet: %v", err)
	}
}

// teams returns n teams of customer c, each with a unique name.
func teams(t testing.TB, n int) []configstore.Record {
	team := Kind(t, "team")
	recs := make([]configstore.Record, n)
	for i := range recs {
		recs[i] = Record(t, team, fmt.Sprintf("team-%05d", i), map[string]any{"name": fmt.Sprintf("name-%05d", i), "customer_id": "c"})
	}
	return recs
}

// testBulkInsert inserts more rows than one statement can carry.
func testBulkInsert(t *testing.T, b configstore.Backend) {
	const n = 12_000
	team, cust := Kind(t, "team"), Kind(t, "customer")
	Insert(t, b, cust, Record(t, cust, "c", nil))
	Insert(t, b, team, teams(t, n)...)
	q := configstore.Query{Where: []configstore.Condition{configstore.Eq("customer_id", "c")}}
	if got := keys(t, b, team, q); len(got) != n || got[0] != "team-00000" || got[n-1] != fmt.Sprintf("team-%05d", n-1) {
		t.Fatalf("%d teams of c after a bulk insert of %d", len(got), n)
	}
	err := tryInsert(b, team, Record(t, team, "late", map[string]any{"name": fmt.Sprintf("name-%05d", n-1)}))
	wantErr(t, err, configstore.ErrAlreadyExists)
}

// testBulkInsertIsAtomic: a bulk insert whose last statement fails leaves
// nothing of the earlier ones, and the transaction goes on.
func testBulkInsertIsAtomic(t *testing.T, b configstore.Backend) {
	const n = 12_000
	team, cust := Kind(t, "team"), Kind(t, "customer")
	Insert(t, b, cust, Record(t, cust, "c", nil))
	recs := teams(t, n)
	recs[n-1]["name"] = recs[0]["name"]
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		err := tx.Insert(ctx, team, recs...)
		wantErr(t, err, configstore.ErrAlreadyExists)
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", recs[n-1]["id"])) {
			t.Errorf("error %q does not name the duplicate", err)
		}
		got, err := tx.List(ctx, team, configstore.Query{})
		if err != nil || len(got) != 0 {
			t.Errorf("after a failed bulk insert the transaction holds %d teams (%v)", len(got), err)
		}
		return tx.Insert(ctx, team, recs[:10]...)
	})
	if got := keys(t, b, team, configstore.Query{}); len(got) != 10 {
		t.Fatalf("committed %d teams, want 10", len(got))
	}
}
