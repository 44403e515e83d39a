package reconcile_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
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
// virtual key, and with them the budget vk-1 owns, which the plan lists as
// deleted with its owner; nothing else changes: the budget no virtual key
// owns, the teams, rate limits, keys and MCP clients stay. In split mode
// the same file changes nothing at all.
func TestConfigJSONEmptyVirtualKeysPrunesOnlyVirtualKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		var before map[string]string
		app.withStore(t, func(s configstore.ConfigStore) { before = sections(t, s) })

		app.write(t, `{"governance": {"virtual_keys": []}}`)
		if plan := app.restart(t, reconcile.Options{}); len(plan.Entries) != 0 {
			t.Fatalf("split plan %s, want no entries: split mode prunes nothing", describePlan(plan))
		}
		app.withStore(t, func(s configstore.ConfigStore) { sameExcept(t, before, sections(t, s)) })

		app.write(t, `{"source_of_truth": "config.json", "governance": {"virtual_keys": []}}`)
		plan := app.restart(t, reconcile.Options{})
		prunesExactly(t, plan, map[string]string{
			"virtual_key/vk-1": reconcile.ReasonNotInFile,
			"virtual_key/vk-2": reconcile.ReasonNotInFile,
			"budget/b-vk":      reconcile.ReasonOwnerPruned + ` virtual_key "vk-1"`,
		})
		if e := entry(t, plan, "budget", "b-vk"); e.Section != configfile.SectionBudgets {
			t.Errorf("budget b-vk is counted in section %q, want %q", e.Section, configfile.SectionBudgets)
		}
		if n := plan.Counts()[reconcile.ActionPrune]; n != 3 {
			t.Errorf("the plan counts %d prunes, want 3", n)
		}
		app.withStore(t, func(s configstore.ConfigStore) {
			after := sections(t, s)
			sameExcept(t, before, after, "virtual_keys", "budgets", "revision")
			planIsHonest(t, plan, before, after)
		})
	})
}

// TestConfigJSONPlanListsBudgetsDeletedWithTheirOwner: in config.json
// mode, pruning virtual keys, teams, customers and model configs (whose
// sections the file has, empty) deletes the budgets each owns, though the
// file lacks the budgets section; pruning the providers deletes their
// keys. The plan lists every entity the apply deletes, each with why, and
// nothing else; the budget no entity owns stays as it was.
func TestConfigJSONPlanListsBudgetsDeletedWithTheirOwner(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, edit(t, fullConfig, func(m map[string]any) {
			obj(m, "governance")["budgets"] = append(list(m, "governance", "budgets"),
				map[string]any{"id": "b-team-own", "max_limit": 1, "reset_duration": "1d", "team_id": "team-1"},
				map[string]any{"id": "b-cust", "max_limit": 2, "reset_duration": "1d", "customer_id": "cust-1"},
				map[string]any{"id": "b-mc", "max_limit": 3, "reset_duration": "1d", "model_config_id": "mc-1"})
		}))
		app.restart(t, reconcile.Options{})
		var before map[string]string
		app.withStore(t, func(s configstore.ConfigStore) { before = sections(t, s) })
		app.write(t, `{"source_of_truth": "config.json", "providers": {},
			"governance": {"virtual_keys": [], "teams": [], "customers": [], "model_configs": []}}`)
		plan := app.restart(t, reconcile.Options{})
		prunesExactly(t, plan, map[string]string{
			"virtual_key/vk-1":   reconcile.ReasonNotInFile,
			"virtual_key/vk-2":   reconcile.ReasonNotInFile,
			"team/team-1":        reconcile.ReasonNotInFile,
			"customer/cust-1":    reconcile.ReasonNotInFile,
			"model_config/mc-1":  reconcile.ReasonNotInFile,
			"provider/openai":    reconcile.ReasonNotInFile,
			"provider/anthropic": reconcile.ReasonNotInFile,
			"key/k-openai":       reconcile.ReasonNotInFile, // the keys are in the providers section, which the file has
			"key/k-openai-2":     reconcile.ReasonNotInFile,
			"key/k-anthropic":    reconcile.ReasonNotInFile,
			"budget/b-vk":        reconcile.ReasonOwnerPruned + ` virtual_key "vk-1"`,
			"budget/b-team-own":  reconcile.ReasonOwnerPruned + ` team "team-1"`,
			"budget/b-cust":      reconcile.ReasonOwnerPruned + ` customer "cust-1"`,
			"budget/b-mc":        reconcile.ReasonOwnerPruned + ` model_config "mc-1"`,
		})
		app.withStore(t, func(s configstore.ConfigStore) {
			after := sections(t, s)
			sameExcept(t, before, after, "virtual_keys", "teams", "customers", "model_configs", "providers", "keys",
				"budgets", "revision")
			planIsHonest(t, plan, before, after)
		})
	})
}

// TestConfigJSONBudgetMovedFromAPrunedOwnerStays: a budget the file gives
// to a new virtual key, while the stored one belongs to a virtual key the
// file prunes, is updated to its new owner and not deleted with the old
// one.
func TestConfigJSONBudgetMovedFromAPrunedOwnerStays(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, authoritative(t, fullConfig))
		app.restart(t, reconcile.Options{})
		var before map[string]string
		app.withStore(t, func(s configstore.ConfigStore) { before = sections(t, s) })
		app.write(t, authoritative(t, edit(t, fullConfig, func(m map[string]any) {
			gov := obj(m, "governance")
			gov["virtual_keys"] = list(m, "governance", "virtual_keys")[1:] // drops vk-1
			obj(list(m, "governance", "budgets")[0])["virtual_key_id"] = "vk-2"
		})))
		plan := app.restart(t, reconcile.Options{})
		if e := entry(t, plan, "budget", "b-vk"); e.Action != reconcile.ActionUpdate {
			t.Fatalf("budget b-vk: %s (%s), want update to its new owner%s", e.Action, e.Reason, describePlan(plan))
		}
		if e := entry(t, plan, "virtual_key", "vk-1"); e.Action != reconcile.ActionPrune {
			t.Fatalf("virtual key vk-1: %s, want prune", e.Action)
		}
		app.withStore(t, func(s configstore.ConfigStore) {
			b, err := s.GetBudget(ctx, "b-vk")
			if err != nil || b.VirtualKeyID != "vk-2" {
				t.Fatalf("budget b-vk after the apply: %+v (%v), want it owned by vk-2", b, err)
			}
			planIsHonest(t, plan, before, sections(t, s))
		})
	})
}

// prunesExactly fails the test unless the plan's entries are exactly the
// prunes of want ("kind/id" -> reason).
func prunesExactly(t *testing.T, plan *reconcile.Changeset, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, e := range plan.Entries {
		if e.Action != reconcile.ActionPrune {
			t.Errorf("%s %s: %s (%s), want prune or nothing", e.Kind, e.ID, e.Action, e.Reason)
		}
		got[e.Kind+"/"+e.ID] = e.Reason
	}
	if len(got) != len(plan.Entries) || !maps.Equal(got, want) {
		t.Fatalf("plan %s\nwant the prunes %v", describePlan(plan), want)
	}
}

// planIsHonest fails the test unless the apply of plan, which took the
// store from before to after (sections), deleted exactly the entities the
// plan prunes and changed none that the plan does not update.
func planIsHonest(t *testing.T, plan *reconcile.Changeset, before, after map[string]string) {
	t.Helper()
	actions := map[string]reconcile.Action{}
	var pruned []string
	for _, e := range plan.Entries {
		actions[e.Kind+"/"+e.ID] = e.Action
		if e.Action == reconcile.ActionPrune {
			pruned = append(pruned, e.Kind+"/"+e.ID)
		}
	}
	was, is := storedEntities(t, before), storedEntities(t, after)
	var deleted []string
	for id, stored := range was {
		now, kept := is[id]
		switch {
		case !kept:
			deleted = append(deleted, id)
		case now != stored && actions[id] != reconcile.ActionUpdate:
			t.Errorf("%s changed, though the plan does not update it (%q):\nbefore %s\nafter  %s", id, actions[id], stored, now)
		}
	}
	slices.Sort(pruned)
	slices.Sort(deleted)
	if !slices.Equal(deleted, pruned) {
		t.Fatalf("the apply deleted %v, the plan prunes %v", deleted, pruned)
	}
}

// entitySections are the sections of a snapshot that list entities: the
// kind of each, and the JSON field of its key.
var entitySections = map[string]struct{ kind, key string }{
	"providers": {"provider", "name"}, "keys": {"key", "id"}, "virtual_keys": {"virtual_key", "id"},
	"budgets": {"budget", "id"}, "rate_limits": {"rate_limit", "id"}, "customers": {"customer", "id"},
	"teams": {"team", "id"}, "plugins": {"plugin", "name"}, "mcp_clients": {"mcp_client", "client_id"},
	"routing_rules": {"routing_rule", "id"}, "model_configs": {"model_config", "id"},
}

// storedEntities returns the entities of a snapshot (sections), each as
// its stored JSON, by "kind/id".
func storedEntities(t *testing.T, secs map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for section, es := range entitySections {
		var rows []json.RawMessage
		if err := json.Unmarshal([]byte(secs[section]), &rows); err != nil {
			t.Fatalf("section %s: %v", section, err)
		}
		for _, row := range rows {
			var fields map[string]any
			if err := json.Unmarshal(row, &fields); err != nil {
				t.Fatalf("section %s: %v", section, err)
			}
			out[fmt.Sprintf("%s/%v", es.kind, fields[es.key])] = string(row)
		}
	}
	return out
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
