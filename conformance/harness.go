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
	// Reopen, optional, returns another backend on the storage of b (an
	// open backend Open returned), as a second process or gateway node
	// sharing the store would open it: for a database, the same database
	// or schema. The suite closes it. When nil, the SharedStorage group
	// (durability across reopening, several backends on one store) is
	// skipped: a backend whose storage lives in its process, like memory,
	// leaves it nil.
	Reopen func(t *testing.T, b configstore.Backend) configstore.Backend
	// Skip maps a subtest name (as in "VirtualKey/DuplicateName", or a
	// group such as "Concurrency") to the reason the backend lacks that
	// capability; those subtests are skipped with the reason.
	Skip map[string]string
}
