package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/gatewaykit/configstore"
)

// Get returns the record of kind with that key, or ErrNotFound.
func (t *txn) Get(ctx context.Context, kind *configstore.Kind, key string) (configstore.Record, error) {
	if err := t.check("get", kind, false); err != nil {
		return nil, err
	}
	s := t.stmt().SQL(t.texts(kind).selectByKey).Arg(key)
	recs, err := t.readRecords(ctx, kind.Fields, s)
	if err != nil {
		return nil, t.fail(ctx, "get", kind, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s %q: %w", kind.Name, key, configstore.ErrNotFound)
	}
	if t.writable {
		t.recent.remember(kind, key, recs[0])
	}
	return recs[0], nil
}

// List returns the records of kind matching q, ordered by q.OrderBy then
// the key; text compares bytewise and NULL sorts last. JSON fields can be
// compared for equality only.
func (t *txn) List(ctx context.Context, kind *configstore.Kind, q configstore.Query) ([]configstore.Record, error) {
	if err := t.check("list", kind, false); err != nil {
		return nil, err
	}
	if q.Limit < 0 {
		return nil, fmt.Errorf("list %s: negative limit: %w", kind.Name, configstore.ErrInvalid)
	}
	kt := t.texts(kind)
	s := t.stmt().SQL(kt.selectAll)
	for i, c := range q.Where {
		if i == 0 {
			s.SQL(" WHERE ")
		} else {
			s.SQL(" AND ")
		}
		empty, err := t.condition(s, kt, c)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", kind.Name, err)
		}
		if empty {
			return nil, nil
		}
	}
	for i := range len(q.OrderBy) + 1 {
		name := kind.Key // after q.OrderBy
		if i < len(q.OrderBy) {
			name = q.OrderBy[i]
		}
		f, col, ok := kt.field(name)
		if !ok || f.Type == configstore.TypeJSON {
			return nil, fmt.Errorf("list %s: order by %s: not an ordered field: %w", kind.Name, name, configstore.ErrInvalid)
		}
		if i == 0 {
			s.SQL(" ORDER BY ")
		} else {
			s.SQL(", ")
		}
		s.SQL(t.column(f, col)).SQL(" ASC")
		if f.Nullable {
			// Only a nullable column needs it: the ordering of a column
			// that holds no NULL can then come from its index (SQLite
			// sorts a NULLS LAST order itself, in a temporary B-tree).
			s.SQL(" NULLS LAST")
		}
	}
	if q.Limit > 0 {
		// A number the program wrote, not a bind parameter: with a
		// LIMIT parameter SQLite compiled the prepared statement again
		// on every run (sqlite3Reprepare, 15% of GetVirtualKeyByValue's
		// CPU).
		s.SQL(" LIMIT ").SQL(strconv.Itoa(q.Limit))
	}
	recs, err := t.readRecords(ctx, kind.Fields, s)
	if err != nil {
		return nil, t.fail(ctx, "list", kind, err)
	}
	return recs, nil
}

// readRecords runs s for Get and List. In a write transaction it runs as
// one operation (see atomic): where a failed statement aborts the
// transaction (PostgreSQL), a read that fails is rolled back alone and the
// transaction stays usable, as it does after a failed write.
func (t *txn) readRecords(ctx context.Context, fields []configstore.Field, s *Stmt) ([]configstore.Record, error) {
	if !t.writable {
		return t.selectRecords(ctx, fields, s)
	}
	var recs []configstore.Record
	err := t.atomic(ctx, 1, func() error {
		var err error
		recs, err = t.selectRecords(ctx, fields, s)
		return err
	})
	return recs, err
}

// column returns the expression comparisons and ORDER BY use for f, whose
// quoted column is col.
func (t *txn) column(f configstore.Field, col string) string {
	return t.dialect.Column(col, f.Type == configstore.TypeJSON)
}

// condition appends c, on a field of kt's kind, to s. It reports empty
// when c matches no row (IN an empty list), so the query need not run.
func (t *txn) condition(s *Stmt, kt *kindText, c configstore.Condition) (empty bool, err error) {
	f, col, ok := kt.field(c.Field)
	if !ok {
		return false, fmt.Errorf("condition on %s: no such field: %w", c.Field, configstore.ErrInvalid)
	}
	invalid := func(why string) error {
		return fmt.Errorf("condition on %s: %s: %w", c.Field, why, configstore.ErrInvalid)
	}
	values := make([]any, len(c.Values))
	for i, v := range c.Values {
		if v == nil {
			if c.Op != configstore.OpEq {
				return false, invalid("nil is only allowed in Eq (to match NULL)")
			}
			continue
		}
		p, err := param(f, v)
		if err != nil {
			return false, fmt.Errorf("condition: %w", err)
		}
		values[i] = p
	}
	col = t.column(f, col)
	switch c.Op {
	case configstore.OpEq:
		if len(values) != 1 {
			return false, invalid(fmt.Sprintf("Eq takes one value, got %d", len(values)))
		}
		if values[0] == nil {
			s.SQL(col).SQL(" IS NULL")
		} else {
			s.SQL(col).SQL(" = ").Arg(values[0])
		}
	case configstore.OpGreater:
		if len(values) != 1 {
			return false, invalid(fmt.Sprintf("Greater takes one value, got %d", len(values)))
		}
		if f.Type == configstore.TypeJSON {
			return false, invalid("JSON fields are not ordered")
		}
		s.SQL(col).SQL(" > ").Arg(values[0])
	case configstore.OpIn:
		if len(values) == 0 {
			return true, nil
		}
		s.SQL(col).SQL(" IN ")
		t.dialect.InList(s, values)
	default:
		return false, invalid(fmt.Sprintf("unknown operator %d", c.Op))
	}
	return false, nil
}
