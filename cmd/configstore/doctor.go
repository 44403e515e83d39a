package main

import (
	"context"
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

  config.json  the file parses and validates (every problem listed with its path)
  store        the store opens and answers
  schema       its schema version; no pending or unknown migrations
  encoding     PostgreSQL only: the database encoding is UTF8
  env          every env.NAME reference in config.json and in the store names a
               set variable (the missing ones are listed with where they are used)

It exits 1 when a check fails.`,
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
	checks := []checkResult{fileCheck}
	store, err := a.openStore(ctx)
	if err != nil {
		checks = append(checks, checkResult{name: "store", detail: err.Error()})
	} else {
		defer store.Close()
		checks = append(checks, a.checkStore(ctx, store, refs)...)
	}
	checks = append(checks, checkEnv(refs))

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

// checkStore checks that the store answers, its schema and encoding, and
// adds the env references of every stored entity to refs.
func (a *app) checkStore(ctx context.Context, store *openedStore, refs map[string][]string) []checkResult {
	rev, err := store.Revision(ctx)
	if err != nil {
		return []checkResult{{name: "store", detail: err.Error()}}
	}
	out := []checkResult{{name: "store", ok: true, detail: fmt.Sprintf("%s store reachable, revision %d", store.Type, rev)}}
	if !store.Config.Enabled {
		out[0].detail += " (file-only mode: read-only memory store loaded from config.json)"
	}
	st, err := configstore.MigrationStatus(ctx, store.ConfigStore)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		out = append(out, checkResult{name: "schema", ok: true, detail: "no schema (memory store)"})
	case err != nil:
		out = append(out, checkResult{name: "schema", detail: err.Error()})
	default:
		schema := checkResult{name: "schema", ok: len(st.Pending()) == 0,
			detail: fmt.Sprintf("%s version %s, %d pending migration(s)", st.Dialect, orAbsent(st.Version()), len(st.Pending()))}
		for _, m := range st.Migrations {
			if m.Unknown {
				schema.ok = false
				schema.lines = append(schema.lines, "unknown to this binary (schema is newer): "+m.Name)
			}
		}
		out = append(out, schema)
		if st.Encoding != "" {
			out = append(out, checkResult{name: "encoding", ok: st.Encoding == "UTF8", detail: st.Encoding})
		}
	}
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
	return out
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

// checkEnv reports the referenced variables that are not set.
func checkEnv(refs map[string][]string) checkResult {
	var missing []string
	for _, name := range slices.Sorted(maps.Keys(refs)) {
		if _, ok := os.LookupEnv(name); !ok {
			missing = append(missing, name+": "+strings.Join(refs[name], ", "))
		}
	}
	if len(missing) > 0 {
		return checkResult{name: "env", lines: missing,
			detail: fmt.Sprintf("%d of %d referenced variable(s) not set:", len(missing), len(refs))}
	}
	return checkResult{name: "env", ok: true, detail: fmt.Sprintf("%d referenced variable(s), all set", len(refs))}
}
