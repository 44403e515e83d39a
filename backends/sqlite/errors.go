package sqlite

import (
	"errors"
	"regexp"
	"strings"

	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
)

// SQLite's extended result codes of constraint violations.
const (
	codeConstraint           = 19   // SQLITE_CONSTRAINT, the primary code
	codeConstraintCheck      = 275  // SQLITE_CONSTRAINT_CHECK
	codeConstraintForeignKey = 787  // SQLITE_CONSTRAINT_FOREIGNKEY
	codeConstraintNotNull    = 1299 // SQLITE_CONSTRAINT_NOTNULL
	codeConstraintPrimaryKey = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
	codeConstraintUnique     = 2067 // SQLITE_CONSTRAINT_UNIQUE
	codeConstraintDataType   = 3091 // SQLITE_CONSTRAINT_DATATYPE (STRICT tables)
)

// failedColumns finds the columns in SQLite's constraint messages, which
// both drivers pass on: "UNIQUE constraint failed: t.a, t.b",
// "NOT NULL constraint failed: t.c".
var failedColumns = regexp.MustCompile(`(?:UNIQUE|NOT NULL) constraint failed: ([\w.]+(?:, [\w.]+)*)`)

// Classify maps the constraint errors of both SQLite drivers by their
// extended result code.
func (dialect) Classify(err error) sqlstore.Violation {
	code, ok := resultCode(err)
	if !ok {
		return sqlstore.Violation{}
	}
	switch code {
	case codeConstraintUnique, codeConstraintPrimaryKey:
		return sqlstore.Violation{Class: sqlstore.UniqueViolation, Columns: columnsOf(err)}
	case codeConstraintForeignKey:
		return sqlstore.Violation{Class: sqlstore.ForeignKeyViolation}
	case codeConstraintNotNull:
		return sqlstore.Violation{Class: sqlstore.NotNullViolation, Columns: columnsOf(err)}
	}
	if code&0xff == codeConstraint {
		return sqlstore.Violation{Class: sqlstore.CheckViolation}
	}
	return sqlstore.Violation{}
}

// SafeError returns err as it is: SQLite's messages name tables, columns
// and constraints, never the values of a row.
func (dialect) SafeError(err error) error { return err }

// resultCode returns the extended result code of an error of either
// driver: modernc.org/sqlite's *sqlite.Error has a Code method (its
// connections report extended codes), mattn/go-sqlite3's sqlite3.Error a
// field (see mattnCode).
func resultCode(err error) (int, bool) {
	var coder interface{ Code() int }
	if errors.As(err, &coder) {
		return coder.Code(), true
	}
	return mattnCode(err)
}

// columnsOf returns the columns an SQLite constraint message names,
// without their table, or nil.
func columnsOf(err error) []string {
	m := failedColumns.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	cols := strings.Split(m[1], ", ")
	for i, c := range cols {
		if _, name, ok := strings.Cut(c, "."); ok {
			cols[i] = name
		}
	}
	return cols
}
