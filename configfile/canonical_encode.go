package configfile

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// appendJSON appends to b what json.Marshal encodes x as, x being a
// canonical tree (see canonical): nil, a bool, a string, a json.Number,
// []any, map[string]any, or a json.RawMessage, the encoding of a set's
// element that sortByJSON leaves in its place. Object keys are sorted as
// json.Marshal sorts them, and strings escaped as it escapes them. It
// writes the bytes directly: marshalling the tree through reflection and
// sorting map keys there is most of what a hash costs.
func appendJSON(b []byte, x any) []byte {
	switch x := x.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case string:
		return appendJSONString(b, x)
	case json.Number: // canonical: a valid JSON number, never empty
		return append(b, x...)
	case json.RawMessage:
		return append(b, x...)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, strings.Compare)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSON(b, x[k])
		}
		return append(b, '}')
	}
	panic(fmt.Sprintf("configfile: %T in a canonical tree", x)) // StoredValue builds none
}

// appendJSONString appends s as json.Marshal encodes it. Strings of
// printable ASCII without a quote, a backslash or an HTML special
// character (<, >, &), nearly all of a config, are written as they are;
// json.Marshal escapes the others.
func appendJSONString(b []byte, s string) []byte {
	for i := range len(s) {
		if c := s[i]; c < ' ' || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s) // a string always encodes
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
