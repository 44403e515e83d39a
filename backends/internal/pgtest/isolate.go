package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
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
	return withParam(t, server, "search_path", name)
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

// Exec runs statements on the database dsn names, failing t on an error.
func Exec(t testing.TB, dsn, query string) {
	t.Helper()
	exec(t, dsn, query)
}

func exec(t testing.TB, dsn, query string) {
	t.Helper()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("pgtest: %s: %v", query, err)
	}
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
