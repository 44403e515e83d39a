package reconcile

import (
	"context"
	"errors"
	"log/slog"

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
func Startup(ctx context.Context, appDir string, opts Options) (*Result, error) {
	return nil, errors.New("TODO")
}
