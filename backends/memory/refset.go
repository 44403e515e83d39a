package memory

import "slices"

// smallRefSet is the size up to which a referrer set is a sorted slice. A
// larger set is a cowMap, so that a write to a target with many referrers
// costs a shard copy, not a copy or a shift of the whole set.
const smallRefSet = 32

// refSet is the set of the keys of the rows pointing at one target: a
// sorted slice while small (most targets have one or two referrers), a
// cowMap once it has grown past smallRefSet keys. A refSet reachable from a
// committed snapshot is never modified: a transaction modifies a clone.
type refSet struct {
	// small holds the keys, sorted, while large is nil.
	small []string
	large *cowMap[struct{}]
}

// len returns the number of keys.
func (s refSet) len() int {
	if s.large != nil {
		return s.large.len()
	}
	return len(s.small)
}

// has reports whether key is in the set.
func (s refSet) has(key string) bool {
	if s.large != nil {
		_, ok := s.large.get(key)
		return ok
	}
	_, ok := slices.BinarySearch(s.small, key)
	return ok
}

// all calls yield for every key (in order while the set is small) until it
// returns false.
func (s refSet) all(yield func(string) bool) {
	if s.large != nil {
		s.large.all(func(k string, _ struct{}) bool { return yield(k) })
		return
	}
	for _, k := range s.small {
		if !yield(k) {
			return
		}
	}
}

// sortedKeys returns the keys in order, in a new slice.
func (s refSet) sortedKeys() []string {
	if s.large == nil {
		return slices.Clone(s.small)
	}
	keys := make([]string, 0, s.large.len())
	for k := range s.all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// clone returns a copy of s that can be modified without touching s.
func (s refSet) clone() refSet {
	if s.large != nil {
		c := s.large.clone()
		return refSet{large: &c}
	}
	return refSet{small: slices.Clone(s.small)}
}

// add inserts key into a set the caller owns (a clone).
func (s *refSet) add(key string) {
	if s.large != nil {
		s.large.set(key, struct{}{})
		return
	}
	i, found := slices.BinarySearch(s.small, key)
	if found {
		return
	}
	if len(s.small) < smallRefSet {
		s.small = slices.Insert(s.small, i, key)
		return
	}
	large := &cowMap[struct{}]{}
	for _, k := range s.small {
		large.set(k, struct{}{})
	}
	large.set(key, struct{}{})
	*s = refSet{large: large}
}

// remove deletes key from a set the caller owns (a clone).
func (s *refSet) remove(key string) {
	if s.large != nil {
		s.large.delete(key)
		return
	}
	if i, found := slices.BinarySearch(s.small, key); found {
		s.small = slices.Delete(s.small, i, i+1)
	}
}
