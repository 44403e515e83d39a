package configstore

import "context"

// listBatch runs lists on r and returns their results in order: in one
// call where the backend batches them (BatchLister), else one by one. last
// says these are the read's last calls (see lastCall).
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
	out := make([][]Record, len(lists))
	for i, l := range lists {
		if last && i == len(lists)-1 {
			lastCall(r)
		}
		var err error
		if out[i], err = r.List(ctx, l.Kind, l.Query); err != nil {
			return nil, err
		}
	}
	return out, nil
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
