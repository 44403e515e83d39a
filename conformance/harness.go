package conformance

import (
	"testing"

	"github.com/gatewaykit/configstore"
)

// Harness opens backends for the suite.
type Harness struct {
	// Open returns a new, empty backend for one subtest. The suite closes
	// it; Open may register further cleanup with t.Cleanup.
	Open func(t *testing.T) configstore.Backend
	// Skip maps a subtest name (as in "VirtualKey/DuplicateName", or a
	// group such as "Concurrency") to the reason the backend lacks that
	// capability; those subtests are skipped with the reason.
	Skip map[string]string
}
