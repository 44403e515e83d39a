package reconcile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// TestStartupWithoutConfigJSON: without config.json the default SQLite
// store, config.db in the app dir, is opened and nothing is reconciled.
func TestStartupWithoutConfigJSON(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	res, err := reconcile.Startup(ctx, dir, reconcile.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Store.Close()
	if res.Setup != reconcile.SetupNoFile || res.Plan != nil || res.File != nil || res.Applied {
		t.Fatalf("result %+v", res)
	}
	must(t, res.Store.CreatePlugin(ctx, &configstore.Plugin{Name: "p"}))
	if _, err := os.Stat(filepath.Join(dir, "config.db")); err != nil {
		t.Fatalf("config.db: %v", err)
	}
}

// TestStartupWithoutConfigStore: config.json without config_store is
// reconciled into the default SQLite store, config.db in the app dir.
func TestStartupWithoutConfigStore(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(fullConfig), 0o600))
	res, err := reconcile.Startup(context.Background(), dir, reconcile.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Store.Close()
	if res.Setup != reconcile.SetupDefaultStore || !res.Applied {
		t.Fatalf("setup %q, applied %v", res.Setup, res.Applied)
	}
	if _, err := res.Store.GetVirtualKey(context.Background(), "vk-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "config.db")); err != nil {
		t.Fatalf("config.db: %v", err)
	}
}

// TestStartupRelativeSQLitePath: a relative SQLite path in config_store is
// relative to the app dir, not to the working directory.
func TestStartupRelativeSQLitePath(t *testing.T) {
	app := &appDir{dir: t.TempDir(), configStore: map[string]any{"enabled": true, "type": "sqlite",
		"config": map[string]any{"path": "custom.db"}}}
	app.write(t, fullConfig)
	res := app.start(t, reconcile.Options{})
	if res.Setup != reconcile.SetupConfiguredStore {
		t.Fatalf("setup %q", res.Setup)
	}
	if _, err := os.Stat(filepath.Join(app.dir, "custom.db")); err != nil {
		t.Fatalf("custom.db: %v", err)
	}
}

// TestStartupSourceOfTruthOverride: Options.SourceOfTruth overrides the
// file's: a split file started as config.json prunes an API-created plugin.
func TestStartupSourceOfTruthOverride(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		app.withStore(t, func(s configstore.ConfigStore) { must(t, s.CreatePlugin(ctx, &configstore.Plugin{Name: "api"})) })
		if plan := app.restart(t, reconcile.Options{}); hasEntry(plan, "plugin", "api") {
			t.Fatal("split mode planned the API plugin")
		}
		plan := app.restart(t, reconcile.Options{SourceOfTruth: "config.json"})
		if plan.Mode != "config.json" || entry(t, plan, "plugin", "api").Action != reconcile.ActionPrune {
			t.Fatalf("mode %q, plan %s", plan.Mode, describePlan(plan))
		}
	})
}

// TestStartupDryRunWritesNothing: a dry run returns the plan and leaves the
// store as it was.
func TestStartupDryRunWritesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		var before string
		app.withStore(t, func(s configstore.ConfigStore) { before = snapshot(t, s) })
		app.write(t, edit(t, fullConfig, func(m map[string]any) { m["plugins"] = list(m, "plugins")[:1] }))
		res := app.start(t, reconcile.Options{DryRun: true, SourceOfTruth: "config.json"})
		if res.Applied || entry(t, res.Plan, "plugin", "logging").Action != reconcile.ActionPrune {
			t.Fatalf("applied %v, plan %s", res.Applied, describePlan(res.Plan))
		}
		if after := snapshot(t, res.Store); after != before {
			t.Fatalf("a dry run changed the store:\nbefore %s\nafter %s", before, after)
		}
	})
}

// TestPlanAndLogsNeverShowSecrets: a changed literal secret appears in the
// plan's changes redacted, and neither the plan (as JSON) nor the startup
// logs (debug level included) hold a literal secret; the log summary
// counts the actions.
func TestPlanAndLogsNeverShowSecrets(t *testing.T) {
	const oldSecret, newSecret = "sk-secondary-0123456789abcdef", "sk-rotated-9876543210fedcba"
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		app.write(t, edit(t, fullConfig, func(m map[string]any) {
			obj(list(m, "providers", "openai", "keys")[1])["value"] = newSecret
		}))
		var logs bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		plan := app.restart(t, reconcile.Options{Logger: logger})
		hasChange(t, entry(t, plan, "key", "k-openai-2"), "value", `"sk-...cdef"`, `"sk-...dcba"`)
		planJSON, err := json.Marshal(plan)
		must(t, err)
		for _, secret := range []string{oldSecret, newSecret, "sk-bf-portal-0123456789abcdef"} {
			if bytes.Contains(planJSON, []byte(secret)) || bytes.Contains(logs.Bytes(), []byte(secret)) {
				t.Fatalf("a secret is shown: plan %s\nlogs %s", planJSON, logs.String())
			}
		}
		if !strings.Contains(logs.String(), `"update":1`) || !strings.Contains(logs.String(), `"keep":`) {
			t.Fatalf("no summary with counts in the logs: %s", logs.String())
		}
	})
}

// TestOwnersOfTheirOwnBudgets: a team, a customer and a model config that
// own a budget and refer to it by budget_id are created (the cycle is
// broken by writing the owner first without it), and the next start keeps
// them; a config.json start that prunes the team prunes its budget too.
func TestOwnersOfTheirOwnBudgets(t *testing.T) {
	const doc = `{
	  "governance": {
	    "budgets": [
	      {"id": "b-team", "max_limit": 10, "reset_duration": "1d", "team_id": "team-x"},
	      {"id": "b-cust", "max_limit": 20, "reset_duration": "1d", "customer_id": "cust-x"},
	      {"id": "b-mc", "max_limit": 30, "reset_duration": "1d", "model_config_id": "mc-x"}
	    ],
	    "customers": [{"id": "cust-x", "name": "X", "budget_id": "b-cust"}],
	    "teams": [{"id": "team-x", "name": "X team", "customer_id": "cust-x", "budget_id": "b-team"}],
	    "model_configs": [{"id": "mc-x", "model_name": "gpt-4o", "budget_id": "b-mc"}]
	  }
	}`
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, doc)
		app.restart(t, reconcile.Options{})
		app.withStore(t, func(s configstore.ConfigStore) {
			team, err := s.GetTeam(ctx, "team-x")
			must(t, err)
			b, err := s.GetBudget(ctx, "b-team")
			must(t, err)
			if team.BudgetID != "b-team" || b.TeamID != "team-x" {
				t.Fatalf("team budget_id %q, budget team_id %q", team.BudgetID, b.TeamID)
			}
			mc, err := s.GetModelConfig(ctx, "mc-x")
			must(t, err)
			cust, err := s.GetCustomer(ctx, "cust-x")
			must(t, err)
			if mc.BudgetID != "b-mc" || cust.BudgetID != "b-cust" {
				t.Fatalf("model config budget_id %q, customer budget_id %q", mc.BudgetID, cust.BudgetID)
			}
		})
		onlyActions(t, app.restart(t, reconcile.Options{}), reconcile.ActionKeep)

		app.write(t, authoritative(t, edit(t, doc, func(m map[string]any) {
			gov := obj(m, "governance")
			gov["teams"] = []any{}
			gov["budgets"] = list(m, "governance", "budgets")[1:]
		})))
		plan := app.restart(t, reconcile.Options{})
		for _, p := range []string{"team/team-x", "budget/b-team"} {
			if kind, id := split2(p); entry(t, plan, kind, id).Action != reconcile.ActionPrune {
				t.Fatalf("%s not pruned: %s", p, describePlan(plan))
			}
		}
		app.withStore(t, func(s configstore.ConfigStore) {
			if _, err := s.GetBudget(ctx, "b-team"); !errors.Is(err, configstore.ErrNotFound) {
				t.Fatalf("b-team after the prune: %v", err)
			}
		})
	})
}
