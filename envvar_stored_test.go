package configstore

import "testing"

// TestStoredFormAgreesWithStored: storedForm, the lookup's shortcut, is
// NewEnvVar(s).Stored() for references, literals, names that are not
// variable names, and literals Stored keeps in the object form.
func TestStoredFormAgreesWithStored(t *testing.T) {
	for _, s := range []string{"", "sk-123", "env.OPENAI_API_KEY", "env.not a name", "env.", "ENV.X",
		"{", `{"value":"x"}`, "{env.X", " {", "env.{"} {
		if got, want := storedForm(s), NewEnvVar(s).Stored(); got != want {
			t.Errorf("storedForm(%q) = %q, want %q", s, got, want)
		}
	}
}
