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
// A remembered row is what the transaction itself last read or wrote, or
// a row it expects at a revision (see Expect), which the commands that
// begin it check: no other writer changes it (write transactions are
// serialized), an update through the transaction replaces it, and a
// delete, whose cascades may reach any table, forgets every row, as does
// a transaction that begins again (see sendText).
type recentRows struct {
	rows [recentCapacity]recentRow
	next int // the slot the next row takes
}

// recentRow is a remembered row of table: all of it, or, for a row the
// transaction expects (see Expect), only its revision.
type recentRow struct {
	table, key   string
	rec          configstore.Record // nil: an empty slot
	revisionOnly bool
}

// find returns the remembered row of table with key, or nil, and whether
// only its revision is known: its other fields are what the transaction
// was told, not what it read.
func (r *recentRows) find(table, key string) (configstore.Record, bool) {
	for _, row := range r.rows {
		if row.rec != nil && row.key == key && row.table == table {
			return row.rec, row.revisionOnly
		}
	}
	return nil, false
}

// remember notes rec, the stored row of kind, keeping a copy (the caller
// may change rec).
func (r *recentRows) remember(kind *configstore.Kind, key string, rec configstore.Record) {
	r.put(recentRow{table: kind.Table, key: key, rec: maps.Clone(rec)})
}

// rememberRevision notes that the row of kind with key is stored at rec's
// revision; its other fields are not known.
func (r *recentRows) rememberRevision(kind *configstore.Kind, key string, rec configstore.Record) {
	r.put(recentRow{table: kind.Table, key: key, rec: maps.Clone(rec), revisionOnly: true})
}

// put notes row, in place of the one of the same table and key if there is
// one, else in the next slot.
func (r *recentRows) put(row recentRow) {
	for i, old := range r.rows {
		if old.rec != nil && old.key == row.key && old.table == row.table {
			r.rows[i] = row
			return
		}
	}
	r.rows[r.next] = row
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
