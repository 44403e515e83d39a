package memory

import (
	"maps"

	"github.com/gatewaykit/configstore"
)

// table holds the rows of one kind and its indexes. A table reachable from
// a committed snapshot is never modified: a transaction clones it (clone)
// before its first write and modifies only its clone.
type table struct {
	info *kindInfo
	// rows maps the key to the record. Records are never modified in place;
	// an update stores a new record.
	rows map[string]configstore.Record
	// unique holds one index per unique constraint (info.unique): the
	// encoded tuple (tupleKey) -> the key of the row holding it. Rows with a
	// NULL component are not indexed.
	unique []map[string]string
	// refs holds one index per reference of the kind (info.references): the
	// target key -> the keys of the rows pointing at it.
	refs []refIndex
}

// refIndex is the referrer index of one reference field.
type refIndex struct {
	byTarget map[string]map[string]struct{}
	// owned marks the sets of byTarget that this table copy created, and so
	// may modify; the other sets are shared with older snapshots.
	owned map[string]bool
}

// newTable returns an empty table of a kind.
func newTable(info *kindInfo) *table {
	t := &table{
		info:   info,
		rows:   make(map[string]configstore.Record),
		unique: make([]map[string]string, len(info.unique)),
		refs:   make([]refIndex, len(info.references)),
	}
	for i := range t.unique {
		t.unique[i] = make(map[string]string)
	}
	for i := range t.refs {
		t.refs[i] = refIndex{byTarget: make(map[string]map[string]struct{}), owned: make(map[string]bool)}
	}
	return t
}

// clone returns a copy of t that can be modified without touching t. It
// copies the row map and the index maps, not the records, and not the
// referrer sets, which are copied on their first modification.
func (t *table) clone() *table {
	c := &table{
		info:   t.info,
		rows:   maps.Clone(t.rows),
		unique: make([]map[string]string, len(t.unique)),
		refs:   make([]refIndex, len(t.refs)),
	}
	for i, u := range t.unique {
		c.unique[i] = maps.Clone(u)
	}
	for i, r := range t.refs {
		c.refs[i] = refIndex{byTarget: maps.Clone(r.byTarget), owned: make(map[string]bool)}
	}
	return c
}

// put stores rec under key and indexes it. The caller has checked the
// constraints and removed any previous row with that key.
func (t *table) put(key string, rec configstore.Record) {
	t.rows[key] = rec
	for i, fields := range t.info.unique {
		if tk, ok := tupleKey(rec, fields); ok {
			t.unique[i][tk] = key
		}
	}
	for i, ref := range t.info.references {
		if target, ok := rec[ref.Field].(string); ok {
			t.refs[i].add(target, key)
		}
	}
}

// remove deletes the row with key and its index entries.
func (t *table) remove(key string) {
	rec, ok := t.rows[key]
	if !ok {
		return
	}
	delete(t.rows, key)
	for i, fields := range t.info.unique {
		if tk, ok := tupleKey(rec, fields); ok && t.unique[i][tk] == key {
			delete(t.unique[i], tk)
		}
	}
	for i, ref := range t.info.references {
		if target, ok := rec[ref.Field].(string); ok {
			t.refs[i].remove(target, key)
		}
	}
}

// referrers returns the keys of the rows whose i-th reference points at
// target. The set must not be modified.
func (t *table) referrers(i int, target string) map[string]struct{} {
	return t.refs[i].byTarget[target]
}

// add records that row key points at target.
func (r *refIndex) add(target, key string) {
	set := r.writable(target)
	set[key] = struct{}{}
}

// remove forgets that row key points at target.
func (r *refIndex) remove(target, key string) {
	if _, ok := r.byTarget[target][key]; !ok {
		return
	}
	set := r.writable(target)
	delete(set, key)
	if len(set) == 0 {
		delete(r.byTarget, target)
		delete(r.owned, target)
	}
}

// writable returns the set of target's referrers, copying it first if it is
// shared with an older snapshot.
func (r *refIndex) writable(target string) map[string]struct{} {
	set := r.byTarget[target]
	if r.owned[target] {
		return set
	}
	if set == nil {
		set = make(map[string]struct{}, 1)
	} else {
		set = maps.Clone(set)
	}
	r.byTarget[target] = set
	r.owned[target] = true
	return set
}

// freeze drops the bookkeeping of a transaction's copy when it is
// committed; the table is immutable from then on.
func (t *table) freeze() {
	for i := range t.refs {
		t.refs[i].owned = nil
	}
}
