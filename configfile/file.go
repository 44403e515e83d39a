package configfile

import "github.com/gatewaykit/configstore"

// File is a decoded, validated config.json. Every managed section is typed
// with the configstore entity types, so what the reconciler writes is what
// the file says. Lists keep the file's order. Parse returns every entity
// normalized (configstore.Normalize: defaults applied, values as a store
// reads them back), ready for HashNormalized.
type File struct {
	// Schema is "$schema"; Version is "version" in decimal ("2"), empty
	// when omitted. Both are informational.
	Schema  string
	Version string
	// SourceOfTruth is source_of_truth: SourceSplit when omitted.
	SourceOfTruth SourceOfTruth
	// ConfigStore is the config_store section; nil when the file has none.
	ConfigStore *configstore.Config

	// Providers holds "providers", one entry per provider name with its keys
	// (each key's Provider set to that name), sorted by name.
	Providers []configstore.ProviderConfig

	// The governance sub-sections.
	Budgets      []configstore.Budget
	RateLimits   []configstore.RateLimit
	Customers    []configstore.Customer
	Teams        []configstore.Team
	VirtualKeys  []configstore.VirtualKey
	RoutingRules []configstore.RoutingRule
	ModelConfigs []configstore.ModelConfig
	// AuthConfig is governance.auth_config (or the top-level auth_config).
	AuthConfig *configstore.AuthConfig

	// MCPClients is mcp.client_configs.
	MCPClients []configstore.MCPClient
	// Plugins is "plugins".
	Plugins []configstore.Plugin

	// The settings sections; nil when absent.
	Client      *configstore.ClientConfig
	VectorStore *configstore.VectorStoreConfig
	LogsStore   *configstore.LogStoreConfig

	// Presence records, for every managed section, whether the file has it.
	Presence map[Section]Presence
	// NotManaged lists the sections the file has that belong to the gateway,
	// not to the store ("websocket", "framework", "governance.roles", ...),
	// in file order. They are accepted and ignored.
	NotManaged []string
}

// SourceOfTruth is config.json's source_of_truth.
type SourceOfTruth string

// The two reconciliation modes.
const (
	// SourceSplit: the file bootstraps the store; stored edits survive
	// restarts while the file's definition of the entity is unchanged.
	SourceSplit SourceOfTruth = "split"
	// SourceConfigJSON: every section present in the file is authoritative.
	SourceConfigJSON SourceOfTruth = "config.json"
)

// Section names a managed section by its JSON path in config.json.
type Section string

// The managed sections.
const (
	SectionProviders    Section = "providers" // providers and their keys
	SectionBudgets      Section = "governance.budgets"
	SectionRateLimits   Section = "governance.rate_limits"
	SectionCustomers    Section = "governance.customers"
	SectionTeams        Section = "governance.teams"
	SectionVirtualKeys  Section = "governance.virtual_keys"
	SectionRoutingRules Section = "governance.routing_rules"
	SectionModelConfigs Section = "governance.model_configs"
	SectionAuthConfig   Section = "governance.auth_config"
	SectionMCPClients   Section = "mcp.client_configs"
	SectionPlugins      Section = "plugins"
	SectionClient       Section = "client"
	SectionVectorStore  Section = "vector_store"
	SectionLogsStore    Section = "logs_store"
)

// Sections returns every managed section.
func Sections() []Section {
	return []Section{
		SectionProviders, SectionBudgets, SectionRateLimits, SectionCustomers, SectionTeams,
		SectionVirtualKeys, SectionRoutingRules, SectionModelConfigs, SectionAuthConfig,
		SectionMCPClients, SectionPlugins, SectionClient, SectionVectorStore, SectionLogsStore,
	}
}

// Presence is whether a section is in the file.
type Presence int

// The presence states. A section given as null is Present.
const (
	Missing Presence = iota // not in the file: left alone in every mode
	Present                 // in the file, with entries (or null)
	Empty                   // in the file as [] or {}: authoritative mode prunes all of it
)

// Has reports whether the section is in the file (Present or Empty).
func (f *File) Has(s Section) bool { return f.Presence[s] != Missing }
