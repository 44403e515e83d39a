package reconcile_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// freeFormSecrets is fullConfig with secrets inside free-form JSON values:
// a Postgres logs_store password (as in Bifrost's own examples), a plugin
// token and API key reference, a vector store API key and a provider's
// Authorization extra header.
func freeFormSecrets(t *testing.T, password, token, apiKeyRef, vectorKey, header string) string {
	return edit(t, fullConfig, func(m map[string]any) {
		m["logs_store"] = map[string]any{"enabled": true, "type": "postgres", "config": map[string]any{
			"host": "localhost", "port": "5432", "user": "bifrost", "password": password,
			"db_name": "bifrost", "ssl_mode": "disable"}}
		m["vector_store"] = map[string]any{"enabled": true, "type": "weaviate", "config": map[string]any{
			"scheme": "https", "host": "weaviate.internal", "api_key": vectorKey}}
		m["plugins"] = append(list(m, "plugins"), map[string]any{"name": "otel", "enabled": true, "config": map[string]any{
			"collector_url": "https://otel.internal:4318", "trace_type": "otel",
			"headers": map[string]any{"X-Auth-Token": token}, "api_key": apiKeyRef}})
		obj(m, "providers", "openai", "network_config")["extra_headers"] = map[string]any{
			"Authorization": header, "X-Region": "eu"}
	})
}

// TestPlanNeverShowsFreeFormSecrets: secrets inside free-form JSON values
// (logs_store.config, vector_store.config, plugins[].config, a provider's
// extra headers) that the file changes appear in the plan's changes as
// changed fields, redacted like EnvVar secrets, and neither the JSON nor the
// text rendering of the plan holds one; env references are shown as they
// are, and other members of the same values in clear.
func TestPlanNeverShowsFreeFormSecrets(t *testing.T) {
	const (
		oldHeader = "Bearer old-upstream-0123456789abcdef"
		newHeader = "Bearer new-upstream-fedcba9876543210"
	)
	secrets := []string{"bifrost_password", "new_password_x", "otel-tok-1", "otel-tok-2",
		"wv-key-0123456789abcdef", "wv-key-fedcba9876543210", oldHeader, newHeader,
		"old-upstream", "new-upstream"}
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, freeFormSecrets(t, "bifrost_password", "otel-tok-1", "env.OTEL_API_KEY", "wv-key-0123456789abcdef", oldHeader))
		app.restart(t, reconcile.Options{})
		app.write(t, freeFormSecrets(t, "new_password_x", "otel-tok-2", "env.OTEL_API_KEY_2", "wv-key-fedcba9876543210", newHeader))
		plan := app.restart(t, reconcile.Options{DryRun: true})

		logs := entry(t, plan, "log_store_config", "default")
		if logs.Action != reconcile.ActionUpdate {
			t.Fatalf("logs_store: %s (%s), want update%s", logs.Action, logs.Reason, describePlan(plan))
		}
		hasChange(t, logs, "config.password", `"bif...word"`, `"****"`)
		hasChange(t, entry(t, plan, "vector_store_config", "default"), "config.api_key", `"wv-...cdef"`, `"wv-...3210"`)
		otel := entry(t, plan, "plugin", "otel")
		// Both tokens redact to "****": the change is still shown as one.
		hasChange(t, otel, "config.headers.X-Auth-Token", `"****"`, `"**** (changed)"`)
		hasChange(t, otel, "config.api_key", `"env.OTEL_API_KEY"`, `"env.OTEL_API_KEY_2"`)
		hasChange(t, entry(t, plan, "provider", "openai"), "network_config.extra_headers.Authorization", `"Bea...cdef"`, `"Bea...3210"`)
		for _, e := range plan.Entries {
			for _, c := range e.Changes {
				if strings.Contains(c.Path, "host") || strings.Contains(c.Path, "user") || strings.Contains(c.Path, "X-Region") {
					t.Errorf("%s %s: unchanged member %s listed as changed", e.Kind, e.ID, c.Path)
				}
			}
		}

		planJSON, err := json.Marshal(plan)
		must(t, err)
		text := planText(plan)
		for _, secret := range secrets {
			if strings.Contains(string(planJSON), secret) || strings.Contains(text, secret) {
				t.Fatalf("the plan shows the secret %q:\n%s\n%s", secret, planJSON, text)
			}
		}
		if !strings.Contains(text, "config.password: \"bif...word\" -> \"****\"") {
			t.Errorf("the text plan does not show the password change:\n%s", text)
		}
	})
}

// TestPlanShowsStoredFreeFormSecretsRedacted: a stored literal replaced by
// an env reference is shown redacted, the reference as it is; and in split
// mode an API edit of a free-form secret, preserved because the file did
// not change, is listed redacted too.
func TestPlanShowsStoredFreeFormSecretsRedacted(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, freeFormSecrets(t, "bifrost_password", "otel-tok-1", "env.OTEL_API_KEY", "env.WV_KEY", "Bearer x"))
		app.restart(t, reconcile.Options{})
		app.write(t, freeFormSecrets(t, "env.LOGS_DB_PASSWORD", "otel-tok-1", "env.OTEL_API_KEY", "env.WV_KEY", "Bearer x"))
		plan := app.restart(t, reconcile.Options{})
		hasChange(t, entry(t, plan, "log_store_config", "default"), "config.password", `"bif...word"`, `"env.LOGS_DB_PASSWORD"`)

		app.withStore(t, func(s configstore.ConfigStore) {
			c, err := s.GetLogStoreConfig(ctx)
			must(t, err)
			c.Config = json.RawMessage(`{"host": "localhost", "port": "5432", "user": "bifrost", "password": "api-set-password-123",
				"db_name": "bifrost", "ssl_mode": "disable"}`)
			must(t, s.UpdateLogStoreConfig(ctx, c))
		})
		plan = app.restart(t, reconcile.Options{})
		e := entry(t, plan, "log_store_config", "default")
		if e.Action != reconcile.ActionKeep {
			t.Fatalf("logs_store: %s (%s), want keep%s", e.Action, e.Reason, describePlan(plan))
		}
		hasChange(t, e, "config.password", `"api...-123"`, `"env.LOGS_DB_PASSWORD"`)
		planJSON, err := json.Marshal(plan)
		must(t, err)
		if text := string(planJSON) + planText(plan); strings.Contains(text, "bifrost_password") || strings.Contains(text, "api-set-password") {
			t.Fatalf("the plan shows a stored password: %s", text)
		}
	})
}

// planText renders the plan's changes as the configstore command's text
// report does ("path: stored -> file"), with describePlan's summary.
func planText(plan *reconcile.Changeset) string {
	var b strings.Builder
	b.WriteString(describePlan(plan))
	for _, e := range plan.Entries {
		for _, c := range e.Changes {
			fmt.Fprintf(&b, "\n%s %s %s: %s -> %s", e.Kind, e.ID, c.Path, c.Stored, c.File)
		}
	}
	return b.String()
}
