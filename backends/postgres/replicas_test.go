package postgres_test

import (
	"context"
	"database/sql"
	"io/fs"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/pgtest"
	"github.com/gatewaykit/configstore/backends/postgres"
	"github.com/gatewaykit/configstore/migrate"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// TestReplicasOpeningTogether: three stores opened at once on one fresh
// database (gateway replicas starting together) all succeed, every
// migration is recorded exactly once, and the stores share their data.
func TestReplicasOpeningTogether(t *testing.T) {
	dsn, _ := pgtest.NewDatabase(t, "UTF8")
	ctx := context.Background()
	stores := make([]configstore.ConfigStore, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := postgres.Open(ctx, postgres.Config{DSN: dsn}, configstore.OpenOptions{Logger: quiet})
			if err != nil {
				errs[i] = err
				return
			}
			stores[i] = configstore.New(b)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d failed to open: %v", i, err)
		}
		t.Cleanup(func() { _ = stores[i].Close() })
	}

	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	var recorded, distinct int
	err := db.QueryRow("SELECT count(*), count(DISTINCT name) FROM "+migrate.TableName).Scan(&recorded, &distinct)
	if err != nil {
		t.Fatal(err)
	}
	files, err := migrate.Embedded(dialect.PG)
	if err != nil {
		t.Fatal(err)
	}
	ups, err := fs.Glob(files, "*.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	if recorded != len(ups) || distinct != len(ups) {
		t.Fatalf("%d migration records (%d distinct) for %d migrations, want each recorded exactly once", recorded, distinct, len(ups))
	}

	if err := stores[0].CreateProvider(ctx, &configstore.Provider{Name: "openai"}); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[2].GetProvider(ctx, "openai"); err != nil {
		t.Fatalf("a replica does not see another's write: %v", err)
	}
}
