package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/uptrace/bun/driver/sqliteshim"
)

// sqlitePhysical reaches SQLite files with the driver the sqlite backend
// uses (sqliteshim: modernc.org/sqlite, or mattn/go-sqlite3 with cgo).
type sqlitePhysical struct{}

// open opens the file on one connection with the backend's writer pragmas
// (WAL, synchronous NORMAL, foreign keys on), so the baseline pays the
// same durability and constraint checks as the store.
func (sqlitePhysical) open(ctx context.Context, db database) (*sql.DB, error) {
	sqldb, err := sql.Open(sqliteshim.ShimName, db.Plain)
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(1)
	sqldb.SetMaxIdleConns(1)
	sqldb.SetConnMaxIdleTime(0)
	sqldb.SetConnMaxLifetime(0)
	for _, pragma := range []string{"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"} {
		if _, err := sqldb.ExecContext(ctx, pragma); err != nil {
			_ = sqldb.Close()
			return nil, fmt.Errorf("%s: %w", pragma, err)
		}
	}
	return sqldb, nil
}

func (sqlitePhysical) placeholder(int) string { return "?" }

// prepares is true: SQLite parses a statement in about the time it takes
// to run a point read.
func (sqlitePhysical) prepares() bool { return true }

// readTx is a deferred read-only transaction, as the store's reads.
func (sqlitePhysical) readTx() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} }

// selectColumn reads the column as stored: STRICT tables hold exactly the
// values the backend bound.
func (sqlitePhysical) selectColumn(col string) string { return quoteIdent(col) }

// insertRows inserts the rows in one transaction with one prepared
// single-row INSERT per table.
func (sqlitePhysical) insertRows(ctx context.Context, db *sql.DB, tables []tableRows) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // after Commit: a no-op
	for _, t := range tables {
		placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(t.columns)), ", ")
		stmt, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)",
			quoteIdent(t.kind.Table), quoteIdents(t.columns), placeholders))
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", t.kind.Table, err)
		}
		for _, row := range t.rows {
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				_ = stmt.Close()
				return fmt.Errorf("insert into %s: %w", t.kind.Table, err)
			}
		}
		if err := stmt.Close(); err != nil {
			return err
		}
	}
	return tx.Commit()
}
