package configfile

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
)

// Parse decodes and validates config.json. On any problem it returns an
// *Error listing every problem with its JSON path, and no File.
func Parse(data []byte) (*File, error) {
	if f := parseDirect(data); f != nil {
		return f, nil
	}
	return parseChecked(data)
}

// parseChecked is Parse through the node tree of the document: the tree is
// checked against the document's types (check), which finds every problem
// and leaves out the values that have one, then decoded (decodeTree, or
// encoding/json where that gives up).
func parseChecked(data []byte) (*File, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, syntaxError(data, err)
	}
	d := newDecoder(data, root)
	d.check(make(path, 0, walkDepth), root, reflect.TypeFor[document]())
	var doc document
	if !d.decodeTree(root, reflect.ValueOf(&doc).Elem()) {
		doc = document{}
		cleaned := data
		if !root.clean() {
			cleaned = root.appendClean(nil, data)
		}
		if err := json.Unmarshal(cleaned, &doc); err != nil {
			d.report(nil, "cannot be decoded: "+safeMessage(err)) // the checker should have caught it
		}
	}
	f := d.build(&doc)
	if len(d.problems) > 0 {
		slices.SortStableFunc(d.problems, func(a, b Problem) int { return cmp.Compare(a.offset, b.offset) })
		return nil, &Error{Problems: d.problems}
	}
	return f, nil
}

// Load reads and parses the config.json at path. A missing file is an error
// wrapping fs.ErrNotExist.
func Load(path string) (*File, error) {
	f, _, err := LoadDocument(path)
	return f, err
}

// LoadDocument is Load that also returns the document as read, for a
// caller that needs its exact bytes (the reconciler's digest of the file).
func LoadDocument(path string) (*File, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("configfile: %w", err)
	}
	f, err := Parse(data)
	if e, ok := err.(*Error); ok {
		e.File = path
	}
	return f, data, err
}

// walkDepth is the capacity of the checker's path: the walk extends it in
// place (path.walkKey) and copies it only past this depth, deeper than
// config.json's entities nest.
const walkDepth = 16

// decoder holds the state of one Parse.
type decoder struct {
	data       []byte
	root       *node
	problems   []Problem
	notManaged []string
	structs    map[reflect.Type]*structInfo
	typeTraits map[reflect.Type]typeTraits
	// checked counts the problems found before the checks that span
	// entities: those that make an entity's own validation pointless.
	checked int
}

// newDecoder starts the decoding of data, whose node tree is root.
func newDecoder(data []byte, root *node) *decoder {
	return &decoder{data: data, root: root, structs: map[reflect.Type]*structInfo{}, typeTraits: map[reflect.Type]typeTraits{}}
}

// reject reports a problem with the value n at p and leaves n out of the
// decoded document.
func (d *decoder) reject(p path, n *node, msg string) {
	n.drop = true
	d.add(p, p.String(), n.start, msg, false)
}

// report reports a problem with the value at p.
func (d *decoder) report(p path, msg string) {
	d.add(p, p.String(), d.root.at(p).start, msg, false)
}

// reportReference reports a dangling reference at p.
func (d *decoder) reportReference(p path, msg string) {
	d.add(p, p.String(), d.root.at(p).start, msg, true)
}

// add records a problem at p (a copy of p: the checker's paths are
// reused, see path.walkKey).
func (d *decoder) add(p path, display string, offset int32, msg string, reference bool) {
	line, col := lineColumn(d.data, int(offset))
	d.problems = append(d.problems, Problem{
		Path: display, Message: msg, Line: line, Column: col,
		at: slices.Clone(p), offset: int(offset), reference: reference,
	})
}

// broken reports whether the value at p, or a value containing it, was
// left out of the decoded document: its zero value says nothing.
func (d *decoder) broken(p path) bool {
	n := d.root
	for i := range p {
		if n.drop {
			return true
		}
		next := n.at(p[i : i+1])
		if next == n {
			return false
		}
		n = next
	}
	return n.drop
}

// checkedNear reports whether the checker reported a problem at p, inside
// it or around it.
func (d *decoder) checkedNear(p path) bool {
	return slices.ContainsFunc(d.problems[:d.checked], func(pr Problem) bool {
		return pr.at.hasPrefix(p) || p.hasPrefix(pr.at)
	})
}
