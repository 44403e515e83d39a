package memory

import (
	"hash/maphash"
	"slices"
)

// Sharding of cowMap: a map starts with one shard and splits each shard in
// four (moving each entry once, amortized O(1) per insert) when shards average more
// than shardLoad entries, up to maxShards. A transaction's first write to a
// map copies its shard table (at most maxShards pointers), and each shard it
// writes (about shardLoad entries, more past maxShards*shardLoad entries),
// instead of the whole map.
const (
	shardLoad = 32
	maxShards = 1024
)

// cowMap is a copy-on-write string-keyed map, split into shards by key
// hash. A shard is a slice of entries sorted by hash, then key (see
// search), which stores an entry in little more than its own size, where a
// Go map needs about twice that. A cowMap reachable from a committed
// snapshot is never modified: a transaction works on a clone, and the clone
// copies a shard the first time it writes to it. The zero value is an empty
// map.
type cowMap[V any] struct {
	// shards has a power-of-two length, or is nil while the map is empty.
	shards [][]entry[V]
	// owned marks the shards this copy created and may modify; nil for a
	// frozen (committed) map and for a fresh clone.
	owned []bool
	n     int
}

// entry is one key, its hash and its value in a cowMap shard.
type entry[V any] struct {
	hash uint64
	key  string
	val  V
}

// clone returns a copy of m that can be modified without touching m.
func (m *cowMap[V]) clone() cowMap[V] {
	return cowMap[V]{shards: slices.Clone(m.shards), n: m.n}
}

// freeze drops the bookkeeping of a copy once it is committed.
func (m *cowMap[V]) freeze() { m.owned = nil }

// hashSeed seeds the hashes of every cowMap key (they never leave the
// process).
var hashSeed = maphash.MakeSeed()

// hashKey returns the hash of key.
func hashKey(key string) uint64 { return maphash.String(hashSeed, key) }

// shardOf returns the index of the shard of a key with hash h; m.shards is
// not nil.
func (m *cowMap[V]) shardOf(h uint64) int { return int(h & uint64(len(m.shards)-1)) }

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
	if m.shards != nil {
		h := hashKey(key)
		shard := m.shards[m.shardOf(h)]
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
	if m.shards == nil {
		m.shards = make([][]entry[V], 1)
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
	m.shards[s] = slices.Insert(shard, i, entry[V]{h, key, v})
	m.n++
	if m.n > shardLoad*len(m.shards) && len(m.shards) < maxShards {
		m.split()
	}
}

// delete removes key.
func (m *cowMap[V]) delete(key string) {
	if m.shards == nil {
		return
	}
	h := hashKey(key)
	s := m.shardOf(h)
	if _, ok := search(m.shards[s], h, key); !ok {
		return
	}
	shard := m.writable(s)
	i, _ := search(shard, h, key)
	m.shards[s] = slices.Delete(shard, i, i+1)
	m.n--
}

// writable returns shard i, copying it first if it is shared.
func (m *cowMap[V]) writable(i int) []entry[V] {
	if m.owned == nil {
		m.owned = make([]bool, len(m.shards))
	}
	if !m.owned[i] {
		old := m.shards[i]
		m.shards[i] = append(make([]entry[V], 0, len(old)+1), old...)
		m.owned[i] = true
	}
	return m.shards[i]
}

// split distributes the entries over four times as many shards, all new
// (the old shards may be shared and are only read). The entries of a new
// shard all come from one old shard, in order, so the new shards are
// sorted.
func (m *cowMap[V]) split() {
	old := m.shards
	m.shards = make([][]entry[V], len(old)*4)
	m.owned = make([]bool, len(m.shards))
	counts := make([]int, len(m.shards))
	for _, shard := range old {
		for _, e := range shard {
			counts[m.shardOf(e.hash)]++
		}
	}
	for i := range m.shards {
		m.shards[i] = make([]entry[V], 0, counts[i])
		m.owned[i] = true
	}
	for _, shard := range old {
		for _, e := range shard {
			s := m.shardOf(e.hash)
			m.shards[s] = append(m.shards[s], e)
		}
	}
}

// all calls yield for every entry, in no particular order, until it
// returns false.
func (m *cowMap[V]) all(yield func(string, V) bool) {
	for _, shard := range m.shards {
		for _, e := range shard {
			if !yield(e.key, e.val) {
				return
			}
		}
	}
}
