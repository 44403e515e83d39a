package memory_test

import (
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
	"github.com/gatewaykit/configstore/backends/memory"
	"github.com/gatewaykit/configstore/conformance"
)

// TestConformance runs the whole conformance suite against the memory
// backend, a fresh one per subtest.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Open: func(t *testing.T) configstore.Backend {
		return memory.New(memory.Options{})
	}})
}

// TestBackend runs the Backend contract checks the SQL backends run too.
func TestBackend(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) configstore.Backend { return memory.New(memory.Options{}) })
}
