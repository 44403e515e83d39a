package configfile_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore/configfile"
)

// examplesDir holds copies of the config.json files written for Bifrost.
const examplesDir = "testdata/bifrost-examples"

// loadExample loads one of the example files, which must be valid.
func loadExample(t *testing.T, name string) *configfile.File {
	t.Helper()
	f, err := configfile.Load(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatalf("Load %s: %v", name, err)
	}
	return f
}

// exampleDocuments reads every example file, by file name.
func exampleDocuments(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no examples in %s: %v", examplesDir, err)
	}
	docs := make(map[string][]byte, len(files))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		docs[filepath.Base(name)] = data
	}
	return docs
}

// entityCounts counts the entities of every list of f, by section.
func entityCounts(f *configfile.File) map[string]int {
	keys := 0
	for _, p := range f.Providers {
		keys += len(p.Keys)
	}
	return map[string]int{
		"providers": len(f.Providers), "keys": keys, "budgets": len(f.Budgets), "rate_limits": len(f.RateLimits),
		"customers": len(f.Customers), "teams": len(f.Teams), "virtual_keys": len(f.VirtualKeys),
		"routing_rules": len(f.RoutingRules), "model_configs": len(f.ModelConfigs),
		"mcp_clients": len(f.MCPClients), "plugins": len(f.Plugins),
	}
}

// withCounts returns a count map with every section at zero but those given.
func withCounts(nonzero map[string]int) map[string]int {
	counts := entityCounts(&configfile.File{})
	maps.Copy(counts, nonzero)
	return counts
}

func TestBifrostExamples(t *testing.T) {
	cases := []struct {
		file   string
		counts map[string]int
		check  func(t *testing.T, f *configfile.File)
	}{
		{"partial.config.json", withCounts(map[string]int{"providers": 3, "keys": 4}), func(t *testing.T, f *configfile.File) {
			names := []string{f.Providers[0].Name, f.Providers[1].Name, f.Providers[2].Name}
			if !slices.Equal(names, []string{"anthropic", "bedrock", "openai"}) {
				t.Errorf("providers %v, want them sorted by name", names)
			}
			k := f.Providers[1].Keys[1]
			if k.Provider != "bedrock" || k.Name != "bedrock-key-2" || k.Weight != 1 || !slices.Equal(k.Models, []string{"*"}) {
				t.Errorf("bedrock key 2 = %+v", k)
			}
			if f.ConfigStore == nil || !f.ConfigStore.Enabled || f.ConfigStore.Type != "sqlite" || f.LogsStore == nil || f.LogsStore.Type != "sqlite" {
				t.Errorf("config store %+v, logs store %+v", f.ConfigStore, f.LogsStore)
			}
			if f.Has(configfile.SectionVirtualKeys) || !f.Has(configfile.SectionProviders) || f.Client != nil {
				t.Errorf("presence %v", f.Presence)
			}
		}},
		{"withpostgresmcpclientsinconfig.config.json", withCounts(map[string]int{"providers": 1, "keys": 1, "virtual_keys": 2, "mcp_clients": 2, "plugins": 1}), func(t *testing.T, f *configfile.File) {
			if f.ConfigStore.Type != "postgres" || f.Client == nil || f.Client.InitialPoolSize != 300 || !f.Client.EnforceAuthOnInference {
				t.Errorf("config store %+v, client %+v", f.ConfigStore, f.Client)
			}
			if f.AuthConfig == nil || f.AuthConfig.AdminPassword.VarName() != "BIFROST_ADMIN_PASSWORD" || f.AuthConfig.IsEnabled {
				t.Errorf("auth config %+v", f.AuthConfig)
			}
			vk := f.VirtualKeys[0]
			if vk.ID != "vk-ai-portal-prod" || vk.Value.VarName() != "BIFROST_VK_AI_PORTAL" || vk.MCPConfigs[1].MCPClientName != "CalendarService" ||
				!slices.Equal(vk.MCPConfigs[1].ToolsToExecute, []string{"get_events", "create_event"}) {
				t.Errorf("virtual key 0 = %+v", vk)
			}
			if c := f.MCPClients[1]; c.ClientID != "calendar-mcp-server" || c.ConnectionType != "http" {
				t.Errorf("MCP client 1 = %+v", c)
			}
			if p := f.Plugins[0]; p.Name != "governance" || string(p.Config) != `{
        "is_vk_mandatory": true
      }` {
				t.Errorf("plugin = %+v (config %s)", p, p.Config)
			}
		}},
		{"withroutingrules.config.json", withCounts(map[string]int{"routing_rules": 4}), func(t *testing.T, f *configfile.File) {
			r := f.RoutingRules[1]
			if r.ID != "rule-high-budget-fallback" || r.Priority != 10 || len(r.Targets) != 2 || r.Targets[1].Provider != "openai" || r.Targets[1].Weight != 0.5 {
				t.Errorf("rule 1 = %+v", r)
			}
			if r := f.RoutingRules[3]; r.Scope != "virtual_key" || r.ScopeID != "premium-tier" || !slices.Equal(r.Fallbacks, []string{"openai", "anthropic"}) {
				t.Errorf("rule 3 = %+v", r)
			}
		}},
		{"withteamscustomers.config.json", withCounts(map[string]int{"providers": 1, "keys": 1, "budgets": 3, "rate_limits": 2, "customers": 1, "teams": 2, "virtual_keys": 1, "model_configs": 2}), func(t *testing.T, f *configfile.File) {
			if b := f.Budgets[0]; b.ID != "b-cust-acme" || b.MaxLimit != 5000 || b.ResetDuration != "1M" || !b.CalendarAligned {
				t.Errorf("budget 0 = %+v", b)
			}
			if r := f.RateLimits[0]; *r.TokenMaxLimit != 10000000 || *r.RequestMaxLimit != 10000 {
				t.Errorf("rate limit 0 = %+v", r)
			}
			if tm := f.Teams[1]; tm.Name != "Sales" || tm.CustomerID != "cust-acme" || tm.BudgetID != "b-team-sales" {
				t.Errorf("team 1 = %+v", tm)
			}
			if vk := f.VirtualKeys[0]; vk.TeamID != "team-eng" || vk.RateLimitID != "rl-vk-eng" || vk.Value.IsReference() {
				t.Errorf("virtual key = %+v", vk)
			}
			if m := f.ModelConfigs[1]; m.ModelName != "gpt-3.5-turbo" || m.RateLimitID != "rl-vk-eng" {
				t.Errorf("model config 1 = %+v", m)
			}
		}},
		{"withvirtualkeys.config.json", withCounts(map[string]int{"providers": 4, "keys": 11, "virtual_keys": 2, "plugins": 1}), func(t *testing.T, f *configfile.File) {
			if !slices.Equal(f.NotManaged, []string{"framework"}) {
				t.Errorf("not managed = %v", f.NotManaged)
			}
			vertex := f.Providers[3]
			if k := vertex.Keys[3]; vertex.Name != "vertex" || k.ID != "key-vertex-global-prod" || k.VertexKeyConfig == nil ||
				k.VertexKeyConfig.Region != "global" || k.VertexKeyConfig.AuthCredentials.VarName() != "VERTEX_CREDENTIALS_GLOBAL" {
				t.Errorf("vertex key 3 = %+v", k)
			}
			if k := f.Providers[1].Keys[0]; k.BedrockKeyConfig == nil || k.BedrockKeyConfig.AccessKey.VarName() != "AWS_ACCESS_KEY_ID_US_EAST_1" || !k.Value.IsZero() {
				t.Errorf("bedrock key 0 = %+v", k)
			}
			pc := f.VirtualKeys[1].ProviderConfigs[2]
			if pc.Provider != "bedrock" || !slices.Equal(pc.KeyIDs, []string{"key-bedrock-eu-central-1-prod"}) || *pc.Weight != 0.5 {
				t.Errorf("virtual key 1 provider config 2 = %+v", pc)
			}
			if f.VirtualKeys[1].Value.IsReference() || f.VirtualKeys[0].Value.VarName() != "BIFROST_VK_PROD_ASSISTANT_US_01" {
				t.Errorf("virtual key values: %v, %v", f.VirtualKeys[0].Value, f.VirtualKeys[1].Value)
			}
		}},
	}
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.json"))
	if err != nil || len(files) != len(cases) {
		t.Fatalf("%d example files (%v), %d cases: every example needs a case", len(files), err, len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f := loadExample(t, tc.file)
			if got := entityCounts(f); !maps.Equal(got, tc.counts) {
				t.Errorf("counts %v, want %v", got, tc.counts)
			}
			for _, s := range configfile.Sections() {
				if _, ok := f.Presence[s]; !ok {
					t.Errorf("presence of %s not recorded", s)
				}
			}
			tc.check(t, f)
		})
	}
}
