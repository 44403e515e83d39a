package reconcile_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/reconcile"
)

// TestBadFileChangesNothing: a truncated file, an unknown field and a
// dangling reference each fail the start with an error naming the
// problem, and leave the store exactly as it was. Each file names the
// backend's store in its config_store section (the truncated one too: the
// cut comes after it), so that a start that wrote anything would write it
// into the store the test checks.
func TestBadFileChangesNothing(t *testing.T) {
	cases := []struct {
		name string
		file func(t *testing.T, app *appDir) []byte
		want string // in the error message
	}{
		{"truncated", func(t *testing.T, app *appDir) []byte {
			doc := withStore(t, app, fullConfig)
			cut := doc[:len(doc)/2]
			section, err := json.Marshal(app.configStore)
			must(t, err)
			if !strings.Contains(cut, `"config_store":`+string(section)) {
				t.Fatalf("the truncated file %s lacks the config_store section %s", cut, section)
			}
			return []byte(cut)
		}, "invalid JSON: unexpected end of JSON input"},
		{"unknown field", func(t *testing.T, app *appDir) []byte {
			return []byte(edit(t, withStore(t, app, fullConfig), func(m map[string]any) {
				obj(list(m, "governance", "virtual_keys")[0])["max_budget"] = 5
			}))
		}, "max_budget"},
		{"dangling reference", func(t *testing.T, app *appDir) []byte {
			return []byte(edit(t, withStore(t, app, fullConfig), func(m map[string]any) {
				pc := obj(list(obj(list(m, "governance", "virtual_keys")[0]), "provider_configs")[0])
				pc["key_ids"] = []any{"k-missing"}
			}))
		}, "k-missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, app *appDir) {
				app.write(t, fullConfig)
				app.restart(t, reconcile.Options{})
				apiEdit(t, app, 5, 250)
				var before string
				app.withStore(t, func(s configstore.ConfigStore) { before = snapshot(t, s) })

				// A changed file would update entities, were it valid.
				app.writeRaw(t, c.file(t, app))
				res, err := app.tryStart(reconcile.Options{SourceOfTruth: "config.json"})
				if err == nil {
					_ = res.Store.Close()
					t.Fatal("the start succeeded")
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Fatalf("error %q does not name %q", err, c.want)
				}
				app.withStore(t, func(s configstore.ConfigStore) {
					if after := snapshot(t, s); after != before {
						t.Fatalf("a bad file changed the store:\nbefore %s\nafter %s", before, after)
					}
				})
			})
		})
	}
}

// withStore returns doc with the app dir's config_store section.
func withStore(t *testing.T, app *appDir, doc string) string {
	return edit(t, doc, func(m map[string]any) { m["config_store"] = app.configStore })
}

// TestFailedApplyChangesNothing: when the store refuses a write in the
// middle of an apply (a new key whose name is taken by an API-created
// key, after a rate limit, a budget and a provider were written), the
// start fails and the store is exactly as before.
func TestFailedApplyChangesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, fullConfig)
		app.restart(t, reconcile.Options{})
		app.withStore(t, func(s configstore.ConfigStore) {
			must(t, s.CreateKey(ctx, &configstore.Key{ID: "api-key", Provider: "openai", Name: "taken",
				Value: configstore.NewEnvVar("env.TAKEN"), Weight: 1}))
		})
		var before string
		var markBefore *configstore.ReconcileMark
		app.withStore(t, func(s configstore.ConfigStore) {
			before = snapshot(t, s)
			var err error
			markBefore, err = s.GetReconcileMark(ctx)
			must(t, err)
		})
		app.write(t, edit(t, fullConfig, func(m map[string]any) {
			gov := obj(m, "governance")
			gov["rate_limits"] = append(list(m, "governance", "rate_limits"),
				map[string]any{"id": "rl-new", "request_max_limit": 5, "request_reset_duration": "1m"})
			gov["budgets"] = append(list(m, "governance", "budgets"),
				map[string]any{"id": "b-new", "max_limit": 5, "reset_duration": "1d"})
			obj(m, "providers", "anthropic")["send_back_raw_response"] = true
			obj(m, "providers", "openai")["keys"] = append(list(m, "providers", "openai", "keys"),
				map[string]any{"id": "k-new", "name": "taken", "value": "env.NEW", "weight": 1})
			m["plugins"] = append(list(m, "plugins"), map[string]any{"name": "after", "enabled": true})
		}))
		var progressed int
		res, err := app.tryStart(reconcile.Options{Progress: func(done, total int) { progressed = done }})
		if err == nil {
			_ = res.Store.Close()
			t.Fatal("the start succeeded")
		}
		if !errors.Is(err, configstore.ErrAlreadyExists) || !strings.Contains(err.Error(), "k-new") {
			t.Fatalf("error %v, want ErrAlreadyExists naming k-new", err)
		}
		if progressed < 3 {
			t.Fatalf("the apply failed after %d writes, want it to fail after some", progressed)
		}
		app.withStore(t, func(s configstore.ConfigStore) {
			if after := snapshot(t, s); after != before {
				t.Fatalf("a failed apply changed the store:\nbefore %s\nafter %s", before, after)
			}
			mark, err := s.GetReconcileMark(ctx)
			must(t, err)
			if *mark != *markBefore {
				t.Fatalf("a failed apply moved the reconcile mark from %+v to %+v", *markBefore, *mark)
			}
		})
	})
}

// TestStaleChangesetConflicts: applying a plan after the store moved fails
// with ErrConflict and writes nothing.
func TestStaleChangesetConflicts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, app *appDir) {
		ctx := context.Background()
		app.write(t, fullConfig)
		res := app.start(t, reconcile.Options{DryRun: true})
		if res.Applied || len(res.Plan.Entries) == 0 {
			t.Fatalf("dry run: applied %v, %d entries", res.Applied, len(res.Plan.Entries))
		}
		must(t, res.Store.CreatePlugin(ctx, &configstore.Plugin{Name: "meanwhile"}))
		before := snapshot(t, res.Store)
		err := reconcile.Apply(ctx, res.Store, res.Plan)
		if !errors.Is(err, configstore.ErrConflict) {
			t.Fatalf("apply of a stale plan: %v, want ErrConflict", err)
		}
		if after := snapshot(t, res.Store); after != before {
			t.Fatalf("a stale plan changed the store:\nbefore %s\nafter %s", before, after)
		}
	})
}

// TestDecodedChangesetIsRefused: a changeset decoded from its JSON (which
// carries no planned values) is refused with ErrInvalid, not applied as a
// no-op.
func TestDecodedChangesetIsRefused(t *testing.T) {
	app := newAppDir(t, backends[0])
	app.write(t, fullConfig)
	res := app.start(t, reconcile.Options{DryRun: true})
	data, err := json.Marshal(res.Plan)
	must(t, err)
	var decoded reconcile.Changeset
	must(t, json.Unmarshal(data, &decoded))
	if err := reconcile.Apply(context.Background(), res.Store, &decoded); !errors.Is(err, configstore.ErrInvalid) {
		t.Fatalf("apply of a decoded changeset: %v, want ErrInvalid", err)
	}
	if rev := revision(t, res.Store); rev != 0 {
		t.Fatalf("revision %d, want 0", rev)
	}
}

// killChildEnv makes the test binary the process that gets killed in the
// middle of an apply: its value is the app dir.
const killChildEnv = "RECONCILE_TEST_KILL_CHILD_APP_DIR"

// midway is the line the child prints when half of its apply is written.
const midway = "midway"

// TestKilledApplyChangesNothing: a process killed (SIGKILL) in the middle
// of applying a large file leaves the store exactly as it was, and the
// next start applies the file. The child finds the store, SQLite or
// PostgreSQL, in the config_store section of the app dir's config.json.
func TestKilledApplyChangesNothing(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(dir)
		return
	}
	forEachBackend(t, killedApplyChangesNothing)
}

// killedApplyChangesNothing is TestKilledApplyChangesNothing on one app
// dir.
func killedApplyChangesNothing(t *testing.T, app *appDir) {
	app.write(t, fullConfig)
	app.restart(t, reconcile.Options{})
	var before string
	app.withStore(t, func(s configstore.ConfigStore) { before = snapshot(t, s) })
	app.write(t, largeConfig(t, 1000))

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledApplyChangesNothing$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+app.dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // the child blocks reading it until killed
	must(t, err)
	defer stdin.Close()
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	lines := bufio.NewScanner(out)
	reached := false
	for !reached && lines.Scan() {
		reached = lines.Text() == midway
	}
	if !reached {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the child ended before the middle of its apply (%v)", lines.Err())
	}
	must(t, cmd.Process.Signal(syscall.SIGKILL))
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the child was not killed: %v", err)
	}

	app.withStore(t, func(s configstore.ConfigStore) {
		if after := snapshot(t, s); after != before {
			t.Fatalf("a killed apply changed the store:\nbefore %s\nafter %s", before, after)
		}
	})
	plan := app.restart(t, reconcile.Options{})
	if n := plan.Counts()[reconcile.ActionCreate]; n != 3000 {
		t.Fatalf("the start after the kill created %d entities, want 3000", n)
	}
}

// killChild applies the app dir's file, and when half of it is written
// prints midway and blocks until it is killed.
func killChild(dir string) {
	_, err := reconcile.Startup(context.Background(), dir, reconcile.Options{Logger: quiet,
		Progress: func(done, total int) {
			if done == total/2 {
				fmt.Println(midway)
				_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // never comes: the parent kills us
			}
		}})
	fmt.Fprintf(os.Stderr, "kill child: the apply ended (%v)\n", err)
	os.Exit(1)
}

// largeConfig returns fullConfig plus n virtual keys, each with a budget
// it owns and a rate limit of its own.
func largeConfig(t *testing.T, n int) string {
	return edit(t, fullConfig, func(m map[string]any) {
		gov := obj(m, "governance")
		for i := range n {
			vk, rl, b := fmt.Sprintf("vk-load-%05d", i), fmt.Sprintf("rl-load-%05d", i), fmt.Sprintf("b-load-%05d", i)
			gov["virtual_keys"] = append(gov["virtual_keys"].([]any), map[string]any{"id": vk, "name": vk,
				"value": "sk-bf-load-" + vk, "is_active": true, "rate_limit_id": rl,
				"provider_configs": []any{map[string]any{"provider": "openai", "key_ids": []any{"k-openai"}}}})
			gov["rate_limits"] = append(gov["rate_limits"].([]any), map[string]any{"id": rl,
				"request_max_limit": 100, "request_reset_duration": "1m"})
			gov["budgets"] = append(gov["budgets"].([]any), map[string]any{"id": b, "max_limit": 10,
				"reset_duration": "1d", "virtual_key_id": vk})
		}
	})
}
