package migrate

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun/dialect"
)

// TestEmbeddedMigrationsApply applies the real, embedded migrations of each
// dialect twice and checks that Status then reports all of them applied.
func TestEmbeddedMigrationsApply(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		db := tg.open(t)
		d := db.Dialect().Name()
		if _, err := Embedded(d); errors.Is(err, ErrNoMigrations) {
			t.Skipf("SKIPPED: no embedded migrations for %s yet (migrate/sql is empty): %v", d, err)
		} else if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if err := Up(ctx, db, Options{}); err != nil {
				t.Fatalf("Up #%d: %v", i+1, err)
			}
		}
		st, err := Status(ctx, db, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 {
			t.Fatal("Status reports no migrations")
		}
		for _, s := range st {
			if !s.Applied || s.Unknown {
				t.Errorf("after Up: %+v", s)
			}
		}
	})
}

func TestEmbeddedUnknownDialect(t *testing.T) {
	if _, err := Embedded(dialect.MySQL); err == nil {
		t.Fatal("Embedded(mysql) returned no error")
	}
}
