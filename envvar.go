package configstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"unicode/utf8"
)

// envPrefix marks a secret value as a reference to an environment variable.
const envPrefix = "env."

// redactedMask is the redacted form of a secret too short to show any of.
const redactedMask = "****"

// isEnvName reports whether s is an environment variable name:
// [A-Za-z_][A-Za-z0-9_]*.
func isEnvName(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', i > 0 && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return s != ""
}

// EnvVar is a secret field: an API key, a virtual key value, a password, a
// connection string. It holds either a literal value or a reference to an
// environment variable ("env.NAME"). A reference is stored as the reference
// and resolved only when read for use (Resolve).
//
// It decodes from three JSON forms:
//
//	"env.OPENAI_API_KEY"                                      a reference
//	"sk-live-..."                                             a literal
//	{"value": "...", "env_var": "env.NAME", "from_env": true} the object form
//
// String, %v, %+v, %#v, JSON encoding and slog all print the redacted form:
// the reference for a reference, "sk-...abcd" (or "****" for short values)
// for a literal. Writing the redacted form back through an update keeps the
// stored secret.
type EnvVar struct {
	sealed string // the literal value, sealed (see seal), when not a reference
	name   string // the variable name, when a reference
}

// seal masks a literal in memory, so that a struct printed raw by fmt (as
// fmt does with nested values after a bad verb, bypassing String) shows no
// secret. It is its own inverse and keeps EnvVar comparable with ==.
func seal(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] ^= 0x5a
	}
	return string(b)
}

// literal returns the literal value ("" for a reference).
func (e EnvVar) literal() string { return seal(e.sealed) }

// fromLiteral returns the EnvVar holding literal s.
func fromLiteral(s string) EnvVar { return EnvVar{sealed: seal(s)} }

// NewEnvVar parses s: "env.NAME" is a reference, anything else a literal.
func NewEnvVar(s string) EnvVar {
	if name, ok := referenceName(s); ok {
		return EnvVar{name: name}
	}
	return fromLiteral(s)
}

// referenceName returns the variable name s refers to and true when s is a
// reference ("env.NAME").
func referenceName(s string) (string, bool) {
	name, ok := strings.CutPrefix(s, envPrefix)
	return name, ok && isEnvName(name)
}

// EnvRef returns a reference to the environment variable name. It panics if
// name is not a variable name ([A-Za-z_][A-Za-z0-9_]*): a reference that
// could not be read back as one would silently become a literal.
func EnvRef(name string) EnvVar {
	if !isEnvName(name) {
		panic(fmt.Sprintf("configstore.EnvRef: %q is not an environment variable name", name))
	}
	return EnvVar{name: name}
}

// IsReference reports whether e refers to an environment variable.
func (e EnvVar) IsReference() bool { return e.name != "" }

// IsZero reports whether e holds neither a literal nor a reference.
func (e EnvVar) IsZero() bool { return e.name == "" && e.sealed == "" }

// VarName returns the referenced variable name, or "" for a literal.
func (e EnvVar) VarName() string { return e.name }

// Stored returns the form kept in the store: "env.NAME" for a reference,
// the literal otherwise, except that a literal that would read back as
// something else (one that looks like a reference, or starts with "{") is
// kept in the object form {"value": ..., "from_env": false}. It is the
// unredacted secret for literals: never log it.
func (e EnvVar) Stored() string {
	if e.name != "" {
		return envPrefix + e.name
	}
	lit := e.literal()
	if _, ref := referenceName(lit); ref || strings.HasPrefix(lit, "{") {
		b, _ := json.Marshal(envVarObject{Value: lit}) // a string always encodes
		return string(b)
	}
	return lit
}

// storedForm returns NewEnvVar(s).Stored() without sealing s on the way:
// s itself, but for a literal that Stored keeps in the object form.
func storedForm(s string) string {
	if _, ref := referenceName(s); ref || !strings.HasPrefix(s, "{") {
		return s
	}
	return NewEnvVar(s).Stored()
}

// envVarFromStored parses what Stored returned.
func envVarFromStored(s string) EnvVar {
	if strings.HasPrefix(s, "{") {
		var e EnvVar
		if err := e.UnmarshalJSON([]byte(s)); err == nil {
			return e
		}
		return fromLiteral(s)
	}
	return NewEnvVar(s)
}

// envVarObject is the object form of a secret.
type envVarObject struct {
	Value   string `json:"value"`
	EnvVar  string `json:"env_var,omitempty"`
	FromEnv bool   `json:"from_env"`
}

// Resolve returns the secret: the literal, or the value of the referenced
// variable. An unset variable is an error naming it, never an empty string.
func (e EnvVar) Resolve() (string, error) {
	if e.name == "" {
		return e.literal(), nil
	}
	v, ok := os.LookupEnv(e.name)
	if !ok {
		return "", fmt.Errorf("environment variable %s is not set: %w", e.name, ErrInvalidReference)
	}
	return v, nil
}

// Redacted returns the printable form: the reference, or a literal reduced
// to its first three and last four characters ("sk-...abcd"); literals
// shorter than 16 characters print as "****".
func (e EnvVar) Redacted() string {
	lit := []rune(e.literal())
	switch {
	case e.name != "":
		return envPrefix + e.name
	case len(lit) == 0:
		return ""
	case len(lit) < 16:
		return redactedMask
	default:
		return string(lit[:3]) + "..." + string(lit[len(lit)-4:])
	}
}

// looksRedacted reports whether e is a literal in the shape Redacted
// prints, which is never a real secret.
func (e EnvVar) looksRedacted() bool {
	lit := e.literal()
	if e.name != "" || lit == redactedMask {
		return e.name == ""
	}
	if utf8.RuneCountInString(lit) != 10 { // Redacted's "abc...wxyz"
		return false
	}
	i := 0
	for range 3 {
		_, size := utf8.DecodeRuneInString(lit[i:])
		i += size
	}
	return strings.HasPrefix(lit[i:], "...")
}

// String returns the redacted form.
func (e EnvVar) String() string { return e.Redacted() }

// GoString returns the redacted form, so %#v never prints a secret.
func (e EnvVar) GoString() string { return fmt.Sprintf("configstore.EnvVar(%q)", e.Redacted()) }

// Format prints the redacted form for every verb.
func (e EnvVar) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, e.GoString())
		return
	}
	if verb == 'q' {
		fmt.Fprintf(f, "%q", e.Redacted())
		return
	}
	fmt.Fprint(f, e.Redacted())
}

// LogValue makes slog print the redacted form.
func (e EnvVar) LogValue() slog.Value { return slog.StringValue(e.Redacted()) }

// MarshalJSON encodes the redacted form: exports and API responses never
// carry a literal secret.
func (e EnvVar) MarshalJSON() ([]byte, error) { return json.Marshal(e.Redacted()) }

// UnmarshalJSON accepts the three input forms described on EnvVar.
func (e *EnvVar) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*e = EnvVar{}
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*e = NewEnvVar(s)
		return nil
	}
	var obj envVarObject
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&obj); err != nil {
		return fmt.Errorf("secret must be a string or {\"value\", \"env_var\", \"from_env\"}: %w", err)
	}
	if obj.FromEnv {
		ref := NewEnvVar(obj.EnvVar)
		if !ref.IsReference() {
			return fmt.Errorf("env_var must look like \"env.NAME\" when from_env is true")
		}
		*e = ref
		return nil
	}
	*e = fromLiteral(obj.Value)
	return nil
}

// keepIfRedacted returns stored when e is exactly stored's redacted form, so
// that writing back what a read returned keeps the secret; otherwise e.
func (e EnvVar) keepIfRedacted(stored EnvVar) EnvVar {
	if e.name == "" && !stored.IsZero() && !stored.IsReference() && e.literal() == stored.Redacted() {
		return stored
	}
	return e
}
