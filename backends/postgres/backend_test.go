package postgres_test

import (
	"testing"

	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestBackend checks the Backend contract directly, each subtest on an
// empty schema of its own.
func TestBackend(t *testing.T) {
	backendtest.Run(t, newHarness(t).open)
}
