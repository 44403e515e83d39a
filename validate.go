package configstore

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxNameLen bounds names and ids, so they fit any backend's index.
const maxNameLen = 255

// requireName checks a required identifier or name.
func requireName(path, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalidf(path, "is required")
	}
	return checkName(path, s)
}

// checkName checks an optional identifier or name.
func checkName(path, s string) error {
	if !utf8.ValidString(s) {
		return invalidf(path, "is not valid UTF-8")
	}
	if len(s) > maxNameLen {
		return invalidf(path, "is longer than %d bytes", maxNameLen)
	}
	if strings.ContainsRune(s, 0) {
		return invalidf(path, "contains a NUL byte")
	}
	return nil
}

// oneOf checks that s is one of the allowed values.
func oneOf(path, s string, allowed ...string) error {
	if !slices.Contains(allowed, s) {
		return invalidf(path, "must be one of %s, got %q", strings.Join(allowed, ", "), s)
	}
	return nil
}

// nonEmptyItems checks that no list item is empty.
func nonEmptyItems(path string, items []string) error {
	for i, s := range items {
		if s == "" {
			return invalidf(fmt.Sprintf("%s[%d]", path, i), "must not be empty")
		}
	}
	return nil
}

// isDuration reports whether s is a reset duration: a positive integer
// without leading zeros and a unit, "30s", "5m", "1h", "1d", "1w", "1M",
// "1Y".
func isDuration(s string) bool {
	if len(s) < 2 || s[0] < '1' || s[0] > '9' || !strings.Contains("smhdwMY", s[len(s)-1:]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkDuration checks an optional reset duration.
func checkDuration(path, s string) error {
	if s != "" && !isDuration(s) {
		return invalidf(path, "must be a number and a unit (s, m, h, d, w, M, Y) such as \"1h\", got %q", s)
	}
	return nil
}

// namedValue is a field's value with the field's name.
type namedValue struct{ name, value string }

// atMostOne checks that at most one of the named values is set.
func atMostOne(values ...namedValue) error {
	var set []string
	for _, v := range values {
		if v.value != "" {
			set = append(set, v.name)
		}
	}
	if len(set) > 1 {
		slices.Sort(set)
		return invalidf(set[1], "must not be set together with %s", set[0])
	}
	return nil
}
