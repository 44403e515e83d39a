package configstore

import (
	"fmt"
	"reflect"
	"strings"
)

// holdsSecrets reports whether a value of type t can contain an EnvVar:
// the secret walks skip every field that cannot, so checking an entity
// costs a visit of its few secret fields, not of all its values.
func holdsSecrets(t reflect.Type) bool { return secretTypes.get(t) }

var secretTypes = typeCache[bool]{compute: func(t reflect.Type) bool {
	return typeHoldsSecrets(t, map[reflect.Type]bool{})
}}

// secretFieldsOf returns the indexes of the exported fields of struct type
// t that can hold a secret: the only ones the secret walks visit.
func secretFieldsOf(t reflect.Type) []int { return secretFieldTypes.get(t) }

var secretFieldTypes = typeCache[[]int]{compute: func(t reflect.Type) []int {
	var fields []int
	for i := range t.NumField() {
		if sf := t.Field(i); sf.IsExported() && holdsSecrets(sf.Type) {
			fields = append(fields, i)
		}
	}
	return fields
}}

// typeHoldsSecrets is holdsSecrets without the cache; visiting holds the
// types being looked at, so a recursive type ends the search.
func typeHoldsSecrets(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if t == envVarType {
		return true
	}
	if visiting[t] {
		return false
	}
	visiting[t] = true
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if sf := t.Field(i); sf.IsExported() && typeHoldsSecrets(sf.Type, visiting) {
				return true
			}
		}
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return typeHoldsSecrets(t.Elem(), visiting)
	case reflect.Map:
		return t.Elem() == envVarType
	}
	return false
}

// keepRedactedSecrets walks next and stored side by side and, wherever a
// secret in next is exactly the redacted form of the stored one, restores
// the stored secret: a client that writes back what it read does not
// overwrite its secrets with "sk-...abcd".
func keepRedactedSecrets(next, stored any) {
	mergeSecrets(reflect.ValueOf(next).Elem(), reflect.ValueOf(stored).Elem())
}

func mergeSecrets(next, stored reflect.Value) {
	if !holdsSecrets(next.Type()) {
		return
	}
	if next.Type() == envVarType {
		next.Set(reflect.ValueOf(next.Interface().(EnvVar).keepIfRedacted(stored.Interface().(EnvVar))))
		return
	}
	switch next.Kind() {
	case reflect.Pointer:
		if !next.IsNil() && !stored.IsNil() {
			mergeSecrets(next.Elem(), stored.Elem())
		}
	case reflect.Struct:
		for _, i := range secretFieldsOf(next.Type()) {
			mergeSecrets(next.Field(i), stored.Field(i))
		}
	case reflect.Slice:
		for i := range min(next.Len(), stored.Len()) {
			mergeSecrets(next.Index(i), stored.Index(i))
		}
	case reflect.Map:
		if next.Type().Elem() != envVarType {
			return
		}
		for it := next.MapRange(); it.Next(); {
			old := stored.MapIndex(it.Key())
			if old.IsValid() {
				merged := it.Value().Interface().(EnvVar).keepIfRedacted(old.Interface().(EnvVar))
				next.SetMapIndex(it.Key(), reflect.ValueOf(merged))
			}
		}
	}
}

// checkNotRedacted refuses a secret that is still in the redacted form
// ("sk-...abcd", "****") after keepRedactedSecrets: it was copied from an
// export or a read and is not the secret itself.
func checkNotRedacted(v any) error {
	return walkSecrets(reflect.ValueOf(v).Elem(), "", func(path string, e EnvVar) error {
		if e.looksRedacted() {
			return invalidf(path, "is a redacted secret (%s); give the secret or its env.NAME reference", e.Redacted())
		}
		return nil
	})
}

// walkSecrets calls fn for every secret in v with its JSON path.
func walkSecrets(v reflect.Value, path string, fn func(path string, e EnvVar) error) error {
	if !holdsSecrets(v.Type()) {
		return nil
	}
	if v.Type() == envVarType {
		e, _ := reflect.TypeAssert[EnvVar](v)
		return fn(path, e)
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return walkSecrets(v.Elem(), path, fn)
		}
	case reflect.Struct:
		for _, i := range secretFieldsOf(v.Type()) {
			sf := v.Type().Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			p := path
			if !sf.Anonymous {
				p = join(name)
			}
			if err := walkSecrets(v.Field(i), p, fn); err != nil {
				return err
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if err := walkSecrets(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.Type().Elem() != envVarType {
			return nil
		}
		for it := v.MapRange(); it.Next(); {
			if err := fn(join(fmt.Sprint(it.Key().Interface())), it.Value().Interface().(EnvVar)); err != nil {
				return err
			}
		}
	}
	return nil
}
