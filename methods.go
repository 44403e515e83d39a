package configstore

import "context"

// How the generic operations treat each entity type.
var (
	providers          = entityKind[Provider, *Provider]{kind: kindProvider}
	keys               = entityKind[Key, *Key]{kind: kindKey, generateKey: true, immutable: []string{"provider"}}
	virtualKeys        = entityKind[VirtualKey, *VirtualKey]{kind: kindVirtualKey, generateKey: true, parts: virtualKeyParts{}}
	budgets            = entityKind[Budget, *Budget]{kind: kindBudget, generateKey: true}
	rateLimits         = entityKind[RateLimit, *RateLimit]{kind: kindRateLimit, generateKey: true}
	customers          = entityKind[Customer, *Customer]{kind: kindCustomer, generateKey: true}
	teams              = entityKind[Team, *Team]{kind: kindTeam, generateKey: true}
	plugins            = entityKind[Plugin, *Plugin]{kind: kindPlugin}
	mcpClients         = entityKind[MCPClient, *MCPClient]{kind: kindMCPClient, generateKey: true}
	routingRules       = entityKind[RoutingRule, *RoutingRule]{kind: kindRoutingRule, generateKey: true}
	modelConfigs       = entityKind[ModelConfig, *ModelConfig]{kind: kindModelConfig, generateKey: true}
	modelPricing       = entityKind[ModelPricing, *ModelPricing]{kind: kindModelPricing}
	clientConfigs      = entityKind[ClientConfig, *ClientConfig]{kind: kindClientConfig}
	vectorStoreConfigs = entityKind[VectorStoreConfig, *VectorStoreConfig]{kind: kindVectorStoreConfig}
	logStoreConfigs    = entityKind[LogStoreConfig, *LogStoreConfig]{kind: kindLogStoreConfig}
	authConfigs        = entityKind[AuthConfig, *AuthConfig]{kind: kindAuthConfig}
)

func (s *store) CreateProvider(ctx context.Context, p *Provider) error {
	return create(ctx, s, providers, p)
}
func (s *store) GetProvider(ctx context.Context, name string) (*Provider, error) {
	return get(ctx, s, providers, name)
}
func (s *store) ListProviders(ctx context.Context) ([]Provider, error) {
	return list(ctx, s, providers, Query{})
}
func (s *store) UpdateProvider(ctx context.Context, p *Provider) error {
	return update(ctx, s, providers, p, false)
}
func (s *store) DeleteProvider(ctx context.Context, name string) error {
	return remove(ctx, s, kindProvider, name)
}

func (s *store) GetProvidersConfig(ctx context.Context) (map[string]ProviderConfig, error) {
	out := map[string]ProviderConfig{}
	err := s.readSnapshot(ctx, func(tx *store) error {
		ps, err := tx.ListProviders(ctx)
		if err != nil {
			return err
		}
		ks, err := tx.ListKeys(ctx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			out[p.Name] = ProviderConfig{Provider: p, Keys: []Key{}}
		}
		for _, k := range ks {
			pc := out[k.Provider]
			pc.Keys = append(pc.Keys, k)
			out[k.Provider] = pc
		}
		return nil
	})
	return out, err
}

func (s *store) CreateKey(ctx context.Context, k *Key) error { return create(ctx, s, keys, k) }
func (s *store) GetKey(ctx context.Context, id string) (*Key, error) {
	return get(ctx, s, keys, id)
}
func (s *store) ListKeys(ctx context.Context) ([]Key, error) { return list(ctx, s, keys, Query{}) }
func (s *store) ListProviderKeys(ctx context.Context, provider string) ([]Key, error) {
	return list(ctx, s, keys, Query{Where: []Condition{Eq("provider", provider)}})
}
func (s *store) UpdateKey(ctx context.Context, k *Key) error { return update(ctx, s, keys, k, false) }
func (s *store) DeleteKey(ctx context.Context, id string) error {
	return remove(ctx, s, kindKey, id)
}

func (s *store) CreateVirtualKey(ctx context.Context, vk *VirtualKey) error {
	return create(ctx, s, virtualKeys, vk)
}
func (s *store) GetVirtualKey(ctx context.Context, id string) (*VirtualKey, error) {
	return get(ctx, s, virtualKeys, id)
}
func (s *store) GetVirtualKeyByValue(ctx context.Context, value string) (*VirtualKey, error) {
	return getBy(ctx, s, virtualKeys, "value", storedForm(value))
}
func (s *store) ListVirtualKeys(ctx context.Context) ([]VirtualKey, error) {
	return list(ctx, s, virtualKeys, Query{})
}
func (s *store) UpdateVirtualKey(ctx context.Context, vk *VirtualKey) error {
	return update(ctx, s, virtualKeys, vk, false)
}
func (s *store) DeleteVirtualKey(ctx context.Context, id string) error {
	return remove(ctx, s, kindVirtualKey, id)
}

func (s *store) CreateBudget(ctx context.Context, b *Budget) error {
	return create(ctx, s, budgets, b)
}
func (s *store) GetBudget(ctx context.Context, id string) (*Budget, error) {
	return get(ctx, s, budgets, id)
}
func (s *store) ListBudgets(ctx context.Context) ([]Budget, error) {
	return list(ctx, s, budgets, Query{})
}
func (s *store) UpdateBudget(ctx context.Context, b *Budget) error {
	return update(ctx, s, budgets, b, false)
}
func (s *store) DeleteBudget(ctx context.Context, id string) error {
	return remove(ctx, s, kindBudget, id)
}

func (s *store) CreateRateLimit(ctx context.Context, r *RateLimit) error {
	return create(ctx, s, rateLimits, r)
}
func (s *store) GetRateLimit(ctx context.Context, id string) (*RateLimit, error) {
	return get(ctx, s, rateLimits, id)
}
func (s *store) ListRateLimits(ctx context.Context) ([]RateLimit, error) {
	return list(ctx, s, rateLimits, Query{})
}
func (s *store) UpdateRateLimit(ctx context.Context, r *RateLimit) error {
	return update(ctx, s, rateLimits, r, false)
}
func (s *store) DeleteRateLimit(ctx context.Context, id string) error {
	return remove(ctx, s, kindRateLimit, id)
}

func (s *store) CreateCustomer(ctx context.Context, c *Customer) error {
	return create(ctx, s, customers, c)
}
func (s *store) GetCustomer(ctx context.Context, id string) (*Customer, error) {
	return get(ctx, s, customers, id)
}
func (s *store) ListCustomers(ctx context.Context) ([]Customer, error) {
	return list(ctx, s, customers, Query{})
}
func (s *store) UpdateCustomer(ctx context.Context, c *Customer) error {
	return update(ctx, s, customers, c, false)
}
func (s *store) DeleteCustomer(ctx context.Context, id string) error {
	return remove(ctx, s, kindCustomer, id)
}

func (s *store) CreateTeam(ctx context.Context, t *Team) error { return create(ctx, s, teams, t) }
func (s *store) GetTeam(ctx context.Context, id string) (*Team, error) {
	return get(ctx, s, teams, id)
}
func (s *store) ListTeams(ctx context.Context) ([]Team, error) { return list(ctx, s, teams, Query{}) }
func (s *store) UpdateTeam(ctx context.Context, t *Team) error {
	return update(ctx, s, teams, t, false)
}
func (s *store) DeleteTeam(ctx context.Context, id string) error {
	return remove(ctx, s, kindTeam, id)
}

func (s *store) CreatePlugin(ctx context.Context, p *Plugin) error {
	return create(ctx, s, plugins, p)
}
func (s *store) GetPlugin(ctx context.Context, name string) (*Plugin, error) {
	return get(ctx, s, plugins, name)
}
func (s *store) ListPlugins(ctx context.Context) ([]Plugin, error) {
	return list(ctx, s, plugins, Query{})
}
func (s *store) UpdatePlugin(ctx context.Context, p *Plugin) error {
	return update(ctx, s, plugins, p, false)
}
func (s *store) DeletePlugin(ctx context.Context, name string) error {
	return remove(ctx, s, kindPlugin, name)
}

func (s *store) CreateMCPClient(ctx context.Context, c *MCPClient) error {
	return create(ctx, s, mcpClients, c)
}
func (s *store) GetMCPClient(ctx context.Context, clientID string) (*MCPClient, error) {
	return get(ctx, s, mcpClients, clientID)
}
func (s *store) ListMCPClients(ctx context.Context) ([]MCPClient, error) {
	return list(ctx, s, mcpClients, Query{})
}
func (s *store) UpdateMCPClient(ctx context.Context, c *MCPClient) error {
	return update(ctx, s, mcpClients, c, false)
}
func (s *store) DeleteMCPClient(ctx context.Context, clientID string) error {
	return remove(ctx, s, kindMCPClient, clientID)
}

func (s *store) CreateRoutingRule(ctx context.Context, r *RoutingRule) error {
	return create(ctx, s, routingRules, r)
}
func (s *store) GetRoutingRule(ctx context.Context, id string) (*RoutingRule, error) {
	return get(ctx, s, routingRules, id)
}
func (s *store) ListRoutingRules(ctx context.Context) ([]RoutingRule, error) {
	return list(ctx, s, routingRules, Query{})
}
func (s *store) UpdateRoutingRule(ctx context.Context, r *RoutingRule) error {
	return update(ctx, s, routingRules, r, false)
}
func (s *store) DeleteRoutingRule(ctx context.Context, id string) error {
	return remove(ctx, s, kindRoutingRule, id)
}

func (s *store) CreateModelConfig(ctx context.Context, m *ModelConfig) error {
	return create(ctx, s, modelConfigs, m)
}
func (s *store) GetModelConfig(ctx context.Context, id string) (*ModelConfig, error) {
	return get(ctx, s, modelConfigs, id)
}
func (s *store) ListModelConfigs(ctx context.Context) ([]ModelConfig, error) {
	return list(ctx, s, modelConfigs, Query{})
}
func (s *store) UpdateModelConfig(ctx context.Context, m *ModelConfig) error {
	return update(ctx, s, modelConfigs, m, false)
}
func (s *store) DeleteModelConfig(ctx context.Context, id string) error {
	return remove(ctx, s, kindModelConfig, id)
}

func (s *store) CreateModelPricing(ctx context.Context, p *ModelPricing) error {
	return create(ctx, s, modelPricing, p)
}
func (s *store) GetModelPricing(ctx context.Context, model, provider, mode string) (*ModelPricing, error) {
	return get(ctx, s, modelPricing, ModelPricingKey(model, provider, mode))
}
func (s *store) ListModelPricing(ctx context.Context) ([]ModelPricing, error) {
	return list(ctx, s, modelPricing, Query{})
}
func (s *store) UpdateModelPricing(ctx context.Context, p *ModelPricing) error {
	return update(ctx, s, modelPricing, p, false)
}
func (s *store) DeleteModelPricing(ctx context.Context, model, provider, mode string) error {
	return remove(ctx, s, kindModelPricing, ModelPricingKey(model, provider, mode))
}

func (s *store) GetClientConfig(ctx context.Context) (*ClientConfig, error) {
	return get(ctx, s, clientConfigs, settingsKey)
}
func (s *store) UpdateClientConfig(ctx context.Context, c *ClientConfig) error {
	return update(ctx, s, clientConfigs, c, true)
}
func (s *store) GetVectorStoreConfig(ctx context.Context) (*VectorStoreConfig, error) {
	return get(ctx, s, vectorStoreConfigs, settingsKey)
}
func (s *store) UpdateVectorStoreConfig(ctx context.Context, c *VectorStoreConfig) error {
	return update(ctx, s, vectorStoreConfigs, c, true)
}
func (s *store) GetLogStoreConfig(ctx context.Context) (*LogStoreConfig, error) {
	return get(ctx, s, logStoreConfigs, settingsKey)
}
func (s *store) UpdateLogStoreConfig(ctx context.Context, c *LogStoreConfig) error {
	return update(ctx, s, logStoreConfigs, c, true)
}
func (s *store) GetAuthConfig(ctx context.Context) (*AuthConfig, error) {
	return get(ctx, s, authConfigs, settingsKey)
}
func (s *store) UpdateAuthConfig(ctx context.Context, c *AuthConfig) error {
	return update(ctx, s, authConfigs, c, true)
}
