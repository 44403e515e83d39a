// Package postgres is the PostgreSQL backend of configstore, for production
// and for several gateway nodes sharing one store. Importing it registers
// the driver "postgres":
//
//	import _ "github.com/gatewaykit/configstore/backends/postgres"
//
//	store, err := configstore.Open(ctx, configstore.Config{Enabled: true, Type: "postgres",
//		Config: json.RawMessage(`{"host": "db", "port": "5432", "user": "gateway",
//			"password": "env.PG_PASSWORD", "db_name": "gateway", "ssl_mode": "require"}`)})
//
// The driver config is the config_store.config object of config.json (see
// Config), or {"dsn": "postgres://..."}; every string field may be an
// "env.NAME" reference, resolved when the store is opened. Opening refuses a
// database whose encoding is not UTF8, then applies the pending schema
// migrations (package migrate).
//
// Reads run in REPEATABLE READ READ ONLY transactions: one snapshot, never
// waiting for a writer. Write transactions take a transaction-scoped
// advisory lock first, keyed by the schema, so writers of every process
// sharing the store run one at a time, in commit order; a writer waiting
// for it gives up when its context ends. A transaction's BEGIN (and a
// writer's first try for the lock) goes in one round trip with its first
// statement; one that runs no statement sends nothing. The driver is
// github.com/uptrace/bun/driver/pgdriver.
package postgres
