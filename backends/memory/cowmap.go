package memory

// Sharding of cowMap: a map starts with one shard and splits each shard in
// four (rehashing once, amortized O(1) per insert) when shards average more
// than shardLoad entries, up to maxShards. A transaction's first write to a
// map copies its shard table (at most maxShards pointers), and each shard it
// writes (about shardLoad entries, more past maxShards*shardLoad entries),
// instead of the whole map.
const (
	shardLoad = 32
	maxShards = 1024
)

// cowMap is a copy-on-write string-keyed map, split into shards by key
// hash. A cowMap reachable from a committed snapshot is never modified: a
// transaction works on a clone, and the clone copies a shard the first time
// it writes to it. The zero value is an empty map.
type cowMap[V any] struct {
	// shards has a power-of-two length, or is nil while the map is empty.
	shards []map[string]V
	// owned marks the shards this copy created and may modify; nil for a
	// frozen (committed) map and for a fresh clone.
	owned []bool
	n     int
}

// clone returns a copy of m that can be modified without touching m.
func (m *cowMap[V]) clone() cowMap[V] {
	c := cowMap[V]{n: m.n}
	if m.shards != nil {
		c.shards = make([]map[string]V, len(m.shards))
		copy(c.shards, m.shards)
	}
	return c
}

// freeze drops the bookkeeping of a copy once it is committed.
func (m *cowMap[V]) freeze() { m.owned = nil }

// hashKey is FNV-1a.
func hashKey(key string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return h
}

// shardOf returns the index of key's shard; m.shards is not nil.
func (m *cowMap[V]) shardOf(key string) int {
	return int(hashKey(key) & uint32(len(m.shards)-1))
}

// get returns the value stored under key.
func (m *cowMap[V]) get(key string) (V, bool) {
	if m.shards == nil {
		var zero V
		return zero, false
	}
	v, ok := m.shards[m.shardOf(key)][key]
	return v, ok
}

// len returns the number of entries.
func (m *cowMap[V]) len() int { return m.n }

// set stores v under key.
func (m *cowMap[V]) set(key string, v V) {
	if m.shards == nil {
		m.shards = make([]map[string]V, 1)
	}
	shard := m.writable(m.shardOf(key))
	if _, ok := shard[key]; !ok {
		m.n++
	}
	shard[key] = v
	if m.n > shardLoad*len(m.shards) && len(m.shards) < maxShards {
		m.split()
	}
}

// delete removes key.
func (m *cowMap[V]) delete(key string) {
	if _, ok := m.get(key); !ok {
		return
	}
	delete(m.writable(m.shardOf(key)), key)
	m.n--
}

// writable returns shard i, copying it first if it is shared.
func (m *cowMap[V]) writable(i int) map[string]V {
	if m.owned == nil {
		m.owned = make([]bool, len(m.shards))
	}
	if !m.owned[i] {
		old := m.shards[i]
		shard := make(map[string]V, len(old)+1)
		for k, v := range old {
			shard[k] = v
		}
		m.shards[i] = shard
		m.owned[i] = true
	}
	return m.shards[i]
}

// split rehashes the entries into four times as many shards, all new (the
// old shards may be shared and are only read).
func (m *cowMap[V]) split() {
	old := m.shards
	m.shards = make([]map[string]V, len(old)*4)
	m.owned = make([]bool, len(m.shards))
	for i := range m.shards {
		m.shards[i] = make(map[string]V, shardLoad)
		m.owned[i] = true
	}
	for _, shard := range old {
		for k, v := range shard {
			m.shards[m.shardOf(k)][k] = v
		}
	}
}

// all calls yield for every entry, in no particular order, until it
// returns false.
func (m *cowMap[V]) all(yield func(string, V) bool) {
	for _, shard := range m.shards {
		for k, v := range shard {
			if !yield(k, v) {
				return
			}
		}
	}
}
