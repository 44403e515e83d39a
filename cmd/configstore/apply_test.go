package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore/reconcile"
)

func TestApply(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := newAppDir(t, b)
		d.writeConfig(t, quickstart(t))
		r := d.mustRun(t, "apply")
		expectContains(t, r.stdout, "store revision 0 -> 1.")
		// Counts per section and action, the total, then each entity.
		expectRows(t, r.stdout, []string{"section", "create", "update", "keep", "prune"},
			[]string{"providers", "7", "0", "0", "0"}, []string{"governance.virtual_keys", "2", "0", "0", "0"},
			[]string{"mcp.client_configs", "1", "0", "0", "0"}, []string{"total", "19", "0", "0", "0"},
			[]string{"create", "virtual_key", "vk-portal (customer-portal)", "new in file"},
			[]string{"create", "key", "key-openai-primary (openai-primary)", "new in file"})
		if r.stderr != "" {
			t.Errorf("apply wrote to stderr at the default log level (a progress bar on a pipe?): %q", r.stderr)
		}
		var vk map[string]any
		decodeJSON(t, d.mustRun(t, "get", "virtual_key", "vk-portal"), &vk)
		if vk["value"] != "env.VK_PORTAL" || vk["team_id"] != "team-platform" {
			t.Errorf("stored virtual key after apply: %v", vk)
		}

		again := d.mustRun(t, "apply")
		expectContains(t, again.stdout, "no changes, store revision 1 (the file and the store are as the last apply left them")
		planned := d.mustRun(t, "plan")
		expectContains(t, planned.stdout, "store revision 1; nothing written.")
		expectRows(t, planned.stdout, []string{"total", "0", "0", "19", "0"})
	})
}

func TestApplyWithoutConfigFile(t *testing.T) {
	d := newAppDir(t, backends[0]) // SQLite: the default store of an app dir without config.json
	r := d.mustRun(t, "apply")
	expectContains(t, r.stdout, "No config.json in "+d.dir+": opened the default store", "Store revision 0.")
	if _, err := os.Stat(filepath.Join(d.dir, "config.db")); err != nil {
		t.Errorf("apply without config.json should create the default config.db: %v", err)
	}
}

// badConfig has four problems; the output must name each by its JSON path.
const badConfig = `{
  "providers": {"openai": {"keys": [{"id": "k1", "name": "k", "value": "env.X", "weight": -1, "bogus": 1}]}},
  "governance": {"virtual_keys": [{"id": "vk", "name": "v", "value": "env.V", "is_active": "yes",
    "provider_configs": [{"provider": "openai", "key_ids": ["nope"]}]}]}
}`

// writeBadConfig writes badConfig with the app dir's config_store section.
func writeBadConfig(t *testing.T, d *appDir) {
	t.Helper()
	doc := strings.TrimSuffix(strings.TrimSpace(badConfig), "}")
	if d.configStore != nil {
		section, err := json.Marshal(d.configStore)
		if err != nil {
			t.Fatal(err)
		}
		doc += `, "config_store": ` + string(section)
	}
	if err := os.WriteFile(filepath.Join(d.dir, reconcile.FileName), []byte(doc+"}"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestApplyBadFile(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := newAppDir(t, b)
		writeBadConfig(t, d)
		r := d.run(t, "apply")
		expectCode(t, r, exitError, "apply of a bad config.json")
		expectContains(t, r.stderr, "4 problem(s) in config.json; nothing was written",
			"providers.openai.keys[0].weight: must not be negative",
			`providers.openai.keys[0].bogus: unknown field "bogus"`,
			"governance.virtual_keys[0].is_active: expected a boolean",
			`governance.virtual_keys[0].provider_configs[0].key_ids[0]: no key "nope"`)
		if r.stdout != "" {
			t.Errorf("a failed apply printed a report: %s", r.stdout)
		}
		if _, err := os.Stat(filepath.Join(d.dir, "config.db")); err == nil {
			t.Error("a failed apply created config.db")
		}
		// Nothing was written: the store (opened without reconciling) is empty.
		if got := d.mustRun(t, "get", "provider").stdout; strings.TrimSpace(got) != "[]" {
			t.Errorf("providers after a failed apply: %s", got)
		}
	})
}

func TestApplySourceOfTruthOverride(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := newAppDir(t, b)
		doc := quickstart(t)
		d.writeConfig(t, doc)
		d.mustRun(t, "apply")
		// An API edit, then the file without the plugins: split mode keeps
		// both, config.json mode reverts the edit and prunes the plugin.
		d.runInput(t, `{"id": "team-research", "name": "Research", "customer_id": "cust-acme", "profile": {"floor": 3}}`,
			nil, "put", "team", "-f", "-")
		doc["plugins"] = []any{}
		d.writeConfig(t, doc)
		r := d.mustRun(t, "apply", "--source-of-truth", "config.json")
		expectContains(t, r.stdout, `source of truth "config.json"`, `profile: {"floor":3} -> (none)`)
		expectRows(t, r.stdout, []string{"prune", "plugin", "governance", "authoritative: not in file"},
			[]string{"update", "team", "team-research (Research)", "authoritative: file value applied"})
		bad := d.run(t, "apply", "--source-of-truth", "files")
		expectCode(t, bad, exitError, "apply --source-of-truth files")
		expectContains(t, bad.stderr, `--source-of-truth "files": want "split" or "config.json"`)
	})
}

func TestPlan(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := newAppDir(t, b)
		d.writeConfig(t, quickstart(t))

		r := d.run(t, "plan", "--detailed-exitcode")
		expectCode(t, r, exitChanges, "plan --detailed-exitcode on an empty store")
		expectContains(t, r.stdout, "store revision 0; nothing written.")
		expectRows(t, r.stdout, []string{"create", "plugin", "governance", "new in file"})
		// plan wrote nothing: planning again gives the same plan.
		expectCode(t, d.run(t, "plan", "--detailed-exitcode"), exitChanges, "second plan")
		expectCode(t, d.run(t, "plan"), exitOK, "plan without --detailed-exitcode")

		var plan reconcile.Changeset
		decodeJSON(t, d.mustRun(t, "plan", "--json"), &plan)
		if len(plan.Entries) != 19 || plan.Mode != "split" || plan.Revision != 0 {
			t.Errorf("plan --json: mode %q, revision %d, %d entries; want split, 0, 19", plan.Mode, plan.Revision, len(plan.Entries))
		}
		for _, e := range plan.Entries {
			if e.Action != reconcile.ActionCreate || e.Reason != reconcile.ReasonNew {
				t.Errorf("plan --json entry %+v: want create, %q", e, reconcile.ReasonNew)
			}
		}

		d.mustRun(t, "apply")
		expectCode(t, d.run(t, "plan", "--detailed-exitcode"), exitOK, "plan after apply")

		writeBadConfig(t, d)
		bad := d.run(t, "plan", "--detailed-exitcode")
		expectCode(t, bad, exitError, "plan of a bad config.json")
		expectContains(t, bad.stderr, "providers.openai.keys[0].weight")
	})
}

// In file-only mode nothing is stored: apply and plan say so and report what
// the gateway loads, plan --detailed-exitcode exits 0 for a valid file, and
// a bad file still fails with every problem.
func TestFileOnlyApplyPlan(t *testing.T) {
	d := &appDir{dir: t.TempDir(), configStore: map[string]any{"enabled": false}}
	d.writeConfig(t, quickstart(t))
	headline := "File-only mode (config_store disabled): " + filepath.Join(d.dir, reconcile.FileName) +
		" is valid; no store is written or persisted."
	for _, cmd := range []string{"apply", "plan"} {
		r := d.mustRun(t, cmd)
		expectContains(t, r.stdout, headline, "loads config.json into a read-only memory store at each start", "It loads:")
		expectRows(t, r.stdout, []string{"section", "entities"}, []string{"providers", "7"},
			[]string{"governance.virtual_keys", "2"}, []string{"total", "19"})
		for _, claim := range []string{"store revision", "Applied", "create", "nothing written"} {
			if strings.Contains(r.stdout, claim) {
				t.Errorf("%s in file-only mode says %q:\n%s", cmd, claim, r.stdout)
			}
		}
	}
	if entries, err := os.ReadDir(d.dir); err != nil || len(entries) != 1 {
		t.Errorf("file-only apply left files in the app dir besides config.json: %v (%v)", entries, err)
	}
	for range 2 { // no stored state: the same answer every time
		r := d.run(t, "plan", "--detailed-exitcode")
		expectCode(t, r, exitOK, "plan --detailed-exitcode in file-only mode")
		expectContains(t, r.stdout, headline)
	}
	var plan reconcile.Changeset
	decodeJSON(t, d.mustRun(t, "plan", "--json"), &plan)
	if plan.Entries == nil || len(plan.Entries) != 0 {
		t.Errorf("plan --json in file-only mode: %d entries (nil: %v), want an empty list", len(plan.Entries), plan.Entries == nil)
	}

	writeBadConfig(t, d)
	for _, args := range [][]string{{"apply"}, {"plan", "--detailed-exitcode"}, {"plan", "--json"}} {
		r := d.run(t, args...)
		expectCode(t, r, exitError, fmt.Sprintf("%v of a bad file-only config.json", args))
		expectContains(t, r.stderr, "4 problem(s) in config.json",
			"providers.openai.keys[0].weight: must not be negative",
			`providers.openai.keys[0].bogus: unknown field "bogus"`,
			"governance.virtual_keys[0].is_active: expected a boolean",
			`governance.virtual_keys[0].provider_configs[0].key_ids[0]: no key "nope"`)
		if r.stdout != "" {
			t.Errorf("%v of a bad file printed a report: %s", args, r.stdout)
		}
	}
}
