package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

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
	// stmts holds the store's prepared statements (nil: none are); bound
	// those this transaction has run, bound to its connection; missed the
	// queries it ran that were not prepared yet (see prepared).
	stmts  *statementCache
	bound  map[string]*sql.Stmt
	missed []string
}

var _ configstore.Tx = (*txn)(nil)

func (t *txn) stmt() *Stmt { return newStmt(schema.NewQueryGen(t.tx.Dialect()), t.dialect) }

// query runs a statement returning rows, prepared where the statement
// cache has it (see prepared). Values go as bind parameters, straight to
// the driver.
func (t *txn) query(ctx context.Context, s *Stmt) (*sql.Rows, error) {
	if stmt := t.prepared(ctx, s.String()); stmt != nil {
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
	if stmt := t.prepared(ctx, s.String()); stmt != nil && t.prefix == "" {
		res, err = stmt.ExecContext(ctx, s.Args...)
	} else {
		query := t.prefix + s.String()
		t.prefix = ""
		res, err = t.tx.Tx.ExecContext(ctx, query, s.Args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// prepared returns query's cached prepared statement bound to the
// transaction, or nil when the store prepares no statements or has not
// prepared this one yet: the query then runs as text and is noted in
// missed, for the store to prepare once the transaction has ended.
func (t *txn) prepared(ctx context.Context, query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if stmt, ok := t.bound[query]; ok {
		return stmt
	}
	cached := t.stmts.lookup(query)
	if cached == nil {
		if !slices.Contains(t.missed, query) {
			t.missed = append(t.missed, query)
		}
		return nil
	}
	bound := t.tx.Tx.StmtContext(ctx, cached)
	if t.bound == nil {
		t.bound = map[string]*sql.Stmt{}
	}
	t.bound[query] = bound
	return bound
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
