package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
	"github.com/gatewaykit/configstore/backends/internal/pgtest"
	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// recorder is a driver.Connector over pgdriver's that records what its
// connections send: every Exec and Query is one round trip (pgdriver sends
// each as one simple-protocol query), and which connections were opened
// and closed.
type recorder struct {
	*pgdriver.Connector
	mu             sync.Mutex
	queries        []string
	opened, closed int
	// rewrite, when set, changes a query before it goes.
	rewrite func(query string) string
}

func (r *recorder) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := r.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opened++
	return &recordedConn{Conn: cn.(*pgdriver.Conn), r: r}, nil
}

// take returns the queries sent since the last take.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := r.queries
	r.queries = nil
	return q
}

// connections returns how many connections were opened and closed.
func (r *recorder) connections() (opened, closed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opened, r.closed
}

// sent records query and returns it as rewrite changes it.
func (r *recorder) sent(query string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, query)
	if r.rewrite != nil {
		return r.rewrite(query)
	}
	return query
}

// setRewrite sets the rewrite of the queries that follow (nil: none).
func (r *recorder) setRewrite(fn func(query string) string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rewrite = fn
}

// recordedConn is a pgdriver connection whose queries and Close a recorder
// sees; its other methods are pgdriver's.
type recordedConn struct {
	*pgdriver.Conn
	r *recorder
}

func (c *recordedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, c.r.sent(query), args)
}

func (c *recordedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, c.r.sent(query), args)
}

func (c *recordedConn) Close() error {
	c.r.mu.Lock()
	c.r.closed++
	c.r.mu.Unlock()
	return c.Conn.Close()
}

// openRecorded returns a store on a migrated schema of its own, whose
// connections r records.
func openRecorded(t *testing.T) (configstore.Backend, *recorder) {
	t.Helper()
	return openRecordedPreparing(t, newPreparedStatements())
}

// openRecordedPreparing is openRecorded with the dialect's prepared
// statements (nil: it prepares none).
func openRecordedPreparing(t *testing.T, prepared *preparedStatements) (configstore.Backend, *recorder) {
	t.Helper()
	return openRecordedOn(t, pgtest.NewSchema(t), prepared)
}

// openRecordedOn is openRecordedPreparing on the database (and schema) of
// dsn.
func openRecordedOn(t *testing.T, dsn string, prepared *preparedStatements) (configstore.Backend, *recorder) {
	t.Helper()
	b, err := Open(context.Background(), Config{DSN: dsn}, configstore.OpenOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	_ = b.Close() // migrated
	opts, err := connectorOptions(dsn)
	if err != nil {
		t.Fatal(err)
	}
	connector := pgdriver.NewConnector(opts...)
	r := &recorder{Connector: connector}
	db := bun.NewDB(sql.OpenDB(r), pgdialect.New())
	d := dialect{cancel: func(ctx context.Context, pid int64) error { return cancelBackend(ctx, connector, pid) },
		prepared: prepared}
	s := sqlstore.New(sqlstore.Options{Read: db, Write: db, Dialect: d})
	t.Cleanup(func() { _ = s.Close() })
	return s, r
}

// wantQueries fails t unless queries are as many as prefixes, each
// starting with its prefix.
func wantQueries(t *testing.T, what string, queries []string, prefixes ...string) {
	t.Helper()
	ok := len(queries) == len(prefixes)
	for i := 0; ok && i < len(queries); i++ {
		ok = strings.HasPrefix(queries[i], prefixes[i])
	}
	if !ok {
		t.Fatalf("%s sent %d round trips:\n%s\nwant %d starting with:\n%s", what,
			len(queries), strings.Join(queries, "\n"), len(prefixes), strings.Join(prefixes, "\n"))
	}
}

// getCounter reads the rate limit "counter" through r and checks that it
// is at revision 1.
func getCounter(t *testing.T, r configstore.Reader, what string) error {
	t.Helper()
	rl := backendtest.Kind(t, "rate_limit")
	rec, err := r.Get(context.Background(), rl, "counter")
	if err == nil && rec["revision"] != int64(1) {
		t.Errorf("%s: revision %v, want 1", what, rec["revision"])
	}
	return err
}

// TestRoundTrips: BEGIN, and for a write the try for the write lock, go
// with the first statement; a transaction that runs no statement sends
// nothing, and leaves its connection in the pool, fit for the next.
func TestRoundTrips(t *testing.T) {
	b, r := openRecorded(t)
	ctx := context.Background()
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "counter", nil))
	r.take()

	if err := b.Read(ctx, func(configstore.Reader) error { return nil }); err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read that runs no statement", r.take())
	if err := b.Write(ctx, func(configstore.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a write that runs no statement", r.take())

	// A query after BEGIN: pgdriver returns the rows of the last statement,
	// or none.
	err := b.Read(ctx, func(rd configstore.Reader) error {
		if _, err := rd.Get(ctx, rl, "missing"); !errors.Is(err, configstore.ErrNotFound) {
			t.Errorf("get of a missing key, first in its read: %v, want ErrNotFound", err)
		}
		return getCounter(t, rd, "get")
	})
	if err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read of two records", r.take(), beginRead+"SELECT ", "SELECT ", "ROLLBACK")
	err = b.Read(ctx, func(rd configstore.Reader) error {
		return getCounter(t, rd, "get first in its read")
	})
	if err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read of one record", r.take(), beginRead+"SELECT ", "ROLLBACK")

	err = b.Write(ctx, func(tx configstore.Tx) error {
		rec, err := tx.Get(ctx, rl, "counter")
		if err != nil {
			return err
		}
		rec["revision"] = int64(2)
		return tx.Update(ctx, rl, rec, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read-modify-write", r.take(), beginWrite+"SAVEPOINT configstore_op; SELECT ",
		"RELEASE SAVEPOINT configstore_op; SAVEPOINT configstore_op; UPDATE ", "SELECT 1; COMMIT")
	if got := backendtest.Get(t, b, rl, "counter")["revision"]; got != int64(2) {
		t.Fatalf("after the write: revision %v, want 2", got)
	}
	if opened, closed := r.connections(); opened != 1 || closed != 0 {
		t.Fatalf("%d connections opened, %d closed; want the first one reused throughout", opened, closed)
	}
}

// TestFailedFirstStatement: the first statement of a write fails in the
// round trip that began the transaction; the transaction stays usable,
// holds the lock, and commits what came after.
func TestFailedFirstStatement(t *testing.T) {
	b, r := openRecorded(t)
	ctx := context.Background()
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "counter", nil))
	r.take()
	err := b.Write(ctx, func(tx configstore.Tx) error {
		err := tx.Insert(ctx, rl, backendtest.Record(t, rl, "counter", nil))
		if !errors.Is(err, configstore.ErrAlreadyExists) {
			t.Errorf("insert of a taken key: %v, want ErrAlreadyExists", err)
		}
		return tx.Insert(ctx, rl, backendtest.Record(t, rl, "second", nil))
	})
	if err != nil {
		t.Fatal(err)
	}
	if q := r.take(); !strings.HasPrefix(q[0], beginWrite+"SAVEPOINT configstore_op; INSERT ") || q[len(q)-1] != "SELECT 1; COMMIT" {
		t.Fatalf("the write sent %q", q)
	}
	if backendtest.Get(t, b, rl, "second") == nil {
		t.Fatal("the insert after the failed one was not committed")
	}
	if opened, closed := r.connections(); opened != 1 || closed != 0 {
		t.Fatalf("%d connections opened, %d closed; want the first one reused throughout", opened, closed)
	}
}

// TestCancelledReadDiscardsItsConnection: a read whose context ends after
// it ran a statement sends nothing more; its connection, in an unknown
// state, is closed instead of going back to the pool, and the next read
// works on a new one.
func TestCancelledReadDiscardsItsConnection(t *testing.T) {
	b, r := openRecorded(t)
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "counter", nil))
	r.take()
	ctx, cancel := context.WithCancel(context.Background())
	err := b.Read(ctx, func(rd configstore.Reader) error {
		_, err := rd.Get(ctx, rl, "counter")
		cancel()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read cancelled after its statement", r.take(), beginRead+"SELECT ")
	if opened, closed := r.connections(); opened != 1 || closed != 1 {
		t.Fatalf("%d connections opened, %d closed; want the only one closed", opened, closed)
	}
	if backendtest.Get(t, b, rl, "counter") == nil {
		t.Fatal("the read after the cancelled one found nothing")
	}
	if opened, _ := r.connections(); opened != 2 {
		t.Fatalf("%d connections opened, want 2", opened)
	}
}

// TestFailedCommitDiscardsTheConnection: a COMMIT that fails leaves the
// connection in an unknown state: it is closed, not pooled, and the next
// write works on a new one.
func TestFailedCommitDiscardsTheConnection(t *testing.T) {
	b, r := openRecorded(t)
	ctx := context.Background()
	rl := backendtest.Kind(t, "rate_limit")
	key := "doomed-" + t.Name() // pgdriver writes it into the query text
	admin, err := sql.Open("pg", pgtest.ServerDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	err = b.Write(ctx, func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, rl, backendtest.Record(t, rl, key, nil)); err != nil {
			return err
		}
		// The server ends this session: COMMIT cannot succeed.
		var n int
		return admin.QueryRowContext(ctx, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "+
			"WHERE state = 'idle in transaction' AND query LIKE '%' || $1 || '%'", key).Scan(&n)
	})
	if err == nil || !strings.HasPrefix(err.Error(), "commit: ") {
		t.Fatalf("a write whose session ended: %v, want a commit error", err)
	}
	if opened, closed := r.connections(); opened != 1 || closed != 1 {
		t.Fatalf("%d connections opened, %d closed; want the only one closed", opened, closed)
	}
	if backendtest.Get(t, b, rl, key) != nil {
		t.Fatal("the write whose commit failed is stored")
	}
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, key, nil))
}

// TestFailedReadLeavesTheWriteUsable: a read that fails on the server
// inside a write transaction is rolled back alone (to the savepoint that
// travelled with it), so the transaction goes on and commits what it
// wrote before and after; without that savepoint PostgreSQL aborts the
// whole transaction and answers its COMMIT with a silent rollback.
func TestFailedReadLeavesTheWriteUsable(t *testing.T) {
	b, r := openRecorded(t)
	ctx := context.Background()
	raw := sql.OpenDB(r.Connector) // unrecorded, same schema
	defer raw.Close()
	// Every read of a budget now fails on the server.
	if _, err := raw.ExecContext(ctx, "ALTER TABLE config_budgets RENAME COLUMN max_limit TO renamed_by_the_test"); err != nil {
		t.Fatal(err)
	}
	rl, budget := backendtest.Kind(t, "rate_limit"), backendtest.Kind(t, "budget")
	err := b.Write(ctx, func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, rl, backendtest.Record(t, rl, "before", nil)); err != nil {
			return err
		}
		if _, err := tx.Get(ctx, budget, "b"); err == nil || errors.Is(err, configstore.ErrNotFound) {
			t.Errorf("get from a table without its column: %v, want a server error", err)
		}
		if _, err := tx.List(ctx, budget, configstore.Query{}); err == nil {
			t.Error("list from a table without its column succeeded")
		}
		return tx.Insert(ctx, rl, backendtest.Record(t, rl, "after", nil))
	})
	if err != nil {
		t.Fatalf("the write failed after its failed reads: %v", err)
	}
	for _, key := range []string{"before", "after"} {
		if backendtest.Get(t, b, rl, key) == nil {
			t.Fatalf("%q was not committed", key)
		}
	}
}

// TestVirtualKeyUpdateRoundTrips: an update of a virtual key that leaves
// its provider configs as they are reads none of their rows (its stored
// PartsDigest matches), in two round trips: the lock, the check that the
// store revision is the one this process raised it to last
// (configstore.Expecter) and the key's row; then its UPDATE and the
// revision's, both held back (the transaction is pipelined), and its
// change-log entry (configstore.CommitInserter), with the COMMIT. Its
// failure there is reported as the key's: a taken name is
// ErrAlreadyExists naming it, and nothing changes.
func TestVirtualKeyUpdateRoundTrips(t *testing.T) {
	ctx := context.Background()
	store, r, vk := recordedVirtualKey(t)
	rev, err := store.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.take()
	vk.Description = "changed"
	if err := store.UpdateVirtualKey(ctx, vk); err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "an update of a virtual key's description", r.take(),
		expectingRevision(t, rev)+"SAVEPOINT configstore_op; SELECT ",
		`UPDATE "config_virtual_keys" SET "description" = $1, "revision" = $2, "updated_at" = $3 WHERE "id" = $4 AND "revision" = $5; `+
			`UPDATE "configstore_state" SET "revision" = $6, "digest" = $7 WHERE "id" = $8 AND "revision" = $9; INSERT INTO "configstore_changes" `)
	changes, err := store.ListChanges(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if last := changes[len(changes)-1]; last.Op != configstore.OpUpdate || last.ID != "vk" {
		t.Fatalf("last change %+v, want the update of vk", last)
	}

	other := &configstore.VirtualKey{ID: "other", Name: "other", Value: configstore.NewEnvVar("sk-other")}
	if err := store.CreateVirtualKey(ctx, other); err != nil {
		t.Fatal(err)
	}
	before, err := store.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other.Name = "vk"
	err = store.UpdateVirtualKey(ctx, other)
	if !errors.Is(err, configstore.ErrAlreadyExists) || !strings.Contains(err.Error(), `virtual_key "other"`) ||
		!strings.Contains(err.Error(), "unique (name)") {
		t.Fatalf("rename to a taken name: %v, want ErrAlreadyExists naming virtual_key \"other\" and unique (name)", err)
	}
	if got, err := store.GetVirtualKey(ctx, "other"); err != nil || got.Name != "other" {
		t.Fatalf("after the failed rename: %v, %v; want the key named other", got, err)
	}
	if after, err := store.Revision(ctx); err != nil || after != before {
		t.Fatalf("after the failed rename: revision %d, %v; want %d", after, err, before)
	}
}

// expectingRevision is what begins a write transaction of a store whose
// revision this process raised to rev last (see dialect.BeginExpecting).
func expectingRevision(t *testing.T, rev int64) string {
	t.Helper()
	begin, ok := dialect{}.BeginExpecting("configstore_state", "store", rev)
	if !ok {
		t.Fatal("BeginExpecting refused the store revision's check")
	}
	return begin
}

// TestStaleRevisionExpectation: when another process wrote since this one
// last did, the check that begins a write fails, the transaction begins
// again without it and the write goes on; the store revision and the
// change log come out as from any write, and the next write expects the
// new revision.
func TestStaleRevisionExpectation(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewSchema(t)
	b, r := openRecordedOn(t, dsn, newPreparedStatements())
	store, vk := storedVirtualKey(t, b)
	other, err := Open(ctx, Config{DSN: dsn}, configstore.OpenOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	if err := configstore.New(other).CreateProvider(ctx, &configstore.Provider{Name: "elsewhere"}); err != nil {
		t.Fatal(err)
	}
	before, err := store.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.take()
	vk.Description = "after another process wrote"
	if err := store.UpdateVirtualKey(ctx, vk); err != nil {
		t.Fatal(err)
	}
	queries := r.take()
	if len(queries) < 3 || !strings.HasPrefix(queries[0], expectingRevision(t, before-1)) ||
		!strings.HasPrefix(queries[1], "ROLLBACK; BEGIN ISOLATION LEVEL READ COMMITTED; ") {
		t.Fatalf("the write after another process's sent:\n%s\nwant the failed check, then the transaction begun again",
			strings.Join(queries, "\n"))
	}
	changes, err := store.ListChanges(ctx, before-1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0].Revision != before || changes[0].ID != "elsewhere" ||
		changes[1].Revision != before+1 || changes[1].ID != "vk" || changes[1].Op != configstore.OpUpdate {
		t.Fatalf("changes after revision %d: %+v; want the provider's at %d, then the key's update at %d",
			before-1, changes, before, before+1)
	}
	if got, err := store.GetVirtualKey(ctx, "vk"); err != nil || got.Description != vk.Description {
		t.Fatalf("after the write: %+v, %v; want the new description", got, err)
	}
	r.take()
	vk.Description = "again"
	if err := store.UpdateVirtualKey(ctx, vk); err != nil {
		t.Fatal(err)
	}
	if q := r.take(); len(q) != 2 || !strings.HasPrefix(q[0], expectingRevision(t, before+1)) {
		t.Fatalf("the next write sent:\n%s\nwant two round trips, the first expecting revision %d", strings.Join(q, "\n"), before+1)
	}
}

// TestConcurrentExpectingWriters: two stores on one database, two
// goroutines each, write at once, so that expectations go stale and the
// write lock is contended (the try for it fails before the check runs):
// every write lands, once, and the store revisions of the change log run
// without a gap or a repeat.
func TestConcurrentExpectingWriters(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewSchema(t)
	var stores []configstore.ConfigStore
	for range 2 {
		b, err := Open(ctx, Config{DSN: dsn}, configstore.OpenOptions{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		stores = append(stores, configstore.New(b))
	}
	const writers, writes = 4, 25
	for i := range writers {
		vk := &configstore.VirtualKey{ID: fmt.Sprintf("vk%d", i), Name: fmt.Sprintf("vk%d", i), Value: configstore.NewEnvVar(fmt.Sprintf("sk-%d", i))}
		if err := stores[0].CreateVirtualKey(ctx, vk); err != nil {
			t.Fatal(err)
		}
	}
	before, err := stores[0].Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			store := stores[i%2]
			for n := range writes {
				vk, err := store.GetVirtualKey(ctx, fmt.Sprintf("vk%d", i))
				if err == nil {
					vk.Description = fmt.Sprintf("write %d", n)
					err = store.UpdateVirtualKey(ctx, vk)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	changes, err := stores[1].ListChanges(ctx, before, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != writers*writes {
		t.Fatalf("%d changes after revision %d, want %d", len(changes), before, writers*writes)
	}
	for i, c := range changes {
		if c.Revision != before+int64(i)+1 || c.Op != configstore.OpUpdate {
			t.Fatalf("change %d: %+v, want the update at revision %d", i, c, before+int64(i)+1)
		}
	}
	for i := range writers {
		vk, err := stores[1].GetVirtualKey(ctx, fmt.Sprintf("vk%d", i))
		if err != nil || vk.Description != fmt.Sprintf("write %d", writes-1) || vk.Revision != writes+1 {
			t.Fatalf("vk%d after the writes: %+v, %v; want its last write at revision %d", i, vk, err, writes+1)
		}
	}
}

// recordedVirtualKey returns a store over openRecorded holding provider p,
// its key k and virtual key vk with one provider config of key k, and r
// with nothing recorded yet.
func recordedVirtualKey(t *testing.T) (configstore.ConfigStore, *recorder, *configstore.VirtualKey) {
	t.Helper()
	b, r := openRecorded(t)
	store, vk := storedVirtualKey(t, b)
	r.take()
	return store, r, vk
}

// storedVirtualKey stores, through a store on b, provider p, its key k
// and virtual key vk with a provider config of p listing k.
func storedVirtualKey(t *testing.T, b configstore.Backend) (configstore.ConfigStore, *configstore.VirtualKey) {
	t.Helper()
	ctx := context.Background()
	store := configstore.New(b)
	if err := store.CreateProvider(ctx, &configstore.Provider{Name: "p"}); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateKey(ctx, &configstore.Key{ID: "k", Provider: "p", Name: "k", Value: configstore.NewEnvVar("sk-k")}); err != nil {
		t.Fatal(err)
	}
	vk := &configstore.VirtualKey{ID: "vk", Name: "vk", Value: configstore.NewEnvVar("sk-vk"),
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "p", KeyIDs: []string{"k"}}}}
	if err := store.CreateVirtualKey(ctx, vk); err != nil {
		t.Fatal(err)
	}
	return store, vk
}
