// Package deepcopy copies Go values without sharing memory with them: the
// entities config.json is decoded into before they are normalized, and the
// entities a store keeps decoded before it hands one out.
package deepcopy

import (
	"reflect"
	"sync"
)

// Copy sets dst, a settable value of src's type, to a copy of src that
// shares no pointer, slice or map with it, so that changing the copy in
// place leaves src as it was. Unexported fields
// are copied as they are: those of the entity types (EnvVar's strings,
// time.Time's location) are immutable. Values that hold no pointer, slice,
// map or interface (see sharesMemory) are copied whole, without walking
// them.
func Copy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		Copy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		Copy(v, src.Elem())
		dst.Set(v)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if sharesMemory(src.Type().Elem()) {
			for i := range src.Len() {
				Copy(s.Index(i), src.Index(i))
			}
		} else {
			reflect.Copy(s, src)
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		deep := sharesMemory(src.Type().Elem())
		for it := src.MapRange(); it.Next(); {
			v := it.Value()
			if deep {
				v = reflect.New(src.Type().Elem()).Elem()
				Copy(v, it.Value())
			}
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src)
		for _, i := range sharingFields(src.Type()) {
			Copy(dst.Field(i), src.Field(i))
		}
	default:
		dst.Set(src)
	}
}

// sharesMemory reports whether a copy of a value of type t made by
// assignment may share memory with it that Copy copies: t is or holds,
// in an exported field, a pointer, slice, map or interface.
func sharesMemory(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return true
	case reflect.Struct:
		return len(sharingFields(t)) > 0
	}
	return false
}

// sharingFieldsByType caches sharingFields: reflect.Type -> []int.
var sharingFieldsByType sync.Map

// sharingFields returns the indexes of the exported fields of struct type
// t whose type sharesMemory: the fields Copy copies one by one.
func sharingFields(t reflect.Type) []int {
	if fs, ok := sharingFieldsByType.Load(t); ok {
		return fs.([]int)
	}
	var fs []int
	for i := range t.NumField() {
		if sf := t.Field(i); sf.IsExported() && sharesMemory(sf.Type) {
			fs = append(fs, i)
		}
	}
	actual, _ := sharingFieldsByType.LoadOrStore(t, fs)
	return actual.([]int)
}
