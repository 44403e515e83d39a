package reconcile

import (
	"math"
	"testing"

	"github.com/gatewaykit/configstore"
)

// TestEqualComparedLeavesOutWhatDiffDoes: a stored virtual key and the
// file's definition of it, equal but for what the store manages (Meta,
// PartsDigest) and what is runtime state, are equal; a field diff compares
// is not.
func TestEqualComparedLeavesOutWhatDiffDoes(t *testing.T) {
	def := configstore.VirtualKey{ID: "vk-1", Name: "one", IsActive: true, TeamID: "team-1",
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{"key-1"}}}}
	stored := def
	stored.PartsDigest = "digest of the stored rows"
	stored.Meta = configstore.Meta{Revision: 7, ConfigHash: "hash"}
	if !equalCompared(&stored, &def) {
		t.Fatal("a stored virtual key equal but for Meta and PartsDigest is not equalCompared to its definition")
	}
	if len(diff(&stored, &def)) != 0 {
		t.Fatalf("diff of the two: %v, want none", diff(&stored, &def))
	}
	changed := def
	changed.ProviderConfigs = []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{"key-2"}}}
	if equalCompared(&stored, &changed) {
		t.Fatal("a virtual key with other key ids is equalCompared to the stored one")
	}
	budget := configstore.Budget{ID: "b-1", MaxLimit: 10}
	used := budget
	used.CurrentUsage = 3
	if !equalCompared(&used, &budget) {
		t.Fatal("a budget differing only in its usage (runtime state) is not equalCompared")
	}
}

// TestDiffTakesNegativeZeroForZero: -0 and 0 in a number field are the
// same number to the config_hash, to equalCompared and so to diff.
// (Free-form JSON compares its numbers as written.)
func TestDiffTakesNegativeZeroForZero(t *testing.T) {
	negativeZero := math.Copysign(0, -1)
	zero, negative := configstore.Budget{ID: "b", MaxLimit: 0}, configstore.Budget{ID: "b", MaxLimit: negativeZero}
	if !equalCompared(&zero, &negative) {
		t.Error("a budget of max_limit 0 and one of -0 are not equalCompared")
	}
	if changes := diff(&zero, &negative); len(changes) != 0 {
		t.Errorf("diff of max_limit 0 and -0: %v, want none", changes)
	}
	weight := func(w float64) *configstore.VirtualKey {
		return &configstore.VirtualKey{ID: "v", ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", Weight: &w}}}
	}
	if changes := diff(weight(0), weight(negativeZero)); len(changes) != 0 {
		t.Errorf("diff of a provider config's weight 0 and -0: %v, want none", changes)
	}
}
