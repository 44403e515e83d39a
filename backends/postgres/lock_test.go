package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
	"github.com/gatewaykit/configstore/backends/internal/pgtest"
	"github.com/uptrace/bun/driver/pgdriver"
)

// waitingForWriteLock counts the sessions waiting for an advisory lock.
const waitingForWriteLock = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"

// TestWriterWaitingForTheLockHonoursCancel: a writer blocked on the write
// lock held by another backend (another process, as far as PostgreSQL can
// tell) returns when its context is cancelled, without running fn, and
// leaves no session waiting.
func TestWriterWaitingForTheLockHonoursCancel(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	holder, waiter := openDSN(t, dsn), openDSN(t, dsn)
	defer holder.Close()
	defer waiter.Close()
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer admin.Close()

	inside, release := make(chan struct{}), make(chan struct{})
	held := make(chan error)
	go func() {
		held <- holder.Write(context.Background(), func(configstore.Tx) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	ctx, cancel := context.WithCancel(context.Background())
	called := false
	waited := make(chan error)
	go func() { waited <- waiter.Write(ctx, func(configstore.Tx) error { called = true; return nil }) }()
	// Spin (no sleep) until the server shows the waiter queued for the lock.
	for n := 0; n == 0; {
		if err := admin.QueryRow(waitingForWriteLock).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled waiter returned %v, want context.Canceled", err)
	}
	if called {
		t.Fatal("a cancelled waiting writer ran fn")
	}
	var n int
	if err := admin.QueryRow(waitingForWriteLock).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d sessions still wait for the lock after the cancel (%v)", n, err)
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	// The waiter's pool is healthy: it writes at once now.
	rl, _ := configstore.KindByName("state")
	if err := waiter.Write(context.Background(), func(tx configstore.Tx) error {
		_, err := tx.Get(context.Background(), rl, "store")
		return err
	}); err != nil {
		t.Fatalf("a write after the cancelled wait: %v", err)
	}
}

// TestWritersOfTwoBackendsAreSerialized: two backends on one schema stand
// for two gateway nodes. Their read-modify-write transactions (Get, then
// Update expecting the revision read) never conflict, because the write
// lock serializes them: without it, READ COMMITTED would let two read the
// same revision and one fail with ErrConflict.
func TestWritersOfTwoBackendsAreSerialized(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	backends := []configstore.Backend{openDSN(t, dsn), openDSN(t, dsn)}
	defer backends[0].Close()
	defer backends[1].Close()
	backendtest.ConcurrentReadModifyWrite(t, backends, 4, 50)
}
