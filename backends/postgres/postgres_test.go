package postgres_test

import (
	"testing"

	"github.com/gatewaykit/configstore/conformance"
)

// TestConformance runs the conformance suite, each subtest on an empty
// schema of its own.
func TestConformance(t *testing.T) {
	h := newHarness(t)
	conformance.Run(t, conformance.Harness{Open: h.open, Reopen: h.reopen})
}
