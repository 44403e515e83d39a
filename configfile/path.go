package configfile

import (
	"strconv"
	"strings"
)

// segment is one step of a JSON path: an object member (key) or, when
// isIndex, an array element.
type segment struct {
	key     string
	index   int
	isIndex bool
}

// path is a JSON path from the top of config.json.
type path []segment

// key returns p extended by the object member k (a new slice: paths are
// shared between siblings).
func (p path) key(k string) path { return append(p[:len(p):len(p)], segment{key: k}) }

// index returns p extended by the array element i.
func (p path) index(i int) path {
	return append(p[:len(p):len(p)], segment{index: i, isIndex: true})
}

// element is where an element of a list is: the list's path and the
// element's index. Its path is built only when needed (for a problem): the
// checks that span entities go through every entity and rarely report.
type element struct {
	list  path
	index int
}

// path returns the element's path.
func (e element) path() path { return e.list.index(e.index) }

// field returns a function building the path of the element's member
// name, for a check that needs it only if it reports a problem.
func (e element) field(name string) func() path {
	return func() path { return e.path().key(name) }
}

// walkKey returns p extended by the object member k in p's spare
// capacity, without a copy: for the checker's depth-first walk, which
// builds a path for every value it checks and needs one only for a
// problem. The extended path is valid while its value is being checked
// (the next sibling's overwrites its last segment), so what keeps a path
// keeps a copy (decoder.add does).
func (p path) walkKey(k string) path { return append(p, segment{key: k}) }

// walkIndex is walkKey for the array element i.
func (p path) walkIndex(i int) path { return append(p, segment{index: i, isIndex: true}) }

// String formats p as "governance.virtual_keys[3].key_ids[1]"; a member
// whose name is not a plain word is written ["like this"].
func (p path) String() string {
	var b strings.Builder
	for _, s := range p {
		switch {
		case s.isIndex:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case isPlainName(s.key):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.key)
		default:
			b.WriteString("[" + strconv.Quote(s.key) + "]")
		}
	}
	return b.String()
}

// isPlainName reports whether a member name can be written after a dot.
func isPlainName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r == '_' || r == '-' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}

// parsePath reads a relative path in the form configstore's field errors
// use ("provider_configs[1].key_ids[0]"). It is used only to locate the
// value in the document, so a member name containing a dot or a bracket
// just locates less precisely.
func parsePath(s string) path {
	var p path
	for part := range strings.SplitSeq(s, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			p = p.key(name)
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil {
				break
			}
			p = p.index(i)
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return p
}

// hasPrefix reports whether p is prefix or lies inside it.
func (p path) hasPrefix(prefix path) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i, s := range prefix {
		if p[i] != s {
			return false
		}
	}
	return true
}
