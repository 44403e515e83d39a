package conformance_test

// The suite's own test: a conforming backend (memory, wrapped) with one
// fault injected at a time must fail the subtests that cover that
// behaviour. It proves the suite's assertions can fail. This test-only
// file uses the memory backend as the base; the conformance package itself
// imports no backend.

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
	"github.com/gatewaykit/configstore/conformance"
)

const faultEnv = "CONFORMANCE_SELFTEST_FAULT"

// faults maps each injected fault to subtests that must catch it.
var faults = map[string][]string{
	// Get and List lose a field of a virtual key.
	"drop-field": {"VirtualKey/RoundTripAllFields", "VirtualKey/Update"},
	// JSON columns come back re-encoded (keys sorted, numbers reformatted).
	"reencode-json": {"Plugin/RoundTripAllFields", "VectorStoreConfig/RoundTripAllFields"},
	// Empty lists and maps come back as NULL.
	"empty-as-null": {"Key/RoundTripEmptyListsStayEmpty", "Team/RoundTripEmptyListsStayEmpty"},
	// List ignores the order.
	"unordered": {"Provider/ListOrderedByKey", "Budget/ListOrderedByKey"},
	// A failed transaction commits what it wrote.
	"no-rollback": {"Transaction/ErrorRollsBack", "Provider/RolledBackCreateLeavesNothing", "ChangeLog/NothingForRolledBackTransaction"},
	// Readers see the open write transaction.
	"dirty-read": {"Transaction/WritesInvisibleOutsideUntilCommit"},
}

// TestSuiteCatchesFaults runs the suite in a child process per fault and
// checks that the expected subtests fail.
func TestSuiteCatchesFaults(t *testing.T) {
	if os.Getenv(faultEnv) != "" {
		t.Skip("inside a fault run")
	}
	if testing.Short() {
		t.Skip("runs the suite once per fault")
	}
	for fault, mustFail := range faults {
		t.Run(fault, func(t *testing.T) {
			pattern := "^TestFaultyBackend$/^(" + strings.Join(groupsOf(mustFail), "|") + ")$"
			cmd := exec.Command(os.Args[0], "-test.run="+pattern, "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), faultEnv+"="+fault)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed against a backend with fault %q", fault)
			}
			failed := map[string]bool{}
			for _, m := range regexp.MustCompile(`--- FAIL: TestFaultyBackend/(\S+)`).FindAllStringSubmatch(string(out), -1) {
				failed[m[1]] = true
			}
			for _, name := range mustFail {
				if !failed[name] {
					t.Errorf("with fault %q, subtest %s passed; it must fail", fault, name)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}

func groupsOf(names []string) []string {
	var gs []string
	for _, n := range names {
		g, _, _ := strings.Cut(n, "/")
		if !slices.Contains(gs, g) {
			gs = append(gs, g)
		}
	}
	return gs
}

// TestFaultyBackend is the child process of TestSuiteCatchesFaults.
func TestFaultyBackend(t *testing.T) {
	fault := os.Getenv(faultEnv)
	if fault == "" {
		t.Skip("only run by TestSuiteCatchesFaults")
	}
	conformance.Run(t, conformance.Harness{Open: func(t *testing.T) configstore.Backend {
		return &faulty{Backend: memory.New(memory.Options{}), fault: fault}
	}})
}

// faulty wraps a backend and injects one fault.
type faulty struct {
	configstore.Backend
	fault string
	mu    sync.Mutex
	open  configstore.Tx // the open write transaction, for dirty-read
}

func (b *faulty) Read(ctx context.Context, fn func(r configstore.Reader) error) error {
	if b.fault == "dirty-read" {
		b.mu.Lock()
		open := b.open
		b.mu.Unlock()
		if open != nil {
			return fn(open)
		}
	}
	return b.Backend.Read(ctx, func(r configstore.Reader) error { return fn(faultyReader{r, b.fault}) })
}

func (b *faulty) Write(ctx context.Context, fn func(tx configstore.Tx) error) error {
	var fnErr error
	err := b.Backend.Write(ctx, func(tx configstore.Tx) error {
		b.mu.Lock()
		b.open = tx
		b.mu.Unlock()
		defer func() {
			b.mu.Lock()
			b.open = nil
			b.mu.Unlock()
		}()
		fnErr = fn(faultyTx{tx, b.fault})
		if b.fault == "no-rollback" {
			return nil
		}
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

type faultyReader struct {
	configstore.Reader
	fault string
}

func (r faultyReader) Get(ctx context.Context, kind *configstore.Kind, key string) (configstore.Record, error) {
	rec, err := r.Reader.Get(ctx, kind, key)
	return mangle(r.fault, kind, rec), err
}

func (r faultyReader) List(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	recs, err := r.Reader.List(ctx, kind, q)
	for i := range recs {
		recs[i] = mangle(r.fault, kind, recs[i])
	}
	if r.fault == "unordered" {
		slices.Reverse(recs)
	}
	return recs, err
}

type faultyTx struct {
	configstore.Tx
	fault string
}

func (t faultyTx) Get(ctx context.Context, kind *configstore.Kind, key string) (configstore.Record, error) {
	return faultyReader{t.Tx, t.fault}.Get(ctx, kind, key)
}

func (t faultyTx) List(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	return faultyReader{t.Tx, t.fault}.List(ctx, kind, q)
}

// mangle returns a changed copy of rec, as the fault has it.
func mangle(fault string, kind *configstore.Kind, rec configstore.Record) configstore.Record {
	if rec == nil {
		return nil
	}
	out := make(configstore.Record, len(rec))
	for k, v := range rec {
		out[k] = v
	}
	for _, f := range kind.Fields {
		s, isString := out[f.Name].(string)
		switch {
		case fault == "drop-field" && kind.Name == "virtual_key" && f.Name == "description":
			out[f.Name] = ""
		case fault == "reencode-json" && f.Type == configstore.TypeJSON && isString:
			var x any
			if json.Unmarshal([]byte(s), &x) == nil {
				b, _ := json.Marshal(x)
				out[f.Name] = string(b)
			}
		case fault == "empty-as-null" && f.Type == configstore.TypeJSON && (s == "[]" || s == "{}"):
			out[f.Name] = nil
		}
	}
	return out
}
