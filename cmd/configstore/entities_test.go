package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// applied returns an app dir on b with the quickstart applied.
func applied(t *testing.T, b backend) *appDir {
	t.Helper()
	d := newAppDir(t, b)
	d.writeConfig(t, quickstart(t))
	d.mustRun(t, "apply")
	return d
}

func TestGet(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := applied(t, b)
		var providers []map[string]any
		decodeJSON(t, d.mustRun(t, "get", "provider"), &providers)
		if len(providers) != 3 || providers[0]["name"] != "anthropic" || providers[2]["name"] != "openai" {
			t.Errorf("get provider: %v", providers)
		}
		var key map[string]any
		decodeJSON(t, d.mustRun(t, "get", "key", "key-openai-batch"), &key)
		if key["provider"] != "openai" || key["value"] != "env.OPENAI_BATCH_API_KEY" || key["revision"] != 1.0 {
			t.Errorf("get key: %v", key)
		}
		var client map[string]any
		decodeJSON(t, d.mustRun(t, "get", "client"), &client)
		if client["initial_pool_size"] != 300.0 {
			t.Errorf("get client: %v", client)
		}
		if got := d.mustRun(t, "get", "routing_rule").stdout; strings.TrimSpace(got) != "[]" {
			t.Errorf("get routing_rule on a store without any: %q", got)
		}

		missing := d.run(t, "get", "key", "no-such-key")
		expectCode(t, missing, exitError, "get of a missing key")
		expectContains(t, missing.stderr, "not found")
		unknown := d.run(t, "get", "widget")
		expectCode(t, unknown, exitError, "get of an unknown kind")
		expectContains(t, unknown.stderr, `unknown kind "widget"; kinds: auth, budget, client,`)
	})
}

func TestPut(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := applied(t, b)

		// Create from stdin, without an id: one is generated.
		r := d.runInput(t, `{"name": "Support", "customer_id": "cust-acme"}`, nil, "put", "team", "-f", "-")
		expectCode(t, r, exitOK, "put of a new team")
		var team map[string]any
		decodeJSON(t, r, &team)
		if team["id"] == "" || team["id"] == nil || team["revision"] != 1.0 || team["name"] != "Support" {
			t.Errorf("created team: %v", team)
		}

		// Update from a file: what get printed, edited.
		var vk map[string]any
		decodeJSON(t, d.mustRun(t, "get", "virtual_key", "vk-research"), &vk)
		vk["description"] = "edited through the API"
		file := filepath.Join(t.TempDir(), "vk.json")
		data, _ := json.Marshal(vk)
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var updated map[string]any
		decodeJSON(t, d.mustRun(t, "put", "virtual_key", "-f", file), &updated)
		if updated["description"] != "edited through the API" || updated["revision"] != 2.0 || updated["value"] != "env.VK_RESEARCH" {
			t.Errorf("updated virtual key: %v", updated)
		}

		// The same file again: its revision (1) is stale.
		stale := d.run(t, "put", "virtual_key", "-f", file)
		expectCode(t, stale, exitConflict, "put of a stale revision")
		expectContains(t, stale.stderr, "revision conflict")
		// --if-revision overrides the file's revision.
		expectCode(t, d.run(t, "put", "virtual_key", "-f", file, "--if-revision", "1"), exitConflict, "put --if-revision 1")
		decodeJSON(t, d.mustRun(t, "put", "virtual_key", "-f", file, "--if-revision", "2"), &updated)
		if updated["revision"] != 3.0 {
			t.Errorf("put --if-revision 2: revision %v, want 3", updated["revision"])
		}
		missing := d.runInput(t, `{"id": "team-nope", "name": "Nope"}`, nil, "put", "team", "-f", "-", "--if-revision", "1")
		expectCode(t, missing, exitError, "put --if-revision of a missing entity")
		expectContains(t, missing.stderr, "not found")

		// Strict decoding and validation: nothing written.
		unknownField := d.runInput(t, `{"id": "team-platform", "name": "Platform", "colour": "blue"}`, nil, "put", "team", "-f", "-")
		expectCode(t, unknownField, exitError, "put with an unknown field")
		expectContains(t, unknownField.stderr, `unknown field "colour"`)
		invalid := d.runInput(t, `{"id": "budget-portal", "max_limit": -5, "reset_duration": "1M"}`, nil, "put", "budget", "-f", "-")
		expectCode(t, invalid, exitError, "put of an invalid budget")
		expectContains(t, invalid.stderr, "max_limit: must not be negative")
		var budget map[string]any
		decodeJSON(t, d.mustRun(t, "get", "budget", "budget-portal"), &budget)
		if budget["max_limit"] != 200.0 || budget["revision"] != 1.0 {
			t.Errorf("budget after a refused put: %v", budget)
		}

		// A settings section.
		var client map[string]any
		decodeJSON(t, d.runInput(t, `{"initial_pool_size": 500}`, nil, "put", "client", "-f", "-"), &client)
		if client["initial_pool_size"] != 500.0 {
			t.Errorf("put client: %v", client)
		}
	})
}

// A literal secret: printed redacted by get and put, kept when written back
// redacted.
func TestPutSecretRedacted(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := applied(t, b)
		const secret = "sk-cli-test-literal-0123456789abcdef"
		r := d.runInput(t, `{"id": "key-openai-literal", "provider": "openai", "name": "openai-literal", "value": "`+secret+`", "weight": 1}`,
			nil, "put", "key", "-f", "-")
		expectCode(t, r, exitOK, "put of a key with a literal value")
		get := d.mustRun(t, "get", "key", "key-openai-literal")
		for _, out := range []string{r.stdout, r.stderr, get.stdout} {
			if strings.Contains(out, secret) {
				t.Fatalf("the literal secret was printed: %s", out)
			}
		}
		var key map[string]any
		decodeJSON(t, get, &key)
		if key["value"] != "sk-...cdef" {
			t.Errorf("redacted value: %v", key["value"])
		}
		key["weight"] = 0.5
		data, _ := json.Marshal(key)
		expectCode(t, d.runInput(t, string(data), nil, "put", "key", "-f", "-"), exitOK, "put of the redacted value")
		revealed := d.mustRun(t, "export", "--reveal").stdout
		expectContains(t, revealed, `"value": "`+secret+`"`)
	})
}

// Secrets in free-form values (a plugin's config, the log store's config):
// get and put print them redacted, get --reveal in clear (typed secrets
// too); the redacted form written back keeps them, another redacted-looking
// value is refused.
func TestGetFreeFormSecretsRedacted(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := applied(t, b)
		const password, keySecret = "hunter2-very-secret", "sk-cli-free-form-0123456789abcdef"
		r := d.runInput(t, `{"name": "cache", "enabled": true, "config": {"host": "db", "port": 5432.50, "password": "`+password+
			`", "api_key": "env.CACHE_API_KEY", "auth": {"enabled": true, "token": "tok-1234"}}}`, nil, "put", "plugin", "-f", "-")
		expectCode(t, r, exitOK, "put of a plugin with a password in its config")
		expectCode(t, d.runInput(t, `{"id": "key-free-form", "provider": "openai", "name": "free-form", "value": "`+keySecret+`", "weight": 1}`,
			nil, "put", "key", "-f", "-"), exitOK, "put of a key with a literal value")

		get := d.mustRun(t, "get", "plugin", "cache")
		list := d.mustRun(t, "get", "plugin")
		for what, out := range map[string]string{"put": r.stdout + r.stderr, "get": get.stdout + get.stderr, "get (list)": list.stdout} {
			if strings.Contains(out, password) || strings.Contains(out, "tok-1234") {
				t.Fatalf("%s printed a free-form secret:\n%s", what, out)
			}
		}
		var plugin struct {
			Config map[string]any `json:"config"`
		}
		decodeJSON(t, get, &plugin)
		if c := plugin.Config; c["password"] != "hun...cret" || c["api_key"] != "env.CACHE_API_KEY" || c["host"] != "db" ||
			c["auth"].(map[string]any)["token"] != "****" || c["auth"].(map[string]any)["enabled"] != true {
			t.Errorf("get plugin config: %v", c)
		}
		expectContains(t, get.stdout, "5432.50")

		revealed := d.mustRun(t, "get", "plugin", "cache", "--reveal")
		expectContains(t, revealed.stdout, `"password": "`+password+`"`, `"token": "tok-1234"`, `"api_key": "env.CACHE_API_KEY"`, "5432.50")
		expectContains(t, d.mustRun(t, "get", "key", "key-free-form", "--reveal").stdout, `"value": "`+keySecret+`"`)
		expectContains(t, d.mustRun(t, "get", "key", "--reveal").stdout, `"value": "`+keySecret+`"`)
		if out := d.mustRun(t, "get", "key", "key-free-form").stdout; strings.Contains(out, keySecret) {
			t.Fatalf("get without --reveal printed the key's literal:\n%s", out)
		}

		// What get printed, written back: the secrets are kept.
		expectCode(t, d.runInput(t, get.stdout, nil, "put", "plugin", "-f", "-"), exitOK, "put of the plugin as get printed it")
		expectContains(t, d.mustRun(t, "get", "plugin", "cache", "--reveal").stdout, `"password": "`+password+`"`, `"token": "tok-1234"`)
		// What get --reveal printed, written back, is the same entity.
		expectCode(t, d.runInput(t, revealed.stdout, []string{}, "put", "plugin", "-f", "-", "--if-revision", "2"), exitOK, "put of the plugin as get --reveal printed it")
		expectContains(t, d.mustRun(t, "get", "plugin", "cache", "--reveal").stdout, `"password": "`+password+`"`)

		// A redacted-looking secret with nothing behind it is refused.
		refused := d.runInput(t, `{"enabled": true, "type": "postgres", "config": {"host": "db", "password": "****"}}`, nil, "put", "log_store", "-f", "-")
		expectCode(t, refused, exitError, "put of a log store with a redacted password")
		expectContains(t, refused.stderr, "config.password: is a redacted secret")

		r = d.runInput(t, `{"enabled": true, "type": "postgres", "config": {"host": "db", "password": "`+password+`"}}`, nil, "put", "log_store", "-f", "-")
		expectCode(t, r, exitOK, "put of a log store with a password")
		logStore := d.mustRun(t, "get", "log_store")
		for _, out := range []string{r.stdout, logStore.stdout} {
			if strings.Contains(out, password) {
				t.Fatalf("the log store's password was printed:\n%s", out)
			}
		}
		expectContains(t, logStore.stdout, `"password": "hun...cret"`)
		expectContains(t, d.mustRun(t, "get", "log_store", "--reveal").stdout, `"password": "`+password+`"`)
	})
}

func TestDelete(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := applied(t, b)

		refused := d.run(t, "delete", "team", "team-research")
		expectCode(t, refused, exitError, "delete of a team with virtual keys")
		expectContains(t, refused.stderr, "referenced by other records")

		var changes []struct{ Kind, ID, Op, Source string }
		decodeJSON(t, d.mustRun(t, "delete", "virtual_key", "vk-research"), &changes)
		got := map[string]bool{}
		for _, c := range changes {
			if c.Op != "delete" || c.Source != "cli" {
				t.Errorf("change %+v: want op delete, source cli", c)
			}
			got[c.Kind+"/"+c.ID] = true
		}
		if !got["virtual_key/vk-research"] || !got["budget/budget-research"] {
			t.Errorf("delete virtual_key vk-research: changes %+v; want the key and the budget it owns", changes)
		}
		expectCode(t, d.run(t, "get", "budget", "budget-research"), exitError, "get of the cascaded budget")

		decodeJSON(t, d.mustRun(t, "delete", "provider", "mistral"), &changes)
		if len(changes) != 2 {
			t.Errorf("delete provider mistral: %+v; want the provider and its key", changes)
		}
		expectCode(t, d.run(t, "delete", "provider", "mistral"), exitError, "second delete")
		expectCode(t, d.run(t, "delete", "client", "default"), exitError, "delete of a settings section")
	})
}

// In file-only mode (config_store.enabled false) the store is the
// read-only memory store loaded from the file: get reads it, put is refused.
func TestFileOnlyMode(t *testing.T) {
	d := &appDir{dir: t.TempDir(), configStore: map[string]any{"enabled": false}}
	d.writeConfig(t, quickstart(t))
	var teams []map[string]any
	decodeJSON(t, d.mustRun(t, "get", "team"), &teams)
	if len(teams) != 2 {
		t.Errorf("get team in file-only mode: %v", teams)
	}
	r := d.runInput(t, `{"name": "Support"}`, nil, "put", "team", "-f", "-")
	expectCode(t, r, exitError, "put in file-only mode")
	expectContains(t, r.stderr, "read-only")
	if _, err := os.Stat(filepath.Join(d.dir, "config.db")); err == nil {
		t.Error("file-only mode created config.db")
	}
}
