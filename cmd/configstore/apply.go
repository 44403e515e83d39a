package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatewaykit/configstore/configfile"
	"github.com/gatewaykit/configstore/reconcile"
	"github.com/spf13/cobra"
)

// reconcileFlags are the flags apply and plan share.
type reconcileFlags struct {
	sourceOfTruth string
}

func (f *reconcileFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.sourceOfTruth, "source-of-truth", "",
		`override config.json's source_of_truth: "split" or "config.json"`)
}

// mode returns the --source-of-truth override ("" keeps the file's).
func (f *reconcileFlags) mode() (configfile.SourceOfTruth, error) {
	switch m := configfile.SourceOfTruth(f.sourceOfTruth); m {
	case "", configfile.SourceSplit, configfile.SourceConfigJSON:
		return m, nil
	default:
		return "", fmt.Errorf("--source-of-truth %q: want %q or %q", f.sourceOfTruth,
			configfile.SourceSplit, configfile.SourceConfigJSON)
	}
}

func (a *app) applyCommand() *cobra.Command {
	var flags reconcileFlags
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Reconcile the app dir's config.json into the store (the gateway's startup)",
		Long: `apply does what the gateway does at startup: it opens the app dir's store
(migrating it), plans config.json against it and applies the plan in one
transaction. It prints the counts per section and action, then every entity it
creates, updates or prunes with the reason.

A bad config.json writes nothing and exits 1, listing every problem with its
JSON path. Without config.json, apply opens (and migrates) the default store
and says so.

In file-only mode (config_store.enabled: false) there is no store to write:
the gateway loads config.json into a read-only memory store at each start.
apply then loads the file the same way, to check it, says that nothing is
persisted and prints the entities per section the gateway would load.`,
		Example: `  configstore apply --app-dir examples/quickstart
  configstore apply --app-dir /var/lib/gateway --source-of-truth config.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.reconcile(cmd.Context(), flags, false, false, false)
		},
	}
	flags.register(cmd)
	return cmd
}

func (a *app) planCommand() *cobra.Command {
	var (
		flags    reconcileFlags
		detailed bool
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what apply would do, without writing",
		Long: `plan reconciles the app dir's config.json against the store like apply, and
prints the plan without writing it: each entity's action (create, update, keep,
prune) with its reason and, for updates and for kept stored edits, the fields
that differ (secrets redacted). Opening the store still applies pending schema
migrations, as apply does ("migrate status" shows them without applying).

With --detailed-exitcode the exit code tells the result: 0 no changes,
2 changes present, 1 error. --json prints the plan as JSON.

In file-only mode (config_store.enabled: false) nothing is stored, so there is
nothing to plan against and no drift: plan checks config.json by loading it
as the gateway does at each start (into memory; nothing persists), says so and
prints the entities per section it would load; --json prints a plan without
entries, and --detailed-exitcode exits 0 for a valid file (1 for a bad one).`,
		Example: `  configstore plan --app-dir examples/quickstart
  configstore plan --detailed-exitcode || [ $? -eq 2 ] && echo "drift"
  configstore plan --json | jq '.entries[] | select(.action != "keep")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.reconcile(cmd.Context(), flags, true, detailed, asJSON)
		},
	}
	flags.register(cmd)
	cmd.Flags().BoolVar(&detailed, "detailed-exitcode", false, "exit 0 without changes, 2 with changes, 1 on error")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON")
	return cmd
}

// reconcile runs the startup reconcile of the app dir, dry or not, and
// prints what it planned or did.
func (a *app) reconcile(ctx context.Context, flags reconcileFlags, dryRun, detailed, asJSON bool) error {
	mode, err := flags.mode()
	if err != nil {
		return err
	}
	opts := reconcile.Options{SourceOfTruth: mode, DryRun: dryRun, Logger: a.logger}
	bar := newProgress(a.err)
	if !dryRun {
		opts.Progress = bar.update
	}
	if cfg, err := a.storeConfig(); err == nil && !cfg.Enabled {
		// File-only mode: nothing is stored, so plan checks the file by
		// loading it into a memory store the way the gateway does at each
		// start, which validates more than planning does; nothing persists.
		opts.DryRun = false
	}
	res, err := reconcile.Startup(ctx, a.appDir, opts)
	bar.finish()
	var fileErr *configfile.Error
	if errors.As(err, &fileErr) {
		return fmt.Errorf("%d problem(s) in %s; nothing was written:\n%w", len(fileErr.Problems), reconcile.FileName, err)
	}
	if err != nil {
		return err
	}
	defer res.Store.Close()
	if res.Setup == reconcile.SetupFileOnly {
		// No stored state to apply to or drift from: nothing to report as
		// a change, and plan --detailed-exitcode exits 0.
		if asJSON {
			return a.printJSON(&reconcile.Changeset{Mode: res.Plan.Mode, Entries: []reconcile.Entry{}, NotManaged: res.Plan.NotManaged})
		}
		a.printFileOnlyReport(res)
		return nil
	}
	rev, err := res.Store.Revision(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if err := a.printPlanJSON(res); err != nil {
			return err
		}
	} else {
		a.printReport(res, rev)
	}
	if detailed && res.Plan != nil && changes(res.Plan) > 0 {
		return &exitStatus{code: exitChanges}
	}
	return nil
}

// printPlanJSON prints the plan (an empty one without config.json).
func (a *app) printPlanJSON(res *reconcile.Result) error {
	plan := res.Plan
	if plan == nil {
		plan = &reconcile.Changeset{Entries: []reconcile.Entry{}}
	}
	return a.printJSON(plan)
}

// changes counts the entries of plan that write something.
func changes(plan *reconcile.Changeset) int {
	n := 0
	for _, e := range plan.Entries {
		if e.Action != reconcile.ActionKeep {
			n++
		}
	}
	return n
}
