package reconcile_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
	"github.com/gatewaykit/configstore/reconcile"
)

// wantUnchanged fails the test unless plan is (or is not) the Unchanged one.
func wantUnchanged(t *testing.T, what string, plan *reconcile.Changeset, unchanged bool) {
	t.Helper()
	if plan.Unchanged != unchanged {
		t.Fatalf("%s: Unchanged %v, want %v", what, plan.Unchanged, unchanged)
	}
	if unchanged && len(plan.Entries) != 0 {
		t.Fatalf("%s: the Unchanged plan has %d entries", what, len(plan.Entries))
	}
}

// TestRestartWithTheSameFileIsUnchanged: a restart with the document and
// mode the store was last reconciled with, and no write since, is the
// Unchanged plan; another document (even one byte of whitespace), another
// mode or a write through the API makes the next restart compare every
// entity, and the one after that is Unchanged again.
func TestRestartWithTheSameFileIsUnchanged(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		app.write(t, fullConfig)
		cold := app.restart(t, reconcile.Options{})
		wantUnchanged(t, "cold start", cold, false)
		again := app.restart(t, reconcile.Options{})
		wantUnchanged(t, "restart", again, true)
		if want := cold.Revision + 1; again.Revision != want {
			t.Fatalf("the Unchanged plan is at revision %d, want %d (the cold apply's)", again.Revision, want)
		}

		path := filepath.Join(app.dir, reconcile.FileName)
		doc, err := os.ReadFile(path)
		must(t, err)
		app.writeRaw(t, append(doc, '\n'))
		compared := app.restart(t, reconcile.Options{})
		wantUnchanged(t, "restart with a changed document", compared, false)
		onlyActions(t, compared, reconcile.ActionKeep)
		wantUnchanged(t, "the restart after it", app.restart(t, reconcile.Options{}), true)

		authoritative := reconcile.Options{SourceOfTruth: configfile.SourceConfigJSON}
		wantUnchanged(t, "restart in another mode", app.restart(t, authoritative), false)
		wantUnchanged(t, "the restart after it", app.restart(t, authoritative), true)
		wantUnchanged(t, "restart in the file's mode again", app.restart(t, reconcile.Options{}), false)

		app.withStore(t, func(s configstore.ConfigStore) {
			must(t, s.CreatePlugin(context.Background(), &configstore.Plugin{Name: "api-plugin", Enabled: true}))
		})
		wantUnchanged(t, "restart after an API write", app.restart(t, reconcile.Options{}), false)
		wantUnchanged(t, "the restart after it", app.restart(t, reconcile.Options{}), true)
		wantUnchanged(t, "a dry run", app.restart(t, reconcile.Options{DryRun: true}), false)
	})
}

// TestReconcileOpenStore: Reconcile into an open store plans and applies
// the document, and reconciling it again is the Unchanged plan.
func TestReconcileOpenStore(t *testing.T) {
	ctx := context.Background()
	store, err := configstore.Open(ctx, configstore.Config{Enabled: true, Type: "memory"}, configstore.WithLogger(quiet))
	must(t, err)
	defer store.Close()
	doc := []byte(fullConfig)
	file, plan, err := reconcile.Reconcile(ctx, store, doc, reconcile.Options{})
	must(t, err)
	wantUnchanged(t, "first reconcile", plan, false)
	if len(file.VirtualKeys) == 0 || plan.Counts()[reconcile.ActionCreate] == 0 {
		t.Fatalf("first reconcile: %d virtual keys in the file, %d creates", len(file.VirtualKeys), plan.Counts()[reconcile.ActionCreate])
	}
	_, plan, err = reconcile.Reconcile(ctx, store, doc, reconcile.Options{})
	must(t, err)
	wantUnchanged(t, "second reconcile", plan, true)
	if _, _, err := reconcile.Reconcile(ctx, store, []byte(`{"providers": 1}`), reconcile.Options{}); err == nil {
		t.Fatal("Reconcile accepted a bad document")
	}
}
