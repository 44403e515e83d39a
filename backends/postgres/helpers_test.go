package postgres_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/gatewaykit/configstore"
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

// openSchema opens a backend in a new schema of the test server.
func openSchema(t *testing.T) configstore.Backend {
	t.Helper()
	return openDSN(t, pgtest.NewSchema(t))
}
