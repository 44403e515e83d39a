package conformance

import (
	"strings"

	"github.com/gatewaykit/configstore"
)

func keyID(k *configstore.Key) string { return k.ID }

var keySuite = kindSuite[configstore.Key]{
	kind:  "key",
	setup: seedWorld,
	make: func(key string) *configstore.Key {
		return &configstore.Key{ID: key, Provider: provOpenAI, Name: "key " + key}
	},
	full: fullKey,
	variants: []variant[configstore.Key]{
		{"ValueEnvReference", func(k *configstore.Key) { k.Value = configstore.EnvRef("OPENAI_API_KEY") }},
		{"EnabledSetToTrue", func(k *configstore.Key) { k.Enabled = ptr(true) }},
		{"OtherProvider", func(k *configstore.Key) { k.Provider = provAnthropic }},
	},
	emptyLists: func(k *configstore.Key) {
		k.Models, k.BlacklistedModels, k.Aliases = []string{}, []string{}, map[string]string{}
	},
	mutate: func(k *configstore.Key) {
		k.Weight += 0.5
		k.UseForBatchAPI = !k.UseForBatchAPI
	},
	key:         keyID,
	generatesID: true,
	setKey:      func(k *configstore.Key, id string) { k.ID = id },
	create:      configstore.ConfigStore.CreateKey,
	get:         getByKey(configstore.ConfigStore.GetKey, keyID),
	list:        configstore.ConfigStore.ListKeys,
	update:      configstore.ConfigStore.UpdateKey,
	del:         deleteByKey(configstore.ConfigStore.DeleteKey, keyID),
	uniques: []uniqueField[configstore.Key]{
		{"Name", func(to, from *configstore.Key) { to.Name = from.Name }, func(v *configstore.Key) { v.Name = strings.ToUpper(v.Name) }},
	},
	refs: []refField[configstore.Key]{
		{"provider", func(k *configstore.Key) { k.Provider = missing }},
	},
	invalid: []invalidCase[configstore.Key]{
		{"NegativeWeight", "weight", func(k *configstore.Key) { k.Weight = -0.1 }},
		{"EmptyModelName", "models[1]", func(k *configstore.Key) { k.Models = []string{"gpt-4o", ""} }},
		{"BlankName", "name", func(k *configstore.Key) { k.Name = " \t" }},
		{"NoProvider", "provider", func(k *configstore.Key) { k.Provider = "" }},
		{"NameTooLong", "name", func(k *configstore.Key) { k.Name = strings.Repeat("ü", 128) }},
	},
}

func keyTests() []test {
	ts := keySuite.tests()
	ts = append(ts, restrictTests("Key")...)
	ts = append(ts, secretTests("Key")...)
	ts = append(ts, test{"ProviderCannotChange", testKeyProviderImmutable})
	return ts
}

// testKeyProviderImmutable: virtual keys list a key under its provider, so
// an update may not move the key to another provider.
func testKeyProviderImmutable(t *suiteT) {
	seedWorld(t)
	k := keySuite.make("moving-key")
	t.must(t.store.CreateKey(t.ctx, k), "create a key")
	moved := *k
	moved.Provider = provAnthropic
	t.wantFieldErr(t.store.UpdateKey(t.ctx, &moved), configstore.ErrInvalid, "provider", "move a key to another provider")
	got, err := t.store.GetKey(t.ctx, k.ID)
	t.must(err, "get the key")
	if got.Provider != provOpenAI || got.Revision != k.Revision {
		t.Fatalf("after a refused move the key has provider %q revision %d, want %q revision %d",
			got.Provider, got.Revision, provOpenAI, k.Revision)
	}
}
