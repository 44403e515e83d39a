package memory

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
)

// TestCowMapMatchesMapAndKeepsSnapshots applies random sets and deletes to
// a cowMap, cloning it (a "commit") every few operations, and checks that
// it always equals a plain map and that every earlier clone still holds
// exactly what it held when it was taken, across shard splits.
func TestCowMapMatchesMapAndKeepsSnapshots(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var cur cowMap[int]
	want := map[string]int{}
	type snap struct {
		m    cowMap[int]
		want map[string]int
	}
	var snaps []snap
	for step := range 20_000 {
		key := fmt.Sprintf("k%d", rng.IntN(5_000))
		if rng.IntN(4) == 0 {
			cur.delete(key)
			delete(want, key)
		} else {
			cur.set(key, step)
			want[key] = step
		}
		if step%997 == 0 {
			cur.freeze()
			snaps = append(snaps, snap{m: cur, want: maps.Clone(want)})
			cur = cur.clone()
		}
	}
	if cur.nshards < 16 {
		t.Fatalf("%d entries in %d shards: the map never split", cur.len(), cur.nshards)
	}
	check := func(name string, m *cowMap[int], want map[string]int) {
		t.Helper()
		got := map[string]int{}
		for k, v := range m.all {
			got[k] = v
		}
		if !maps.Equal(got, want) || m.len() != len(want) {
			t.Fatalf("%s: %d entries (len %d), want %d, or different values", name, len(got), m.len(), len(want))
		}
		for k, v := range want {
			if g, ok := m.get(k); !ok || g != v {
				t.Fatalf("%s: get(%q) = %d, %v; want %d", name, k, g, ok, v)
			}
		}
		if _, ok := m.get("absent"); ok {
			t.Fatalf("%s: get of an absent key succeeded", name)
		}
	}
	check("current", &cur, want)
	for i, s := range snaps {
		check(fmt.Sprintf("snapshot %d", i), &s.m, s.want)
	}
}
