package configfile

import "github.com/gatewaykit/configstore"

// document is the layout of config.json as this package decodes it: the
// Go types the checker walks and encoding/json then decodes into. Fields
// the types do not have (the gateway's own sections, fields of Bifrost's
// schema the store does not model, fields the file may not set) are
// declared in fieldRules.
type document struct {
	Schema        string                                `json:"$schema"`
	Version       *int                                  `json:"version"`
	SourceOfTruth string                                `json:"source_of_truth"`
	AuthConfig    *configstore.AuthConfig               `json:"auth_config"`
	Client        *configstore.ClientConfig             `json:"client"`
	Providers     map[string]configstore.ProviderConfig `json:"providers"`
	Governance    *governanceSection                    `json:"governance"`
	MCP           *mcpSection                           `json:"mcp"`
	VectorStore   *configstore.VectorStoreConfig        `json:"vector_store"`
	ConfigStore   *configstore.Config                   `json:"config_store"`
	LogsStore     *configstore.LogStoreConfig           `json:"logs_store"`
	Plugins       []configstore.Plugin                  `json:"plugins"`
}

// governanceSection is config.json's "governance".
type governanceSection struct {
	Budgets      []configstore.Budget      `json:"budgets"`
	RateLimits   []configstore.RateLimit   `json:"rate_limits"`
	Customers    []configstore.Customer    `json:"customers"`
	Teams        []configstore.Team        `json:"teams"`
	VirtualKeys  []fileVirtualKey          `json:"virtual_keys"`
	RoutingRules []configstore.RoutingRule `json:"routing_rules"`
	ModelConfigs []configstore.ModelConfig `json:"model_configs"`
	AuthConfig   *configstore.AuthConfig   `json:"auth_config"`
}

// mcpSection is config.json's "mcp".
type mcpSection struct {
	ClientConfigs []configstore.MCPClient `json:"client_configs"`
}

// fileVirtualKey is a virtual key as config.json writes it: its MCP
// configs may name their client by client_id.
type fileVirtualKey struct {
	configstore.VirtualKey
	MCPConfigs []fileMCPConfig `json:"mcp_configs"`
}

// fileMCPConfig is a virtual key's MCP config as config.json writes it:
// the client is given by mcp_client_name or by mcp_client_id, the
// client_id of an entry of mcp.client_configs.
type fileMCPConfig struct {
	configstore.VirtualKeyMCPConfig
	MCPClientID string `json:"mcp_client_id"`
}
