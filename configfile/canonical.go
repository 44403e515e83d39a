package configfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/internal/deepcopy"
)

// rawJSONType is free-form JSON kept verbatim (a plugin's config, ...).
var rawJSONType = reflect.TypeFor[json.RawMessage]()

// entityValue returns the entity v points to, for Hash and
// HashNormalized: a *configstore.ProviderConfig is its Provider.
func entityValue(v any) (reflect.Value, error) {
	if pc, ok := v.(*configstore.ProviderConfig); ok && pc != nil {
		v = &pc.Provider
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, fmt.Errorf("config_hash: %T is not a non-nil pointer to a configstore entity: %w", v, configstore.ErrInvalid)
	}
	return rv, nil
}

// normalizedCopy returns a pointer to a normalized copy of the entity v
// points to (configstore.Normalize), leaving v as it was.
func normalizedCopy(v any) (any, error) {
	rv, err := entityValue(v)
	if err != nil {
		return nil, err
	}
	normalized := deepcopy.Value(rv.Elem())
	if err := configstore.Normalize(normalized.Interface()); err != nil {
		return nil, fmt.Errorf("config_hash: %w", err)
	}
	return normalized.Interface(), nil
}

// appendCanonicalJSON appends to b, with w, the canonical JSON
// HashNormalized hashes: that of v, a normalized entity (see Hash for what
// it contains and leaves out). It is what appendJSON writes for
// canonical(configstore.StoredValue(v)), written straight from v (see
// canonicalWriter).
func (w *canonicalWriter) appendCanonicalJSON(b []byte, v any) ([]byte, error) {
	rv, err := entityValue(v)
	if err != nil {
		return nil, err
	}
	b, _, err = w.value(b, rv.Elem())
	if err != nil {
		return nil, fmt.Errorf("config_hash: %w", err)
	}
	return b, nil
}

// canonical rewrites x, a JSON tree (decoded with UseNumber) of a value of Go
// type t, into its canonical form: numbers canonical, and, in objects of
// struct types, the fields the hash leaves out removed, sets sorted and
// empty values dropped. t is nil for free-form JSON. appendJSON then sorts
// object keys.
func canonical(x any, t reflect.Type) any {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawJSONType || (t != nil && t.Kind() == reflect.Interface) {
		t = nil
	}
	var elem reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Map) {
		elem = t.Elem()
	}
	switch x := x.(type) {
	case json.Number:
		return json.Number(canonicalNumber(string(x)))
	case []any:
		for i := range x {
			x[i] = canonical(x[i], elem)
		}
	case map[string]any:
		if t != nil && t.Kind() == reflect.Struct {
			return canonicalStruct(x, t)
		}
		for k, v := range x {
			x[k] = canonical(v, elem)
		}
	}
	return x
}

// canonicalStruct is canonical for obj, the JSON object of struct type t.
func canonicalStruct(obj map[string]any, t reflect.Type) map[string]any {
	for _, f := range fieldsOf(t) {
		v, ok := obj[f.jsonName]
		if !ok {
			continue
		}
		if !f.class.hashed() {
			delete(obj, f.jsonName)
			continue
		}
		v = canonical(v, f.typ)
		if isEmpty(v) {
			delete(obj, f.jsonName)
			continue
		}
		if f.class == classSet {
			sortByJSON(v.([]any))
		}
		obj[f.jsonName] = v
	}
	return obj
}

// isEmpty reports whether a field's canonical value says nothing: null, []
// or {}. Such a field hashes as if it were absent.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// sortByJSON sorts the canonical values of a set by their JSON encoding,
// and leaves each encoding (a json.RawMessage) in the value's place, so
// that appendJSON does not encode it again.
func sortByJSON(set []any) {
	buf := make([]byte, 0, 64*len(set)) // about the size of a set element
	ends := make([]int, len(set))
	for i, v := range set {
		buf = appendJSON(buf, v)
		ends[i] = len(buf)
	}
	start := 0
	for i, end := range ends {
		set[i] = json.RawMessage(buf[start:end:end])
		start = end
	}
	slices.SortFunc(set, func(a, b any) int { return bytes.Compare(a.(json.RawMessage), b.(json.RawMessage)) })
}
