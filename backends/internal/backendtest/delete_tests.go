package backendtest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

var deleteTests = map[string]func(t *testing.T, b configstore.Backend){
	"MissingKey":                     testDeleteMissingKey,
	"CascadeThroughCycle":            testDeleteCascadeThroughCycle,
	"RestrictOutsideClosure":         testDeleteRestrictOutsideClosure,
	"CascadesRecursively":            testDeleteCascadesRecursively,
	"RestrictReachedThroughCascade":  testDeleteRestrictReachedThroughCascade,
	"SeveralKeysAllOrNothing":        testDeleteSeveralKeysAllOrNothing,
	"DeletedRowCannotBeReferenced":   testDeletedRowCannotBeReferenced,
	"RefusedDeleteLeavesTxUsable":    testRefusedDeleteLeavesTxUsable,
	"ReferencedErrorNamesTheReferer": testReferencedErrorNamesReferrer,
}

func testDeleteMissingKey(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	Insert(t, b, rl, Record(t, rl, "rl-1", nil))
	err := del(b, rl, "nope")
	wantErr(t, err, configstore.ErrNotFound)
	if !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("error %q does not name the missing key", err)
	}
	wantErr(t, del(b, rl, "rl-1", "nope"), configstore.ErrNotFound)
	if Get(t, b, rl, "rl-1") == nil {
		t.Fatal("a failed multi-key Delete removed an existing key")
	}
	if err := del(b, rl, "rl-1", "rl-1"); err != nil {
		t.Fatalf("Delete naming a key twice: %v", err)
	}
	if Get(t, b, rl, "rl-1") != nil {
		t.Fatal("Delete left the row")
	}
	if err := del(b, rl); err != nil {
		t.Fatalf("Delete of no keys: %v", err)
	}
}

// testDeleteCascadeThroughCycle: a team and the budget it owns refer to
// each other (team.budget_id Restrict, budget.team_id Cascade). Deleting the
// team deletes the budget, and the budget's Restrict referrer (the team) is
// deleted by the same statement, so it does not block.
func testDeleteCascadeThroughCycle(t *testing.T, b configstore.Backend) {
	team, budget := Kind(t, "team"), Kind(t, "budget")
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Insert(ctx, team, Record(t, team, "t", map[string]any{"name": "team"})); err != nil {
			return err
		}
		if err := tx.Insert(ctx, budget, Record(t, budget, "bt", map[string]any{"team_id": "t"})); err != nil {
			return err
		}
		return tx.Update(ctx, team, Record(t, team, "t", map[string]any{"name": "team", "budget_id": "bt"}), 1)
	})
	wantErr(t, del(b, budget, "bt"), configstore.ErrReferenced)
	if Get(t, b, budget, "bt") == nil {
		t.Fatal("a refused Delete removed the row")
	}
	if err := del(b, team, "t"); err != nil {
		t.Fatalf("Delete team: %v", err)
	}
	if Get(t, b, team, "t") != nil || Get(t, b, budget, "bt") != nil {
		t.Fatal("the team or its budget survived the cascade")
	}
}

func testDeleteRestrictOutsideClosure(t *testing.T, b configstore.Backend) {
	team, budget, vk := Kind(t, "team"), Kind(t, "budget"), Kind(t, "virtual_key")
	Insert(t, b, team, Record(t, team, "t", map[string]any{"name": "team"}))
	Insert(t, b, budget, Record(t, budget, "bt", map[string]any{"team_id": "t"}))
	Insert(t, b, vk, Record(t, vk, "vk", map[string]any{"name": "vk", "value": "sk-x", "team_id": "t"}))
	wantErr(t, del(b, team, "t"), configstore.ErrReferenced)
	if Get(t, b, team, "t") == nil || Get(t, b, budget, "bt") == nil || Get(t, b, vk, "vk") == nil {
		t.Fatal("a refused Delete changed something")
	}
	if err := del(b, vk, "vk"); err != nil {
		t.Fatal(err)
	}
	if err := del(b, team, "t"); err != nil {
		t.Fatalf("Delete team without referrers: %v", err)
	}
	if Get(t, b, budget, "bt") != nil {
		t.Fatal("the team's budget survived")
	}
}

func testDeleteCascadesRecursively(t *testing.T, b configstore.Backend) {
	vkWithProviderConfig(t, b)
	if err := del(b, Kind(t, "virtual_key"), "vk"); err != nil {
		t.Fatal(err)
	}
	for _, row := range []struct{ kind, key string }{
		{"virtual_key", "vk"}, {"budget", "bv"}, {"virtual_key_provider_config", "pc"},
		{"virtual_key_provider_config_key", "pck"},
	} {
		if Get(t, b, Kind(t, row.kind), row.key) != nil {
			t.Errorf("%s %q survived the cascade", row.kind, row.key)
		}
	}
	if Get(t, b, Kind(t, "key"), "k") == nil {
		t.Error("the key a deleted provider config listed was deleted")
	}
}

func testDeleteRestrictReachedThroughCascade(t *testing.T, b configstore.Backend) {
	vkWithProviderConfig(t, b)
	provider, key := Kind(t, "provider"), Kind(t, "key")
	wantErr(t, del(b, provider, "p"), configstore.ErrReferenced)
	if Get(t, b, provider, "p") == nil || Get(t, b, key, "k") == nil || Get(t, b, key, "k2") == nil {
		t.Fatal("a refused cascading Delete removed rows")
	}
	if err := del(b, key, "k2"); err != nil {
		t.Fatal(err)
	}
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Delete(ctx, Kind(t, "virtual_key"), "vk"); err != nil {
			return err
		}
		return tx.Delete(ctx, provider, "p")
	})
	if got := keys(t, b, key, configstore.Query{}); len(got) != 0 {
		t.Fatalf("keys %v survived their provider", got)
	}
}

func testDeleteSeveralKeysAllOrNothing(t *testing.T, b configstore.Backend) {
	rl, team := Kind(t, "rate_limit"), Kind(t, "team")
	Insert(t, b, rl, Record(t, rl, "free", nil), Record(t, rl, "used", nil))
	Insert(t, b, team, Record(t, team, "t", map[string]any{"name": "team", "rate_limit_id": "used"}))
	wantErr(t, del(b, rl, "free", "used"), configstore.ErrReferenced)
	if got := keys(t, b, rl, configstore.Query{}); !slices.Equal(got, []string{"free", "used"}) {
		t.Fatalf("rate limits after a refused Delete: %v", got)
	}
}

func testDeletedRowCannotBeReferenced(t *testing.T, b configstore.Backend) {
	rl, team := Kind(t, "rate_limit"), Kind(t, "team")
	Insert(t, b, rl, Record(t, rl, "rl", nil))
	err := b.Write(context.Background(), func(tx configstore.Tx) error {
		ctx := context.Background()
		if err := tx.Delete(ctx, rl, "rl"); err != nil {
			return err
		}
		return tx.Insert(ctx, team, Record(t, team, "t", map[string]any{"name": "team", "rate_limit_id": "rl"}))
	})
	wantErr(t, err, configstore.ErrInvalidReference)
	if Get(t, b, rl, "rl") == nil {
		t.Fatal("the failed transaction's delete was committed")
	}
}

// testRefusedDeleteLeavesTxUsable: after ErrReferenced the transaction
// goes on and commits its other writes.
func testRefusedDeleteLeavesTxUsable(t *testing.T, b configstore.Backend) {
	rl, team := Kind(t, "rate_limit"), Kind(t, "team")
	Insert(t, b, rl, Record(t, rl, "used", nil))
	Insert(t, b, team, Record(t, team, "t", map[string]any{"name": "team", "rate_limit_id": "used"}))
	write(t, b, func(tx configstore.Tx) error {
		ctx := context.Background()
		wantErr(t, tx.Delete(ctx, rl, "used"), configstore.ErrReferenced)
		return tx.Insert(ctx, rl, Record(t, rl, "after", nil))
	})
	if Get(t, b, rl, "after") == nil || Get(t, b, rl, "used") == nil {
		t.Fatal("the transaction did not go on after a refused Delete")
	}
}

func testReferencedErrorNamesReferrer(t *testing.T, b configstore.Backend) {
	rl, team := Kind(t, "rate_limit"), Kind(t, "team")
	Insert(t, b, rl, Record(t, rl, "used", nil))
	Insert(t, b, team, Record(t, team, "t", map[string]any{"name": "team", "rate_limit_id": "used"}))
	err := del(b, rl, "used")
	wantErr(t, err, configstore.ErrReferenced)
	if msg := err.Error(); !strings.Contains(msg, `"used"`) || !strings.Contains(msg, "team") || !strings.Contains(msg, "rate_limit_id") {
		t.Fatalf("error %q does not name the row, the referrer and its field", msg)
	}
}
