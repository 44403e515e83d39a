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

// traits returns the traits of t, computed once per decoder.
func (d *decoder) traits(t reflect.Type) typeTraits {
	if tr, ok := d.typeTraits[t]; ok {
		return tr
	}
	p := reflect.PointerTo(t)
	tr := typeTraits{unmarshaler: p.Implements(unmarshalerType), textUnmarshaler: p.Implements(textUnmarshalerType)}
	d.typeTraits[t] = tr
	return tr
}
