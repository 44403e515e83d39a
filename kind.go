package configstore

import "slices"

// FieldType is the storage type of a Field. Record values carry exactly one
// Go type per FieldType (nil is NULL for nullable fields):
//
//	TypeText  string
//	TypeInt   int64
//	TypeFloat float64
//	TypeBool  bool
//	TypeTime  time.Time, UTC, millisecond precision
//	TypeJSON  string holding a JSON document
type FieldType int

// The field types a backend stores.
const (
	TypeText FieldType = iota + 1
	TypeInt
	TypeFloat
	TypeBool
	TypeTime
	TypeJSON
)

// String names the type.
func (t FieldType) String() string {
	switch t {
	case TypeText:
		return "text"
	case TypeInt:
		return "int"
	case TypeFloat:
		return "float"
	case TypeBool:
		return "bool"
	case TypeTime:
		return "time"
	case TypeJSON:
		return "json"
	}
	return "unknown"
}

// Field is one stored column of a kind.
type Field struct {
	Name     string
	Type     FieldType
	Nullable bool
}

// DeleteRule says what deleting a referenced row does to its referrers.
type DeleteRule int

const (
	// Restrict refuses the delete with ErrReferenced while referrers exist
	// (SQL: ON DELETE NO ACTION, checked at the end of the statement, so rows
	// deleted by the same cascade do not count).
	Restrict DeleteRule = iota + 1
	// Cascade deletes the referrers with the row (SQL: ON DELETE CASCADE).
	Cascade
)

// String names the rule as SQL spells it.
func (r DeleteRule) String() string {
	if r == Cascade {
		return "CASCADE"
	}
	return "NO ACTION"
}

// Reference declares that Field holds the key of a row of kind Target.
// A NULL field refers to nothing.
type Reference struct {
	Field    string
	Target   string // kind name
	OnDelete DeleteRule
}

// Kind declares one kind of record: its table, key, unique constraints and
// references. The declarations (Kinds) are the single source of truth that
// the memory backend enforces and the SQL migrations mirror.
type Kind struct {
	// Name is the kind's name ("virtual_key"), used in errors and the change log.
	Name string
	// Table is the table or collection name ("config_virtual_keys").
	Table string
	// Key is the primary-key field; its type is always TypeText.
	Key string
	// Fields lists every stored field, the key first.
	Fields []Field
	// Unique lists the unique constraints besides the key, each a field list.
	Unique [][]string
	// References lists the fields that point at other kinds' keys.
	References []Reference
	// Part marks a kind whose rows are not entities of their own: parts of
	// another entity (a virtual key's provider configs) and the store's
	// bookkeeping (the change log, the store revision). Writes to them get
	// no change-log entries.
	Part bool
}

// Field returns the named field.
func (k *Kind) Field(name string) (Field, bool) {
	i := slices.IndexFunc(k.Fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return k.Fields[i], true
}

// String returns the kind's name.
func (k *Kind) String() string { return k.Name }

// Kinds returns every declared kind. The declarations are shared: treat
// them as read-only. References may form cycles (a team
// references its budget, a budget its owning team), so SQL schemas add
// foreign keys after creating the tables.
func Kinds() []*Kind { return slices.Clone(allKinds) }

// KindByName returns the declared kind with that name.
func KindByName(name string) (*Kind, bool) {
	i := slices.IndexFunc(allKinds, func(k *Kind) bool { return k.Name == name })
	if i < 0 {
		return nil, false
	}
	return allKinds[i], true
}

// Referrers returns, for kind k, every (kind, reference) that points at it.
func Referrers(k *Kind) []KindReference {
	var out []KindReference
	for _, other := range allKinds {
		for _, ref := range other.References {
			if ref.Target == k.Name {
				out = append(out, KindReference{Kind: other, Reference: ref})
			}
		}
	}
	return out
}

// KindReference is a reference together with the kind that declares it.
type KindReference struct {
	Kind *Kind
	Reference
}
