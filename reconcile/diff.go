package reconcile

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatewaykit/configstore"
)

// diff returns the fields whose values differ between stored and next, two
// pointers to entities of the same type, by JSON path, in path order.
// Secrets (EnvVar) are compared in their stored form, so two literals with
// the same redaction still differ, and shown redacted, as encoding/json
// prints them. Meta and the runtime fields (tagged config:"runtime") are
// left out, and the order of unordered lists (config:"set") is no change. Empty lists, maps and JSON nulls count as absent, and JSON
// documents kept verbatim (json.RawMessage) are compared by content, not by
// formatting: the store may hand either form back.
//
// Free-form values (json.RawMessage documents such as a plugin's config or
// the logs_store settings, and maps from string to string or to any such
// as a provider's extra headers) are compared as they are but shown with
// configstore.RedactFreeForm: what is stored under a secret member name
// ("password", "api_key", "Authorization", ...) is shown redacted, env
// references as they are. A changed secret whose two redacted forms are
// the same ("****" both) is still a change of its path, shown as
// "****" -> "**** (changed)".
func diff(stored, next any) []FieldChange {
	var out []FieldChange
	compare("", treeOf(reflect.ValueOf(stored)), treeOf(reflect.ValueOf(next)), &out)
	return out
}

// equalCompared reports whether stored and next are equal in every field
// diff compares (fieldsOf: not Meta, the runtime state or server-managed
// fields such as a virtual key's PartsDigest): then diff(stored, next) is
// empty, and a plan of an unchanged file (every entity as stored) skips
// building field trees. A false answer says nothing: diff decides.
func equalCompared[T any](stored, next *T) bool {
	s, n := reflect.ValueOf(stored).Elem(), reflect.ValueOf(next).Elem()
	for _, f := range fieldsOf(s.Type()) {
		if !reflect.DeepEqual(s.FieldByIndex(f.index).Interface(), n.FieldByIndex(f.index).Interface()) {
			return false
		}
	}
	return true
}

// node is one value of an entity's field tree: an object, a list or a
// leaf. A nil *node is an absent value.
type node struct {
	fields map[string]*node // object
	items  []*node          // list, when isList
	isList bool
	// A leaf's JSON as compared (secrets in their stored form) and as
	// shown (secrets redacted).
	cmp, show string
}

var (
	envVarType = reflect.TypeFor[configstore.EnvVar]()
	metaType   = reflect.TypeFor[configstore.Meta]()
	rawType    = reflect.TypeFor[json.RawMessage]()
	timeType   = reflect.TypeFor[time.Time]()
)

// treeOf builds the field tree of v, named by JSON field names.
func treeOf(v reflect.Value) *node {
	if !v.IsValid() {
		return nil
	}
	switch v.Type() {
	case envVarType:
		e := v.Interface().(configstore.EnvVar)
		if e.IsZero() {
			return nil
		}
		return &node{cmp: jsonString(e.Stored()), show: jsonString(e.Redacted())}
	case rawType:
		var doc any
		dec := json.NewDecoder(bytes.NewReader(v.Bytes()))
		dec.UseNumber()
		if dec.Decode(&doc) != nil {
			return leaf(string(v.Bytes())) // not JSON: compared as it is
		}
		n := treeOfJSON(doc)
		redactShown(n, doc)
		return n
	case timeType:
		if v.Interface().(time.Time).IsZero() {
			return nil
		}
		return leaf(v.Interface().(time.Time).UTC())
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return treeOf(v.Elem())
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return nil
		}
		n := &node{isList: true, items: make([]*node, v.Len())}
		for i := range n.items {
			n.items[i] = treeOf(v.Index(i))
		}
		return n
	case reflect.Map:
		if v.Len() == 0 {
			return nil
		}
		n := &node{fields: map[string]*node{}}
		for it := v.MapRange(); it.Next(); {
			n.fields[it.Key().String()] = treeOf(it.Value())
		}
		if configstore.IsFreeForm(v.Type()) {
			doc := make(map[string]any, v.Len())
			for it := v.MapRange(); it.Next(); {
				doc[it.Key().String()] = it.Value().Interface()
			}
			redactShown(n, doc)
		}
		return n
	case reflect.Struct:
		n := &node{fields: map[string]*node{}}
		addFields(n, v)
		if len(n.fields) == 0 {
			return nil
		}
		return n
	}
	return scalar(v)
}

// scalar is the leaf of a scalar field, formatted as JSON directly for the
// common kinds.
func scalar(v reflect.Value) *node {
	var s string
	switch v.Kind() {
	case reflect.Bool:
		s = strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s = strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s = strconv.FormatUint(v.Uint(), 10)
	case reflect.String:
		s = jsonString(v.String())
	default:
		return leaf(v.Interface())
	}
	return &node{cmp: s, show: s}
}

// addFields adds the fields of struct v to n, leaving out absent values.
func addFields(n *node, v reflect.Value) {
	for _, f := range fieldsOf(v.Type()) {
		child := treeOf(v.FieldByIndex(f.index))
		if child == nil {
			continue
		}
		if f.set && child.isList {
			// An unordered list (see configfile.Hash): its order is no change.
			slices.SortFunc(child.items, func(a, b *node) int { return strings.Compare(render(a, false), render(b, false)) })
		}
		n.fields[f.name] = child
	}
}

// structField is a field of an entity type that diff compares.
type structField struct {
	index []int  // for reflect.Value.FieldByIndex
	name  string // as encoding/json names it
	set   bool   // tagged config:"set": an unordered list
}

// fieldCache holds fieldsOf's answer per struct type.
var fieldCache sync.Map // reflect.Type -> []structField

// fieldsOf returns the fields of struct type t that diff compares, as
// encoding/json names them, embedded structs flattened, without Meta,
// runtime state (config:"runtime") and server-managed fields
// (config:"server").
func fieldsOf(t reflect.Type) []structField {
	if cached, ok := fieldCache.Load(t); ok {
		return cached.([]structField)
	}
	var out []structField
	for i := range t.NumField() {
		sf := t.Field(i)
		class := sf.Tag.Get("config")
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch {
		case !sf.IsExported() || sf.Type == metaType || class == "runtime" || class == "server" || name == "-":
		case sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct:
			for _, f := range fieldsOf(sf.Type) {
				f.index = append([]int{i}, f.index...)
				out = append(out, f)
			}
		default:
			if name == "" {
				name = sf.Name
			}
			out = append(out, structField{index: []int{i}, name: name, set: class == "set"})
		}
	}
	fieldCache.Store(t, out)
	return out
}

// redactShown sets the shown form of the leaves of n, the tree of the
// free-form value doc, to their form in configstore.RedactFreeForm(doc),
// where that differs from doc: the secrets under secret member names. The
// compared form stays the value itself, so a changed secret is a change.
func redactShown(n *node, doc any) {
	overlayShown(n, doc, configstore.RedactFreeForm(doc))
}

// overlayShown walks n, raw (the value n was built from) and shown (its
// redacted copy, of the same shape) together.
func overlayShown(n *node, raw, shown any) {
	switch {
	case n == nil:
	case n.fields != nil:
		rawObj, _ := raw.(map[string]any)
		shownObj, _ := shown.(map[string]any)
		for k, child := range n.fields {
			overlayShown(child, rawObj[k], shownObj[k])
		}
	case n.isList:
		rawList, _ := raw.([]any)
		shownList, _ := shown.([]any)
		for i, item := range n.items {
			if i < len(rawList) && i < len(shownList) {
				overlayShown(item, rawList[i], shownList[i])
			}
		}
	default:
		// RedactFreeForm turns a secret into a string and copies anything
		// else: a string that is not raw itself is a redaction. (shown is
		// a string, so the comparison cannot panic.)
		if s, ok := shown.(string); ok && raw != shown {
			n.show = jsonString(s)
		}
	}
}

// treeOfJSON builds the tree of a decoded JSON document.
func treeOfJSON(doc any) *node {
	switch d := doc.(type) {
	case nil:
		return nil
	case map[string]any:
		n := &node{fields: make(map[string]*node, len(d))}
		for k, v := range d {
			if child := treeOfJSON(v); child != nil {
				n.fields[k] = child
			}
		}
		return n
	case []any:
		n := &node{isList: true, items: make([]*node, len(d))}
		for i, v := range d {
			n.items[i] = treeOfJSON(v)
		}
		return n
	}
	return leaf(doc)
}

// leaf is the node of a scalar: compared and shown as its JSON, a float
// -0 as 0, the same number (as the config_hash has it, and equalCompared).
// Free-form JSON's numbers come as json.Number: compared as written.
func leaf(v any) *node {
	switch f := v.(type) {
	case float64:
		if f == 0 {
			v = 0.0
		}
	case float32:
		if f == 0 {
			v = float32(0)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(jsonString(err.Error()))
	}
	return &node{cmp: string(b), show: string(b)}
}

// jsonString returns s as a JSON string, as encoding/json writes it.
func jsonString(s string) string {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always encodes
			return string(b)
		}
	}
	return `"` + s + `"`
}

// compare appends to out a change for every path below path where a and b
// differ, descending into objects and into lists of equal length.
func compare(path string, a, b *node, out *[]FieldChange) {
	switch {
	case a == nil && b == nil:
		return
	case a != nil && b != nil && a.fields != nil && b.fields != nil:
		keys := make([]string, 0, len(a.fields)+len(b.fields))
		for k := range a.fields {
			keys = append(keys, k)
		}
		for k := range b.fields {
			if _, ok := a.fields[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			compare(fieldPath(path, k), a.fields[k], b.fields[k], out)
		}
	case a != nil && b != nil && a.isList && b.isList && len(a.items) == len(b.items):
		for i := range a.items {
			compare(path+"["+strconv.Itoa(i)+"]", a.items[i], b.items[i], out)
		}
	default:
		if render(a, false) != render(b, false) {
			stored, file := render(a, true), render(b, true)
			if stored == file {
				// Two secrets with the same redacted form: show that they differ.
				file = changedSecret(file)
			}
			*out = append(*out, FieldChange{Path: path, Stored: stored, File: file})
		}
	}
}

// changedSecret returns the shown form of a changed secret whose redacted
// form, shown, is that of the stored one: "****" becomes "**** (changed)".
func changedSecret(shown string) string {
	var s string
	if json.Unmarshal([]byte(shown), &s) != nil {
		return jsonString("(redacted) changed")
	}
	return jsonString(s + " (changed)")
}

// render returns n as JSON: as shown (secrets redacted) or as compared.
// An absent value renders as "".
func render(n *node, shown bool) string {
	var b strings.Builder
	var write func(n *node)
	write = func(n *node) {
		switch {
		case n == nil:
			b.WriteString("null")
		case n.fields != nil:
			keys := slices.Sorted(maps.Keys(n.fields))
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(jsonString(k))
				b.WriteByte(':')
				write(n.fields[k])
			}
			b.WriteByte('}')
		case n.isList:
			b.WriteByte('[')
			for i, item := range n.items {
				if i > 0 {
					b.WriteByte(',')
				}
				write(item)
			}
			b.WriteByte(']')
		case shown:
			b.WriteString(n.show)
		default:
			b.WriteString(n.cmp)
		}
	}
	if n == nil {
		return ""
	}
	write(n)
	return b.String()
}

// fieldPath appends key to path: "a.b", or `a["x.y"]` for a key that is
// not a plain name ([A-Za-z_][A-Za-z0-9_-]*).
func fieldPath(path, key string) string {
	if !plainName(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// plainName reports whether key needs no quoting in a path.
func plainName(key string) bool {
	for i := range len(key) {
		c := key[i]
		letter := c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		if !letter && (i == 0 || !(c == '-' || (c >= '0' && c <= '9'))) {
			return false
		}
	}
	return key != ""
}
