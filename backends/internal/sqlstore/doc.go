// Package sqlstore is the one implementation of configstore.Backend over a
// *bun.DB that the SQL backends (sqlite, postgres) share.
//
// Everything is generic over the declared kinds (configstore.Kinds): SQL is
// built from a Kind's table and fields, identifiers are quoted by the bun
// dialect and every value travels as a bind parameter, never inside the SQL
// text. What differs between databases (placeholders, parameter limits,
// transactions, native errors) sits behind the small Dialect interface,
// which each backend implements.
//
// The schema itself (one table per kind, with its keys, unique and foreign
// key constraints) comes from the SQL migrations in migrate/sql; the error
// mapping relies on those constraints: a taken key or unique value is
// configstore.ErrAlreadyExists, a dangling reference
// configstore.ErrInvalidReference, a delete blocked by a referrer
// configstore.ErrReferenced.
package sqlstore
