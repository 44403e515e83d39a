package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"
)

// binary is the configstore command built once for all tests.
var binary string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "configstore-cli-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "configstore")
		if out, err := exec.Command("go", append(append([]string{"build"}, buildFlags...), "-o", binary, ".")...).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
			return 1
		}
		return m.Run()
	}())
}

// The environment variables of the PostgreSQL test server.
const (
	envPostgresDSN     = "CONFIGSTORE_TEST_POSTGRES_DSN"
	envRequirePostgres = "CONFIGSTORE_REQUIRE_POSTGRES"
	// envStoreDSN is the variable the Postgres app dirs' config_store
	// refers to (config.json holds "env.CONFIGSTORE_CLI_TEST_DSN").
	envStoreDSN = "CONFIGSTORE_CLI_TEST_DSN"
)

// backend is one store the commands are tested on.
type backend struct {
	name string
	// prepare returns the config_store section of a fresh, empty store
	// (nil: the default SQLite config.db of the app dir) and the
	// environment the command needs to reach it.
	prepare func(t *testing.T) (configStore map[string]any, env []string)
}

// backends are the stores every command is tested on.
var backends = []backend{
	{name: "sqlite", prepare: func(*testing.T) (map[string]any, []string) { return nil, nil }},
	{name: "postgres", prepare: func(t *testing.T) (map[string]any, []string) {
		return map[string]any{"enabled": true, "type": "postgres", "config": map[string]any{"dsn": "env." + envStoreDSN}},
			[]string{envStoreDSN + "=" + postgresSchema(t)}
	}},
}

// eachBackend runs test as a parallel subtest on every backend.
func eachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			test(t, b)
		})
	}
}

// postgresSchema creates a schema on the test server, dropped when t ends,
// and returns a DSN whose connections work in it. Without a server it skips
// t, loudly, or fails it when CONFIGSTORE_REQUIRE_POSTGRES=1.
func postgresSchema(t *testing.T) string {
	t.Helper()
	server := os.Getenv(envPostgresDSN)
	if server == "" {
		msg := fmt.Sprintf("NO POSTGRESQL: PostgreSQL tests not run: set %s=postgres://user@host:5432/db?sslmode=disable", envPostgresDSN)
		if os.Getenv(envRequirePostgres) == "1" {
			t.Fatalf("%s; %s=1 requires PostgreSQL", msg, envRequirePostgres)
		}
		t.Skip(msg)
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(server)))
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	schema := "cs_cli_test_" + hex.EncodeToString(suffix)
	if _, err := db.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		_ = db.Close()
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", envPostgresDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off") // tests need no durability
	u.RawQuery = q.Encode()
	return u.String()
}

// quickstartVars are the variables examples/quickstart/config.json refers to.
var quickstartVars = []string{"OPENAI_API_KEY", "OPENAI_BATCH_API_KEY", "ANTHROPIC_API_KEY", "MISTRAL_API_KEY", "VK_PORTAL", "VK_RESEARCH"}

// appDir is a temporary app dir on one backend.
type appDir struct {
	dir         string
	configStore map[string]any // the config_store section given to every config.json
	env         []string
}

// newAppDir returns an empty app dir on b: without config.json on SQLite,
// with one holding only the config_store section on other backends.
func newAppDir(t *testing.T, b backend) *appDir {
	t.Helper()
	d := &appDir{dir: t.TempDir()}
	d.configStore, d.env = b.prepare(t)
	if d.configStore != nil {
		d.writeConfig(t, map[string]any{})
	}
	return d
}

// quickstart returns examples/quickstart/config.json, decoded.
func quickstart(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// writeConfig writes doc as the app dir's config.json, with the app dir's
// config_store section.
func (d *appDir) writeConfig(t *testing.T, doc map[string]any) {
	t.Helper()
	if d.configStore != nil {
		doc["config_store"] = d.configStore
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d.dir, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs the binary with args on the app dir, without input.
func (d *appDir) run(t *testing.T, args ...string) result {
	t.Helper()
	return d.runInput(t, "", nil, args...)
}

// runInput runs the binary with args on the app dir, stdin as input and
// extra added to the environment. The quickstart's variables are unset
// unless extra sets them.
func (d *appDir) runInput(t *testing.T, stdin string, extra []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, append(args, "--app-dir", d.dir)...)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(quickstartVars, name) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, d.env...), extra...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
}

// mustRun runs the binary and fails t unless it exits 0.
func (d *appDir) mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := d.run(t, args...)
	if r.code != 0 {
		t.Fatalf("configstore %v: %v", args, r)
	}
	return r
}

// expectCode fails t unless r exited with code.
func expectCode(t *testing.T, r result, code int, what string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: want exit %d, got %v", what, code, r)
	}
}

// expectContains fails t unless s holds every one of wants.
func expectContains(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("output lacks %q:\n%s", w, s)
		}
	}
}

// decodeJSON decodes the JSON output of a command into v.
func decodeJSON(t *testing.T, r result, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("output is not JSON: %v\n%v", err, r)
	}
}

// expectRows fails t unless s has, for each row, a line holding its fields
// in order, separated by blanks (the columns of a table).
func expectRows(t *testing.T, s string, rows ...[]string) {
	t.Helper()
	for _, fields := range rows {
		quoted := make([]string, len(fields))
		for i, f := range fields {
			quoted[i] = regexp.QuoteMeta(f)
		}
		if !regexp.MustCompile(`(?m)` + strings.Join(quoted, `\s+`)).MatchString(s) {
			t.Errorf("output lacks a row %q:\n%s", fields, s)
		}
	}
}
