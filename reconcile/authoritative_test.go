package reconcile_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// authoritative returns doc with source_of_truth "config.json".
func authoritative(t *testing.T, doc string) string {
	return edit(t, doc, func(m map[string]any) { m["source_of_truth"] = "config.json" })
}

// TestConfigJSONFileValuesReplaceAPIEdits: in config.json mode the file
// values replace API edits on restart, though the file (and so the hash)
// did not change; the plan names the overwritten edits.
func TestConfigJSONFileValuesReplaceAPIEdits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, authoritative(t, fullConfig))
		app.restart(t, reconcile.Options{})
		apiEdit(t, app, 5, 250)
		plan := app.restart(t, reconcile.Options{})
		for _, id := range []string{"key/k-openai", "budget/b-vk"} {
			kind, id := split2(id)
			if e := entry(t, plan, kind, id); e.Action != reconcile.ActionUpdate || e.Reason != reconcile.ReasonAuthoritative {
				t.Fatalf("%s %s: %s (%s), want update (%s)", kind, id, e.Action, e.Reason, reconcile.ReasonAuthoritative)
			}
		}
		hasChange(t, entry(t, plan, "key", "k-openai"), "weight", "5", "1")
		hasChange(t, entry(t, plan, "budget", "b-vk"), "max_limit", "250", "100")
		if w, m := storedEdit(t, app); w != 1 || m != 100 {
			t.Fatalf("weight %v, max_limit %v, want the file's 1 and 100", w, m)
		}
		onlyActions(t, app.restart(t, reconcile.Options{}), reconcile.ActionKeep)
	})
}

// TestConfigJSONPrunesWhatAPresentSectionLacks: in config.json mode the
// stored entities of a section the file has, but not in the file, are
// pruned: an API-created plugin, team and routing rule, a provider with its
// key, a key of a file provider, and a file entity removed from the file.
func TestConfigJSONPrunesWhatAPresentSectionLacks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, authoritative(t, fullConfig))
		app.restart(t, reconcile.Options{})
		app.withStore(t, func(s configstore.ConfigStore) {
			must(t, s.CreatePlugin(ctx, &configstore.Plugin{Name: "api-plugin", Enabled: true}))
			must(t, s.CreateTeam(ctx, &configstore.Team{ID: "api-team", Name: "made by the API"}))
			must(t, s.CreateRoutingRule(ctx, &configstore.RoutingRule{ID: "api-rule", Name: "api",
				Targets: []configstore.RoutingTarget{{Provider: "openai", Weight: 1}}}))
			must(t, s.CreateProvider(ctx, &configstore.Provider{Name: "mistral"}))
			must(t, s.CreateKey(ctx, &configstore.Key{ID: "api-mistral", Provider: "mistral", Name: "mistral-key",
				Value: configstore.NewEnvVar("env.MISTRAL"), Weight: 1}))
			must(t, s.CreateKey(ctx, &configstore.Key{ID: "api-openai", Provider: "openai", Name: "openai-api-key",
				Value: configstore.NewEnvVar("env.OPENAI_OTHER"), Weight: 1}))
		})
		app.write(t, authoritative(t, edit(t, fullConfig, func(m map[string]any) {
			obj(m, "providers", "openai")["keys"] = list(m, "providers", "openai", "keys")[:1] // drops k-openai-2
		})))
		plan := app.restart(t, reconcile.Options{})
		pruned := []string{"plugin/api-plugin", "team/api-team", "routing_rule/api-rule", "provider/mistral",
			"key/api-mistral", "key/api-openai", "key/k-openai-2"}
		for _, p := range pruned {
			kind, id := split2(p)
			if e := entry(t, plan, kind, id); e.Action != reconcile.ActionPrune || e.Reason != reconcile.ReasonNotInFile {
				t.Errorf("%s: %s (%s), want prune (%s)", p, e.Action, e.Reason, reconcile.ReasonNotInFile)
			}
		}
		onlyActions(t, plan, reconcile.ActionKeep, reconcile.ActionPrune)
		app.withStore(t, func(s configstore.ConfigStore) {
			gone := map[string]error{}
			_, gone["plugin"] = s.GetPlugin(ctx, "api-plugin")
			_, gone["team"] = s.GetTeam(ctx, "api-team")
			_, gone["routing rule"] = s.GetRoutingRule(ctx, "api-rule")
			_, gone["provider"] = s.GetProvider(ctx, "mistral")
			_, gone["provider's key"] = s.GetKey(ctx, "api-mistral")
			_, gone["API key"] = s.GetKey(ctx, "api-openai")
			_, gone["file key"] = s.GetKey(ctx, "k-openai-2")
			for what, err := range gone {
				if !errors.Is(err, configstore.ErrNotFound) {
					t.Errorf("the pruned %s: %v, want ErrNotFound", what, err)
				}
			}
			keys, err := s.ListKeys(ctx)
			if err != nil || len(keys) != 2 {
				t.Fatalf("keys after the prune: %d (%v), want k-openai and k-anthropic", len(keys), err)
			}
		})
	})
}

// TestConfigJSONLeavesMissingSectionsAlone: in config.json mode a section
// the file does not have is left alone, API-created entities included;
// only the sections it has are authoritative.
func TestConfigJSONLeavesMissingSectionsAlone(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		app.withStore(t, func(s configstore.ConfigStore) {
			must(t, s.CreateTeam(ctx, &configstore.Team{ID: "api-team", Name: "made by the API"}))
			must(t, s.CreatePlugin(ctx, &configstore.Plugin{Name: "api-plugin"}))
		})
		var before map[string]string
		app.withStore(t, func(s configstore.ConfigStore) { before = sections(t, s) })
		app.write(t, `{"source_of_truth": "config.json", "plugins": [{"name": "governance", "enabled": true, "config": {"is_vk_mandatory": true}}, {"name": "logging", "enabled": true}]}`)
		plan := app.restart(t, reconcile.Options{})
		if e := entry(t, plan, "plugin", "api-plugin"); e.Action != reconcile.ActionPrune {
			t.Fatalf("api-plugin: %s, want prune", e.Action)
		}
		for _, e := range plan.Entries {
			if e.Kind != "plugin" {
				t.Errorf("the plan mentions %s %s of a section the file lacks", e.Kind, e.ID)
			}
		}
		app.withStore(t, func(s configstore.ConfigStore) { sameExcept(t, before, sections(t, s), "plugins", "revision") })
	})
}

// TestConfigJSONEmptyPluginsPrunesEveryPlugin: "plugins": [] in config.json
// mode prunes every plugin and nothing else.
func TestConfigJSONEmptyPluginsPrunesEveryPlugin(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, authoritative(t, fullConfig))
		app.restart(t, reconcile.Options{})
		var before map[string]string
		app.withStore(t, func(s configstore.ConfigStore) { before = sections(t, s) })
		app.write(t, authoritative(t, edit(t, fullConfig, func(m map[string]any) { m["plugins"] = []any{} })))
		plan := app.restart(t, reconcile.Options{})
		for _, name := range []string{"governance", "logging"} {
			if e := entry(t, plan, "plugin", name); e.Action != reconcile.ActionPrune {
				t.Fatalf("plugin %s: %s, want prune", name, e.Action)
			}
		}
		onlyActions(t, plan, reconcile.ActionKeep, reconcile.ActionPrune)
		app.withStore(t, func(s configstore.ConfigStore) {
			after := sections(t, s)
			sameExcept(t, before, after, "plugins", "revision")
			if after["plugins"] != "[]" && after["plugins"] != "null" {
				t.Fatalf("plugins after the prune: %s", after["plugins"])
			}
		})
	})
}

// TestConfigJSONEmptyVirtualKeysPrunesOnlyVirtualKeys: a file holding only
// "governance": {"virtual_keys": []} in config.json mode prunes every
// virtual key and nothing else: the teams, budgets, rate limits, keys and
// MCP clients they referred to stay.
func TestConfigJSONEmptyVirtualKeysPrunesOnlyVirtualKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		// Without the budget a virtual key owns, which deleting it deletes.
		app.write(t, edit(t, fullConfig, func(m map[string]any) {
			obj(m, "governance")["budgets"] = list(m, "governance", "budgets")[1:]
		}))
		app.restart(t, reconcile.Options{})
		var before map[string]string
		app.withStore(t, func(s configstore.ConfigStore) { before = sections(t, s) })
		app.write(t, `{"source_of_truth": "config.json", "governance": {"virtual_keys": []}}`)
		plan := app.restart(t, reconcile.Options{})
		if len(plan.Entries) != 2 {
			t.Fatalf("plan %s, want the prunes of vk-1 and vk-2", describePlan(plan))
		}
		onlyActions(t, plan, reconcile.ActionPrune)
		app.withStore(t, func(s configstore.ConfigStore) {
			after := sections(t, s)
			sameExcept(t, before, after, "virtual_keys", "revision")
			var vks []json.RawMessage
			if err := json.Unmarshal([]byte(after["virtual_keys"]), &vks); err != nil || len(vks) != 0 {
				t.Fatalf("virtual keys after the prune: %s", after["virtual_keys"])
			}
		})
	})
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
