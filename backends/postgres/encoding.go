package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun/driver/pgdriver"
)

// encodingQuery reads the current database's encoding.
const encodingQuery = "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"

// checkEncoding refuses a database whose encoding is not UTF8: text of
// every language must round-trip, and pgdriver needs client_encoding
// UTF8. db is the store's pool. pgdriver refuses to connect to such a
// database at all, with a message that does not say what to do; when db
// cannot connect, a connection that tolerates other encodings asks, so the
// error can give the fix.
func checkEncoding(ctx context.Context, db *sql.DB, opts []pgdriver.Option, database string) error {
	var encoding string
	err := db.QueryRowContext(ctx, encodingQuery).Scan(&encoding)
	if err != nil {
		probe := sql.OpenDB(pgdriver.NewConnector(append(opts[:len(opts):len(opts)], pgdriver.WithUnsafeStrings(true))...))
		defer probe.Close()
		if probe.QueryRowContext(ctx, encodingQuery).Scan(&encoding) != nil {
			return err // the probe cannot tell either: the first error says more
		}
	}
	if encoding != "UTF8" {
		return fmt.Errorf("database %q has encoding %s; configstore needs UTF8. "+
			"Create the database with UTF8, for example: CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0",
			database, encoding, quoteIdent(database))
	}
	return err
}

// quoteIdent quotes an SQL identifier for the hint in a message.
func quoteIdent(name string) string {
	if name == "" {
		return "<name>"
	}
	out := []byte{'"'}
	for i := 0; i < len(name); i++ {
		if name[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, name[i])
	}
	return string(append(out, '"'))
}
