package memory

import "github.com/gatewaykit/configstore"

// resolveSelects returns conds with each OpInSelect condition (on a field
// of info's kind) replaced by the OpIn condition of the values its Select
// selects in v; conds itself when it holds none.
func (v *view) resolveSelects(info *kindInfo, conds []configstore.Condition) ([]configstore.Condition, error) {
	var out []configstore.Condition // made at the first OpInSelect
	for i, c := range conds {
		if c.Op != configstore.OpInSelect {
			if out != nil {
				out = append(out, c)
			}
			continue
		}
		if out == nil {
			out = append(make([]configstore.Condition, 0, len(conds)), conds[:i]...)
		}
		values, err := v.selectValues(info, c)
		if err != nil {
			return nil, err
		}
		out = append(out, configstore.Condition{Field: c.Field, Op: configstore.OpIn, Values: values})
	}
	if out == nil {
		return conds, nil
	}
	return out, nil
}

// selectValues returns the non-NULL values that the Select of c, an
// OpInSelect condition on a field of info's kind, selects in v.
func (v *view) selectValues(info *kindInfo, c configstore.Condition) ([]any, error) {
	pos, err := info.field(c.Field)
	if err != nil {
		return nil, err
	}
	f := info.kind.Fields[pos]
	sel := c.Select
	if sel == nil || len(c.Values) > 0 {
		return nil, invalidf("list %s: condition on %s: InSelect takes a Select and no values", info.kind.Name, f.Name)
	}
	t, err := v.table(sel.Kind)
	if err != nil {
		return nil, err
	}
	spos, err := t.info.field(sel.Field)
	if err != nil {
		return nil, err
	}
	if sf := t.info.kind.Fields[spos]; sf.Type != f.Type || f.Type == configstore.TypeJSON {
		return nil, invalidf("list %s: condition on %s (%s): selects %s.%s (%s): not comparable",
			info.kind.Name, f.Name, f.Type, t.info.kind.Name, sf.Name, sf.Type)
	}
	where, err := v.resolveSelects(t.info, sel.Where)
	if err != nil {
		return nil, err
	}
	p, err := planQuery(t.info, configstore.Query{Where: where})
	if err != nil {
		return nil, err
	}
	rows := p.run(t)
	values := make([]any, 0, len(rows))
	for _, r := range rows {
		if r[spos] != nil {
			values = append(values, r[spos])
		}
	}
	return values, nil
}
