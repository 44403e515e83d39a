package memory_test

import (
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestListConjunctionThroughIndex: the indexed condition (a reference) comes
// after an unindexed one; the planner must still apply both.
func TestListConjunctionThroughIndex(t *testing.T) {
	b := newBackend()
	team, cust := backendtest.Kind(t, "team"), backendtest.Kind(t, "customer")
	backendtest.Insert(t, b, cust, backendtest.Record(t, cust, "c1", nil), backendtest.Record(t, cust, "c2", nil))
	backendtest.Insert(t, b, team,
		backendtest.Record(t, team, "t1", map[string]any{"name": "b", "customer_id": "c1", "revision": int64(3)}),
		backendtest.Record(t, team, "t2", map[string]any{"name": "B", "customer_id": "c2", "revision": int64(1)}),
		backendtest.Record(t, team, "t3", map[string]any{"name": "z", "revision": int64(2)}),
	)
	q := configstore.Query{Where: []configstore.Condition{configstore.Greater("revision", int64(0)), configstore.Eq("customer_id", "c2")}}
	if got := keys(t, b, team, q); !slices.Equal(got, []string{"t2"}) {
		t.Fatalf("got %v, want [t2]", got)
	}
}
