package configstore

import (
	"fmt"
	"regexp"
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

// durationPattern matches reset durations: "30s", "5m", "1h", "1d", "1w", "1M", "1Y".
var durationPattern = regexp.MustCompile(`^[1-9][0-9]*(s|m|h|d|w|M|Y)$`)

// checkDuration checks an optional reset duration.
func checkDuration(path, s string) error {
	if s != "" && !durationPattern.MatchString(s) {
		return invalidf(path, "must be a number and a unit (s, m, h, d, w, M, Y) such as \"1h\", got %q", s)
	}
	return nil
}

// atMostOne checks that at most one of the named values is set.
func atMostOne(values map[string]string) error {
	var set []string
	for name, v := range values {
		if v != "" {
			set = append(set, name)
		}
	}
	if len(set) > 1 {
		slices.Sort(set)
		return invalidf(set[1], "must not be set together with %s", set[0])
	}
	return nil
}
