package configstore

import "strings"

// stringListJSON returns the JSON encoding of list, byte for byte as
// encoding/json writes it, when every string holds only printable ASCII
// that encoding/json copies as it is: no quote, backslash, control
// character, or <, > and & (which it escapes for HTML). ok is false for any
// other list, which the caller encodes with encoding/json. String lists
// (allowed models, key ids, tools) are most of the JSON fields a bulk load
// stores, and need none of its reflection.
func stringListJSON(list []string) (s string, ok bool) {
	n := 2 + 3*len(list)
	for _, s := range list {
		for i := range len(s) {
			if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return "", false
			}
		}
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String(), true
}
