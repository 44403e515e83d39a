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

// kindInfo is one declared kind with the lookups the backend needs.
type kindInfo struct {
	kind   *configstore.Kind
	fields map[string]configstore.Field
	// unique lists the unique constraints (Kind.Unique), in order.
	unique [][]string
	// references are the kind's own references, in declaration order.
	references []configstore.Reference
	// referrers are the references of any kind that point at this kind.
	referrers []configstore.KindReference
	// hasRevision says whether the kind has a revision field.
	hasRevision bool
}

// newSchema indexes kinds. It panics on declarations that contradict each
// other (a reference to an unknown kind or field): those are programming
// errors in the root package, found by any test.
func newSchema(kinds []*configstore.Kind) *schema {
	s := &schema{kinds: make(map[string]*kindInfo, len(kinds))}
	for _, k := range kinds {
		info := &kindInfo{kind: k, fields: make(map[string]configstore.Field, len(k.Fields)), unique: k.Unique,
			references: k.References}
		for _, f := range k.Fields {
			info.fields[f.Name] = f
		}
		if f, ok := info.fields[k.Key]; !ok || f.Type != configstore.TypeText || f.Nullable {
			panic(fmt.Sprintf("memory: kind %s: key %s must be a non-null text field", k.Name, k.Key))
		}
		if f, ok := info.fields[revisionField]; ok && f.Type == configstore.TypeInt && !f.Nullable {
			info.hasRevision = true
		}
		for _, u := range k.Unique {
			for _, name := range u {
				if _, ok := info.fields[name]; !ok {
					panic(fmt.Sprintf("memory: kind %s: unique constraint names unknown field %s", k.Name, name))
				}
			}
		}
		s.kinds[k.Name] = info
	}
	for _, k := range kinds {
		for _, ref := range k.References {
			f, ok := s.kinds[k.Name].fields[ref.Field]
			if !ok || f.Type != configstore.TypeText {
				panic(fmt.Sprintf("memory: kind %s: reference field %s must be a text field", k.Name, ref.Field))
			}
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

// field returns the named field of the kind, or an ErrInvalid error.
func (k *kindInfo) field(name string) (configstore.Field, error) {
	f, ok := k.fields[name]
	if !ok {
		return configstore.Field{}, invalidf("kind %s has no field %q", k.kind.Name, name)
	}
	return f, nil
}
