package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/gatewaykit/configstore"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// txn is one transaction: a configstore.Reader, and a configstore.Tx when
// writable.
type txn struct {
	// tx is the database/sql transaction (see Begun), nil for a transaction
	// run as text on conn.
	tx   *sql.Tx
	conn *sql.Conn
	// db is where the statements go: tx or conn.
	db      session
	gen     schema.Dialect
	dialect Dialect
	// begin holds the commands that start a transaction on conn until its
	// first statement carries them; relock is Begun.Relock.
	begin    string
	relock   func(ctx context.Context, conn *sql.Conn, err error) (bool, error)
	writable bool
	// prefix holds savepoint commands to send with the next statement (see
	// atomic).
	prefix string
	// recent holds the rows a write transaction read or updated last.
	recent recentRows
	// stmts holds the store's prepared statements (nil: none are); bound
	// those this transaction has run, bound to its connection; missed the
	// queries it ran that were not prepared yet (see prepared).
	stmts  *statementCache
	bound  map[string]*sql.Stmt
	missed []string
	// atCommit holds the inserts to send with the COMMIT (see
	// InsertAtCommit), nil when there are none; atCommitWhat names the
	// writes the COMMIT carries, for an error.
	atCommit     *Stmt
	atCommitWhat []atCommitWrite
	// pipelined is set by Pipeline; expecting by Expect; held are the
	// writes held back for the next statement, in order.
	pipelined bool
	expecting bool
	held      []*heldWrite
	// last follows Last, for a read.
	last lastState
	// copied lists the kinds whose tables a COPY loaded rows into: they
	// are analyzed before the commit (see commitText).
	copied []*configstore.Kind
}

// session is what runs a transaction's statements: a *sql.Tx or a
// *sql.Conn.
type session interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

var _ configstore.Tx = (*txn)(nil)

// newTxn returns the transaction b began on db.
func newTxn(db *bun.DB, b Begun, dialect Dialect, stmts *statementCache, writable bool) *txn {
	t := &txn{tx: b.Tx, conn: b.Conn, gen: db.Dialect(), dialect: dialect, begin: b.Begin, relock: b.Relock, writable: writable, stmts: stmts}
	if b.Tx != nil {
		t.db = b.Tx
	} else {
		t.db = b.Conn
	}
	return t
}

func (t *txn) stmt() *Stmt { return newStmt(schema.NewQueryGen(t.gen), t.dialect) }

// commit commits the transaction, with the inserts held for it.
func (t *txn) commit(ctx context.Context) error {
	if t.tx != nil {
		return t.tx.Commit()
	}
	command, args := t.commitText()
	if err := t.end(ctx, command, args); err != nil {
		return t.atCommitError(err)
	}
	return nil
}

// commitCommand commits a transaction on a connection. PostgreSQL answers
// the COMMIT of a transaction that a failed statement aborted with a
// rollback and no error: the writes before the failure would be lost
// without a word. In that state the SELECT before it fails instead, and
// the COMMIT is not run; the connection is then discarded, which rolls
// back.
const commitCommand = "SELECT 1; COMMIT"

// rollback rolls the transaction back; after commit it does nothing.
func (t *txn) rollback(ctx context.Context) error {
	if t.tx != nil {
		return t.tx.Rollback()
	}
	return t.end(ctx, "ROLLBACK", nil)
}

// end ends a transaction on conn with command, whose parameters are args,
// and gives the connection back to the pool: at once when no statement
// ran (nothing began) or a read's last statement ended it (see Last),
// after command otherwise. When ctx has ended (it may have cut a statement
// short) or command fails, the connection is in an unknown state: it is
// discarded instead, without command, and the server rolls back whatever
// was open. Once ended, end does nothing.
func (t *txn) end(ctx context.Context, command string, args []any) error {
	conn := t.conn
	if conn == nil {
		return nil
	}
	begun := t.begin == "" && t.last != lastDone
	t.conn, t.begin = nil, ""
	if !begun {
		return conn.Close()
	}
	if err := ctx.Err(); err != nil {
		discard(conn)
		return err
	}
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), command, args...); err != nil {
		discard(conn)
		return err
	}
	return conn.Close()
}

// discard closes conn's driver connection instead of returning it to the
// pool: database/sql drops a connection whose Raw function reports
// driver.ErrBadConn. Every later use of conn fails with sql.ErrConnDone;
// discarding it again does nothing.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// pending reports whether commands or a held write wait to go with the
// next statement.
func (t *txn) pending() bool { return t.begin != "" || t.prefix != "" || len(t.held) > 0 }

// query runs a statement returning rows, prepared when the store prepares
// statements (see prepared) and no commands are pending (see sendText).
// Values go as bind parameters, straight to the driver.
func (t *txn) query(ctx context.Context, s *Stmt) (*sql.Rows, error) {
	switch t.last {
	case lastNext:
		return t.queryLast(ctx, s)
	case lastSent, lastDone:
		return nil, errAfterLast
	}
	if t.stmts == nil || t.pending() {
		return sendText(ctx, t, s, t.db.QueryContext)
	}
	stmt, err := t.prepared(ctx, s)
	if err != nil {
		return nil, err
	}
	return stmt.QueryContext(ctx, s.Args...)
}

// exec runs a statement returning no rows, as query does, and reports how
// many rows the statement changed.
func (t *txn) exec(ctx context.Context, s *Stmt) (int64, error) {
	var res sql.Result
	var err error
	if t.stmts == nil || t.pending() {
		res, err = sendText(ctx, t, s, t.db.ExecContext)
	} else {
		var stmt *sql.Stmt
		if stmt, err = t.prepared(ctx, s); err == nil {
			res, err = stmt.ExecContext(ctx, s.Args...)
		}
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// sendText runs s as text with run (the session's ExecContext or
// QueryContext), after the pending commands: those that begin the
// transaction, then the savepoint commands. Together they are several
// statements in one round trip, never prepared; of a query, only s
// returns rows. A held write (see Pipeline) goes first: in the same round
// trip when s opens an operation's savepoint, else on its own (sendHeld).
// When the shared round trip fails, both are undone, back to the
// savepoint, and sent apart, so that the error is the one of the statement
// that failed. When the commands that begin a write transaction found
// the write lock held (see Begun.Relock), nothing after them ran: the
// transaction begins again and waits for the lock, then the rest goes. A
// transaction whose wait fails loses its connection, so that nothing runs
// in it without the lock. Nothing goes once ctx has ended (database/sql
// checks that for a *sql.Tx, not for a *sql.Conn; pgdriver only honours
// deadlines).
func sendText[R any](ctx context.Context, t *txn, s *Stmt, run func(context.Context, string, ...any) (R, error)) (R, error) {
	var none R
	if err := ctx.Err(); err != nil {
		return none, err
	}
	begin, prefix := t.begin, t.prefix
	t.begin, t.prefix = "", ""
	if hs := t.held; len(hs) > 0 { // the transaction has begun: begin is ""
		t.held = nil
		if opensSavepoint(prefix) {
			text, args := t.after(hs, s)
			r, err := run(ctx, prefix+text, args...)
			if err == nil || ctx.Err() != nil {
				return r, err
			}
			if _, rbErr := t.db.ExecContext(context.WithoutCancel(ctx), rollbackToSavepoint); rbErr != nil {
				return r, errors.Join(err, rbErr)
			}
			prefix = ""
		}
		if err := t.sendHeld(ctx, prefix, hs); err != nil {
			return none, err
		}
		prefix = ""
	}
	r, err := run(ctx, begin+prefix+s.String(), s.Args...)
	if err == nil || begin == "" || t.relock == nil {
		return r, err
	}
	contended, lockErr := t.relock(ctx, t.conn, err)
	if !contended {
		return r, err
	}
	t.recent.forget() // an expected row (see Expect) was not checked, or not found
	if lockErr != nil {
		discard(t.conn)
		return r, lockErr
	}
	return run(ctx, prefix+s.String(), s.Args...)
}

// flush sends the pending commands (see pending) on their own, for a
// statement that cannot carry them. It does nothing when none are.
func (t *txn) flush(ctx context.Context) error {
	if !t.pending() {
		return nil
	}
	_, err := sendText(ctx, t, t.stmt(), t.db.ExecContext)
	return err
}

// maxCachedParams is the most bind parameters of a statement the store's
// cache takes: point reads and single-entity writes have a few; the
// multi-row inserts and long IN lists of a bulk load, each text of which
// recurs only within its transaction, would crowd them out.
const maxCachedParams = 64

// prepared returns s prepared on the transaction's connection, for a
// store that prepares statements. A query the store's cache holds
// is bound to the transaction; any other is prepared on the transaction
// (its connection is the one in hand: preparing through the pool could
// wait for it forever) and, unless it has more than maxCachedParams
// parameters, noted in missed, for the store to cache once the
// transaction has ended. Either way the transaction keeps it, so a
// statement it runs again (the inserts of a bulk load, chunk after chunk)
// is parsed once.
func (t *txn) prepared(ctx context.Context, s *Stmt) (*sql.Stmt, error) {
	query := s.String()
	if stmt, ok := t.bound[query]; ok {
		return stmt, nil
	}
	var stmt *sql.Stmt
	if cached := t.stmts.lookup(query); cached != nil {
		stmt = t.tx.StmtContext(ctx, cached)
	} else {
		var err error
		if stmt, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		if len(s.Args) <= maxCachedParams {
			t.missed = append(t.missed, query)
		}
	}
	if t.bound == nil {
		t.bound = map[string]*sql.Stmt{}
	}
	t.bound[query] = stmt
	return stmt, nil
}

// selectRecords runs s, whose columns are fields, and returns the rows as
// records.
func (t *txn) selectRecords(ctx context.Context, fields []configstore.Field, s *Stmt) ([]configstore.Record, error) {
	rows, err := t.query(ctx, s)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []configstore.Record
	raw := make([]any, len(fields))
	dest := make([]any, len(fields))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		rec := make(configstore.Record, len(fields))
		for i, f := range fields {
			v, err := fromDB(f, raw[i])
			if err != nil {
				return nil, err
			}
			rec[f.Name] = v
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	t.lastRead()
	return out, nil
}

// fieldNames returns the names of fields.
func fieldNames(fields []configstore.Field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names
}

// keyField returns the key field of kind.
func keyField(kind *configstore.Kind) configstore.Field {
	f, _ := kind.Field(kind.Key)
	return f
}

// check returns an error unless kind is declared and, for a write, the
// transaction is writable.
func (t *txn) check(op string, kind *configstore.Kind, write bool) error {
	if err := checkKind(kind); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if write && !t.writable {
		return fmt.Errorf("%s %s: %w", op, kind.Name, configstore.ErrReadOnly)
	}
	return nil
}

// fail wraps err from a statement on kind: a cancelled context stays a
// context error, anything else passes the dialect's SafeError.
func (t *txn) fail(ctx context.Context, op string, kind *configstore.Kind, err error) error {
	if held, ok := t.heldError(ctx, err); ok {
		return held
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", op, kind.Name, ctxErr)
	}
	return fmt.Errorf("%s %s: %w", op, kind.Name, t.dialect.SafeError(err))
}
