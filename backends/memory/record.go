package memory

import (
	"maps"
	"slices"

	"github.com/gatewaykit/configstore"
)

// checkRecord validates rec against the kind's declaration and returns a
// private copy of it with times normalized (UTC, millisecond precision):
// every field present, no unknown field, each value of its field type's Go
// type, nil only where nullable. Errors wrap configstore.ErrInvalid and name
// the kind, the key and the field, never a value.
func (k *kindInfo) checkRecord(rec configstore.Record) (configstore.Record, string, error) {
	name := k.kind.Name
	if rec == nil {
		return nil, "", invalidf("%s: nil record", name)
	}
	key, _ := rec[k.kind.Key].(string)
	out := make(configstore.Record, len(k.kind.Fields))
	for _, f := range k.kind.Fields {
		v, ok := rec[f.Name]
		if !ok {
			return nil, key, fieldError(entityName(name, key), f.Name, "is missing", configstore.ErrInvalid)
		}
		nv, msg := checkValue(f, v)
		if msg != "" {
			return nil, key, fieldError(entityName(name, key), f.Name, msg, configstore.ErrInvalid)
		}
		out[f.Name] = nv
	}
	if len(rec) != len(out) {
		var unknown []string
		for field := range rec {
			if _, ok := k.fields[field]; !ok {
				unknown = append(unknown, field)
			}
		}
		slices.Sort(unknown)
		return nil, key, fieldError(entityName(name, key), unknown[0], "is not a field of "+name, configstore.ErrInvalid)
	}
	return out, key, nil
}

// copyRecord returns a copy of a stored record for a caller. Values are
// immutable Go types, so a shallow copy cannot alias internal state.
func copyRecord(rec configstore.Record) configstore.Record {
	return maps.Clone(rec)
}
