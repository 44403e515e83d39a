package migrate_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing/fstest"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/gatewaykit/configstore/migrate"
)

// Up applies the pending migrations; Status reports them. A real caller
// leaves Options.FS nil to use the migrations embedded for the database's
// dialect.
func Example() {
	ctx := context.Background()
	sqldb, err := sql.Open(sqliteshim.ShimName, "file::memory:")
	if err != nil {
		panic(err)
	}
	sqldb.SetMaxOpenConns(1) // one in-memory database, one connection
	db := bun.NewDB(sqldb, sqlitedialect.New())
	defer db.Close()

	files := fstest.MapFS{
		"20240101000000_create_widgets.tx.up.sql": {Data: []byte("CREATE TABLE widgets (id INTEGER PRIMARY KEY);")},
		"20240102000000_create_gadgets.tx.up.sql": {Data: []byte("CREATE TABLE gadgets (id INTEGER PRIMARY KEY);")},
	}
	older := fstest.MapFS{"20240101000000_create_widgets.tx.up.sql": files["20240101000000_create_widgets.tx.up.sql"]}

	if err := migrate.Up(ctx, db, migrate.Options{FS: older}); err != nil {
		panic(err)
	}
	st, err := migrate.Status(ctx, db, migrate.Options{FS: files})
	if err != nil {
		panic(err)
	}
	for _, s := range st {
		fmt.Println(s.Name, s.Applied)
	}
	// Output:
	// 20240101000000_create_widgets true
	// 20240102000000_create_gadgets false
}
