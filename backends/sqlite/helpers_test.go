package sqlite_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/sqlite"
)

// quiet discards the logs of the backends under test.
var quiet = slog.New(slog.DiscardHandler)

// openFile opens the backend on path, failing the test on an error.
func openFile(t testing.TB, path string) configstore.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: path}, configstore.OpenOptions{Logger: quiet})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return b
}

// paths maps the backends openTemp returned to their files, for reopen.
var paths sync.Map

// openTemp opens a backend on a new file in a temporary directory.
func openTemp(t *testing.T) configstore.Backend {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.db")
	b := openFile(t, path)
	paths.Store(b, path)
	t.Cleanup(func() { paths.Delete(b) })
	return b
}

// reopen opens another backend on the file of b, which openTemp returned.
func reopen(t *testing.T, b configstore.Backend) configstore.Backend {
	t.Helper()
	path, ok := paths.Load(b)
	if !ok {
		t.Fatal("reopen: not a backend of openTemp")
	}
	return openFile(t, path.(string))
}
