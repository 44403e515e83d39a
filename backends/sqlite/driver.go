package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/gatewaykit/configstore/migrate"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// DriverName is the config store type this package registers.
const DriverName = "sqlite"

func init() { configstore.Register(DriverName, sqlstore.Driver(ParseConfig, Open)) }

// Open opens (creating it when missing) the database file cfg names,
// applies the pending migrations (unless opts.SkipMigrations: then the
// backend is for its migration status only) and returns the backend.
func Open(ctx context.Context, cfg Config, opts configstore.OpenOptions) (configstore.Backend, error) {
	path, err := cfg.File(opts.BaseDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: create the database directory: %w", err)
	}
	writer, err := openDB(ctx, path, writerRole)
	if err != nil {
		return nil, err
	}
	if !opts.SkipMigrations {
		if err := migrate.Up(ctx, writer, migrate.Options{Logger: opts.Logger}); err != nil {
			_ = writer.Close()
			return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
		}
	}
	reader, err := openDB(ctx, path, readerRole)
	if err != nil {
		_ = writer.Close()
		return nil, err
	}
	return sqlstore.New(sqlstore.Options{Read: reader, Write: writer, Dialect: dialect{}, Prepare: true, InProcess: true}), nil
}

// openDB opens a connection pool on path for a role: the writer pool holds
// a single connection, the reader pool a few.
func openDB(ctx context.Context, path string, r role) (*bun.DB, error) {
	sqldb, err := sql.Open(sqliteshim.ShimName, dsn(path, r))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	conns := 1
	if r == readerRole {
		conns = max(4, runtime.GOMAXPROCS(0))
	}
	sqldb.SetMaxOpenConns(conns)
	sqldb.SetMaxIdleConns(conns)
	sqldb.SetConnMaxLifetime(0)
	sqldb.SetConnMaxIdleTime(0)
	if err := sqldb.PingContext(ctx); err != nil {
		_ = sqldb.Close()
		if !sqliteshim.HasDriver() {
			err = errors.Join(err, errors.New("no SQLite driver for this platform: build with cgo"))
		}
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}
