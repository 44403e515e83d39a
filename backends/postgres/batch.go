package postgres

import (
	"strings"

	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
)

var _ sqlstore.Batcher = dialect{}

// RowsAsJSON implements sqlstore.Batcher with json_agg over the SELECT as
// a derived table. json_build_array gives each column as to_json does
// (ISO 8601 times, shortest exact floats, "Infinity"); a json column goes
// as its text, as a query returns it.
func (dialect) RowsAsJSON(columns []string, jsonColumns []bool, orderBy string) (before, after string) {
	var b strings.Builder
	b.WriteString("(SELECT json_agg(json_build_array(")
	for i, col := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		if jsonColumns[i] {
			b.WriteString("CAST(" + col + " AS text)")
		} else {
			b.WriteString(col)
		}
	}
	b.WriteString(") ORDER BY " + orderBy + ") FROM (")
	return b.String(), ") AS batch_rows)"
}
