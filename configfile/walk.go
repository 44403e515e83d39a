package configfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// check type-checks the value n at p (a path of the walk: see
// path.walkKey) against the Go type t that encoding/json will decode it
// into, the way encoding/json reads t's json tags, and reports every
// problem. A value with a problem is marked to be
// left out of the decoded document; an object keeps its good members.
// Types implementing json.Unmarshaler (secrets, raw JSON, times) are leaves
// checked by unmarshalling them.
func (d *decoder) check(p path, n *node, t reflect.Type) {
	if n.kind == kindNull {
		if !d.acceptsNull(t) {
			d.mismatch(p, n, t)
		}
		return
	}
	if d.traits(t).unmarshaler {
		n.verbatim = true
		if d.rejectConfigHashes(p, n) {
			n.drop = true // it would not decode
			return
		}
		d.checkLeaf(p, n, t)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		d.check(p, n, t.Elem())
	case reflect.Interface:
		n.verbatim = true
		d.rejectConfigHashes(p, n)
	case reflect.Struct:
		d.checkStruct(p, n, t)
	case reflect.Map:
		d.checkMap(p, n, t)
	case reflect.Slice:
		if d.expect(p, n, kindArray, t) {
			for i, e := range n.members {
				d.check(p.walkIndex(i), e.value, t.Elem())
			}
		}
	case reflect.String:
		d.expect(p, n, kindString, t)
	case reflect.Bool:
		d.expect(p, n, kindBool, t)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if d.expect(p, n, kindNumber, t) {
			d.checkInteger(p, n, t)
		}
	case reflect.Float32, reflect.Float64:
		if d.expect(p, n, kindNumber, t) {
			if _, err := strconv.ParseFloat(d.literal(n), t.Bits()); err != nil {
				d.reject(p, n, "is out of range for a number")
			}
		}
	default:
		d.reject(p, n, fmt.Sprintf("cannot be decoded into %s", t))
	}
}

// acceptsNull reports whether a value of type t may be written as null
// (decoded as absent).
func (d *decoder) acceptsNull(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	}
	return d.traits(t).unmarshaler
}

// expect reports a value of the wrong kind.
func (d *decoder) expect(p path, n *node, want kind, t reflect.Type) bool {
	if n.kind != want {
		d.mismatch(p, n, t)
		return false
	}
	return true
}

func (d *decoder) mismatch(p path, n *node, t reflect.Type) {
	d.reject(p, n, fmt.Sprintf("expected %s, got %s", expected(t), n.kind))
}

// expected names what a Go type decodes from: "a string", "an integer", ...
func expected(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return expected(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice:
		return "an array"
	}
	return "an integer"
}

// literal returns the text of n as written in the document (a number's
// literal: the tree keeps no copy of it).
func (d *decoder) literal(n *node) string { return string(d.data[n.start:n.end]) }

// checkInteger checks that the number n is integral and fits t. An
// integral number written with a fraction or exponent is rewritten for
// encoding/json, which only takes plain integer literals.
func (d *decoder) checkInteger(p path, n *node, t reflect.Type) {
	text := d.literal(n)
	plain, problem := plainInteger(text, t)
	if problem != "" {
		d.reject(p, n, problem)
		return
	}
	n.integral = plain != text
}

// integerRange returns the bounds of an integer type, for messages.
func integerRange(t reflect.Type) (lo, hi string) {
	bits := t.Bits()
	if t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64 {
		return "0", strconv.FormatUint(1<<bits-1, 10)
	}
	return strconv.FormatInt(-1<<(bits-1), 10), strconv.FormatInt(1<<(bits-1)-1, 10)
}

// checkLeaf unmarshals a json.Unmarshaler value and reports its error.
func (d *decoder) checkLeaf(p path, n *node, t reflect.Type) {
	if err := json.Unmarshal(d.data[n.start:n.end], reflect.New(t).Interface()); err != nil {
		d.reject(p, n, safeMessage(err))
	}
}

// unknownFieldName matches encoding/json's unknown-field error.
var unknownFieldName = regexp.MustCompile(`unknown field "(?:[^"\\]|\\.)*"`)

// safeMessage returns err's message with any JSON type error rewritten so
// that it names no value, and any unknown field unnamed: a leaf may be a
// secret, and neither a secret of the wrong type nor one mistakenly
// written as a member name may be echoed.
func safeMessage(err error) string {
	msg := err.Error()
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		safe := "got " + kindWord(te.Value)
		if te.Field != "" {
			safe = te.Field + ": expected " + expected(te.Type) + ", " + safe
		}
		if replaced := strings.Replace(msg, te.Error(), safe, 1); replaced != msg {
			msg = replaced
		} else { // not found verbatim: keep no detail
			msg = safe
		}
	}
	msg = unknownFieldName.ReplaceAllString(msg, "unknown field")
	return strings.ReplaceAll(msg, "json: ", "")
}

// kindWord turns encoding/json's description of a value ("number 12",
// "string") into a kind with its article, dropping the value itself.
func kindWord(value string) string {
	word, _, _ := strings.Cut(value, " ")
	switch word {
	case "string":
		return kindString.String()
	case "number":
		return kindNumber.String()
	case "bool":
		return kindBool.String()
	case "array":
		return kindArray.String()
	case "object":
		return kindObject.String()
	}
	return "a value of the wrong type"
}

// checkStruct checks an object against struct type t: every member must be
// a field of t (or be covered by a field rule), given once.
func (d *decoder) checkStruct(p path, n *node, t reflect.Type) {
	if !d.expect(p, n, kindObject, t) {
		return
	}
	info := d.structInfo(t)
	seen := newNamesSeen(n.members)
	for i, m := range n.members {
		mp := p.walkKey(m.key)
		switch {
		case seen.repeated(i):
			d.reject(mp, m.value, "is given twice")
		case d.rejectConfigHash(mp, m): // reported
		default:
			d.checkMember(mp, m, info)
		}
	}
}

func (d *decoder) checkMember(mp path, m member, info *structInfo) {
	sm := info.member(m.key)
	if r := sm.rule(m.value.kind); r != nil {
		if d.accepted(r, mp) {
			m.value.drop = true
		} else {
			d.reject(mp, m.value, r.message)
		}
		return
	}
	f, ok := sm.fieldOf()
	if !ok {
		d.reject(mp, m.value, unknownField(m.key, info.accepted))
		return
	}
	d.check(mp, m.value, f.typ)
}

// accepted reports whether the member at mp that rule r covers is
// accepted and left out of the decoded document, a gateway section (listed
// in File.NotManaged) or an ignored member, rather than rejected.
func (d *decoder) accepted(r *fieldRule, mp path) bool {
	switch r.action {
	case gateway:
		d.notManaged = append(d.notManaged, mp.String())
		return true
	case ignore:
		return true
	}
	return false
}

// checkMap checks an object against map type t: keys are names, each
// given once.
func (d *decoder) checkMap(p path, n *node, t reflect.Type) {
	if !d.expect(p, n, kindObject, t) {
		return
	}
	if t.Key().Kind() != reflect.String {
		d.reject(p, n, fmt.Sprintf("cannot be decoded into %s", t))
		return
	}
	seen := newNamesSeen(n.members)
	for i, m := range n.members {
		mp := p.walkKey(m.key)
		switch {
		case seen.repeated(i):
			d.reject(mp, m.value, "is given twice")
		case d.rejectConfigHash(mp, m): // reported
		default:
			d.check(mp, m.value, t.Elem())
		}
	}
}

// configHashName is the member name config.json may not use anywhere the
// store reads (rejectConfigHash).
const configHashName = "config_hash"

// msgConfigHash is the problem of a config_hash member.
const msgConfigHash = "is managed by the store; remove it from config.json"

// rejectConfigHash rejects the object member m at mp when it is named
// config_hash, and reports whether it did. config_hash is auto-managed:
// config.json may set it nowhere the store reads, neither as a field of
// an entity nor as a name in a map or in free-form JSON. (The gateway's
// own sections, which the store does not read, are not checked.)
func (d *decoder) rejectConfigHash(mp path, m member) bool {
	if m.key != configHashName {
		return false
	}
	d.reject(mp, m.value, msgConfigHash)
	return true
}

// rejectConfigHashes rejects every config_hash member inside the value n
// at p, which the checker does not walk member by member (free-form JSON
// such as a plugin's config, a json.Unmarshaler leaf such as a secret),
// and reports whether it found one.
func (d *decoder) rejectConfigHashes(p path, n *node) bool {
	found := false
	for i, m := range n.members {
		if n.kind == kindArray {
			found = d.rejectConfigHashes(p.walkIndex(i), m.value) || found
			continue
		}
		mp := p.walkKey(m.key)
		if d.rejectConfigHash(mp, m) {
			found = true
		} else if d.rejectConfigHashes(mp, m.value) {
			found = true
		}
	}
	return found
}
