package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// assertNoAdvisoryLock fails t if any session holds the migration lock in
// db's database.
func assertNoAdvisoryLock(t *testing.T, db *bun.DB) {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	key, err := lockKey(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	holders, err := lockHolders(context.Background(), conn, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(holders) != 0 {
		t.Fatalf("the migration advisory lock is still held by %v", holders)
	}
}

// holdPGLock takes the migration advisory lock on a dedicated connection of
// db, returning that session's pid and a function releasing the lock.
func holdPGLock(t *testing.T, db *bun.DB) (pid int, release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if err := conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	key, err := lockKey(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?, ?)", key.class, key.obj); err != nil {
		t.Fatal(err)
	}
	return pid, func() {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock(?, ?)", key.class, key.obj); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPostgresLockTimeoutNamesTheHolder(t *testing.T) {
	tg := pgTarget(t)
	ctx := context.Background()
	const appName = "configstore-lock-holder-test"
	pid, release := holdPGLock(t, openPG(t, tg.dsn, appName))

	logs := &logRecorder{}
	db := tg.open(t)
	err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL), LockTimeout: 300 * time.Millisecond, Logger: slog.New(logs)})
	if !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("Up = %v, want ErrLockTimeout", err)
	}
	for _, want := range []string{fmt.Sprintf("pid %d", pid), appName} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	var lte *LockTimeoutError
	if !errors.As(err, &lte) || len(lte.Holders) != 1 || lte.Holders[0].PID != pid || lte.Holders[0].ApplicationName != appName {
		t.Errorf("error %#v does not carry the holder pid %d / %s", err, pid, appName)
	}
	waiting := logs.messages("waiting for the migration advisory lock")
	if len(waiting) == 0 {
		t.Error("nothing was logged while waiting for the lock")
	} else if !strings.Contains(waiting[0], fmt.Sprint(pid)) || !strings.Contains(waiting[0], appName) {
		t.Errorf("the waiting log %q does not name the holder", waiting[0])
	}
	if hasTable(t, db, TableName) {
		t.Fatalf("%s was created without holding the lock", TableName)
	}

	release()
	if err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL), LockTimeout: 5 * time.Second}); err != nil {
		t.Fatalf("Up after the holder released the lock: %v", err)
	}
	equalIDs(t, "recorded", recorded(t, db), m1ID)
	assertNoAdvisoryLock(t, db)
}

func TestPostgresLockWaitHonoursContext(t *testing.T) {
	tg := pgTarget(t)
	_, release := holdPGLock(t, tg.open(t))
	defer release()
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("test gives up")
	logs := &logRecorder{}
	// The cancellation is triggered by the waiting log record, so the wait
	// is certainly under way when it happens.
	h := &cancelOnLog{logRecorder: logs, cancel: func() { cancel(cause) }}
	err := Up(ctx, tg.open(t), Options{FS: migrations(m1File, m1SQL), Logger: slog.New(h)})
	if !errors.Is(err, cause) {
		t.Fatalf("Up = %v, want the context's cause", err)
	}
}

// cancelOnLog records like logRecorder and calls cancel on the first
// record about waiting.
type cancelOnLog struct {
	*logRecorder
	cancel func()
}

func (h *cancelOnLog) Handle(ctx context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "waiting") {
		h.cancel()
	}
	return h.logRecorder.Handle(ctx, r)
}

func TestPostgresLockIsPerSchema(t *testing.T) {
	tg := pgTarget(t)
	ctx := context.Background()
	admin := tg.open(t)
	for _, s := range []string{"tenant_a", "tenant_b"} {
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	inSchema := func(schema string) *bun.DB {
		db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(tg.dsn),
			pgdriver.WithConnParams(map[string]any{"search_path": schema}))), pgdialect.New())
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	_, release := holdPGLock(t, inSchema("tenant_a"))
	defer release()

	fsys := migrations(m1File, m1SQL)
	b := inSchema("tenant_b")
	if err := Up(ctx, b, Options{FS: fsys, LockTimeout: 5 * time.Second}); err != nil {
		t.Fatalf("Up in tenant_b while tenant_a's lock is held: %v", err)
	}
	equalIDs(t, "recorded in tenant_b", recorded(t, b), m1ID)
	if err := Up(ctx, inSchema("tenant_a"), Options{FS: fsys, LockTimeout: 100 * time.Millisecond}); !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("Up in tenant_a = %v, want ErrLockTimeout", err)
	}
}
