package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
)

// Setup is which of the four startup setups applied.
type Setup string

// The four setups of a gateway's startup.
const (
	SetupNoFile          Setup = "no config.json"                   // default SQLite config.db, nothing to reconcile
	SetupDefaultStore    Setup = "config.json without config_store" // default SQLite config.db, reconciled
	SetupConfiguredStore Setup = "config_store enabled"             // the configured backend, reconciled
	SetupFileOnly        Setup = "config_store disabled"            // read-only memory store loaded from the file
)

// FileName is the name of the config file in the app dir.
const FileName = "config.json"

// Options configures Startup.
type Options struct {
	// SourceOfTruth overrides the file's source_of_truth when set.
	SourceOfTruth configfile.SourceOfTruth
	// DryRun plans without applying.
	DryRun bool
	// Logger receives what startup does (default slog.Default()).
	Logger *slog.Logger
	// Progress, when set, is passed to Apply.
	Progress func(done, total int)
}

// Result is what Startup did.
type Result struct {
	Setup Setup
	// Store is the open store; the caller closes it.
	Store configstore.ConfigStore
	// File is the decoded config.json; nil without one.
	File *configfile.File
	// Plan is the reconcile plan; nil without config.json.
	Plan *Changeset
	// Applied reports whether Plan was applied (false on DryRun).
	Applied bool
}

// Startup opens the store of the gateway whose app dir is appDir, as the
// four setups say, and reconciles appDir/config.json into it. The backends
// it may open (sqlite by default, memory for file-only mode, postgres, ...)
// must be registered: blank-import them. On any error nothing is written
// and no store is left open.
//
// Without config.json it opens the default store, SQLite config.db in
// appDir. With one, a bad file is the configfile error and opens nothing;
// a file without config_store is reconciled into the default store, one
// with config_store enabled into that store (relative SQLite paths resolve
// against appDir), and one with config_store disabled is applied to a new
// memory store that is then sealed: every write to it fails with
// configstore.ErrReadOnly. The mode is opts.SourceOfTruth, else the file's.
//
// A restart with the same config.json, when nothing was written to the
// store since it was reconciled, reads no entity and writes nothing: the
// apply left a mark of the document and mode (see Reconcile), and the
// Result's Plan is the Unchanged one.
func Startup(ctx context.Context, appDir string, opts Options) (*Result, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	file, document, err := configfile.LoadDocument(filepath.Join(appDir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		store, err := openDefault(ctx, appDir, logger)
		if err != nil {
			return nil, err
		}
		logger.Info("configstore startup: no config.json, default store opened", "setup", string(SetupNoFile), "app_dir", appDir)
		return &Result{Setup: SetupNoFile, Store: store}, nil
	}
	if err != nil {
		return nil, err
	}
	res := &Result{File: file}
	switch {
	case file.ConfigStore == nil:
		res.Setup = SetupDefaultStore
		res.Store, err = openDefault(ctx, appDir, logger)
	case file.ConfigStore.Enabled:
		res.Setup = SetupConfiguredStore
		res.Store, err = configstore.Open(ctx, *file.ConfigStore, configstore.WithBaseDir(appDir), configstore.WithLogger(logger))
	default:
		res.Setup = SetupFileOnly
		res.Store, err = configstore.Open(ctx, configstore.Config{Enabled: true, Type: "memory"}, configstore.WithLogger(logger))
	}
	if err != nil {
		return nil, err
	}
	if err := reconcileInto(ctx, res, document, opts, logger); err != nil {
		_ = res.Store.Close()
		return nil, err
	}
	return res, nil
}

// openDefault opens the default store: SQLite config.db in appDir.
func openDefault(ctx context.Context, appDir string, logger *slog.Logger) (configstore.ConfigStore, error) {
	cfg := configstore.Config{Enabled: true, Type: "sqlite", Config: json.RawMessage(`{"path": "config.db"}`)}
	return configstore.Open(ctx, cfg, configstore.WithBaseDir(appDir), configstore.WithLogger(logger))
}

// reconcileInto reconciles res.File, parsed from document, into res.Store
// (reconcileFile), seals a file-only store and logs a summary.
func reconcileInto(ctx context.Context, res *Result, document []byte, opts Options, logger *slog.Logger) error {
	plan, applied, err := reconcileFile(ctx, res.Store, res.File, document, opts)
	if err != nil {
		return err
	}
	res.Plan, res.Applied = plan, applied
	if res.Setup == SetupFileOnly {
		if err := configstore.Seal(res.Store); err != nil {
			return fmt.Errorf("file-only mode: %w", err)
		}
	}
	logSummary(ctx, logger, res)
	return nil
}

// logSummary logs what the reconcile did: counts per action, and at debug
// level each entity it changes with the paths of the changed fields. It
// never logs a value, so never a secret.
func logSummary(ctx context.Context, logger *slog.Logger, res *Result) {
	if res.Plan.Unchanged {
		logger.InfoContext(ctx, "configstore startup: config.json unchanged since it was last reconciled, and the store since then: nothing to do",
			"setup", string(res.Setup), "mode", string(res.Plan.Mode), "revision", res.Plan.Revision,
			"not_managed", res.Plan.NotManaged)
		return
	}
	counts := res.Plan.Counts()
	logger.InfoContext(ctx, "configstore startup: config.json reconciled",
		"setup", string(res.Setup), "mode", string(res.Plan.Mode), "applied", res.Applied,
		"create", counts[ActionCreate], "update", counts[ActionUpdate],
		"keep", counts[ActionKeep], "prune", counts[ActionPrune],
		"not_managed", res.Plan.NotManaged)
	if !logger.Enabled(ctx, slog.LevelDebug) {
		return // a cold apply has an entry per entity: not even their arguments are built
	}
	for _, e := range res.Plan.Entries {
		if e.Action == ActionKeep {
			continue
		}
		paths := make([]string, len(e.Changes))
		for i, c := range e.Changes {
			paths[i] = c.Path
		}
		logger.DebugContext(ctx, "configstore startup: "+string(e.Action), "kind", e.Kind, "id", e.ID, "name", e.Name,
			"reason", e.Reason, "fields", paths)
	}
}
