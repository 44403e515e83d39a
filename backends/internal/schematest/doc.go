// Package schematest compares a migrated SQL schema, read from the
// database's catalog, with the kind declarations (configstore.Kinds): one
// table per kind with exactly its fields as columns of the right type and
// nullability, the key as primary key, the unique constraints, a foreign
// key per reference with its delete rule, and an index led by every
// reference column. A drift between kinds.go and the migrations fails the
// SQL backends' schema tests.
package schematest
