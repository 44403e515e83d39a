// Package memory is the in-memory configstore backend, registered as the
// driver "memory".
//
// It serves file-only mode (config_store.enabled: false: the gateway loads
// config.json into a memory backend and then seals it read-only) and tests.
// Blank-import it to make the driver available to configstore.Open, or call
// New directly:
//
//	import _ "github.com/gatewaykit/configstore/backends/memory"
//
// The driver's JSON configuration is {"read_only": bool}; an empty or absent
// configuration means the defaults (writable), and an unknown field is an
// error naming it.
//
// # Concurrency
//
// The committed state is an immutable snapshot behind an atomic pointer.
// Backend.Read runs against the snapshot current when it starts and never
// waits for a writer. Write transactions are serialized: a transaction works
// on a private copy-on-write view of the snapshot (a kind's table is cloned
// the first time the transaction writes that kind) and commits with one
// pointer swap, so a commit is all or nothing and readers see either all of
// it or none of it. An error or a panic in the transaction function discards
// the view; the committed state is untouched.
//
// # Constraints
//
// Everything is enforced from the kind declarations (configstore.Kinds):
// record shape and field types, primary keys, unique constraints (with SQL
// semantics: a constraint with a NULL component never conflicts), references
// to existing rows, and the Cascade and Restrict delete rules. Error messages
// name kinds, keys and fields, never field values.
package memory
