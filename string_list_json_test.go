package configstore

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestStringListJSON checks that the string lists stringListJSON encodes
// come out as encoding/json encodes them, and that it leaves to
// encoding/json every list with a string it would escape.
func TestStringListJSON(t *testing.T) {
	for _, list := range [][]string{
		{}, {""}, {"*"}, {"gpt-4o", "claude-3.5/sonnet", "a b ~ {} [] , : ; = ? % $ # @ ! ` ' ^ |"},
	} {
		got, ok := stringListJSON(list)
		want, _ := json.Marshal(list)
		if !ok || got != string(want) {
			t.Errorf("stringListJSON(%q) = %q, %v; want %q, true", list, got, ok, want)
		}
	}
	for _, s := range []string{`"`, `\`, "<", ">", "&", "\x00", "\n", "\x1f", "\x7f", "é", "\u2028", "\xff"} {
		if got, ok := stringListJSON([]string{"a", "b" + s}); ok {
			t.Errorf("stringListJSON with %q = %q, true; want encoding/json's escaping", s, got)
		}
	}
}

// TestEncodeStringList checks that a stored string list is what
// encoding/json writes for it, through the fast path and through the
// fallback.
func TestEncodeStringList(t *testing.T) {
	f := Field{Name: "models", Type: TypeJSON, Nullable: true}
	for _, list := range [][]string{{"a", "b"}, {"<a>", "b&c", "\xff", "\u2028"}, {}} {
		got, err := encodeValue(reflect.ValueOf(list), f)
		want, _ := json.Marshal(list)
		if err != nil || got.s != string(want) || got.null {
			t.Errorf("encode %q = %+v, %v; want %q", list, got, err, want)
		}
	}
}
