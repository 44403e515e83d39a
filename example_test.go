package configstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatewaykit/configstore"
	_ "github.com/gatewaykit/configstore/backends/memory"
)

// Open a store from the config_store section of config.json, write a
// provider with a key and a virtual key in one transaction, and read them
// back. A real gateway imports backends/sqlite or backends/postgres.
func Example() {
	ctx := context.Background()
	var cfg configstore.Config
	_ = json.Unmarshal([]byte(`{"enabled": true, "type": "memory"}`), &cfg)
	store, err := configstore.Open(ctx, cfg)
	if err != nil {
		panic(err)
	}
	defer store.Close()

	err = store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
		if err := tx.CreateProvider(ctx, &configstore.Provider{Name: "openai"}); err != nil {
			return err
		}
		key := &configstore.Key{ID: "openai-1", Provider: "openai", Name: "openai-primary",
			Value: configstore.NewEnvVar("env.OPENAI_API_KEY"), Models: []string{"*"}, Weight: 1}
		if err := tx.CreateKey(ctx, key); err != nil {
			return err
		}
		return tx.CreateVirtualKey(ctx, &configstore.VirtualKey{ID: "vk-1", Name: "portal",
			Value: configstore.NewEnvVar("sk-bf-0123456789abcdef"), IsActive: true,
			ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{"openai-1"}}}})
	})
	if err != nil {
		panic(err)
	}

	providers, _ := store.GetProvidersConfig(ctx)
	fmt.Println(providers["openai"].Keys[0].Name, providers["openai"].Keys[0].Value)
	vk, _ := store.GetVirtualKey(ctx, "vk-1")
	fmt.Println(vk.Name, vk.Value, vk.ProviderConfigs[0].KeyIDs)

	err = store.DeleteKey(ctx, "openai-1")
	fmt.Println(errors.Is(err, configstore.ErrReferenced))
	rev, _ := store.Revision(ctx)
	fmt.Println("revision", rev)
	// Output:
	// openai-primary env.OPENAI_API_KEY
	// portal sk-...cdef [openai-1]
	// true
	// revision 1
}
