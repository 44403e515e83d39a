package sqlite_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
)

// TestWritersOfTwoBackendsOnOneFile: two backends on one file stand for
// two processes (each has its own writer connection, so they contend for
// SQLite's write lock, not for a connection). 8 goroutines, 4 on each,
// make 200 read-modify-write updates each: none fails with SQLITE_BUSY and
// none is lost.
func TestWritersOfTwoBackendsOnOneFile(t *testing.T) {
	const perBackend, updates = 4, 200
	path := filepath.Join(t.TempDir(), "config.db")
	backends := []configstore.Backend{openFile(t, path), openFile(t, path)}
	defer backends[0].Close()
	defer backends[1].Close()
	rl := kindOf(t, "rate_limit")
	insertRecords(t, backends[0], rl, rateLimit("counter", "1h"))
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 2*perBackend*updates)
	for _, b := range backends {
		for range perBackend {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range updates {
					errs <- b.Write(ctx, func(tx configstore.Tx) error {
						rec, err := tx.Get(ctx, rl, "counter")
						if err != nil {
							return err
						}
						rev := rec["revision"].(int64)
						rec["revision"] = rev + 1
						return tx.Update(ctx, rl, rec, rev)
					})
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := getRecord(t, backends[1], rl, "counter")["revision"]; got != int64(1+2*perBackend*updates) {
		t.Fatalf("revision %v after %d updates, want %d", got, 2*perBackend*updates, 1+2*perBackend*updates)
	}
}
