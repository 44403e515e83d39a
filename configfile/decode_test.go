package configfile_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
)

// parseProblems parses data, which must be invalid, and returns its
// problems as "path: message" lines.
func parseProblems(t *testing.T, data string) []string {
	t.Helper()
	if configfile.ParseDirect([]byte(data)) != nil {
		t.Errorf("the direct path returned a File for a document with problems")
	}
	f, err := configfile.Parse([]byte(data))
	var e *configfile.Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse: got error %v, want a *configfile.Error", err)
	}
	if f != nil {
		t.Errorf("Parse returned a File along with its error")
	}
	if !errors.Is(err, configstore.ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) is false for %v", err)
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return lines
}

// mustParse parses data, which must be valid, and checks that the direct
// path returns what the checked path returns, if it does not give up.
func mustParse(t *testing.T, data string) *configfile.File {
	t.Helper()
	f, err := configfile.Parse([]byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	parsedDirectly(t, []byte(data))
	return f
}

// parsedDirectly checks that the direct path of Parse gives up on data or
// returns what the checked path returns, and reports whether it did not
// give up.
func parsedDirectly(t *testing.T, data []byte) bool {
	t.Helper()
	direct := configfile.ParseDirect(data)
	if direct == nil {
		return false
	}
	checked, err := configfile.ParseChecked(data)
	if err != nil {
		t.Fatalf("the direct path returned a File where the checked path reports: %v", err)
	}
	if !reflect.DeepEqual(direct, checked) {
		t.Fatalf("the direct path returned\n%+v\nthe checked path\n%+v", direct, checked)
	}
	return true
}

// problemCase is a config.json and the problems it must be reported with.
type problemCase struct {
	name string
	json string
	want []string
}

// runProblemCases checks every case's problems, exactly and in order.
func runProblemCases(t *testing.T, cases []problemCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := parseProblems(t, tc.json)
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"truncated", "{\n  \"plugins\": [\n    {\"name\": \"x\",", []string{
			"line 3, column 18: invalid JSON: unexpected end of JSON input",
		}},
		{"empty file", "", []string{"line 1, column 1: invalid JSON: unexpected end of JSON input"}},
		{"bad token", "{\n\"plugins\": [}\n", []string{
			"line 2, column 13: invalid JSON: invalid character '}' looking for beginning of value",
		}},
		{"trailing data", `{} {}`, []string{
			"line 1, column 4: invalid JSON: invalid character '{' after top-level value",
		}},
		{"invalid UTF-8", "{\n \"$schema\": \"\xff\"}", []string{"line 2, column 14: is not valid UTF-8"}},
		{"not an object", `[]`, []string{"expected an object, got an array"}},
	})
}

func TestUnknownFields(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"top level, misspelt", `{"config_stroe": {}}`, []string{
			`config_stroe: unknown field "config_stroe"; did you mean "config_store"?`,
		}},
		{"top level, gateway section misspelt", `{"websockets": {}}`, []string{
			`websockets: unknown field "websockets"; did you mean "websocket"?`,
		}},
		{"top level, nothing close", `{"colour": 1}`, []string{`colour: unknown field "colour"`}},
		{"nested, misspelt", `{"governance": {"budgets": [{"id": "b", "max_limt": 1, "reset_duration": "1d"}]}}`, []string{
			`governance.budgets[0].max_limt: unknown field "max_limt"; did you mean "max_limit"?`,
		}},
		{"nested, camel case", `{"governance": {"budgets": [{"id": "b", "maxLimit": 1, "reset_duration": "1d"}]}}`, []string{
			`governance.budgets[0].maxLimit: unknown field "maxLimit"; did you mean "max_limit"?`,
		}},
		{"transposed letters", `{"plugins": [{"naem": "p", "enabled": true}]}`, []string{
			`plugins[0].name: is required`,
			`plugins[0].naem: unknown field "naem"; did you mean "name"?`,
		}},
		{"in a provider key's settings", `{"providers": {"azure": {"keys": [{"name": "k", "azure_key_config": {"endpiont": "https://x"}}]}}}`, []string{
			`providers.azure.keys[0].azure_key_config.endpiont: unknown field "endpiont"; did you mean "endpoint"?`,
		}},
		{"a field the file may not set is not suggested", `{"providers": {"openai": {"nme": "x"}}}`, []string{
			`providers.openai.nme: unknown field "nme"`,
		}},
		{"given twice", `{"plugins": [], "plugins": []}`, []string{`plugins: is given twice`}},
		{"provider given twice", `{"providers": {"openai": {}, "openai": {}}}`, []string{`providers.openai: is given twice`}},
		{"routing rule provider is not a rule field", `{"governance": {"routing_rules": [{"id": "r", "name": "r", "targets": [{"weight": 1}], "provider": "openai"}]}}`, []string{
			`governance.routing_rules[0].provider: unknown field "provider"`,
		}},
	})
}

func TestWrongTypes(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"number", `{"governance": {"budgets": [{"id": "b", "max_limit": "100", "reset_duration": "1d"}]}}`, []string{
			"governance.budgets[0].max_limit: expected a number, got a string",
		}},
		{"boolean", `{"governance": {"virtual_keys": [{"id": "v", "name": "v", "value": "vk", "is_active": "yes"}]}}`, []string{
			"governance.virtual_keys[0].is_active: expected a boolean, got a string",
		}},
		{"string", `{"providers": {"openai": {"keys": [{"name": 7}]}}}`, []string{
			"providers.openai.keys[0].name: expected a string, got a number",
		}},
		{"array", `{"governance": {"virtual_keys": [{"id": "v", "name": "v", "value": "vk", "provider_configs": {}}]}}`, []string{
			"governance.virtual_keys[0].provider_configs: expected an array, got an object",
		}},
		{"object", `{"providers": {"openai": {"network_config": []}}}`, []string{
			"providers.openai.network_config: expected an object, got an array",
		}},
		{"list element", `{"plugins": [{"name": "a", "enabled": true}, "b"]}`, []string{
			"plugins[1]: expected an object, got a string",
		}},
		{"section", `{"providers": []}`, []string{"providers: expected an object, got an array"}},
		{"null for a plain field", `{"plugins": [{"name": "a", "enabled": null}]}`, []string{
			"plugins[0].enabled: expected a boolean, got null",
		}},
		{"map value", `{"providers": {"openai": {"network_config": {"extra_headers": {"x": 1}}}}}`, []string{
			"providers.openai.network_config.extra_headers.x: expected a string, got a number",
		}},
		{"secret", `{"providers": {"openai": {"keys": [{"name": "k", "value": true}]}}}`, []string{
			`providers.openai.keys[0].value: secret must be a string or {"value", "env_var", "from_env"}: got a boolean`,
		}},
		{"secret object form", `{"providers": {"openai": {"keys": [{"name": "k", "value": {"value": "x", "from_env": "no"}}]}}}`, []string{
			`providers.openai.keys[0].value: secret must be a string or {"value", "env_var", "from_env"}: from_env: expected a boolean, got a string`,
		}},
	})
	f := mustParse(t, `{"plugins": [{"name": "a", "enabled": true, "config": [1, {"x": null}]}]}`)
	if got := string(f.Plugins[0].Config); got != `[1, {"x": null}]` {
		t.Errorf("plugin config = %s, want it verbatim", got)
	}
}

func TestIntegers(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"fraction", `{"governance": {"rate_limits": [{"id": "r", "token_max_limit": 1.5, "token_reset_duration": "1h"}]}}`, []string{
			"governance.rate_limits[0].token_max_limit: expected an integer, got 1.5",
		}},
		{"beyond int64", `{"governance": {"rate_limits": [{"id": "r", "request_max_limit": 9223372036854775808, "request_reset_duration": "1h"}]}}`, []string{
			"governance.rate_limits[0].request_max_limit: is out of range (-9223372036854775808 to 9223372036854775807)",
		}},
		{"large exponent", `{"plugins": [{"name": "p", "enabled": true, "order": 1e300}]}`, []string{
			"plugins[0].order: is too large to be written with a fraction or exponent; write it as a plain integer",
		}},
		{"number beyond float64", `{"governance": {"budgets": [{"id": "b", "max_limit": 1e999, "reset_duration": "1d"}]}}`, []string{
			"governance.budgets[0].max_limit: is out of range for a number",
		}},
	})
	f := mustParse(t, `{"governance": {"rate_limits": [{"id": "r", "token_max_limit": 9223372036854775807, "token_reset_duration": "1h",
		"request_max_limit": 1e3, "request_reset_duration": "1h"}]}, "plugins": [{"name": "p", "enabled": true, "order": -2.0}]}`)
	r := f.RateLimits[0]
	if *r.TokenMaxLimit != 9223372036854775807 || *r.RequestMaxLimit != 1000 || f.Plugins[0].Order != -2 {
		t.Errorf("decoded %d, %d, %d; want the int64 maximum, 1000 and -2", *r.TokenMaxLimit, *r.RequestMaxLimit, f.Plugins[0].Order)
	}
}

func TestFieldsTheFileMayNotSet(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"config_hash anywhere", `{"config_hash": "a", "providers": {"openai": {"config_hash": "b", "keys": [{"name": "k", "config_hash": "c"}]}},
			"governance": {"virtual_keys": [{"id": "v", "name": "v", "value": "x", "provider_configs": [{"provider": "openai", "config_hash": "d"}]}]}}`, []string{
			"config_hash: is managed by the store; remove it from config.json",
			"providers.openai.config_hash: is managed by the store; remove it from config.json",
			"providers.openai.keys[0].config_hash: is managed by the store; remove it from config.json",
			"governance.virtual_keys[0].provider_configs[0].config_hash: is managed by the store; remove it from config.json",
		}},
		{"config_hash in free-form JSON, maps and secrets", `{
			"config_store": {"enabled": true, "type": "sqlite", "config": {"path": "config.db", "config_hash": "a"}},
			"plugins": [{"name": "p", "enabled": true, "config": {"rules": [{"name": "r", "config_hash": "b"}], "config_hash": "c"}}],
			"logs_store": {"enabled": true, "type": "sqlite", "config": {"config_hash": "d"}},
			"vector_store": {"enabled": false, "config": {"nested": {"config_hash": "e"}}},
			"providers": {"openai": {"keys": [{"name": "k", "value": {"value": "sk-x", "config_hash": "f"}, "aliases": {"config_hash": "gpt-4o"}}]}},
			"governance": {"teams": [{"id": "t", "name": "t", "profile": {"config_hash": "g"}}]}}`, []string{
			"config_store.config.config_hash: is managed by the store; remove it from config.json",
			"plugins[0].config.rules[0].config_hash: is managed by the store; remove it from config.json",
			"plugins[0].config.config_hash: is managed by the store; remove it from config.json",
			"logs_store.config.config_hash: is managed by the store; remove it from config.json",
			"vector_store.config.nested.config_hash: is managed by the store; remove it from config.json",
			"providers.openai.keys[0].value.config_hash: is managed by the store; remove it from config.json",
			"providers.openai.keys[0].aliases.config_hash: is managed by the store; remove it from config.json",
			"governance.teams[0].profile.config_hash: is managed by the store; remove it from config.json",
		}},
		{"server-managed", `{"plugins": [{"name": "p", "enabled": true, "revision": 3, "created_at": "2025-01-01T00:00:00Z", "updated_at": "x"}]}`, []string{
			"plugins[0].revision: is managed by the store and not accepted from config.json",
			"plugins[0].created_at: is managed by the store and not accepted from config.json",
			"plugins[0].updated_at: is managed by the store and not accepted from config.json",
		}},
		{"runtime state", `{"governance": {"budgets": [{"id": "b", "max_limit": 1, "reset_duration": "1d", "current_usage": 0.5, "last_reset": "2025-01-01T00:00:00Z"}],
			"rate_limits": [{"id": "r", "token_current_usage": 1, "token_last_reset": "x", "request_current_usage": 1, "request_last_reset": "x"}]}}`, []string{
			"governance.budgets[0].current_usage: is runtime state kept by the store, not configuration; remove it from config.json",
			"governance.budgets[0].last_reset: is runtime state kept by the store, not configuration; remove it from config.json",
			"governance.rate_limits[0].token_current_usage: is runtime state kept by the store, not configuration; remove it from config.json",
			"governance.rate_limits[0].token_last_reset: is runtime state kept by the store, not configuration; remove it from config.json",
			"governance.rate_limits[0].request_current_usage: is runtime state kept by the store, not configuration; remove it from config.json",
			"governance.rate_limits[0].request_last_reset: is runtime state kept by the store, not configuration; remove it from config.json",
		}},
		{"provider name and key provider", `{"providers": {"openai": {"name": "openai", "keys": [{"name": "k", "provider": "openai"}]}}}`, []string{
			`providers.openai.name: is not accepted: a provider is named by its key in "providers"`,
			"providers.openai.keys[0].provider: is not accepted: a key belongs to the provider it is listed under",
		}},
	})
}

// TestConfigHashInGatewaySections: a gateway section, which the store does
// not read, is not checked for config_hash: it is accepted and reported as
// not managed, while the same member in a managed free-form value fails.
func TestConfigHashInGatewaySections(t *testing.T) {
	f := mustParse(t, `{"websocket": {"config_hash": "a"}, "cluster_config": {"peers": [{"config_hash": "b"}]}, "plugins": [{"name": "p", "enabled": true}]}`)
	if !slices.Equal(f.NotManaged, []string{"websocket", "cluster_config"}) || len(f.Plugins) != 1 {
		t.Errorf("not managed %v, plugins %v; want websocket and cluster_config, and plugin p", f.NotManaged, f.Plugins)
	}
	got := parseProblems(t, `{"websocket": {"config_hash": "a"}, "plugins": [{"name": "p", "enabled": true, "config": {"config_hash": "b"}}]}`)
	if want := []string{"plugins[0].config.config_hash: is managed by the store; remove it from config.json"}; !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
}

func TestUnsupportedSchemaFields(t *testing.T) {
	const unsupported = "is part of Bifrost's config.json but not supported by this store"
	runProblemCases(t, []problemCase{
		{"governance", `{"governance": {
			"budgets": [{"id": "b", "max_limit": 1, "reset_duration": "1d", "provider_config_id": 4}],
			"customers": [{"id": "c", "name": "c", "budgets": []}],
			"teams": [{"id": "t", "name": "t", "source_id": "s", "business_unit_id": "bu", "virtual_key_count": 3}],
			"virtual_keys": [{"id": "v", "name": "v", "value": "x", "access_profile_id": 1,
				"provider_configs": [{"id": 1, "virtual_key_id": "v", "provider": "openai"}],
				"mcp_configs": [{"id": 2, "virtual_key_id": "v", "mcp_client_id": 7}]}],
			"model_configs": [{"id": "m", "model_name": "gpt-4o", "budget_ids": ["b"]}]}}`, []string{
			"governance.budgets[0].provider_config_id: " + unsupported,
			"governance.customers[0].budgets: " + unsupported + "; declare the budget in governance.budgets and give its budget_id",
			"governance.teams[0].source_id: " + unsupported,
			"governance.teams[0].business_unit_id: " + unsupported,
			"governance.virtual_keys[0].access_profile_id: " + unsupported,
			"governance.virtual_keys[0].provider_configs[0].id: " + unsupported,
			"governance.virtual_keys[0].provider_configs[0].virtual_key_id: " + unsupported,
			"governance.virtual_keys[0].mcp_configs[0].mcp_client_name: is required",
			"governance.virtual_keys[0].mcp_configs[0].id: " + unsupported,
			"governance.virtual_keys[0].mcp_configs[0].virtual_key_id: " + unsupported,
			"governance.virtual_keys[0].mcp_configs[0].mcp_client_id: as an integer (a database id) " + unsupported + "; give the client's client_id string or its mcp_client_name",
			"governance.model_configs[0].budget_ids: " + unsupported + "; give one budget_id",
		}},
		{"settings and MCP", `{"client": {"enforce_governance_header": true, "enforce_scim_auth": true, "mcp_agent_depth": 3, "mcp_external_client_url": "https://x"},
			"logs_store": {"enabled": true, "type": "sqlite", "object_storage": {}, "object_storage_exclude_fields": [], "retention_days": 3},
			"mcp": {"client_configs": [{"name": "m", "connection_type": "http", "connection_string": "https://x", "oauth_config_id": "o",
				"per_user_header_keys": [], "tool_pricing": {}, "tls_config": {}, "tool_sync_interval": 600000000000}]}}`, []string{
			"client.enforce_governance_header: " + unsupported + "; use enforce_auth_on_inference",
			"client.enforce_scim_auth: " + unsupported + "; use enforce_auth_on_inference",
			"client.mcp_agent_depth: " + unsupported,
			"client.mcp_external_client_url: " + unsupported,
			"logs_store.object_storage: " + unsupported,
			"logs_store.object_storage_exclude_fields: " + unsupported,
			"logs_store.retention_days: " + unsupported,
			"mcp.client_configs[0].oauth_config_id: " + unsupported,
			"mcp.client_configs[0].per_user_header_keys: " + unsupported,
			"mcp.client_configs[0].tool_pricing: " + unsupported,
			"mcp.client_configs[0].tls_config: " + unsupported,
			`mcp.client_configs[0].tool_sync_interval: as an integer (nanoseconds) ` + unsupported + `; give a duration string such as "10m"`,
		}},
		{"version 1", `{"version": 1}`, []string{
			`version: 1 (empty allow-lists allow everything) ` + unsupported + `; use 2 and write ["*"] to allow everything`,
		}},
	})
	// virtual_key_count is read-only in Bifrost's schema: accepted, ignored.
	f := mustParse(t, `{"governance": {"teams": [{"id": "t", "name": "t", "virtual_key_count": 3}]}, "version": 2}`)
	if len(f.Teams) != 1 || f.Version != "2" {
		t.Errorf("teams %v, version %q", f.Teams, f.Version)
	}
}

func TestDuplicates(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"keys across providers", `{"providers": {
			"openai": {"keys": [{"id": "k1", "name": "shared"}, {"name": "other"}]},
			"anthropic": {"keys": [{"id": "k1", "name": "a"}, {"name": "shared"}]}}}`, []string{
			`providers.anthropic.keys[0].id: duplicate id "k1" (already used by providers.openai.keys[0])`,
			`providers.anthropic.keys[1].name: duplicate name "shared" (already used by providers.openai.keys[0])`,
		}},
		{"governance ids and names", `{"governance": {
			"budgets": [{"id": "b", "max_limit": 1, "reset_duration": "1d"}, {"id": "b", "max_limit": 2, "reset_duration": "1d"}],
			"teams": [{"id": "t1", "name": "eng"}, {"id": "t2", "name": "eng"}],
			"virtual_keys": [{"id": "v1", "name": "n", "value": "sk-bf-secret-value"}, {"id": "v1", "name": "n", "value": "sk-bf-secret-value"}]}}`, []string{
			`governance.budgets[1].id: duplicate id "b" (already used by governance.budgets[0])`,
			`governance.teams[1].name: duplicate name "eng" (already used by governance.teams[0])`,
			`governance.virtual_keys[1].id: duplicate id "v1" (already used by governance.virtual_keys[0])`,
			`governance.virtual_keys[1].name: duplicate name "n" (already used by governance.virtual_keys[0])`,
			`governance.virtual_keys[1].value: duplicate value (already used by governance.virtual_keys[0])`,
		}},
		{"MCP clients and plugins", `{"mcp": {"client_configs": [
			{"client_id": "c", "name": "m", "connection_type": "inprocess"},
			{"client_id": "c", "name": "m", "connection_type": "inprocess"}]},
			"plugins": [{"name": "p", "enabled": true}, {"name": "p", "enabled": false}]}`, []string{
			`mcp.client_configs[1].client_id: duplicate client_id "c" (already used by mcp.client_configs[0])`,
			`mcp.client_configs[1].name: duplicate name "m" (already used by mcp.client_configs[0])`,
			`plugins[1].name: duplicate name "p" (already used by plugins[0])`,
		}},
		{"ids the store matches entities by", `{"governance": {"budgets": [{"max_limit": 1, "reset_duration": "1d"}], "teams": [{"name": "t"}]}}`, []string{
			"governance.budgets[0].id: is required",
			"governance.teams[0].id: is required",
		}},
	})
}

// referenceFile is a valid file with one of every referable entity.
const referenceFile = `{
	"providers": {"openai": {"keys": [{"id": "key-1", "name": "first"}, {"name": "second"}]},
	              "azure": {"keys": [{"id": "key-az", "name": "az"}]}},
	"mcp": {"client_configs": [{"client_id": "weather-id", "name": "Weather", "connection_type": "inprocess"}]},
	"governance": {
		"budgets": [{"id": "b1", "max_limit": 10, "reset_duration": "1M", "virtual_key_id": %q}],
		"rate_limits": [{"id": "rl1", "request_max_limit": 10, "request_reset_duration": "1m"}],
		"customers": [{"id": "c1", "name": "Acme", "budget_id": %q}],
		"teams": [{"id": "t1", "name": "eng", "customer_id": %q}],
		"virtual_keys": [{"id": "vk1", "name": "vk", "value": "env.VK", "team_id": %q, "rate_limit_id": %q,
			"provider_configs": [{"provider": "openai", "key_ids": [%s]}],
			"mcp_configs": [{%s}]}],
		"model_configs": [{"id": "mc1", "model_name": "gpt-4o", "budget_id": "b1", "rate_limit_id": "rl1"}]
	}
}`

// referenceCase fills referenceFile's references in.
func referenceCase(budgetOwner, customerBudget, teamCustomer, vkTeam, vkRateLimit, keyIDs, mcp string) string {
	return fmt.Sprintf(referenceFile, budgetOwner, customerBudget, teamCustomer, vkTeam, vkRateLimit, keyIDs, mcp)
}

func TestReferences(t *testing.T) {
	f := mustParse(t, referenceCase("vk1", "b1", "c1", "t1", "rl1", `"key-1", "second"`, `"mcp_client_id": "weather-id", "tools_to_execute": ["*"]`))
	vk := f.VirtualKeys[0]
	if got := vk.MCPConfigs[0].MCPClientName; got != "Weather" {
		t.Errorf("mcp_client_id resolved to %q, want Weather", got)
	}
	if got := vk.ProviderConfigs[0].KeyIDs; !slices.Equal(got, []string{"key-1", "second"}) {
		t.Errorf("key_ids = %v", got)
	}
	mustParse(t, referenceCase("", "", "", "", "", `"*"`, `"mcp_client_name": "Weather", "mcp_client_id": "weather-id"`))

	runProblemCases(t, []problemCase{
		{"every kind dangling", referenceCase("vk-x", "b-x", "c-x", "t-x", "rl-x", `"key-1", "key-x", "first", "key-az"`, `"mcp_client_name": "Nope"`), []string{
			`governance.budgets[0].virtual_key_id: no virtual key "vk-x" in governance.virtual_keys`,
			`governance.customers[0].budget_id: no budget "b-x" in governance.budgets`,
			`governance.teams[0].customer_id: no customer "c-x" in governance.customers`,
			`governance.virtual_keys[0].team_id: no team "t-x" in governance.teams`,
			`governance.virtual_keys[0].rate_limit_id: no rate limit "rl-x" in governance.rate_limits`,
			`governance.virtual_keys[0].provider_configs[0].key_ids[1]: no key "key-x" for provider "openai"`,
			`governance.virtual_keys[0].provider_configs[0].key_ids[2]: no key "first" for provider "openai"`,
			`governance.virtual_keys[0].provider_configs[0].key_ids[3]: no key "key-az" for provider "openai"`,
			`governance.virtual_keys[0].mcp_configs[0].mcp_client_name: no MCP client "Nope" in mcp.client_configs`,
		}},
		{"mcp_client_id", referenceCase("", "", "", "", "", `"*"`, `"mcp_client_id": "nope"`), []string{
			`governance.virtual_keys[0].mcp_configs[0].mcp_client_id: no MCP client with client_id "nope" in mcp.client_configs`,
		}},
		{"mcp_client_id and a different name", referenceCase("", "", "", "", "", `"*"`, `"mcp_client_id": "weather-id", "mcp_client_name": "Other"`), []string{
			`governance.virtual_keys[0].mcp_configs[0].mcp_client_name: is "Other", but mcp_client_id "weather-id" is the client "Weather"`,
		}},
		{"all keys must be alone", referenceCase("", "", "", "", "", `"*", "key-1"`, `"mcp_client_name": "Weather"`), []string{
			`governance.virtual_keys[0].provider_configs[0].key_ids: "*" must be the only entry`,
		}},
		{"budget owners", `{"governance": {"budgets": [
			{"id": "b1", "max_limit": 1, "reset_duration": "1d", "team_id": "t"},
			{"id": "b2", "max_limit": 1, "reset_duration": "1d", "customer_id": "c"},
			{"id": "b3", "max_limit": 1, "reset_duration": "1d", "model_config_id": "m"}],
			"teams": [{"id": "t0", "name": "t", "budget_id": "b9", "rate_limit_id": "r9"}],
			"customers": [{"id": "c0", "name": "c", "rate_limit_id": "r9"}],
			"model_configs": [{"id": "m0", "model_name": "x", "budget_id": "b9", "rate_limit_id": "r9"}],
			"virtual_keys": [{"id": "v", "name": "v", "value": "x", "customer_id": "c9", "provider_configs": [{"provider": "p", "rate_limit_id": "r9"}]}]}}`, []string{
			`governance.budgets[0].team_id: no team "t" in governance.teams`,
			`governance.budgets[1].customer_id: no customer "c" in governance.customers`,
			`governance.budgets[2].model_config_id: no model config "m" in governance.model_configs`,
			`governance.teams[0].budget_id: no budget "b9" in governance.budgets`,
			`governance.teams[0].rate_limit_id: no rate limit "r9" in governance.rate_limits`,
			`governance.customers[0].rate_limit_id: no rate limit "r9" in governance.rate_limits`,
			`governance.model_configs[0].budget_id: no budget "b9" in governance.budgets`,
			`governance.model_configs[0].rate_limit_id: no rate limit "r9" in governance.rate_limits`,
			`governance.virtual_keys[0].customer_id: no customer "c9" in governance.customers`,
			`governance.virtual_keys[0].provider_configs[0].rate_limit_id: no rate limit "r9" in governance.rate_limits`,
		}},
	})
}

func TestReferenceErrorsWrapErrInvalidReference(t *testing.T) {
	_, err := configfile.Parse([]byte(referenceCase("", "", "", "t-x", "", `"*"`, `"mcp_client_name": "Weather"`)))
	if !errors.Is(err, configstore.ErrInvalidReference) || !errors.Is(err, configstore.ErrInvalid) {
		t.Errorf("a dangling reference: %v does not wrap both ErrInvalid and ErrInvalidReference", err)
	}
	_, err = configfile.Parse([]byte(`{"plugins": [{"name": 1}]}`))
	if errors.Is(err, configstore.ErrInvalidReference) {
		t.Errorf("a wrong type wraps ErrInvalidReference: %v", err)
	}
}

func TestEntityValidation(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"each entity's own rules, under its path", `{
			"providers": {"openai": {"concurrency_and_buffer_size": {"concurrency": 0, "buffer_size": 1}, "keys": [{"name": "k", "weight": -1}]}},
			"governance": {"budgets": [{"id": "b1", "max_limit": 1, "reset_duration": "1d"}, {"id": "b2", "max_limit": 1, "reset_duration": "1d"},
				{"id": "b3", "max_limit": 1, "reset_duration": "1 day"}],
				"auth_config": {"is_enabled": true}},
			"mcp": {"client_configs": [{"name": "m", "connection_type": "telnet"}]},
			"plugins": [{"name": "p", "enabled": true, "placement": "middle"}],
			"client": {"initial_pool_size": -1},
			"config_store": {"enabled": true}
		}`, []string{
			"providers.openai.concurrency_and_buffer_size.concurrency: must be at least 1, got 0",
			"providers.openai.keys[0].weight: must not be negative, got -1",
			`governance.budgets[2].reset_duration: must be a number and a unit (s, m, h, d, w, M, Y) such as "1h", got "1 day"`,
			"governance.auth_config.admin_password: admin_username and admin_password are required when is_enabled is true",
			`mcp.client_configs[0].connection_type: must be one of stdio, http, sse, inprocess, got "telnet"`,
			`plugins[0].placement: must be one of pre_builtin, post_builtin, builtin, got "middle"`,
			"client.initial_pool_size: must not be negative, got -1",
			"config_store.type: is required when enabled is true",
		}},
		{"source_of_truth", `{"source_of_truth": "file"}`, []string{`source_of_truth: must be "split" or "config.json", got "file"`}},
		{"version", `{"version": 3}`, []string{"version: must be 1 or 2, got 3"}},
		{"auth_config twice", `{"auth_config": {}, "governance": {"auth_config": {}}}`, []string{
			"auth_config: is also given as governance.auth_config; give it once, in governance",
		}},
		{"no second report for a value already reported", `{"plugins": [{"name": 5, "enabled": true}]}`, []string{
			"plugins[0].name: expected a string, got a number",
		}},
	})
}

func TestDefaultsAndSettings(t *testing.T) {
	f := mustParse(t, `{"plugins": [{"name": "p", "enabled": true}], "auth_config": {"admin_username": "env.U", "admin_password": "env.P", "is_enabled": true},
		"source_of_truth": "config.json", "$schema": "https://www.getbifrost.ai/schema", "config_store": {"enabled": false}}`)
	if p := f.Plugins[0]; p.Version != 1 || p.Placement != configstore.PlacementPostBuiltin {
		t.Errorf("plugin defaults not applied: version %d, placement %q", p.Version, p.Placement)
	}
	if f.AuthConfig == nil || f.AuthConfig.AdminUsername.VarName() != "U" {
		t.Errorf("top-level auth_config not taken: %+v", f.AuthConfig)
	}
	if f.SourceOfTruth != configfile.SourceConfigJSON || f.Schema != "https://www.getbifrost.ai/schema" || f.ConfigStore == nil || f.ConfigStore.Enabled {
		t.Errorf("settings: %q %q %+v", f.SourceOfTruth, f.Schema, f.ConfigStore)
	}
	if f := mustParse(t, `{}`); f.SourceOfTruth != configfile.SourceSplit || f.ConfigStore != nil || f.Version != "" {
		t.Errorf("empty file: source of truth %q, config store %+v, version %q", f.SourceOfTruth, f.ConfigStore, f.Version)
	}
}

func TestProblemsReportedTogetherInDocumentOrder(t *testing.T) {
	data := `{
  "plugins": [{"name": "p", "enabled": "yes"}],
  "governance": {
    "teams": [{"id": "t", "name": "t", "customer_id": "nobody"}],
    "budgets": [{"id": "b", "max_limit": "1", "reset_duration": "1x", "config_hash": "h"}]
  },
  "providrs": {}
}`
	_, err := configfile.Parse([]byte(data))
	var e *configfile.Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse: %v", err)
	}
	want := []configfile.Problem{
		{Path: "plugins[0].enabled", Message: "expected a boolean, got a string", Line: 2, Column: 40},
		{Path: "governance.teams[0].customer_id", Message: `no customer "nobody" in governance.customers`, Line: 4, Column: 55},
		{Path: "governance.budgets[0].max_limit", Message: "expected a number, got a string", Line: 5, Column: 42},
		{Path: "governance.budgets[0].reset_duration", Message: `must be a number and a unit (s, m, h, d, w, M, Y) such as "1h", got "1x"`, Line: 5, Column: 65},
		{Path: "governance.budgets[0].config_hash", Message: "is managed by the store; remove it from config.json", Line: 5, Column: 86},
		{Path: "providrs", Message: `unknown field "providrs"; did you mean "providers"?`, Line: 7, Column: 15},
	}
	if len(e.Problems) != len(want) {
		t.Fatalf("problems:\n%v\nwant %d", err, len(want))
	}
	for i, w := range want {
		g := e.Problems[i]
		if g.Path != w.Path || g.Message != w.Message || g.Line != w.Line || g.Column != w.Column {
			t.Errorf("problem %d = %q %q at %d:%d, want %q %q at %d:%d", i, g.Path, g.Message, g.Line, g.Column, w.Path, w.Message, w.Line, w.Column)
		}
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) || lines[0] != "plugins[0].enabled: expected a boolean, got a string" {
		t.Errorf("Error() = %q, want one problem per line", err.Error())
	}
}

// TestNullMembersAreAbsent: a member written as null decodes as if it were
// missing (a plugin's config stays nil, not the JSON text null), whether or
// not anything else in the document made the decoder rewrite it.
func TestNullMembersAreAbsent(t *testing.T) {
	for name, doc := range map[string]string{
		"only null":    `{"plugins": [{"name": "p", "enabled": true, "config": null}]}`,
		"without null": `{"plugins": [{"name": "p", "enabled": true}]}`,
	} {
		f, err := configfile.Parse([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(f.Plugins) != 1 || f.Plugins[0].Config != nil {
			t.Errorf("%s: plugins %+v, want one plugin without config", name, f.Plugins)
		}
	}
}

// TestLeftOutValuesAreNotReportedAgain: a value the checker left out of
// the decoded document (it reported a problem there) reads as zero, and the
// checks after the decoding, which run without the node tree, report
// nothing more about it or inside it; a member given twice leaves out the
// second, and the first, decoded, is still checked.
func TestLeftOutValuesAreNotReportedAgain(t *testing.T) {
	runProblemCases(t, []problemCase{
		{"an id of the wrong type", `{"governance": {"teams": [{"id": 5, "name": "t"}]}}`, []string{
			"governance.teams[0].id: expected a string, got a number",
		}},
		{"an entity of the wrong type", `{"governance": {"budgets": [5]}}`, []string{
			"governance.budgets[0]: expected an object, got a number",
		}},
		{"an id given twice, the first empty", `{"governance": {"customers": [{"id": "", "id": "c", "name": "c"}]}}`, []string{
			"governance.customers[0].id: is required",
			"governance.customers[0].id: is given twice",
		}},
	})
}
