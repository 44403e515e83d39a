package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

// tableRows are the rows of one kind's table, as read with a plain driver.
type tableRows struct {
	kind    *configstore.Kind
	columns []string
	rows    [][]any
}

// rowKinds are the kinds whose tables the harness copies and checks: every
// declared kind but the one-row store state, which the migrations create.
// Kinds() lists referenced kinds before their referrers wherever the
// generated data has a reference, so inserting in this order satisfies the
// foreign keys row by row.
func rowKinds() []*configstore.Kind {
	var out []*configstore.Kind
	for _, k := range configstore.Kinds() {
		if k.Name != "state" {
			out = append(out, k)
		}
	}
	return out
}

// readRows reads every row of the rowKinds tables of db, in key order, in
// the form p.insertRows takes back; of the change log, only the entries up
// to maxRevision.
func readRows(ctx context.Context, db *sql.DB, p physical, maxRevision int64) ([]tableRows, error) {
	var out []tableRows
	for _, k := range rowKinds() {
		t := tableRows{kind: k}
		exprs := make([]string, len(k.Fields))
		for i, f := range k.Fields {
			t.columns = append(t.columns, f.Name)
			exprs[i] = p.selectColumn(f.Name)
		}
		where := ""
		if k.Name == "change" {
			where = fmt.Sprintf(" WHERE revision <= %d", maxRevision)
		}
		rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s",
			strings.Join(exprs, ", "), quoteIdent(k.Table), where, quoteIdent(k.Key)))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", k.Table, err)
		}
		for rows.Next() {
			row := make([]any, len(exprs))
			dest := make([]any, len(exprs))
			for i := range row {
				dest[i] = &row[i]
			}
			if err := rows.Scan(dest...); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("read %s: %w", k.Table, err)
			}
			for i, v := range row {
				if b, ok := v.([]byte); ok {
					row[i] = string(b)
				}
			}
			t.rows = append(t.rows, row)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", k.Table, err)
		}
		if len(t.rows) > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// fingerprint summarizes every rowKinds table of db: its row count and,
// where rows have a revision, the sum of their revisions. Any insert,
// delete or update through the store changes it.
func fingerprint(ctx context.Context, db *sql.DB) (map[string][2]int64, error) {
	out := map[string][2]int64{}
	for _, k := range rowKinds() {
		revisions := "0"
		if _, ok := k.Field("revision"); ok {
			revisions = "COALESCE(SUM(revision), 0)"
		}
		var n, sum int64
		q := fmt.Sprintf("SELECT COUNT(*), %s FROM %s", revisions, quoteIdent(k.Table))
		if err := db.QueryRowContext(ctx, q).Scan(&n, &sum); err != nil {
			return nil, fmt.Errorf("fingerprint %s: %w", k.Table, err)
		}
		out[k.Table] = [2]int64{n, sum}
	}
	return out, nil
}

// countRows counts the rows of every rowKinds table.
func countRows(tables []tableRows) int {
	n := 0
	for _, t := range tables {
		n += len(t.rows)
	}
	return n
}

// quoteIdent quotes an identifier the way SQLite and PostgreSQL both read.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// quoteIdents quotes and joins identifiers.
func quoteIdents(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = quoteIdent(n)
	}
	return strings.Join(quoted, ", ")
}
