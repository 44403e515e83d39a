package configfile

import (
	"reflect"

	"github.com/gatewaykit/configstore"
)

// fieldAction is what the checker does with a member a field rule covers.
type fieldAction int

// The field actions.
const (
	// reject reports the rule's message.
	reject fieldAction = iota
	// gateway accepts a section that belongs to the gateway, not to the
	// store, and lists it in File.NotManaged.
	gateway
	// ignore accepts a read-only, informational field and drops it.
	ignore
)

// fieldRule covers a member of a struct type (or of a struct embedding
// it) that its json fields do not simply decode.
type fieldRule struct {
	owner reflect.Type
	name  string
	// only restricts the rule to values of one kind (the alternative form
	// of a field); anyKind covers every value.
	only    kind
	action  fieldAction
	message string
}

// The messages of the rejecting rules.
const (
	msgServerManaged = "is managed by the store and not accepted from config.json"
	msgRuntimeState  = "is runtime state kept by the store, not configuration; remove it from config.json"
	msgUnsupported   = "is part of Bifrost's config.json but not supported by this store"
)

// fieldRules lists every such member. The unsupported ones are the fields
// of Bifrost's config.json schema that the configstore entity types do not
// model: rejecting them beats silently dropping what the file says.
var fieldRules = []fieldRule{
	{owner: reflect.TypeFor[configstore.Meta](), name: "revision", message: msgServerManaged},
	{owner: reflect.TypeFor[configstore.Meta](), name: "created_at", message: msgServerManaged},
	{owner: reflect.TypeFor[configstore.Meta](), name: "updated_at", message: msgServerManaged},

	{owner: reflect.TypeFor[configstore.Provider](), name: "name", message: `is not accepted: a provider is named by its key in "providers"`},
	{owner: reflect.TypeFor[configstore.Key](), name: "provider", message: "is not accepted: a key belongs to the provider it is listed under"},

	{owner: reflect.TypeFor[configstore.Budget](), name: "current_usage", message: msgRuntimeState},
	{owner: reflect.TypeFor[configstore.Budget](), name: "last_reset", message: msgRuntimeState},
	{owner: reflect.TypeFor[configstore.RateLimit](), name: "token_current_usage", message: msgRuntimeState},
	{owner: reflect.TypeFor[configstore.RateLimit](), name: "token_last_reset", message: msgRuntimeState},
	{owner: reflect.TypeFor[configstore.RateLimit](), name: "request_current_usage", message: msgRuntimeState},
	{owner: reflect.TypeFor[configstore.RateLimit](), name: "request_last_reset", message: msgRuntimeState},

	{owner: reflect.TypeFor[configstore.Budget](), name: "provider_config_id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.Customer](), name: "budgets", message: msgUnsupported + "; declare the budget in governance.budgets and give its budget_id"},
	{owner: reflect.TypeFor[configstore.Team](), name: "source_id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.Team](), name: "business_unit_id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.Team](), name: "virtual_key_count", action: ignore}, // read-only in the schema
	{owner: reflect.TypeFor[configstore.VirtualKey](), name: "access_profile_id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.VirtualKeyProviderConfig](), name: "id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.VirtualKeyProviderConfig](), name: "virtual_key_id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.VirtualKeyMCPConfig](), name: "id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.VirtualKeyMCPConfig](), name: "virtual_key_id", message: msgUnsupported},
	{owner: reflect.TypeFor[fileMCPConfig](), name: "mcp_client_id", only: kindNumber, message: "as an integer (a database id) " + msgUnsupported + "; give the client's client_id string or its mcp_client_name"},
	{owner: reflect.TypeFor[configstore.ModelConfig](), name: "budget_ids", message: msgUnsupported + "; give one budget_id"},
	{owner: reflect.TypeFor[configstore.MCPClient](), name: "oauth_config_id", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.MCPClient](), name: "per_user_header_keys", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.MCPClient](), name: "tool_pricing", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.MCPClient](), name: "tls_config", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.MCPClient](), name: "tool_sync_interval", only: kindNumber, message: "as an integer (nanoseconds) " + msgUnsupported + `; give a duration string such as "10m"`},
	{owner: reflect.TypeFor[configstore.ClientConfig](), name: "enforce_governance_header", message: msgUnsupported + "; use enforce_auth_on_inference"},
	{owner: reflect.TypeFor[configstore.ClientConfig](), name: "enforce_scim_auth", message: msgUnsupported + "; use enforce_auth_on_inference"},
	{owner: reflect.TypeFor[configstore.ClientConfig](), name: "mcp_agent_depth", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.ClientConfig](), name: "mcp_external_client_url", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.LogStoreConfig](), name: "object_storage", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.LogStoreConfig](), name: "object_storage_exclude_fields", message: msgUnsupported},
	{owner: reflect.TypeFor[configstore.LogStoreConfig](), name: "retention_days", message: msgUnsupported},

	{owner: reflect.TypeFor[document](), name: "encryption_key", action: gateway},
	{owner: reflect.TypeFor[document](), name: "framework", action: gateway},
	{owner: reflect.TypeFor[document](), name: "websocket", action: gateway},
	{owner: reflect.TypeFor[document](), name: "guardrails_config", action: gateway},
	{owner: reflect.TypeFor[document](), name: "audit_logs", action: gateway},
	{owner: reflect.TypeFor[document](), name: "cluster_config", action: gateway},
	{owner: reflect.TypeFor[document](), name: "load_balancer_config", action: gateway},
	{owner: reflect.TypeFor[document](), name: "large_payload_optimization", action: gateway},
	{owner: reflect.TypeFor[document](), name: "scim_config", action: gateway},
	{owner: reflect.TypeFor[document](), name: "access_profiles", action: gateway},
	{owner: reflect.TypeFor[document](), name: "feature_flags", action: gateway},
	{owner: reflect.TypeFor[governanceSection](), name: "business_units", action: gateway},
	{owner: reflect.TypeFor[governanceSection](), name: "roles", action: gateway},
	{owner: reflect.TypeFor[governanceSection](), name: "pricing_overrides", action: gateway},
	{owner: reflect.TypeFor[governanceSection](), name: "providers", action: gateway},
	{owner: reflect.TypeFor[mcpSection](), name: "tool_manager_config", action: gateway},
	{owner: reflect.TypeFor[mcpSection](), name: "tool_sync_interval", action: gateway},
	{owner: reflect.TypeFor[mcpSection](), name: "tool_groups", action: gateway},
}
