package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
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
		expectRows(t, r.stdout, []string{"ok", "config.json"}, []string{"ok", "store", b.name + " store reachable, revision 2"},
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
