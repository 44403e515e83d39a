package configfile

import (
	"encoding/json"
	"time"

	"github.com/gatewaykit/configstore"
)

// hashKind is one entity kind in the field-by-field hash tests.
type hashKind struct {
	name string
	// populated returns a fresh, valid value with every field set (every
	// bool true, every list at least two distinct entries), except zeroOK.
	populated func() any
	// zeroOK lists the fields (JSON paths) populated leaves zero because
	// validation forbids setting them with another field (the owners of a
	// budget, the team and customer of a virtual key).
	zeroOK []string
	// alternatives holds, per JSON path, a valid change of that field where
	// the generic one is invalid (enums, durations, exclusive owners).
	alternatives map[string]func(v any)
}

// fixedTime is a stand-in for store-managed and runtime times.
var fixedTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func populatedMeta() configstore.Meta {
	return configstore.Meta{Revision: 7, CreatedAt: fixedTime, UpdatedAt: fixedTime, ConfigHash: "0123abcd"}
}

func ptr[T any](v T) *T { return &v }

// hashKinds lists every kind Hash is used for, each fully populated.
func hashKinds() []hashKind {
	return []hashKind{
		{name: "Provider", populated: func() any {
			return &configstore.Provider{
				Name: "openai",
				NetworkConfig: &configstore.NetworkConfig{
					BaseURL: "https://api.example.com", ExtraHeaders: map[string]string{"x-a": "1", "x-b": "2"},
					DefaultRequestTimeoutInSeconds: 30, MaxRetries: 2, RetryBackoffInitial: 100, RetryBackoffMax: 2000,
					EnforceHTTP2: true, InsecureSkipVerify: true, CACertPEM: "network-pem", StreamIdleTimeoutInSeconds: 60,
					MaxConnsPerHost: 10, BetaHeaderOverrides: map[string]string{"beta-a": "on", "beta-b": "off"}, AllowPrivateNetwork: true,
				},
				ConcurrencyAndBufferSize: &configstore.ConcurrencyAndBufferSize{Concurrency: 2, BufferSize: 10},
				ProxyConfig: &configstore.ProxyConfig{Type: "http", URL: "http://proxy:3128", Username: "proxy-user",
					Password: configstore.NewEnvVar("proxy-password-literal"), CACertPEM: "proxy-pem"},
				SendBackRawRequest: true, SendBackRawResponse: true, StoreRawRequestResponse: true,
				CustomProviderConfig: &configstore.CustomProviderConfig{IsKeyLess: true, BaseProviderType: "openai",
					RequestPathOverrides: map[string]string{"chat": "/v1/chat", "embedding": "/v1/embed"},
					AllowedRequests:      map[string]bool{"chat": true, "embedding": true}},
				Meta: populatedMeta(),
			}
		}, alternatives: map[string]func(any){
			"proxy_config.type": func(v any) { v.(*configstore.Provider).ProxyConfig.Type = "socks5" },
		}},
		{name: "Key", populated: func() any { return populatedKey() }},
		{name: "VirtualKey", populated: func() any {
			return &configstore.VirtualKey{
				ID: "vk-1", Name: "team-a-key", Description: "for team a",
				Value: configstore.NewEnvVar("vk-literal-value-0001"), IsActive: true, CalendarAligned: true,
				TeamID: "team-1", RateLimitID: "rl-1", PartsDigest: "parts-digest-1",
				ProviderConfigs: []configstore.VirtualKeyProviderConfig{
					{Provider: "openai", Weight: ptr(0.25), AllowedModels: []string{"gpt-4o", "gpt-4o-mini"},
						BlacklistedModels: []string{"o1", "o3"}, RateLimitID: "rl-2", KeyIDs: []string{"key-1", "key-2"}},
					{Provider: "anthropic", Weight: ptr(0.75), AllowedModels: []string{"claude-3", "claude-4"},
						BlacklistedModels: []string{"claude-2", "claude-1"}, RateLimitID: "rl-3", KeyIDs: []string{"key-3", "key-4"}},
				},
				MCPConfigs: []configstore.VirtualKeyMCPConfig{
					{MCPClientName: "filesystem", ToolsToExecute: []string{"read", "write"}},
					{MCPClientName: "web", ToolsToExecute: []string{"fetch", "search"}},
				},
				Meta: populatedMeta(),
			}
		}, zeroOK: []string{"customer_id"}, alternatives: map[string]func(any){
			"customer_id": func(v any) { vk := v.(*configstore.VirtualKey); vk.TeamID, vk.CustomerID = "", "customer-1" },
		}},
		{name: "Budget", populated: func() any {
			return &configstore.Budget{ID: "budget-1", MaxLimit: 100.5, ResetDuration: "1M", CalendarAligned: true,
				VirtualKeyID: "vk-1", CurrentUsage: 12.25, LastReset: fixedTime, Meta: populatedMeta()}
		}, zeroOK: []string{"team_id", "customer_id", "model_config_id"}, alternatives: map[string]func(any){
			"reset_duration":  func(v any) { v.(*configstore.Budget).ResetDuration = "1w" },
			"team_id":         func(v any) { b := v.(*configstore.Budget); b.VirtualKeyID, b.TeamID = "", "team-1" },
			"customer_id":     func(v any) { b := v.(*configstore.Budget); b.VirtualKeyID, b.CustomerID = "", "customer-1" },
			"model_config_id": func(v any) { b := v.(*configstore.Budget); b.VirtualKeyID, b.ModelConfigID = "", "mc-1" },
		}},
		{name: "RateLimit", populated: func() any {
			return &configstore.RateLimit{ID: "rl-1", TokenMaxLimit: ptr[int64](100000), TokenResetDuration: "1h",
				RequestMaxLimit: ptr[int64](600), RequestResetDuration: "1m", CalendarAligned: true,
				TokenCurrentUsage: 5000, TokenLastReset: fixedTime, RequestCurrentUsage: 42, RequestLastReset: fixedTime,
				Meta: populatedMeta()}
		}, alternatives: map[string]func(any){
			"token_reset_duration":   func(v any) { v.(*configstore.RateLimit).TokenResetDuration = "1d" },
			"request_reset_duration": func(v any) { v.(*configstore.RateLimit).RequestResetDuration = "30s" },
		}},
		{name: "Customer", populated: func() any {
			return &configstore.Customer{ID: "customer-1", Name: "Acme", BudgetID: "budget-1", RateLimitID: "rl-1",
				CalendarAligned: true, Meta: populatedMeta()}
		}},
		{name: "Team", populated: func() any {
			return &configstore.Team{ID: "team-1", Name: "Platform", CustomerID: "customer-1", BudgetID: "budget-2",
				RateLimitID: "rl-2", CalendarAligned: true,
				Profile: map[string]any{"lead": "ada", "size": 4.0},
				Config:  map[string]any{"region": "eu", "tier": 2.0},
				Claims:  map[string]any{"group": "platform", "level": 3.0},
				Meta:    populatedMeta()}
		}},
		{name: "RoutingRule", populated: func() any {
			return &configstore.RoutingRule{ID: "rule-1", Name: "prefer-fast", Description: "fast models first",
				Enabled: true, CELExpression: `request.model == "fast"`, ChainRule: true,
				Targets: []configstore.RoutingTarget{
					{Provider: "openai", Model: "gpt-4o-mini", ProviderKeyName: "primary", Weight: 0.7},
					{Provider: "anthropic", Model: "claude-3", ProviderKeyName: "backup", Weight: 0.3},
				},
				Fallbacks: []string{"openai/gpt-4o", "anthropic/claude-4"},
				Scope:     "team", ScopeID: "team-1", Priority: 5,
				Query: json.RawMessage(`{"combinator":"and","rules":[{"field":"model"}]}`), Meta: populatedMeta()}
		}, alternatives: map[string]func(any){
			"scope": func(v any) { v.(*configstore.RoutingRule).Scope = "customer" },
		}},
		{name: "ModelConfig", populated: func() any {
			return &configstore.ModelConfig{ID: "mc-1", ModelName: "gpt-4o", Provider: "openai", Scope: "virtual_key",
				ScopeID: "vk-1", BudgetID: "budget-3", RateLimitID: "rl-3", CalendarAligned: true, Meta: populatedMeta()}
		}, alternatives: map[string]func(any){
			"scope": func(v any) { v.(*configstore.ModelConfig).Scope = "global" },
		}},
		{name: "MCPClient", populated: func() any {
			return &configstore.MCPClient{ClientID: "mcp-1", Name: "filesystem", IsCodeModeClient: true,
				ConnectionType: "http", ConnectionString: configstore.NewEnvVar("https://mcp.example.com/?token=abc123"),
				AuthType: "headers",
				Headers: map[string]configstore.EnvVar{
					"Authorization": configstore.EnvRef("MCP_TOKEN"), "X-Team": configstore.NewEnvVar("team-a-literal"),
				},
				StdioConfig:        &configstore.MCPStdioConfig{Command: "npx", Args: []string{"-y", "server"}, Envs: []string{"HOME", "PATH"}},
				ToolsToExecute:     []string{"read", "write"},
				ToolsToAutoExecute: []string{"list", "stat"},
				ToolSyncInterval:   "10m", AllowedExtraHeaders: []string{"x-user", "x-org"},
				IsPingAvailable: true, AllowOnAllVirtualKeys: true, Disabled: true, Meta: populatedMeta()}
		}, alternatives: map[string]func(any){
			"connection_type": func(v any) { v.(*configstore.MCPClient).ConnectionType = "sse" },
			"auth_type":       func(v any) { v.(*configstore.MCPClient).AuthType = "oauth" },
		}},
		{name: "Plugin", populated: func() any {
			return &configstore.Plugin{Name: "semantic-cache", Enabled: true,
				Config: json.RawMessage(`{"ttl": 60, "threshold": 0.8}`), Path: ptr("/plugins/cache.so"),
				Version: 2, Placement: configstore.PlacementPreBuiltin, Order: 3, Meta: populatedMeta()}
		}, alternatives: map[string]func(any){
			"placement": func(v any) { v.(*configstore.Plugin).Placement = configstore.PlacementBuiltin },
		}},
		{name: "ClientConfig", populated: func() any {
			return &configstore.ClientConfig{ID: "default", DropExcessRequests: true, InitialPoolSize: 100,
				PrometheusLabels: []string{"team", "env"}, AllowedOrigins: []string{"https://a.example", "https://b.example"},
				EnableLogging: true, DisableContentLogging: true, AllowPerRequestContentStorageOverride: true,
				AllowPerRequestRawOverride: true, DisableDBPingsInHealth: true, LogRetentionDays: 30,
				EnforceAuthOnInference: true, MaxRequestBodySizeMB: 10,
				Compat: &configstore.CompatConfig{ConvertTextToChat: true, ConvertChatToResponses: true,
					ShouldDropParams: true, ShouldConvertParams: true},
				HeaderFilterConfig: &configstore.HeaderFilterConfig{Allowlist: []string{"x-a", "x-b"}, Denylist: []string{"x-c", "x-d"}},
				AsyncJobResultTTL:  3600, RequiredHeaders: []string{"x-req-a", "x-req-b"},
				LoggingHeaders: []string{"x-log-a", "x-log-b"}, WhitelistedRoutes: []string{"/health", "/metrics"},
				HideDeletedVirtualKeysInFilters: true, AllowedHeaders: []string{"x-allow-a", "x-allow-b"},
				AllowDirectKeys: true, MCPToolExecutionTimeout: 30, MCPCodeModeBindingLevel: "server",
				MCPToolSyncInterval: 10, MCPDisableAutoToolInject: true, MCPEnableTempTokenAuth: true,
				RoutingChainMaxDepth: 4, Meta: populatedMeta()}
		}},
		{name: "VectorStoreConfig", populated: func() any {
			return &configstore.VectorStoreConfig{ID: "default", Enabled: true, Type: "weaviate",
				Config: json.RawMessage(`{"host": "localhost:8080"}`), Meta: populatedMeta()}
		}, alternatives: map[string]func(any){
			"type": func(v any) { v.(*configstore.VectorStoreConfig).Type = "qdrant" },
		}},
		{name: "LogStoreConfig", populated: func() any {
			return &configstore.LogStoreConfig{ID: "default", Enabled: true, Type: "sqlite",
				Config: json.RawMessage(`{"path": "logs.db"}`), Meta: populatedMeta()}
		}, alternatives: map[string]func(any){
			"type": func(v any) { v.(*configstore.LogStoreConfig).Type = "postgres" },
		}},
		{name: "AuthConfig", populated: func() any {
			return &configstore.AuthConfig{ID: "default", AdminUsername: configstore.NewEnvVar("admin"),
				AdminPassword: configstore.EnvRef("ADMIN_PASSWORD"), IsEnabled: true, DisableAuthOnInference: true,
				Meta: populatedMeta()}
		}},
	}
}

// populatedKey is the fully populated Key (also the keys of the provider
// config tests).
func populatedKey() *configstore.Key {
	return &configstore.Key{
		ID: "key-1", Provider: "openai", Name: "primary", Value: configstore.NewEnvVar("sk-literal-secret-0001"),
		Models: []string{"gpt-4o", "gpt-4o-mini"}, BlacklistedModels: []string{"o1", "o3"}, Weight: 0.5,
		Enabled: ptr(true), UseForBatchAPI: true, Aliases: map[string]string{"fast": "gpt-4o-mini", "smart": "gpt-4o"},
		AzureKeyConfig: &configstore.AzureKeyConfig{Endpoint: configstore.EnvRef("AZURE_ENDPOINT"),
			ClientID: configstore.NewEnvVar("azure-client-id"), ClientSecret: configstore.EnvRef("AZURE_CLIENT_SECRET"),
			TenantID: configstore.NewEnvVar("azure-tenant"), Scopes: []string{"scope-a", "scope-b"}, APIVersion: "2024-10-21"},
		VertexKeyConfig: &configstore.VertexKeyConfig{ProjectID: configstore.EnvRef("GCP_PROJECT"), ProjectNumber: "1234",
			Region: "us-central1", AuthCredentials: configstore.NewEnvVar(`{"type":"service_account"}`)},
		BedrockKeyConfig: &configstore.BedrockKeyConfig{AccessKey: configstore.EnvRef("AWS_ACCESS_KEY_ID"),
			SecretKey: configstore.NewEnvVar("aws-secret-literal"), SessionToken: configstore.EnvRef("AWS_SESSION_TOKEN"),
			Region: "us-east-1", ARN: "arn:aws:bedrock:model", RoleARN: "arn:aws:iam::role", ExternalID: "ext-1",
			SessionName: "gateway", Deployments: map[string]string{"claude": "arn:deploy:1", "titan": "arn:deploy:2"},
			BatchS3Config: map[string]any{"bucket": "batches", "prefix": "in/"}},
		VLLMKeyConfig:      &configstore.VLLMKeyConfig{URL: "http://vllm:8000", ModelName: "llama"},
		OllamaKeyConfig:    &configstore.URLKeyConfig{URL: "http://ollama:11434"},
		SGLKeyConfig:       &configstore.URLKeyConfig{URL: "http://sgl:30000"},
		ReplicateKeyConfig: &configstore.ReplicateKeyConfig{UseDeploymentsEndpoint: true},
		Meta:               populatedMeta(),
	}
}
