package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/uptrace/bun"
)

// maxParams caps the bind parameters of one statement. SQLite allows 32766
// (SQLITE_MAX_VARIABLE_NUMBER), but modernc.org/sqlite matches arguments to
// parameters in quadratic time, so a statement of 32766 costs far more than
// 33 of 999; 999 (SQLite's historical limit) keeps bulk inserts fast on
// both drivers.
const maxParams = 999

// inlineInLimit is the longest IN list written as placeholders; longer
// lists travel as one JSON array parameter read with json_each.
const inlineInLimit = 500

// dialect is the SQLite side of sqlstore.Dialect.
type dialect struct{}

var _ sqlstore.Dialect = dialect{}

func (dialect) Placeholder(int) string { return "?" }

func (dialect) MaxParams() int { return maxParams }

func (dialect) InList(s *sqlstore.Stmt, values []any) {
	if len(values) <= inlineInLimit {
		s.SQL("(").ArgList(values).SQL(")")
		return
	}
	// Parameters are strings, int64s, float64s, bools (json_each yields
	// true as 1, as stored) and nil; none fails to marshal.
	doc, _ := json.Marshal(values)
	s.SQL("(SELECT value FROM json_each(").Arg(string(doc)).SQL("))")
}

// Column is the column itself: SQLite's default BINARY collation compares
// text bytewise, and JSON is TEXT.
func (dialect) Column(quoted string, _ bool) string { return quoted }

// BeginRead starts a deferred transaction on a read-only connection: its
// first read takes a WAL snapshot that every later read shares, and it
// never waits for the writer.
func (dialect) BeginRead(ctx context.Context, db *bun.DB) (sqlstore.Begun, error) {
	tx, err := db.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	return sqlstore.Begun{Tx: tx}, err
}

// BeginWrite starts a transaction on the writer connection, whose DSN makes
// it BEGIN IMMEDIATE: it takes SQLite's write lock at once, waiting (up to
// the busy timeout) for a writer of another process. Writers of this
// process queue for the single writer connection.
func (dialect) BeginWrite(ctx context.Context, db *bun.DB) (sqlstore.Begun, error) {
	tx, err := db.DB.BeginTx(ctx, nil)
	return sqlstore.Begun{Tx: tx}, err
}

// FailedStatementAbortsTx is false: SQLite undoes just the failed
// statement.
func (dialect) FailedStatementAbortsTx() bool { return false }
