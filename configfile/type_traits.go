package configfile

import (
	"encoding"
	"encoding/json"
	"reflect"
)

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// typeTraits is what the checker and decodeTree ask of a Go type for every
// value they meet: asked of reflect each time, it is much of their cost.
type typeTraits struct {
	// unmarshaler: a pointer to the type implements json.Unmarshaler, so
	// encoding/json hands the value its JSON.
	unmarshaler bool
	// textUnmarshaler: a pointer to the type implements
	// encoding.TextUnmarshaler, which encoding/json uses for strings (and
	// for map keys).
	textUnmarshaler bool
}

// The predeclared types of most values, which implement nothing
// (stringType is canonical_value.go's).
var (
	boolType    = reflect.TypeFor[bool]()
	intType     = reflect.TypeFor[int]()
	int64Type   = reflect.TypeFor[int64]()
	float64Type = reflect.TypeFor[float64]()
)

// traits returns the traits of t, computed once per decoder; those of a
// predeclared type without a lookup (the map hashes the type).
func (d *decoder) traits(t reflect.Type) typeTraits {
	switch t {
	case stringType, boolType, intType, int64Type, float64Type:
		return typeTraits{}
	}
	if tr, ok := d.typeTraits[t]; ok {
		return tr
	}
	p := reflect.PointerTo(t)
	tr := typeTraits{unmarshaler: p.Implements(unmarshalerType), textUnmarshaler: p.Implements(textUnmarshalerType)}
	d.typeTraits[t] = tr
	return tr
}
