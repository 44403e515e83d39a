package configstore

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gatewaykit/configstore/registry"
)

// drivers is the driver registry, the module's only global state.
var drivers registry.Registry[Driver]

// Register makes a driver available under name to Open. Backends call it
// from init(). It panics on an empty name, a nil driver or a name
// registered twice.
func Register(name string, driver Driver) { drivers.Register(name, driver) }

// Drivers returns the registered driver names, sorted.
func Drivers() []string { return drivers.Names() }

// Config is the config_store section of config.json.
type Config struct {
	Enabled bool   `json:"enabled"`
	Type    string `json:"type"`
	// Config is the driver's own settings, handed to it verbatim.
	Config json.RawMessage `json:"config,omitempty"`
}

// Option configures Open.
type Option func(*options)

type options struct {
	OpenOptions
}

// WithLogger sets the logger for the store and its driver (default: slog's
// default logger).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.Logger = l } }

// WithBaseDir sets the directory that relative paths in the driver config
// are resolved against (the gateway's app dir).
func WithBaseDir(dir string) Option { return func(o *options) { o.BaseDir = dir } }

// WithoutMigrations opens the store without applying its pending schema
// migrations, so that MigrationStatus reports them as pending (an
// operator's "migrate status" before rolling out a new binary; a health
// check). Such a store is for MigrationStatus and Close only: on a database
// that lacks migrations, or records ones this binary does not know, tables
// may be missing or differ from what the binary expects, so every other
// call may fail or misbehave. Open a store normally (it migrates) to use
// it. Backends without migrations (memory) ignore the option.
func WithoutMigrations() Option { return func(o *options) { o.SkipMigrations = true } }

// Open opens the store cfg describes with the registered driver of its type.
// SQL backends apply the database's pending schema migrations first,
// unless WithoutMigrations is given. A Config with Enabled false returns
// ErrDisabled.
func Open(ctx context.Context, cfg Config, opts ...Option) (ConfigStore, error) {
	if !cfg.Enabled {
		return nil, fmt.Errorf("config_store.enabled is false: %w", ErrDisabled)
	}
	if cfg.Type == "" {
		return nil, invalidf("config_store.type", "is required (registered: %s)", strings.Join(Drivers(), ", "))
	}
	driver, ok := drivers.Lookup(cfg.Type)
	if !ok {
		return nil, &messageError{err: ErrInvalid, msg: fmt.Sprintf("unknown config store type %q (forgotten import?); registered: %s",
			cfg.Type, strings.Join(Drivers(), ", "))}
	}
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	backend, err := driver.Open(ctx, cfg.Config, o.OpenOptions)
	if err != nil {
		return nil, fmt.Errorf("open %s config store: %w", cfg.Type, err)
	}
	return New(backend), nil
}

// NewConfigStore is Open under the name Bifrost uses.
func NewConfigStore(ctx context.Context, cfg Config, opts ...Option) (ConfigStore, error) {
	return Open(ctx, cfg, opts...)
}
