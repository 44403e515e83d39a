// Package backendtest checks a configstore.Backend directly, below the
// portable ConfigStore that the conformance suite goes through: record
// types and their exact round trip, List conditions and order, the
// constraints and their errors, delete rules, transactions, snapshots,
// cancellation and concurrent writers. The SQL backends' tests run it on
// SQLite and on PostgreSQL; its expectations are those of the memory
// backend, so every backend behaves the same.
package backendtest
