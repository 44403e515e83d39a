package sqlite_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/sqlite"
)

// openFile opens the backend on path, failing the test on an error.
func openFile(t testing.TB, path string) configstore.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: path}, configstore.OpenOptions{Logger: quiet})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return b
}

// quiet discards the logs of the backends under test.
var quiet = slog.New(slog.DiscardHandler)

// openTemp opens a backend on a new file in a temporary directory.
func openTemp(t *testing.T) configstore.Backend {
	t.Helper()
	return openFile(t, filepath.Join(t.TempDir(), "config.db"))
}
