package configfile_test

import (
	"context"
	"testing"

	"github.com/gatewaykit/configstore/configfile"
)

// directDocuments are valid documents that exercise what the direct path
// of Parse decodes itself: integers written with an exponent or a
// fraction, null members, gateway sections and ignored members, escapes,
// free-form JSON, secrets in both forms, maps, empty sections, MCP configs
// by client id and by name, the deprecated top-level auth_config, a name
// given twice in free-form JSON (the checker does not look; the value is
// kept as written).
var directDocuments = map[string]string{
	"numbers": `{"governance": {"rate_limits": [{"id": "r", "token_max_limit": 1e3, "token_reset_duration": "1h",
		"request_max_limit": 20.0, "request_reset_duration": "1m"}]}, "plugins": [{"name": "p", "enabled": true, "order": -2.0}]}`,
	"nulls": `{"plugins": [{"name": "p", "enabled": true, "config": null}], "client": null, "governance": {"budgets": null}}`,
	"gateway sections and ignored members": `{"framework": {"pricing": [1, 2]}, "cluster_config": null,
		"governance": {"customers": [{"id": "c", "name": "C"}], "teams": [{"id": "t", "name": "T", "customer_id": "c", "virtual_key_count": 3}]}}`,
	"escapes": `{"providers": {"open\u0061i": {"keys": [{"name": "k\"1", "value": "sk-\u00e9\\x", "models": ["gpt-\u0034o"], "weight": 1}]}}}`,
	"free-form JSON and maps": `{"plugins": [{"name": "p", "enabled": true, "config": {"rules": [{"a": [1, {"b": null}]}], "limit": 1.50}}],
		"providers": {"openai": {"network_config": {"extra_headers": {"X-A": "1", "X-B": "2"}, "max_retries": 2}, "keys": [{"name": "k", "value": "env.OPENAI_KEY", "models": ["*"], "weight": 0.5}]}}}`,
	"secret objects": `{"providers": {"openai": {"keys": [{"name": "k", "value": {"env_var": "env.OPENAI_KEY", "from_env": true}, "models": ["*"], "weight": 1}]}},
		"mcp": {"client_configs": [{"client_id": "w", "name": "Weather", "connection_type": "http", "connection_string": {"value": "https://w.example"}}]}}`,
	"empty sections": `{"providers": {}, "governance": {"budgets": [], "teams": [], "virtual_keys": []}, "plugins": [], "mcp": {"client_configs": []}}`,
	"mcp configs": `{"mcp": {"client_configs": [{"client_id": "w", "name": "Weather", "connection_type": "http", "connection_string": "https://w.example"}]},
		"governance": {"virtual_keys": [{"id": "v1", "name": "one", "value": "vk-1", "mcp_configs": [{"mcp_client_id": "w", "tools_to_execute": ["*"]}]},
		{"id": "v2", "name": "two", "value": "vk-2", "mcp_configs": [{"mcp_client_name": "Weather"}]}]}}`,
	"top-level auth_config":          `{"auth_config": {"admin_username": "admin", "admin_password": "env.ADMIN_PASSWORD", "is_enabled": true}}`,
	"a name twice in free-form JSON": `{"plugins": [{"name": "p", "enabled": true, "config": {"a": 1, "b": {"c": 1, "c": 2}, "a": [3]}}]}`,
}

// TestParseDirectIsParseChecked: the direct path of Parse returns what the
// checked path returns, and takes every valid document here: the Bifrost
// examples, an export, and directDocuments.
func TestParseDirectIsParseChecked(t *testing.T) {
	docs := exampleDocuments(t)
	store := openSQLite(t)
	seedExport(t, store)
	export, err := configfile.Export(context.Background(), store, configfile.ExportOptions{Reveal: true})
	if err != nil {
		t.Fatal(err)
	}
	docs["export"] = export
	for name, doc := range directDocuments {
		docs[name] = []byte(doc)
	}
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			if _, err := configfile.Parse(data); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !parsedDirectly(t, data) {
				t.Error("the direct path gave up on it")
			}
		})
	}
}

// TestParseDirectGivesUp: on what the checker would report, or decodeTree
// leave to encoding/json, the direct path gives up, and Parse reports the
// checked path's problems.
func TestParseDirectGivesUp(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":                   `{"providrs": {}}`,
		"member given twice":              `{"plugins": [], "plugins": []}`,
		"member of an entity given twice": `{"plugins": [{"name": "p", "enabled": true, "name": "q"}]}`,
		"null member given twice":         `{"plugins": [{"name": "p", "enabled": true, "config": null, "config": {}}]}`,
		"rule member given twice":         `{"framework": {}, "plugins": [], "framework": {}}`,
		"map member given twice":          `{"providers": {"openai": {"keys": []}, "openai": {"keys": []}}}`,
		"null map member given twice":     `{"governance": {"teams": [{"id": "t", "name": "T", "profile": {"a": null, "a": 1}}]}}`,
		"config_hash":                     `{"plugins": [{"name": "p", "enabled": true, "config_hash": "x"}]}`,
		"config_hash free-form":           `{"plugins": [{"name": "p", "enabled": true, "config": {"config_hash": "x"}}]}`,
		"config_hash escaped":             `{"plugins": [{"name": "p", "enabled": true, "config": {"c\u006fnfig_hash": 1}}]}`,
		"config_hash in a map":            `{"governance": {"teams": [{"id": "t", "name": "T", "profile": {"a": {"config\u005fhash": 1}}}]}}`,
		"wrong kind":                      `{"plugins": {}}`,
		"null element":                    `{"plugins": [null]}`,
		"fraction in an integer":          `{"plugins": [{"name": "p", "enabled": true, "order": 1.5}]}`,
		"rejected member":                 `{"governance": {"budgets": [{"id": "b", "max_limit": 1, "reset_duration": "1h", "current_usage": 2}]}}`,
		"dangling reference":              `{"governance": {"teams": [{"id": "t", "name": "T", "customer_id": "nobody"}]}}`,
		"invalid entity":                  `{"governance": {"budgets": [{"id": "b", "max_limit": 1, "reset_duration": "1x"}]}}`,
		"not JSON":                        `{"plugins": [`,
	} {
		t.Run(name, func(t *testing.T) {
			if configfile.ParseDirect([]byte(doc)) != nil {
				t.Error("the direct path returned a File")
			}
			if _, err := configfile.Parse([]byte(doc)); err == nil {
				t.Error("Parse returned no error")
			}
		})
	}
}

// FuzzParseDirect holds the direct path against the checked one on
// arbitrary input, seeded with directDocuments and the examples.
func FuzzParseDirect(f *testing.F) {
	for _, doc := range directDocuments {
		f.Add([]byte(doc))
	}
	f.Add([]byte(`{"plugins": [{"name": "p", "enabled": true, "config": {"c\u006fnfig_hash": 1}}]}`))
	for _, data := range exampleDocuments(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) { parsedDirectly(t, data) })
}
