package configfile

import "testing"

// TestCountElements: the count of an array's elements skips what strings
// and nested values hold, and separators before the array.
func TestCountElements(t *testing.T) {
	for _, c := range []struct {
		data string
		want int
	}{
		{`[]`, 0},
		{` [ ] , "x"`, 0},
		{`: [1]`, 1},
		{`[1, 2, 3], [4, 5]`, 3},
		{`[{"a": [1, 2], "b": {"c": 3}}, [], ""]`, 3},
		{`["a,b", "c]\"d,", "\\", "[{"]`, 4},
		{"[\n\t{}\n]", 1},
	} {
		if got := countElements([]byte(c.data)); got != c.want {
			t.Errorf("countElements(%q) = %d, want %d", c.data, got, c.want)
		}
	}
}
