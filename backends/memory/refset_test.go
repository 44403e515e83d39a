package memory

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRefIndexMatchesModelAndKeepsSnapshots adds and removes referrers of a
// few targets at random, freezing and cloning the index (a "commit") every
// few operations, and checks that it always equals a plain map of sets and
// that every earlier clone still holds what it held, across the change from
// a small set to a large one.
func TestRefIndexMatchesModelAndKeepsSnapshots(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var cur refIndex
	want := map[string]map[string]bool{}
	type snap struct {
		idx  refIndex
		want map[string][]string
	}
	var snaps []snap
	frozen := func() map[string][]string {
		out := map[string][]string{}
		for target, set := range want {
			out[target] = slices.Sorted(maps.Keys(set))
		}
		return out
	}
	for step := range 5_000 {
		target := fmt.Sprintf("t%d", rng.IntN(3))
		key := fmt.Sprintf("k%d", rng.IntN(4*smallRefSet))
		if rng.IntN(3) == 0 {
			cur.remove(target, key)
			delete(want[target], key)
			if len(want[target]) == 0 {
				delete(want, target)
			}
		} else {
			cur.add(target, key)
			if want[target] == nil {
				want[target] = map[string]bool{}
			}
			want[target][key] = true
		}
		if step%97 == 0 {
			cur.byTarget.freeze()
			cur.owned = nil
			snaps = append(snaps, snap{idx: cur, want: frozen()})
			cur = refIndex{byTarget: cur.byTarget.clone()}
		}
	}
	check := func(name string, idx *refIndex, want map[string][]string) {
		t.Helper()
		if idx.byTarget.len() != len(want) {
			t.Fatalf("%s: %d targets, want %d", name, idx.byTarget.len(), len(want))
		}
		for target, keys := range want {
			set, _ := idx.byTarget.get(target)
			if got := set.sortedKeys(); !slices.Equal(got, keys) || set.len() != len(keys) {
				t.Fatalf("%s: target %s: %v (len %d), want %v", name, target, got, set.len(), keys)
			}
			for _, k := range keys {
				if !set.has(k) {
					t.Fatalf("%s: target %s: has(%s) is false", name, target, k)
				}
			}
		}
	}
	check("current", &cur, frozen())
	for i, s := range snaps {
		check(fmt.Sprintf("snapshot %d", i), &s.idx, s.want)
	}
}
