package memory

import (
	"fmt"

	"github.com/gatewaykit/configstore"
)

// revisionField is the field Update compares with the expected revision.
const revisionField = "revision"

// schema is what the backend derives once from the kind declarations.
type schema struct {
	kinds map[string]*kindInfo
}

// kindInfo is one declared kind with the lookups the backend needs. Fields
// are addressed by their position in kind.Fields, which is also their
// position in a stored row.
type kindInfo struct {
	kind *configstore.Kind
	// pos maps a field name to its position.
	pos map[string]int
	// keyPos is the position of the key field.
	keyPos int
	// unique lists the unique constraints (Kind.Unique), in order, and
	// uniquePos the positions of their fields.
	unique    [][]string
	uniquePos [][]int
	// references are the kind's own references, in declaration order, and
	// refPos the positions of their fields.
	references []configstore.Reference
	refPos     []int
	// referrers are the references of any kind that point at this kind.
	referrers []configstore.KindReference
	// revisionPos is the position of the revision field, or -1 if the kind
	// has none.
	revisionPos int
}

// newSchema indexes kinds. It panics on declarations that contradict each
// other (a reference to an unknown kind or field): those are programming
// errors in the root package, found by any test.
func newSchema(kinds []*configstore.Kind) *schema {
	s := &schema{kinds: make(map[string]*kindInfo, len(kinds))}
	for _, k := range kinds {
		info := &kindInfo{kind: k, pos: make(map[string]int, len(k.Fields)), unique: k.Unique,
			references: k.References, revisionPos: -1}
		for i, f := range k.Fields {
			info.pos[f.Name] = i
		}
		keyPos, ok := info.pos[k.Key]
		if !ok || k.Fields[keyPos].Type != configstore.TypeText || k.Fields[keyPos].Nullable {
			panic(fmt.Sprintf("memory: kind %s: key %s must be a non-null text field", k.Name, k.Key))
		}
		info.keyPos = keyPos
		if i, ok := info.pos[revisionField]; ok && k.Fields[i].Type == configstore.TypeInt && !k.Fields[i].Nullable {
			info.revisionPos = i
		}
		for _, u := range k.Unique {
			positions := make([]int, len(u))
			for j, name := range u {
				i, ok := info.pos[name]
				if !ok {
					panic(fmt.Sprintf("memory: kind %s: unique constraint names unknown field %s", k.Name, name))
				}
				positions[j] = i
			}
			info.uniquePos = append(info.uniquePos, positions)
		}
		s.kinds[k.Name] = info
	}
	for _, k := range kinds {
		info := s.kinds[k.Name]
		for _, ref := range k.References {
			i, ok := info.pos[ref.Field]
			if !ok || k.Fields[i].Type != configstore.TypeText {
				panic(fmt.Sprintf("memory: kind %s: reference field %s must be a text field", k.Name, ref.Field))
			}
			info.refPos = append(info.refPos, i)
			target, ok := s.kinds[ref.Target]
			if !ok {
				panic(fmt.Sprintf("memory: kind %s: reference %s targets unknown kind %s", k.Name, ref.Field, ref.Target))
			}
			target.referrers = append(target.referrers, configstore.KindReference{Kind: k, Reference: ref})
		}
	}
	return s
}

// lookup returns the declared kind with kind's name.
func (s *schema) lookup(kind *configstore.Kind) (*kindInfo, error) {
	if kind == nil {
		return nil, invalidf("nil kind")
	}
	info, ok := s.kinds[kind.Name]
	if !ok {
		return nil, invalidf("unknown kind %q", kind.Name)
	}
	return info, nil
}

// field returns the position of the named field of the kind, or an
// ErrInvalid error.
func (k *kindInfo) field(name string) (int, error) {
	i, ok := k.pos[name]
	if !ok {
		return 0, invalidf("kind %s has no field %q", k.kind.Name, name)
	}
	return i, nil
}

// refIndexOf returns the index in references of the reference on the
// field at position pos, or -1.
func (k *kindInfo) refIndexOf(pos int) int {
	for i, p := range k.refPos {
		if p == pos {
			return i
		}
	}
	return -1
}

// uniqueIndexOf returns the index in unique of the single-field unique
// constraint on the field at position pos, or -1.
func (k *kindInfo) uniqueIndexOf(pos int) int {
	for i, u := range k.uniquePos {
		if len(u) == 1 && u[0] == pos {
			return i
		}
	}
	return -1
}
