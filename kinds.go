package configstore

import "reflect"

// declare completes a Kind declaration with the stored fields of T.
func declare[T any](k Kind) *Kind {
	k.Fields = codecFor(reflect.TypeFor[T]()).declared()
	return &k
}

func restrict(field, target string) Reference {
	return Reference{Field: field, Target: target, OnDelete: Restrict}
}

func cascade(field, target string) Reference {
	return Reference{Field: field, Target: target, OnDelete: Cascade}
}

// The declared kinds. The delete rules, in one place:
//
//   - deleting a provider deletes its keys;
//   - deleting a virtual key deletes its provider configs, MCP configs and
//     the budgets it owns;
//   - deleting a team, customer or model config deletes the budgets it owns;
//   - everything else is refused with ErrReferenced while referenced: a key
//     listed by a virtual key's provider config (so is deleting its
//     provider), a team or customer with virtual keys or teams, a budget or
//     rate limit in use, an MCP client used by a virtual key.
var (
	kindProvider = declare[Provider](Kind{Name: "provider", Table: "config_providers", Key: "name"})
	kindKey      = declare[Key](Kind{Name: "key", Table: "config_keys", Key: "id",
		Unique:     [][]string{{"name"}},
		References: []Reference{cascade("provider", "provider")}})
	kindRateLimit = declare[RateLimit](Kind{Name: "rate_limit", Table: "config_rate_limits", Key: "id"})
	kindCustomer  = declare[Customer](Kind{Name: "customer", Table: "config_customers", Key: "id",
		References: []Reference{restrict("budget_id", "budget"), restrict("rate_limit_id", "rate_limit")}})
	kindTeam = declare[Team](Kind{Name: "team", Table: "config_teams", Key: "id",
		Unique: [][]string{{"name"}},
		References: []Reference{restrict("customer_id", "customer"), restrict("budget_id", "budget"),
			restrict("rate_limit_id", "rate_limit")}})
	kindVirtualKey = declare[VirtualKey](Kind{Name: "virtual_key", Table: "config_virtual_keys", Key: "id",
		Unique: [][]string{{"name"}, {"value"}},
		References: []Reference{restrict("team_id", "team"), restrict("customer_id", "customer"),
			restrict("rate_limit_id", "rate_limit")}})
	kindMCPClient = declare[MCPClient](Kind{Name: "mcp_client", Table: "config_mcp_clients", Key: "client_id",
		Unique: [][]string{{"name"}}})
	kindModelConfig = declare[ModelConfig](Kind{Name: "model_config", Table: "config_model_configs", Key: "id",
		References: []Reference{restrict("budget_id", "budget"), restrict("rate_limit_id", "rate_limit")}})
	kindBudget = declare[Budget](Kind{Name: "budget", Table: "config_budgets", Key: "id",
		References: []Reference{cascade("virtual_key_id", "virtual_key"), cascade("team_id", "team"),
			cascade("customer_id", "customer"), cascade("model_config_id", "model_config")}})
	kindRoutingRule = declare[RoutingRule](Kind{Name: "routing_rule", Table: "config_routing_rules", Key: "id"})
	kindPlugin      = declare[Plugin](Kind{Name: "plugin", Table: "config_plugins", Key: "name"})

	kindVKProviderConfig = declare[vkProviderConfigRow](Kind{Name: "virtual_key_provider_config",
		Table: "config_virtual_key_provider_configs", Key: "id", Part: true,
		Unique:     [][]string{{"virtual_key_id", "provider"}},
		References: []Reference{cascade("virtual_key_id", "virtual_key"), restrict("rate_limit_id", "rate_limit")}})
	kindVKProviderConfigKey = declare[vkProviderConfigKeyRow](Kind{Name: "virtual_key_provider_config_key",
		Table: "config_virtual_key_provider_config_keys", Key: "id", Part: true,
		Unique:     [][]string{{"provider_config_id", "key_id"}},
		References: []Reference{cascade("provider_config_id", "virtual_key_provider_config"), restrict("key_id", "key")}})
	kindVKMCPConfig = declare[vkMCPConfigRow](Kind{Name: "virtual_key_mcp_config",
		Table: "config_virtual_key_mcp_configs", Key: "id", Part: true,
		Unique:     [][]string{{"virtual_key_id", "mcp_client_id"}},
		References: []Reference{cascade("virtual_key_id", "virtual_key"), restrict("mcp_client_id", "mcp_client")}})

	kindModelPricing = declare[ModelPricing](Kind{Name: "model_pricing", Table: "config_model_pricing", Key: "id",
		Unique: [][]string{{"model", "provider", "mode"}}})

	kindClientConfig      = declare[ClientConfig](Kind{Name: "client_config", Table: "config_client", Key: "id"})
	kindVectorStoreConfig = declare[VectorStoreConfig](Kind{Name: "vector_store_config", Table: "config_vector_store", Key: "id"})
	kindLogStoreConfig    = declare[LogStoreConfig](Kind{Name: "log_store_config", Table: "config_log_store", Key: "id"})
	kindAuthConfig        = declare[AuthConfig](Kind{Name: "auth_config", Table: "config_auth", Key: "id"})

	kindChange = declare[Change](Kind{Name: "change", Table: "configstore_changes", Key: "id", Part: true})
	kindState  = declare[storeState](Kind{Name: "state", Table: "configstore_state", Key: "id", Part: true})

	allKinds = []*Kind{
		kindProvider, kindKey, kindRateLimit, kindCustomer, kindTeam, kindVirtualKey, kindMCPClient,
		kindModelConfig, kindBudget, kindRoutingRule, kindPlugin,
		kindVKProviderConfig, kindVKProviderConfigKey, kindVKMCPConfig,
		kindModelPricing, kindClientConfig, kindVectorStoreConfig, kindLogStoreConfig, kindAuthConfig,
		kindChange, kindState,
	}
)
