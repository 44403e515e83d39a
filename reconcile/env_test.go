package reconcile_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	_ "github.com/gatewaykit/configstore/backends/memory"
	_ "github.com/gatewaykit/configstore/backends/postgres"
	_ "github.com/gatewaykit/configstore/backends/sqlite"
	"github.com/gatewaykit/configstore/reconcile"
	"github.com/uptrace/bun/driver/pgdriver"
)

// quiet discards the logs of the stores under test.
var quiet = slog.New(slog.DiscardHandler)

// backend is a store a test's app dir reconciles into: configStore returns
// the config_store section config.json gets, fixed for the whole test so
// that every restart opens the same store.
type backend struct {
	name        string
	configStore func(t *testing.T) map[string]any
}

// backends are the persistent stores every rule is tested on.
var backends = []backend{
	{name: "sqlite", configStore: func(*testing.T) map[string]any {
		return map[string]any{"enabled": true, "type": "sqlite", "config": map[string]any{"path": "config.db"}}
	}},
	{name: "postgres", configStore: func(t *testing.T) map[string]any {
		return map[string]any{"enabled": true, "type": "postgres", "config": map[string]any{"dsn": postgresSchema(t)}}
	}},
}

// fileOnly is the config_store section of file-only mode (a memory store).
var fileOnly = backend{name: "memory", configStore: func(*testing.T) map[string]any {
	return map[string]any{"enabled": false}
}}

// forEachBackend runs test once per persistent backend.
func forEachBackend(t *testing.T, test func(t *testing.T, app *appDir)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, newAppDir(t, b)) })
	}
}

// appDir is a gateway's app dir in a test.
type appDir struct {
	dir         string
	configStore map[string]any
}

func newAppDir(t *testing.T, b backend) *appDir {
	return &appDir{dir: t.TempDir(), configStore: b.configStore(t)}
}

// write writes config.json from doc, a JSON object without config_store,
// giving it the app dir's config_store section.
func (a *appDir) write(t *testing.T, doc string) {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("test config.json: %v", err)
	}
	m["config_store"] = a.configStore
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	a.writeRaw(t, data)
}

// writeRaw writes config.json as it is.
func (a *appDir) writeRaw(t *testing.T, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(a.dir, reconcile.FileName), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// start runs Startup on the app dir; the store is closed when t ends.
func (a *appDir) start(t *testing.T, opts reconcile.Options) *reconcile.Result {
	t.Helper()
	res, err := a.tryStart(opts)
	if err != nil {
		t.Fatalf("startup: %v", err)
	}
	t.Cleanup(func() { _ = res.Store.Close() })
	return res
}

// tryStart runs Startup and returns its error; a store it opened is
// closed at once.
func (a *appDir) tryStart(opts reconcile.Options) (*reconcile.Result, error) {
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	return reconcile.Startup(context.Background(), a.dir, opts)
}

// restart runs Startup and closes the store, returning the plan.
func (a *appDir) restart(t *testing.T, opts reconcile.Options) *reconcile.Changeset {
	t.Helper()
	res, err := a.tryStart(opts)
	if err != nil {
		t.Fatalf("startup: %v", err)
	}
	if err := res.Store.Close(); err != nil {
		t.Fatal(err)
	}
	return res.Plan
}

// withStore runs fn on the app dir's store, opened without reconciling.
func (a *appDir) withStore(t *testing.T, fn func(s configstore.ConfigStore)) {
	t.Helper()
	var cfg configstore.Config
	raw, _ := json.Marshal(a.configStore)
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	s, err := configstore.Open(context.Background(), cfg, configstore.WithBaseDir(a.dir), configstore.WithLogger(quiet))
	if err != nil {
		t.Fatalf("open the store: %v", err)
	}
	defer s.Close()
	fn(s)
}

// postgresSchema creates a schema on the test PostgreSQL server, dropped
// when t ends, and returns a DSN whose connections work in it (its
// search_path). Without CONFIGSTORE_TEST_POSTGRES_DSN the test is skipped,
// loudly, or fails under CONFIGSTORE_REQUIRE_POSTGRES=1.
func postgresSchema(t *testing.T) string {
	t.Helper()
	server := os.Getenv("CONFIGSTORE_TEST_POSTGRES_DSN")
	if server == "" {
		msg := "NO POSTGRESQL: set CONFIGSTORE_TEST_POSTGRES_DSN=postgres://user@host:5432/db?sslmode=disable"
		if os.Getenv("CONFIGSTORE_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg + "; CONFIGSTORE_REQUIRE_POSTGRES=1 requires PostgreSQL")
		}
		t.Skip(msg)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "cs_reconcile_" + hex.EncodeToString(b)
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(server)))
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// snapshot is everything a store holds: every entity of every kind, Meta
// included, secrets in their stored form, and the store revision.
func snapshot(t *testing.T, s configstore.ConfigStore) string {
	t.Helper()
	var b strings.Builder
	secs := sections(t, s)
	for _, name := range slices.Sorted(maps.Keys(secs)) {
		fmt.Fprintf(&b, "%s: %s\n", name, secs[name])
	}
	return b.String()
}

// sections returns what snapshot holds, by section, as stored JSON.
func sections(t *testing.T, s configstore.ConfigStore) map[string]string {
	t.Helper()
	ctx := context.Background()
	reads := map[string]func() (any, error){
		"providers":     func() (any, error) { return s.ListProviders(ctx) },
		"keys":          func() (any, error) { return s.ListKeys(ctx) },
		"virtual_keys":  func() (any, error) { return s.ListVirtualKeys(ctx) },
		"budgets":       func() (any, error) { return s.ListBudgets(ctx) },
		"rate_limits":   func() (any, error) { return s.ListRateLimits(ctx) },
		"customers":     func() (any, error) { return s.ListCustomers(ctx) },
		"teams":         func() (any, error) { return s.ListTeams(ctx) },
		"plugins":       func() (any, error) { return s.ListPlugins(ctx) },
		"mcp_clients":   func() (any, error) { return s.ListMCPClients(ctx) },
		"routing_rules": func() (any, error) { return s.ListRoutingRules(ctx) },
		"model_configs": func() (any, error) { return s.ListModelConfigs(ctx) },
		"client":        func() (any, error) { return s.GetClientConfig(ctx) },
		"vector_store":  func() (any, error) { return s.GetVectorStoreConfig(ctx) },
		"logs_store":    func() (any, error) { return s.GetLogStoreConfig(ctx) },
		"auth":          func() (any, error) { return s.GetAuthConfig(ctx) },
		"revision":      func() (any, error) { return s.Revision(ctx) },
	}
	out := map[string]string{}
	for name, read := range reads {
		v, err := read()
		if errors.Is(err, configstore.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("snapshot %s: %v", name, err)
		}
		data, err := configstore.MarshalStored(v)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(data)
	}
	return out
}

// sameExcept fails the test unless before and after (sections) agree on
// every section but the ones named.
func sameExcept(t *testing.T, before, after map[string]string, changed ...string) {
	t.Helper()
	for name := range before {
		if !slices.Contains(changed, name) && before[name] != after[name] {
			t.Errorf("section %s changed:\nbefore %s\nafter  %s", name, before[name], after[name])
		}
	}
	for _, name := range changed {
		if before[name] == after[name] {
			t.Errorf("section %s did not change", name)
		}
	}
}

// revision returns the store revision.
func revision(t *testing.T, s configstore.ConfigStore) int64 {
	t.Helper()
	rev, err := s.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// entry returns the plan's entry for the entity of kind with id, failing
// the test when there is none.
func entry(t *testing.T, cs *reconcile.Changeset, kind, id string) reconcile.Entry {
	t.Helper()
	for _, e := range cs.Entries {
		if e.Kind == kind && e.ID == id {
			return e
		}
	}
	t.Fatalf("the plan has no entry for %s %q: %s", kind, id, describePlan(cs))
	return reconcile.Entry{}
}

// hasEntry reports whether the plan has an entry for kind and id.
func hasEntry(cs *reconcile.Changeset, kind, id string) bool {
	for _, e := range cs.Entries {
		if e.Kind == kind && e.ID == id {
			return true
		}
	}
	return false
}

// describePlan prints a plan for failure messages.
func describePlan(cs *reconcile.Changeset) string {
	var b strings.Builder
	for _, e := range cs.Entries {
		fmt.Fprintf(&b, "\n  %s %s %q %q: %s %v", e.Action, e.Kind, e.ID, e.Name, e.Reason, e.Changes)
	}
	return b.String()
}

// onlyActions fails the test unless every entry of the plan has one of
// the actions.
func onlyActions(t *testing.T, cs *reconcile.Changeset, actions ...reconcile.Action) {
	t.Helper()
	for _, e := range cs.Entries {
		ok := false
		for _, a := range actions {
			ok = ok || e.Action == a
		}
		if !ok {
			t.Fatalf("%s %s %q: %s (%s), want one of %v%s", e.Kind, e.ID, e.Name, e.Action, e.Reason, actions, describePlan(cs))
		}
	}
}
