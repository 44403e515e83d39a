package configfile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	_ "github.com/gatewaykit/configstore/backends/sqlite"
	"github.com/gatewaykit/configstore/configfile"
)

const (
	literalKey = "sk-export-test-literal-0123456789"
	literalVK  = "vk-export-test-literal-abcdefghij"
)

// openSQLite opens a fresh SQLite store in a temporary directory.
func openSQLite(t *testing.T) configstore.ConfigStore {
	t.Helper()
	store, err := configstore.Open(context.Background(),
		configstore.Config{Enabled: true, Type: "sqlite", Config: json.RawMessage(`{"path": "config.db"}`)},
		configstore.WithBaseDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// seedExport writes one entity of most kinds, with literal and referenced
// secrets and runtime state.
func seedExport(t *testing.T, store configstore.ConfigStore) {
	t.Helper()
	ctx := context.Background()
	limit := int64(1000)
	err := store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
		for _, err := range []error{
			tx.CreateProvider(ctx, &configstore.Provider{Name: "openai",
				NetworkConfig: &configstore.NetworkConfig{BaseURL: "https://api.openai.com", MaxRetries: 2}}),
			tx.CreateProvider(ctx, &configstore.Provider{Name: "anthropic"}),
			tx.CreateKey(ctx, &configstore.Key{ID: "openai-2", Provider: "openai", Name: "openai-literal",
				Value: configstore.NewEnvVar(literalKey), Models: []string{"gpt-4o"}, Weight: 0.5}),
			tx.CreateKey(ctx, &configstore.Key{ID: "openai-1", Provider: "openai", Name: "openai-env",
				Value: configstore.NewEnvVar("env.OPENAI_API_KEY"), Weight: 1}),
			tx.CreateRateLimit(ctx, &configstore.RateLimit{ID: "rl-1", RequestMaxLimit: &limit,
				RequestResetDuration: "1m", RequestCurrentUsage: 17}),
			tx.CreateCustomer(ctx, &configstore.Customer{ID: "acme", Name: "Acme"}),
			tx.CreateTeam(ctx, &configstore.Team{ID: "team-1", Name: "Platform", CustomerID: "acme"}),
			tx.CreateVirtualKey(ctx, &configstore.VirtualKey{ID: "vk-1", Name: "portal", IsActive: true,
				Value: configstore.NewEnvVar(literalVK), TeamID: "team-1", RateLimitID: "rl-1",
				ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{"openai-1"}}}}),
			tx.CreateBudget(ctx, &configstore.Budget{ID: "budget-1", MaxLimit: 100, ResetDuration: "1M",
				VirtualKeyID: "vk-1", CurrentUsage: 12.5}),
			tx.CreatePlugin(ctx, &configstore.Plugin{Name: "governance", Enabled: true,
				Config: json.RawMessage(`{"is_vk_mandatory": true, "limit": 1.50}`)}),
			tx.CreateMCPClient(ctx, &configstore.MCPClient{ClientID: "mcp-1", Name: "tools", ConnectionType: "http",
				ConnectionString: configstore.NewEnvVar("env.MCP_URL"),
				Headers:          map[string]configstore.EnvVar{"Authorization": configstore.NewEnvVar("Bearer mcp-literal-token-123")}}),
			tx.UpdateClientConfig(ctx, &configstore.ClientConfig{InitialPoolSize: 300, AllowedOrigins: []string{"*"}}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func export(t *testing.T, store configstore.ConfigStore, opts configfile.ExportOptions) (string, map[string]any) {
	t.Helper()
	out, err := configfile.Export(context.Background(), store, opts)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, out)
	}
	return string(out), doc
}

// at returns the value at the path of object keys and list indexes.
func at(t *testing.T, doc any, path ...any) any {
	t.Helper()
	v := doc
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, p)
			}
			v = m[p]
		case int:
			l, ok := v.([]any)
			if !ok || p >= len(l) {
				t.Fatalf("%v: no element %d", path, p)
			}
			v = l[p]
		}
	}
	return v
}

func TestExportShape(t *testing.T) {
	store := openSQLite(t)
	seedExport(t, store)
	out, doc := export(t, store, configfile.ExportOptions{})

	for _, leaked := range []string{literalKey, literalVK, "mcp-literal-token"} {
		if strings.Contains(out, leaked) {
			t.Errorf("export without Reveal contains the secret %q:\n%s", leaked, out)
		}
	}
	for _, field := range []string{`"revision"`, `"created_at"`, `"updated_at"`, `"config_hash"`,
		`"current_usage"`, `"request_current_usage"`, `"last_reset"`} {
		if strings.Contains(out, field) {
			t.Errorf("export contains %s:\n%s", field, out)
		}
	}
	checks := []struct {
		path []any
		want any
	}{
		{[]any{"providers", "openai", "keys", 0, "id"}, "openai-1"}, // sorted by id
		{[]any{"providers", "openai", "keys", 0, "value"}, "env.OPENAI_API_KEY"},
		{[]any{"providers", "openai", "keys", 1, "value"}, "sk-...6789"},
		{[]any{"providers", "openai", "keys", 1, "provider"}, nil},
		{[]any{"providers", "openai", "name"}, nil},
		{[]any{"providers", "openai", "network_config", "max_retries"}, 2.0},
		{[]any{"providers", "anthropic", "keys"}, []any{}},
		{[]any{"governance", "budgets", 0, "virtual_key_id"}, "vk-1"},
		{[]any{"governance", "budgets", 0, "max_limit"}, 100.0},
		{[]any{"governance", "virtual_keys", 0, "value"}, "vk-...ghij"},
		{[]any{"governance", "virtual_keys", 0, "provider_configs", 0, "key_ids", 0}, "openai-1"},
		{[]any{"governance", "routing_rules"}, []any{}},
		{[]any{"mcp", "client_configs", 0, "connection_string"}, "env.MCP_URL"},
		{[]any{"plugins", 0, "config", "limit"}, 1.5},
		{[]any{"plugins", 0, "placement"}, configstore.PlacementPostBuiltin},
		{[]any{"client", "initial_pool_size"}, 300.0},
		{[]any{"vector_store"}, nil}, // never set: left out
		{[]any{"config_store"}, nil},
		{[]any{"source_of_truth"}, nil},
	}
	for _, c := range checks {
		got, _ := json.Marshal(at(t, doc, c.path...))
		want, _ := json.Marshal(c.want)
		if !bytes.Equal(got, want) {
			t.Errorf("%v = %s, want %s", c.path, got, want)
		}
	}
	// The plugin's own config keeps its numbers' text.
	if !strings.Contains(out, `"limit": 1.50`) {
		t.Errorf("plugin config number rewritten:\n%s", out)
	}

	again, _ := export(t, store, configfile.ExportOptions{})
	if again != out {
		t.Errorf("two exports of the same store differ:\n%s\n---\n%s", out, again)
	}
}

func TestExportReveal(t *testing.T) {
	store := openSQLite(t)
	seedExport(t, store)
	cfg := &configstore.Config{Enabled: true, Type: "sqlite", Config: json.RawMessage(`{"path":"config.db"}`)}
	_, doc := export(t, store, configfile.ExportOptions{Reveal: true,
		SourceOfTruth: configfile.SourceConfigJSON, ConfigStore: cfg})
	checks := []struct {
		path []any
		want any
	}{
		{[]any{"providers", "openai", "keys", 1, "value"}, literalKey},
		{[]any{"providers", "openai", "keys", 0, "value"}, "env.OPENAI_API_KEY"},
		{[]any{"governance", "virtual_keys", 0, "value"}, literalVK},
		{[]any{"mcp", "client_configs", 0, "headers", "Authorization"}, "Bearer mcp-literal-token-123"},
		{[]any{"source_of_truth"}, "config.json"},
		{[]any{"config_store", "type"}, "sqlite"},
		{[]any{"config_store", "config", "path"}, "config.db"},
	}
	for _, c := range checks {
		if got := at(t, doc, c.path...); got != c.want {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
}

// A revealed export is a valid config.json: Parse accepts it, and the file
// it describes holds the stored entities.
func TestExportParses(t *testing.T) {
	store := openSQLite(t)
	seedExport(t, store)
	out, err := configfile.Export(context.Background(), store, configfile.ExportOptions{Reveal: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := configfile.Parse(out)
	if err != nil {
		t.Fatalf("Parse(export): %v\n%s", err, out)
	}
	if len(f.Providers) != 2 || len(f.VirtualKeys) != 1 || len(f.Budgets) != 1 || len(f.MCPClients) != 1 {
		t.Errorf("parsed export: %d providers, %d virtual keys, %d budgets, %d MCP clients; want 2, 1, 1, 1",
			len(f.Providers), len(f.VirtualKeys), len(f.Budgets), len(f.MCPClients))
	}
	if !f.Has(configfile.SectionRoutingRules) || f.Has(configfile.SectionVectorStore) {
		t.Errorf("parsed export: routing rules present %v (want true), vector store present %v (want false)",
			f.Has(configfile.SectionRoutingRules), f.Has(configfile.SectionVectorStore))
	}
}

// TestExportRedactsFreeFormSecrets: without Reveal, the secrets inside
// free-form values (logs_store and vector_store config, plugin configs,
// provider extra headers, team profiles, the config_store driver config)
// are redacted as EnvVar secrets are, env references and other members are
// kept, and two exports are the same bytes; with Reveal they are written as
// stored.
func TestExportRedactsFreeFormSecrets(t *testing.T) {
	const (
		logsPassword = "bifrost_password"
		vectorKey    = "wv-key-0123456789abcdef"
		pluginToken  = "otel-token-1"
		upstreamAuth = "Bearer upstream-0123456789abcdef"
		teamToken    = "team-profile-token"
		storePass    = "config-store-password"
	)
	ctx := context.Background()
	store := openSQLite(t)
	err := store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
		for _, err := range []error{
			tx.CreateProvider(ctx, &configstore.Provider{Name: "openai", NetworkConfig: &configstore.NetworkConfig{
				ExtraHeaders: map[string]string{"Authorization": upstreamAuth, "X-Region": "eu"}}}),
			tx.CreatePlugin(ctx, &configstore.Plugin{Name: "otel", Enabled: true, Config: json.RawMessage(
				`{"collector_url": "https://otel.internal:4318", "headers": {"X-Auth-Token": "` + pluginToken + `"},
				  "api_key": "env.OTEL_API_KEY", "sampling_rate": 0.50}`)}),
			tx.CreateTeam(ctx, &configstore.Team{ID: "team-1", Name: "Platform",
				Profile: map[string]any{"owner": "ops", "slack_token": teamToken}}),
			tx.UpdateLogStoreConfig(ctx, &configstore.LogStoreConfig{Enabled: true, Type: "postgres", Config: json.RawMessage(
				`{"host": "localhost", "port": "5432", "user": "bifrost", "password": "` + logsPassword + `", "db_name": "bifrost", "ssl_mode": "disable"}`)}),
			tx.UpdateVectorStoreConfig(ctx, &configstore.VectorStoreConfig{Enabled: true, Type: "weaviate", Config: json.RawMessage(
				`{"scheme": "https", "host": "weaviate.internal", "api_key": "` + vectorKey + `"}`)}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &configstore.Config{Enabled: true, Type: "postgres", Config: json.RawMessage(
		`{"host": "db", "user": "bifrost", "password": "` + storePass + `"}`)}

	out, doc := export(t, store, configfile.ExportOptions{ConfigStore: cfg})
	for _, secret := range []string{logsPassword, vectorKey, pluginToken, upstreamAuth, "upstream-0123", teamToken, storePass} {
		if strings.Contains(out, secret) {
			t.Errorf("export without Reveal contains the secret %q:\n%s", secret, out)
		}
	}
	redacted := []struct {
		path []any
		want any
	}{
		{[]any{"logs_store", "config", "password"}, "bif...word"},
		{[]any{"logs_store", "config", "user"}, "bifrost"},
		{[]any{"logs_store", "config", "host"}, "localhost"},
		{[]any{"logs_store", "type"}, "postgres"},
		{[]any{"vector_store", "config", "api_key"}, "wv-...cdef"},
		{[]any{"vector_store", "config", "host"}, "weaviate.internal"},
		{[]any{"plugins", 0, "config", "headers", "X-Auth-Token"}, "****"},
		{[]any{"plugins", 0, "config", "api_key"}, "env.OTEL_API_KEY"},
		{[]any{"plugins", 0, "config", "collector_url"}, "https://otel.internal:4318"},
		{[]any{"providers", "openai", "network_config", "extra_headers", "Authorization"}, "Bea...cdef"},
		{[]any{"providers", "openai", "network_config", "extra_headers", "X-Region"}, "eu"},
		{[]any{"governance", "teams", 0, "profile", "slack_token"}, "tea...oken"},
		{[]any{"governance", "teams", 0, "profile", "owner"}, "ops"},
		{[]any{"config_store", "config", "password"}, "con...word"},
		{[]any{"config_store", "config", "host"}, "db"},
	}
	for _, c := range redacted {
		if got := at(t, doc, c.path...); got != c.want {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
	if !strings.Contains(out, `"sampling_rate": 0.50`) {
		t.Errorf("plugin config number rewritten:\n%s", out)
	}
	if again, _ := export(t, store, configfile.ExportOptions{ConfigStore: cfg}); again != out {
		t.Errorf("two exports of the same store differ:\n%s\n---\n%s", out, again)
	}

	_, doc = export(t, store, configfile.ExportOptions{Reveal: true, ConfigStore: cfg})
	revealed := []struct {
		path []any
		want any
	}{
		{[]any{"logs_store", "config", "password"}, logsPassword},
		{[]any{"vector_store", "config", "api_key"}, vectorKey},
		{[]any{"plugins", 0, "config", "headers", "X-Auth-Token"}, pluginToken},
		{[]any{"plugins", 0, "config", "api_key"}, "env.OTEL_API_KEY"},
		{[]any{"providers", "openai", "network_config", "extra_headers", "Authorization"}, upstreamAuth},
		{[]any{"governance", "teams", 0, "profile", "slack_token"}, teamToken},
		{[]any{"config_store", "config", "password"}, storePass},
	}
	for _, c := range revealed {
		if got := at(t, doc, c.path...); got != c.want {
			t.Errorf("revealed %v = %v, want %v", c.path, got, c.want)
		}
	}
}
