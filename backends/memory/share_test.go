package memory_test

import (
	"context"
	"math"
	"testing"
	"unsafe"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// boxOf returns where the interface value v keeps its value.
func boxOf(v any) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] }

// TestRowsShareEqualValues: rows inserted one after the other in a
// transaction, and a row and its update, hold one box for a value they
// share, whoever boxed it; values that differ stay their own.
func TestRowsShareEqualValues(t *testing.T) {
	b := newBackend()
	rl := backendtest.Kind(t, "rate_limit")
	duration := func() any { return string([]byte("1h")) } // a new box each time
	one := backendtest.Record(t, rl, "rl-1", map[string]any{"token_reset_duration": duration()})
	two := backendtest.Record(t, rl, "rl-2", map[string]any{"token_reset_duration": duration()})
	if boxOf(one["token_reset_duration"]) == boxOf(two["token_reset_duration"]) {
		t.Fatal("the records share a box to begin with")
	}
	backendtest.Insert(t, b, rl, one, two)
	first, second := backendtest.Get(t, b, rl, "rl-1"), backendtest.Get(t, b, rl, "rl-2")
	if boxOf(first["token_reset_duration"]) != boxOf(second["token_reset_duration"]) {
		t.Error("two rows inserted in a row hold equal values in two boxes")
	}
	if boxOf(first["id"]) == boxOf(second["id"]) {
		t.Error("the rows share a box for values that differ")
	}
	updated := backendtest.Record(t, rl, "rl-1", map[string]any{"token_reset_duration": duration(), "request_reset_duration": "1m"})
	write(t, b, func(tx configstore.Tx) error {
		return tx.Update(context.Background(), rl, updated, first["revision"].(int64))
	})
	after := backendtest.Get(t, b, rl, "rl-1")
	if boxOf(after["token_reset_duration"]) != boxOf(first["token_reset_duration"]) {
		t.Error("an update holds a value it did not change in a box of its own")
	}
	if after["request_reset_duration"] != "1m" {
		t.Errorf("updated request_reset_duration = %v", after["request_reset_duration"])
	}
}

// TestRowsKeepTheSignOfZero: 0 and -0 are two stored values, as on the SQL
// backends: a row does not take the other's through sharing.
func TestRowsKeepTheSignOfZero(t *testing.T) {
	b := newBackend()
	budget := backendtest.Kind(t, "budget")
	negativeZero := math.Copysign(0, -1)
	backendtest.Insert(t, b, budget,
		backendtest.Record(t, budget, "b-1", map[string]any{"max_limit": 0.0, "reset_duration": "1h"}),
		backendtest.Record(t, budget, "b-2", map[string]any{"max_limit": negativeZero, "reset_duration": "1h"}))
	if got := backendtest.Get(t, b, budget, "b-2")["max_limit"].(float64); !math.Signbit(got) {
		t.Errorf("b-2 max_limit = %v, want -0", got)
	}
	first := backendtest.Get(t, b, budget, "b-1")
	updated := backendtest.Record(t, budget, "b-1", map[string]any{"max_limit": negativeZero, "reset_duration": "1h"})
	write(t, b, func(tx configstore.Tx) error {
		return tx.Update(context.Background(), budget, updated, first["revision"].(int64))
	})
	if got := backendtest.Get(t, b, budget, "b-1")["max_limit"].(float64); !math.Signbit(got) {
		t.Errorf("b-1 updated from 0 to -0 reads %v", got)
	}
}
