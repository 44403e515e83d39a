package reconcile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// TestFileOnlyStoreIsReadOnly: with config_store disabled the file is
// loaded into a memory store that reads every entity back and refuses
// every write, of every kind, with ErrReadOnly; nothing is written to the
// app dir.
func TestFileOnlyStoreIsReadOnly(t *testing.T) {
	ctx := context.Background()
	app := newAppDir(t, fileOnly)
	app.write(t, fullConfig)
	res := app.start(t, reconcile.Options{})
	if res.Setup != reconcile.SetupFileOnly || !res.Applied {
		t.Fatalf("setup %q, applied %v", res.Setup, res.Applied)
	}
	onlyActions(t, res.Plan, reconcile.ActionCreate)
	s := res.Store
	vk, err := s.GetVirtualKey(ctx, "vk-1")
	if err != nil || vk.Name != "portal" || len(vk.ProviderConfigs) != 1 {
		t.Fatalf("vk-1: %+v, %v", vk, err)
	}
	secs := sections(t, s)
	for _, name := range []string{"providers", "keys", "virtual_keys", "budgets", "rate_limits", "customers", "teams",
		"plugins", "mcp_clients", "routing_rules", "model_configs", "client", "vector_store", "logs_store", "auth"} {
		if secs[name] == "" || secs[name] == "null" || secs[name] == "[]" {
			t.Errorf("section %s reads back empty", name)
		}
	}
	before := snapshot(t, s)

	writes := map[string]func() error{
		"provider":     func() error { return s.CreateProvider(ctx, &configstore.Provider{Name: "mistral"}) },
		"key":          func() error { return s.DeleteKey(ctx, "k-openai-2") },
		"virtual_key":  func() error { return s.DeleteVirtualKey(ctx, "vk-2") },
		"budget":       func() error { return s.CreateBudget(ctx, &configstore.Budget{MaxLimit: 1, ResetDuration: "1d"}) },
		"rate_limit":   func() error { return s.DeleteRateLimit(ctx, "rl-vk") },
		"customer":     func() error { return s.CreateCustomer(ctx, &configstore.Customer{Name: "x"}) },
		"team":         func() error { return s.CreateTeam(ctx, &configstore.Team{Name: "x"}) },
		"plugin":       func() error { return s.DeletePlugin(ctx, "logging") },
		"mcp_client":   func() error { return s.DeleteMCPClient(ctx, "mcp-weather") },
		"routing_rule": func() error { return s.DeleteRoutingRule(ctx, "rr-1") },
		"model_config": func() error { return s.DeleteModelConfig(ctx, "mc-1") },
		"model_pricing": func() error {
			return s.CreateModelPricing(ctx, &configstore.ModelPricing{Model: "m", Provider: "openai", Mode: "chat"})
		},
		"client_config":       func() error { return s.UpdateClientConfig(ctx, &configstore.ClientConfig{}) },
		"vector_store_config": func() error { return s.UpdateVectorStoreConfig(ctx, &configstore.VectorStoreConfig{}) },
		"log_store_config":    func() error { return s.UpdateLogStoreConfig(ctx, &configstore.LogStoreConfig{}) },
		"auth_config":         func() error { return s.UpdateAuthConfig(ctx, &configstore.AuthConfig{}) },
		"transaction": func() error {
			return s.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
				return tx.DeletePlugin(ctx, "governance")
			})
		},
	}
	for name, write := range writes {
		if err := write(); !errors.Is(err, configstore.ErrReadOnly) {
			t.Errorf("%s write: %v, want ErrReadOnly", name, err)
		}
	}
	if after := snapshot(t, s); after != before {
		t.Fatalf("the read-only store changed:\nbefore %s\nafter %s", before, after)
	}
	if _, err := os.Stat(filepath.Join(app.dir, "config.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file-only mode wrote config.db: %v", err)
	}
}
