package configfile

import (
	"reflect"
	"slices"
	"strings"
)

// structInfo is what the checker knows about a struct type: its JSON
// fields as encoding/json sees them, and the field rules that apply to it.
type structInfo struct {
	fields map[string]jsonField   // json name -> field
	rules  map[string][]fieldRule // json name -> rules
	// accepted lists the names a member may have, for did-you-mean.
	accepted []string
}

// rule returns the rule for a member named name whose value is of kind k.
func (s *structInfo) rule(name string, k kind) *fieldRule {
	for i, r := range s.rules[name] {
		if r.only == anyKind || r.only == k {
			return &s.rules[name][i]
		}
	}
	return nil
}

// structInfo returns the info of struct type t, built once per decoder.
func (d *decoder) structInfo(t reflect.Type) *structInfo {
	if s, ok := d.structs[t]; ok {
		return s
	}
	s := &structInfo{fields: map[string]jsonField{}, rules: map[string][]fieldRule{}}
	depths := map[string]int{}
	var owners []reflect.Type
	gatherJSONFields(t, nil, s.fields, depths, &owners)
	for _, r := range fieldRules {
		if slices.Contains(owners, r.owner) {
			s.rules[r.name] = append(s.rules[r.name], r)
		}
	}
	for name := range s.fields {
		if rs := s.rules[name]; len(rs) == 0 || rs[0].only != anyKind {
			s.accepted = append(s.accepted, name)
		}
	}
	for name, rs := range s.rules {
		if rs[0].action != reject {
			s.accepted = append(s.accepted, name)
		}
	}
	slices.Sort(s.accepted)
	d.structs[t] = s
	return s
}

// jsonField is a JSON field of a struct type: its Go type, and its index
// (reflect.Value.FieldByIndex) from the struct, through embedded structs.
type jsonField struct {
	typ   reflect.Type
	index []int
}

// gatherJSONFields gathers the JSON fields of struct type t the way
// encoding/json does: tagged names, embedded structs flattened, a
// shallower field hiding a deeper one of the same name. prefix is the
// index of t in the struct the fields are gathered for (nil for that
// struct). owners receives t and every struct type embedded in it.
func gatherJSONFields(t reflect.Type, prefix []int, fields map[string]jsonField, depths map[string]int, owners *[]reflect.Type) {
	*owners = append(*owners, t)
	depth := len(prefix)
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		index := append(prefix[:len(prefix):len(prefix)], i)
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			gatherJSONFields(ft, index, fields, depths, owners)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if d, ok := depths[name]; ok && d <= depth {
			continue
		}
		fields[name], depths[name] = jsonField{sf.Type, index}, depth
	}
}
