package configfile

import (
	"crypto/sha256"
	"encoding/hex"
)

// Hash returns the config_hash of an entity's file definition: SHA-256
// (lowercase hex) of its canonical JSON. v is a pointer to a configstore
// entity (*configstore.Provider without its keys, *configstore.Key, ...); a
// *configstore.ProviderConfig is hashed as its Provider, since its keys are
// hashed one by one. v is not modified.
//
// The canonical JSON is that of a copy of v with defaults applied
// (configstore.Normalize; an invalid entity is an error wrapping
// configstore.ErrInvalid), secrets in their stored form (an "env.NAME"
// reference or the literal: a changed literal changes the hash, the value of
// a referenced variable never does), object keys sorted, numbers in one
// canonical form (1, 1.0 and 1e0 are the same number), empty lists, maps and
// absent values left out (so [] and a missing list hash the same), and the
// fields classed by their `config` struct tag as follows:
//
//	(no tag)          part of the definition; a list keeps its order
//	config:"set"      an unordered list: sorted, so its order never matters
//	config:"runtime"  runtime state (budget and rate-limit usage and last
//	                  resets): left out; CopyRuntimeState carries it over
//	config:"server"   server-managed (the embedded Meta: revision, created_at,
//	                  updated_at, config_hash): left out
//	config:"id"       the entity's key (id, client_id, a provider's or
//	                  plugin's name): left out; the reconciler matches file
//	                  and stored entities by it, so it is equal in the two
//	                  definitions a hash compares, and leaving it out keeps
//	                  the hash the same whether an id was given, generated
//	                  or filled in from the store
//
// A list is a set when its entries name things whose order the gateway does
// not use (models, key ids, tools, headers, origins, labels, scopes, a
// virtual key's provider configs keyed by provider and MCP configs keyed by
// client). Lists whose order means something keep it: routing targets and
// fallbacks (tried in order), a stdio MCP server's args (argv).
func Hash(v any) (string, error) {
	normalized, err := normalizedCopy(v)
	if err != nil {
		return "", err
	}
	return HashNormalized(normalized)
}

// HashNormalized is Hash for an entity that is normalized already: v is
// as configstore.Normalize leaves it, as are the entities of a File that
// Parse returns. It hashes v as it is, without the copy and the second
// normalization Hash makes, and gives the same hash as Hash(v) (Normalize
// changes nothing in a normalized entity). For a v that is not normalized
// the hash may differ from Hash's: use Hash. v is not modified.
func HashNormalized(v any) (string, error) {
	w := canonicalWriters.Get().(*canonicalWriter)
	defer canonicalWriters.Put(w)
	canonical, err := w.appendCanonicalJSON(w.out[:0], v)
	if err != nil {
		return "", err
	}
	w.out = canonical
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:]), nil
}
