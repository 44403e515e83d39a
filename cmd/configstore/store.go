package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"

	// The backends the command can open.
	_ "github.com/gatewaykit/configstore/backends/memory"
	_ "github.com/gatewaykit/configstore/backends/postgres"
	_ "github.com/gatewaykit/configstore/backends/sqlite"
)

// defaultStore is the store of an app dir whose config.json has no
// config_store section, or that has no config.json: SQLite config.db in the
// app dir, as the gateway opens it.
var defaultStore = configstore.Config{Enabled: true, Type: "sqlite", Config: json.RawMessage(`{"path": "config.db"}`)}

// openedStore is a store opened without reconciling config.json.
type openedStore struct {
	configstore.ConfigStore
	// Config is the config_store the store was opened from; Enabled is
	// false in file-only mode (a read-only memory store loaded from the file).
	Config configstore.Config
	// Type is the backend's type: Config.Type, or "memory" in file-only mode.
	Type string
}

// configPath returns the path of the app dir's config.json.
func (a *app) configPath() string { return filepath.Join(a.appDir, reconcile.FileName) }

// storeConfig returns the config_store section of the app dir's config.json,
// or the default store without one. It reads only that section, so that
// commands that do not reconcile (get, export, doctor, ...) still reach the
// store when another section of the file is wrong.
func (a *app) storeConfig() (configstore.Config, error) {
	data, err := os.ReadFile(a.configPath())
	if errors.Is(err, fs.ErrNotExist) {
		return defaultStore, nil
	}
	if err != nil {
		return configstore.Config{}, err
	}
	var f struct {
		ConfigStore *configstore.Config `json:"config_store"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return configstore.Config{}, fmt.Errorf("%s: config_store: %v: %w", a.configPath(), err, configstore.ErrInvalid)
	}
	if f.ConfigStore == nil {
		return defaultStore, nil
	}
	return *f.ConfigStore, nil
}

// openStore opens the app dir's store as the gateway would, without
// reconciling config.json into it, with opts added to the command's (give
// configstore.WithoutMigrations to read the migration status only). In
// file-only mode (config_store.enabled false) that store is the read-only
// memory store loaded from the file, and opts are not used.
func (a *app) openStore(ctx context.Context, opts ...configstore.Option) (*openedStore, error) {
	cfg, err := a.storeConfig()
	if err != nil {
		return nil, err
	}
	if !cfg.Enabled {
		res, err := reconcile.Startup(ctx, a.appDir, reconcile.Options{Logger: a.logger})
		if err != nil {
			return nil, err
		}
		return &openedStore{ConfigStore: res.Store, Config: cfg, Type: "memory"}, nil
	}
	opts = append([]configstore.Option{configstore.WithBaseDir(a.appDir), configstore.WithLogger(a.logger)}, opts...)
	store, err := configstore.Open(ctx, cfg, opts...)
	if err != nil {
		return nil, err
	}
	return &openedStore{ConfigStore: store, Config: cfg, Type: cfg.Type}, nil
}

// withStore opens the app dir's store (with opts, see openStore), runs fn
// with it and closes it.
func (a *app) withStore(ctx context.Context, fn func(s *openedStore) error, opts ...configstore.Option) error {
	s, err := a.openStore(ctx, opts...)
	if err != nil {
		return err
	}
	return errors.Join(fn(s), s.Close())
}
