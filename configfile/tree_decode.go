package configfile

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"

	"github.com/gatewaykit/configstore"
)

// decodeTree sets v, a settable zero value, to what encoding/json decodes
// from n's cleaned JSON (see appendClean), reading the node tree the
// checker walked instead of scanning the document again. It covers what a
// checked document holds: it reports false, leaving v partly set, on
// anything else (a value left out as null in an array, a value
// encoding/json would refuse), which Parse then leaves to encoding/json.
// Leaves that decode themselves (json.Unmarshaler, encoding.TextUnmarshaler
// and free-form values) and strings with escapes are decoded by
// encoding/json, from their bytes in the document.
func (d *decoder) decodeTree(n *node, v reflect.Value) bool {
	t := v.Type()
	if n.drop || n.kind == kindNull {
		return false
	}
	if t == secretType && n.kind == kindString {
		return d.decodeSecret(n, v)
	}
	if tr := d.traits(t); tr.unmarshaler || tr.textUnmarshaler || t.Kind() == reflect.Interface {
		return d.decodeLeaf(n, v)
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		v.Set(p)
		return d.decodeTree(n, p.Elem())
	case reflect.Struct:
		return n.kind == kindObject && d.decodeStruct(n, v)
	case reflect.Map:
		return n.kind == kindObject && t.Key().Kind() == reflect.String && d.decodeMap(n, v)
	case reflect.Slice:
		if n.kind != kindArray {
			return false
		}
		s := reflect.MakeSlice(t, len(n.members), len(n.members))
		for i, e := range n.members {
			if !d.decodeTree(e.value, s.Index(i)) {
				return false
			}
		}
		v.Set(s)
		return true
	case reflect.String:
		return n.kind == kindString && d.decodeString(n, v)
	case reflect.Bool:
		if n.kind != kindBool {
			return false
		}
		v.SetBool(d.data[n.start] == 't')
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		switch {
		case n.kind != kindNumber:
			return false
		case n.integral:
			return setNumber(v, n.integerLiteral(d.data))
		}
		return setNumber(v, d.literal(n))
	}
	return false
}

// setNumber sets v, of a number kind, to the number literal text; false
// when text is not one of v's type.
func setNumber(v reflect.Value, text string) bool {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, err := strconv.ParseInt(text, 10, 64)
		if err != nil || v.OverflowInt(x) {
			return false
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x, err := strconv.ParseUint(text, 10, 64)
		if err != nil || v.OverflowUint(x) {
			return false
		}
		v.SetUint(x)
	default:
		x, err := strconv.ParseFloat(text, v.Type().Bits())
		if err != nil || v.OverflowFloat(x) {
			return false
		}
		v.SetFloat(x)
	}
	return true
}

// decodeLeaf decodes n, which the checker keeps verbatim or which has no
// rewritten part, with encoding/json.
func (d *decoder) decodeLeaf(n *node, v reflect.Value) bool {
	if n.integral || !n.verbatim && n.kind >= kindArray {
		return false // not as written in the document
	}
	return json.Unmarshal(d.data[n.start:n.end], v.Addr().Interface()) == nil
}

// secretType is the type of secrets, whose string form decodeSecret reads
// as configstore.EnvVar's UnmarshalJSON does (one secret per key, virtual
// key and credential: the commonest self-decoding leaf).
var secretType = reflect.TypeFor[configstore.EnvVar]()

// decodeSecret decodes the JSON string n into the EnvVar v.
func (d *decoder) decodeSecret(n *node, v reflect.Value) bool {
	s, ok := d.unquote(n.start, n.end)
	v.Set(reflect.ValueOf(configstore.NewEnvVar(s)))
	return ok
}

// decodeString decodes the JSON string n: the document's bytes between the
// quotes when it has no escape (the document is valid UTF-8), encoding/json
// otherwise.
func (d *decoder) decodeString(n *node, v reflect.Value) bool {
	s, ok := d.unquote(n.start, n.end)
	v.SetString(s)
	return ok
}

// unquote returns the JSON string at data[start:end].
func (d *decoder) unquote(start, end int32) (string, bool) { return unquoteRaw(d.data[start:end]) }

// unquoteRaw returns the JSON string raw: its bytes between the quotes
// when it has no escape, else what encoding/json reads.
func unquoteRaw(raw []byte) (string, bool) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err == nil
}

// decodeStruct decodes the object n into struct v: each member the
// cleaned document keeps into the field of its name (the checker dropped
// every member that is not one).
func (d *decoder) decodeStruct(n *node, v reflect.Value) bool {
	info := d.structInfo(v.Type())
	for _, m := range n.members {
		if m.value.drop || m.value.kind == kindNull {
			continue
		}
		f, ok := info.member(m.key).fieldOf()
		if !ok {
			return false
		}
		if !d.decodeTree(m.value, fieldAt(v, f.index)) {
			return false
		}
	}
	return true
}

// fieldAt returns the field of struct v at index, allocating the embedded
// structs it goes through by pointer, as encoding/json does.
func fieldAt(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// decodeMap decodes the object n into map v, whose keys are strings.
func (d *decoder) decodeMap(n *node, v reflect.Value) bool {
	t := v.Type()
	if d.traits(t.Key()).textUnmarshaler {
		return false
	}
	m := reflect.MakeMapWithSize(t, len(n.members))
	for _, mem := range n.members {
		if mem.value.drop || mem.value.kind == kindNull {
			continue
		}
		key, ok := d.unquote(mem.keyStart, mem.keyEnd)
		elem := reflect.New(t.Elem()).Elem()
		if !ok || !d.decodeTree(mem.value, elem) {
			return false
		}
		m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), elem)
	}
	v.Set(m)
	return true
}
