package postgres

import (
	"strings"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
)

var _ sqlstore.Batcher = dialect{}

// RowsAsJSON implements sqlstore.Batcher with json_agg over the SELECT as
// a derived table. json_build_array gives every value as to_json does
// (shortest exact floats, "Infinity", times in ISO 8601 in the session's
// time zone, which is UTC: see sessionSettings); a json column goes as its
// text, as a query returns it.
func (dialect) RowsAsJSON(columns []string, fields []configstore.Field, orderBy string) (before, after string) {
	var b strings.Builder
	b.WriteString("(SELECT json_agg(json_build_array(")
	for i, col := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		if fields[i].Type == configstore.TypeJSON {
			b.WriteString("CAST(" + col + " AS text)")
		} else {
			b.WriteString(col)
		}
	}
	b.WriteString(") ORDER BY " + orderBy + ") FROM (")
	return b.String(), ") AS batch_rows)"
}
