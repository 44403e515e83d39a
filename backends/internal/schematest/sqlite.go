package schematest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/gatewaykit/configstore"
)

// SQLiteType is how the SQLite migrations spell each field type.
func SQLiteType(t configstore.FieldType) string {
	switch t {
	case configstore.TypeInt, configstore.TypeBool:
		return "INTEGER"
	case configstore.TypeFloat:
		return "REAL"
	}
	return "TEXT" // text, times (ISO 8601), JSON
}

// ReadSQLite reads the schema of an SQLite database from its catalog
// (sqlite_schema and the table_info, index_list, index_info and
// foreign_key_list pragmas). It also reports the tables that are not
// STRICT.
func ReadSQLite(ctx context.Context, db *sql.DB) (Schema, []string, error) {
	names, err := strings1(ctx, db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return nil, nil, err
	}
	s := Schema{}
	var notStrict []string
	for _, name := range names {
		t := s.table(name)
		if err := readSQLiteTable(ctx, db, name, t); err != nil {
			return nil, nil, fmt.Errorf("table %s: %w", name, err)
		}
		var strict bool
		if err := db.QueryRowContext(ctx, "SELECT strict FROM pragma_table_list WHERE name = ?", name).Scan(&strict); err != nil {
			return nil, nil, err
		}
		if !strict {
			notStrict = append(notStrict, name)
		}
	}
	return s, notStrict, nil
}

func readSQLiteTable(ctx context.Context, db *sql.DB, name string, t *Table) error {
	rows, err := db.QueryContext(ctx, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", name)
	if err != nil {
		return err
	}
	pk := map[int]string{}
	for rows.Next() {
		var col, typ string
		var notNull bool
		var pkPos int
		if err := rows.Scan(&col, &typ, &notNull, &pkPos); err != nil {
			rows.Close()
			return err
		}
		t.Columns[col] = Column{Type: typ, NotNull: notNull}
		if pkPos > 0 {
			pk[pkPos] = col
		}
	}
	rows.Close()
	for i := 1; i <= len(pk); i++ {
		t.PrimaryKey = append(t.PrimaryKey, pk[i])
	}
	if err := rows.Err(); err != nil {
		return err
	}
	indexes, err := db.QueryContext(ctx, "SELECT name, \"unique\", origin FROM pragma_index_list(?)", name)
	if err != nil {
		return err
	}
	type index struct {
		name, origin string
		unique       bool
	}
	var list []index
	for indexes.Next() {
		var ix index
		if err := indexes.Scan(&ix.name, &ix.unique, &ix.origin); err != nil {
			indexes.Close()
			return err
		}
		list = append(list, ix)
	}
	indexes.Close()
	for _, ix := range list {
		cols, err := strings1(ctx, db, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", ix.name)
		if err != nil {
			return err
		}
		if len(cols) > 0 {
			t.IndexLeads = append(t.IndexLeads, cols[0])
		}
		if ix.origin == "u" {
			t.Unique = append(t.Unique, cols)
		}
	}
	fks, err := db.QueryContext(ctx, "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq", name)
	if err != nil {
		return err
	}
	defer fks.Close()
	byID := map[int]*ForeignKey{}
	var ids []int
	for fks.Next() {
		var id int
		var ref, from, to, onDelete string
		if err := fks.Scan(&id, &ref, &from, &to, &onDelete); err != nil {
			return err
		}
		fk, ok := byID[id]
		if !ok {
			fk = &ForeignKey{RefTable: ref, OnDelete: onDelete}
			byID[id] = fk
			ids = append(ids, id)
		}
		fk.Columns = append(fk.Columns, from)
		fk.RefColumns = append(fk.RefColumns, to)
	}
	slices.Sort(ids)
	for _, id := range ids {
		t.ForeignKeys = append(t.ForeignKeys, *byID[id])
	}
	return fks.Err()
}

// strings1 returns the first column of the rows of a query.
func strings1(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
