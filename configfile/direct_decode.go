package configfile

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"reflect"

	"github.com/gatewaykit/configstore"
	"github.com/go-json-experiment/json/jsontext"
)

// parseDirect is Parse for a document without a problem: it decodes the
// document straight from its tokens, as decodeTree does from the node tree
// the checker walked, without that tree (25 MB for the bench's size-L
// config.json, 7 times the document) and without the walk. It gives up,
// returning nil, at the first thing the checker would report or that
// decodeTree would leave to encoding/json, and on any problem of the
// checks that span entities: Parse then takes the checked path, which
// reports every problem with its line and column. What it returns is what
// that path returns, and it returns nothing where that path finds a
// problem (TestParseDirectIsParseChecked, TestParseDirectGivesUp,
// FuzzParseDirect). It gives up on more than it must, where that is
// simpler (any escape in free-form JSON: see leaf).
//
// The build step's own reads of the tree (which sections the file has, the
// document order of the providers) go to a tree of the top levels only
// (sectionDepth), which the decoding builds as it goes.
func parseDirect(data []byte) *File {
	if len(data) > math.MaxInt32 {
		return nil
	}
	root := &node{kind: kindObject}
	d := newDecoder(data, root)
	dd := &directDecoder{decoder: d, dec: jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true)),
		names: memberNames{}}
	var doc document
	if k := dd.dec.PeekKind(); k != '{' || !dd.value(make(path, 0, walkDepth), reflect.ValueOf(&doc).Elem(), root, k) {
		return nil
	}
	if _, err := dd.dec.ReadToken(); err != io.EOF {
		return nil // data after the document
	}
	f := d.build(&doc)
	if len(d.problems) > 0 {
		return nil
	}
	return f
}

// sectionDepth is how deep parseDirect's tree goes: to the members of the
// deepest sections (governance.virtual_keys, mcp.client_configs, two levels
// below the top), whose presence (File.Presence) says whether they have
// any, as nodes of their kind without members.
const sectionDepth = 3

// directDecoder reads a document's tokens into Go values for parseDirect.
// Its jsontext.Decoder accepts a member name given twice, as the checker
// does in free-form JSON (a json.RawMessage keeps the text as written,
// both members); the objects the checker checks member by member (structs
// and maps) give up on one.
type directDecoder struct {
	*decoder
	dec   *jsontext.Decoder
	names memberNames
}

// value decodes the next value, at p, whose first token is of kind k,
// into v, a settable zero value, as check and then decodeTree would; false
// where they would not both pass. n is the value's node in the tree of the
// top levels (nil below them), which gets the value's members.
func (dd *directDecoder) value(p path, v reflect.Value, n *node, k jsontext.Kind) bool {
	t := v.Type()
	if k == 'n' {
		return false // decodeTree leaves a null to encoding/json; a member's is handled by its object
	}
	if t == secretType && k == '"' {
		s, ok := dd.readString()
		v.Set(reflect.ValueOf(configstore.NewEnvVar(s)))
		return ok
	}
	switch tr := dd.traits(t); {
	case tr.unmarshaler || t.Kind() == reflect.Interface:
		return dd.leaf(v)
	case tr.textUnmarshaler:
		return false // none in a config.json: the checked path decodes them
	}
	switch t.Kind() {
	case reflect.Pointer:
		e := reflect.New(t.Elem())
		v.Set(e)
		return dd.value(p, e.Elem(), n, k)
	case reflect.Struct:
		return k == '{' && dd.object(p, v, n)
	case reflect.Map:
		return k == '{' && t.Key().Kind() == reflect.String && !dd.traits(t.Key()).textUnmarshaler && dd.mapObject(p, v, n)
	case reflect.Slice:
		return k == '[' && dd.array(p, v, n)
	case reflect.String:
		if k != '"' {
			return false
		}
		s, ok := dd.readString()
		v.SetString(s)
		return ok
	case reflect.Bool:
		tok, err := dd.dec.ReadToken()
		if err != nil || (k != 't' && k != 'f') {
			return false
		}
		v.SetBool(tok.Bool())
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		raw, ok := dd.read()
		if !ok || k != '0' {
			return false
		}
		plain, problem := plainInteger(string(raw), t)
		return problem == "" && setNumber(v, plain)
	case reflect.Float32, reflect.Float64:
		raw, ok := dd.read()
		return ok && k == '0' && setNumber(v, string(raw))
	}
	return false
}

// read reads the next value as written.
func (dd *directDecoder) read() (jsontext.Value, bool) {
	raw, err := dd.dec.ReadValue()
	return raw, err == nil
}

// readString reads the next value, a string.
func (dd *directDecoder) readString() (string, bool) {
	raw, ok := dd.read()
	if !ok {
		return "", false
	}
	return unquoteRaw(raw)
}

// leaf decodes the next value into v with encoding/json, as decodeLeaf
// does. It gives up where the value may hold a member named config_hash,
// which the checker refuses anywhere in free-form JSON: where the name is
// written, or where an escape may write it (a string holding the name, or
// an escape, gives up too).
func (dd *directDecoder) leaf(v reflect.Value) bool {
	raw, ok := dd.read()
	return ok && !bytes.Contains(raw, []byte(`"`+configHashName+`"`)) && !bytes.Contains(raw, []byte(`\u`)) &&
		json.Unmarshal(raw, v.Addr().Interface()) == nil
}

// object decodes the next value, an object, into struct v: each member into
// the field of its name; a gateway section (File.NotManaged) and an
// ignored member are read past.
func (dd *directDecoder) object(p path, v reflect.Value, n *node) bool {
	info := dd.structInfo(v.Type())
	var seen memberSet
	return dd.members(func(name []byte) bool {
		m := info.member(string(name))
		if m == nil || !seen.add(m.index) {
			return false // no field nor rule, or given twice: the checker reports it
		}
		mp := p.walkKey(m.name)
		next := dd.dec.PeekKind()
		k := kindOf(next)
		child := dd.child(n, mp, m.name, k)
		if r := m.rule(k); r != nil {
			return dd.accepted(r, mp) && dd.dec.SkipValue() == nil
		}
		f, ok := m.fieldOf()
		switch {
		case !ok || m.name == configHashName:
			return false
		case k == kindNull:
			return dd.null(f.typ)
		}
		return dd.value(mp, fieldAt(v, f.index), child, next)
	})
}

// child adds to n, the node of the value being read in the tree of the top
// levels, the node of its member key (an element: "") at p, the next value,
// of kind k, and returns it; nil below the top levels. Of a list at the
// deepest level, whose nodes say only whether it has any (the sections of
// governance: thousands of entities), it adds the first element only.
func (dd *directDecoder) child(n *node, p path, key string, k kind) *node {
	if n == nil || len(p) > sectionDepth || len(p) == sectionDepth && key == "" && len(n.members) > 0 {
		return nil
	}
	c := &node{kind: k}
	n.members = append(n.members, member{key: key, value: c})
	return c
}

// mapObject decodes the next value, an object, into map v, whose keys are
// strings.
func (dd *directDecoder) mapObject(p path, v reflect.Value, n *node) bool {
	t := v.Type()
	m := reflect.MakeMap(t)
	seen := map[string]bool{}
	ok := dd.members(func(raw []byte) bool {
		name := dd.names.of(raw)
		if name == configHashName || seen[name] {
			return false
		}
		seen[name] = true
		mp := p.walkKey(name)
		next := dd.dec.PeekKind()
		child := dd.child(n, mp, name, kindOf(next))
		if next == 'n' {
			return dd.null(t.Elem())
		}
		elem := reflect.New(t.Elem()).Elem()
		if !dd.value(mp, elem, child, next) {
			return false
		}
		m.SetMapIndex(reflect.ValueOf(name).Convert(t.Key()), elem)
		return true
	})
	v.Set(m)
	return ok
}

// null reads the null value of a member of type t and reports whether the
// checker accepts it there (decodeTree then leaves the member out).
func (dd *directDecoder) null(t reflect.Type) bool {
	if !dd.acceptsNull(t) {
		return false
	}
	_, err := dd.dec.ReadToken()
	return err == nil
}

// members reads the next value, an object, calling member with the name
// of each member, unquoted, whose value is the next to read. The name may
// be the decoder's buffer, which the next read reuses: member reads it
// before the value.
func (dd *directDecoder) members(member func(name []byte) bool) bool {
	if _, err := dd.dec.ReadToken(); err != nil {
		return false
	}
	for dd.dec.PeekKind() != '}' {
		raw, ok := dd.read()
		if !ok {
			return false
		}
		name, err := unquoteName(raw)
		if err != nil || !member(name) {
			return false
		}
	}
	_, err := dd.dec.ReadToken()
	return err == nil
}

// array decodes the next value, an array, into slice v. Its elements are
// decoded in place, v grown as append grows a slice, then copied to a slice
// of their number. A section's list (thousands of entities) is counted
// first (countElements), so that it is made once, of its length.
func (dd *directDecoder) array(p path, v reflect.Value, n *node) bool {
	size := 0
	if n != nil {
		size = countElements(dd.data[dd.dec.InputOffset():])
	}
	if _, err := dd.dec.ReadToken(); err != nil {
		return false
	}
	t := v.Type()
	v.Set(reflect.MakeSlice(t, 0, size))
	i := 0
	for next := dd.dec.PeekKind(); next != ']'; next = dd.dec.PeekKind() {
		if i == v.Cap() {
			v.Grow(1)
		}
		v.SetLen(i + 1)
		ep := p.walkIndex(i)
		if !dd.value(ep, v.Index(i), dd.child(n, ep, "", kindOf(next)), next) {
			return false
		}
		i++
	}
	if i < v.Cap() { // as decodeTree, no spare capacity: a File holds thousands of short lists
		exact := reflect.MakeSlice(t, i, i)
		reflect.Copy(exact, v)
		v.Set(exact)
	}
	_, err := dd.dec.ReadToken()
	return err == nil
}

// countElements returns how many elements the array that is the next
// value in data (after separators and white space) has: the commas
// between its own elements, read past strings and nested values, plus
// one. It is a hint, which a document that is not well-formed may make
// wrong (the decoding refuses such a document).
func countElements(data []byte) int {
	i := bytes.IndexByte(data, '[') // the array's: only separators come before it
	if i < 0 {
		return 0
	}
	for i++; i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'); i++ {
	}
	if i == len(data) || data[i] == ']' {
		return 0
	}
	depth, commas := 1, 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++ // the escaped character, which may be a quote
				}
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth == 0 {
				return commas + 1
			}
		case ',':
			if depth == 1 {
				commas++
			}
		}
	}
	return 0
}
