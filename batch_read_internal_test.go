package configstore

import (
	"slices"
	"testing"
)

// TestSelectedLater: readEach holds a list's records only while a later
// list selects from them. The parts of every virtual key: only the MCP
// configs, whose client ids select the clients; of one virtual key, also
// the provider configs, whose ids select the key lists.
func TestSelectedLater(t *testing.T) {
	for _, c := range []struct {
		what string
		byVK []Condition
		want []bool
	}{
		{"every virtual key's parts", nil, []bool{vkPartMCPs: true, vkPartCount - 1: false}},
		{"one virtual key's parts", []Condition{Eq("virtual_key_id", "vk-1")},
			[]bool{vkPartConfigs: true, vkPartMCPs: true, vkPartCount - 1: false}},
	} {
		if got := selectedLater(vkPartLists(c.byVK)); !slices.Equal(got, c.want) {
			t.Errorf("%s: selectedLater = %v, want %v", c.what, got, c.want)
		}
	}
}
