package configstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Free-form values written back redacted. RedactFreeForm shows what is
// stored under a secret member name of a free-form value (IsSecretName) in
// its redacted form, so a client that writes back what it read, or an
// export made without --reveal applied again, would store "****" as a log
// store's password. The writes treat these members as they treat EnvVar
// fields (keepRedactedSecrets, checkNotRedacted):
//
//   - keepRedactedFreeForms: a string under a secret member name that is
//     exactly the redacted form of the value stored at the same place
//     (RedactFreeForm's form of it) is replaced by the stored value;
//   - checkFreeFormsNotRedacted: a string under a secret member name that
//     still looks redacted ("****", "sk-...abcd") is refused with
//     ErrInvalid and its JSON path ("config.password").
//
// "Under a secret member name" is where RedactFreeForm redacts: below a
// member whose name is a secret name, at any depth. Env references
// ("env.NAME") are never redacted forms, and pass untouched.
//
// The free-form values are the fields of types json.RawMessage,
// map[string]string and map[string]any (a string-keyed map to an
// interface), found by type in the entity, nested structs, pointers, lists
// and maps included, the fields of each type computed once. A
// json.RawMessage keeps its text (member order, numbers, white space)
// where nothing is replaced; a replaced secret is written as
// encoding/json writes the stored value (a number keeps its text).

// IsFreeForm reports whether values of type t are free-form JSON, whose
// secrets are found by member name (IsSecretName): a json.RawMessage (a
// plugin's config, the log store's settings), or a map from string to
// string (extra headers) or to an interface (decoded JSON).
func IsFreeForm(t reflect.Type) bool {
	if t == rawJSONType {
		return true
	}
	return t.Kind() == reflect.Map && t.Key().Kind() == reflect.String &&
		(t.Elem().Kind() == reflect.String || t.Elem().Kind() == reflect.Interface)
}

// holdsFreeForm reports whether a value of type t is or can contain a
// free-form value: the walks skip every field that cannot.
func holdsFreeForm(t reflect.Type) bool { return freeFormTypes.get(t) }

var freeFormTypes = typeCache[bool]{compute: func(t reflect.Type) bool {
	return typeHoldsFreeForm(t, map[reflect.Type]bool{})
}}

// typeHoldsFreeForm is holdsFreeForm without the cache; visiting holds the
// types being looked at, so a recursive type ends the search.
func typeHoldsFreeForm(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if IsFreeForm(t) {
		return true
	}
	if t == envVarType || t == timeType || visiting[t] {
		return false
	}
	visiting[t] = true
	switch t.Kind() {
	case reflect.Struct:
		for _, f := range jsonFieldsOf(t) {
			if typeHoldsFreeForm(t.Field(f.index).Type, visiting) {
				return true
			}
		}
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return typeHoldsFreeForm(t.Elem(), visiting)
	}
	return false
}

// freeFormFieldsOf returns the JSON fields of struct type t (as encoding/json
// sees them) that are or can contain free-form values.
func freeFormFieldsOf(t reflect.Type) []jsonField { return freeFormFieldTypes.get(t) }

var freeFormFieldTypes = typeCache[[]jsonField]{compute: func(t reflect.Type) []jsonField {
	var fields []jsonField
	for _, f := range jsonFieldsOf(t) {
		if holdsFreeForm(t.Field(f.index).Type) {
			fields = append(fields, f)
		}
	}
	return fields
}}

// keepRedactedFreeForms walks next and stored (pointers to entities of the
// same type) side by side and, in every free-form value of next, replaces a
// string under a secret member name that is exactly the redacted form of
// the value stored at the same place by that value: a client that writes
// back what it read does not overwrite a plugin's password with "****".
func keepRedactedFreeForms(next, stored any) {
	_, _ = walkFreeForms(reflect.ValueOf(next).Elem(), reflect.ValueOf(stored).Elem(), "",
		func(_ string, v, old reflect.Value) (bool, error) {
			doc := freeFormJSON(v)
			if doc == nil || !old.IsValid() {
				return false, nil
			}
			merged, changed := mergeRedactedJSON(doc, func() []byte { return freeFormJSON(old) })
			if !changed {
				return false, nil
			}
			nv, err := freeFormFromJSON(merged, v.Type())
			if err != nil {
				return false, nil // cannot happen: merged is doc with strings replaced by JSON values
			}
			v.Set(nv)
			return true, nil
		})
}

// RedactFreeForms replaces, in place, every free-form value in v (an
// entity, a pointer to one, or a list of them) by RedactFreeForm of it,
// for printing: secrets under secret member names redacted, env
// references as they are. A json.RawMessage is encoded again (object keys
// sorted, numbers keeping their text); one that is not JSON is left as it
// is.
func RedactFreeForms(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	_, err := walkFreeForms(rv, reflect.Value{}, "", func(_ string, fv, _ reflect.Value) (bool, error) {
		doc := freeFormJSON(fv)
		if doc == nil || !fv.CanSet() {
			return false, nil
		}
		tree, err := decodeUseNumber(doc)
		if err != nil {
			return false, nil // not JSON: nothing to find secrets in
		}
		var shown bytes.Buffer
		enc := json.NewEncoder(&shown)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(RedactFreeForm(tree)); err != nil {
			return false, err
		}
		nv, err := freeFormFromJSON(bytes.TrimSuffix(shown.Bytes(), []byte("\n")), fv.Type())
		if err != nil {
			return false, err
		}
		fv.Set(nv)
		return true, nil
	})
	return err
}

// checkFreeFormsNotRedacted refuses a free-form value holding, under a
// secret member name, a string still in the redacted form ("****",
// "sk-...abcd") after keepRedactedFreeForms: it was copied from an export
// or a read and is not the secret itself. v points to an entity.
func checkFreeFormsNotRedacted(v any) error {
	_, err := walkFreeForms(reflect.ValueOf(v).Elem(), reflect.Value{}, "",
		func(path string, v, _ reflect.Value) (bool, error) {
			doc := freeFormJSON(v)
			if doc == nil {
				return false, nil
			}
			for _, s := range secretStrings(doc) {
				if e := NewEnvVar(s.value); e.looksRedacted() {
					return false, invalidf(s.pathFrom(path), "is a redacted secret (%s); give the secret or its env.NAME reference", e.Redacted())
				}
			}
			return false, nil
		})
	return err
}

// walkFreeForms calls fn for every free-form value in next with its JSON
// path and the value at the same place in stored: the same field, list
// index or map key, or the zero Value when stored has none there (stored
// itself may be the zero Value). fn may set the value it is given (next is
// settable) and reports whether it did; walkFreeForms reports whether fn
// changed anything, and stops at fn's first error.
func walkFreeForms(next, stored reflect.Value, path string, fn func(path string, next, stored reflect.Value) (bool, error)) (bool, error) {
	if !holdsFreeForm(next.Type()) {
		return false, nil
	}
	if IsFreeForm(next.Type()) {
		return fn(path, next, stored)
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch next.Kind() {
	case reflect.Pointer:
		if next.IsNil() {
			return false, nil
		}
		if stored.IsValid() && stored.IsNil() {
			stored = reflect.Value{}
		}
		if stored.IsValid() {
			stored = stored.Elem()
		}
		return walkFreeForms(next.Elem(), stored, path, fn)
	case reflect.Struct:
		changed := false
		for _, f := range freeFormFieldsOf(next.Type()) {
			p := path
			if !f.flatten {
				p = join(f.name)
			}
			var old reflect.Value
			if stored.IsValid() {
				old = stored.Field(f.index)
			}
			c, err := walkFreeForms(next.Field(f.index), old, p, fn)
			changed = changed || c
			if err != nil {
				return changed, err
			}
		}
		return changed, nil
	case reflect.Slice, reflect.Array:
		changed := false
		for i := range next.Len() {
			var old reflect.Value
			if stored.IsValid() && i < stored.Len() {
				old = stored.Index(i)
			}
			c, err := walkFreeForms(next.Index(i), old, fmt.Sprintf("%s[%d]", path, i), fn)
			changed = changed || c
			if err != nil {
				return changed, err
			}
		}
		return changed, nil
	case reflect.Map:
		// Map elements cannot be set in place: each is walked as a copy,
		// stored back when fn changed it.
		changed := false
		for it := next.MapRange(); it.Next(); {
			var old reflect.Value
			if stored.IsValid() {
				if o := stored.MapIndex(it.Key()); o.IsValid() {
					old = o
				}
			}
			elem := reflect.New(next.Type().Elem()).Elem()
			elem.Set(it.Value())
			c, err := walkFreeForms(elem, old, join(fmt.Sprint(it.Key().Interface())), fn)
			if c {
				next.SetMapIndex(it.Key(), elem)
				changed = true
			}
			if err != nil {
				return changed, err
			}
		}
		return changed, nil
	}
	return false, nil
}

// freeFormJSON returns the JSON text of the free-form value v: a
// json.RawMessage's own bytes, a map encoded by encoding/json. It returns
// nil for an empty value, which holds no secret.
func freeFormJSON(v reflect.Value) []byte {
	if !v.IsValid() || v.Len() == 0 {
		return nil
	}
	if v.Type() == rawJSONType {
		return v.Bytes()
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil // the record codec refuses it (cannot happen for strings and decoded JSON)
	}
	return b
}

// freeFormFromJSON decodes data into a new value of the free-form type t;
// numbers in a map to an interface decode as json.Number, keeping their text.
func freeFormFromJSON(data []byte, t reflect.Type) (reflect.Value, error) {
	if t == rawJSONType {
		return reflect.ValueOf(json.RawMessage(data)).Convert(t), nil
	}
	p := reflect.New(t)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(p.Interface()); err != nil {
		return reflect.Value{}, err
	}
	return p.Elem(), nil
}

// secretString is a string of a free-form JSON document stored under a
// member with a secret name.
type secretString struct {
	// at is where it is: member names (string) and list indexes (int)
	// from the top of the document.
	at []any
	// value is the string; start and end delimit its JSON text, quotes
	// included, in the document.
	value      string
	start, end int64
}

// pathFrom returns the JSON path of s in a document at path base, in the
// form of FieldError paths ("config.servers[0].token").
func (s secretString) pathFrom(base string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, e := range s.at {
		switch e := e.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(e) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e)
		}
	}
	return b.String()
}

// secretStrings returns, in document order, the strings of the JSON
// document doc that RedactFreeForm redacts: those below a member whose name
// is a secret name, at any depth. Duplicate member names are all visited.
// It returns nil for a document it cannot parse (the entity's validation
// refuses invalid JSON before a write looks for secrets).
func secretStrings(doc []byte) []secretString {
	dec := jsontext.NewDecoder(bytes.NewReader(doc), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	var out []secretString
	if scanSecretStrings(dec, nil, false, &out) != nil {
		return nil
	}
	return out
}

// scanSecretStrings reads the next value of dec, at path at, appending its
// secret strings to out; secret says the value is under a secret name.
func scanSecretStrings(dec *jsontext.Decoder, at []any, secret bool, out *[]secretString) error {
	switch dec.PeekKind() {
	case jsontext.KindBeginObject:
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != jsontext.KindEndObject {
			name, err := dec.ReadToken()
			if err != nil {
				return err
			}
			n := name.String()
			if err := scanSecretStrings(dec, append(at[:len(at):len(at)], n), secret || IsSecretName(n), out); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case jsontext.KindBeginArray:
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for i := 0; dec.PeekKind() != jsontext.KindEndArray; i++ {
			if err := scanSecretStrings(dec, append(at[:len(at):len(at)], i), secret, out); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case jsontext.KindString:
		if !secret {
			return dec.SkipValue()
		}
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		end := dec.InputOffset()
		s, _ := jsontext.AppendUnquote(nil, raw) // invalid UTF-8 becomes U+FFFD: never a redacted form
		*out = append(*out, secretString{at: at, value: string(s), start: end - int64(len(raw)), end: end})
		return nil
	}
	return dec.SkipValue() // a scalar, or an error SkipValue reports
}

// mergeRedactedJSON returns doc with every string under a secret member
// name that is exactly the redacted form of the value at the same place in
// the stored document (RedactFreeForm's form of it, so "****" for a
// stored number as well) replaced by that value, and whether it replaced
// any. The rest of doc is kept byte for byte. stored is only called when
// doc has a string that looks redacted.
func mergeRedactedJSON(doc []byte, stored func() []byte) ([]byte, bool) {
	var candidates []secretString
	for _, s := range secretStrings(doc) {
		// A redacted form is "", "env.NAME" (each the redaction of itself
		// only: nothing to replace), "****" or "abc...wxyz".
		if NewEnvVar(s.value).looksRedacted() {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) == 0 {
		return doc, false
	}
	var old any
	dec := json.NewDecoder(bytes.NewReader(stored()))
	dec.UseNumber()
	if dec.Decode(&old) != nil {
		return doc, false
	}
	var out []byte
	last := int64(0)
	for _, s := range candidates {
		v, ok := lookupJSON(old, s.at)
		if !ok {
			continue
		}
		if str, isStr := v.(string); isStr && str == s.value {
			continue // stored as it is written (and refused as redacted)
		}
		if shown, _ := redactFreeForm(v, true).(string); shown != s.value {
			continue
		}
		enc, err := encodeJSONValue(v)
		if err != nil {
			continue
		}
		out = append(append(out, doc[last:s.start]...), enc...)
		last = s.end
	}
	if out == nil {
		return doc, false
	}
	return append(out, doc[last:]...), true
}

// lookupJSON returns the scalar at path at in the decoded document doc.
func lookupJSON(doc any, at []any) (any, bool) {
	for _, e := range at {
		switch e := e.(type) {
		case string:
			obj, ok := doc.(map[string]any)
			if !ok {
				return nil, false
			}
			if doc, ok = obj[e]; !ok {
				return nil, false
			}
		case int:
			list, ok := doc.([]any)
			if !ok || e >= len(list) {
				return nil, false
			}
			doc = list[e]
		}
	}
	switch doc.(type) {
	case map[string]any, []any:
		return nil, false
	}
	return doc, true
}

// encodeJSONValue encodes a decoded JSON scalar as encoding/json does,
// without escaping HTML characters (a json.Number keeps its text).
func encodeJSONValue(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
