package conformance

import (
	"context"
	"errors"
	"slices"

	"github.com/gatewaykit/configstore"
)

func changeLogTests() []test {
	return []test{
		{"EmptyStoreAtRevisionZero", testChangesEmpty},
		{"OneEntryPerEntity", testChangesOnePerEntity},
		{"RevisionIncreasesByOnePerTransaction", testChangesRevisionSequence},
		{"DefaultSourceIsAPI", testChangesDefaultSource},
		{"WithSourceIsRecorded", testChangesWithSource},
		{"NothingForRolledBackTransaction", testChangesRollback},
		{"NothingForFailedWrites", testChangesFailedWrites},
		{"NothingForReadOnlyTransaction", testChangesReadOnlyTx},
		{"CreateThenUpdateInOneTransactionIsOneCreate", testChangesCreateUpdate},
		{"UpdatesInOneTransactionAreOneUpdate", testChangesUpdateUpdate},
		{"CreateThenDeleteInOneTransactionLogsNothing", testChangesCreateDelete},
		{"CascadedDeleteLogsEveryEntity", testChangesCascade},
		{"VirtualKeyPartsAreNotEntities", testChangesVKParts},
		{"ListChangesAfterRevision", testChangesAfter},
		{"ListChangesLimit", testChangesLimit},
		{"ListChangesNegativeLimitInvalid", func(t *suiteT) {
			_, err := t.store.ListChanges(t.ctx, 0, -1)
			t.wantErr(err, configstore.ErrInvalid, "ListChanges with limit -1")
		}},
	}
}

func testChangesEmpty(t *suiteT) {
	if rev := t.revision(); rev != 0 {
		t.Fatalf("an empty store is at revision %d, want 0", rev)
	}
	if cs := t.changesAfter(0); len(cs) != 0 {
		t.Fatalf("an empty store's change log has %d entries", len(cs))
	}
}

func testChangesOnePerEntity(t *suiteT) {
	before := t.revision()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(
			tx.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}),
			tx.CreateKey(t.ctx, &configstore.Key{ID: "k1", Provider: "p", Name: "k1"}),
			tx.CreateKey(t.ctx, &configstore.Key{ID: "k2", Provider: "p", Name: "k2"}),
			tx.CreateTeam(t.ctx, &configstore.Team{ID: "t", Name: "t"}),
			tx.UpdateClientConfig(t.ctx, &configstore.ClientConfig{InitialPoolSize: 5}),
		)
	}), "transaction")
	t.wantChanges(before,
		configstore.Change{Kind: "provider", ID: "p", Op: configstore.OpCreate},
		configstore.Change{Kind: "key", ID: "k1", Op: configstore.OpCreate},
		configstore.Change{Kind: "key", ID: "k2", Op: configstore.OpCreate},
		configstore.Change{Kind: "team", ID: "t", Op: configstore.OpCreate},
		configstore.Change{Kind: "client_config"})
}

func testChangesRevisionSequence(t *suiteT) {
	writes := []func() error{
		func() error { return t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}) },
		func() error { return t.store.CreatePlugin(t.ctx, &configstore.Plugin{Name: "x"}) },
		func() error {
			return t.store.UpdateProvider(t.ctx, &configstore.Provider{Name: "p", SendBackRawRequest: true})
		},
		func() error { return t.store.UpdateAuthConfig(t.ctx, &configstore.AuthConfig{}) },
		func() error { return t.store.DeletePlugin(t.ctx, "x") },
		func() error {
			return t.store.ReplaceModelPricing(t.ctx, []configstore.ModelPricing{*pricing("m", provOpenAI, "chat")})
		},
	}
	for i, w := range writes {
		t.must(w(), "write %d", i+1)
		if rev := t.revision(); rev != int64(i+1) {
			t.Fatalf("after %d write transactions, the store revision is %d", i+1, rev)
		}
	}
	cs := t.changesAfter(0)
	var revs []int64
	for _, c := range cs {
		revs = append(revs, c.Revision)
	}
	if want := []int64{1, 2, 3, 4, 5, 6}; !slices.Equal(revs, want) {
		t.Fatalf("change log revisions are %v, want %v", revs, want)
	}
	ops := []configstore.ChangeOp{configstore.OpCreate, configstore.OpCreate, configstore.OpUpdate, "", configstore.OpDelete, configstore.OpReplace}
	kinds := []string{"provider", "plugin", "provider", "auth_config", "plugin", "model_pricing"}
	for i, c := range cs {
		if c.Kind != kinds[i] || (ops[i] != "" && c.Op != ops[i]) {
			t.Fatalf("change %d is %s, want kind %s op %q", i, formatChange(c), kinds[i], ops[i])
		}
	}
}

func testChangesDefaultSource(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "create")
	t.wantChanges(0, configstore.Change{Kind: "provider", ID: "p", Op: configstore.OpCreate, Source: configstore.SourceAPI})
}

func testChangesWithSource(t *suiteT) {
	ctx := configstore.WithSource(t.ctx, "ui-admin ✓")
	t.must(t.store.CreateProvider(ctx, &configstore.Provider{Name: "p"}), "create")
	t.wantChanges(0, configstore.Change{Kind: "provider", ID: "p", Op: configstore.OpCreate, Source: "ui-admin ✓"})

	file := configstore.WithSource(t.ctx, configstore.SourceConfigFile)
	t.must(t.store.ExecuteTransaction(file, func(tx configstore.ConfigStore) error {
		return errors.Join(
			tx.CreatePlugin(file, &configstore.Plugin{Name: "x"}),
			tx.DeleteProvider(file, "p"),
		)
	}), "transaction")
	t.wantChanges(1,
		configstore.Change{Kind: "plugin", ID: "x", Op: configstore.OpCreate, Source: configstore.SourceConfigFile},
		configstore.Change{Kind: "provider", ID: "p", Op: configstore.OpDelete, Source: configstore.SourceConfigFile})
}

func testChangesRollback(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "create")
	errAbort := errors.New("abort")
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(
			tx.CreatePlugin(t.ctx, &configstore.Plugin{Name: "x"}),
			tx.DeleteProvider(t.ctx, "p"),
			errAbort)
	})
	t.wantErr(err, errAbort, "transaction")
	t.wantNoChange(1, "a rolled-back transaction")
	_, err = t.store.GetPlugin(t.ctx, "x")
	t.wantErr(err, configstore.ErrNotFound, "plugin created by the rolled-back transaction")
	_, err = t.store.GetProvider(t.ctx, "p")
	t.must(err, "provider deleted by the rolled-back transaction")
	t.must(t.store.CreatePlugin(t.ctx, &configstore.Plugin{Name: "y"}), "create after the rollback")
	t.wantChanges(1, configstore.Change{Kind: "plugin", ID: "y", Op: configstore.OpCreate})
}

func testChangesFailedWrites(t *suiteT) {
	seedWorld(t)
	before := t.revision()
	failures := []error{
		t.store.CreateProvider(t.ctx, &configstore.Provider{Name: provOpenAI}),
		t.store.UpdateProvider(t.ctx, &configstore.Provider{Name: missing}),
		t.store.DeleteProvider(t.ctx, missing),
		t.store.CreateKey(t.ctx, &configstore.Key{ID: "k", Provider: missing, Name: "k"}),
		t.store.CreateBudget(t.ctx, &configstore.Budget{ID: "b"}),
		t.store.UpdateProvider(t.ctx, &configstore.Provider{Name: provOpenAI, Meta: configstore.Meta{Revision: 42}}),
	}
	for i, err := range failures {
		if err == nil {
			t.Fatalf("failing write %d succeeded", i)
		}
	}
	referringVK(t, func(v *configstore.VirtualKey) { v.TeamID = team1 })
	before++
	t.wantErr(t.store.DeleteTeam(t.ctx, team1), configstore.ErrReferenced, "delete a referenced team")
	t.wantNoChange(before, "failed writes")
}

func testChangesReadOnlyTx(t *suiteT) {
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "p"}), "create")
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		_, err := tx.GetProvider(t.ctx, "p")
		if err != nil {
			return err
		}
		_, err = tx.ListKeys(t.ctx)
		return err
	}), "read-only transaction")
	t.wantNoChange(1, "a transaction that only reads")
}

func testChangesCreateUpdate(t *suiteT) {
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		p := &configstore.Provider{Name: "p"}
		return errors.Join(tx.CreateProvider(t.ctx, p), tx.UpdateProvider(t.ctx, p), tx.UpdateProvider(t.ctx, p))
	}), "transaction")
	t.wantChanges(0, configstore.Change{Kind: "provider", ID: "p", Op: configstore.OpCreate})
}

func testChangesUpdateUpdate(t *suiteT) {
	p := &configstore.Provider{Name: "p"}
	t.must(t.store.CreateProvider(t.ctx, p), "create")
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(tx.UpdateProvider(t.ctx, p), tx.UpdateProvider(t.ctx, p))
	}), "transaction")
	t.wantChanges(1, configstore.Change{Kind: "provider", ID: "p", Op: configstore.OpUpdate})
}

func testChangesCreateDelete(t *suiteT) {
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(
			tx.CreateProvider(t.ctx, &configstore.Provider{Name: "ephemeral"}),
			tx.CreatePlugin(t.ctx, &configstore.Plugin{Name: "kept"}),
			tx.DeleteProvider(t.ctx, "ephemeral"))
	}), "transaction")
	t.wantChanges(0, configstore.Change{Kind: "plugin", ID: "kept", Op: configstore.OpCreate})
}

func testChangesCascade(t *suiteT) {
	seedWorld(t)
	createOwnedBudgets(t, budgetOwners[1], "team-budget")
	before := t.revision()
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(tx.DeleteProvider(t.ctx, provAnthropic), tx.DeleteTeam(t.ctx, team1))
	}), "transaction")
	t.wantChanges(before,
		configstore.Change{Kind: "provider", ID: provAnthropic, Op: configstore.OpDelete},
		configstore.Change{Kind: "key", ID: keyAnthropic1, Op: configstore.OpDelete},
		configstore.Change{Kind: "team", ID: team1, Op: configstore.OpDelete},
		configstore.Change{Kind: "budget", ID: "team-budget", Op: configstore.OpDelete})
}

func testChangesVKParts(t *suiteT) {
	seedWorld(t)
	before := t.revision()
	v := fullVirtualKey()
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	t.wantChanges(before, configstore.Change{Kind: "virtual_key", ID: v.ID, Op: configstore.OpCreate})
	v.ProviderConfigs = v.ProviderConfigs[:1]
	t.must(t.store.UpdateVirtualKey(t.ctx, v), "update")
	t.wantChanges(before+1, configstore.Change{Kind: "virtual_key", ID: v.ID, Op: configstore.OpUpdate})
	t.must(t.store.DeleteVirtualKey(t.ctx, v.ID), "delete")
	t.wantChanges(before+2, configstore.Change{Kind: "virtual_key", ID: v.ID, Op: configstore.OpDelete})
}

// fiveRevisions makes five write transactions, the third with two entities.
func fiveRevisions(t *suiteT) []configstore.Change {
	t.Helper()
	ctx := t.ctx
	t.must(t.store.CreateProvider(ctx, &configstore.Provider{Name: "a"}), "write")
	t.must(t.store.CreateProvider(ctx, &configstore.Provider{Name: "b"}), "write")
	t.must(t.store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
		return errors.Join(tx.CreateProvider(ctx, &configstore.Provider{Name: "c"}), tx.CreateProvider(ctx, &configstore.Provider{Name: "d"}))
	}), "write")
	t.must(t.store.DeleteProvider(ctx, "a"), "write")
	t.must(t.store.CreateProvider(ctx, &configstore.Provider{Name: "e"}), "write")
	all := t.changesAfter(0)
	if len(all) != 6 {
		t.Fatalf("change log has %d entries after five transactions changing six entities", len(all))
	}
	return all
}

func testChangesAfter(t *suiteT) {
	all := fiveRevisions(t)
	for after := int64(0); after <= 6; after++ {
		got := t.changesAfter(after)
		var want []configstore.Change
		for _, c := range all {
			if c.Revision > after {
				want = append(want, c)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("ListChanges(%d, 0) returned %s, want %s", after, formatChanges(got), formatChanges(want))
		}
		for i := range got {
			t.equal(&got[i], &want[i], "ListChanges(%d, 0)[%d]", after, i)
		}
	}
	for i := 1; i < len(all); i++ {
		if all[i].Revision < all[i-1].Revision {
			t.Fatalf("ListChanges is not oldest first: %s", formatChanges(all))
		}
	}
}

// testChangesLimit: limit caps a page, which still ends with a complete
// revision.
func testChangesLimit(t *suiteT) {
	all := fiveRevisions(t)
	for _, c := range []struct {
		after int64
		limit int
	}{{0, 1}, {0, 3}, {0, 6}, {0, 100}, {2, 1}, {2, 2}, {4, 5}, {6, 1}} {
		got, err := t.store.ListChanges(t.ctx, c.after, c.limit)
		t.must(err, "ListChanges(%d, %d)", c.after, c.limit)
		// The first limit entries after c.after, then the rest of the last
		// one's revision: a page never ends inside a revision, so paging by
		// the last Revision seen loses nothing.
		var want []configstore.Change
		for _, ch := range all {
			full := len(want) >= c.limit
			if ch.Revision > c.after && (!full || ch.Revision == want[len(want)-1].Revision) {
				want = append(want, ch)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("ListChanges(%d, %d) returned %s, want %s", c.after, c.limit, formatChanges(got), formatChanges(want))
		}
		for i := range got {
			t.equal(&got[i], &want[i], "ListChanges(%d, %d)[%d]", c.after, c.limit, i)
		}
	}
	// Paging with limit 1 and resuming after the last revision seen
	// returns every entry exactly once.
	var paged []configstore.Change
	for after := int64(0); ; {
		page, err := t.store.ListChanges(t.ctx, after, 1)
		t.must(err, "ListChanges(%d, 1)", after)
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		after = page[len(page)-1].Revision
	}
	if len(paged) != len(all) {
		t.Fatalf("paging with limit 1 returned %s, want %s", formatChanges(paged), formatChanges(all))
	}
}

func contextTests() []test {
	return []test{
		{"CanceledWriteFails", func(t *suiteT) {
			ctx, cancel := context.WithCancel(t.ctx)
			cancel()
			err := t.store.CreateProvider(ctx, &configstore.Provider{Name: "p"})
			t.wantErr(err, context.Canceled, "create with a canceled context")
			_, err = t.store.GetProvider(t.ctx, "p")
			t.wantErr(err, configstore.ErrNotFound, "get after the canceled create")
			t.wantNoChange(0, "a canceled write")
		}},
		{"CanceledTransactionFails", func(t *suiteT) {
			ctx, cancel := context.WithCancel(t.ctx)
			cancel()
			err := t.store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
				return tx.CreateProvider(ctx, &configstore.Provider{Name: "p"})
			})
			t.wantErr(err, context.Canceled, "transaction with a canceled context")
			t.wantNoChange(0, "a canceled transaction")
		}},
	}
}
