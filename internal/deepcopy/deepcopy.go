// Package deepcopy copies Go values without sharing memory with them: the
// entities config.json is decoded into before they are normalized, and the
// entities a store keeps decoded before it hands one out.
package deepcopy

import (
	"reflect"
	"sync"
	"unsafe"
)

// Of returns a pointer to a copy of *v that shares no pointer, slice, map
// or interface value with it, so that changing the copy in place leaves
// *v as it was. Unexported fields are copied as they are: those of the
// entity types (EnvVar's strings, time.Time's location) are immutable.
func Of[T any](v *T) *T {
	out := new(T)
	*out = *v
	deepen(reflect.TypeFor[T](), unsafe.Pointer(out))
	return out
}

// Value is Of for a value whose type is known at run time: it returns a
// pointer to a copy of v.
func Value(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type())
	out.Elem().Set(v)
	deepen(v.Type(), out.UnsafePointer())
	return out
}

// deepener replaces, in the value of its type at p (a copy made by
// assignment), every pointer, slice, map and interface value that an
// assignment shares with the original by a copy of its own. A nil deepener
// stands for a type whose assignment shares nothing.
type deepener func(p unsafe.Pointer)

// deepeners caches deepenerOf: reflect.Type -> plan.
var deepeners sync.Map

// plan holds the deepener of one type (nil: nothing to deepen).
type plan struct{ deepen deepener }

// deepen deepens the value of type t at p.
func deepen(t reflect.Type, p unsafe.Pointer) {
	if d := deepenerOf(t); d != nil {
		d(p)
	}
}

// deepenerOf returns the deepener of t, compiled once.
func deepenerOf(t reflect.Type) deepener {
	if pl, ok := deepeners.Load(t); ok {
		return pl.(*plan).deepen
	}
	pl, _ := deepeners.LoadOrStore(t, &plan{compile(t, map[reflect.Type]*deepener{})})
	return pl.(*plan).deepen
}

// compile builds the deepener of t. compiling holds the types being
// compiled further up, for a type that contains itself: their deepeners
// are called through the cell that receives them.
func compile(t reflect.Type, compiling map[reflect.Type]*deepener) deepener {
	if cell, ok := compiling[t]; ok {
		return func(p unsafe.Pointer) {
			if *cell != nil {
				(*cell)(p)
			}
		}
	}
	cell := new(deepener)
	compiling[t] = cell
	defer delete(compiling, t)
	switch t.Kind() {
	case reflect.Pointer:
		elem := t.Elem()
		sub := compile(elem, compiling)
		if pointerless(elem) {
			size := elem.Size()
			*cell = func(p unsafe.Pointer) { // no write barriers to keep: copy the bytes
				old := *(*unsafe.Pointer)(p)
				if old == nil {
					return
				}
				v := reflect.New(elem).UnsafePointer()
				copy(unsafe.Slice((*byte)(v), size), unsafe.Slice((*byte)(old), size))
				*(*unsafe.Pointer)(p) = v
			}
			break
		}
		*cell = func(p unsafe.Pointer) {
			old := *(*unsafe.Pointer)(p)
			if old == nil {
				return
			}
			v := reflect.New(elem)
			v.Elem().Set(reflect.NewAt(elem, old).Elem())
			if sub != nil {
				sub(v.UnsafePointer())
			}
			*(*unsafe.Pointer)(p) = v.UnsafePointer()
		}
	case reflect.Slice:
		sub, size := compile(t.Elem(), compiling), t.Elem().Size()
		switch t.Elem().Kind() { // the common lists, without reflect: the layout is all that counts
		case reflect.String:
			*cell = func(p unsafe.Pointer) { cloneSlice((*[]string)(p)) }
			return *cell
		case reflect.Uint8:
			*cell = func(p unsafe.Pointer) { cloneSlice((*[]byte)(p)) }
			return *cell
		}
		*cell = func(p unsafe.Pointer) {
			old := reflect.NewAt(t, p).Elem()
			if old.IsNil() {
				return
			}
			s := reflect.MakeSlice(t, old.Len(), old.Len())
			reflect.Copy(s, old)
			data := s.UnsafePointer()
			if sub != nil {
				for i := range s.Len() {
					sub(unsafe.Add(data, uintptr(i)*size))
				}
			}
			old.Set(s)
		}
	case reflect.Map:
		elem := t.Elem()
		sub := compile(elem, compiling)
		*cell = func(p unsafe.Pointer) {
			old := reflect.NewAt(t, p).Elem()
			if old.IsNil() {
				return
			}
			m := reflect.MakeMapWithSize(t, old.Len())
			for it := old.MapRange(); it.Next(); {
				v := it.Value()
				if sub != nil {
					c := reflect.New(elem)
					c.Elem().Set(v)
					sub(c.UnsafePointer())
					v = c.Elem()
				}
				m.SetMapIndex(it.Key(), v)
			}
			old.Set(m)
		}
	case reflect.Interface:
		*cell = func(p unsafe.Pointer) {
			old := reflect.NewAt(t, p).Elem()
			if old.IsNil() {
				return
			}
			old.Set(Value(old.Elem()).Elem())
		}
	case reflect.Struct:
		type field struct {
			offset uintptr
			deepen deepener
		}
		var fields []field
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				if d := compile(f.Type, compiling); d != nil {
					fields = append(fields, field{f.Offset, d})
				}
			}
		}
		if len(fields) > 0 {
			*cell = func(p unsafe.Pointer) {
				for _, f := range fields {
					f.deepen(unsafe.Add(p, f.offset))
				}
			}
		}
	case reflect.Array:
		sub, size := compile(t.Elem(), compiling), t.Elem().Size()
		if sub != nil {
			*cell = func(p unsafe.Pointer) {
				for i := range t.Len() {
					sub(unsafe.Add(p, uintptr(i)*size))
				}
			}
		}
	}
	return *cell
}

// cloneSlice replaces *s by a copy, keeping nil nil.
func cloneSlice[E any](s *[]E) {
	if *s != nil {
		*s = append(make([]E, 0, len(*s)), *s...)
	}
}

// pointerless reports whether values of t hold no pointers: numbers and
// booleans, and arrays and structs of them.
func pointerless(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return pointerless(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerless(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}
