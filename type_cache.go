package configstore

import (
	"reflect"
	"sync"
)

// typeCache memoizes a computation over types (which fields of a struct
// type hold secrets, how encoding/json sees its fields, ...): each type's
// value is computed on first use and kept. Concurrent first uses may
// compute it more than once; the first value stored is the one kept.
type typeCache[V any] struct {
	compute func(reflect.Type) V
	values  sync.Map // reflect.Type -> V
}

// get returns the value of t.
func (c *typeCache[V]) get(t reflect.Type) V {
	if v, ok := c.values.Load(t); ok {
		return v.(V)
	}
	v, _ := c.values.LoadOrStore(t, c.compute(t))
	return v.(V)
}
