package configstore

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// Normalize validates the entity v points to (a *Provider, *Key,
// *VirtualKey, ... as the ConfigStore methods take them) and applies its
// defaults in place (a plugin's version and placement, for example), as a
// create would, without touching a store. Errors are *FieldError with paths
// relative to the entity. Keys are not generated, and references to other
// records are not checked: that needs a store.
func Normalize(v any) error {
	e, ok := v.(entity)
	if !ok {
		return &messageError{err: ErrInvalid, msg: fmt.Sprintf("normalize: %T is not a pointer to a configstore entity", v)}
	}
	if err := e.validate(); err != nil {
		return err
	}
	if err := checkNotRedacted(v); err != nil {
		return err
	}
	if err := checkFreeFormsNotRedacted(v); err != nil {
		return err
	}
	return storeRoundTrip(v)
}

// storeRoundTrip sets the entity v points to to the value it would read
// back as from a store (codec.roundTrip): Normalize runs for every entity
// of a config.json when it is parsed, and again for each of its hashes.
func storeRoundTrip(v any) error {
	rv := reflect.ValueOf(v).Elem()
	return codecFor(rv.Type()).roundTrip(rv)
}

// MarshalStored encodes v as JSON like encoding/json, except that secrets
// (EnvVar fields) appear in their stored form: the "env.NAME" reference, or
// the literal in clear. It is the unredacted form: for hashing and for an
// export the operator asked to reveal, never for logs.
func MarshalStored(v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return []byte("null"), nil
	}
	return json.Marshal(storageTree(rv))
}
