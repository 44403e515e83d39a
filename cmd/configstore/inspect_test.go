package main

import (
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"
)

func TestMigrate(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := newAppDir(t, b)
		for _, sub := range []string{"up", "status"} {
			r := d.mustRun(t, "migrate", sub)
			if !regexp.MustCompile(b.name + ` schema version \d{14}_\w+, 0 pending migration\(s\)\.`).MatchString(r.stdout) {
				t.Errorf("migrate %s: %s", sub, r.stdout)
			}
			if !regexp.MustCompile(`(?m)^\d{14}_\w+\s+applied\s+\d{4}-\d\d-\d\dT`).MatchString(r.stdout) {
				t.Errorf("migrate %s lists no applied migration: %s", sub, r.stdout)
			}
		}
	})
}

// migrationNames returns the names ("<timestamp>_<name>") of the migrations
// embedded for dialect, oldest first.
func migrationNames(t *testing.T, dialect string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "migrate", "sql", dialect, "*.up.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s migrations found: %v", dialect, err)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i], _, _ = strings.Cut(filepath.Base(f), ".")
	}
	return names
}

// migrate status on a database never migrated lists every migration as
// pending and applies none; neither does doctor, which reports them. Every
// other command still migrates on open, as does migrate up.
func TestMigrateStatusPending(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		names := migrationNames(t, b.name)
		pending := fmt.Sprintf("%s schema version (none), %d pending migration(s).", b.name, len(names))
		expectPending := func(t *testing.T, d *appDir, what string) {
			t.Helper()
			r := d.mustRun(t, "migrate", "status")
			expectContains(t, r.stdout, pending, fmt.Sprintf(`%d migration(s) not applied: "configstore migrate up"`, len(names)))
			for _, n := range names {
				expectRows(t, r.stdout, []string{n, "pending"})
			}
			if regexp.MustCompile(`(?m)^\d{14}_\w+\s+applied\s`).MatchString(r.stdout) {
				t.Errorf("%s: migrate status shows an applied migration:\n%s", what, r.stdout)
			}
		}
		expectCurrent := func(t *testing.T, d *appDir, what string) {
			t.Helper()
			r := d.mustRun(t, "migrate", "status")
			expectContains(t, r.stdout, fmt.Sprintf("%s schema version %s, 0 pending migration(s).", b.name, names[len(names)-1]))
			for _, n := range names {
				expectRows(t, r.stdout, []string{n, "applied"})
			}
			if strings.Contains(r.stdout, "not applied") {
				t.Errorf("%s: migrate status still has pending migrations:\n%s", what, r.stdout)
			}
		}

		d := newAppDir(t, b)
		expectPending(t, d, "fresh database")
		expectPending(t, d, "after migrate status") // the first status applied nothing
		doctor := d.run(t, "doctor")
		expectCode(t, doctor, exitError, "doctor with pending migrations")
		expectRows(t, doctor.stdout, []string{"ok", "store", b.name + " store reachable; entities not read"},
			[]string{"FAIL", "schema", fmt.Sprintf("%s version (none), %d pending migration(s)", b.name, len(names))},
			[]string{"ok", "env", "0 referenced variable(s), all set (the store's entities were not read)"})
		for _, n := range names {
			expectContains(t, doctor.stdout, "pending (configstore migrate up, or the gateway's start, applies it): "+n)
		}
		expectPending(t, d, "after doctor")
		// Any other command migrates on open, as before.
		if got := d.mustRun(t, "get", "provider").stdout; strings.TrimSpace(got) != "[]" {
			t.Errorf("get provider on a fresh database: %s", got)
		}
		expectCurrent(t, d, "after get")
		expectRows(t, d.mustRun(t, "doctor").stdout, []string{"ok", "store", b.name + " store reachable, revision 0"},
			[]string{"ok", "schema", fmt.Sprintf("%s version %s, 0 pending migration(s)", b.name, names[len(names)-1])})

		up := newAppDir(t, b)
		expectPending(t, up, "second fresh database")
		expectContains(t, up.mustRun(t, "migrate", "up").stdout,
			fmt.Sprintf("%s schema version %s, 0 pending migration(s).", b.name, names[len(names)-1]))
		expectCurrent(t, up, "after migrate up")
	})
}

// On a database that records a migration this binary does not know,
// migrate status lists it and says the schema is newer, while every
// command that migrates on open is refused and doctor fails.
func TestMigrateStatusNewerSchema(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := newAppDir(t, b)
		d.mustRun(t, "migrate", "up")
		var db *sql.DB
		if b.name == "postgres" {
			var dsn string
			for _, kv := range d.env {
				if v, ok := strings.CutPrefix(kv, envStoreDSN+"="); ok {
					dsn = v
				}
			}
			db = sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
		} else {
			var err error
			if db, err = sql.Open(sqliteshim.ShimName, filepath.Join(d.dir, "config.db")); err != nil {
				t.Fatal(err)
			}
		}
		defer db.Close()
		const future = "29991231000000"
		if _, err := db.Exec("INSERT INTO configstore_migrations (name, group_id) VALUES ('" + future + "', 99)"); err != nil {
			t.Fatal(err)
		}

		r := d.mustRun(t, "migrate", "status")
		expectRows(t, r.stdout, []string{future, "unknown to this binary"})
		expectContains(t, r.stdout, "The schema is newer than this binary")
		expectCode(t, d.run(t, "get", "provider"), exitError, "get on a newer schema")
		doctor := d.run(t, "doctor")
		expectCode(t, doctor, exitError, "doctor on a newer schema")
		expectRows(t, doctor.stdout, []string{"ok", "store", b.name + " store reachable; entities not read"},
			[]string{"FAIL", "schema"})
		expectContains(t, doctor.stdout, "unknown to this binary (schema is newer): "+future)
	})
}

func TestMigrateMemoryStore(t *testing.T) {
	d := &appDir{dir: t.TempDir(), configStore: map[string]any{"enabled": false}}
	d.writeConfig(t, map[string]any{})
	expectContains(t, d.mustRun(t, "migrate", "status").stdout, "The memory store has no schema")
}

func TestDrivers(t *testing.T) {
	d := &appDir{dir: t.TempDir()}
	if got := d.mustRun(t, "drivers").stdout; got != "memory\npostgres\nsqlite\n" {
		t.Errorf("drivers: %q", got)
	}
}

func TestDoctor(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		d := applied(t, b)
		d.runInput(t, `{"id": "key-store-only", "provider": "openai", "name": "store-only", "value": "env.STORE_ONLY_KEY", "weight": 1}`,
			nil, "put", "key", "-f", "-")

		r := d.run(t, "doctor")
		expectCode(t, r, exitError, "doctor with unset variables")
		storeConfig := "the default store (SQLite config.db in the app dir): no env references"
		if b.name == "postgres" {
			storeConfig = "postgres store config: 1 referenced variable(s), all set"
		}
		expectRows(t, r.stdout, []string{"ok", "config.json"}, []string{"ok", "config_store", storeConfig},
			[]string{"ok", "store", b.name + " store reachable, revision 2"},
			[]string{"ok", "schema", b.name + " version"}, []string{"FAIL", "env", "7 of 7 referenced variable(s) not set:"})
		expectContains(t, r.stdout,
			`OPENAI_API_KEY: config.json providers.openai.keys[0].value, store key "key-openai-primary" value`,
			`VK_PORTAL: config.json governance.virtual_keys[0].value, store virtual_key "vk-portal" value`,
			`STORE_ONLY_KEY: store key "key-store-only" value`)
		if b.name == "postgres" {
			expectRows(t, r.stdout, []string{"ok", "encoding", "UTF8"})
		}

		set := []string{"STORE_ONLY_KEY=x"}
		for _, v := range quickstartVars {
			set = append(set, v+"=x")
		}
		ok := d.runInput(t, "", set, "doctor")
		expectCode(t, ok, exitOK, "doctor with every variable set")
		expectRows(t, ok.stdout, []string{"ok", "env", "7 referenced variable(s), all set"})

		writeBadConfig(t, d)
		bad := d.runInput(t, "", set, "doctor")
		expectCode(t, bad, exitError, "doctor with a bad config.json")
		expectRows(t, bad.stdout, []string{"FAIL", "config.json"}, []string{"ok", "store"})
		expectContains(t, bad.stdout, "config.json has 4 problem(s):", "providers.openai.keys[0].weight: must not be negative")
	})
}

func TestDoctorUnreachableStore(t *testing.T) {
	d := &appDir{dir: t.TempDir(), configStore: map[string]any{"enabled": true, "type": "postgres",
		"config": map[string]any{"dsn": "env.CONFIGSTORE_CLI_TEST_UNSET_DSN"}}}
	d.writeConfig(t, map[string]any{})
	r := d.run(t, "doctor")
	expectCode(t, r, exitError, "doctor with an unreachable store")
	expectRows(t, r.stdout, []string{"FAIL", "store"})
	expectContains(t, r.stdout, "environment variable CONFIGSTORE_CLI_TEST_UNSET_DSN is not set")
}

// doctor checks the config_store section's env references before opening
// the store, and lists the unset ones by name and path, never a value.
func TestDoctorStoreConfigEnv(t *testing.T) {
	const user = "doctor-secret-user-0123456789"
	d := &appDir{dir: t.TempDir(), configStore: map[string]any{"enabled": true, "type": "postgres",
		"config": map[string]any{"host": "env.CONFIGSTORE_CLI_TEST_UNSET_HOST", "port": "5432",
			"user": "env.CONFIGSTORE_CLI_TEST_PG_USER", "password": "env.CONFIGSTORE_CLI_TEST_UNSET_PASSWORD",
			"db_name": "gateway", "ssl_mode": "disable"}}}
	d.writeConfig(t, map[string]any{})
	r := d.runInput(t, "", []string{"CONFIGSTORE_CLI_TEST_PG_USER=" + user}, "doctor")
	expectCode(t, r, exitError, "doctor with unset config_store variables")
	expectRows(t, r.stdout, []string{"ok", "config.json"},
		[]string{"FAIL", "config_store", "postgres store config: 2 of 3 referenced variable(s) not set:"},
		[]string{"FAIL", "store"})
	expectContains(t, r.stdout, "CONFIGSTORE_CLI_TEST_UNSET_HOST: config_store.config.host\n",
		"CONFIGSTORE_CLI_TEST_UNSET_PASSWORD: config_store.config.password\n")
	if strings.Contains(r.stdout, "CONFIGSTORE_CLI_TEST_PG_USER:") {
		t.Errorf("doctor lists a set variable as missing:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, user) {
		t.Errorf("doctor printed a variable's value:\n%v", r)
	}
	if c, s := strings.Index(r.stdout, "config_store"), strings.Index(r.stdout, "FAIL  store"); c > s {
		t.Errorf("doctor checks config_store after opening the store:\n%s", r.stdout)
	}

	set := d.runInput(t, "", []string{"CONFIGSTORE_CLI_TEST_PG_USER=" + user, "CONFIGSTORE_CLI_TEST_UNSET_HOST=127.0.0.1",
		"CONFIGSTORE_CLI_TEST_UNSET_PASSWORD=" + user}, "doctor")
	expectRows(t, set.stdout, []string{"ok", "config_store", "postgres store config: 3 referenced variable(s), all set"})
	if strings.Contains(set.stdout+set.stderr, user) {
		t.Errorf("doctor printed a variable's value:\n%v", set)
	}

	fileOnly := &appDir{dir: t.TempDir(), configStore: map[string]any{"enabled": false}}
	fileOnly.writeConfig(t, map[string]any{})
	expectRows(t, fileOnly.mustRun(t, "doctor").stdout, []string{"ok", "config_store", "disabled (file-only mode)"},
		[]string{"ok", "schema", "no schema (memory store)"})
}

// Every command's help has an example; the root's lists the exit codes.
func TestHelp(t *testing.T) {
	help := func(cmd ...string) string {
		out, err := exec.Command(binary, append(cmd, "--help")...).Output()
		if err != nil {
			t.Fatalf("configstore %v --help: %v", cmd, err)
		}
		return string(out)
	}
	for _, cmd := range [][]string{{}, {"apply"}, {"plan"}, {"export"}, {"get"}, {"put"}, {"delete"},
		{"migrate"}, {"migrate", "status"}, {"migrate", "up"}, {"drivers"}, {"doctor"}} {
		if out := help(cmd...); !strings.Contains(out, "Examples:\n  configstore ") {
			t.Errorf("configstore %v --help has no example:\n%s", cmd, out)
		}
	}
	expectContains(t, help(), "Exit codes:", "2  plan --detailed-exitcode", "3  revision conflict")
}

func TestLogLevel(t *testing.T) {
	d := newAppDir(t, backends[0])
	doc := quickstart(t)
	const secret = "sk-log-test-literal-0123456789abcdef"
	doc["providers"].(map[string]any)["openai"].(map[string]any)["keys"].([]any)[0].(map[string]any)["value"] = secret
	d.writeConfig(t, doc)
	r := d.mustRun(t, "apply", "--log-level", "debug")
	expectContains(t, r.stderr, "level=INFO", "configstore startup: config.json reconciled", "level=DEBUG")
	if strings.Contains(r.stderr, secret) || strings.Contains(r.stdout, secret) {
		t.Errorf("a literal secret was printed:\n%v", r)
	}
	if quiet := d.mustRun(t, "plan"); quiet.stderr != "" {
		t.Errorf("plan at the default level logged: %q", quiet.stderr)
	}
	bad := d.run(t, "plan", "--log-level", "loud")
	expectCode(t, bad, exitError, "--log-level loud")
	expectContains(t, bad.stderr, `--log-level "loud": want debug, info, warn or error`)
}

// On a terminal apply draws a progress bar (script(1) gives it a pty); on
// a pipe it draws nothing (TestApply checks stderr is empty).
func TestProgressBarOnTerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed: no pseudo-terminal to test on")
	}
	d := newAppDir(t, backends[0])
	d.writeConfig(t, quickstart(t))
	out, err := exec.Command(script, "-qec", binary+" apply --app-dir "+d.dir, "/dev/null").CombinedOutput()
	if err != nil {
		t.Fatalf("apply on a terminal: %v\n%s", err, out)
	}
	expectContains(t, string(out), "applying", "/19)", "store revision 0 -> 1.")
}
