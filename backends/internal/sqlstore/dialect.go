package sqlstore

import (
	"context"
	"database/sql"

	"github.com/gatewaykit/configstore"
	"github.com/uptrace/bun"
)

// Dialect is what differs between the SQL databases a Store runs on.
type Dialect interface {
	// Placeholder returns the bind parameter marker of the n-th (from 1)
	// argument of a statement: "?" or "$n".
	Placeholder(n int) string
	// MaxParams is the most bind parameters one statement should carry
	// (at most the database's limit); bulk inserts are split into
	// statements that stay under it.
	MaxParams() int
	// InList appends to s the parenthesized right-hand side of "column IN",
	// holding values (never empty).
	InList(s *Stmt, values []any)
	// Column returns the expression that comparisons and ORDER BY use for a
	// column, given its quoted name: text compares bytewise.
	Column(quoted string, jsonColumn bool) string
	// BeginRead starts a read-only transaction on one consistent snapshot
	// that never waits for a writer.
	BeginRead(ctx context.Context, db *bun.DB) (Begun, error)
	// BeginWrite starts a write transaction, serialized against every
	// other writer of the same store, in this process and in others: no
	// statement of it runs before it holds the write lock.
	BeginWrite(ctx context.Context, db *bun.DB) (Begun, error)
	// FailedStatementAbortsTx reports whether a failed statement makes the
	// whole transaction unusable (Postgres). The Store then runs every write
	// under a savepoint, so that a caller may go on after an error, and
	// saves round trips by sending the savepoint commands in one Exec with
	// the write's statement: the driver must accept several statements in
	// one Exec, bind parameters included (pgdriver does).
	FailedStatementAbortsTx() bool
	// Classify tells which constraint a native error violated.
	Classify(err error) Violation
	// SafeError returns err in a form fit for messages and logs: without
	// any value taken from a row (a secret may be among them).
	SafeError(err error) error
}

// Copier is implemented by a Dialect that loads many rows of one table
// faster than multi-row INSERT statements do: PostgreSQL's COPY FROM
// STDIN, which the server reads without parsing and planning a statement
// of every value. The Store uses it for an insert of at least
// copyMinRows records in a transaction held as a Conn, and ANALYZEs the
// tables it loaded before the transaction commits.
type Copier interface {
	// CopyRows runs query, a "COPY table (columns) FROM STDIN" statement,
	// on conn and sends rows as its data: one row per record, its values
	// as param converts them (string, int64, float64, bool or nil), in
	// the order of the statement's columns. Either every row is added or
	// the statement fails.
	CopyRows(ctx context.Context, conn *sql.Conn, query string, rows [][]any) error
}

// Batcher is implemented by a Dialect that reads the results of several
// SELECTs in one statement, so that a batch of lists (see
// configstore.BatchLister) is one round trip to the server. Each SELECT's
// rows become one JSON value, a column of a one-row SELECT.
type Batcher interface {
	// RowsAsJSON returns the text that goes before and after a SELECT of
	// columns (quoted names of fields, in that order) to make it an
	// expression whose value is its rows as one JSON array, in the order
	// of orderBy (an ORDER BY list over the columns), or NULL when there
	// are none. Each row is an array of its columns' values: text and JSON
	// as JSON strings, integers and finite floats as JSON numbers, other
	// floats as the strings "Infinity" and "-Infinity", booleans as JSON
	// booleans, times as RFC 3339 strings in UTC, NULL as null.
	RowsAsJSON(columns []string, fields []configstore.Field, orderBy string) (before, after string)
}

// Preparer is implemented by a Dialect whose connections keep statements
// prepared by name with SQL commands (PostgreSQL's PREPARE and EXECUTE).
// The Store runs a batch of lists (see Batcher) that begins a read so:
// planning its SELECT costs more than running it, and a prepared
// statement is planned once or a few times per connection.
type Preparer interface {
	// Prepare makes sure that conn, on which no transaction has begun,
	// holds query prepared (sending PREPARE when it does not), and returns
	// the text that runs it with the same bind parameters, args of them;
	// "" when conn cannot hold it (query then runs as it is).
	Prepare(ctx context.Context, conn *sql.Conn, query string, args int) (execute string, err error)
	// Forget is told that running query's execute text on conn failed:
	// the server may not hold it (a pooler gave the session another
	// connection), so the next Prepare sends PREPARE again.
	Forget(conn *sql.Conn, query string)
}

// ViolationClass is a kind of constraint violation.
type ViolationClass int

// The constraint violations a Dialect recognizes.
const (
	// NoViolation: the error is not a constraint violation.
	NoViolation ViolationClass = iota
	// UniqueViolation: a primary key or unique constraint.
	UniqueViolation
	// ForeignKeyViolation: a foreign key constraint.
	ForeignKeyViolation
	// NotNullViolation: a NOT NULL constraint.
	NotNullViolation
	// CheckViolation: a CHECK constraint or a column type.
	CheckViolation
)

// Violation describes a constraint violation reported by the database.
type Violation struct {
	Class ViolationClass
	// Columns names the constrained columns when the database says which
	// (SQLite's message does; PostgreSQL gives the column of a NOT NULL
	// violation, and the key's columns of a unique one); nil when unknown.
	Columns []string
	// Table is the table of the constraint when the database says
	// (PostgreSQL does), else "".
	Table string
}

// Begun is a transaction a Dialect began, in one of two forms: a
// database/sql transaction (Tx), or a connection held for a transaction
// whose commands go as text (Conn).
type Begun struct {
	// Tx is a database/sql transaction (SQLite); its statements may be
	// prepared.
	Tx *sql.Tx
	// Conn, when Tx is nil, is a connection taken from the pool for a
	// transaction (PostgreSQL) that the commands in Begin start: they go in
	// one round trip with its first statement, so a transaction that runs
	// no statement sends nothing. COMMIT or ROLLBACK ends it. Its
	// statements go as text, never prepared, and the driver must accept
	// several statements in one Exec or Query (of a Query, only the last
	// returns rows).
	Conn  *sql.Conn
	Begin string
	// Relock, for a write transaction on Conn, is called when the round
	// trip that carried Begin failed with err. When err says only that
	// another writer held the write lock (Begin's try for it failed, so
	// nothing after it ran) or that the row Begin expected was not as
	// expected (see Expecting), Relock begins the transaction again on
	// Conn, waits for the lock while ctx lasts, and reports true and the
	// wait's error; otherwise it reports false.
	Relock func(ctx context.Context, conn *sql.Conn, err error) (bool, error)
}
