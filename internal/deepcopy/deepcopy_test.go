package deepcopy

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// node holds every kind of value Of copies, itself included.
type node struct {
	Name     string
	Weight   *float64
	Tags     []string
	Empty    []string
	Raw      json.RawMessage
	Children []node
	Next     *node
	Headers  map[string][]string
	Any      any
	Pair     [2]*int
	When     time.Time
}

func sample() *node {
	w, a, b := 0.5, 1, 2
	return &node{
		Name: "root", Weight: &w, Tags: []string{"a", "b"}, Empty: []string{}, Raw: json.RawMessage(`{"x":1}`),
		Children: []node{{Name: "child", Tags: []string{"c"}}},
		Next:     &node{Name: "next", Tags: []string{"d"}},
		Headers:  map[string][]string{"h": {"v"}},
		Any:      []string{"in an interface"},
		Pair:     [2]*int{&a, &b},
		When:     time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC),
	}
}

// change changes, in place, everything n reaches through a pointer, a
// slice, a map or an interface.
func change(n *node) {
	*n.Weight = 9
	n.Tags[0] = "changed"
	n.Raw[2] = 'y'
	n.Children[0].Name = "changed"
	n.Children[0].Tags[0] = "changed"
	n.Next.Name = "changed"
	n.Next.Tags[0] = "changed"
	n.Headers["h"][0] = "changed"
	n.Headers["new"] = nil
	n.Any.([]string)[0] = "changed"
	*n.Pair[0] = 9
}

// TestOfSharesNothing: a copy equals the original, nil and empty slices
// included, and changing everything the copy reaches leaves the original
// as it was; so does Value.
func TestOfSharesNothing(t *testing.T) {
	for name, copyOf := range map[string]func(*node) *node{
		"Of":    Of[node],
		"Value": func(n *node) *node { return Value(reflect.ValueOf(n).Elem()).Interface().(*node) },
	} {
		orig := sample()
		c := copyOf(orig)
		if !reflect.DeepEqual(c, orig) {
			t.Fatalf("%s: copy %+v, want %+v", name, c, orig)
		}
		if c.Empty == nil || c.Children[0].Weight != nil || c.Next.Next != nil {
			t.Fatalf("%s: an empty slice became nil or a nil pointer was set: %+v", name, c)
		}
		change(c)
		if want := sample(); !reflect.DeepEqual(orig, want) {
			t.Fatalf("%s: changing the copy changed the original: %+v, want %+v", name, orig, want)
		}
	}
}
