package migrate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	bunmigrate "github.com/uptrace/bun/migrate"
)

// Bookkeeping tables. They have bun's layout (bunmigrate.WithTableName and
// WithLocksTableName with these names make bun's Migrator use them), so
// bun's tooling can inspect a configstore database.
const (
	// TableName is the table recording applied migrations, one row each.
	TableName = "configstore_migrations"
	// LocksTableName is bun's migration-lock table. Up does not use it
	// (PostgreSQL uses an advisory lock, SQLite its write lock) but creates
	// it so bun's Migrator.Lock works on the same database.
	LocksTableName = "configstore_migration_locks"
)

// migrationLock mirrors bun's unexported lock-table model.
type migrationLock struct {
	ID        int64  `bun:",pk,autoincrement"`
	TableName string `bun:",unique"`
}

// MigratorOptions returns the options that point a bun Migrator at
// configstore's bookkeeping tables, for tooling that inspects a database
// with bun's Migrator (for example MigrationsWithStatus). Apply
// migrations with Up, not with bun's Migrator.Migrate, which records a
// migration outside the migration's own transaction.
func MigratorOptions() []bunmigrate.MigratorOption {
	return []bunmigrate.MigratorOption{
		bunmigrate.WithTableName(TableName),
		bunmigrate.WithLocksTableName(LocksTableName),
		bunmigrate.WithMarkAppliedOnSuccess(true),
	}
}

// ensureTables creates the bookkeeping tables and a unique index on the
// migration name, which makes a second record of one migration impossible
// even for a runner that bypasses the lock.
func ensureTables(ctx context.Context, db bun.IDB) error {
	if _, err := db.NewCreateTable().Model((*bunmigrate.Migration)(nil)).
		ModelTableExpr(TableName).IfNotExists().Exec(ctx); err != nil {
		return fmt.Errorf("migrate: create %s: %w", TableName, err)
	}
	if _, err := db.NewCreateIndex().Unique().TableExpr(TableName).
		Index(TableName + "_name_unique").Column("name").IfNotExists().Exec(ctx); err != nil {
		return fmt.Errorf("migrate: create unique index on %s: %w", TableName, err)
	}
	if _, err := db.NewCreateTable().Model((*migrationLock)(nil)).
		ModelTableExpr(LocksTableName).IfNotExists().Exec(ctx); err != nil {
		return fmt.Errorf("migrate: create %s: %w", LocksTableName, err)
	}
	return nil
}

// tableExists reports whether TableName exists (in the search_path on
// PostgreSQL).
func tableExists(ctx context.Context, db bun.IDB) (bool, error) {
	var (
		exists bool
		err    error
	)
	switch db.Dialect().Name() {
	case dialect.PG:
		err = db.NewRaw("SELECT to_regclass(?) IS NOT NULL", TableName).Scan(ctx, &exists)
	default:
		var n int
		err = db.NewRaw("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", TableName).Scan(ctx, &n)
		exists = n > 0
	}
	if err != nil {
		return false, fmt.Errorf("migrate: look for %s: %w", TableName, err)
	}
	return exists, nil
}

// readApplied returns the recorded migrations in ascending name order.
func readApplied(ctx context.Context, db bun.IDB) ([]bunmigrate.Migration, error) {
	var ms []bunmigrate.Migration
	if err := db.NewSelect().Model(&ms).ModelTableExpr(TableName).
		ColumnExpr("*").Scan(ctx); err != nil {
		return nil, fmt.Errorf("migrate: read %s: %w", TableName, err)
	}
	slices.SortFunc(ms, func(a, b bunmigrate.Migration) int { return strings.Compare(a.Name, b.Name) })
	return ms, nil
}

// record inserts the bookkeeping row of s, in the caller's transaction.
func record(ctx context.Context, db bun.IDB, s script, groupID int64) error {
	m := &bunmigrate.Migration{Name: s.id, GroupID: groupID}
	if _, err := db.NewInsert().Model(m).ModelTableExpr(TableName).Exec(ctx); err != nil {
		return fmt.Errorf("migrate: record %s: %w", s.name(), err)
	}
	return nil
}
