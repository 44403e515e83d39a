package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"
)

// NewSchema creates an empty schema on the test server, dropped when t
// ends, and returns a DSN whose every connection works in it (its
// search_path, set through pgdriver's connection parameters).
func NewSchema(t testing.TB) string {
	t.Helper()
	server := ServerDSN(t)
	name := uniqueName("cs_test_")
	exec(t, server, fmt.Sprintf("CREATE SCHEMA %s", name))
	t.Cleanup(func() { exec(t, server, fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE", name)) })
	dsn := withParam(t, server, "search_path", name)
	// Tests need no durability: commits need not wait for the disk.
	return withParam(t, dsn, "synchronous_commit", "off")
}

// NewDatabase creates a database with the given encoding ("UTF8",
// "SQL_ASCII", ...) on the test server, dropped when t ends, and returns
// its DSN and name.
func NewDatabase(t testing.TB, encoding string) (dsn, name string) {
	t.Helper()
	server := ServerDSN(t)
	name = uniqueName("cs_test_db_")
	exec(t, server, fmt.Sprintf("CREATE DATABASE %s ENCODING '%s' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", name, encoding))
	t.Cleanup(func() { exec(t, server, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)) })
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", EnvDSN, err)
	}
	u.Path = "/" + name
	return u.String(), name
}

func exec(t testing.TB, dsn, query string) {
	t.Helper()
	if err := execErr(dsn, query); err != nil {
		t.Fatalf("pgtest: %s: %v", query, err)
	}
}

func execErr(dsn, query string) error {
	_, err := admin(dsn).ExecContext(context.Background(), query)
	return err
}

// admins holds one connection pool per DSN, kept for the whole test
// process: connecting costs more than most statements tests run.
var admins struct {
	sync.Mutex
	pools map[string]*sql.DB
}

// admin returns the pool for dsn.
func admin(dsn string) *sql.DB {
	admins.Lock()
	defer admins.Unlock()
	if admins.pools == nil {
		admins.pools = map[string]*sql.DB{}
	}
	db, ok := admins.pools[dsn]
	if !ok {
		db = sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
		db.SetMaxIdleConns(2)
		admins.pools[dsn] = db
	}
	return db
}

// ping checks that the server at dsn answers.
func ping(dsn string) error {
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	return db.PingContext(context.Background())
}

// withParam returns dsn with the query parameter key set to value.
func withParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// uniqueName returns prefix followed by random hex: a valid, unquoted
// identifier no other test uses.
func uniqueName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
