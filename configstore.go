// Package configstore stores an LLM gateway's configuration (providers and
// their keys, virtual keys, budgets, rate limits, customers, teams, plugins,
// MCP clients, routing rules, model configs, model pricing and the settings
// sections of config.json) behind one typed API, ConfigStore, on a pluggable
// backend.
//
// Backends register themselves like database/sql drivers:
//
//	import _ "github.com/gatewaykit/configstore/backends/sqlite"
//
//	store, err := configstore.Open(ctx, configstore.Config{Enabled: true, Type: "sqlite",
//		Config: json.RawMessage(`{"path": "config.db"}`)})
//
// ConfigStore is implemented once, in this package, over the small Backend
// contract a driver implements; validation, references, delete rules,
// secrets, revisions and the change log behave the same on every backend.
// The conformance package proves a backend.
package configstore

import "context"

// ConfigStore is the typed API a gateway uses. Every method is safe for
// concurrent use. Create and Update fill in the Meta (revision, times) and
// any generated id on the value they are given. List methods return records
// ordered by their key. Errors wrap the package's sentinels.
type ConfigStore interface {
	// Providers (identified by name) and their keys.
	CreateProvider(ctx context.Context, p *Provider) error
	GetProvider(ctx context.Context, name string) (*Provider, error)
	ListProviders(ctx context.Context) ([]Provider, error)
	UpdateProvider(ctx context.Context, p *Provider) error
	// DeleteProvider deletes the provider and its keys; it is refused with
	// ErrReferenced while a virtual key lists one of those keys.
	DeleteProvider(ctx context.Context, name string) error
	// GetProvidersConfig returns every provider with its keys, by name.
	GetProvidersConfig(ctx context.Context) (map[string]ProviderConfig, error)

	CreateKey(ctx context.Context, k *Key) error
	GetKey(ctx context.Context, id string) (*Key, error)
	ListKeys(ctx context.Context) ([]Key, error)
	// ListProviderKeys returns the keys of one provider.
	ListProviderKeys(ctx context.Context, provider string) ([]Key, error)
	UpdateKey(ctx context.Context, k *Key) error
	DeleteKey(ctx context.Context, id string) error

	CreateVirtualKey(ctx context.Context, vk *VirtualKey) error
	GetVirtualKey(ctx context.Context, id string) (*VirtualKey, error)
	// GetVirtualKeyByValue finds a virtual key by its value as written: the
	// literal, or the "env.NAME" reference for an env-referenced key (it
	// does not resolve references).
	GetVirtualKeyByValue(ctx context.Context, value string) (*VirtualKey, error)
	ListVirtualKeys(ctx context.Context) ([]VirtualKey, error)
	UpdateVirtualKey(ctx context.Context, vk *VirtualKey) error
	DeleteVirtualKey(ctx context.Context, id string) error

	CreateBudget(ctx context.Context, b *Budget) error
	GetBudget(ctx context.Context, id string) (*Budget, error)
	ListBudgets(ctx context.Context) ([]Budget, error)
	UpdateBudget(ctx context.Context, b *Budget) error
	DeleteBudget(ctx context.Context, id string) error

	CreateRateLimit(ctx context.Context, r *RateLimit) error
	GetRateLimit(ctx context.Context, id string) (*RateLimit, error)
	ListRateLimits(ctx context.Context) ([]RateLimit, error)
	UpdateRateLimit(ctx context.Context, r *RateLimit) error
	DeleteRateLimit(ctx context.Context, id string) error

	CreateCustomer(ctx context.Context, c *Customer) error
	GetCustomer(ctx context.Context, id string) (*Customer, error)
	ListCustomers(ctx context.Context) ([]Customer, error)
	UpdateCustomer(ctx context.Context, c *Customer) error
	DeleteCustomer(ctx context.Context, id string) error

	CreateTeam(ctx context.Context, t *Team) error
	GetTeam(ctx context.Context, id string) (*Team, error)
	ListTeams(ctx context.Context) ([]Team, error)
	UpdateTeam(ctx context.Context, t *Team) error
	DeleteTeam(ctx context.Context, id string) error

	CreatePlugin(ctx context.Context, p *Plugin) error
	GetPlugin(ctx context.Context, name string) (*Plugin, error)
	ListPlugins(ctx context.Context) ([]Plugin, error)
	UpdatePlugin(ctx context.Context, p *Plugin) error
	DeletePlugin(ctx context.Context, name string) error

	CreateMCPClient(ctx context.Context, c *MCPClient) error
	GetMCPClient(ctx context.Context, clientID string) (*MCPClient, error)
	ListMCPClients(ctx context.Context) ([]MCPClient, error)
	UpdateMCPClient(ctx context.Context, c *MCPClient) error
	DeleteMCPClient(ctx context.Context, clientID string) error

	CreateRoutingRule(ctx context.Context, r *RoutingRule) error
	GetRoutingRule(ctx context.Context, id string) (*RoutingRule, error)
	ListRoutingRules(ctx context.Context) ([]RoutingRule, error)
	UpdateRoutingRule(ctx context.Context, r *RoutingRule) error
	DeleteRoutingRule(ctx context.Context, id string) error

	CreateModelConfig(ctx context.Context, m *ModelConfig) error
	GetModelConfig(ctx context.Context, id string) (*ModelConfig, error)
	ListModelConfigs(ctx context.Context) ([]ModelConfig, error)
	UpdateModelConfig(ctx context.Context, m *ModelConfig) error
	DeleteModelConfig(ctx context.Context, id string) error

	// Model pricing, identified by (model, provider, mode).
	CreateModelPricing(ctx context.Context, p *ModelPricing) error
	GetModelPricing(ctx context.Context, model, provider, mode string) (*ModelPricing, error)
	ListModelPricing(ctx context.Context) ([]ModelPricing, error)
	UpdateModelPricing(ctx context.Context, p *ModelPricing) error
	DeleteModelPricing(ctx context.Context, model, provider, mode string) error
	// ReplaceModelPricing replaces all model pricing with prices in one
	// transaction (a pricing sync); it logs one OpReplace change.
	ReplaceModelPricing(ctx context.Context, prices []ModelPricing) error

	// Settings sections: Get returns ErrNotFound until the first Update.
	GetClientConfig(ctx context.Context) (*ClientConfig, error)
	UpdateClientConfig(ctx context.Context, c *ClientConfig) error
	GetVectorStoreConfig(ctx context.Context) (*VectorStoreConfig, error)
	UpdateVectorStoreConfig(ctx context.Context, c *VectorStoreConfig) error
	GetLogStoreConfig(ctx context.Context) (*LogStoreConfig, error)
	UpdateLogStoreConfig(ctx context.Context, c *LogStoreConfig) error
	GetAuthConfig(ctx context.Context) (*AuthConfig, error)
	UpdateAuthConfig(ctx context.Context, c *AuthConfig) error

	// Revision returns the store revision: the number of committed write
	// transactions that changed something.
	Revision(ctx context.Context) (int64, error)
	// MarkReconciled records that the current write transaction (or a new
	// one) leaves the store matching the config file the reconciler
	// describes by digest: the mark holds digest and the revision the
	// transaction commits. A change the transaction makes after the call
	// cancels it (the mark vouches only for what came before).
	// GetReconcileMark returns the mark, or an error wrapping ErrNotFound
	// before the first mark and inside a transaction that has changed
	// something. A reconciler that finds its file's digest in the mark,
	// with the store still at the mark's revision, knows the store is as
	// that reconcile left it.
	MarkReconciled(ctx context.Context, digest string) error
	GetReconcileMark(ctx context.Context) (*ReconcileMark, error)
	// ListChanges returns the change-log entries with a revision greater
	// than afterRevision, oldest first. limit caps the entries (0: all) but
	// a page always ends with a complete revision, so it may hold more;
	// resume with the last entry's Revision.
	ListChanges(ctx context.Context, afterRevision int64, limit int) ([]Change, error)

	// ExecuteTransaction runs fn in one write transaction: every method of
	// tx runs inside it, and all of fn's writes commit together or not at
	// all (an error or a panic rolls back; the panic is re-raised). Reads
	// through tx see the transaction's own writes; tx may be used from
	// several goroutines. A tx method that fails before writing (a
	// duplicate, a dangling reference) leaves the transaction usable, so fn
	// may handle the error and go on; one that fails halfway makes the
	// commit fail. Calling ExecuteTransaction on tx runs fn in the same
	// transaction (it is not a savepoint). Write transactions are
	// serialized: writing through the outer store inside fn waits for fn,
	// that is forever. Values given to tx's Create and Update methods keep
	// the Meta they were given even if the transaction rolls back.
	ExecuteTransaction(ctx context.Context, fn func(tx ConfigStore) error) error

	// Close closes the backend.
	Close() error
}
