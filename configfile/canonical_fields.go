package configfile

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// fieldClass is how the config_hash treats a struct field: the value of its
// `config` tag, documented on Hash.
type fieldClass string

// The field classes.
const (
	classDefinition fieldClass = ""        // hashed; a list keeps its order
	classSet        fieldClass = "set"     // hashed; an unordered list
	classRuntime    fieldClass = "runtime" // runtime state: not hashed, carried over
	classServer     fieldClass = "server"  // server-managed: not hashed
	classIdentity   fieldClass = "id"      // the entity's key: not hashed
)

// hashed reports whether fields of class c are part of the hash.
func (c fieldClass) hashed() bool { return c == classDefinition || c == classSet }

// classifiedField is one JSON field of a struct type with its class.
type classifiedField struct {
	index    []int // for reflect.Value.FieldByIndex
	jsonName string
	class    fieldClass
	typ      reflect.Type
	// omitEmpty and omitZero are the field's omitempty and omitzero
	// options, which leave it out of the stored form.
	omitEmpty, omitZero bool
}

// fieldsByType caches fieldsOf: reflect.Type -> []classifiedField.
var fieldsByType sync.Map

// fieldsOf returns the fields of struct type t as encoding/json sees them
// (embedded structs without a JSON name flattened, `json:"-"` and unexported
// fields left out), each with its class; a field of an embedded struct
// without a class of its own takes the embedding field's class. It panics on
// an unknown class or a set that is not a slice: a mistake in a type
// declaration, which every test of Hash meets.
func fieldsOf(t reflect.Type) []classifiedField {
	if fs, ok := fieldsByType.Load(t); ok {
		return fs.([]classifiedField)
	}
	fs := collectFields(t, nil, classDefinition)
	actual, _ := fieldsByType.LoadOrStore(t, fs)
	return actual.([]classifiedField)
}

func collectFields(t reflect.Type, prefix []int, inherited fieldClass) []classifiedField {
	var out []classifiedField
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		class := fieldClass(sf.Tag.Get("config"))
		switch class {
		case classDefinition:
			class = inherited
		case classSet:
			if sf.Type.Kind() != reflect.Slice {
				panic(fmt.Sprintf("configfile: %s.%s: config:\"set\" on a %s, not a list", t, sf.Name, sf.Type))
			}
		case classRuntime, classServer, classIdentity:
		default:
			panic(fmt.Sprintf("configfile: %s.%s: unknown config tag %q", t, sf.Name, class))
		}
		index := append(append([]int(nil), prefix...), i)
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			out = append(out, collectFields(sf.Type, index, class)...)
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, classifiedField{index: index, jsonName: name, class: class, typ: sf.Type,
			omitEmpty: strings.Contains(opts, "omitempty"), omitZero: strings.Contains(opts, "omitzero")})
	}
	return out
}

// CopyRuntimeState copies the runtime state (the fields tagged
// `config:"runtime"`: budget and rate-limit usage and last resets) of src, a
// stored entity, into dst, the file's definition of the same entity, so that
// writing dst over the stored entity keeps its usage counters. dst and src
// are non-nil pointers to the same struct type; anything else panics, as a
// mistake of the caller's code.
func CopyRuntimeState(dst, src any) {
	d, s := reflect.ValueOf(dst), reflect.ValueOf(src)
	if d.Kind() != reflect.Pointer || d.IsNil() || s.Type() != d.Type() || s.IsNil() || d.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("configfile.CopyRuntimeState: want two non-nil pointers to the same struct type, got %T and %T", dst, src))
	}
	for _, f := range fieldsOf(d.Elem().Type()) {
		if f.class == classRuntime {
			d.Elem().FieldByIndex(f.index).Set(s.Elem().FieldByIndex(f.index))
		}
	}
}
