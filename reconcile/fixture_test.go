package reconcile_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// fullConfig has every managed section of config.json (config_store is
// added by appDir.write). The virtual key owns budget b-vk; team-1 refers
// to the unowned budget b-team.
const fullConfig = `{
  "providers": {
    "openai": {
      "network_config": {"base_url": "https://api.openai.com", "max_retries": 2},
      "keys": [
        {"id": "k-openai", "name": "openai-primary", "value": "env.OPENAI_API_KEY", "weight": 1, "models": ["*"]},
        {"id": "k-openai-2", "name": "openai-secondary", "value": "sk-secondary-0123456789abcdef", "weight": 2}
      ]
    },
    "anthropic": {
      "keys": [{"id": "k-anthropic", "name": "anthropic-primary", "value": "env.ANTHROPIC_API_KEY", "weight": 1}]
    }
  },
  "governance": {
    "budgets": [
      {"id": "b-vk", "max_limit": 100, "reset_duration": "1M", "virtual_key_id": "vk-1"},
      {"id": "b-team", "max_limit": 1000, "reset_duration": "1M"}
    ],
    "rate_limits": [
      {"id": "rl-vk", "token_max_limit": 1000, "token_reset_duration": "1h", "request_max_limit": 100, "request_reset_duration": "1h"}
    ],
    "customers": [{"id": "cust-1", "name": "Acme"}],
    "teams": [{"id": "team-1", "name": "Engineering", "customer_id": "cust-1", "budget_id": "b-team"}],
    "virtual_keys": [
      {"id": "vk-1", "name": "portal", "value": "sk-bf-portal-0123456789abcdef", "is_active": true,
       "team_id": "team-1", "rate_limit_id": "rl-vk",
       "provider_configs": [{"provider": "openai", "weight": 1, "allowed_models": ["*"], "key_ids": ["k-openai"]}],
       "mcp_configs": [{"mcp_client_name": "weather", "tools_to_execute": ["*"]}]},
      {"id": "vk-2", "name": "batch", "value": "env.BATCH_VK", "is_active": true,
       "provider_configs": [{"provider": "anthropic", "key_ids": ["*"]}]}
    ],
    "routing_rules": [
      {"id": "rr-1", "name": "gpt-4o to openai", "enabled": true, "cel_expression": "model == 'gpt-4o'",
       "targets": [{"provider": "openai", "weight": 1}], "priority": 1}
    ],
    "model_configs": [{"id": "mc-1", "model_name": "gpt-4o", "provider": "openai", "rate_limit_id": "rl-vk"}],
    "auth_config": {"admin_username": "env.ADMIN_USER", "admin_password": "env.ADMIN_PASSWORD", "is_enabled": true}
  },
  "mcp": {
    "client_configs": [
      {"client_id": "mcp-weather", "name": "weather", "connection_type": "http", "connection_string": "http://localhost:8080/mcp"}
    ]
  },
  "plugins": [
    {"name": "governance", "enabled": true, "config": {"is_vk_mandatory": true}},
    {"name": "logging", "enabled": true}
  ],
  "client": {"initial_pool_size": 300, "enable_logging": true, "allowed_origins": ["*"]},
  "vector_store": {"enabled": false},
  "logs_store": {"enabled": true, "type": "sqlite", "config": {"path": "logs.db"}}
}`

// edit returns doc (a JSON object) with change applied to its decoded
// form, for tests that vary fullConfig.
func edit(t *testing.T, doc string, change func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	change(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// obj and list walk a decoded JSON document.
func obj(v any, keys ...string) map[string]any {
	m := v.(map[string]any)
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

func list(v any, keys ...string) []any {
	m := v.(map[string]any)
	for _, k := range keys[:len(keys)-1] {
		m = m[k].(map[string]any)
	}
	return m[keys[len(keys)-1]].([]any)
}
