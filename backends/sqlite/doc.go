// Package sqlite is the SQLite backend of configstore, the default store:
// one database file, no service to run. Importing it registers the driver
// "sqlite":
//
//	import _ "github.com/gatewaykit/configstore/backends/sqlite"
//
//	store, err := configstore.Open(ctx, configstore.Config{Enabled: true, Type: "sqlite",
//		Config: json.RawMessage(`{"path": "config.db"}`)}, configstore.WithBaseDir(appDir))
//
// The driver config is {"path": "..."} as in config.json; a relative path is
// resolved against the base directory (configstore.WithBaseDir), and the
// file and its directory are created when missing. Opening applies the
// pending schema migrations (package migrate).
//
// Every connection runs with journal_mode=WAL, busy_timeout,
// foreign_keys=ON and synchronous=NORMAL (and, on the pure-Go modernc
// driver, temp_store=MEMORY). Statements run prepared, from a cache per
// pool. Writes go through one writer
// connection whose transactions begin with BEGIN IMMEDIATE, so concurrent
// writers of one process queue for it instead of failing with SQLITE_BUSY,
// and writers of other processes wait for SQLite's write lock. Reads run on
// a pool of read-only connections, each read a deferred transaction, which
// in WAL mode is a snapshot that never waits for the writer.
//
// The SQLite engine is the one github.com/uptrace/bun/driver/sqliteshim
// selects: the pure-Go modernc.org/sqlite where it is supported (also with
// CGO_ENABLED=0), github.com/mattn/go-sqlite3 with cgo elsewhere or with
// the build tag cgosqlite. Both behave the same here.
package sqlite
