package memory

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gatewaykit/configstore"
)

// condition is a validated configstore.Condition.
type condition struct {
	field  configstore.Field
	op     configstore.Op
	values []any
}

// plan is a validated query over one kind.
type plan struct {
	info  *kindInfo
	where []condition
	order []string
	limit int
}

// planQuery validates q against the kind: known fields and operators,
// condition values of the field's Go type. Errors wrap ErrInvalid.
func planQuery(info *kindInfo, q configstore.Query) (*plan, error) {
	name := info.kind.Name
	if q.Limit < 0 {
		return nil, invalidf("list %s: negative limit", name)
	}
	p := &plan{info: info, limit: q.Limit, where: make([]condition, 0, len(q.Where))}
	for _, c := range q.Where {
		f, err := info.field(c.Field)
		if err != nil {
			return nil, err
		}
		switch c.Op {
		case configstore.OpEq:
			if len(c.Values) != 1 {
				return nil, invalidf("list %s: condition on %s: Eq takes one value, got %d", name, f.Name, len(c.Values))
			}
			if c.Values[0] != nil {
				if err := checkOperand(name, f, c.Values[0]); err != nil {
					return nil, err
				}
			}
		case configstore.OpIn:
			for _, v := range c.Values {
				if v == nil {
					return nil, invalidf("list %s: condition on %s: nil in an In list (use Eq with nil to match NULL)", name, f.Name)
				}
				if err := checkOperand(name, f, v); err != nil {
					return nil, err
				}
			}
		case configstore.OpGreater:
			if len(c.Values) != 1 || c.Values[0] == nil {
				return nil, invalidf("list %s: condition on %s: Greater takes one non-nil value", name, f.Name)
			}
			if f.Type == configstore.TypeJSON {
				return nil, invalidf("list %s: condition on %s: JSON fields are not ordered", name, f.Name)
			}
			if err := checkOperand(name, f, c.Values[0]); err != nil {
				return nil, err
			}
		default:
			return nil, invalidf("list %s: condition on %s: unknown operator %d", name, f.Name, c.Op)
		}
		p.where = append(p.where, condition{field: f, op: c.Op, values: c.Values})
	}
	for _, field := range q.OrderBy {
		f, err := info.field(field)
		if err != nil {
			return nil, err
		}
		if f.Type == configstore.TypeJSON {
			return nil, invalidf("list %s: order by %s: JSON fields are not ordered", name, f.Name)
		}
		p.order = append(p.order, field)
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
func (p *plan) run(t *table) []configstore.Record {
	var out []configstore.Record
	for _, rec := range p.candidates(t) {
		if p.matches(rec) {
			out = append(out, rec)
		}
	}
	key := p.info.kind.Key
	slices.SortFunc(out, func(a, b configstore.Record) int {
		for _, f := range p.order {
			if c := compareNullable(a[f], b[f]); c != 0 {
				return c
			}
		}
		return strings.Compare(a[key].(string), b[key].(string))
	})
	if p.limit > 0 && len(out) > p.limit {
		out = out[:p.limit:p.limit]
	}
	return out
}

// candidates returns a superset of the matching rows: through an index
// when an Eq or In condition is on the key, a reference field or a
// single-field unique constraint, else every row.
func (p *plan) candidates(t *table) []configstore.Record {
	for _, c := range p.where {
		if c.op != configstore.OpEq && c.op != configstore.OpIn {
			continue
		}
		if c.op == configstore.OpEq && c.values[0] == nil {
			continue
		}
		if c.field.Name == p.info.kind.Key {
			return collect(t, uniqueStrings(c.values), func(key string) []string { return []string{key} })
		}
		if i := slices.IndexFunc(p.info.references, func(r configstore.Reference) bool { return r.Field == c.field.Name }); i >= 0 {
			return collect(t, uniqueStrings(c.values), func(target string) []string {
				set := t.referrers(i, target)
				if set == nil {
					return nil
				}
				keys := make([]string, 0, set.len())
				for k := range set.all {
					keys = append(keys, k)
				}
				return keys
			})
		}
		if i := slices.IndexFunc(p.info.unique, func(u []string) bool { return len(u) == 1 && u[0] == c.field.Name }); i >= 0 {
			var out []configstore.Record
			seen := make(map[string]bool, len(c.values))
			for _, v := range c.values {
				if key, ok := t.uniqueOwner(i, valueKey(v)); ok && !seen[key] {
					seen[key] = true
					rec, _ := t.row(key)
					out = append(out, rec)
				}
			}
			return out
		}
	}
	out := make([]configstore.Record, 0, t.rows.len())
	for _, rec := range t.rows.all {
		out = append(out, rec)
	}
	return out
}

// uniqueStrings returns the distinct values; they are strings (key and
// reference fields are text, checked by planQuery).
func uniqueStrings(values []any) []string {
	out := make([]string, 0, len(values))
	seen := make(map[string]bool, len(values))
	for _, v := range values {
		if s := v.(string); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// collect returns the rows whose keys keysOf lists for the values, each
// row once.
func collect(t *table, values []string, keysOf func(string) []string) []configstore.Record {
	var out []configstore.Record
	seen := make(map[string]bool)
	for _, v := range values {
		for _, key := range keysOf(v) {
			if rec, ok := t.row(key); ok && !seen[key] {
				seen[key] = true
				out = append(out, rec)
			}
		}
	}
	return out
}

// matches reports whether rec satisfies every condition.
func (p *plan) matches(rec configstore.Record) bool {
	for _, c := range p.where {
		v := rec[c.field.Name]
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
