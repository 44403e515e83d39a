package configfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// kind is the JSON type of a value.
type kind byte

// The JSON kinds. anyKind, the zero value, stands for every kind.
const (
	anyKind kind = iota
	kindNull
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// String returns the kind with its article, for messages: "a string".
func (k kind) String() string {
	return [...]string{"any value", "null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// node is a JSON value of the document with its position, so that every
// problem can name its path and be reported in document order. It is
// small (40 bytes): a size-L config.json has 340,000 values.
type node struct {
	start, end int32 // byte span of the value in the document (parseTree refuses 2 GiB)
	// members are an object's members, or an array's elements: members
	// without a name.
	members []member
	kind    kind
	// integral marks an integer written with a fraction or exponent (1e3,
	// 1.0), which the cleaned document handed to encoding/json writes as
	// a plain integer (integerLiteral); drop leaves the value out of it
	// (it has a problem); verbatim keeps it exactly as written there
	// (free-form JSON).
	integral bool
	drop     bool
	verbatim bool
}

// member is one member of a JSON object (key, and the span of the key as
// written), or one element of an array (no key).
type member struct {
	key              string
	keyStart, keyEnd int32
	value            *node
}

// elem returns element i of the array n.
func (n *node) elem(i int) *node { return n.members[i].value }

// integerLiteral returns the number n of document data, which has an
// integral value (n is marked integral), as a plain integer literal.
func (n *node) integerLiteral(data []byte) string {
	plain, _, _ := decimalInteger(string(data[n.start:n.end]))
	return plain
}

// member returns the value of the object member key, or nil.
func (n *node) member(key string) *node {
	if n == nil || n.kind != kindObject {
		return nil
	}
	for _, m := range n.members {
		if m.key == key {
			return m.value
		}
	}
	return nil
}

// at returns the node at p below n, or the deepest node on the way when p
// leads outside the document.
func (n *node) at(p path) *node {
	for _, s := range p {
		var next *node
		switch {
		case s.isIndex && n.kind == kindArray && s.index < len(n.members):
			next = n.elem(s.index)
		case !s.isIndex:
			next = n.member(s.key)
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// syntaxProblem checks that data is UTF-8 and one well-formed JSON value,
// and describes the first error with its line and column.
func syntaxProblem(data []byte) (msg string, offset int, bad bool) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return "is not valid UTF-8", off, true
	}
	if json.Valid(data) {
		return "", 0, false
	}
	var raw json.RawMessage // for encoding/json's description of the error
	err := json.Unmarshal(data, &raw)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset)
		if strings.HasPrefix(se.Error(), "invalid character") { // the offset is just past the offending byte
			off--
		}
		return "invalid JSON: " + se.Error(), off, true
	}
	return "invalid JSON: " + err.Error(), len(data), true
}

// lineColumn returns the 1-based line and column (in characters) of the
// byte offset off in data.
func lineColumn(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

// parseTree builds the node tree of data, which must be UTF-8 and one
// well-formed JSON value. Duplicate member names are kept: the checks
// report them with paths.
func parseTree(data []byte) (*node, error) {
	if len(data) > math.MaxInt32 {
		return nil, fmt.Errorf("the document is larger than 2 GiB")
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
	t := &treeParser{dec: dec, data: data, names: memberNames{}}
	root, err := t.value()
	if err != nil {
		return nil, err
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return nil, fmt.Errorf("data after the top-level value (%v)", err)
	}
	return root, nil
}

// syntaxError is the Error of data, which parseTree refused with err: the
// first problem as syntaxProblem describes it, with its line and column
// (parseTree is the one pass over a well-formed document; only a refused
// one is read again, for the message).
func syntaxError(data []byte, err error) *Error {
	msg, off, bad := syntaxProblem(data)
	if !bad { // encoding/json accepts what jsontext refused (a lone surrogate escape)
		return &Error{Problems: []Problem{{Message: "invalid JSON: " + safeMessage(err)}}}
	}
	line, col := lineColumn(data, off)
	return &Error{Problems: []Problem{{
		Message: fmt.Sprintf("line %d, column %d: %s", line, col, msg),
		Line:    line, Column: col, offset: off,
	}}}
}

// treeParser reads the node tree. An object's members and an array's
// elements are gathered on a stack shared by all values and copied out once
// complete, each list in one allocation of its final size; nodes are
// allocated in blocks.
type treeParser struct {
	dec     *jsontext.Decoder
	data    []byte
	members []member
	nodes   []node // the current block: new nodes go in its spare capacity
	names   memberNames
}

// memberNames holds each member name of a document once: a document
// repeats a few names many times (248,454 members, 61 names, in the
// bench's size L).
type memberNames map[string]string

// name returns the member name raw holds (a JSON string as read, quotes
// included), as the same string for every member of that name.
func (names memberNames) name(raw jsontext.Value) (string, error) {
	b, err := unquoteName(raw)
	if err != nil {
		return "", err
	}
	return names.of(b), nil
}

// of returns the string of name, the same for every member of that name.
func (names memberNames) of(name []byte) string {
	if s, ok := names[string(name)]; ok {
		return s
	}
	s := string(name)
	names[s] = s
	return s
}

// unquoteName returns the member name raw holds (a JSON string as read,
// quotes included): a part of raw when it has no escape.
func unquoteName(raw jsontext.Value) ([]byte, error) {
	b := []byte(raw[1 : len(raw)-1])
	if bytes.IndexByte(b, '\\') >= 0 {
		return jsontext.AppendUnquote(nil, raw)
	}
	return b, nil
}

// kindOf returns the kind of a value that starts with the token of kind k;
// anyKind for no value's.
func kindOf(k jsontext.Kind) kind {
	switch k {
	case 'n':
		return kindNull
	case 't', 'f':
		return kindBool
	case '0':
		return kindNumber
	case '"':
		return kindString
	case '[':
		return kindArray
	case '{':
		return kindObject
	}
	return anyKind
}

// nodeBlock is how many nodes treeParser allocates at once.
const nodeBlock = 256

// newNode returns a new node starting at offset start.
func (t *treeParser) newNode(start int32) *node {
	if len(t.nodes) == cap(t.nodes) {
		t.nodes = make([]node, 0, nodeBlock)
	}
	t.nodes = append(t.nodes, node{start: start})
	return &t.nodes[len(t.nodes)-1]
}

// next returns the offset of the next token: the decoder's offset moved
// past white space and separators.
func (t *treeParser) next() int32 {
	off := int32(t.dec.InputOffset())
	for int(off) < len(t.data) {
		switch t.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// more reports whether the array or object being read has another value.
func (t *treeParser) more() bool {
	k := t.dec.PeekKind()
	return k != ']' && k != '}' && k != 0
}

func (t *treeParser) value() (*node, error) {
	n := t.newNode(t.next())
	tok, err := t.dec.ReadToken()
	if err != nil {
		return nil, err
	}
	n.kind = kindOf(tok.Kind())
	switch n.kind {
	case kindObject:
		mark := len(t.members)
		for t.more() {
			m := member{keyStart: t.next()}
			raw, err := t.dec.ReadValue()
			if err != nil {
				return nil, err
			}
			if m.key, err = t.names.name(raw); err != nil {
				return nil, err
			}
			m.keyEnd = int32(t.dec.InputOffset())
			if m.value, err = t.value(); err != nil {
				return nil, err
			}
			t.members = append(t.members, m)
		}
		t.complete(n, mark)
	case kindArray:
		mark := len(t.members)
		for t.more() {
			e, err := t.value()
			if err != nil {
				return nil, err
			}
			t.members = append(t.members, member{value: e})
		}
		t.complete(n, mark)
	case anyKind:
		return nil, fmt.Errorf("unexpected JSON token %v", tok.Kind())
	}
	if n.kind == kindObject || n.kind == kindArray {
		if _, err := t.dec.ReadToken(); err != nil { // the closing delimiter
			return nil, err
		}
	}
	n.end = int32(t.dec.InputOffset())
	return n, nil
}

// complete moves the members of n, on the stack from mark, into n.
func (t *treeParser) complete(n *node, mark int) {
	if len(t.members) > mark {
		n.members = slices.Clone(t.members[mark:])
		clear(t.members[mark:]) // the stack holds on to no node
		t.members = t.members[:mark]
	}
}

// clean reports whether n is its own cleaned document (see appendClean):
// nothing dropped or rewritten and no null member to leave out, so
// encoding/json may read the document as written.
func (n *node) clean() bool {
	switch {
	case n.drop || n.integral:
		return false
	case n.verbatim:
		return true
	case n.kind == kindObject:
		for _, m := range n.members {
			if m.value.kind == kindNull || !m.value.clean() {
				return false
			}
		}
	case n.kind == kindArray:
		for _, e := range n.members {
			if !e.value.clean() {
				return false
			}
		}
	}
	return true
}

// appendClean appends n to b as JSON without the dropped values: dropped
// or null members are left out, a dropped array element becomes null so
// that indexes keep matching the document.
func (n *node) appendClean(b, data []byte) []byte {
	switch {
	case n.drop:
		return append(b, "null"...)
	case n.verbatim:
		return append(b, data[n.start:n.end]...)
	case n.kind == kindObject:
		b = append(b, '{')
		first := true
		for _, m := range n.members {
			if m.value.drop || m.value.kind == kindNull {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, data[m.keyStart:m.keyEnd]...)
			b = append(b, ':')
			b = m.value.appendClean(b, data)
		}
		return append(b, '}')
	case n.kind == kindArray:
		b = append(b, '[')
		for i, e := range n.members {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.value.appendClean(b, data)
		}
		return append(b, ']')
	case n.integral:
		return append(b, n.integerLiteral(data)...)
	}
	return append(b, data[n.start:n.end]...)
}

// membersOrNone returns an object's members; nil for any other value.
func (n *node) membersOrNone() []member {
	if n == nil || n.kind != kindObject {
		return nil
	}
	return n.members
}
