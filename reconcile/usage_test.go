package reconcile_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// usage is the runtime state of budget b-vk and rate limit rl-vk.
type usage struct {
	budget                   float64
	budgetReset              time.Time
	tokens, requests         int64
	tokenReset, requestReset time.Time
}

// wantUsage is what the gateway recorded before the restart under test.
var wantUsage = usage{
	budget: 42.5, budgetReset: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
	tokens: 777, requests: 7,
	tokenReset: time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC), requestReset: time.Date(2025, 3, 2, 11, 0, 0, 0, time.UTC),
}

// recordUsage writes u as the gateway does while serving.
func recordUsage(t *testing.T, app *appDir, u usage) {
	t.Helper()
	ctx := context.Background()
	app.withStore(t, func(s configstore.ConfigStore) {
		b, err := s.GetBudget(ctx, "b-vk")
		must(t, err)
		b.CurrentUsage, b.LastReset = u.budget, u.budgetReset
		must(t, s.UpdateBudget(ctx, b))
		rl, err := s.GetRateLimit(ctx, "rl-vk")
		must(t, err)
		rl.TokenCurrentUsage, rl.RequestCurrentUsage = u.tokens, u.requests
		rl.TokenLastReset, rl.RequestLastReset = u.tokenReset, u.requestReset
		must(t, s.UpdateRateLimit(ctx, rl))
	})
}

// storedUsage reads the runtime state of b-vk and rl-vk.
func storedUsage(t *testing.T, app *appDir) usage {
	t.Helper()
	ctx := context.Background()
	var u usage
	app.withStore(t, func(s configstore.ConfigStore) {
		b, err := s.GetBudget(ctx, "b-vk")
		must(t, err)
		rl, err := s.GetRateLimit(ctx, "rl-vk")
		must(t, err)
		u = usage{budget: b.CurrentUsage, budgetReset: b.LastReset.UTC(), tokens: rl.TokenCurrentUsage,
			requests: rl.RequestCurrentUsage, tokenReset: rl.TokenLastReset.UTC(), requestReset: rl.RequestLastReset.UTC()}
	})
	return u
}

// TestUsageSurvivesEveryReconcile: budget and rate-limit usage and last
// resets survive a split-mode keep and update and a config.json-mode keep
// and update of their entities.
func TestUsageSurvivesEveryReconcile(t *testing.T) {
	changed := func(t *testing.T) string {
		return edit(t, fullConfig, func(m map[string]any) {
			obj(list(m, "governance", "budgets")[0])["max_limit"] = 300
			obj(list(m, "governance", "rate_limits")[0])["request_max_limit"] = 200
		})
	}
	cases := []struct {
		name   string
		first  func(t *testing.T) string
		second func(t *testing.T) string
		action reconcile.Action
		reason string
	}{
		{"split keep", func(*testing.T) string { return fullConfig }, func(*testing.T) string { return fullConfig },
			reconcile.ActionKeep, reconcile.ReasonUnchanged},
		{"split update", func(*testing.T) string { return fullConfig }, changed,
			reconcile.ActionUpdate, reconcile.ReasonFileChanged},
		{"config.json keep", func(t *testing.T) string { return authoritative(t, fullConfig) },
			func(t *testing.T) string { return authoritative(t, fullConfig) },
			reconcile.ActionKeep, reconcile.ReasonUnchanged},
		{"config.json update", func(t *testing.T) string { return authoritative(t, fullConfig) },
			func(t *testing.T) string { return authoritative(t, changed(t)) },
			reconcile.ActionUpdate, reconcile.ReasonAuthoritative},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, app *appDir) {
				app.write(t, c.first(t))
				app.restart(t, reconcile.Options{})
				recordUsage(t, app, wantUsage)
				app.write(t, c.second(t))
				plan := app.restart(t, reconcile.Options{})
				for _, id := range []string{"budget/b-vk", "rate_limit/rl-vk"} {
					kind, id := split2(id)
					if e := entry(t, plan, kind, id); e.Action != c.action || e.Reason != c.reason {
						t.Fatalf("%s %s: %s (%s), want %s (%s)", kind, id, e.Action, e.Reason, c.action, c.reason)
					} else {
						for _, ch := range e.Changes {
							if ch.Path != "max_limit" && ch.Path != "request_max_limit" {
								t.Errorf("%s %s: the plan changes %s", kind, id, ch.Path)
							}
						}
					}
				}
				if got := storedUsage(t, app); got != wantUsage {
					t.Fatalf("usage after the restart: %+v, want %+v", got, wantUsage)
				}
			})
		})
	}
}
