package backendtest

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
)

// baseTime is the time of every time field of record.
var baseTime = time.Date(2025, 1, 2, 3, 4, 5, 6_000_000, time.UTC)

// Record returns a valid record of kind with key: every field at its zero
// value (NULL where nullable, revision 1), then the given fields.
func Record(t testing.TB, k *configstore.Kind, key string, fields map[string]any) configstore.Record {
	t.Helper()
	rec := configstore.Record{}
	for _, f := range k.Fields {
		if f.Nullable {
			rec[f.Name] = nil
			continue
		}
		switch f.Type {
		case configstore.TypeText:
			rec[f.Name] = ""
		case configstore.TypeInt:
			rec[f.Name] = int64(0)
		case configstore.TypeFloat:
			rec[f.Name] = float64(0)
		case configstore.TypeBool:
			rec[f.Name] = false
		case configstore.TypeTime:
			rec[f.Name] = baseTime
		case configstore.TypeJSON:
			rec[f.Name] = "{}"
		}
	}
	if _, ok := k.Field("revision"); ok {
		rec["revision"] = int64(1)
	}
	rec[k.Key] = key
	for name, v := range fields {
		if _, ok := k.Field(name); !ok {
			t.Fatalf("kind %s has no field %q", k.Name, name)
		}
		rec[name] = v
	}
	return rec
}

// sortedNames returns the keys of m in order.
func sortedNames[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// vkWithProviderConfig stores provider p with keys k and k2, and virtual
// key vk with a provider config pc listing k and a budget it owns.
func vkWithProviderConfig(t *testing.T, b configstore.Backend) {
	t.Helper()
	provider, key, vk := Kind(t, "provider"), Kind(t, "key"), Kind(t, "virtual_key")
	pc, pck, budget := Kind(t, "virtual_key_provider_config"), Kind(t, "virtual_key_provider_config_key"), Kind(t, "budget")
	steps := []struct {
		k   *configstore.Kind
		rec configstore.Record
	}{
		{provider, Record(t, provider, "p", nil)},
		{key, Record(t, key, "k", map[string]any{"provider": "p", "name": "key"})},
		{key, Record(t, key, "k2", map[string]any{"provider": "p", "name": "key2"})},
		{vk, Record(t, vk, "vk", map[string]any{"name": "vk", "value": "sk-x"})},
		{budget, Record(t, budget, "bv", map[string]any{"virtual_key_id": "vk"})},
		{pc, Record(t, pc, "pc", map[string]any{"virtual_key_id": "vk", "provider": "p"})},
		{pck, Record(t, pck, "pck", map[string]any{"provider_config_id": "pc", "key_id": "k"})},
	}
	for _, step := range steps {
		Insert(t, b, step.k, step.rec)
	}
}
