package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
	"github.com/spf13/cobra"
)

// checkResult is the outcome of one doctor check.
type checkResult struct {
	name   string
	ok     bool
	detail string
	lines  []string // further detail, one item per line
}

func (a *app) doctorCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check the app dir: config.json, store, schema, encoding, env references",
		Long: `doctor checks what a gateway needs to start from the app dir and prints one
line per check, "ok" or "FAIL":

  config.json   the file parses and validates (every problem listed with its path)
  config_store  every env.NAME reference of the config_store section (a
                PostgreSQL password or dsn, ...) names a set variable (the
                missing ones are listed by name, checked before the store is
                opened)
  store         the store opens and answers
  schema        its schema version; no pending or unknown migrations
  encoding      PostgreSQL only: the database encoding is UTF8
  env           every env.NAME reference in config.json and in the store names
                a set variable (the missing ones are listed with where they
                are used)

doctor opens the store without migrating it, so that it reports pending
migrations instead of applying them; while the schema is not up to date it
does not read the stored entities (their env references are not checked).
It never prints the value of a variable. It exits 1 when a check fails.`,
		Example: `  configstore doctor --app-dir /var/lib/gateway`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.doctor(cmd.Context())
		},
	}
}

// doctor runs the checks and prints them.
func (a *app) doctor(ctx context.Context) error {
	refs := map[string][]string{} // variable -> where it is referenced
	file, fileCheck := a.checkFile()
	if file != nil {
		addFileRefs(refs, file)
	}
	checks := []checkResult{fileCheck, a.checkStoreConfig()}
	storeRead := false
	store, err := a.openStore(ctx, configstore.WithoutMigrations())
	if err != nil {
		checks = append(checks, checkResult{name: "store", detail: err.Error()})
	} else {
		defer store.Close()
		var storeChecks []checkResult
		storeChecks, storeRead = a.checkStore(ctx, store, refs)
		checks = append(checks, storeChecks...)
	}
	checks = append(checks, checkEnv(refs, storeRead))

	failed := 0
	for _, c := range checks {
		status := "ok"
		if !c.ok {
			status = "FAIL"
			failed++
		}
		fmt.Fprintf(a.out, "%-5s %-12s %s\n", status, c.name, strings.ReplaceAll(c.detail, "\n", "\n                   "))
		for _, l := range c.lines {
			fmt.Fprintf(a.out, "                   %s\n", l)
		}
	}
	if failed > 0 {
		return &exitStatus{code: exitError, err: fmt.Errorf("doctor: %d check(s) failed", failed)}
	}
	return nil
}

// checkFile loads config.json; it returns the file when it is valid.
func (a *app) checkFile() (*configfile.File, checkResult) {
	c := checkResult{name: "config.json"}
	file, err := configfile.Load(a.configPath())
	var ferr *configfile.Error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.ok, c.detail = true, fmt.Sprintf("none in %s: the default store is used", a.appDir)
	case errors.As(err, &ferr):
		c.detail = fmt.Sprintf("%s has %d problem(s):", a.configPath(), len(ferr.Problems))
		for _, p := range ferr.Problems {
			c.lines = append(c.lines, p.String())
		}
	case err != nil:
		c.detail = err.Error()
	default:
		c.ok, c.detail = true, fmt.Sprintf("%s is valid (source of truth %q)", a.configPath(), file.SourceOfTruth)
	}
	return file, c
}

// checkStoreConfig checks that every env reference of the config_store
// section names a set variable, listing the missing ones by name and path,
// never a value.
func (a *app) checkStoreConfig() checkResult {
	c := checkResult{name: "config_store"}
	cfg, err := a.storeConfig()
	switch {
	case err != nil:
		c.detail = err.Error()
		return c
	case !cfg.Enabled:
		c.ok, c.detail = true, "disabled (file-only mode): no store to open"
		return c
	}
	refs := storeConfigRefs(cfg)
	var missing []string
	for _, name := range slices.Sorted(maps.Keys(refs)) {
		if _, ok := os.LookupEnv(name); !ok {
			missing = append(missing, name+": "+strings.Join(refs[name], ", "))
		}
	}
	switch {
	case len(missing) > 0:
		c.lines = missing
		c.detail = fmt.Sprintf("%s store config: %d of %d referenced variable(s) not set:", cfg.Type, len(missing), len(refs))
	case len(refs) > 0:
		c.ok, c.detail = true, fmt.Sprintf("%s store config: %d referenced variable(s), all set", cfg.Type, len(refs))
	case cfg.Type == defaultStore.Type && bytes.Equal(cfg.Config, defaultStore.Config):
		c.ok, c.detail = true, "the default store (SQLite config.db in the app dir): no env references"
	default:
		c.ok, c.detail = true, fmt.Sprintf("%s store config: no env references", cfg.Type)
	}
	return c
}

// storeConfigRefs returns the env references of a config_store section's
// driver config: every string value "env.NAME" (drivers resolve them when
// the store opens, as postgres does for each of its strings), by variable,
// with their paths ("config_store.config.password"). The sqlite driver's
// only string, its path, is a file name and never a reference.
func storeConfigRefs(cfg configstore.Config) map[string][]string {
	refs := map[string][]string{}
	if cfg.Type == "sqlite" || len(cfg.Config) == 0 {
		return refs
	}
	var v any
	if err := json.Unmarshal(cfg.Config, &v); err != nil {
		return refs // the open reports the malformed config
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case string:
			if e := configstore.NewEnvVar(v); e.IsReference() {
				refs[e.VarName()] = append(refs[e.VarName()], path)
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(path+"."+k, v[k])
			}
		case []any:
			for i, item := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), item)
			}
		}
	}
	walk("config_store.config", v)
	return refs
}

// checkStore checks the store's schema and encoding and, when its schema is
// this binary's, that it answers, adding the env references of every
// stored entity to refs. It reports whether it read the entities: the
// store is opened without migrating it, and one whose schema has pending
// or unknown migrations is not read.
func (a *app) checkStore(ctx context.Context, store *openedStore, refs map[string][]string) ([]checkResult, bool) {
	schemaChecks, current := checkSchema(ctx, store)
	if !current {
		return append([]checkResult{{name: "store", ok: true,
			detail: fmt.Sprintf("%s store reachable; entities not read: its schema is not this binary's (see schema)", store.Type)}},
			schemaChecks...), false
	}
	rev, err := store.Revision(ctx)
	if err != nil {
		return append([]checkResult{{name: "store", detail: err.Error()}}, schemaChecks...), false
	}
	out := []checkResult{{name: "store", ok: true, detail: fmt.Sprintf("%s store reachable, revision %d", store.Type, rev)}}
	if !store.Config.Enabled {
		out[0].detail += " (file-only mode: read-only memory store loaded from config.json)"
	}
	out = append(out, schemaChecks...)
	for _, name := range kindNames() {
		items, err := kinds[name].list(ctx, store)
		if err != nil {
			out = append(out, checkResult{name: "store", detail: fmt.Sprintf("list %s: %v", name, err)})
			continue
		}
		for _, v := range items {
			where := fmt.Sprintf("store %s %q", name, kinds[name].id(v))
			if kinds[name].singleton() {
				where = "store " + name
			}
			addRefs(refs, where+" ", v)
		}
	}
	return out, true
}

// checkSchema checks the store's schema (no pending or unknown migrations)
// and, on PostgreSQL, its encoding. It reports whether the schema is the
// one this binary expects, so that the store may be read: true for a store
// without schema (memory).
func checkSchema(ctx context.Context, store *openedStore) ([]checkResult, bool) {
	st, err := configstore.MigrationStatus(ctx, store.ConfigStore)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return []checkResult{{name: "schema", ok: true, detail: "no schema (memory store)"}}, true
	case err != nil:
		return []checkResult{{name: "schema", detail: err.Error()}}, false
	}
	schema := checkResult{name: "schema", ok: len(st.Pending()) == 0,
		detail: fmt.Sprintf("%s version %s, %d pending migration(s)", st.Dialect, orAbsent(st.Version()), len(st.Pending()))}
	for _, m := range st.Migrations {
		switch {
		case m.Unknown:
			schema.ok = false
			schema.lines = append(schema.lines, "unknown to this binary (schema is newer): "+m.Name)
		case !m.Applied:
			schema.lines = append(schema.lines, "pending (configstore migrate up, or the gateway's start, applies it): "+m.Name)
		}
	}
	out := []checkResult{schema}
	if st.Encoding != "" {
		out = append(out, checkResult{name: "encoding", ok: st.Encoding == "UTF8", detail: st.Encoding})
	}
	return out, schema.ok
}

// addFileRefs adds the env references of every managed section of file to
// refs, named by their JSON path in config.json.
func addFileRefs(refs map[string][]string, file *configfile.File) {
	for _, p := range file.Providers {
		addRefs(refs, "config.json providers."+p.Name+".", p)
	}
	for _, s := range []struct {
		path string
		v    any
	}{
		{"governance.budgets", file.Budgets}, {"governance.rate_limits", file.RateLimits},
		{"governance.customers", file.Customers}, {"governance.teams", file.Teams},
		{"governance.virtual_keys", file.VirtualKeys}, {"governance.routing_rules", file.RoutingRules},
		{"governance.model_configs", file.ModelConfigs}, {"governance.auth_config", file.AuthConfig},
		{"mcp.client_configs", file.MCPClients}, {"plugins", file.Plugins}, {"client", file.Client},
		{"vector_store", file.VectorStore}, {"logs_store", file.LogsStore},
	} {
		addRefs(refs, "config.json "+s.path, s.v)
	}
}

// addRefs adds the env references among v's secrets to refs, each used at
// prefix followed by the secret's path.
func addRefs(refs map[string][]string, prefix string, v any) {
	for _, r := range configstore.EnvReferences(v) {
		refs[r.Name] = append(refs[r.Name], prefix+r.Path)
	}
}

// checkEnv reports the referenced variables that are not set; storeRead
// says whether refs include the stored entities' references.
func checkEnv(refs map[string][]string, storeRead bool) checkResult {
	var missing []string
	for _, name := range slices.Sorted(maps.Keys(refs)) {
		if _, ok := os.LookupEnv(name); !ok {
			missing = append(missing, name+": "+strings.Join(refs[name], ", "))
		}
	}
	note := ""
	if !storeRead {
		note = " (the store's entities were not read)"
	}
	if len(missing) > 0 {
		return checkResult{name: "env", lines: missing,
			detail: fmt.Sprintf("%d of %d referenced variable(s) not set%s:", len(missing), len(refs), note)}
	}
	return checkResult{name: "env", ok: true, detail: fmt.Sprintf("%d referenced variable(s), all set%s", len(refs), note)}
}
