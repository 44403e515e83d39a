package postgres_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/pgtest"
	"github.com/gatewaykit/configstore/backends/postgres"
	"github.com/uptrace/bun/driver/pgdriver"
)

const secretPassword = "s3cret-P@ss/word"

// TestOpenErrorsHideThePassword: errors of a failed connection, and of a
// DSN pgdriver cannot use, never show the password.
func TestOpenErrorsHideThePassword(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []postgres.Config{
		{Host: "127.0.0.1", Port: "1", User: "gw", Password: secretPassword, DBName: "gateway", SSLMode: "disable"},
		{DSN: "postgres://gw:" + strings.ReplaceAll(secretPassword, "/", "%2F") + "@127.0.0.1:1/gateway?sslmode=bogus"},
		{DSN: "postgres://gw:" + strings.ReplaceAll(secretPassword, "/", "%2F") + "@127.0.0.1:1/gateway?sslmode=disable"},
	} {
		_, err := postgres.Open(ctx, cfg, configstore.OpenOptions{Logger: quiet})
		if err == nil {
			t.Fatal("open succeeded on port 1")
		}
		for _, form := range []string{secretPassword, strings.ReplaceAll(secretPassword, "/", "%2F"), "s3cret"} {
			if strings.Contains(err.Error(), form) {
				t.Fatalf("error %q holds the password", err)
			}
		}
	}
}

// TestRefusesNonUTF8Database: a SQL_ASCII database is refused before
// anything is written to it, with the fix in the message.
func TestRefusesNonUTF8Database(t *testing.T) {
	dsn, name := pgtest.NewDatabase(t, "SQL_ASCII")
	_, err := postgres.Open(context.Background(), postgres.Config{DSN: dsn}, configstore.OpenOptions{Logger: quiet})
	if err == nil {
		t.Fatal("a SQL_ASCII database was accepted")
	}
	for _, want := range []string{name, "SQL_ASCII", "UTF8", "CREATE DATABASE", "ENCODING 'UTF8'"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// Nothing was written to it.
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithUnsafeStrings(true)))
	defer db.Close()
	var tables int
	if err := db.QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("the refused database has %d tables (%v), want none", tables, err)
	}
}

// TestOpenThroughRegistry opens the store as a gateway does, from
// config.json's driver config with env references.
func TestOpenThroughRegistry(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	t.Setenv("CS_TEST_PG_DSN", dsn)
	ctx := context.Background()
	store, err := configstore.Open(ctx, configstore.Config{Enabled: true, Type: "postgres",
		Config: json.RawMessage(`{"dsn": "env.CS_TEST_PG_DSN", "max_open_conns": 4}`)}, configstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.CreateProvider(ctx, &configstore.Provider{Name: "openai"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GetProvider(ctx, "openai"); err != nil {
		t.Fatal(err)
	}
	_, err = configstore.Open(ctx, configstore.Config{Enabled: true, Type: "postgres",
		Config: json.RawMessage(`{"dsn": "env.CS_TEST_PG_DSN", "pool": 4}`)})
	if !errors.Is(err, configstore.ErrInvalid) {
		t.Fatalf("an unknown config field: %v, want ErrInvalid", err)
	}
}
