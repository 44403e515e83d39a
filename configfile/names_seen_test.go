package configfile

import "testing"

// TestMemberSet: add reports a member the first time only, below and past
// the 64 members kept without a map.
func TestMemberSet(t *testing.T) {
	var s memberSet
	for _, i := range []int{0, 63, 64, 200, 5} {
		if !s.add(i) {
			t.Errorf("add(%d) the first time reported it as there", i)
		}
	}
	for _, i := range []int{0, 63, 64, 200, 5} {
		if s.add(i) {
			t.Errorf("add(%d) the second time reported it as new", i)
		}
	}
	if !s.add(1) || !s.add(65) {
		t.Error("a member never added was reported as there")
	}
}
