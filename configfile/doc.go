// Package configfile reads Bifrost's config.json: a strict decoder that
// reports every problem with its JSON path, the presence of each managed
// section, and the canonical config_hash of each entity's file definition.
package configfile
