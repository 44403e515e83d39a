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

// contenders opens two backends on one new schema, a writer holding the
// lock and one waiting for it, and a plain connection pool to watch the
// server's sessions; all are closed when t ends.
func contenders(t *testing.T) (holder, waiter configstore.Backend, admin *sql.DB) {
	dsn := pgtest.NewSchema(t)
	holder, waiter = openDSN(t, dsn), openDSN(t, dsn)
	admin = sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	t.Cleanup(func() {
		_ = holder.Close()
		_ = waiter.Close()
		_ = admin.Close()
	})
	return holder, waiter, admin
}

// TestWriterWaitingForTheLockHonoursCancel: a writer blocked on the write
// lock held by another backend (another process, as far as PostgreSQL can
// tell), in the first statement of fn, returns when its context is
// cancelled, without running the statement, and leaves no session waiting.
func TestWriterWaitingForTheLockHonoursCancel(t *testing.T) {
	holder, waiter, admin := contenders(t)

	state := backendtest.Kind(t, "state")
	inside, release := make(chan struct{}), make(chan struct{})
	held := make(chan error)
	go func() {
		held <- holder.Write(context.Background(), func(tx configstore.Tx) error {
			_, err := tx.Get(context.Background(), state, "store") // takes the lock
			close(inside)
			<-release
			return err
		})
	}()
	<-inside
	ctx, cancel := context.WithCancel(context.Background())
	rl := backendtest.Kind(t, "rate_limit")
	rec := backendtest.Record(t, rl, "waiter", nil)
	waited := make(chan error)
	go func() {
		waited <- waiter.Write(ctx, func(tx configstore.Tx) error { return tx.Insert(ctx, rl, rec) })
	}()
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
	var n int
	if err := admin.QueryRow(waitingForWriteLock).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d sessions still wait for the lock after the cancel (%v)", n, err)
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if backendtest.Get(t, holder, rl, "waiter") != nil {
		t.Fatal("the insert of the cancelled waiting writer is stored")
	}
	// The waiter's pool is healthy: it writes at once now.
	if err := waiter.Write(context.Background(), func(tx configstore.Tx) error {
		_, err := tx.Get(context.Background(), state, "store")
		return err
	}); err != nil {
		t.Fatalf("a write after the cancelled wait: %v", err)
	}
}

// TestContendedWriterRunsAfterTheLock: the first statement of a write
// travels with the try for the write lock; when another backend holds the
// lock, the statement waits for it, and then sees what the holder
// committed (it ran after the lock was granted, not before).
func TestContendedWriterRunsAfterTheLock(t *testing.T) {
	holder, waiter, admin := contenders(t)
	ctx := context.Background()
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, holder, rl, backendtest.Record(t, rl, "counter", nil))

	inside, release := make(chan struct{}), make(chan struct{})
	held := make(chan error)
	go func() {
		held <- holder.Write(ctx, func(tx configstore.Tx) error {
			rec, err := tx.Get(ctx, rl, "counter")
			if err != nil {
				return err
			}
			rev := rec["revision"].(int64)
			rec["revision"] = rev + 1
			if err := tx.Update(ctx, rl, rec, rev); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	seen := make(chan any, 1)
	waited := make(chan error)
	go func() {
		waited <- waiter.Write(ctx, func(tx configstore.Tx) error {
			rec, err := tx.Get(ctx, rl, "counter")
			if err == nil {
				seen <- rec["revision"]
			}
			return err
		})
	}()
	for n := 0; n == 0; {
		if err := admin.QueryRow(waitingForWriteLock).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case rev := <-seen:
		t.Fatalf("the waiting writer read revision %v before it held the lock", rev)
	default:
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if rev := <-seen; rev != int64(2) {
		t.Fatalf("the waiting writer read revision %v, want 2 (the holder's commit)", rev)
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
