package configstore

import (
	"reflect"
	"slices"
	"strings"
)

// EnvReference is one secret of a value that refers to an environment
// variable.
type EnvReference struct {
	// Path is the JSON path of the secret inside the value walked
	// ("keys[0].value", "headers.Authorization").
	Path string
	// Name is the variable's name.
	Name string
}

// EnvReferences returns the env references among the secrets (EnvVar
// fields) of v, an entity, a pointer to one or a slice of them, sorted by
// path. Literal secrets are left out.
func EnvReferences(v any) []EnvReference {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil
	}
	var out []EnvReference
	_ = walkSecrets(rv, "", func(path string, e EnvVar) error { // fn never fails
		if e.IsReference() {
			out = append(out, EnvReference{Path: path, Name: e.VarName()})
		}
		return nil
	})
	slices.SortFunc(out, func(a, b EnvReference) int { return strings.Compare(a.Path, b.Path) })
	return out
}
