// Package registry is a small, generic, concurrency-safe name -> value registry.
//
// It is the mechanism behind configstore.Register: the root package declares
// its driver registry with it. It imports nothing from the module so that the
// root package can import it.
package registry

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
)

// Registry maps names to values of type T. The zero value is ready to use.
type Registry[T any] struct {
	mu     sync.RWMutex
	values map[string]T
}

// Register adds value under name. It panics if name is empty, value is nil,
// or name is already registered: these are programming errors in an init().
func (r *Registry[T]) Register(name string, value T) {
	if name == "" {
		panic("registry: Register with an empty name")
	}
	if isNil(value) {
		panic(fmt.Sprintf("registry: Register %q with a nil value", name))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.values[name]; dup {
		panic(fmt.Sprintf("registry: Register called twice for %q", name))
	}
	if r.values == nil {
		r.values = make(map[string]T)
	}
	r.values[name] = value
}

// Lookup returns the value registered under name.
func (r *Registry[T]) Lookup(name string) (T, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.values[name]
	return v, ok
}

// Names returns the registered names, sorted.
func (r *Registry[T]) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.values))
	for name := range r.values {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
