package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gatewaykit/configstore"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// defaultPostgresDSN is the server the harness uses without -pg-dsn and
// CONFIGSTORE_TEST_POSTGRES_DSN.
const defaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// postgresDSN is the default of -pg-dsn.
func postgresDSN() string {
	if dsn := os.Getenv("CONFIGSTORE_TEST_POSTGRES_DSN"); dsn != "" {
		return dsn
	}
	return defaultPostgresDSN
}

// openPostgres opens dsn with pgdriver, the driver the postgres backend
// uses. pgdriver panics on a malformed DSN; that becomes an error.
func openPostgres(dsn string) (db *sql.DB, err error) {
	if _, err := url.Parse(dsn); err != nil {
		return nil, errors.New("malformed postgres DSN") // url.Error would repeat it, password included
	}
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, fmt.Errorf("malformed postgres DSN: %v", p)
		}
	}()
	db = sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithApplicationName("configstore-bench")))
	db.SetMaxOpenConns(1)
	return db, nil
}

// checkPostgres reports why the server at dsn cannot be used, or nil.
func checkPostgres(ctx context.Context, dsn string) error {
	db, err := openPostgres(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// postgresTarget is the PostgreSQL backend: a new database per purpose on
// the server at adminDSN, dropped by cleanup.
func postgresTarget(ctx context.Context, appDir, adminDSN string) (*target, error) {
	admin, err := openPostgres(adminDSN)
	if err != nil {
		return nil, err
	}
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		return nil, fmt.Errorf("postgres server: %w", err)
	}
	var created []string
	t := &target{name: "postgres", appDir: appDir, physical: postgresPhysical{}}
	t.fresh = func(ctx context.Context, purpose string) (database, error) {
		name := fmt.Sprintf("configstore_bench_%d_%s", os.Getpid(), purpose)
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)"); err != nil {
			return database{}, fmt.Errorf("drop database %s: %w", name, err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)+" ENCODING 'UTF8' TEMPLATE template0"); err != nil {
			return database{}, fmt.Errorf("create database %s: %w", name, err)
		}
		created = append(created, name)
		u, _ := url.Parse(adminDSN) // openPostgres parsed it
		u.Path = "/" + name
		cfg, err := json.Marshal(map[string]string{"dsn": u.String()})
		if err != nil {
			return database{}, err
		}
		return database{Store: configstore.Config{Enabled: true, Type: "postgres", Config: cfg}, Plain: u.String()}, nil
	}
	t.cleanup = func() error {
		var errs []error
		for _, name := range created {
			_, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)")
			errs = append(errs, err)
		}
		return errors.Join(append(errs, admin.Close())...)
	}
	return t, nil
}

// postgresPhysical reaches PostgreSQL with pgdriver, the backend's driver.
// The baseline uses COPY FROM STDIN in text format through pgdriver's
// CopyFrom: the same driver and wire protocol as the store, and no new
// dependency (pgx's binary CopyFrom would be one, for no gain at this
// size: the server parses the text rows in one statement per table).
type postgresPhysical struct{}

func (postgresPhysical) open(_ context.Context, db database) (*sql.DB, error) {
	return openPostgres(db.Plain)
}

func (postgresPhysical) placeholder(i int) string { return "$" + strconv.Itoa(i) }

// prepares is false: pgdriver sends text with bind parameters as one
// simple query, one round trip; a prepared statement's extended protocol
// is slower with it.
func (postgresPhysical) prepares() bool { return false }

// readTx is REPEATABLE READ READ ONLY, as the store's reads.
func (postgresPhysical) readTx() *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
}

// selectColumn reads the column as text: COPY's text format takes it back
// exactly (times, booleans, floats and JSON round-trip through it).
func (postgresPhysical) selectColumn(col string) string { return quoteIdent(col) + "::text" }

// insertRows runs one COPY per table inside one transaction.
func (postgresPhysical) insertRows(ctx context.Context, db *sql.DB, tables []tableRows) error {
	conn, err := bun.NewDB(db, pgdialect.New()).Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	var buf bytes.Buffer
	for _, t := range tables {
		buf.Reset()
		for _, row := range t.rows {
			for i, v := range row {
				if i > 0 {
					buf.WriteByte('\t')
				}
				writeCopyValue(&buf, v)
			}
			buf.WriteByte('\n')
		}
		query := fmt.Sprintf("COPY %s (%s) FROM STDIN", quoteIdent(t.kind.Table), quoteIdents(t.columns))
		if _, err := pgdriver.CopyFrom(ctx, conn, &buf, query); err != nil {
			return fmt.Errorf("copy into %s: %w", t.kind.Table, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	committed = true
	return nil
}

// copyEscaper escapes text for COPY's text format.
var copyEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// writeCopyValue writes one column value (text, or nil for NULL) in COPY's
// text format.
func writeCopyValue(buf *bytes.Buffer, v any) {
	if v == nil {
		buf.WriteString(`\N`)
		return
	}
	_, _ = copyEscaper.WriteString(buf, fmt.Sprint(v))
}
