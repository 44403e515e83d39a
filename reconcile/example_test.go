package reconcile_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// Start a gateway in file-only mode: config.json is loaded into a
// read-only memory store. A gateway with a config store (SQLite by
// default, or config_store's) gets the same plan, applied to that store.
func ExampleStartup() {
	appDir, err := os.MkdirTemp("", "gateway")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(appDir)
	config := `{
	  "config_store": {"enabled": false},
	  "providers": {"openai": {"keys": [{"id": "openai-1", "name": "openai-primary", "value": "env.OPENAI_API_KEY", "weight": 1}]}},
	  "plugins": [{"name": "governance", "enabled": true}]
	}`
	if err := os.WriteFile(filepath.Join(appDir, "config.json"), []byte(config), 0o600); err != nil {
		panic(err)
	}

	ctx := context.Background()
	res, err := reconcile.Startup(ctx, appDir, reconcile.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	defer res.Store.Close()
	fmt.Println(res.Setup)
	for _, e := range res.Plan.Entries {
		fmt.Println(e.Action, e.Kind, e.ID, "-", e.Reason)
	}
	key, _ := res.Store.GetKey(ctx, "openai-1")
	fmt.Println(key.Name, key.Value)
	err = res.Store.DeletePlugin(ctx, "governance")
	fmt.Println(errors.Is(err, configstore.ErrReadOnly))
	// Output:
	// config_store disabled
	// create provider openai - new in file
	// create key openai-1 - new in file
	// create plugin governance - new in file
	// openai-primary env.OPENAI_API_KEY
	// true
}
