package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"

	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

var _ sqlstore.Copier = dialect{}

// CopyRows sends rows as the data of query, a COPY FROM STDIN, in COPY's
// text format, through pgdriver's CopyFrom.
func (dialect) CopyRows(ctx context.Context, conn *sql.Conn, query string, rows [][]any) error {
	var data bytes.Buffer
	for _, row := range rows {
		for i, v := range row {
			if i > 0 {
				data.WriteByte('\t')
			}
			if err := appendCopyValue(&data, v); err != nil {
				return err
			}
		}
		data.WriteByte('\n')
	}
	_, err := pgdriver.CopyFrom(ctx, bun.Conn{Conn: conn}, &data, query)
	return err
}

// appendCopyValue writes v, a bind parameter as sqlstore makes them, in
// COPY's text format: \N for NULL; in text, a backslash, tab, newline or
// carriage return escaped with a backslash.
func appendCopyValue(data *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		data.WriteString(`\N`)
	case string:
		start := 0
		for i := 0; i < len(x); i++ {
			var esc byte
			switch x[i] {
			case '\\':
				esc = '\\'
			case '\t':
				esc = 't'
			case '\n':
				esc = 'n'
			case '\r':
				esc = 'r'
			default:
				continue
			}
			data.WriteString(x[start:i])
			data.WriteByte('\\')
			data.WriteByte(esc)
			start = i + 1
		}
		data.WriteString(x[start:])
	case int64:
		data.Write(strconv.AppendInt(data.AvailableBuffer(), x, 10))
	case float64:
		switch {
		case math.IsInf(x, 1):
			data.WriteString("Infinity")
		case math.IsInf(x, -1):
			data.WriteString("-Infinity")
		default:
			data.Write(strconv.AppendFloat(data.AvailableBuffer(), x, 'g', -1, 64))
		}
	case bool:
		if x {
			data.WriteByte('t')
		} else {
			data.WriteByte('f')
		}
	default:
		// The value is not quoted: it may be a secret.
		return fmt.Errorf("copy: unsupported %T value", v)
	}
	return nil
}
