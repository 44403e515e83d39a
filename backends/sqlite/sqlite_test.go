package sqlite_test

import (
	"testing"

	"github.com/gatewaykit/configstore/conformance"
)

// TestConformance runs the conformance suite, a new database file per
// subtest.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Open: openTemp, Reopen: reopen})
}
