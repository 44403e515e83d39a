package conformance

import (
	"slices"
	"strings"

	"github.com/gatewaykit/configstore"
)

var providerSuite = kindSuite[configstore.Provider]{
	kind: "provider",
	make: func(key string) *configstore.Provider { return &configstore.Provider{Name: key} },
	full: fullProvider,
	variants: []variant[configstore.Provider]{
		{"ProxyPasswordEnvReference", func(p *configstore.Provider) { p.ProxyConfig.Password = configstore.EnvRef("PROXY_PASSWORD") }},
		{"ZeroNestedStructsStaySet", func(p *configstore.Provider) {
			p.NetworkConfig = &configstore.NetworkConfig{}
			p.ProxyConfig = &configstore.ProxyConfig{Type: "none"}
			p.CustomProviderConfig = &configstore.CustomProviderConfig{BaseProviderType: "anthropic"}
		}},
	},
	mutate: func(p *configstore.Provider) {
		p.SendBackRawRequest = !p.SendBackRawRequest
		c := 1
		if p.ConcurrencyAndBufferSize != nil {
			c = p.ConcurrencyAndBufferSize.Concurrency + 1
		}
		p.ConcurrencyAndBufferSize = &configstore.ConcurrencyAndBufferSize{Concurrency: c, BufferSize: 10 * c}
	},
	key:      func(p *configstore.Provider) string { return p.Name },
	longKeys: true,
	keyField: "name",
	create:   configstore.ConfigStore.CreateProvider,
	get:      getByKey(configstore.ConfigStore.GetProvider, func(p *configstore.Provider) string { return p.Name }),
	list:     configstore.ConfigStore.ListProviders,
	update:   configstore.ConfigStore.UpdateProvider,
	del:      deleteByKey(configstore.ConfigStore.DeleteProvider, func(p *configstore.Provider) string { return p.Name }),
	invalid: []invalidCase[configstore.Provider]{
		{"ZeroConcurrency", "concurrency_and_buffer_size.concurrency", func(p *configstore.Provider) { p.ConcurrencyAndBufferSize.Concurrency = 0 }},
		{"BufferSmallerThanConcurrency", "concurrency_and_buffer_size.buffer_size", func(p *configstore.Provider) { p.ConcurrencyAndBufferSize.BufferSize = 16 }},
		{"NegativeTimeout", "network_config.default_request_timeout_in_seconds", func(p *configstore.Provider) { p.NetworkConfig.DefaultRequestTimeoutInSeconds = -1 }},
		{"NegativeMaxRetries", "network_config.max_retries", func(p *configstore.Provider) { p.NetworkConfig.MaxRetries = -1 }},
		{"UnknownProxyType", "proxy_config.type", func(p *configstore.Provider) { p.ProxyConfig.Type = "ftp" }},
		{"CustomProviderWithoutBase", "custom_provider_config.base_provider_type", func(p *configstore.Provider) { p.CustomProviderConfig.BaseProviderType = "" }},
		{"BlankName", "name", func(p *configstore.Provider) { p.Name = "  " }},
		{"NameTooLong", "name", func(p *configstore.Provider) { p.Name = strings.Repeat("n", 256) }},
		{"NameWithNUL", "name", func(p *configstore.Provider) { p.Name = "open\x00ai" }},
	},
}

func providerTests() []test {
	ts := providerSuite.tests()
	ts = append(ts,
		test{"GetProvidersConfigNestsKeys", testProvidersConfig},
		test{"GetProvidersConfigEmptyStore", func(t *suiteT) {
			got, err := t.store.GetProvidersConfig(t.ctx)
			t.must(err, "GetProvidersConfig")
			if len(got) != 0 {
				t.Fatalf("GetProvidersConfig on an empty store returned %d providers", len(got))
			}
		}},
		test{"ListProviderKeysFiltersByProvider", testListProviderKeys},
	)
	ts = append(ts, cascadeTests("Provider")...)
	ts = append(ts, restrictTests("Provider")...)
	ts = append(ts, secretTests("Provider")...)
	return ts
}

func testProvidersConfig(t *suiteT) {
	seedWorld(t)
	lonely := &configstore.Provider{Name: "keyless"}
	t.must(t.store.CreateProvider(t.ctx, lonely), "create a provider without keys")
	got, err := t.store.GetProvidersConfig(t.ctx)
	t.must(err, "GetProvidersConfig")
	providers, err := t.store.ListProviders(t.ctx)
	t.must(err, "ListProviders")
	if len(got) != len(providers) {
		t.Fatalf("GetProvidersConfig returned %d providers, ListProviders %d", len(got), len(providers))
	}
	for _, p := range providers {
		pc, ok := got[p.Name]
		if !ok {
			t.Fatalf("GetProvidersConfig misses provider %q", p.Name)
		}
		t.equal(&pc.Provider, &p, "provider %q in GetProvidersConfig", p.Name)
		keys, err := t.store.ListProviderKeys(t.ctx, p.Name)
		t.must(err, "ListProviderKeys(%q)", p.Name)
		if len(pc.Keys) != len(keys) {
			t.Fatalf("GetProvidersConfig gives provider %q %d keys, ListProviderKeys %d", p.Name, len(pc.Keys), len(keys))
		}
		for i := range keys {
			t.equal(&pc.Keys[i], &keys[i], "key %d of provider %q", i, p.Name)
		}
	}
	if n := len(got[provOpenAI].Keys); n != 2 {
		t.Fatalf("provider %q has %d keys in GetProvidersConfig, want 2", provOpenAI, n)
	}
	if n := len(got["keyless"].Keys); n != 0 {
		t.Fatalf("provider without keys has %d keys in GetProvidersConfig", n)
	}
}

func testListProviderKeys(t *suiteT) {
	seedWorld(t)
	for _, id := range []string{"z-openai", "A-openai", "m-openai"} {
		t.must(t.store.CreateKey(t.ctx, &configstore.Key{ID: id, Provider: provOpenAI, Name: "name " + id}), "create key %q", id)
	}
	got, err := t.store.ListProviderKeys(t.ctx, provOpenAI)
	t.must(err, "ListProviderKeys")
	var ids []string
	for _, k := range got {
		if k.Provider != provOpenAI {
			t.Fatalf("ListProviderKeys(%q) returned key %q of provider %q", provOpenAI, k.ID, k.Provider)
		}
		ids = append(ids, k.ID)
	}
	want := []string{"A-openai", keyOpenAI1, keyOpenAI2, "m-openai", "z-openai"}
	if !slices.Equal(ids, want) {
		t.Fatalf("ListProviderKeys(%q) returned %q, want %q (ordered by id)", provOpenAI, ids, want)
	}
	for i := range got {
		k, err := t.store.GetKey(t.ctx, got[i].ID)
		t.must(err, "GetKey")
		t.equal(&got[i], k, "key %q as ListProviderKeys returns it", k.ID)
	}
	other, err := t.store.ListProviderKeys(t.ctx, provAnthropic)
	t.must(err, "ListProviderKeys(%q)", provAnthropic)
	if len(other) != 1 || other[0].ID != keyAnthropic1 {
		t.Fatalf("ListProviderKeys(%q) returned %d keys, want only %q", provAnthropic, len(other), keyAnthropic1)
	}
}
