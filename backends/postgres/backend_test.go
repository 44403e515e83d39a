package postgres_test

import (
	"testing"

	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestBackend checks the Backend contract directly, a new schema per
// subtest.
func TestBackend(t *testing.T) {
	backendtest.Run(t, openSchema)
}
