package configfile

import (
	"reflect"
	"slices"
	"strings"
)

// structInfo is what the checker knows about a struct type: its JSON
// fields as encoding/json sees them, and the field rules that apply to it,
// by member name.
type structInfo struct {
	members map[string]*structMember
	// accepted lists the names a member may have, for did-you-mean.
	accepted []string
}

// structMember is what a member name means in an object of a struct
// type: the field it decodes into, if any, and the rules about it.
type structMember struct {
	// name is the member name, held once for every member of that name;
	// index numbers the type's members from 0 (see memberSet). field is
	// the zero jsonField when the name is only a rule's.
	name  string
	index int
	field jsonField
	rules []fieldRule
}

// member returns what a member named name means; nil when it names
// neither a field nor a rule.
func (s *structInfo) member(name string) *structMember { return s.members[name] }

// rule returns the rule for the member m whose value is of kind k; nil
// for none (also when m is nil).
func (m *structMember) rule(k kind) *fieldRule {
	if m == nil {
		return nil
	}
	for i, r := range m.rules {
		if r.only == anyKind || r.only == k {
			return &m.rules[i]
		}
	}
	return nil
}

// fieldOf returns the field m decodes into; false when m is nil or names
// no field.
func (m *structMember) fieldOf() (jsonField, bool) {
	if m == nil {
		return jsonField{}, false
	}
	return m.field, m.isField()
}

// isField reports whether m names a field.
func (m *structMember) isField() bool { return m.field.typ != nil }

// structInfo returns the info of struct type t, built once per decoder.
func (d *decoder) structInfo(t reflect.Type) *structInfo {
	if s, ok := d.structs[t]; ok {
		return s
	}
	s := &structInfo{members: map[string]*structMember{}}
	fields, depths := map[string]jsonField{}, map[string]int{}
	var owners []reflect.Type
	gatherJSONFields(t, nil, fields, depths, &owners)
	at := func(name string) *structMember {
		if s.members[name] == nil {
			s.members[name] = &structMember{name: name, index: len(s.members)}
		}
		return s.members[name]
	}
	for name, f := range fields {
		at(name).field = f
	}
	for _, r := range fieldRules {
		if slices.Contains(owners, r.owner) {
			m := at(r.name)
			m.rules = append(m.rules, r)
		}
	}
	for name, m := range s.members {
		ruled := len(m.rules) > 0
		if m.isField() && (!ruled || m.rules[0].only != anyKind) || ruled && m.rules[0].action != reject {
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
