package configstore

import "reflect"

// keepRedactedSecrets walks next and stored side by side and, wherever a
// secret in next is exactly the redacted form of the stored one, restores
// the stored secret: a client that writes back what it read does not
// overwrite its secrets with "sk-...abcd".
func keepRedactedSecrets(next, stored any) {
	mergeSecrets(reflect.ValueOf(next).Elem(), reflect.ValueOf(stored).Elem())
}

func mergeSecrets(next, stored reflect.Value) {
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
		for i := range next.NumField() {
			if next.Type().Field(i).IsExported() {
				mergeSecrets(next.Field(i), stored.Field(i))
			}
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
