package configstore

import (
	"context"
	"reflect"
	"slices"
	"time"
)

// listBatch runs lists on r and returns their results in order: in one
// call where the backend batches them (BatchLister), else one by one
// (listEach). last says these are the read's last calls (see lastCall).
func listBatch(ctx context.Context, r Reader, last bool, lists []KindQuery) ([][]Record, error) {
	backend := r
	if o, ok := r.(ownRead); ok {
		backend = o.Reader
	}
	if b, ok := backend.(BatchLister); ok {
		if last {
			lastCall(r)
		}
		return b.ListBatch(ctx, lists)
	}
	return listEach(ctx, r, last, lists)
}

// ListEach returns what BatchLister.ListBatch returns for lists, running
// them on r one by one, in order: for a backend's ListBatch where one call
// gains nothing over several (a database in process). An InSelect
// condition whose Select is an earlier list of the batch (its kind and
// conditions, without a limit) becomes the In list of the values that
// list returned, so that no list reads again what an earlier one read, and
// an empty one reads nothing.
func ListEach(ctx context.Context, r Reader, lists []KindQuery) ([][]Record, error) {
	return listEach(ctx, r, false, lists)
}

// listEach is ListEach; last says that the lists are the read's last
// calls (see lastCall).
func listEach(ctx context.Context, r Reader, last bool, lists []KindQuery) ([][]Record, error) {
	out := make([][]Record, len(lists))
	err := readEach(ctx, r, last, lists, func(i int, recs []Record) error {
		out[i] = recs
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readEach runs lists on r one by one, in order, resolving their InSelect
// conditions as ListEach describes, and hands each list's records to use
// as soon as they are read. It keeps a list's records only when a later
// list selects from them, so a use that decodes each list as it comes
// holds one list's records at a time, not every list's (the 70,000 records
// of the bench's 10,000 virtual keys with their parts are 31 MB on the
// memory backend).
func readEach(ctx context.Context, r Reader, last bool, lists []KindQuery, use func(i int, recs []Record) error) error {
	held := make([][]Record, len(lists))
	selected := selectedLater(lists)
	for i, l := range lists {
		q := l.Query
		q.Where = resolveSelects(l.Kind, q.Where, lists[:i], held)
		if last && i == len(lists)-1 {
			lastCall(r)
		}
		recs, err := r.List(ctx, l.Kind, q)
		if err != nil {
			return err
		}
		if selected[i] {
			held[i] = recs
		}
		if err := use(i, recs); err != nil {
			return err
		}
	}
	return nil
}

// readBatch runs lists on r as listBatch does and hands each list's
// records to use, in order.
func readBatch(ctx context.Context, r Reader, last bool, lists []KindQuery, use func(i int, recs []Record) error) error {
	res, err := listBatch(ctx, r, last, lists)
	if err != nil {
		return err
	}
	for i, recs := range res {
		res[i] = nil // use may be the last to hold them
		if err := use(i, recs); err != nil {
			return err
		}
	}
	return nil
}

// selectedLater reports, for each of lists, whether a later one selects
// from it: has an InSelect condition resolveSelects may resolve with its
// results.
func selectedLater(lists []KindQuery) []bool {
	selected := make([]bool, len(lists))
	for k, l := range lists {
		for _, c := range l.Query.Where {
			if c.Op != OpInSelect || c.Select == nil {
				continue
			}
			if j := slices.IndexFunc(lists[:k], func(e KindQuery) bool { return e.selects(*c.Select) }); j >= 0 {
				selected[j] = true
			}
		}
	}
	return selected
}

// resolveSelects returns conds, on fields of kind, with each InSelect
// condition whose Select is one of lists (without a limit) replaced by the
// In condition of the distinct values that list's results hold; conds
// itself when there is none. A Select the backend would refuse (a field
// its kind lacks, of another type, or JSON) stays, for the backend to
// refuse.
func resolveSelects(kind *Kind, conds []Condition, lists []KindQuery, results [][]Record) []Condition {
	var out []Condition // made at the first condition replaced
	for i, c := range conds {
		if c.Op != OpInSelect || c.Select == nil || !comparableSelect(kind, c) {
			continue
		}
		j := slices.IndexFunc(lists, func(l KindQuery) bool { return l.selects(*c.Select) })
		if j < 0 {
			continue
		}
		if out == nil {
			out = slices.Clone(conds)
		}
		seen := make(map[any]bool, len(results[j]))
		values := make([]any, 0, len(results[j]))
		for _, rec := range results[j] {
			if v := rec[c.Select.Field]; v != nil && !seen[v] {
				seen[v] = true
				values = append(values, v)
			}
		}
		out[i] = Condition{Field: c.Field, Op: OpIn, Values: values}
	}
	if out == nil {
		return conds
	}
	return out
}

// comparableSelect reports whether c, an InSelect condition on a field of
// kind, selects a field of its own type that is not JSON.
func comparableSelect(kind *Kind, c Condition) bool {
	if kind == nil || c.Select.Kind == nil {
		return false
	}
	f, ok := kind.Field(c.Field)
	if !ok {
		return false
	}
	sf, ok := c.Select.Kind.Field(c.Select.Field)
	return ok && sf.Type == f.Type && f.Type != TypeJSON
}

// selects reports whether l lists the records sel selects from.
func (l KindQuery) selects(sel Select) bool {
	return l.Kind == sel.Kind && l.Query.Limit == 0 && sameConditions(l.Query.Where, sel.Where)
}

// sameConditions reports whether a and b hold the same conditions in the
// same order, as reflect.DeepEqual would, without its allocations: a read
// asks it of every list it batches, and the two are most often one slice.
func sameConditions(a, b []Condition) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return slices.EqualFunc(a, b, func(x, y Condition) bool {
		return x.Field == y.Field && x.Op == y.Op && slices.EqualFunc(x.Values, y.Values, sameValue) &&
			sameSelect(x.Select, y.Select)
	})
}

// sameSelect reports whether a and b select the same values.
func sameSelect(a, b *Select) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Kind == b.Kind && a.Field == b.Field && sameConditions(a.Where, b.Where)
}

// sameValue reports whether condition values x and y are deeply equal:
// with == for the Go types of FieldType (comparable), else as
// reflect.DeepEqual says (a value of another type, which a backend
// refuses).
func sameValue(x, y any) bool {
	switch x.(type) {
	case nil, string, int64, float64, bool, time.Time:
		return x == y
	}
	return reflect.DeepEqual(x, y)
}

// selection is the entities of a kind that a read selects: those matching
// every condition of where (none: every entity).
type selection struct {
	kind  *Kind
	where []Condition
}

// on returns the conditions that restrict field, a field referring to the
// selection's kind, to the keys of the entities it selects: none when it
// selects every entity; when it selects by key, the same comparison on
// field; else field IN (SELECT key ...).
func (sel selection) on(field string) []Condition {
	if len(sel.where) == 0 {
		return nil
	}
	if c := sel.where[0]; len(sel.where) == 1 && c.Field == sel.kind.Key && (c.Op == OpEq || c.Op == OpIn) {
		c.Field = field
		return []Condition{c}
	}
	return []Condition{InSelect(field, sel.kind, sel.kind.Key, sel.where...)}
}
