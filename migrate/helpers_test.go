package migrate

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// Test migrations. Their SQL runs unchanged on SQLite and PostgreSQL.
const (
	m1ID = "20240101000000"
	m2ID = "20240102000000"
	m3ID = "20240103000000"

	m1File = m1ID + "_create_widgets.tx.up.sql"
	m2File = m2ID + "_seed_widgets.tx.up.sql"
	m3File = m3ID + "_create_sprockets.tx.up.sql"

	m1SQL = "CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
	m2SQL = "INSERT INTO widgets (id, name) VALUES (1, 'first');\n"
	m3SQL = "CREATE TABLE sprockets (id INTEGER PRIMARY KEY);\n"
)

// migrations builds a migration FS from file name / body pairs.
func migrations(pairs ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(pairs); i += 2 {
		fsys[pairs[i]] = &fstest.MapFile{Data: []byte(pairs[i+1])}
	}
	return fsys
}

// target is one database under test; open returns a new handle on it.
type target struct {
	name string
	// dsn is the PostgreSQL database's DSN (empty for SQLite).
	dsn  string
	open func(t *testing.T) *bun.DB
}

// eachTarget runs fn on a fresh SQLite database and a fresh PostgreSQL
// database (skipped, or failed under CONFIGSTORE_REQUIRE_POSTGRES=1, when
// CONFIGSTORE_TEST_POSTGRES_DSN is not set).
func eachTarget(t *testing.T, fn func(t *testing.T, tg target)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteTarget(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgTarget(t)) })
}

// sqliteTarget is a fresh SQLite file in t.TempDir(), in WAL mode; its
// handles have one connection with a busy_timeout, as the backend's writer.
func sqliteTarget(t *testing.T) target {
	path := filepath.Join(t.TempDir(), "config.db")
	tg := target{name: "sqlite", open: func(t *testing.T) *bun.DB { return openSQLite(t, path, 5000) }}
	db := tg.open(t)
	if _, err := db.Exec("PRAGMA journal_mode = WAL"); err != nil {
		t.Fatalf("enable WAL: %v", err)
	}
	return tg
}

// openSQLite opens path with a single connection and the given
// busy_timeout in milliseconds (0: none).
func openSQLite(t *testing.T, path string, busyMillis int) *bun.DB {
	t.Helper()
	sqldb, err := sql.Open(sqliteshim.ShimName, "file:"+path)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	sqldb.SetMaxOpenConns(1)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Exec("PRAGMA busy_timeout = ?", busyMillis); err != nil {
		t.Fatalf("set busy_timeout: %v", err)
	}
	return db
}

// pgAdminDSN returns CONFIGSTORE_TEST_POSTGRES_DSN or skips the test
// (fails it under CONFIGSTORE_REQUIRE_POSTGRES=1).
func pgAdminDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("CONFIGSTORE_TEST_POSTGRES_DSN")
	if dsn == "" {
		const unset = "CONFIGSTORE_TEST_POSTGRES_DSN is not set " +
			"(e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)"
		if os.Getenv("CONFIGSTORE_REQUIRE_POSTGRES") == "1" {
			t.Fatal("PostgreSQL test cannot run and CONFIGSTORE_REQUIRE_POSTGRES=1 forbids skipping: " + unset)
		}
		t.Skip("PostgreSQL test SKIPPED: " + unset)
	}
	return dsn
}

// pgTarget creates a fresh PostgreSQL database, dropped when t ends.
func pgTarget(t *testing.T) target {
	t.Helper()
	admin := pgAdminDSN(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "cs_migrate_test_" + hex.EncodeToString(b[:])
	exec := func(q string) error {
		sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(admin)))
		defer sqldb.Close()
		_, err := sqldb.Exec(q)
		return err
	}
	if err := exec("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse CONFIGSTORE_TEST_POSTGRES_DSN: %v", err)
	}
	u.Path = "/" + name
	dsn := u.String()
	return target{name: "postgres", dsn: dsn, open: func(t *testing.T) *bun.DB { return openPG(t, dsn, "") }}
}

// openPG opens dsn, with application_name set when appName is not empty.
func openPG(t *testing.T, dsn, appName string) *bun.DB {
	t.Helper()
	opts := []pgdriver.Option{pgdriver.WithDSN(dsn)}
	if appName != "" {
		opts = append(opts, pgdriver.WithApplicationName(appName))
	}
	db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(opts...)), pgdialect.New())
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// recorded returns the migration IDs TableName records, sorted.
func recorded(t *testing.T, db *bun.DB) []string {
	t.Helper()
	rows, err := readApplied(context.Background(), db)
	if err != nil {
		t.Fatalf("read %s: %v", TableName, err)
	}
	ids := make([]string, len(rows))
	for i, m := range rows {
		ids[i] = m.Name
	}
	return ids
}

// hasTable reports whether table exists in db.
func hasTable(t *testing.T, db *bun.DB, table string) bool {
	t.Helper()
	var n int
	var err error
	if db.Dialect().Name() == dialect.PG {
		err = db.NewRaw("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?", table).Scan(context.Background(), &n)
	} else {
		err = db.NewRaw("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(context.Background(), &n)
	}
	if err != nil {
		t.Fatalf("look for table %s: %v", table, err)
	}
	return n > 0
}

// count returns the number of rows of table.
func count(t *testing.T, db *bun.DB, table string) int {
	t.Helper()
	n, err := db.NewSelect().TableExpr(table).Count(context.Background())
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}

// equalIDs fails t unless got equals want.
func equalIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// logRecorder is a slog.Handler keeping every record, for assertions.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// messages returns the recorded messages containing substr, each with
// its attributes rendered as "key=value" after it.
func (h *logRecorder) messages(substr string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.records {
		if !strings.Contains(r.Message, substr) {
			continue
		}
		var b strings.Builder
		b.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool {
			b.WriteString(" " + a.String())
			return true
		})
		out = append(out, b.String())
	}
	return out
}
