package sqlite_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

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

// openChild opens the backend on path outside a test.
func openChild(path string) (configstore.Backend, error) {
	return sqlite.Open(context.Background(), sqlite.Config{Path: path}, configstore.OpenOptions{Logger: quiet})
}

// kindOf returns the declared kind with that name.
func kindOf(t testing.TB, name string) *configstore.Kind {
	t.Helper()
	k, ok := configstore.KindByName(name)
	if !ok {
		t.Fatalf("no kind %q", name)
	}
	return k
}

// rateLimit returns a complete rate_limit record with revision 1.
func rateLimit(id, resetDuration string) configstore.Record {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return configstore.Record{
		"id": id, "token_max_limit": nil, "token_reset_duration": resetDuration, "request_max_limit": nil,
		"request_reset_duration": "1m", "calendar_aligned": false, "token_current_usage": int64(0),
		"token_last_reset": nil, "request_current_usage": int64(0), "request_last_reset": nil,
		"revision": int64(1), "created_at": now, "updated_at": now, "config_hash": nil,
	}
}

// insertRecords inserts records in their own transaction.
func insertRecords(t testing.TB, b configstore.Backend, k *configstore.Kind, recs ...configstore.Record) {
	t.Helper()
	if err := b.Write(context.Background(), func(tx configstore.Tx) error {
		return tx.Insert(context.Background(), k, recs...)
	}); err != nil {
		t.Fatal(err)
	}
}

// getRecord reads one record; a missing one is nil.
func getRecord(t testing.TB, b configstore.Backend, k *configstore.Kind, key string) configstore.Record {
	t.Helper()
	var rec configstore.Record
	err := b.Read(context.Background(), func(r configstore.Reader) error {
		var err error
		rec, err = r.Get(context.Background(), k, key)
		return err
	})
	if errors.Is(err, configstore.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return rec
}
