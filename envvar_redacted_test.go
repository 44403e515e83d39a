package configstore

import "testing"

// TestLooksRedacted: a literal looks redacted exactly when it is the mask
// or ten characters with "..." as the fourth to sixth, counting
// characters, not bytes, as Redacted does; every redacted literal looks
// redacted, and no reference does.
func TestLooksRedacted(t *testing.T) {
	for _, tc := range []struct {
		literal string
		want    bool
	}{
		{"****", true},
		{"sk-...wxyz", true},
		{"ééé...éééé", true}, // ten characters, more bytes
		{"sk-...wxy", false},
		{"sk-...wxyzz", false},
		{"sk-..wxyzz", false},
		{"sk....wxyz", true},
		{"\xff\xfe\xfd...abcd", true}, // an invalid byte counts as a character
		{"\xffsk...abcd", true},
		{"\xffs...abcde", false},
		{"ééé...ééé", false},
		{"", false},
		{"***", false},
	} {
		if got := NewEnvVar(tc.literal).looksRedacted(); got != tc.want {
			t.Errorf("NewEnvVar(%q).looksRedacted() = %v, want %v", tc.literal, got, tc.want)
		}
	}
	for _, secret := range []string{"short", "sk-live-0123456789abcdef", "éééééééééééééééééééé"} {
		r := NewEnvVar(secret).Redacted()
		if !NewEnvVar(r).looksRedacted() {
			t.Errorf("the redacted form %q of a secret does not look redacted", r)
		}
	}
	if EnvRef("API_KEY").looksRedacted() {
		t.Error("a reference looks redacted")
	}
}

// TestIsEnvName: a variable name is a letter or underscore, then letters,
// digits and underscores, in ASCII.
func TestIsEnvName(t *testing.T) {
	for s, want := range map[string]bool{
		"A": true, "_": true, "OPENAI_API_KEY": true, "a1_b2": true, "_9": true,
		"": false, "1A": false, "A-B": false, "A B": false, "é": false, "A\x00": false, "A.B": false,
	} {
		if got := isEnvName(s); got != want {
			t.Errorf("isEnvName(%q) = %v, want %v", s, got, want)
		}
	}
}
