package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/gatewaykit/configstore/migrate"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// DriverName is the config store type this package registers.
const DriverName = "postgres"

// applicationName is the default application_name of the connections, so
// that pg_stat_activity (and migration lock errors) name the store.
const applicationName = "configstore"

func init() { configstore.Register(DriverName, sqlstore.Driver(ParseConfig, Open)) }

// Open connects to the database cfg describes, refuses it unless its
// encoding is UTF8, applies the pending migrations (unless
// opts.SkipMigrations: then the backend is for its migration status only)
// and returns the backend.
// No error carries the password.
func Open(ctx context.Context, cfg Config, opts configstore.OpenOptions) (configstore.Backend, error) {
	r, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	b, err := open(ctx, r, opts)
	if err != nil {
		return nil, scrub(err, r.password)
	}
	return b, nil
}

func open(ctx context.Context, r resolved, opts configstore.OpenOptions) (b configstore.Backend, err error) {
	connOpts, err := connectorOptions(r.dsn)
	if err != nil {
		return nil, err
	}
	connector := pgdriver.NewConnector(connOpts...)
	sqldb := sql.OpenDB(connector)
	sqldb.SetMaxOpenConns(r.maxOpen)
	sqldb.SetMaxIdleConns(r.maxIdle)
	if err := checkEncoding(ctx, sqldb, connOpts, r.databaseName); err != nil {
		_ = sqldb.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := bun.NewDB(sqldb, pgdialect.New())
	if !opts.SkipMigrations {
		if err := migrate.Up(ctx, db, migrate.Options{Logger: opts.Logger}); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("postgres: migrate: %w", err)
		}
	}
	d := dialect{cancel: func(ctx context.Context, pid int64) error { return cancelBackend(ctx, connector, pid) }}
	if r.prepare {
		d.prepared = newPreparedStatements()
	}
	return sqlstore.New(sqlstore.Options{Read: db, Write: db, Dialect: d}), nil
}

// connectorOptions returns pgdriver's options for dsn. Reads wait as long
// as their context allows (pgdriver's default 10 s read timeout would end a
// writer's wait for the write lock), unless dsn sets read_timeout. Sessions
// run in UTC, with standard conforming strings, whatever dsn says (see
// sessionSettings).
func connectorOptions(dsn string) (opts []pgdriver.Option, err error) {
	opts = []pgdriver.Option{pgdriver.WithReadTimeout(0), pgdriver.WithApplicationName(applicationName)}
	// pgdriver.WithDSN panics on a DSN it cannot parse; its message may
	// hold the DSN. Apply it once here to turn that into an error.
	defer func() {
		if p := recover(); p != nil {
			opts, err = nil, fmt.Errorf("postgres config: invalid dsn: %v: %w", p, configstore.ErrInvalid)
		}
	}()
	withDSN := pgdriver.WithDSN(dsn)
	withDSN(&pgdriver.Config{})
	return append(opts, withDSN, sessionSettings), nil
}

// sessionSettings sets two settings of every session, among the
// connection parameters dsn gives, whatever it says:
//   - TimeZone to UTC. The server writes a timestamptz in the session's
//     zone, and in another one pgdriver cannot read every time the store
//     holds (9999-12-31 23:59 UTC is year 10000 in Amsterdam; an offset of
//     seconds, as Amsterdam's before 1892, is not RFC 3339).
//   - standard_conforming_strings to on. pgdriver writes every value into
//     the statement's text as a literal whose quotes it doubles (with the
//     setting off, the server would read a backslash in it as an escape),
//     so it refuses a session where the setting is off: a DSN or a role
//     that turns it off would leave the store unable to connect.
func sessionSettings(conf *pgdriver.Config) {
	params := make(map[string]any, len(conf.ConnParams)+2)
	for k, v := range conf.ConnParams {
		params[k] = v
	}
	params["TimeZone"] = "UTC"
	params["standard_conforming_strings"] = "on"
	conf.ConnParams = params
}

// cancelBackend cancels the statement running on backend pid, over a new
// connection of connector (the pool may be exhausted by waiting writers).
func cancelBackend(ctx context.Context, connector *pgdriver.Connector, pid int64) error {
	conn, err := connector.Connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	execer, ok := conn.(driver.ExecerContext)
	if !ok {
		return errors.New("pgdriver connection cannot exec")
	}
	_, err = execer.ExecContext(ctx, "SELECT pg_cancel_backend($1)", []driver.NamedValue{{Ordinal: 1, Value: pid}})
	return err
}

// scrub replaces the password in err's message, whatever produced it, in
// the spellings a URL gives it too.
func scrub(err error, password string) error {
	if password == "" {
		return err
	}
	_, userinfo, _ := strings.Cut(url.UserPassword("u", password).String(), ":")
	msg := err.Error()
	for _, form := range []string{password, userinfo, url.QueryEscape(password), url.PathEscape(password)} {
		msg = strings.ReplaceAll(msg, form, "****")
	}
	if msg == err.Error() {
		return err
	}
	return &scrubbed{msg: msg, err: err}
}

// scrubbed is an error whose message had the password removed; errors.Is
// and errors.As still see the original.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
