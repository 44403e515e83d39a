package schematest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

// PostgresType is how the PostgreSQL migrations spell each field type, as
// information_schema.columns.data_type shows it.
func PostgresType(t configstore.FieldType) string {
	switch t {
	case configstore.TypeInt:
		return "bigint"
	case configstore.TypeFloat:
		return "double precision"
	case configstore.TypeBool:
		return "boolean"
	case configstore.TypeTime:
		return "timestamp with time zone"
	case configstore.TypeJSON:
		return "json"
	}
	return "text"
}

// ReadPostgres reads the schema of the current schema (search_path) of a
// PostgreSQL database from its catalog (information_schema.columns,
// pg_constraint, pg_index). It also reports the text columns that do not
// use the "C" collation.
func ReadPostgres(ctx context.Context, db *sql.DB) (Schema, []string, error) {
	s := Schema{}
	var notC []string
	rows, err := db.QueryContext(ctx, `
		SELECT table_name, column_name, data_type, is_nullable = 'NO', coalesce(collation_name, '')
		FROM information_schema.columns WHERE table_schema = current_schema()`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var table, col, typ, collation string
		var notNull bool
		if err := rows.Scan(&table, &col, &typ, &notNull, &collation); err != nil {
			rows.Close()
			return nil, nil, err
		}
		s.table(table).Columns[col] = Column{Type: typ, NotNull: notNull}
		if typ == "text" && collation != "C" {
			notC = append(notC, fmt.Sprintf("%s.%s (%q)", table, col, collation))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// Column lists in constraint order, joined with commas.
	const columns = `(SELECT string_agg(a.attname, ',' ORDER BY k.ord)
		FROM unnest(%s) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)`
	rows, err = db.QueryContext(ctx, fmt.Sprintf(`
		SELECT r.relname, c.contype, %s, coalesce(f.relname, ''), coalesce(%s, ''), c.confdeltype
		FROM pg_constraint c
		JOIN pg_class r ON r.oid = c.conrelid
		LEFT JOIN pg_class f ON f.oid = c.confrelid
		WHERE r.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f')`,
		fmt.Sprintf(columns, "c.conkey", "c.conrelid"), fmt.Sprintf(columns, "c.confkey", "c.confrelid")))
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var table, kind, cols, ref, refCols, onDelete string
		if err := rows.Scan(&table, &kind, &cols, &ref, &refCols, &onDelete); err != nil {
			rows.Close()
			return nil, nil, err
		}
		t := s.table(table)
		switch kind {
		case "p":
			t.PrimaryKey = strings.Split(cols, ",")
		case "u":
			t.Unique = append(t.Unique, strings.Split(cols, ","))
		case "f":
			t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Columns: strings.Split(cols, ","), RefTable: ref,
				RefColumns: strings.Split(refCols, ","), OnDelete: deleteRules[onDelete]})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = db.QueryContext(ctx, `
		SELECT t.relname, a.attname
		FROM pg_index i
		JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
		WHERE t.relnamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, nil, err
		}
		t := s.table(table)
		t.IndexLeads = append(t.IndexLeads, col)
	}
	return s, notC, rows.Err()
}

// deleteRules spells pg_constraint.confdeltype.
var deleteRules = map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
