package memory_test

import (
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
)

// TestListConjunctionThroughIndex: the indexed condition (a reference) comes
// after an unindexed one; the planner must still apply both.
func TestListConjunctionThroughIndex(t *testing.T) {
	b := newBackend()
	team, cust := kind(t, "team"), kind(t, "customer")
	insert(t, b, cust, record(t, cust, "c1", nil), record(t, cust, "c2", nil))
	insert(t, b, team,
		record(t, team, "t1", map[string]any{"name": "b", "customer_id": "c1", "revision": int64(3)}),
		record(t, team, "t2", map[string]any{"name": "B", "customer_id": "c2", "revision": int64(1)}),
		record(t, team, "t3", map[string]any{"name": "z", "revision": int64(2)}),
	)
	q := configstore.Query{Where: []configstore.Condition{configstore.Greater("revision", int64(0)), configstore.Eq("customer_id", "c2")}}
	if got := keys(t, b, team, q); !slices.Equal(got, []string{"t2"}) {
		t.Fatalf("got %v, want [t2]", got)
	}
}
