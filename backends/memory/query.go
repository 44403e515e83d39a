package memory

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gatewaykit/configstore"
)

// condition is a validated configstore.Condition on the field at pos.
type condition struct {
	pos    int
	op     configstore.Op
	values []any
}

// plan is a validated query over one kind.
type plan struct {
	info  *kindInfo
	where []condition
	// order holds the positions of the OrderBy fields.
	order []int
	limit int
}

// planQuery validates q against the kind: known fields and operators,
// condition values of the field's Go type. Errors wrap ErrInvalid.
func planQuery(info *kindInfo, q configstore.Query) (plan, error) {
	name := info.kind.Name
	if q.Limit < 0 {
		return plan{}, invalidf("list %s: negative limit", name)
	}
	p := plan{info: info, limit: q.Limit}
	if len(q.Where) > 0 {
		p.where = make([]condition, len(q.Where))
	}
	for ci, c := range q.Where {
		pos, err := info.field(c.Field)
		if err != nil {
			return plan{}, err
		}
		f := info.kind.Fields[pos]
		switch c.Op {
		case configstore.OpEq:
			if len(c.Values) != 1 {
				return plan{}, invalidf("list %s: condition on %s: Eq takes one value, got %d", name, f.Name, len(c.Values))
			}
			if c.Values[0] != nil {
				if err := checkOperand(name, f, c.Values[0]); err != nil {
					return plan{}, err
				}
			}
		case configstore.OpIn:
			for _, v := range c.Values {
				if v == nil {
					return plan{}, invalidf("list %s: condition on %s: nil in an In list (use Eq with nil to match NULL)", name, f.Name)
				}
				if err := checkOperand(name, f, v); err != nil {
					return plan{}, err
				}
			}
		case configstore.OpGreater:
			if len(c.Values) != 1 || c.Values[0] == nil {
				return plan{}, invalidf("list %s: condition on %s: Greater takes one non-nil value", name, f.Name)
			}
			if f.Type == configstore.TypeJSON {
				return plan{}, invalidf("list %s: condition on %s: JSON fields are not ordered", name, f.Name)
			}
			if err := checkOperand(name, f, c.Values[0]); err != nil {
				return plan{}, err
			}
		default:
			return plan{}, invalidf("list %s: condition on %s: unknown operator %d", name, f.Name, c.Op)
		}
		p.where[ci] = condition{pos: pos, op: c.Op, values: c.Values}
	}
	if len(q.OrderBy) > 0 {
		p.order = make([]int, len(q.OrderBy))
	}
	for i, field := range q.OrderBy {
		pos, err := info.field(field)
		if err != nil {
			return plan{}, err
		}
		if info.kind.Fields[pos].Type == configstore.TypeJSON {
			return plan{}, invalidf("list %s: order by %s: JSON fields are not ordered", name, field)
		}
		p.order[i] = pos
	}
	return p, nil
}

// checkOperand checks that a condition value has the Go type of the field.
func checkOperand(kind string, f configstore.Field, v any) error {
	ok := false
	switch f.Type {
	case configstore.TypeText, configstore.TypeJSON:
		_, ok = v.(string)
	case configstore.TypeInt:
		_, ok = v.(int64)
	case configstore.TypeFloat:
		_, ok = v.(float64)
	case configstore.TypeBool:
		_, ok = v.(bool)
	case configstore.TypeTime:
		_, ok = v.(time.Time)
	}
	if !ok {
		return invalidf("list %s: condition on %s: value must be a %s, got %T", kind, f.Name, goType(f.Type), v)
	}
	return nil
}

// run returns the matching rows of t (not copies), ordered and limited.
func (p *plan) run(t *table) []row {
	candidates, exact := p.candidates(t)
	out := candidates[:0] // candidates is a new slice: filter it in place
	for _, r := range candidates {
		if p.matches(r, exact) {
			out = append(out, r)
		}
	}
	if len(out) > 1 {
		key := p.info.keyPos
		slices.SortFunc(out, func(a, b row) int {
			for _, i := range p.order {
				if c := compareNullable(a[i], b[i]); c != 0 {
					return c
				}
			}
			return strings.Compare(a[key].(string), b[key].(string))
		})
	}
	if p.limit > 0 && len(out) > p.limit {
		out = out[:p.limit:p.limit]
	}
	return out
}

// candidates returns, in a new slice, a superset of the matching rows:
// through an index when an Eq or In condition is on the key, a reference
// field or a single-field unique constraint, else every row. exact is the
// index in p.where of the condition that every candidate is known to
// satisfy (the index lookup was an exact match on text), or -1.
func (p *plan) candidates(t *table) (rows []row, exact int) {
	for ci, c := range p.where {
		if c.op != configstore.OpEq && c.op != configstore.OpIn {
			continue
		}
		if c.op == configstore.OpEq && c.values[0] == nil {
			continue
		}
		if c.pos == p.info.keyPos {
			keys := distinctKeys(c.values)
			rows = make([]row, 0, len(keys))
			for _, key := range keys {
				if r, ok := t.row(key); ok {
					rows = append(rows, r)
				}
			}
			return rows, ci
		}
		if i := p.info.refIndexOf(c.pos); i >= 0 {
			// A row has one value in the field, so the referrer sets of
			// distinct targets are disjoint.
			targets := distinctKeys(c.values)
			sets := make([]refSet, len(targets))
			n := 0
			for j, target := range targets {
				sets[j] = t.referrers(i, target)
				n += sets[j].len()
			}
			rows = make([]row, 0, n)
			for _, set := range sets {
				for key := range set.all {
					r, _ := t.row(key)
					rows = append(rows, r)
				}
			}
			return rows, ci
		}
		if i := p.info.uniqueIndexOf(c.pos); i >= 0 {
			// Distinct tuple keys have distinct owners.
			for _, tk := range distinctKeys(c.values) {
				if key, ok := t.uniqueOwner(i, tk); ok {
					r, _ := t.row(key)
					rows = append(rows, r)
				}
			}
			// Only text is its own key; an encoded time, say, stands for
			// any value in its millisecond, so matches still checks.
			if p.info.kind.Fields[c.pos].Type == configstore.TypeText {
				return rows, ci
			}
			return rows, -1
		}
	}
	rows = make([]row, 0, t.rows.len())
	for _, r := range t.rows.all {
		rows = append(rows, r)
	}
	return rows, -1
}

// linearDistinct is the number of values up to which distinctKeys finds
// duplicates by scanning instead of with a map.
const linearDistinct = 16

// distinctKeys returns the distinct valueKeys of non-nil values, in order.
func distinctKeys(values []any) []string {
	out := make([]string, 0, len(values))
	var seen map[string]bool
	if len(values) > linearDistinct {
		seen = make(map[string]bool, len(values))
	}
	for _, v := range values {
		k := valueKey(v)
		if seen != nil {
			if seen[k] {
				continue
			}
			seen[k] = true
		} else if slices.Contains(out, k) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// matches reports whether r satisfies every condition but the one at
// index skip (-1: none), which the caller knows r satisfies.
func (p *plan) matches(r row, skip int) bool {
	for ci, c := range p.where {
		if ci == skip {
			continue
		}
		v := r[c.pos]
		switch c.op {
		case configstore.OpEq:
			if c.values[0] == nil {
				if v != nil {
					return false
				}
			} else if v == nil || compareValues(v, c.values[0]) != 0 {
				return false
			}
		case configstore.OpIn:
			if v == nil || !slices.ContainsFunc(c.values, func(w any) bool { return compareValues(v, w) == 0 }) {
				return false
			}
		case configstore.OpGreater:
			if v == nil || compareValues(v, c.values[0]) <= 0 {
				return false
			}
		default:
			panic(fmt.Sprintf("memory: unvalidated operator %d", c.op))
		}
	}
	return true
}
