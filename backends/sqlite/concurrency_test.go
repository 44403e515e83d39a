package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestWritersOfTwoBackendsOnOneFile: two backends on one file stand for
// two processes (each has its own writer connection, so they contend for
// SQLite's write lock, not for a connection). 8 goroutines, 4 on each,
// make 200 read-modify-write updates each: none fails with SQLITE_BUSY and
// none is lost.
func TestWritersOfTwoBackendsOnOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.db")
	backends := []configstore.Backend{openFile(t, path), openFile(t, path)}
	defer backends[0].Close()
	defer backends[1].Close()
	backendtest.ConcurrentReadModifyWrite(t, backends, 4, 200)
}
