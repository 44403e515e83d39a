package configfile

import (
	"bytes"
	"cmp"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatewaykit/configstore"
)

// canonicalWriter writes the canonical JSON of a Go value straight from the
// value: the bytes appendJSON writes for canonical(configstore.StoredValue(v)),
// without building the tree, which for a config.json of thousands of
// entities is most of what hashing them costs. Values it has no direct way
// for (times, json.RawMessage, an EnvVar in its object form, interface
// values, JSON marshalers, maps not keyed by string, non-finite numbers,
// struct types whose JSON names collide) take the tree, that value alone.
// Its stacks hold a set's elements while they are sorted and a map's
// members while their names are; a writer is reused (see canonicalWriters).
type canonicalWriter struct {
	out     []byte
	encoded []byte     // copies of a set's element encodings, while they are sorted
	ends    []int      // where each element's encoding ends, in the output
	spans   [][]byte   // the element encodings, in encoded, sorted
	members []mapEntry // a map's members, while they are sorted by name
}

// mapEntry is one member of a map being written.
type mapEntry struct {
	name  string
	value reflect.Value
}

// canonicalWriters holds writers for HashNormalized, which the reconciler
// calls for every entity of a config.json: each reuses the buffers of an
// earlier hash of about the size it needs instead of growing new ones.
var canonicalWriters = sync.Pool{New: func() any { return new(canonicalWriter) }}

var (
	envVarType    = reflect.TypeFor[configstore.EnvVar]()
	timeType      = reflect.TypeFor[time.Time]()
	stringType    = reflect.TypeFor[string]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// value appends the canonical JSON of v and reports whether it is empty
// (null, [] or {}: a struct field that is, is left out).
func (w *canonicalWriter) value(b []byte, v reflect.Value) ([]byte, bool, error) {
	t := v.Type()
	switch t {
	case envVarType:
		e, _ := reflect.TypeAssert[configstore.EnvVar](v)
		if s := e.Stored(); !strings.HasPrefix(s, "{") {
			return appendJSONString(b, s), false, nil
		}
		return w.viaTree(b, v)
	case rawJSONType, timeType:
		return w.viaTree(b, v)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, "null"...), true, nil
		}
		return w.value(b, v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), true, nil
		}
		return w.list(b, v)
	case reflect.Map:
		if t.Key() != stringType {
			return w.viaTree(b, v) // the tree names members by fmt.Sprint
		}
		if v.IsNil() {
			return append(b, "null"...), true, nil
		}
		return w.object(b, v)
	case reflect.Struct:
		return w.structValue(b, v)
	}
	if t.NumMethod() > 0 && t.Implements(marshalerType) {
		return w.viaTree(b, v)
	}
	switch v.Kind() {
	case reflect.String:
		return appendJSONString(b, v.String()), false, nil
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), false, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), false, nil // an integer's decimal digits are canonical
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10), false, nil
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return appendCanonicalFloat(b, f, t.Bits()), false, nil
		}
	}
	return w.viaTree(b, v) // and the tree's error, for what JSON cannot spell
}

// appendCanonicalFloat appends the canonical spelling of the finite number
// f of the given bit size: that of its shortest decimal that reads back as
// f, as encoding/json would spell it (canonicalNumber makes every spelling
// of one decimal value the same). An integer below 10^15 is its digits: no
// shorter decimal is as close to it.
func appendCanonicalFloat(b []byte, f float64, bits int) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(b, int64(f), 10)
	}
	return append(b, canonicalNumber(strconv.FormatFloat(f, 'e', -1, bits))...)
}

// viaTree appends the canonical JSON of v by way of its stored-value tree.
func (w *canonicalWriter) viaTree(b []byte, v reflect.Value) ([]byte, bool, error) {
	tree, err := configstore.StoredValue(v.Interface())
	if err != nil {
		return nil, false, err
	}
	x := canonical(tree, v.Type())
	return appendJSON(b, x), isEmpty(x), nil
}

// list appends a list in its order; v is a non-nil slice.
func (w *canonicalWriter) list(b []byte, v reflect.Value) ([]byte, bool, error) {
	b = append(b, '[')
	for i := range v.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, _, err = w.value(b, v.Index(i)); err != nil {
			return nil, false, err
		}
	}
	return append(b, ']'), v.Len() == 0, nil
}

// set appends an unordered list (a config:"set" field, v a slice) with its
// elements sorted by their canonical JSON, as sortByJSON sorts them.
func (w *canonicalWriter) set(b []byte, v reflect.Value) ([]byte, bool, error) {
	if v.Len() == 0 {
		return append(b, "[]"...), true, nil // null too: either is left out
	}
	b = append(b, '[')
	start, endsMark := len(b), len(w.ends)
	for i := range v.Len() {
		var err error
		if b, _, err = w.value(b, v.Index(i)); err != nil {
			return nil, false, err
		}
		w.ends = append(w.ends, len(b))
	}
	// The elements are written back to back; sort copies of them and
	// write them again, in order, comma-separated.
	encodedMark, spansMark := len(w.encoded), len(w.spans)
	w.encoded = append(w.encoded, b[start:]...)
	from := start
	for _, end := range w.ends[endsMark:] {
		lo := encodedMark + from - start
		w.spans = append(w.spans, w.encoded[lo:lo+end-from:lo+end-from])
		from = end
	}
	spans := w.spans[spansMark:]
	slices.SortFunc(spans, bytes.Compare)
	b = b[:start]
	for i, s := range spans {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s...)
	}
	w.encoded, w.ends, w.spans = w.encoded[:encodedMark], w.ends[:endsMark], w.spans[:spansMark]
	return append(b, ']'), false, nil
}

// object appends a map keyed by string, members sorted by name; v is not nil.
func (w *canonicalWriter) object(b []byte, v reflect.Value) ([]byte, bool, error) {
	mark := len(w.members)
	for it := v.MapRange(); it.Next(); {
		w.members = append(w.members, mapEntry{it.Key().String(), it.Value()})
	}
	members := w.members[mark:]
	slices.SortFunc(members, func(a, b mapEntry) int { return strings.Compare(a.name, b.name) })
	b = append(b, '{')
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendJSONString(b, m.name), ':')
		var err error
		if b, _, err = w.value(b, m.value); err != nil {
			return nil, false, err
		}
	}
	clear(w.members[mark:]) // a pooled writer holds on to no value
	w.members = w.members[:mark]
	return append(b, '}'), len(members) == 0, nil
}

// structValue appends a struct as canonicalStruct leaves it: the hashed
// fields the stored form has, but the empty ones, sets sorted, by name.
func (w *canonicalWriter) structValue(b []byte, v reflect.Value) ([]byte, bool, error) {
	layout := hashLayoutOf(v.Type())
	if layout.viaTree {
		return w.viaTree(b, v)
	}
	b = append(b, '{')
	empty := true
	for _, f := range layout.fields {
		fv := v.FieldByIndex(f.index)
		if f.omitted(fv) {
			continue
		}
		mark := len(b)
		if !empty {
			b = append(b, ',')
		}
		b = append(b, f.name...)
		var valueEmpty bool
		var err error
		if f.class == classSet {
			b, valueEmpty, err = w.set(b, fv)
		} else {
			b, valueEmpty, err = w.value(b, fv)
		}
		if err != nil {
			return nil, false, err
		}
		if valueEmpty {
			b = b[:mark]
			continue
		}
		empty = false
	}
	return append(b, '}'), empty, nil
}

// hashLayout is how structValue writes a struct type: its hashed fields
// sorted by JSON name, or, when two of its fields have one JSON name (the
// stored form keeps one of them), by way of the tree.
type hashLayout struct {
	fields  []layoutField
	viaTree bool
}

// layoutField is a hashed field with its member name as written ("name":).
type layoutField struct {
	classifiedField
	name []byte
}

// omitted reports whether the stored form leaves out the field's value fv
// by its omitempty or omitzero option. (omitempty also leaves out nil and
// empty values, which the hash leaves out in any case.)
func (f *layoutField) omitted(fv reflect.Value) bool {
	switch {
	case f.omitZero:
		return fv.IsZero()
	case !f.omitEmpty:
		return false
	}
	switch fv.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return fv.IsZero()
	}
	return fv.Type() == envVarType && fv.IsZero()
}

// hashLayouts caches hashLayoutOf: reflect.Type -> *hashLayout.
var hashLayouts sync.Map

// hashLayoutOf returns the layout of struct type t.
func hashLayoutOf(t reflect.Type) *hashLayout {
	if l, ok := hashLayouts.Load(t); ok {
		return l.(*hashLayout)
	}
	l := &hashLayout{}
	seen := map[string]bool{}
	for _, f := range fieldsOf(t) {
		if seen[f.jsonName] {
			l.viaTree = true
		}
		seen[f.jsonName] = true
		if f.class.hashed() {
			l.fields = append(l.fields, layoutField{f, append(appendJSONString(nil, f.jsonName), ':')})
		}
	}
	slices.SortFunc(l.fields, func(a, b layoutField) int { return cmp.Compare(a.jsonName, b.jsonName) })
	actual, _ := hashLayouts.LoadOrStore(t, l)
	return actual.(*hashLayout)
}
