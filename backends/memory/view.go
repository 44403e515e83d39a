package memory

import (
	"context"
	"fmt"

	"github.com/gatewaykit/configstore"
)

// view is a set of tables, one per declared kind: a committed snapshot, or
// a transaction's copy-on-write working set.
type view struct {
	schema *schema
	tables map[string]*table
	// seq numbers the committed snapshots: each commit's is the one
	// before's plus one (see snapshotReader.Version).
	seq uint64
}

// emptyView returns a view with an empty table for every kind.
func emptyView(s *schema) view {
	v := view{schema: s, tables: make(map[string]*table, len(s.kinds))}
	for name, info := range s.kinds {
		v.tables[name] = newTable(info)
	}
	return v
}

// table returns the table of kind.
func (v *view) table(kind *configstore.Kind) (*table, error) {
	info, err := v.schema.lookup(kind)
	if err != nil {
		return nil, err
	}
	return v.tables[info.kind.Name], nil
}

// get returns a copy of the record of kind with key.
func (v *view) get(ctx context.Context, kind *configstore.Kind, key string) (configstore.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := v.table(kind)
	if err != nil {
		return nil, err
	}
	r, ok := t.row(key)
	if !ok {
		return nil, fmt.Errorf("memory: %s: %w", entityName(t.info.kind.Name, key), configstore.ErrNotFound)
	}
	return t.info.record(r), nil
}

// list returns copies of the records of kind matching q, in q's order.
func (v *view) list(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := v.table(kind)
	if err != nil {
		return nil, err
	}
	if q.Where, err = v.resolveSelects(t.info, q.Where); err != nil {
		return nil, err
	}
	p, err := planQuery(t.info, q)
	if err != nil {
		return nil, err
	}
	rows := p.run(t)
	out := make([]configstore.Record, len(rows))
	for i, r := range rows {
		out[i] = t.info.record(r)
	}
	return out, nil
}

// snapshotReader is the Reader that Backend.Read hands out: it reads one
// immutable snapshot, so it is safe for concurrent use.
type snapshotReader struct {
	v *view
}

// Get implements configstore.Reader.
func (r snapshotReader) Get(ctx context.Context, kind *configstore.Kind, key string) (configstore.Record, error) {
	return r.v.get(ctx, kind, key)
}

// List implements configstore.Reader.
func (r snapshotReader) List(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	return r.v.list(ctx, kind, q)
}

// Version implements configstore.SnapshotVersions: the snapshot's seq.
func (r snapshotReader) Version() uint64 { return r.v.seq }

// RowVersion implements configstore.SnapshotVersions: the address of the
// row's first value. A stored row is never modified (an update stores a
// new one), and a held address keeps its row from being collected and the
// address from being reused.
func (r snapshotReader) RowVersion(kind *configstore.Kind, key string) (any, bool) {
	t, err := r.v.table(kind)
	if err != nil {
		return nil, false
	}
	row, ok := t.row(key)
	if !ok {
		return nil, false
	}
	return &row[0], true
}

// KindVersion implements configstore.SnapshotVersions: the kind's table. A
// committed table is never modified; a transaction's first write to a kind
// clones it.
func (r snapshotReader) KindVersion(kind *configstore.Kind) any {
	t, err := r.v.table(kind)
	if err != nil {
		return nil
	}
	return t
}
