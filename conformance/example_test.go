package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/conformance"
)

// A third party's backend registers its driver from init(), exactly like a
// database/sql driver; gateways then select it by name in the config_store
// section of config.json.
func init() {
	configstore.Register("mybackend", configstore.DriverFunc(openMyBackend))
}

// openMyBackend stands for the third party's driver: it opens its storage
// from its own JSON configuration and returns a configstore.Backend.
func openMyBackend(ctx context.Context, config json.RawMessage, opts configstore.OpenOptions) (configstore.Backend, error) {
	return nil, errors.New("mybackend: this example has no storage")
}

// myHarness is what the third party's test file passes to conformance.Run:
// a function opening a fresh, empty backend for each subtest (here in the
// subtest's temporary directory) and the behaviours it does not support.
var myHarness = conformance.Harness{
	Open: func(t *testing.T) configstore.Backend {
		config, _ := json.Marshal(map[string]string{"dir": t.TempDir()})
		b, err := openMyBackend(t.Context(), config, configstore.OpenOptions{})
		if err != nil {
			t.Fatalf("open mybackend: %v", err)
		}
		return b
	},
	// Reopen, when the storage outlives a backend (a file, a database),
	// opens a second backend on the storage of b, enabling the
	// SharedStorage group: durability and several nodes on one store.
	Reopen: nil,
	// Skip, by group or subtest name, what the backend cannot do, with
	// the reason; every other subtest must pass.
	Skip: map[string]string{
		"Context/CanceledWriteFails": "mybackend ignores cancellation (example)",
	},
}

// Example_thirdPartyBackend shows how a third party proves its backend:
// its driver registers itself, and its own test file runs the suite with a
// harness:
//
//	func TestMyBackend(t *testing.T) {
//		conformance.Run(t, myHarness)
//	}
//
// `go test -v` then lists every behaviour by name, for example
// TestMyBackend/VirtualKey/DuplicateName or
// TestMyBackend/Transaction/PanicRollsBack, and
// `go test -run 'TestMyBackend/Transaction/'` runs one group.
func Example_thirdPartyBackend() {
	fmt.Println(slices.Contains(configstore.Drivers(), "mybackend"))
	fmt.Println(myHarness.Open != nil)
	// Output:
	// true
	// true
}
