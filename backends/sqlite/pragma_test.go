package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun/driver/sqliteshim"
)

// TestEveryConnectionGetsThePragmas holds several connections of each pool
// at once, so each is a separate connection, and reads their settings.
func TestEveryConnectionGetsThePragmas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.db")
	ctx := context.Background()
	for _, tc := range []struct {
		role      role
		queryOnly int
	}{{writerRole, 0}, {readerRole, 1}} {
		db, err := openDB(ctx, path, tc.role)
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(3)
		var conns []*sql.Conn
		for range 3 {
			c, err := db.DB.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		want := map[string]string{
			"foreign_keys": "1", "journal_mode": "wal", "synchronous": "1",
			"busy_timeout": "30000", "query_only": map[int]string{0: "0", 1: "1"}[tc.queryOnly],
		}
		if sqliteshim.DriverName() != "sqlite3" { // modernc.org/sqlite; mattn has no DSN parameter for it
			want["temp_store"] = "2" // MEMORY
		}
		for i, c := range conns {
			for pragma, want := range want {
				var got string
				if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if !strings.EqualFold(got, want) {
					t.Errorf("role %d, connection %d: %s = %s, want %s", tc.role, i, pragma, got, want)
				}
			}
			_ = c.Close()
		}
		_ = db.Close()
	}
}

// TestWriterTakesTheWriteLockAtBegin: a write transaction holds SQLite's
// write lock from its BEGIN (IMMEDIATE), before any statement, so another
// connection cannot begin writing meanwhile.
func TestWriterTakesTheWriteLockAtBegin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.db")
	ctx := context.Background()
	writer, err := openDB(ctx, path, writerRole)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	tx, err := dialect{}.BeginWrite(ctx, writer)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Tx.Rollback()
	otherDB, err := sql.Open(sqliteshim.ShimName, fileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	defer otherDB.Close()
	other, err := otherDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// Fail at once instead of waiting for the lock (mattn's default waits).
	if _, err := other.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	_, err = other.ExecContext(ctx, "BEGIN IMMEDIATE")
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("BEGIN IMMEDIATE on another connection while a write transaction is open: %v, want database is locked", err)
	}
	// A reader is not blocked.
	reader, err := openDB(ctx, path, readerRole)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	rtx, err := dialect{}.BeginRead(ctx, reader)
	if err != nil {
		t.Fatal(err)
	}
	defer rtx.Tx.Rollback()
	var n int
	if err := rtx.Tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		t.Fatalf("a reader while the writer holds the lock: %v", err)
	}
}
