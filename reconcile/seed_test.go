package reconcile_test

import (
	"context"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// TestFirstStartSeedsEverySection: the first start creates every entity of
// every section, recording each one's config_hash.
func TestFirstStartSeedsEverySection(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, fullConfig)
		res := app.start(t, reconcile.Options{})
		if res.Setup != reconcile.SetupConfiguredStore || !res.Applied {
			t.Fatalf("setup %q, applied %v", res.Setup, res.Applied)
		}
		onlyActions(t, res.Plan, reconcile.ActionCreate)
		want := map[string]int{"provider": 2, "key": 3, "budget": 2, "rate_limit": 1, "customer": 1, "team": 1,
			"virtual_key": 2, "routing_rule": 1, "model_config": 1, "auth_config": 1, "mcp_client": 1, "plugin": 2,
			"client_config": 1, "vector_store_config": 1, "log_store_config": 1}
		got := map[string]int{}
		for _, e := range res.Plan.Entries {
			got[e.Kind]++
			if e.Reason != reconcile.ReasonNew {
				t.Errorf("%s %s: reason %q, want %q", e.Kind, e.ID, e.Reason, reconcile.ReasonNew)
			}
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%d %s entries, want %d%s", got[k], k, n, describePlan(res.Plan))
			}
		}

		s := res.Store
		vk, err := s.GetVirtualKey(ctx, "vk-1")
		if err != nil {
			t.Fatal(err)
		}
		if vk.ConfigHash == "" || vk.TeamID != "team-1" || len(vk.ProviderConfigs) != 1 || len(vk.MCPConfigs) != 1 {
			t.Fatalf("vk-1 stored as %+v", vk)
		}
		budget, err := s.GetBudget(ctx, "b-vk")
		if err != nil || budget.VirtualKeyID != "vk-1" || budget.MaxLimit != 100 {
			t.Fatalf("b-vk: %+v, %v", budget, err)
		}
		key, err := s.GetKey(ctx, "k-openai")
		if err != nil || key.Value.VarName() != "OPENAI_API_KEY" || key.Provider != "openai" {
			t.Fatalf("k-openai: %+v, %v", key, err)
		}
		auth, err := s.GetAuthConfig(ctx)
		if err != nil || auth.AdminPassword.VarName() != "ADMIN_PASSWORD" || !auth.IsEnabled {
			t.Fatalf("auth: %+v, %v", auth, err)
		}
		client, err := s.GetClientConfig(ctx)
		if err != nil || client.InitialPoolSize != 300 {
			t.Fatalf("client: %+v, %v", client, err)
		}
		changes, err := s.ListChanges(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			if c.Source != configstore.SourceConfigFile || c.Revision != 1 {
				t.Errorf("change %+v: want source %q in revision 1 (one transaction)", c, configstore.SourceConfigFile)
			}
		}
		if rev := revision(t, s); rev != 1 {
			t.Fatalf("revision %d after the first start, want 1", rev)
		}
	})
}

// TestSecondStartWritesNothing: starting again with the same file keeps
// every entity and writes nothing: no transaction, no change-log entry,
// the same revision and the same stored data, in both modes.
func TestSecondStartWritesNothing(t *testing.T) {
	for _, mode := range []string{"split", "config.json"} {
		t.Run(mode, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, app *appDir) {
				app.write(t, edit(t, fullConfig, func(m map[string]any) { m["source_of_truth"] = mode }))
				app.restart(t, reconcile.Options{})
				var before string
				var rev int64
				app.withStore(t, func(s configstore.ConfigStore) { before, rev = snapshot(t, s), revision(t, s) })

				plan := app.restart(t, reconcile.Options{})
				onlyActions(t, plan, reconcile.ActionKeep)
				for _, e := range plan.Entries {
					if e.Reason != reconcile.ReasonUnchanged || len(e.Changes) != 0 {
						t.Errorf("%s %s: %s %v, want %q without changes", e.Kind, e.ID, e.Reason, e.Changes, reconcile.ReasonUnchanged)
					}
				}
				app.withStore(t, func(s configstore.ConfigStore) {
					if got := revision(t, s); got != rev {
						t.Fatalf("revision %d after the second start, want %d", got, rev)
					}
					changes, err := s.ListChanges(context.Background(), rev, 0)
					if err != nil || len(changes) != 0 {
						t.Fatalf("changes after the second start: %v, %v", changes, err)
					}
					if after := snapshot(t, s); after != before {
						t.Fatalf("the second start changed the store:\nbefore %s\nafter %s", before, after)
					}
				})
			})
		})
	}
}
