package migrate

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"
)

func TestSQLiteWriteLockTimeout(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "config.db")
	holder := openSQLite(t, path, 0)
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	// No busy_timeout: Up's own bounded retry is what waits.
	db := openSQLite(t, path, 0)
	logs := &logRecorder{}
	err = Up(ctx, db, Options{FS: migrations(m1File, m1SQL), LockTimeout: 200 * time.Millisecond, Logger: slog.New(logs)})
	if !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("Up = %v, want ErrLockTimeout", err)
	}
	var lte *LockTimeoutError
	if !errors.As(err, &lte) || lte.Dialect != "sqlite" {
		t.Fatalf("error %#v is not a SQLite *LockTimeoutError", err)
	}
	if len(logs.messages("waiting for the SQLite write lock")) == 0 {
		t.Error("nothing was logged while waiting for the write lock")
	}

	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if hasTable(t, db, TableName) {
		t.Fatalf("%s was created without holding the write lock", TableName)
	}
	if err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL)}); err != nil {
		t.Fatalf("Up after the holder released the lock: %v", err)
	}
	equalIDs(t, "recorded", recorded(t, db), m1ID)
}

func TestSQLiteUpLeavesNoTransactionOpen(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t, filepath.Join(t.TempDir(), "config.db"), 0)
	bad := migrations(m1File, "CREATE TABLE gadgets (id INTEGER PRIMARY KEY);\n--bun:split\nSELECT * FROM no_such_table;\n")
	if err := Up(ctx, db, Options{FS: bad}); err == nil {
		t.Fatal("Up with a failing migration returned nil")
	}
	// The single connection went back to the pool; a transaction left open
	// on it would make this BEGIN fail.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("BEGIN after a failed Up: %v", err)
	}
	_ = tx.Rollback()
}
