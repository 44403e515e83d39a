package sqlstore

import (
	"maps"
	"math"
	"time"

	"github.com/gatewaykit/configstore"
)

// recentCapacity is how many rows a write transaction remembers: the
// portable layer reads a record, checks its references (a few more reads)
// and then updates it.
const recentCapacity = 8

// recentRows remembers the rows a write transaction read last by key, as
// they are stored, so that an update of one of them sets only the columns
// it changes: an UPDATE that sets an indexed column rewrites the index
// entries and checks the constraints on it (SQLite does so even for an
// unchanged value), and each page it dirties is written to the WAL.
//
// A remembered row is what the transaction itself last read or wrote: no
// other writer changes it (write transactions are serialized), an update
// through the transaction replaces it, and a delete, whose cascades may
// reach any table, forgets every row.
type recentRows struct {
	rows [recentCapacity]recentRow
	next int // the slot the next row takes
}

// recentRow is a remembered row of table.
type recentRow struct {
	table, key string
	rec        configstore.Record // nil: an empty slot
}

// find returns the remembered row of table with key, or nil.
func (r *recentRows) find(table, key string) configstore.Record {
	for _, row := range r.rows {
		if row.rec != nil && row.key == key && row.table == table {
			return row.rec
		}
	}
	return nil
}

// remember notes rec, the stored row of kind, keeping a copy (the caller
// may change rec).
func (r *recentRows) remember(kind *configstore.Kind, key string, rec configstore.Record) {
	for i, row := range r.rows {
		if row.rec != nil && row.key == key && row.table == kind.Table {
			r.rows[i].rec = maps.Clone(rec)
			return
		}
	}
	r.rows[r.next] = recentRow{table: kind.Table, key: key, rec: maps.Clone(rec)}
	r.next = (r.next + 1) % recentCapacity
}

// forget forgets every row.
func (r *recentRows) forget() { *r = recentRows{} }

// sameValue reports whether the record values a and b are sure to be
// stored alike; when unsure (a time that differs below the millisecond, a
// value of an unexpected type) it says no, so the column is written.
func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y) // 0 and -0 differ
	case string, int64, bool:
		return a == b
	}
	return false
}
