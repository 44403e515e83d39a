package sqlstore

import (
	"context"
	"fmt"

	"github.com/gatewaykit/configstore"
)

// Insert adds records with multi-row INSERT statements, as few as the
// dialect's parameter limit allows; either all of them are added or none.
func (t *txn) Insert(ctx context.Context, kind *configstore.Kind, records ...configstore.Record) error {
	if err := t.check("insert", kind, true); err != nil {
		return err
	}
	if len(records) == 0 {
		return nil
	}
	rows := make([][]any, len(records))
	for i, rec := range records {
		params, err := recordParams(kind, rec)
		if err != nil {
			return fmt.Errorf("insert %s %s: %w", kind.Name, describeKey(kind, rec), err)
		}
		rows[i] = params
	}
	perStmt := max(1, t.dialect.MaxParams()/len(kind.Fields))
	statements := (len(rows) + perStmt - 1) / perStmt
	err := t.atomic(ctx, statements, func() error {
		for start := 0; start < len(rows); start += perStmt {
			end := min(start+perStmt, len(rows))
			if _, err := t.exec(ctx, t.insertStmt(kind, rows[start:end])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Every record is a suspect: a duplicate may pair records of two
		// statements. None of them is stored any more.
		return t.writeError(ctx, "insert", kind, records, err)
	}
	return nil
}

// insertStmt returns INSERT INTO table (fields) VALUES (...), (...).
func (t *txn) insertStmt(kind *configstore.Kind, rows [][]any) *Stmt {
	s := t.stmt().SQL("INSERT INTO ").Name(kind.Table).SQL(" (").Names(fieldNames(kind.Fields)).SQL(") VALUES ")
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
