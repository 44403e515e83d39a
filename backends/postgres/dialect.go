package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// maxParams is PostgreSQL's limit on bind parameters per statement.
const maxParams = 65535

// dialect is the PostgreSQL side of sqlstore.Dialect.
type dialect struct {
	// cancel asks the server to cancel the statement running on the
	// backend process pid, over a connection of its own.
	cancel func(ctx context.Context, pid int64) error
	// prepared follows the statements prepared on each connection; nil
	// when the store prepares none (Config.PreparedStatements).
	prepared *preparedStatements
}

var _ sqlstore.Dialect = dialect{}

func (dialect) Placeholder(n int) string { return "$" + strconv.Itoa(n) }

func (dialect) MaxParams() int { return maxParams }

// Renumber implements sqlstore.Pipelining: every $n of query (the text of a
// Stmt holds no other '$': values are parameters, identifiers are the
// declarations') becomes $(n+offset).
func (dialect) Renumber(query string, offset int) string {
	var b strings.Builder
	b.Grow(len(query) + len(query)/8)
	for i := 0; i < len(query); i++ {
		b.WriteByte(query[i])
		if query[i] != '$' {
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(query[i+1 : j]); err == nil {
			b.WriteString(strconv.Itoa(n + offset))
			i = j - 1
		}
	}
	return b.String()
}

func (dialect) InList(s *sqlstore.Stmt, values []any) { s.SQL("(").ArgList(values).SQL(")") }

// Column compares text columns as they are (they are COLLATE "C"); json
// has no equality operator, so JSON compares as its text.
func (dialect) Column(quoted string, jsonColumn bool) string {
	if jsonColumn {
		return "CAST(" + quoted + ` AS text) COLLATE "C"`
	}
	return quoted
}

// beginRead starts a REPEATABLE READ READ ONLY transaction: one snapshot,
// taken by its first statement, that never waits for writers.
const beginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "

// beginWrite starts a READ COMMITTED transaction and tries to take the
// store's write lock in it (see lockWriter) without waiting: when another
// writer holds it, configstore_begin_write (a procedure of the migrations)
// fails with sqlstateWriteLockHeld, which skips the statements sent after
// it. READ COMMITTED, not REPEATABLE READ: each statement then sees every
// transaction committed before the lock was granted. A procedure (CALL:
// PostgreSQL 11 or later), where this was a PL/pgSQL DO block, which the
// server compiles at every run: with the store revision's check, BEGIN,
// the block and COMMIT took 0.24 ms in pgbench here, with the procedure
// 0.18, an empty transaction 0.12.
var beginWrite = beginWriteCommand + "NULL); "

// beginWriteCommand is beginWrite up to the procedure's second argument,
// the expected store revision; the first is the lock's key.
var beginWriteCommand = fmt.Sprintf("BEGIN ISOLATION LEVEL READ COMMITTED; CALL configstore_begin_write(%d, ", writeLockClass)

// stateTable and storeKey name the row of the store revision.
const stateTable, storeKey = "configstore_state", "store"

// BeginExpecting implements sqlstore.Expecting for the one row the
// portable layer expects, that of the store revision: beginWrite that,
// once it holds the lock, fails with sqlstateNotAsExpected when the store
// revision is not revision. Of any other row it checks nothing.
func (dialect) BeginExpecting(table, key string, revision int64) (string, bool) {
	if table != stateTable || key != storeKey {
		return "", false
	}
	return beginWriteCommand + strconv.FormatInt(revision, 10) + "); ", true
}

// BeginRead takes a connection for a read transaction (beginRead), begun
// by its first statement.
func (dialect) BeginRead(ctx context.Context, db *bun.DB) (sqlstore.Begun, error) {
	conn, err := db.DB.Conn(ctx)
	return sqlstore.Begun{Conn: conn, Begin: beginRead}, err
}

// BeginWrite takes a connection for a write transaction (beginWrite), begun
// by its first statement together with the try for the write lock; when
// the lock is held, relock waits for it before the statement runs.
func (d dialect) BeginWrite(ctx context.Context, db *bun.DB) (sqlstore.Begun, error) {
	conn, err := db.DB.Conn(ctx)
	return sqlstore.Begun{Conn: conn, Begin: beginWrite, Relock: d.relock}, err
}

// relock is the Begun.Relock of write transactions: after beginWrite found
// the lock held, or BeginExpecting's row not as expected, it rolls the
// failed transaction back, begins another and waits for the lock in it.
func (d dialect) relock(ctx context.Context, conn *sql.Conn, err error) (bool, error) {
	var pgErr pgdriver.Error
	if !errors.As(err, &pgErr) || pgErr.Field('C') != sqlstateWriteLockHeld && pgErr.Field('C') != sqlstateNotAsExpected {
		return false, nil
	}
	return true, d.lockWriter(ctx, conn, "ROLLBACK; BEGIN ISOLATION LEVEL READ COMMITTED; ")
}

// FailedStatementAbortsTx is true: after an error PostgreSQL refuses every
// statement until the transaction (or a savepoint) is rolled back.
func (dialect) FailedStatementAbortsTx() bool { return true }

// SQLSTATE codes of constraint violations, and those beginWrite and
// BeginExpecting raise, through configstore_begin_write (of a class
// PostgreSQL does not use).
const (
	sqlstateWriteLockHeld = "CSWLH"
	sqlstateNotAsExpected = "CSNAE"
	sqlstateNotNull       = "23502"
	sqlstateForeignKey    = "23503"
	sqlstateUnique        = "23505"
	sqlstateCheck         = "23514"
)

// Classify maps SQLSTATE 23505 (unique), 23503 (foreign key), 23502 (not
// null) and 23514 (check), with the constraint's table.
func (dialect) Classify(err error) sqlstore.Violation {
	var pgErr pgdriver.Error
	if !errors.As(err, &pgErr) {
		return sqlstore.Violation{}
	}
	v := sqlstore.Violation{Table: pgErr.Field('t')}
	switch pgErr.Field('C') {
	case sqlstateUnique:
		v.Class, v.Columns = sqlstore.UniqueViolation, uniqueColumns(pgErr.Field('D'))
	case sqlstateForeignKey:
		v.Class = sqlstore.ForeignKeyViolation
	case sqlstateNotNull:
		v.Class = sqlstore.NotNullViolation
		if c := pgErr.Field('c'); c != "" {
			v.Columns = []string{c}
		}
	case sqlstateCheck:
		v.Class = sqlstore.CheckViolation
	default:
		return sqlstore.Violation{}
	}
	return v
}

// uniqueColumns returns the columns of the key that a unique violation's
// detail names ("Key (name)=(...) already exists."), or nil. The values
// that follow are left alone: they may be secrets.
func uniqueColumns(detail string) []string {
	rest, ok := strings.CutPrefix(detail, "Key (")
	if !ok {
		return nil
	}
	names, _, ok := strings.Cut(rest, ")=(")
	if !ok || strings.ContainsAny(names, `"(`) { // quoted or expression columns: not plain names
		return nil
	}
	return strings.Split(names, ", ")
}

// serverError is a PostgreSQL error reduced to what may be printed.
type serverError struct{ code, msg string }

func (e *serverError) Error() string { return fmt.Sprintf("postgres: %s (SQLSTATE %s)", e.msg, e.code) }

// SQLState returns the error's SQLSTATE code.
func (e *serverError) SQLState() string { return e.code }

// SafeError keeps the server's message and SQLSTATE but drops its detail,
// which quotes row values (secrets among them). Data exceptions (class 22)
// quote the offending value in the message itself, so they keep only
// their code.
func (dialect) SafeError(err error) error {
	var pgErr pgdriver.Error
	if !errors.As(err, &pgErr) {
		return err
	}
	code, msg := pgErr.Field('C'), pgErr.Field('M')
	if strings.HasPrefix(code, "22") {
		msg = "invalid value"
	}
	return &serverError{code: code, msg: msg}
}
