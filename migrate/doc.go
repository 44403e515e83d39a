// Package migrate applies configstore's schema migrations to a SQLite or
// PostgreSQL database through github.com/uptrace/bun/migrate.
//
// # Files
//
// Migrations are SQL files embedded in the binary (go:embed), one directory
// per dialect: sql/sqlite and sql/postgres. They are named for bun's
// discovery, <14-digit timestamp>_<name>.tx.up.sql (with an optional
// .tx.down.sql, which this package never runs), and are applied in name
// order. Only transactional (.tx.) files are accepted. A file may hold
// several statements; a line "--bun:split" separates statements for drivers
// that run one statement per call. [Options.FS] replaces the embedded files
// (tests).
//
// # Guarantees
//
//   - Atomic: each migration runs in its own transaction together with the
//     insert of its bookkeeping row into [TableName]; it is recorded only if
//     it succeeds, and a failed migration leaves nothing behind, so the next
//     [Up] retries it. bun's own Migrator marks a migration applied outside
//     the migration's transaction, so this package drives bun's discovered
//     migrations itself, reusing bun's discovery, its Migration model and its
//     table layout (under the names [TableName] and [LocksTableName]).
//   - Exactly once: concurrent [Up] calls on one database (replicas starting
//     together) serialise. On PostgreSQL, Up takes a session advisory lock
//     on a dedicated connection (db.Conn) and runs every migration
//     transaction on that same connection; the wait is bounded by
//     [Options.LockTimeout], logged while it lasts, and a timeout returns a
//     [*LockTimeoutError] naming the holder (pid, application_name). The
//     lock is released on every path; if releasing fails, the connection is
//     discarded instead of being returned to the pool. The lock key is
//     derived from the current schema, so databases and schemas migrate
//     independently. On SQLite every
//     migration transaction is opened with BEGIN IMMEDIATE, so the
//     applied-set is read and the migration applied under the database's
//     write lock; a busy database is retried until LockTimeout.
//   - No downgrades: a database that records applied migrations this binary
//     does not know is refused with [ErrSchemaNewer] ("schema is newer than
//     this binary", listing the unknown names) before anything is applied.
//
// # What the caller provides
//
// A *bun.DB whose dialect is pgdialect or sqlitedialect. Up holds one
// connection of db for its whole run (db.Conn) and uses no other, so a pool
// limited to a single connection works; nothing else should need that
// connection meanwhile. For SQLite the connection must be able to write
// (pass the backend's writer pool, not a read-only one); a busy_timeout on
// the connection is recommended but not required, since Up retries
// SQLITE_BUSY itself (a long busy_timeout can extend a single wait beyond
// LockTimeout). For PostgreSQL, setting application_name on the connection
// makes lock-timeout errors of other replicas name this process usefully.
package migrate
