package configstore

import "encoding/json"

// The settings sections are singletons: one record each, read with Get and
// replaced with Update. Get returns ErrNotFound until the first Update.

// settingsKey is the key of every settings singleton's one record.
const settingsKey = "default"

// ClientConfig is config.json's "client" section.
type ClientConfig struct {
	ID                                    string              `json:"-" store:"id" config:"id"`
	DropExcessRequests                    bool                `json:"drop_excess_requests,omitempty" store:"drop_excess_requests"`
	InitialPoolSize                       int                 `json:"initial_pool_size,omitempty" store:"initial_pool_size"`
	PrometheusLabels                      []string            `json:"prometheus_labels,omitempty" store:"prometheus_labels" config:"set"`
	AllowedOrigins                        []string            `json:"allowed_origins,omitempty" store:"allowed_origins" config:"set"`
	EnableLogging                         bool                `json:"enable_logging,omitempty" store:"enable_logging"`
	DisableContentLogging                 bool                `json:"disable_content_logging,omitempty" store:"disable_content_logging"`
	AllowPerRequestContentStorageOverride bool                `json:"allow_per_request_content_storage_override,omitempty" store:"allow_per_request_content_storage_override"`
	AllowPerRequestRawOverride            bool                `json:"allow_per_request_raw_override,omitempty" store:"allow_per_request_raw_override"`
	DisableDBPingsInHealth                bool                `json:"disable_db_pings_in_health,omitempty" store:"disable_db_pings_in_health"`
	LogRetentionDays                      int                 `json:"log_retention_days,omitempty" store:"log_retention_days"`
	EnforceAuthOnInference                bool                `json:"enforce_auth_on_inference,omitempty" store:"enforce_auth_on_inference"`
	MaxRequestBodySizeMB                  int                 `json:"max_request_body_size_mb,omitempty" store:"max_request_body_size_mb"`
	Compat                                *CompatConfig       `json:"compat,omitempty" store:"compat"`
	HeaderFilterConfig                    *HeaderFilterConfig `json:"header_filter_config,omitempty" store:"header_filter_config"`
	AsyncJobResultTTL                     int                 `json:"async_job_result_ttl,omitempty" store:"async_job_result_ttl"`
	RequiredHeaders                       []string            `json:"required_headers,omitempty" store:"required_headers" config:"set"`
	LoggingHeaders                        []string            `json:"logging_headers,omitempty" store:"logging_headers" config:"set"`
	WhitelistedRoutes                     []string            `json:"whitelisted_routes,omitempty" store:"whitelisted_routes" config:"set"`
	HideDeletedVirtualKeysInFilters       bool                `json:"hide_deleted_virtual_keys_in_filters,omitempty" store:"hide_deleted_virtual_keys_in_filters"`
	AllowedHeaders                        []string            `json:"allowed_headers,omitempty" store:"allowed_headers" config:"set"`
	AllowDirectKeys                       bool                `json:"allow_direct_keys,omitempty" store:"allow_direct_keys"`
	MCPToolExecutionTimeout               int                 `json:"mcp_tool_execution_timeout,omitempty" store:"mcp_tool_execution_timeout"`
	MCPCodeModeBindingLevel               string              `json:"mcp_code_mode_binding_level,omitempty" store:"mcp_code_mode_binding_level"`
	MCPToolSyncInterval                   int                 `json:"mcp_tool_sync_interval,omitempty" store:"mcp_tool_sync_interval"`
	MCPDisableAutoToolInject              bool                `json:"mcp_disable_auto_tool_inject,omitempty" store:"mcp_disable_auto_tool_inject"`
	MCPEnableTempTokenAuth                bool                `json:"mcp_enable_temp_token_auth,omitempty" store:"mcp_enable_temp_token_auth"`
	RoutingChainMaxDepth                  int                 `json:"routing_chain_max_depth,omitempty" store:"routing_chain_max_depth"`
	Meta                                  `config:"server"`
}

// CompatConfig is the client section's request-conversion settings.
type CompatConfig struct {
	ConvertTextToChat      bool `json:"convert_text_to_chat,omitempty"`
	ConvertChatToResponses bool `json:"convert_chat_to_responses,omitempty"`
	ShouldDropParams       bool `json:"should_drop_params,omitempty"`
	ShouldConvertParams    bool `json:"should_convert_params,omitempty"`
}

// HeaderFilterConfig filters x-bf-eh-* headers forwarded to providers.
type HeaderFilterConfig struct {
	Allowlist []string `json:"allowlist,omitempty" config:"set"`
	Denylist  []string `json:"denylist,omitempty" config:"set"`
}

// VectorStoreConfig is config.json's "vector_store" section. Config is the
// store type's own settings, kept verbatim.
type VectorStoreConfig struct {
	ID      string          `json:"-" store:"id" config:"id"`
	Enabled bool            `json:"enabled" store:"enabled"`
	Type    string          `json:"type,omitempty" store:"type"`
	Config  json.RawMessage `json:"config,omitempty" store:"config"`
	Meta    `config:"server"`
}

// LogStoreConfig is config.json's "logs_store" section. Config is the
// store type's own settings, kept verbatim.
type LogStoreConfig struct {
	ID      string          `json:"-" store:"id" config:"id"`
	Enabled bool            `json:"enabled" store:"enabled"`
	Type    string          `json:"type,omitempty" store:"type"`
	Config  json.RawMessage `json:"config,omitempty" store:"config"`
	Meta    `config:"server"`
}

// AuthConfig is the admin authentication of the gateway (config.json's
// governance.auth_config). The credentials are secrets.
type AuthConfig struct {
	ID                     string `json:"-" store:"id" config:"id"`
	AdminUsername          EnvVar `json:"admin_username,omitzero" store:"admin_username"`
	AdminPassword          EnvVar `json:"admin_password,omitzero" store:"admin_password"`
	IsEnabled              bool   `json:"is_enabled" store:"is_enabled"`
	DisableAuthOnInference bool   `json:"disable_auth_on_inference,omitempty" store:"disable_auth_on_inference"`
	Meta                   `config:"server"`
}

func (c *ClientConfig) key() string        { return settingsKey }
func (c *ClientConfig) setKey(string)      { c.ID = settingsKey }
func (c *VectorStoreConfig) key() string   { return settingsKey }
func (c *VectorStoreConfig) setKey(string) { c.ID = settingsKey }
func (c *LogStoreConfig) key() string      { return settingsKey }
func (c *LogStoreConfig) setKey(string)    { c.ID = settingsKey }
func (c *AuthConfig) key() string          { return settingsKey }
func (c *AuthConfig) setKey(string)        { c.ID = settingsKey }

func (c *ClientConfig) validate() error {
	c.ID = settingsKey
	for _, f := range []struct {
		path string
		v    int
	}{
		{"initial_pool_size", c.InitialPoolSize}, {"log_retention_days", c.LogRetentionDays},
		{"max_request_body_size_mb", c.MaxRequestBodySizeMB}, {"async_job_result_ttl", c.AsyncJobResultTTL},
	} {
		if f.v < 0 {
			return invalidf(f.path, "must not be negative, got %d", f.v)
		}
	}
	return nil
}

func (c *VectorStoreConfig) validate() error {
	c.ID = settingsKey
	if c.Type != "" {
		if err := oneOf("type", c.Type, "weaviate", "redis", "qdrant", "pinecone"); err != nil {
			return err
		}
	}
	return validJSON("config", c.Config)
}

func (c *LogStoreConfig) validate() error {
	c.ID = settingsKey
	if c.Type != "" {
		if err := oneOf("type", c.Type, "sqlite", "postgres"); err != nil {
			return err
		}
	}
	return validJSON("config", c.Config)
}

func (c *AuthConfig) validate() error {
	c.ID = settingsKey
	if c.IsEnabled && (c.AdminUsername.IsZero() || c.AdminPassword.IsZero()) {
		return invalidf("admin_password", "admin_username and admin_password are required when is_enabled is true")
	}
	return nil
}

func validJSON(path string, raw json.RawMessage) error {
	if raw != nil && !json.Valid(raw) {
		return invalidf(path, "is not valid JSON")
	}
	return nil
}
