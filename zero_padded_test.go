package configstore

import (
	"fmt"
	"math"
	"testing"
)

// TestAppendZeroPadded checks appendZeroPadded against fmt's "%0*d", and
// the keys spelled with it against their fmt spelling.
func TestAppendZeroPadded(t *testing.T) {
	for _, n := range []int64{0, 1, -1, 7, 42, 999, 1000, 12345, -12345, math.MaxInt64, math.MinInt64} {
		for _, width := range []int{0, 1, 4, 9, 19, 25} {
			if got, want := string(appendZeroPadded([]byte("x"), n, width)), fmt.Sprintf("x%0*d", width, n); got != want {
				t.Errorf("appendZeroPadded(%d, %d) = %q, want %q", n, width, got, want)
			}
		}
	}
	if got, want := changeSeq(42, 7), fmt.Sprintf("%019d/%09d", 42, 7); got != want {
		t.Errorf("changeSeq = %q, want %q", got, want)
	}
	long := fmt.Sprintf("%0100d", 1)
	for _, parent := range []string{"vk-1", long} {
		if got, want := partID(parent, 12), fmt.Sprintf("%s/%04d", parent, 12); got != want {
			t.Errorf("partID = %q, want %q", got, want)
		}
	}
}
