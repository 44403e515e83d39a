package reconcile_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
	"github.com/gatewaykit/configstore/reconcile"
)

// envRef finds the env references of a config.json.
var envRef = regexp.MustCompile(`"env\.([A-Za-z_][A-Za-z0-9_]*)"`)

// TestBifrostExamples: every example config.json written for Bifrost loads,
// reconciles and reads back with every entity and field the file has
// (env references stay references), into the store type it names (SQLite
// in the app dir, or the test PostgreSQL) and in file-only mode; a second
// start keeps everything.
func TestBifrostExamples(t *testing.T) {
	paths, err := filepath.Glob("testdata/bifrost-examples/*.json")
	must(t, err)
	if len(paths) == 0 {
		t.Fatal("no examples")
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		must(t, err)
		var doc struct {
			ConfigStore configstore.Config `json:"config_store"`
		}
		must(t, json.Unmarshal(data, &doc))
		targets := []backend{fileOnly}
		for _, b := range backends {
			if b.name == doc.ConfigStore.Type {
				targets = append(targets, b)
			}
		}
		if len(targets) != 2 {
			t.Fatalf("%s: no test backend of type %q", path, doc.ConfigStore.Type)
		}
		for _, b := range targets {
			t.Run(filepath.Base(path)+"/"+b.name, func(t *testing.T) {
				for _, m := range envRef.FindAllSubmatch(data, -1) {
					t.Setenv(string(m[1]), "value-of-"+string(m[1]))
				}
				app := newAppDir(t, b)
				app.write(t, string(data))
				res := app.start(t, reconcile.Options{})
				onlyActions(t, res.Plan, reconcile.ActionCreate)
				if len(res.Plan.Entries) == 0 {
					t.Fatal("nothing reconciled")
				}
				readsBack(t, res.File, res.Store)
				if b.name != fileOnly.name {
					onlyActions(t, app.restart(t, reconcile.Options{}), reconcile.ActionKeep)
				}
			})
		}
	}
}

// readsBack fails the test unless store holds every entity of file with
// every field, Meta aside.
func readsBack(t *testing.T, file *configfile.File, store configstore.ConfigStore) {
	t.Helper()
	ctx := context.Background()
	var providers []configstore.Provider
	var keys []configstore.Key
	for _, p := range file.Providers {
		providers = append(providers, p.Provider)
		keys = append(keys, p.Keys...)
	}
	compareKind(t, "provider", providers, listOf(store.ListProviders), func(v *configstore.Provider) string { return v.Name })
	compareKind(t, "key", keys, listOf(store.ListKeys), func(v *configstore.Key) string { return v.Name })
	compareKind(t, "budget", file.Budgets, listOf(store.ListBudgets), func(v *configstore.Budget) string { return v.ID })
	compareKind(t, "rate_limit", file.RateLimits, listOf(store.ListRateLimits), func(v *configstore.RateLimit) string { return v.ID })
	compareKind(t, "customer", file.Customers, listOf(store.ListCustomers), func(v *configstore.Customer) string { return v.ID })
	compareKind(t, "team", file.Teams, listOf(store.ListTeams), func(v *configstore.Team) string { return v.Name })
	compareKind(t, "virtual_key", file.VirtualKeys, listOf(store.ListVirtualKeys), func(v *configstore.VirtualKey) string { return v.Name })
	compareKind(t, "routing_rule", file.RoutingRules, listOf(store.ListRoutingRules), func(v *configstore.RoutingRule) string { return v.ID })
	compareKind(t, "model_config", file.ModelConfigs, listOf(store.ListModelConfigs), func(v *configstore.ModelConfig) string { return v.ID })
	compareKind(t, "mcp_client", file.MCPClients, listOf(store.ListMCPClients), func(v *configstore.MCPClient) string { return v.Name })
	compareKind(t, "plugin", file.Plugins, listOf(store.ListPlugins), func(v *configstore.Plugin) string { return v.Name })
	compareKind(t, "client_config", one(file.Client), getOf(ctx, store.GetClientConfig), settingsName[configstore.ClientConfig])
	compareKind(t, "vector_store_config", one(file.VectorStore), getOf(ctx, store.GetVectorStoreConfig), settingsName[configstore.VectorStoreConfig])
	compareKind(t, "log_store_config", one(file.LogsStore), getOf(ctx, store.GetLogStoreConfig), settingsName[configstore.LogStoreConfig])
	compareKind(t, "auth_config", one(file.AuthConfig), getOf(ctx, store.GetAuthConfig), settingsName[configstore.AuthConfig])
}

// compareKind fails the test unless stored holds exactly the entities of
// file, matched by name, field for field: the stored form of each (secrets
// as stored, env references as references), Meta aside, equals the file
// entity's with defaults applied, and its config_hash is configfile.Hash's
// of the file entity. An entity the file gives without an id is compared
// without the id generated for it.
func compareKind[T any](t *testing.T, kind string, file []T, stored func(t *testing.T) []T, name func(*T) string) {
	t.Helper()
	got := stored(t)
	if len(got) != len(file) {
		t.Errorf("%s: %d stored, the file has %d", kind, len(got), len(file))
	}
	byName := map[string]map[string]any{}
	hashes := map[string]string{}
	for i := range got {
		byName[name(&got[i])] = storedForm(t, &got[i])
		hashes[name(&got[i])] = reflect.ValueOf(&got[i]).Elem().FieldByName("Meta").Interface().(configstore.Meta).ConfigHash
	}
	for i := range file {
		wantHash, err := configfile.Hash(&file[i])
		must(t, err)
		if got := hashes[name(&file[i])]; got != wantHash {
			t.Errorf("%s %q: config_hash %q, want configfile.Hash's %q", kind, name(&file[i]), got, wantHash)
		}
		want := file[i]
		must(t, configstore.Normalize(&want))
		n := name(&want)
		wantForm, gotForm := storedForm(t, &want), byName[n]
		for _, key := range []string{"id", "client_id"} {
			if _, ok := wantForm[key]; !ok {
				delete(gotForm, key)
			}
		}
		w, err := json.Marshal(wantForm)
		must(t, err)
		g, err := json.Marshal(gotForm)
		must(t, err)
		if string(w) != string(g) {
			t.Errorf("%s %q:\nstored %s\nfile   %s", kind, n, g, w)
		}
	}
}

// storedForm returns v in its stored form (secrets unredacted, as stored)
// without its Meta, decoded so that JSON formatting does not count.
func storedForm[T any](t *testing.T, v *T) map[string]any {
	t.Helper()
	data, err := configstore.MarshalStored(v)
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(data, &m))
	for _, name := range metaFields() {
		delete(m, name)
	}
	return m
}

// metaFields returns the JSON names of Meta's fields, and "Meta" itself.
func metaFields() []string {
	names := []string{"Meta"}
	t := reflect.TypeFor[configstore.Meta]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names = append(names, name)
	}
	return names
}

// listOf adapts a List method.
func listOf[T any](list func(context.Context) ([]T, error)) func(t *testing.T) []T {
	return func(t *testing.T) []T {
		v, err := list(context.Background())
		must(t, err)
		return v
	}
}

// getOf adapts a settings Get method: none until written.
func getOf[T any](ctx context.Context, get func(context.Context) (*T, error)) func(t *testing.T) []T {
	return func(t *testing.T) []T {
		v, err := get(ctx)
		if errors.Is(err, configstore.ErrNotFound) {
			return nil
		}
		must(t, err)
		return []T{*v}
	}
}

// one returns a settings section as a list of at most one.
func one[T any](v *T) []T {
	if v == nil {
		return nil
	}
	return []T{*v}
}

// settingsName names the one settings record.
func settingsName[T any](*T) string { return "settings" }
