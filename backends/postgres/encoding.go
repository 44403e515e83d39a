package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun/driver/pgdriver"
)

// checkEncoding refuses a database whose encoding is not UTF8: text of
// every language must round-trip, and pgdriver needs client_encoding UTF8.
// It asks over a connection of its own that tolerates other encodings
// (pgdriver refuses them at connect, with a message that does not say
// what to do).
func checkEncoding(ctx context.Context, opts []pgdriver.Option, database string) error {
	probe := sql.OpenDB(pgdriver.NewConnector(append(opts[:len(opts):len(opts)], pgdriver.WithUnsafeStrings(true))...))
	defer probe.Close()
	var encoding string
	err := probe.QueryRowContext(ctx,
		"SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()").Scan(&encoding)
	if err != nil {
		return err
	}
	if encoding != "UTF8" {
		return fmt.Errorf("database %q has encoding %s; configstore needs UTF8. "+
			"Create the database with UTF8, for example: CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0",
			database, encoding, quoteIdent(database))
	}
	return nil
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
