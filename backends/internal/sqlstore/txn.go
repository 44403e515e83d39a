package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gatewaykit/configstore"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// txn is one transaction: a configstore.Reader, and a configstore.Tx when
// writable.
type txn struct {
	tx       bun.Tx
	dialect  Dialect
	writable bool
	// prefix holds savepoint commands to send with the next statement that
	// exec runs (see atomic).
	prefix string
	// recent holds the rows a write transaction read or updated last.
	recent recentRows
	// stmts holds the store's prepared statements (nil: none are); bound
	// those this transaction has run, bound to its connection; missed the
	// queries it ran that were not prepared yet (see prepared).
	stmts  *statementCache
	bound  map[string]*sql.Stmt
	missed []string
}

var _ configstore.Tx = (*txn)(nil)

func (t *txn) stmt() *Stmt { return newStmt(schema.NewQueryGen(t.tx.Dialect()), t.dialect) }

// query runs a statement returning rows, prepared when the store prepares
// statements (see prepared). Values go as bind parameters, straight to the
// driver.
func (t *txn) query(ctx context.Context, s *Stmt) (*sql.Rows, error) {
	stmt, err := t.prepared(ctx, s)
	if err != nil {
		return nil, err
	}
	if stmt != nil {
		return stmt.QueryContext(ctx, s.Args...)
	}
	return t.tx.Tx.QueryContext(ctx, s.String(), s.Args...)
}

// exec runs a statement returning no rows, after the pending savepoint
// commands if any, and reports how many rows the statement changed. A
// statement sent with savepoint commands is several statements, never
// prepared.
func (t *txn) exec(ctx context.Context, s *Stmt) (int64, error) {
	var res sql.Result
	var err error
	if t.prefix != "" || t.stmts == nil {
		query := t.prefix + s.String()
		t.prefix = ""
		res, err = t.tx.Tx.ExecContext(ctx, query, s.Args...)
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

// maxCachedParams is the most bind parameters of a statement the store's
// cache takes: point reads and single-entity writes have a few; the
// multi-row inserts and long IN lists of a bulk load, each text of which
// recurs only within its transaction, would crowd them out.
const maxCachedParams = 64

// prepared returns s prepared on the transaction's connection, or nil
// when the store prepares no statements. A query the store's cache holds
// is bound to the transaction; any other is prepared on the transaction
// (its connection is the one in hand: preparing through the pool could
// wait for it forever) and, unless it has more than maxCachedParams
// parameters, noted in missed, for the store to cache once the
// transaction has ended. Either way the transaction keeps it, so a
// statement it runs again (the inserts of a bulk load, chunk after chunk)
// is parsed once.
func (t *txn) prepared(ctx context.Context, s *Stmt) (*sql.Stmt, error) {
	if t.stmts == nil {
		return nil, nil
	}
	query := s.String()
	if stmt, ok := t.bound[query]; ok {
		return stmt, nil
	}
	var stmt *sql.Stmt
	if cached := t.stmts.lookup(query); cached != nil {
		stmt = t.tx.Tx.StmtContext(ctx, cached)
	} else {
		var err error
		if stmt, err = t.tx.Tx.PrepareContext(ctx, query); err != nil {
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
	return out, rows.Err()
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
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", op, kind.Name, ctxErr)
	}
	return fmt.Errorf("%s %s: %w", op, kind.Name, t.dialect.SafeError(err))
}
