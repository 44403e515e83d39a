// Command quickstart opens the default config store (SQLite, config.db in
// an app dir), writes a provider, its key, a budget and a virtual key in one
// transaction, and prints what the store holds and its change log. Run it
// twice: the second run finds the records and only bumps the budget usage.
//
//	go run ./examples/quickstart -app-dir ./tmp/app
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/gatewaykit/configstore"
	_ "github.com/gatewaykit/configstore/backends/postgres"
	_ "github.com/gatewaykit/configstore/backends/sqlite"
)

func main() {
	appDir := flag.String("app-dir", "./tmp/app", "the gateway's app dir (holds config.db)")
	flag.Parse()
	if err := run(context.Background(), *appDir); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, appDir string) error {
	cfg := configstore.Config{Enabled: true, Type: "sqlite", Config: json.RawMessage(`{"path": "config.db"}`)}
	store, err := configstore.Open(ctx, cfg, configstore.WithBaseDir(appDir),
		configstore.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	if err != nil {
		return err
	}
	defer store.Close()

	if _, err := store.GetProvider(ctx, "openai"); errors.Is(err, configstore.ErrNotFound) {
		err = store.ExecuteTransaction(configstore.WithSource(ctx, "quickstart"), seed)
		if err != nil {
			return err
		}
		fmt.Println("seeded a new store in", appDir)
	} else if err != nil {
		return err
	}

	// A read-modify-write with optimistic concurrency.
	b, err := store.GetBudget(ctx, "budget-portal")
	if err != nil {
		return err
	}
	b.CurrentUsage += 1.25
	if err := store.UpdateBudget(ctx, b); err != nil {
		return err
	}

	providers, err := store.GetProvidersConfig(ctx)
	if err != nil {
		return err
	}
	for name, p := range providers {
		for _, k := range p.Keys {
			fmt.Printf("provider %s key %s value %s (reference: %v)\n", name, k.Name, k.Value, k.Value.IsReference())
		}
	}
	vk, err := store.GetVirtualKey(ctx, "vk-portal")
	if err != nil {
		return err
	}
	fmt.Printf("virtual key %s value %s providers %d\n", vk.Name, vk.Value, len(vk.ProviderConfigs))
	fmt.Printf("budget %s usage %.2f of %.2f (revision %d)\n", b.ID, b.CurrentUsage, b.MaxLimit, b.Revision)
	changes, err := store.ListChanges(ctx, 0, 0)
	if err != nil {
		return err
	}
	for _, c := range changes {
		fmt.Printf("change r%d %s %s %s by %s\n", c.Revision, c.Op, c.Kind, c.ID, c.Source)
	}
	return nil
}

func seed(tx configstore.ConfigStore) error {
	ctx := context.Background()
	if err := tx.CreateProvider(ctx, &configstore.Provider{Name: "openai"}); err != nil {
		return err
	}
	if err := tx.CreateKey(ctx, &configstore.Key{ID: "openai-primary", Provider: "openai", Name: "openai-primary",
		Value: configstore.NewEnvVar("env.OPENAI_API_KEY"), Models: []string{"*"}, Weight: 1}); err != nil {
		return err
	}
	if err := tx.CreateVirtualKey(ctx, &configstore.VirtualKey{ID: "vk-portal", Name: "ai-portal",
		Value: configstore.NewEnvVar("sk-bf-portal-0123456789"), IsActive: true,
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{"*"}}}}); err != nil {
		return err
	}
	return tx.CreateBudget(ctx, &configstore.Budget{ID: "budget-portal", MaxLimit: 100, ResetDuration: "1M",
		VirtualKeyID: "vk-portal"})
}
