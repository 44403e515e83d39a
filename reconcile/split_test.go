package reconcile_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// apiEdit changes key k-openai's weight and budget b-vk's max_limit through
// the API, as the UI would.
func apiEdit(t *testing.T, app *appDir, weight, maxLimit float64) {
	t.Helper()
	ctx := context.Background()
	app.withStore(t, func(s configstore.ConfigStore) {
		key, err := s.GetKey(ctx, "k-openai")
		if err != nil {
			t.Fatal(err)
		}
		key.Weight = weight
		if err := s.UpdateKey(ctx, key); err != nil {
			t.Fatal(err)
		}
		b, err := s.GetBudget(ctx, "b-vk")
		if err != nil {
			t.Fatal(err)
		}
		b.MaxLimit = maxLimit
		if err := s.UpdateBudget(ctx, b); err != nil {
			t.Fatal(err)
		}
	})
}

// storedEdit returns k-openai's weight and b-vk's max_limit.
func storedEdit(t *testing.T, app *appDir) (weight, maxLimit float64) {
	t.Helper()
	ctx := context.Background()
	app.withStore(t, func(s configstore.ConfigStore) {
		key, err := s.GetKey(ctx, "k-openai")
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.GetBudget(ctx, "b-vk")
		if err != nil {
			t.Fatal(err)
		}
		weight, maxLimit = key.Weight, b.MaxLimit
	})
	return weight, maxLimit
}

// preservesEdits fails the test unless plan keeps every entity and names
// the API edits of apiEdit(5, 250) as preserved.
func preservesEdits(t *testing.T, plan *reconcile.Changeset) {
	t.Helper()
	onlyActions(t, plan, reconcile.ActionKeep)
	for _, id := range []string{"key/k-openai", "budget/b-vk"} {
		kind, id := split2(id)
		if e := entry(t, plan, kind, id); e.Reason != reconcile.ReasonEditPreserved {
			t.Fatalf("%s %s: reason %q, want %q", kind, id, e.Reason, reconcile.ReasonEditPreserved)
		}
	}
	hasChange(t, entry(t, plan, "key", "k-openai"), "weight", "5", "1")
	hasChange(t, entry(t, plan, "budget", "b-vk"), "max_limit", "250", "100")
}

// hasChange fails the test unless e's changes include path with the
// stored and file values.
func hasChange(t *testing.T, e reconcile.Entry, path, stored, file string) {
	t.Helper()
	for _, c := range e.Changes {
		if c.Path == path {
			if c.Stored != stored || c.File != file {
				t.Fatalf("%s %s: change of %s is %q -> %q, want %q -> %q", e.Kind, e.ID, path, c.Stored, c.File, stored, file)
			}
			return
		}
	}
	t.Fatalf("%s %s: no change of %s in %+v", e.Kind, e.ID, path, e.Changes)
}

// TestSplitAPIEditSurvivesRestarts: in split mode an API edit of a key's
// weight and of a virtual key's budget survives five restarts with an
// unchanged file. The first restart after the edit compares every entity:
// it keeps the edited ones and names the preserved edits; the later ones
// find the store as that restart left it and are Unchanged; a dry run
// still names the preserved edits.
func TestSplitAPIEditSurvivesRestarts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		apiEdit(t, app, 5, 250)
		for i := range 5 {
			plan := app.restart(t, reconcile.Options{})
			if plan.Unchanged != (i > 0) {
				t.Fatalf("restart %d after the edit: Unchanged %v", i+1, plan.Unchanged)
			}
			if i == 0 {
				preservesEdits(t, plan)
			}
			if w, m := storedEdit(t, app); w != 5 || m != 250 {
				t.Fatalf("after a restart: weight %v, max_limit %v, want the API edits 5 and 250", w, m)
			}
		}
		preservesEdits(t, app.restart(t, reconcile.Options{DryRun: true}))
	})
}

// TestSplitChangedFileDefinitionWins: in split mode, changing an entity in
// the file replaces the API edit on the next start, and the plan names the
// stored edit it overwrote (field, stored value, file value). The start
// after that keeps the entity.
func TestSplitChangedFileDefinitionWins(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		apiEdit(t, app, 5, 250)
		app.write(t, edit(t, fullConfig, func(m map[string]any) {
			obj(list(m, "providers", "openai", "keys")[0])["weight"] = 3
			obj(list(m, "governance", "budgets")[0])["max_limit"] = 150
		}))
		plan := app.restart(t, reconcile.Options{})
		for _, id := range []string{"key/k-openai", "budget/b-vk"} {
			kind, id := split2(id)
			if e := entry(t, plan, kind, id); e.Action != reconcile.ActionUpdate || e.Reason != reconcile.ReasonFileChanged {
				t.Fatalf("%s %s: %s (%s), want update (%s)", kind, id, e.Action, e.Reason, reconcile.ReasonFileChanged)
			}
		}
		hasChange(t, entry(t, plan, "key", "k-openai"), "weight", "5", "3")
		hasChange(t, entry(t, plan, "budget", "b-vk"), "max_limit", "250", "150")
		if w, m := storedEdit(t, app); w != 3 || m != 150 {
			t.Fatalf("weight %v, max_limit %v, want the file's 3 and 150", w, m)
		}
		// The other entities were not touched.
		for _, e := range plan.Entries {
			if e.ID != "k-openai" && e.ID != "b-vk" && e.Action != reconcile.ActionKeep {
				t.Errorf("%s %s: %s, want keep", e.Kind, e.ID, e.Action)
			}
		}
		onlyActions(t, app.restart(t, reconcile.Options{}), reconcile.ActionKeep)
	})
}

// TestSplitNeverPrunes: in split mode an entity removed from the file (a
// provider with its key, a key, a virtual key with the budget it owns, a
// plugin, a routing rule) stays in the store, and the plan does not
// mention it.
func TestSplitNeverPrunes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		var before map[string]string
		app.withStore(t, func(s configstore.ConfigStore) { before = sections(t, s) })
		app.write(t, edit(t, fullConfig, func(m map[string]any) {
			delete(obj(m, "providers"), "anthropic")
			keys := obj(m, "providers", "openai")
			keys["keys"] = list(m, "providers", "openai", "keys")[:1]
			gov := obj(m, "governance")
			gov["virtual_keys"] = list(m, "governance", "virtual_keys")[1:] // drops vk-1
			gov["budgets"] = list(m, "governance", "budgets")[1:]           // drops b-vk, which vk-1 owns
			gov["routing_rules"] = []any{}
			m["plugins"] = list(m, "plugins")[:1]
		}))
		plan := app.restart(t, reconcile.Options{})
		onlyActions(t, plan, reconcile.ActionKeep)
		for _, gone := range []string{"provider/anthropic", "key/k-anthropic", "key/k-openai-2", "virtual_key/vk-1", "budget/b-vk",
			"routing_rule/rr-1", "plugin/logging"} {
			if kind, id := split2(gone); hasEntry(plan, kind, id) {
				t.Errorf("the plan mentions %s, which the file no longer has", gone)
			}
		}
		app.withStore(t, func(s configstore.ConfigStore) { sameExcept(t, before, sections(t, s)) })
	})
}

// TestSplitMatchesEntitiesWithoutIDByName: keys and MCP clients given
// without an id (config.json requires ids of governance entities) get a
// generated id on the first start and match the stored one by name on the
// next; a key_ids entry naming such a key resolves to its id; an
// API-created key of the same name as an id-less file key is that key (the
// file definition replaces it, keeping its id).
func TestSplitMatchesEntitiesWithoutIDByName(t *testing.T) {
	const doc = `{
	  "providers": {"openai": {"keys": [
	    {"name": "generated", "value": "env.OPENAI_API_KEY", "weight": 1},
	    {"name": "made-by-api", "value": "env.OPENAI_API_KEY_2", "weight": 4}
	  ]}},
	  "governance": {
	    "virtual_keys": [{"id": "vk-1", "name": "portal", "value": "sk-bf-0123456789abcdef", "is_active": true,
	      "provider_configs": [{"provider": "openai", "key_ids": ["generated"]}],
	      "mcp_configs": [{"mcp_client_name": "tools"}]}]
	  },
	  "mcp": {"client_configs": [{"name": "tools", "connection_type": "http", "connection_string": "http://localhost:1/mcp"}]}
	}`
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, `{"providers": {"openai": {"keys": []}}}`)
		app.restart(t, reconcile.Options{})
		app.withStore(t, func(s configstore.ConfigStore) {
			must(t, s.CreateKey(ctx, &configstore.Key{ID: "api-id", Provider: "openai", Name: "made-by-api",
				Value: configstore.NewEnvVar("env.OTHER"), Weight: 1}))
		})
		app.write(t, doc)
		plan := app.restart(t, reconcile.Options{})
		adopted := entry(t, plan, "key", "api-id")
		if adopted.Action != reconcile.ActionUpdate || adopted.Name != "made-by-api" {
			t.Fatalf("the API-created key: %s %q, want an update of api-id", adopted.Action, adopted.Name)
		}
		hasChange(t, adopted, "weight", "1", "4")
		hasChange(t, adopted, "value", `"env.OTHER"`, `"env.OPENAI_API_KEY_2"`)
		ids := map[string]string{}
		for _, e := range plan.Entries {
			if e.Action == reconcile.ActionCreate && (e.Kind == "key" || e.Kind == "mcp_client") {
				if e.ID == "" {
					t.Fatalf("%s %q created without an id", e.Kind, e.Name)
				}
				ids[e.Name] = e.ID
			}
		}
		if len(ids) != 2 {
			t.Fatalf("created %v, want the key and the MCP client without id%s", ids, describePlan(plan))
		}
		app.withStore(t, func(s configstore.ConfigStore) {
			vk, err := s.GetVirtualKey(ctx, "vk-1")
			must(t, err)
			if got := vk.ProviderConfigs[0].KeyIDs; len(got) != 1 || got[0] != ids["generated"] {
				t.Fatalf("key_ids %v, want the generated key's id %q", got, ids["generated"])
			}
			if _, err := s.GetMCPClient(ctx, ids["tools"]); err != nil {
				t.Fatal(err)
			}
			key, err := s.GetKey(ctx, "api-id")
			if err != nil || key.Weight != 4 || key.Value.VarName() != "OPENAI_API_KEY_2" {
				t.Fatalf("the API-created key after the start: %+v, %v", key, err)
			}
		})
		again := app.restart(t, reconcile.Options{})
		onlyActions(t, again, reconcile.ActionKeep)
		for _, e := range again.Entries {
			if want, ok := ids[e.Name]; ok && e.ID != want {
				t.Errorf("%s %q matched %q, want %q", e.Kind, e.Name, e.ID, want)
			}
		}
	})
}

// split2 splits "kind/id".
func split2(s string) (string, string) {
	kind, id, _ := strings.Cut(s, "/")
	return kind, id
}
