package postgres_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
	"github.com/gatewaykit/configstore/backends/internal/pgtest"
	"github.com/gatewaykit/configstore/backends/postgres"
)

// quiet discards the logs of the backends under test.
var quiet = slog.New(slog.DiscardHandler)

// openDSN opens the backend on dsn, failing the test on an error.
func openDSN(t testing.TB, dsn string) configstore.Backend {
	t.Helper()
	b, err := postgres.Open(context.Background(), postgres.Config{DSN: dsn}, configstore.OpenOptions{Logger: quiet})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return b
}

// harness opens backends in schemas of a pool that lives as long as the
// parent test, and reopens a backend's schema for the SharedStorage tests.
type harness struct {
	pool *pgtest.SchemaPool
	dsns sync.Map // configstore.Backend -> DSN of its schema
}

func newHarness(parent *testing.T) *harness {
	prepare := func(t testing.TB, dsn string) { _ = openDSN(t, dsn).Close() } // migrates
	return &harness{pool: pgtest.NewSchemaPool(parent, prepare, resetSQL)}
}

// open returns a backend on an empty schema.
func (h *harness) open(t *testing.T) configstore.Backend {
	t.Helper()
	dsn := h.pool.Get(t)
	b := openDSN(t, dsn)
	h.dsns.Store(b, dsn)
	t.Cleanup(func() { h.dsns.Delete(b) })
	return b
}

// reopen returns another backend on b's schema.
func (h *harness) reopen(t *testing.T, b configstore.Backend) configstore.Backend {
	t.Helper()
	dsn, ok := h.dsns.Load(b)
	if !ok {
		t.Fatal("reopen: not a backend of this harness")
	}
	return openDSN(t, dsn.(string))
}

// resetSQL empties the tables of every kind in schema and copies in what
// the seed schema holds (the rows the migrations insert): nullable
// references are cleared first, then rows are deleted referrers first.
func resetSQL(schema, seed string) string {
	var b strings.Builder
	order := backendtest.InsertOrder()
	for _, k := range order {
		var set, where []string
		for _, r := range k.References {
			if f, _ := k.Field(r.Field); f.Nullable {
				set = append(set, fmt.Sprintf("%s = NULL", r.Field))
				where = append(where, fmt.Sprintf("%s IS NOT NULL", r.Field))
			}
		}
		if len(set) > 0 {
			fmt.Fprintf(&b, "UPDATE %s.%s SET %s WHERE %s;\n", schema, k.Table, strings.Join(set, ", "), strings.Join(where, " OR "))
		}
	}
	for _, k := range slices.Backward(order) {
		fmt.Fprintf(&b, "DELETE FROM %s.%s;\n", schema, k.Table)
	}
	for _, k := range order {
		fmt.Fprintf(&b, "INSERT INTO %s.%s SELECT * FROM %s.%s;\n", schema, k.Table, seed, k.Table)
	}
	return b.String()
}
