package reconcile

import (
	"context"
	"errors"
	"slices"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
)

// The write ranks: an entity is written after the entities of lower rank,
// which it may refer to, and pruned before them.
const (
	rankRateLimit = iota
	rankBudget    // budgets owned by no entity: customers, teams and model configs refer to them
	rankProvider
	rankKey
	rankMCPClient
	rankCustomer
	rankTeam
	rankModelConfig
	rankVirtualKey
	rankOwnedBudget // a budget owned by a virtual key, team, customer or model config refers to its owner
	rankBudgetRefs  // owners updated with a budget_id naming a budget they own (see kind.budgetID)
	rankIndependent // routing rules, plugins, settings: no references
)

// settingsKey is the key shown for the settings singletons.
const settingsKey = "default"

// planners is what Plan runs: every kind of config.json, each planned
// after the kinds whose file entities it may name by label (keys before
// virtual keys).
var planners = []interface{ plan(*planner) error }{
	&kind[configstore.RateLimit]{
		section: configfile.SectionRateLimits, name: "rate_limit", rank: rankRateLimit,
		fromFile: func(f *configfile.File) []configstore.RateLimit { return f.RateLimits },
		list:     configstore.ConfigStore.ListRateLimits,
		key:      func(v *configstore.RateLimit) string { return v.ID },
		setKey:   func(v *configstore.RateLimit, id string) { v.ID = id },
		label:    func(*configstore.RateLimit) string { return "" },
		create:   configstore.ConfigStore.CreateRateLimit, update: configstore.ConfigStore.UpdateRateLimit,
		remove: configstore.ConfigStore.DeleteRateLimit,
	},
	&kind[configstore.Budget]{
		section: configfile.SectionBudgets, name: "budget", rank: rankBudget, rankOf: budgetRank,
		fromFile: func(f *configfile.File) []configstore.Budget { return f.Budgets },
		list:     configstore.ConfigStore.ListBudgets,
		key:      func(v *configstore.Budget) string { return v.ID },
		setKey:   func(v *configstore.Budget, id string) { v.ID = id },
		label:    func(*configstore.Budget) string { return "" },
		create:   configstore.ConfigStore.CreateBudget, update: configstore.ConfigStore.UpdateBudget,
		remove: configstore.ConfigStore.DeleteBudget,
	},
	&kind[configstore.Provider]{
		section: configfile.SectionProviders, name: "provider", rank: rankProvider,
		fromFile: providersOf,
		list:     configstore.ConfigStore.ListProviders,
		key:      func(v *configstore.Provider) string { return v.Name },
		label:    func(v *configstore.Provider) string { return v.Name },
		create:   configstore.ConfigStore.CreateProvider, update: configstore.ConfigStore.UpdateProvider,
		remove: configstore.ConfigStore.DeleteProvider,
	},
	&kind[configstore.Key]{
		section: configfile.SectionProviders, name: "key", rank: rankKey,
		fromFile: keysOf,
		list:     configstore.ConfigStore.ListKeys,
		key:      func(v *configstore.Key) string { return v.ID },
		setKey:   func(v *configstore.Key, id string) { v.ID = id },
		label:    func(v *configstore.Key) string { return v.Name }, byName: true,
		create: configstore.ConfigStore.CreateKey, update: configstore.ConfigStore.UpdateKey,
		remove: configstore.ConfigStore.DeleteKey,
	},
	&kind[configstore.MCPClient]{
		section: configfile.SectionMCPClients, name: "mcp_client", rank: rankMCPClient,
		fromFile: func(f *configfile.File) []configstore.MCPClient { return f.MCPClients },
		list:     configstore.ConfigStore.ListMCPClients,
		key:      func(v *configstore.MCPClient) string { return v.ClientID },
		setKey:   func(v *configstore.MCPClient, id string) { v.ClientID = id },
		label:    func(v *configstore.MCPClient) string { return v.Name }, byName: true,
		create: configstore.ConfigStore.CreateMCPClient, update: configstore.ConfigStore.UpdateMCPClient,
		remove: configstore.ConfigStore.DeleteMCPClient,
	},
	&kind[configstore.Customer]{
		section: configfile.SectionCustomers, name: "customer", rank: rankCustomer,
		fromFile: func(f *configfile.File) []configstore.Customer { return f.Customers },
		list:     configstore.ConfigStore.ListCustomers,
		key:      func(v *configstore.Customer) string { return v.ID },
		setKey:   func(v *configstore.Customer, id string) { v.ID = id },
		label:    func(v *configstore.Customer) string { return v.Name },
		create:   configstore.ConfigStore.CreateCustomer, update: configstore.ConfigStore.UpdateCustomer,
		remove:   configstore.ConfigStore.DeleteCustomer,
		budgetID: func(v *configstore.Customer) *string { return &v.BudgetID },
	},
	&kind[configstore.Team]{
		section: configfile.SectionTeams, name: "team", rank: rankTeam,
		fromFile: func(f *configfile.File) []configstore.Team { return f.Teams },
		list:     configstore.ConfigStore.ListTeams,
		key:      func(v *configstore.Team) string { return v.ID },
		setKey:   func(v *configstore.Team, id string) { v.ID = id },
		label:    func(v *configstore.Team) string { return v.Name }, byName: true,
		create: configstore.ConfigStore.CreateTeam, update: configstore.ConfigStore.UpdateTeam,
		remove:   configstore.ConfigStore.DeleteTeam,
		budgetID: func(v *configstore.Team) *string { return &v.BudgetID },
	},
	&kind[configstore.ModelConfig]{
		section: configfile.SectionModelConfigs, name: "model_config", rank: rankModelConfig,
		fromFile: func(f *configfile.File) []configstore.ModelConfig { return f.ModelConfigs },
		list:     configstore.ConfigStore.ListModelConfigs,
		key:      func(v *configstore.ModelConfig) string { return v.ID },
		setKey:   func(v *configstore.ModelConfig, id string) { v.ID = id },
		label:    func(v *configstore.ModelConfig) string { return v.ModelName },
		create:   configstore.ConfigStore.CreateModelConfig, update: configstore.ConfigStore.UpdateModelConfig,
		remove:   configstore.ConfigStore.DeleteModelConfig,
		budgetID: func(v *configstore.ModelConfig) *string { return &v.BudgetID },
	},
	&kind[configstore.VirtualKey]{
		section: configfile.SectionVirtualKeys, name: "virtual_key", rank: rankVirtualKey,
		fromFile: func(f *configfile.File) []configstore.VirtualKey { return f.VirtualKeys },
		list:     configstore.ConfigStore.ListVirtualKeys,
		key:      func(v *configstore.VirtualKey) string { return v.ID },
		setKey:   func(v *configstore.VirtualKey, id string) { v.ID = id },
		label:    func(v *configstore.VirtualKey) string { return v.Name }, byName: true,
		create: configstore.ConfigStore.CreateVirtualKey, update: configstore.ConfigStore.UpdateVirtualKey,
		remove:  configstore.ConfigStore.DeleteVirtualKey,
		resolve: resolveKeyIDs,
	},
	&kind[configstore.RoutingRule]{
		section: configfile.SectionRoutingRules, name: "routing_rule", rank: rankIndependent,
		fromFile: func(f *configfile.File) []configstore.RoutingRule { return f.RoutingRules },
		list:     configstore.ConfigStore.ListRoutingRules,
		key:      func(v *configstore.RoutingRule) string { return v.ID },
		setKey:   func(v *configstore.RoutingRule, id string) { v.ID = id },
		label:    func(v *configstore.RoutingRule) string { return v.Name },
		create:   configstore.ConfigStore.CreateRoutingRule, update: configstore.ConfigStore.UpdateRoutingRule,
		remove: configstore.ConfigStore.DeleteRoutingRule,
	},
	&kind[configstore.Plugin]{
		section: configfile.SectionPlugins, name: "plugin", rank: rankIndependent,
		fromFile: func(f *configfile.File) []configstore.Plugin { return f.Plugins },
		list:     configstore.ConfigStore.ListPlugins,
		key:      func(v *configstore.Plugin) string { return v.Name },
		label:    func(v *configstore.Plugin) string { return v.Name },
		create:   configstore.ConfigStore.CreatePlugin, update: configstore.ConfigStore.UpdatePlugin,
		remove: configstore.ConfigStore.DeletePlugin,
	},
	&kind[configstore.ClientConfig]{
		section: configfile.SectionClient, name: "client_config", rank: rankIndependent,
		fromFile: func(f *configfile.File) []configstore.ClientConfig { return one(f.Client) },
		list:     singleton(configstore.ConfigStore.GetClientConfig),
		key:      func(*configstore.ClientConfig) string { return settingsKey },
		label:    func(*configstore.ClientConfig) string { return "" },
		create:   configstore.ConfigStore.UpdateClientConfig, update: configstore.ConfigStore.UpdateClientConfig,
	},
	&kind[configstore.VectorStoreConfig]{
		section: configfile.SectionVectorStore, name: "vector_store_config", rank: rankIndependent,
		fromFile: func(f *configfile.File) []configstore.VectorStoreConfig { return one(f.VectorStore) },
		list:     singleton(configstore.ConfigStore.GetVectorStoreConfig),
		key:      func(*configstore.VectorStoreConfig) string { return settingsKey },
		label:    func(*configstore.VectorStoreConfig) string { return "" },
		create:   configstore.ConfigStore.UpdateVectorStoreConfig, update: configstore.ConfigStore.UpdateVectorStoreConfig,
	},
	&kind[configstore.LogStoreConfig]{
		section: configfile.SectionLogsStore, name: "log_store_config", rank: rankIndependent,
		fromFile: func(f *configfile.File) []configstore.LogStoreConfig { return one(f.LogsStore) },
		list:     singleton(configstore.ConfigStore.GetLogStoreConfig),
		key:      func(*configstore.LogStoreConfig) string { return settingsKey },
		label:    func(*configstore.LogStoreConfig) string { return "" },
		create:   configstore.ConfigStore.UpdateLogStoreConfig, update: configstore.ConfigStore.UpdateLogStoreConfig,
	},
	&kind[configstore.AuthConfig]{
		section: configfile.SectionAuthConfig, name: "auth_config", rank: rankIndependent,
		fromFile: func(f *configfile.File) []configstore.AuthConfig { return one(f.AuthConfig) },
		list:     singleton(configstore.ConfigStore.GetAuthConfig),
		key:      func(*configstore.AuthConfig) string { return settingsKey },
		label:    func(*configstore.AuthConfig) string { return "" },
		create:   configstore.ConfigStore.UpdateAuthConfig, update: configstore.ConfigStore.UpdateAuthConfig,
	},
}

// budgetRank ranks a budget owned by an entity after its owner.
func budgetRank(b *configstore.Budget) int {
	if b.VirtualKeyID != "" || b.TeamID != "" || b.CustomerID != "" || b.ModelConfigID != "" {
		return rankOwnedBudget
	}
	return rankBudget
}

// providersOf returns the file's providers without their keys.
func providersOf(f *configfile.File) []configstore.Provider {
	out := make([]configstore.Provider, len(f.Providers))
	for i, p := range f.Providers {
		out[i] = p.Provider
	}
	return out
}

// keysOf returns the keys of every provider of the file.
func keysOf(f *configfile.File) []configstore.Key {
	var out []configstore.Key
	for _, p := range f.Providers {
		out = append(out, p.Keys...)
	}
	return out
}

// resolveKeyIDs rewrites the key_ids entries of vk that name, by name, a
// file key given without an id into that key's id (the stored key's, or
// the one generated for it), and reports whether it rewrote any.
func resolveKeyIDs(p *planner, vk *configstore.VirtualKey) bool {
	byName, explicit := p.keyOfName["key"], p.fileKeys["key"]
	rewrote := false
	pcs := slices.Clone(vk.ProviderConfigs)
	for i := range pcs {
		ids := slices.Clone(pcs[i].KeyIDs)
		for j, id := range ids {
			if key, ok := byName[id]; ok && !explicit[id] {
				ids[j], rewrote = key, true
			}
		}
		pcs[i].KeyIDs = ids
	}
	vk.ProviderConfigs = pcs
	return rewrote
}

// one returns the settings section v as a list of at most one.
func one[T any](v *T) []T {
	if v == nil {
		return nil
	}
	return []T{*v}
}

// singleton lists a settings section through its Get: none until the
// first write.
func singleton[T any](get func(configstore.ConfigStore, context.Context) (*T, error)) func(configstore.ConfigStore, context.Context) ([]T, error) {
	return func(s configstore.ConfigStore, ctx context.Context) ([]T, error) {
		v, err := get(s, ctx)
		if errors.Is(err, configstore.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []T{*v}, nil
	}
}
