package configfile

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/gatewaykit/configstore"
)

// mutation is one change of one leaf of a populated entity.
type mutation struct {
	path string // the leaf's JSON path in the entity
	what string // the change
	// wantChange: the hash must change (a field of the definition), or must
	// not (a runtime, server-managed or identity field; a set's order).
	wantChange bool
	apply      func()
}

// leafWalker walks every exported field of a value by reflection, reading
// the `config` tags itself (not through fieldsOf, which it checks), and
// records a mutation for every leaf and every list, and the leaves that
// are zero.
type leafWalker struct {
	mutations []mutation
	zero      []string
}

// walkLeaves walks the entity v points to.
func walkLeaves(v any) *leafWalker {
	w := &leafWalker{}
	w.walk(reflect.ValueOf(v).Elem(), "", "")
	return w
}

// walk visits v (settable) at path; class is its effective `config` class.
func (w *leafWalker) walk(v reflect.Value, path, class string) {
	hashed := class == "" || class == "set"
	leaf := func(what string, apply func()) {
		w.mutations = append(w.mutations, mutation{path, what, hashed, apply})
	}
	if v.IsZero() || (v.Kind() == reflect.Slice && v.Len() < 2) || (v.Kind() == reflect.Map && v.Len() < 2) {
		w.zero = append(w.zero, path)
	}
	switch v.Type() {
	case envVarType:
		e := v.Interface().(configstore.EnvVar)
		rotated, swapped := configstore.EnvRef(e.VarName()+"_ROTATED"), configstore.NewEnvVar("a-literal-instead")
		if !e.IsReference() {
			lit, _ := e.Resolve()
			rotated, swapped = configstore.NewEnvVar(lit+"-rotated"), configstore.EnvRef("A_REFERENCE_INSTEAD")
		}
		leaf("secret rotated", func() { v.Set(reflect.ValueOf(rotated)) })
		leaf("literal/reference swapped", func() { v.Set(reflect.ValueOf(swapped)) })
		return
	case timeType:
		leaf("moved", func() { v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Hour))) })
		return
	case rawJSONType:
		leaf("replaced", func() { v.SetBytes([]byte(`{"mutated": [1, "two"]}`)) })
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			w.walk(v.Elem(), path, class)
		}
	case reflect.Struct:
		w.walkStruct(v, path, class)
	case reflect.Slice:
		w.walkSlice(v, path, class)
	case reflect.Map:
		w.walkMap(v, path, class)
	case reflect.Interface:
		leaf("replaced", func() { v.Set(reflect.ValueOf("mutated")) })
	case reflect.String:
		leaf("changed", func() { v.SetString(v.String() + "-changed") })
	case reflect.Bool:
		leaf("flipped", func() { v.SetBool(!v.Bool()) })
	case reflect.Int, reflect.Int64:
		leaf("incremented", func() { v.SetInt(v.Int() + 1) })
	case reflect.Float64:
		leaf("incremented", func() { v.SetFloat(v.Float() + 1) })
	default:
		panic(fmt.Sprintf("leafWalker: %s: no mutation for %s: teach the walker", path, v.Type()))
	}
}

func (w *leafWalker) walkStruct(v reflect.Value, path, class string) {
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		p := path
		if !sf.Anonymous || name != "" {
			if name == "" || name == "-" {
				name = sf.Name
			}
			p = joinPath(path, name)
		}
		c := class // a field of a left-out struct (Meta) is left out too
		if own := sf.Tag.Get("config"); own != "" && class == "" {
			c = own
		}
		w.walk(v.Field(i), p, c)
	}
}

func (w *leafWalker) walkSlice(v reflect.Value, path, class string) {
	hashed := class == "" || class == "set"
	entryClass := class
	if class == "set" {
		entryClass = ""
	}
	for i := range v.Len() {
		w.walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), entryClass)
	}
	if v.Len() == 0 {
		return
	}
	w.mutations = append(w.mutations,
		mutation{path, "last entry dropped", hashed, func() { v.Set(v.Slice(0, v.Len()-1)) }},
		// Reversing changes an ordered list, not a set.
		mutation{path, "reversed", class == "", func() { reverseValue(v) }})
}

func (w *leafWalker) walkMap(v reflect.Value, path, class string) {
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	for _, k := range keys {
		entry := reflect.New(v.Type().Elem()).Elem()
		entry.Set(v.MapIndex(k))
		inner := &leafWalker{}
		p := joinPath(path, k.String())
		inner.walk(entry, p, class)
		for _, m := range inner.mutations {
			apply := m.apply
			m.apply = func() { apply(); v.SetMapIndex(k, entry) }
			w.mutations = append(w.mutations, m)
		}
		w.zero = append(w.zero, inner.zero...)
		w.mutations = append(w.mutations, mutation{p, "deleted", class == "" || class == "set",
			func() { v.SetMapIndex(k, reflect.Value{}) }})
	}
}

// reverseValue reverses the slice v in place.
func reverseValue(v reflect.Value) {
	swap := reflect.Swapper(v.Interface())
	for i, j := 0, v.Len()-1; i < j; i, j = i+1, j-1 {
		swap(i, j)
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
