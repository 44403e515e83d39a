package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/schematest"
	"github.com/gatewaykit/configstore/migrate"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// TestSchemaMatchesDeclarations reads the migrated schema from SQLite's
// catalog and compares it with the kind declarations.
func TestSchemaMatchesDeclarations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.db")
	if err := openFile(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(sqliteshim.ShimName, "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema, notStrict, err := schematest.ReadSQLite(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range schematest.Diff(configstore.Kinds(), schema, schematest.SQLiteType, migrate.TableName, migrate.LocksTableName) {
		t.Error(d)
	}
	for _, name := range notStrict {
		if name != migrate.TableName && name != migrate.LocksTableName {
			t.Errorf("table %s is not STRICT", name)
		}
	}
	var rev int64
	if err := db.QueryRow("SELECT revision FROM configstore_state WHERE id = 'store'").Scan(&rev); err != nil || rev != 0 {
		t.Errorf("the state row: revision %d, %v; want ('store', 0)", rev, err)
	}
}
