package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gatewaykit/configstore"
)

// dataset is a generated config.json: its bytes and what the measurements
// look up in the store it is applied to.
type dataset struct {
	Size     size
	entities fileEntities
	// VKIDs and VKValues list every virtual key's id and value (a literal,
	// unique per key), in the same order; BudgetIDs their budgets.
	VKIDs     []string
	VKValues  []string
	BudgetIDs []string
	// Entities counts the entities of the file (what a cold apply creates).
	Entities int
}

// fileEntities is the content of a generated config.json, typed with the
// configstore entity types so that it marshals (configstore.MarshalStored,
// secrets in clear) into exactly what the strict decoder reads back.
type fileEntities struct {
	Providers   map[string]providerEntry
	Budgets     []configstore.Budget
	RateLimits  []configstore.RateLimit
	Customers   []configstore.Customer
	Teams       []configstore.Team
	VirtualKeys []configstore.VirtualKey
	MCPClients  []configstore.MCPClient
	Plugins     []configstore.Plugin
}

// providerEntry is one entry of config.json's "providers" object.
type providerEntry struct {
	Keys []configstore.Key `json:"keys"`
}

// generate builds the config.json of size s, deterministically from seed.
func generate(s size, seed uint64) *dataset {
	rng := rand.New(rand.NewPCG(seed, 0x62656e6368)) // "bench"
	d := &dataset{Size: s}
	f := &d.entities
	f.Providers = make(map[string]providerEntry, s.Providers)
	providerNames := make([]string, s.Providers)
	keyIDs := make([][]string, s.Providers)
	for p := range s.Providers {
		name := fmt.Sprintf("provider-%02d", p)
		providerNames[p] = name
		models := make([]string, s.ModelsPerKey)
		for m := range models {
			models[m] = fmt.Sprintf("model-%02d-%d", p, m)
		}
		entry := providerEntry{Keys: make([]configstore.Key, s.KeysPerProvider)}
		for k := range s.KeysPerProvider {
			id := fmt.Sprintf("key-%02d-%02d", p, k)
			// Half the keys reference an environment variable, half are literals.
			value := fmt.Sprintf("env.BENCH_KEY_%02d_%02d", p, k)
			if k%2 == 1 {
				value = fmt.Sprintf("sk-bench-%016x", rng.Uint64())
			}
			entry.Keys[k] = configstore.Key{ID: id, Name: id, Value: configstore.NewEnvVar(value),
				Models: models, Weight: 1}
			keyIDs[p] = append(keyIDs[p], id)
		}
		f.Providers[name] = entry
	}
	for c := range s.Customers {
		f.Customers = append(f.Customers, configstore.Customer{ID: fmt.Sprintf("customer-%03d", c), Name: fmt.Sprintf("Customer %03d", c)})
	}
	for t := range s.Teams {
		f.Teams = append(f.Teams, configstore.Team{ID: fmt.Sprintf("team-%04d", t), Name: fmt.Sprintf("Team %04d", t),
			CustomerID: f.Customers[t%s.Customers].ID})
	}
	tokens, requests := int64(100_000), int64(1_000)
	for v := range s.VirtualKeys {
		id := fmt.Sprintf("vk-%05d", v)
		rl := configstore.RateLimit{ID: "rate-limit-" + id, TokenMaxLimit: &tokens, TokenResetDuration: "1h",
			RequestMaxLimit: &requests, RequestResetDuration: "1m"}
		value := fmt.Sprintf("sk-bf-%05d-%016x", v, rng.Uint64())
		vk := configstore.VirtualKey{ID: id, Name: "virtual key " + id, Value: configstore.NewEnvVar(value), IsActive: true,
			TeamID: f.Teams[v%s.Teams].ID, RateLimitID: rl.ID}
		weight := 1 / float64(s.ProviderConfigsPerVK)
		for _, p := range rng.Perm(s.Providers)[:s.ProviderConfigsPerVK] {
			pc := configstore.VirtualKeyProviderConfig{Provider: providerNames[p], Weight: &weight, AllowedModels: []string{"*"}}
			for _, k := range rng.Perm(s.KeysPerProvider)[:s.KeyIDsPerConfig] {
				pc.KeyIDs = append(pc.KeyIDs, keyIDs[p][k])
			}
			vk.ProviderConfigs = append(vk.ProviderConfigs, pc)
		}
		budget := configstore.Budget{ID: "budget-" + id, MaxLimit: 100, ResetDuration: "1M", VirtualKeyID: id}
		f.RateLimits = append(f.RateLimits, rl)
		f.VirtualKeys = append(f.VirtualKeys, vk)
		f.Budgets = append(f.Budgets, budget)
		d.VKIDs = append(d.VKIDs, id)
		d.VKValues = append(d.VKValues, value)
		d.BudgetIDs = append(d.BudgetIDs, budget.ID)
	}
	for m := range s.MCPClients {
		id := fmt.Sprintf("mcp-%02d", m)
		f.MCPClients = append(f.MCPClients, configstore.MCPClient{ClientID: id, Name: "mcp_" + id[4:], ConnectionType: "http",
			ConnectionString: configstore.NewEnvVar(fmt.Sprintf("https://%s.bench.invalid/mcp", id)),
			ToolsToExecute:   []string{"*"}})
	}
	for p := range s.Plugins {
		f.Plugins = append(f.Plugins, configstore.Plugin{Name: fmt.Sprintf("plugin-%02d", p), Enabled: true,
			Config: json.RawMessage(fmt.Sprintf(`{"level":%d}`, p))})
	}
	d.Entities = s.Providers*(1+s.KeysPerProvider) + len(f.Customers) + len(f.Teams) +
		3*len(f.VirtualKeys) + len(f.MCPClients) + len(f.Plugins)
	return d
}

// configJSON returns config.json with store as its config_store section.
func (d *dataset) configJSON(store configstore.Config) ([]byte, error) {
	f := &d.entities
	doc := map[string]any{
		"$schema":      "https://www.getbifrost.ai/schema",
		"config_store": store,
		"providers":    f.Providers,
		"governance": map[string]any{
			"budgets": f.Budgets, "rate_limits": f.RateLimits, "customers": f.Customers,
			"teams": f.Teams, "virtual_keys": f.VirtualKeys,
		},
		"mcp":     map[string]any{"client_configs": f.MCPClients},
		"plugins": f.Plugins,
	}
	return configstore.MarshalStored(doc)
}

// writeConfig writes config.json with store as its config_store section
// into appDir.
func (d *dataset) writeConfig(appDir string, store configstore.Config) error {
	data, err := d.configJSON(store)
	if err != nil {
		return fmt.Errorf("generate config.json: %w", err)
	}
	return os.WriteFile(filepath.Join(appDir, "config.json"), data, 0o600)
}
