package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/pgtest"
	"github.com/gatewaykit/configstore/backends/internal/schematest"
	"github.com/gatewaykit/configstore/migrate"
	"github.com/uptrace/bun/driver/pgdriver"
)

// TestSchemaMatchesDeclarations reads the migrated schema from
// PostgreSQL's catalog and compares it with the kind declarations.
func TestSchemaMatchesDeclarations(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	if err := openDSN(t, dsn).Close(); err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	schema, notC, err := schematest.ReadPostgres(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range schematest.Diff(configstore.Kinds(), schema, schematest.PostgresType, migrate.TableName, migrate.LocksTableName) {
		t.Error(d)
	}
	for _, col := range notC {
		t.Errorf("text column %s does not use COLLATE \"C\"", col)
	}
	var rev int64
	if err := db.QueryRow("SELECT revision FROM configstore_state WHERE id = 'store'").Scan(&rev); err != nil || rev != 0 {
		t.Errorf("the state row: revision %d, %v; want ('store', 0)", rev, err)
	}
}
