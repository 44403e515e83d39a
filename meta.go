package configstore

import "time"

// Meta holds the fields the store manages on every entity. Create and Update
// fill them in on the value they are given.
type Meta struct {
	// Revision counts the writes of this record, from 1. An update whose
	// Revision is not 0 must match the stored revision, or it fails with
	// ErrConflict (optimistic concurrency); 0 updates unconditionally.
	Revision int64 `json:"revision,omitempty" store:"revision"`
	// CreatedAt and UpdatedAt are set by the store (UTC, milliseconds).
	CreatedAt time.Time `json:"created_at,omitzero" store:"created_at"`
	UpdatedAt time.Time `json:"updated_at,omitzero" store:"updated_at"`
	// ConfigHash is the hash of the entity's config.json definition, set by
	// the reconciler (a write whose source is SourceConfigFile). Any other
	// write keeps the stored hash; setting a different one is ErrInvalid.
	ConfigHash string `json:"config_hash,omitempty" store:"config_hash,null"`
}

func (m *Meta) meta() *Meta { return m }
