package memory

import (
	"hash/maphash"
	"slices"
)

// Sharding of cowMap: a map starts with one shard and splits each shard in
// four (moving each entry once, amortized O(1) per insert) when shards average more
// than shardLoad entries, up to maxShards. The shards are kept in groups of
// up to groupShards: a transaction's first write to a map copies its group
// table (at most maxShards/groupShards pointers), the group it writes in
// (groupShards slice headers) and each shard it writes (about shardLoad
// entries, more past maxShards*shardLoad entries), instead of the whole map.
// A flat table of 1,024 shards cost a write to a table of 32,000 rows a
// 24 KB copy.
const (
	shardLoad   = 32
	maxShards   = 1024
	groupShards = 32
)

// cowMap is a copy-on-write string-keyed map, split into shards by key
// hash. A shard is a slice of entries sorted by hash, then key (see
// search), which stores an entry in little more than its own size, where a
// Go map needs about twice that. A cowMap reachable from a committed
// snapshot is never modified: a transaction works on a clone, and the clone
// copies a group and a shard the first time it writes to them. The zero
// value is an empty map.
type cowMap[V any] struct {
	// groups hold the shards in order, groupShards to a group (fewer in a
	// map of fewer shards); nshards, the number of shards, is a power of
	// two, or 0 while the map is empty.
	groups  []*shardGroup[V]
	nshards int
	// ownedGroups marks the groups this copy created and may modify; nil
	// for a frozen (committed) map and for a fresh clone.
	ownedGroups []bool
	n           int
}

// shardGroup is a run of consecutive shards of a cowMap.
type shardGroup[V any] struct {
	shards [][]entry[V]
	// owned marks the shards the map copy that created the group created
	// and may modify (meaningful while that copy owns the group).
	owned []bool
}

// entry is one key, its hash and its value in a cowMap shard.
type entry[V any] struct {
	hash uint64
	key  string
	val  V
}

// clone returns a copy of m that can be modified without touching m.
func (m *cowMap[V]) clone() cowMap[V] {
	return cowMap[V]{groups: slices.Clone(m.groups), nshards: m.nshards, n: m.n}
}

// freeze drops the bookkeeping of a copy once it is committed.
func (m *cowMap[V]) freeze() { m.ownedGroups = nil }

// hashSeed seeds the hashes of every cowMap key (they never leave the
// process).
var hashSeed = maphash.MakeSeed()

// hashKey returns the hash of key.
func hashKey(key string) uint64 { return maphash.String(hashSeed, key) }

// shardOf returns the index of the shard of a key with hash h; m.shards is
// not nil.
func (m *cowMap[V]) shardOf(h uint64) int { return int(h & uint64(m.nshards-1)) }

// shard returns shard i.
func (m *cowMap[V]) shard(i int) []entry[V] { return m.groups[i/groupShards].shards[i%groupShards] }

// search returns the position of the key with hash h in shard, or where it
// would go. Hashes are uniform, so a hash's position in the sorted shard is
// close to its proportion of the hash range: search starts there and steps
// to the exact place (a few sequential steps, where a binary search costs a
// mispredicted branch per halving).
func search[V any](shard []entry[V], h uint64, key string) (int, bool) {
	before := func(e *entry[V]) bool { return e.hash < h || e.hash == h && e.key < key }
	n := len(shard)
	i := int((h >> 32) * uint64(n) >> 32)
	for i > 0 && !before(&shard[i-1]) {
		i--
	}
	for i < n && before(&shard[i]) {
		i++
	}
	return i, i < n && shard[i].hash == h && shard[i].key == key
}

// get returns the value stored under key.
func (m *cowMap[V]) get(key string) (V, bool) {
	if m.nshards > 0 {
		h := hashKey(key)
		shard := m.shard(m.shardOf(h))
		if i, ok := search(shard, h, key); ok {
			return shard[i].val, true
		}
	}
	var zero V
	return zero, false
}

// len returns the number of entries.
func (m *cowMap[V]) len() int { return m.n }

// set stores v under key.
func (m *cowMap[V]) set(key string, v V) {
	if m.nshards == 0 {
		m.groups, m.nshards = newGroups[V](1), 1
		m.ownedGroups = []bool{true}
	}
	h := hashKey(key)
	s := m.shardOf(h)
	shard := m.writable(s)
	i, ok := search(shard, h, key)
	if ok {
		shard[i].val = v
		return
	}
	if len(shard) == cap(shard) {
		// Grow by a quarter, not append's doubling: shards are many and
		// small, and slack would cost as much as a Go map's.
		shard = slices.Grow(shard, len(shard)/4+1)
	}
	m.groups[s/groupShards].shards[s%groupShards] = slices.Insert(shard, i, entry[V]{h, key, v})
	m.n++
	if m.n > shardLoad*m.nshards && m.nshards < maxShards {
		m.split()
	}
}

// delete removes key.
func (m *cowMap[V]) delete(key string) {
	if m.nshards == 0 {
		return
	}
	h := hashKey(key)
	s := m.shardOf(h)
	if _, ok := search(m.shard(s), h, key); !ok {
		return
	}
	shard := m.writable(s)
	i, _ := search(shard, h, key)
	m.groups[s/groupShards].shards[s%groupShards] = slices.Delete(shard, i, i+1)
	m.n--
}

// writable returns shard i, copying first its group and the shard if they
// are shared.
func (m *cowMap[V]) writable(i int) []entry[V] {
	gi, si := i/groupShards, i%groupShards
	if m.ownedGroups == nil {
		m.ownedGroups = make([]bool, len(m.groups))
	}
	if !m.ownedGroups[gi] {
		old := m.groups[gi]
		m.groups[gi] = &shardGroup[V]{shards: slices.Clone(old.shards), owned: make([]bool, len(old.shards))}
		m.ownedGroups[gi] = true
	}
	g := m.groups[gi]
	if !g.owned[si] {
		old := g.shards[si]
		g.shards[si] = append(make([]entry[V], 0, len(old)+1), old...)
		g.owned[si] = true
	}
	return g.shards[si]
}

// newGroups returns the groups of a map of n shards, all empty and owned.
func newGroups[V any](n int) []*shardGroup[V] {
	groups := make([]*shardGroup[V], (n+groupShards-1)/groupShards)
	for gi := range groups {
		size := min(n-gi*groupShards, groupShards)
		owned := make([]bool, size)
		for i := range owned {
			owned[i] = true
		}
		groups[gi] = &shardGroup[V]{shards: make([][]entry[V], size), owned: owned}
	}
	return groups
}

// split distributes the entries over four times as many shards, all new
// (the old shards may be shared and are only read). The entries of a new
// shard all come from one old shard, in order, so the new shards are
// sorted.
func (m *cowMap[V]) split() {
	old := m.groups
	m.nshards *= 4
	m.groups = newGroups[V](m.nshards)
	m.ownedGroups = make([]bool, len(m.groups))
	for i := range m.ownedGroups {
		m.ownedGroups[i] = true
	}
	counts := make([]int, m.nshards)
	for _, g := range old {
		for _, shard := range g.shards {
			for _, e := range shard {
				counts[m.shardOf(e.hash)]++
			}
		}
	}
	for i, c := range counts {
		m.groups[i/groupShards].shards[i%groupShards] = make([]entry[V], 0, c)
	}
	for _, g := range old {
		for _, shard := range g.shards {
			for _, e := range shard {
				s := m.shardOf(e.hash)
				ns := &m.groups[s/groupShards].shards[s%groupShards]
				*ns = append(*ns, e)
			}
		}
	}
}

// all calls yield for every entry, in no particular order, until it
// returns false.
func (m *cowMap[V]) all(yield func(string, V) bool) {
	for _, g := range m.groups {
		for _, shard := range g.shards {
			for _, e := range shard {
				if !yield(e.key, e.val) {
					return
				}
			}
		}
	}
}
