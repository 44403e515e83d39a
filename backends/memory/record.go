package memory

import (
	"math"
	"slices"

	"github.com/gatewaykit/configstore"
)

// row is the stored form of a record: its values in the order of its
// kind's fields (kindInfo positions). A stored row is never modified; an
// update stores a new one. Values are immutable Go types, so rows may share
// them with the records built from them.
type row []any

// shareValues makes r hold the values of other, a row of the same kind,
// wherever they are the same (sameStored): the values are immutable, and a
// row's are boxed (16 to 24 bytes each beside what they point to).
func shareValues(r, other row) {
	for i, v := range r {
		if v != nil && sameStored(v, other[i]) {
			r[i] = other[i]
		}
	}
}

// sameStored reports whether a and b, values of a row (of comparable
// types: checkValue), are the same stored value: equal, and floats of the
// same bits (0 and -0 are two values, as the SQL backends store them).
func sameStored(a, b any) bool {
	if f, ok := a.(float64); ok {
		g, ok := b.(float64)
		return ok && math.Float64bits(f) == math.Float64bits(g)
	}
	return a == b
}

// checkRecord validates rec against the kind's declaration and returns it
// as a new row with times normalized (UTC, millisecond precision): every
// field present, no unknown field, each value of its field type's Go type,
// nil only where nullable. Errors wrap configstore.ErrInvalid and name the
// kind, the key and the field, never a value.
func (k *kindInfo) checkRecord(rec configstore.Record) (row, string, error) {
	name := k.kind.Name
	if rec == nil {
		return nil, "", invalidf("%s: nil record", name)
	}
	key, _ := rec[k.kind.Key].(string)
	out := make(row, len(k.kind.Fields))
	for i, f := range k.kind.Fields {
		v, ok := rec[f.Name]
		if !ok {
			return nil, key, fieldError(entityName(name, key), f.Name, "is missing", configstore.ErrInvalid)
		}
		nv, msg := checkValue(f, v)
		if msg != "" {
			return nil, key, fieldError(entityName(name, key), f.Name, msg, configstore.ErrInvalid)
		}
		out[i] = nv
	}
	if len(rec) != len(out) {
		var unknown []string
		for field := range rec {
			if _, ok := k.pos[field]; !ok {
				unknown = append(unknown, field)
			}
		}
		slices.Sort(unknown)
		return nil, key, fieldError(entityName(name, key), unknown[0], "is not a field of "+name, configstore.ErrInvalid)
	}
	return out, key, nil
}

// record returns a stored row as a new record for a caller; it shares no
// map with the backend, so it cannot alias internal state.
func (k *kindInfo) record(r row) configstore.Record {
	rec := make(configstore.Record, len(r))
	for i, f := range k.kind.Fields {
		rec[f.Name] = r[i]
	}
	return rec
}
