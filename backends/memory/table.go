package memory

// table holds the rows of one kind and its indexes, all copy-on-write maps.
// A table reachable from a committed snapshot is never modified: a
// transaction clones it (clone, cheap: shard tables only) before its first
// write to the kind and modifies only its clone.
type table struct {
	info *kindInfo
	// rows maps the key to the row.
	rows cowMap[row]
	// unique holds one index per unique constraint (info.unique): the
	// encoded tuple (tupleKey) -> the key of the row holding it. Rows with a
	// NULL component are not indexed.
	unique []cowMap[string]
	// refs holds one index per reference of the kind (info.references): the
	// target key -> the keys of the rows pointing at it.
	refs []refIndex
}

// refIndex is the referrer index of one reference field.
type refIndex struct {
	byTarget cowMap[refSet]
	// owned marks the sets of byTarget that this table copy created, and so
	// may modify; the other sets are shared with older snapshots.
	owned map[string]bool
}

// newTable returns an empty table of a kind.
func newTable(info *kindInfo) *table {
	return &table{
		info:   info,
		unique: make([]cowMap[string], len(info.unique)),
		refs:   make([]refIndex, len(info.references)),
	}
}

// clone returns a copy of t that can be modified without touching t.
func (t *table) clone() *table {
	c := &table{
		info:   t.info,
		rows:   t.rows.clone(),
		unique: make([]cowMap[string], len(t.unique)),
		refs:   make([]refIndex, len(t.refs)),
	}
	for i := range t.unique {
		c.unique[i] = t.unique[i].clone()
	}
	for i := range t.refs {
		c.refs[i] = refIndex{byTarget: t.refs[i].byTarget.clone()}
	}
	return c
}

// freeze drops the bookkeeping of a transaction's copy when it is
// committed; the table is immutable from then on.
func (t *table) freeze() {
	t.rows.freeze()
	for i := range t.unique {
		t.unique[i].freeze()
	}
	for i := range t.refs {
		t.refs[i].byTarget.freeze()
		t.refs[i].owned = nil
	}
}

// row returns the row stored under key.
func (t *table) row(key string) (row, bool) { return t.rows.get(key) }

// has reports whether a row with key exists.
func (t *table) has(key string) bool {
	_, ok := t.rows.get(key)
	return ok
}

// uniqueOwner returns the key of the row holding tuple tk of the i-th
// unique constraint.
func (t *table) uniqueOwner(i int, tk string) (string, bool) { return t.unique[i].get(tk) }

// put stores r under key and indexes it. The caller has checked the
// constraints and removed any previous row with that key.
func (t *table) put(key string, r row) {
	t.rows.set(key, r)
	for i, positions := range t.info.uniquePos {
		if tk, ok := tupleKey(r, positions); ok {
			t.unique[i].set(tk, key)
		}
	}
	for i, pos := range t.info.refPos {
		if target, ok := r[pos].(string); ok {
			t.refs[i].add(target, key)
		}
	}
}

// replace stores r in place of old under key, touching only the index
// entries that change (an update that keeps a reference leaves the
// referrer set of its target alone).
func (t *table) replace(key string, old, r row) {
	t.rows.set(key, r)
	for i, positions := range t.info.uniquePos {
		otk, hadOld := tupleKey(old, positions)
		ntk, hasNew := tupleKey(r, positions)
		if hadOld == hasNew && otk == ntk {
			continue
		}
		if owner, _ := t.unique[i].get(otk); hadOld && owner == key {
			t.unique[i].delete(otk)
		}
		if hasNew {
			t.unique[i].set(ntk, key)
		}
	}
	for i, pos := range t.info.refPos {
		oldTarget, hadOld := old[pos].(string)
		newTarget, hasNew := r[pos].(string)
		if hadOld == hasNew && oldTarget == newTarget {
			continue
		}
		if hadOld {
			t.refs[i].remove(oldTarget, key)
		}
		if hasNew {
			t.refs[i].add(newTarget, key)
		}
	}
}

// remove deletes the row with key and its index entries.
func (t *table) remove(key string) {
	r, ok := t.rows.get(key)
	if !ok {
		return
	}
	t.rows.delete(key)
	for i, positions := range t.info.uniquePos {
		if tk, ok := tupleKey(r, positions); ok {
			if owner, _ := t.unique[i].get(tk); owner == key {
				t.unique[i].delete(tk)
			}
		}
	}
	for i, pos := range t.info.refPos {
		if target, ok := r[pos].(string); ok {
			t.refs[i].remove(target, key)
		}
	}
}

// referrers returns the keys of the rows whose i-th reference points at
// target: a set, possibly empty, that must not be modified.
func (t *table) referrers(i int, target string) refSet {
	set, _ := t.refs[i].byTarget.get(target)
	return set
}

// add records that row key points at target.
func (r *refIndex) add(target, key string) {
	set := r.writable(target)
	set.add(key)
	r.byTarget.set(target, set)
}

// remove forgets that row key points at target.
func (r *refIndex) remove(target, key string) {
	set, _ := r.byTarget.get(target)
	if !set.has(key) {
		return
	}
	if set.len() == 1 {
		r.byTarget.delete(target)
		delete(r.owned, target)
		return
	}
	set = r.writable(target)
	set.remove(key)
	r.byTarget.set(target, set)
}

// writable returns the set of target's referrers for modification, cloned
// first if it is shared with an older snapshot; the caller stores it back
// under target.
func (r *refIndex) writable(target string) refSet {
	set, _ := r.byTarget.get(target)
	if r.owned[target] {
		return set
	}
	if r.owned == nil {
		r.owned = make(map[string]bool)
	}
	r.owned[target] = true
	return set.clone()
}
