package configfile

import "errors"

// Hash returns the config_hash of an entity's file definition: SHA-256 (hex)
// of its canonical JSON. v is a pointer to a configstore entity
// (*configstore.Provider without its keys, *configstore.Key, ...).
func Hash(v any) (string, error) { return "", errors.New("TODO") }
