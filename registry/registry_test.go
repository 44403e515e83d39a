package registry_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore/registry"
)

type thing struct{ n int }

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("%s: expected a panic", what)
		}
	}()
	f()
}

func TestRegisterLookupNames(t *testing.T) {
	var r registry.Registry[*thing]
	r.Register("b", &thing{2})
	r.Register("a", &thing{1})
	if got := r.Names(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("Names() = %v, want [a b]", got)
	}
	v, ok := r.Lookup("b")
	if !ok || v.n != 2 {
		t.Fatalf("Lookup(b) = %v, %v", v, ok)
	}
	if _, ok := r.Lookup("c"); ok {
		t.Fatal("Lookup(c) found a value that was never registered")
	}
}

func TestRegisterPanics(t *testing.T) {
	var r registry.Registry[*thing]
	mustPanic(t, "empty name", func() { r.Register("", &thing{}) })
	mustPanic(t, "nil value", func() { r.Register("x", nil) })
	r.Register("x", &thing{})
	mustPanic(t, "duplicate", func() { r.Register("x", &thing{}) })
	var fr registry.Registry[func()]
	mustPanic(t, "nil func", func() { fr.Register("f", nil) })
}

func TestConcurrentUse(t *testing.T) {
	var r registry.Registry[int]
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(2)
		go func() { defer wg.Done(); r.Register(fmt.Sprintf("n%02d", i), i) }()
		go func() { defer wg.Done(); _ = r.Names(); r.Lookup("n00") }()
	}
	wg.Wait()
	names := r.Names()
	if len(names) != 50 || !slices.IsSorted(names) {
		t.Fatalf("got %d names (sorted=%v), want 50 sorted", len(names), slices.IsSorted(names))
	}
}
