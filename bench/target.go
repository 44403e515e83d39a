package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/gatewaykit/configstore"
)

// target is one backend under measurement, in the temp app dir of one run.
type target struct {
	name   string
	appDir string
	// fresh returns the config_store section of a new, empty database
	// named purpose ("store", "baseline").
	fresh func(ctx context.Context, purpose string) (database, error)
	// physical is the plain-driver access to the target's databases; nil
	// for the memory backend, which has no physical storage.
	physical physical
	// cleanup removes what fresh created.
	cleanup func() error
}

// database is one database of a target.
type database struct {
	// Store is the config_store section of config.json that opens it.
	Store configstore.Config
	// Plain is what the plain driver opens: the file path or the DSN.
	Plain string
}

// physical is what differs between the SQL databases for the plain-driver
// parts of the harness: the baseline and the row checks.
type physical interface {
	// open opens db with the plain database/sql driver, one connection.
	open(ctx context.Context, db database) (*sql.DB, error)
	// selectColumn returns the select-list expression that reads quoted
	// column col in the form insertRows takes back.
	selectColumn(col string) string
	// insertRows inserts every table of rows into db in one transaction,
	// the fastest way the database offers.
	insertRows(ctx context.Context, db *sql.DB, rows []tableRows) error
	// placeholder is the bind parameter i (from 1) of a statement.
	placeholder(i int) string
	// readTx is how the store begins a read transaction.
	readTx() *sql.TxOptions
	// prepares says whether prepared statements are the driver's fastest
	// way to run a statement many times.
	prepares() bool
}

// memoryTarget is the memory backend: nothing on disk.
func memoryTarget(appDir string) *target {
	return &target{name: "memory", appDir: appDir,
		fresh: func(context.Context, string) (database, error) {
			return database{Store: configstore.Config{Enabled: true, Type: "memory"}}, nil
		},
		cleanup: func() error { return nil }}
}

// sqliteTarget is the SQLite backend: one database file per purpose in the
// app dir, named in config.json relative to it.
func sqliteTarget(appDir string) *target {
	return &target{name: "sqlite", appDir: appDir,
		fresh: func(_ context.Context, purpose string) (database, error) {
			file := purpose + ".db"
			cfg, err := json.Marshal(map[string]string{"path": file})
			if err != nil {
				return database{}, err
			}
			return database{Store: configstore.Config{Enabled: true, Type: "sqlite", Config: cfg},
				Plain: filepath.Join(appDir, file)}, nil
		},
		physical: sqlitePhysical{},
		cleanup:  func() error { return nil }}
}

// newTarget returns the target of backend name for a run in appDir.
func newTarget(ctx context.Context, name, appDir, pgDSN string) (*target, error) {
	switch name {
	case "memory":
		return memoryTarget(appDir), nil
	case "sqlite":
		return sqliteTarget(appDir), nil
	case "postgres":
		return postgresTarget(ctx, appDir, pgDSN)
	}
	return nil, fmt.Errorf("unknown backend %q: want memory, sqlite or postgres", name)
}
