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
	s := t.stmt()
	if _, empty, err := t.appendList(s, kind, q); err != nil || empty {
		return nil, err
	}
	recs, err := t.readRecords(ctx, kind.Fields, s)
	if err != nil {
		return nil, t.fail(ctx, "list", kind, err)
	}
	return recs, nil
}

// appendList appends to s the SELECT of every column of kind that List
// runs for q, and returns where its ORDER BY list is in s's text. It
// reports empty when q matches no row (a condition is IN an empty list):
// the query need not run, and s holds a part of it. Errors name the kind.
func (t *txn) appendList(s *Stmt, kind *configstore.Kind, q configstore.Query) (order textSpan, empty bool, err error) {
	if q.Limit < 0 {
		return order, false, fmt.Errorf("list %s: negative limit: %w", kind.Name, configstore.ErrInvalid)
	}
	kt := t.texts(kind)
	s.SQL(kt.selectAll)
	if empty, err := t.where(s, kt, q.Where); err != nil || empty {
		if err != nil {
			err = fmt.Errorf("list %s: %w", kind.Name, err)
		}
		return order, empty, err
	}
	s.SQL(" ORDER BY ")
	order.from = len(s.query)
	for i := range len(q.OrderBy) + 1 {
		name := kind.Key // after q.OrderBy
		if i < len(q.OrderBy) {
			name = q.OrderBy[i]
		}
		f, col, ok := kt.field(name)
		if !ok || f.Type == configstore.TypeJSON {
			return order, false, fmt.Errorf("list %s: order by %s: not an ordered field: %w", kind.Name, name, configstore.ErrInvalid)
		}
		if i > 0 {
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
	order.to = len(s.query)
	if q.Limit > 0 {
		// A number the program wrote, not a bind parameter: with a
		// LIMIT parameter SQLite compiled the prepared statement again
		// on every run (sqlite3Reprepare, 15% of GetVirtualKeyByValue's
		// CPU).
		s.SQL(" LIMIT ").SQL(strconv.Itoa(q.Limit))
	}
	return order, false, nil
}

// where appends to s the WHERE clause of conds, on fields of kt's kind
// (nothing for none). It reports empty when they match no row.
func (t *txn) where(s *Stmt, kt *kindText, conds []configstore.Condition) (empty bool, err error) {
	for i, c := range conds {
		if i == 0 {
			s.SQL(" WHERE ")
		} else {
			s.SQL(" AND ")
		}
		if empty, err := t.condition(s, kt, c); err != nil || empty {
			return empty, err
		}
	}
	return false, nil
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
	case configstore.OpInSelect:
		return t.inSelect(s, f, col, c)
	default:
		return false, invalid(fmt.Sprintf("unknown operator %d", c.Op))
	}
	return false, nil
}

// inSelect appends c, an OpInSelect condition on field f (compared as
// col), to s: col IN (SELECT ...). It reports empty when the sub-query
// selects no row for certain (a condition of it is IN an empty list).
func (t *txn) inSelect(s *Stmt, f configstore.Field, col string, c configstore.Condition) (empty bool, err error) {
	sel := c.Select
	if sel == nil || len(c.Values) > 0 {
		return false, fmt.Errorf("condition on %s: InSelect takes a Select and no values: %w", c.Field, configstore.ErrInvalid)
	}
	if err := checkKind(sel.Kind); err != nil {
		return false, fmt.Errorf("condition on %s: %w", c.Field, err)
	}
	kt := t.texts(sel.Kind)
	sf, scol, ok := kt.field(sel.Field)
	if !ok {
		return false, fmt.Errorf("condition on %s: select %s.%s: no such field: %w", c.Field, sel.Kind.Name, sel.Field, configstore.ErrInvalid)
	}
	if sf.Type != f.Type || f.Type == configstore.TypeJSON {
		return false, fmt.Errorf("condition on %s (%s): selects %s.%s (%s): not comparable: %w",
			c.Field, f.Type, sel.Kind.Name, sf.Name, sf.Type, configstore.ErrInvalid)
	}
	s.SQL(col).SQL(" IN (SELECT ").SQL(t.column(sf, scol)).SQL(kt.from)
	if empty, err := t.where(s, kt, sel.Where); err != nil || empty {
		return empty, err
	}
	s.SQL(")")
	return false, nil
}
