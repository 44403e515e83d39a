package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/gatewaykit/configstore"
)

// Insert adds records with multi-row INSERT statements, as few as the
// dialect's parameter limit allows, or many of them with one COPY where
// the dialect is a Copier; either all of them are added or none.
func (t *txn) Insert(ctx context.Context, kind *configstore.Kind, records ...configstore.Record) error {
	if err := t.check("insert", kind, true); err != nil {
		return err
	}
	if len(records) == 0 {
		return nil
	}
	rows, err := recordRows(kind, records)
	if err != nil {
		return err
	}
	if copier, ok := t.dialect.(Copier); ok && t.conn != nil && len(rows) >= copyMinRows {
		err = t.atomic(ctx, 1, func() error { return t.copyRows(ctx, copier, kind, rows) })
	} else {
		err = t.insertRows(ctx, kind, rows)
	}
	if err != nil {
		// Every record is a suspect: a duplicate may pair records of two
		// statements. None of them is stored any more.
		return t.writeError(ctx, "insert", kind, records, err)
	}
	return nil
}

var _ configstore.BulkInserter = (*txn)(nil)

// InsertBulk implements configstore.BulkInserter. Where a failed statement
// undoes itself alone (SQLite), the records go one a statement, with no
// savepoint: SQLite keeps a journal of the pages a statement of several
// rows changes (it may fail halfway) and of those a savepoint's statements
// change, and for a size-L cold apply those journals and the binding of
// many parameters a statement (quadratic in modernc.org/sqlite) took more
// than the statements saved. Elsewhere it is Insert.
func (t *txn) InsertBulk(ctx context.Context, kind *configstore.Kind, records ...configstore.Record) error {
	if t.dialect.FailedStatementAbortsTx() {
		return t.Insert(ctx, kind, records...)
	}
	if err := t.check("insert", kind, true); err != nil {
		return err
	}
	rows, err := recordRows(kind, records)
	if err != nil {
		return err
	}
	for i, row := range rows {
		if _, err := t.exec(ctx, t.insertStmt(kind, [][]any{row})); err != nil {
			// The records before it are stored: the error is this one's.
			return t.writeError(ctx, "insert", kind, records[i:i+1], err)
		}
	}
	return nil
}

// copyMinRows is the fewest records an insert sends with COPY (see
// Copier). COPY takes three round trips where an INSERT takes one (the
// pending commands cannot travel with it, and its data goes after the
// server's answer to the statement), which a few rows do not repay.
const copyMinRows = 64

// insertRows sends rows in multi-row INSERT statements, as many rows to
// each as the dialect's parameter limit allows, as one operation.
func (t *txn) insertRows(ctx context.Context, kind *configstore.Kind, rows [][]any) error {
	perStmt := max(1, t.dialect.MaxParams()/len(kind.Fields))
	statements := (len(rows) + perStmt - 1) / perStmt
	return t.atomic(ctx, statements, func() error {
		for start := 0; start < len(rows); start += perStmt {
			end := min(start+perStmt, len(rows))
			if _, err := t.exec(ctx, t.insertStmt(kind, rows[start:end])); err != nil {
				return err
			}
		}
		return nil
	})
}

// copyRows sends rows with one COPY statement, after the commands pending
// for the next statement, which cannot travel with it.
func (t *txn) copyRows(ctx context.Context, copier Copier, kind *configstore.Kind, rows [][]any) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	s := t.stmt().SQL("COPY ").Name(kind.Table).SQL(" (").Names(fieldNames(kind.Fields)).SQL(") FROM STDIN")
	if err := copier.CopyRows(ctx, t.conn, s.String(), rows); err != nil {
		return err
	}
	if !slices.Contains(t.copied, kind) {
		t.copied = append(t.copied, kind)
	}
	return nil
}

// recordRows returns the bind parameters of records, in the order of
// kind's fields; an error names the record.
func recordRows(kind *configstore.Kind, records []configstore.Record) ([][]any, error) {
	rows := make([][]any, len(records))
	for i, rec := range records {
		params, err := recordParams(kind, rec)
		if err != nil {
			return nil, fmt.Errorf("insert %s %s: %w", kind.Name, describeKey(kind, rec), err)
		}
		rows[i] = params
	}
	return rows, nil
}

// insertStmt returns INSERT INTO table (fields) VALUES (...), (...).
func (t *txn) insertStmt(kind *configstore.Kind, rows [][]any) *Stmt {
	return appendInsert(t.stmt(), kind, rows)
}

// appendInsert appends INSERT INTO table (fields) VALUES (...), (...) to s.
func appendInsert(s *Stmt, kind *configstore.Kind, rows [][]any) *Stmt {
	s.SQL("INSERT INTO ").Name(kind.Table).SQL(" (").Names(fieldNames(kind.Fields)).SQL(") VALUES ")
	for i, row := range rows {
		if i > 0 {
			s.SQL(", ")
		}
		s.SQL("(").ArgList(row).SQL(")")
	}
	return s
}

// describeKey names a record by its key for messages, or says it has none.
func describeKey(kind *configstore.Kind, rec configstore.Record) string {
	if key, ok := rec[kind.Key].(string); ok {
		return fmt.Sprintf("%q", key)
	}
	return "(without key)"
}
