package configfile

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
)

func mustHash(t *testing.T, v any) string {
	t.Helper()
	h, err := Hash(v)
	if err != nil {
		t.Fatalf("Hash(%T): %v", v, err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(h) {
		t.Fatalf("Hash(%T) = %q, want 64 lowercase hex digits", v, h)
	}
	return h
}

// TestHashFieldByField changes every leaf of a fully populated value of
// every kind, one at a time: the hash changes with every field of the
// definition, and not with runtime state, Meta, identity or a set's order.
// A field added to an entity type fails here until the fixture sets it and
// the hash covers it (or its `config` tag says why not).
func TestHashFieldByField(t *testing.T) {
	for _, k := range hashKinds() {
		t.Run(k.name, func(t *testing.T) {
			base := mustHash(t, k.populated())
			walked := walkLeaves(k.populated())
			if got, want := slices.Sorted(slices.Values(walked.zero)), slices.Sorted(slices.Values(k.zeroOK)); !slices.Equal(got, want) {
				t.Fatalf("zero fields in the fixture: %q, want only %q: populate every field (bools true, lists and maps of two distinct entries)", got, want)
			}
			used := map[string]bool{}
			var changed, unchanged int
			for i, m := range walked.mutations {
				v := k.populated()
				mut := walkLeaves(v).mutations[i]
				if alt, ok := k.alternatives[mut.path]; ok && mut.wantChange {
					alt(v)
					used[mut.path] = true
				} else {
					mut.apply()
				}
				h, err := Hash(v)
				switch {
				case err != nil:
					t.Errorf("%s %s: %v (give this field a valid alternative)", m.path, m.what, err)
				case m.wantChange && h == base:
					t.Errorf("%s %s: the hash did not change", m.path, m.what)
				case !m.wantChange && h != base:
					t.Errorf("%s %s: the hash changed; it must not", m.path, m.what)
				case m.wantChange:
					changed++
				default:
					unchanged++
				}
			}
			for path := range k.alternatives {
				if !used[path] {
					t.Errorf("alternative for %s was never used: no such field", path)
				}
			}
			// Every kind has Meta's four fields, which must not change the
			// hash, and fields that must.
			if changed == 0 || unchanged < 4 {
				t.Errorf("%d changing and %d non-changing mutations: the walker missed fields", changed, unchanged)
			}
		})
	}
}

// TestHashFieldClassesCoverage checks the walker's reading of the tags
// against the hash's: the runtime, Meta and identity fields it found for a
// few kinds are the ones the design names.
func TestHashFieldClassesCoverage(t *testing.T) {
	notHashed := func(v any) []string {
		var paths []string
		for _, m := range walkLeaves(v).mutations {
			if !m.wantChange && m.what != "reversed" && !slices.Contains(paths, m.path) {
				paths = append(paths, m.path)
			}
		}
		return paths
	}
	meta := []string{"revision", "created_at", "updated_at", "config_hash"}
	for _, c := range []struct {
		v    any
		want []string
	}{
		{&configstore.Budget{CurrentUsage: 1, Meta: populatedMeta()}, append([]string{"id", "current_usage", "last_reset"}, meta...)},
		{&configstore.RateLimit{Meta: populatedMeta()}, append([]string{"id", "token_current_usage", "token_last_reset",
			"request_current_usage", "request_last_reset"}, meta...)},
		{&configstore.Provider{Meta: populatedMeta()}, append([]string{"name"}, meta...)},
		{&configstore.ClientConfig{Meta: populatedMeta()}, append([]string{"ID"}, meta...)},
	} {
		if got := notHashed(c.v); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(c.want))) {
			t.Errorf("%T: fields left out of the hash %q, want %q", c.v, got, c.want)
		}
	}
}

// TestHashIgnoresFormatting decodes two spellings of the same definition
// (key order, whitespace, number spelling, set order, empty lists, runtime
// and Meta fields, explicit defaults) and a different one.
func TestHashIgnoresFormatting(t *testing.T) {
	for _, c := range []struct {
		name       string
		new        func() any
		a, b, diff string
	}{
		{"key", func() any { return new(configstore.Key) },
			`{"id":"k1","provider":"openai","name":"primary","value":"env.OPENAI_KEY","models":["gpt-4o","gpt-4o-mini"],"blacklisted_models":["o1","o3"],"weight":1,"aliases":{"fast":"mini","smart":"big"},"azure_key_config":{"scopes":["s1","s2"],"api_version":"v1"},"bedrock_key_config":{"batch_s3_config":{"bucket":"b","max":10,"list":[1,2]}}}`,
			`{
			  "bedrock_key_config": {"batch_s3_config": {"list": [1.0, 2e0], "max": 1e1, "bucket": "b"}},
			  "azure_key_config": {"api_version": "v1", "scopes": ["s2", "s1"]},
			  "aliases": {"smart": "big", "fast": "mini"},
			  "weight": 1.0,
			  "blacklisted_models": ["o3", "o1"],
			  "models": ["gpt-4o-mini", "gpt-4o"],
			  "value": "env.OPENAI_KEY", "name": "primary", "provider": "openai", "id": "k1",
			  "revision": 9, "config_hash": "deadbeef", "created_at": "2024-01-01T00:00:00Z",
			  "vertex_key_config": null, "use_for_batch_api": false
			}`,
			// A free-form list keeps its order.
			`{"id":"k1","provider":"openai","name":"primary","value":"env.OPENAI_KEY","models":["gpt-4o","gpt-4o-mini"],"blacklisted_models":["o1","o3"],"weight":1,"aliases":{"fast":"mini","smart":"big"},"azure_key_config":{"scopes":["s1","s2"],"api_version":"v1"},"bedrock_key_config":{"batch_s3_config":{"bucket":"b","max":10,"list":[2,1]}}}`},
		{"virtual key", func() any { return new(configstore.VirtualKey) },
			`{"id":"vk1","name":"vk","value":"vk-secret-value-1","is_active":true,"team_id":"t1",
			  "provider_configs":[{"provider":"openai","weight":1,"allowed_models":["a","b"],"key_ids":["k1","k2"]},{"provider":"anthropic","blacklisted_models":["c","d"],"key_ids":[]}],
			  "mcp_configs":[{"mcp_client_name":"fs","tools_to_execute":["read","write"]},{"mcp_client_name":"web","tools_to_execute":["fetch"]}]}`,
			`{"mcp_configs":[{"tools_to_execute":["fetch"],"mcp_client_name":"web"},{"tools_to_execute":["write","read"],"mcp_client_name":"fs"}],
			  "provider_configs":[{"blacklisted_models":["d","c"],"provider":"anthropic"},{"key_ids":["k2","k1"],"allowed_models":["b","a"],"weight":1.0,"provider":"openai"}],
			  "team_id":"t1","is_active":true,"value":"vk-secret-value-1","name":"vk","id":"vk1","description":""}`,
			`{"id":"vk1","name":"vk","value":"vk-secret-value-1","is_active":true,"team_id":"t1",
			  "provider_configs":[{"provider":"openai","weight":1,"allowed_models":["a","b"],"key_ids":["k1","k2"]},{"provider":"anthropic","blacklisted_models":["c","d"],"key_ids":["k3"]}],
			  "mcp_configs":[{"mcp_client_name":"fs","tools_to_execute":["read","write"]},{"mcp_client_name":"web","tools_to_execute":["fetch"]}]}`},
		{"budget", func() any { return new(configstore.Budget) },
			`{"id":"b1","max_limit":100,"reset_duration":"1M","team_id":"t1"}`,
			`{"team_id":"t1","reset_duration":"1M","max_limit":1e2,"id":"b1","current_usage":55.5,"last_reset":"2025-01-01T00:00:00Z","revision":4}`,
			`{"id":"b1","max_limit":100.01,"reset_duration":"1M","team_id":"t1"}`},
		{"rate limit", func() any { return new(configstore.RateLimit) },
			`{"id":"r1","token_max_limit":1000,"token_reset_duration":"1h"}`,
			`{"token_reset_duration":"1h","token_max_limit":1000,"id":"r1","token_current_usage":999,"request_current_usage":3,"token_last_reset":"2025-01-01T00:00:00Z","request_last_reset":"2025-01-01T00:00:00Z"}`,
			`{"id":"r1","token_max_limit":1000,"token_reset_duration":"1d"}`},
		{"team", func() any { return new(configstore.Team) },
			`{"id":"t1","name":"T","profile":{"n":1,"tags":["x","y"]},"claims":{}}`,
			`{"name":"T","id":"t1","profile":{"tags":["x","y"],"n":1.0}}`,
			`{"id":"t1","name":"T","profile":{"n":1.5,"tags":["x","y"]}}`},
		{"routing rule", func() any { return new(configstore.RoutingRule) },
			`{"id":"r1","name":"r","enabled":true,"targets":[{"provider":"openai","weight":0.5},{"provider":"anthropic","weight":0.5}],"fallbacks":["a","b"],"priority":1,"query":{"x":1,"y":[1,2]}}`,
			`{"query":{"y":[1.0,2],"x":10e-1},"priority":1,"fallbacks":["a","b"],"targets":[{"weight":5e-1,"provider":"openai"},{"weight":0.50,"provider":"anthropic"}],"enabled":true,"name":"r","id":"r1"}`,
			// Fallbacks are tried in order: their order is part of the rule.
			`{"id":"r1","name":"r","enabled":true,"targets":[{"provider":"openai","weight":0.5},{"provider":"anthropic","weight":0.5}],"fallbacks":["b","a"],"priority":1,"query":{"x":1,"y":[1,2]}}`},
		{"mcp client", func() any { return new(configstore.MCPClient) },
			`{"client_id":"c1","name":"fs","connection_type":"stdio","stdio_config":{"command":"npx","args":["-y","srv"],"envs":["HOME","PATH"]},"headers":{"A":"env.TOKEN_A","B":"literal-b"},"tools_to_execute":["r","w"],"allowed_extra_headers":["x","y"]}`,
			`{"allowed_extra_headers":["y","x"],"tools_to_execute":["w","r"],"headers":{"B":"literal-b","A":"env.TOKEN_A"},"stdio_config":{"envs":["PATH","HOME"],"args":["-y","srv"],"command":"npx"},"connection_type":"stdio","name":"fs","client_id":"c1","tools_to_auto_execute":[]}`,
			// A stdio server's args are its argv: their order matters.
			`{"client_id":"c1","name":"fs","connection_type":"stdio","stdio_config":{"command":"npx","args":["srv","-y"],"envs":["HOME","PATH"]},"headers":{"A":"env.TOKEN_A","B":"literal-b"},"tools_to_execute":["r","w"],"allowed_extra_headers":["x","y"]}`},
		{"plugin (defaults)", func() any { return new(configstore.Plugin) },
			`{"name":"cache","enabled":true,"config":{"ttl":60,"nested":{"x":1}}}`,
			`{"config":{"nested":{"x":1.0}, "ttl":6e1},"enabled":true,"name":"cache","version":1,"placement":"post_builtin"}`,
			`{"name":"cache","enabled":true,"config":{"ttl":60,"nested":{"x":1}},"placement":"pre_builtin"}`},
		{"client config", func() any { return new(configstore.ClientConfig) },
			`{"allowed_origins":["https://a","https://b"],"prometheus_labels":["l1","l2"],"header_filter_config":{"allowlist":["x","y"]},"initial_pool_size":100,"log_retention_days":0}`,
			`{"initial_pool_size":100,"header_filter_config":{"allowlist":["y","x"],"denylist":[]},"prometheus_labels":["l2","l1"],"allowed_origins":["https://b","https://a"]}`,
			`{"allowed_origins":["https://a","https://b"],"prometheus_labels":["l1","l2"],"header_filter_config":{"denylist":["x","y"]},"initial_pool_size":100}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			hashOf := func(doc string) string {
				v := c.new()
				if err := json.Unmarshal([]byte(doc), v); err != nil {
					t.Fatalf("decode %s: %v", doc, err)
				}
				return mustHash(t, v)
			}
			a, b, diff := hashOf(c.a), hashOf(c.b), hashOf(c.diff)
			if a != b {
				t.Errorf("two spellings of one definition hash differently:\n%s\n%s", c.a, c.b)
			}
			if a == diff {
				t.Errorf("different definitions hash the same:\n%s\n%s", c.a, c.diff)
			}
		})
	}
}

// TestHashEmptyListsAndDefaults: an empty list, map or free-form object
// hashes as an absent one, and a default as its explicit value.
func TestHashEmptyListsAndDefaults(t *testing.T) {
	pairs := []struct {
		name string
		a, b any
	}{
		{"key lists and maps", &configstore.Key{Provider: "p", Name: "k"},
			&configstore.Key{Provider: "p", Name: "k", Models: []string{}, BlacklistedModels: []string{}, Aliases: map[string]string{}}},
		{"virtual key parts", &configstore.VirtualKey{Name: "v", Value: configstore.NewEnvVar("vk-value-0001")},
			&configstore.VirtualKey{Name: "v", Value: configstore.NewEnvVar("vk-value-0001"),
				ProviderConfigs: []configstore.VirtualKeyProviderConfig{}, MCPConfigs: []configstore.VirtualKeyMCPConfig{}}},
		{"virtual key key_ids", &configstore.VirtualKey{Name: "v", Value: configstore.NewEnvVar("vk-value-0001"),
			ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai"}}},
			&configstore.VirtualKey{Name: "v", Value: configstore.NewEnvVar("vk-value-0001"),
				ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{}, AllowedModels: []string{}}}}},
		{"mcp headers", &configstore.MCPClient{Name: "m", ConnectionType: "inprocess"},
			&configstore.MCPClient{Name: "m", ConnectionType: "inprocess", Headers: map[string]configstore.EnvVar{}, ToolsToExecute: []string{}}},
		{"team free-form", &configstore.Team{Name: "t"},
			&configstore.Team{Name: "t", Profile: map[string]any{}, Config: map[string]any{}}},
		{"plugin config and defaults", &configstore.Plugin{Name: "p"},
			&configstore.Plugin{Name: "p", Config: json.RawMessage(`{}`), Version: 1, Placement: configstore.PlacementPostBuiltin}},
		{"routing query", &configstore.RoutingRule{Name: "r", Targets: []configstore.RoutingTarget{{Provider: "openai"}}},
			&configstore.RoutingRule{Name: "r", Targets: []configstore.RoutingTarget{{Provider: "openai"}}, Query: json.RawMessage(` { } `), Fallbacks: []string{}}},
	}
	for _, p := range pairs {
		if a, b := mustHash(t, p.a), mustHash(t, p.b); a != b {
			t.Errorf("%s: %s != %s", p.name, a, b)
		}
	}
	// The plugin's default version is 1: version 2 is a change.
	if mustHash(t, &configstore.Plugin{Name: "p"}) == mustHash(t, &configstore.Plugin{Name: "p", Version: 2}) {
		t.Error("plugin version 2 hashes as the default version")
	}
}

// TestHashSecrets: the hash sees a secret in its stored form: the value of
// a referenced variable never changes it; the reference, or a literal, does.
func TestHashSecrets(t *testing.T) {
	key := func(value configstore.EnvVar) *configstore.Key {
		return &configstore.Key{Provider: "openai", Name: "k", Value: value}
	}
	t.Setenv("HASH_TEST_API_KEY", "sk-first-value-000001")
	ref := mustHash(t, key(configstore.EnvRef("HASH_TEST_API_KEY")))
	t.Setenv("HASH_TEST_API_KEY", "sk-second-value-00002")
	if again := mustHash(t, key(configstore.EnvRef("HASH_TEST_API_KEY"))); again != ref {
		t.Errorf("the hash of env.HASH_TEST_API_KEY changed with the variable's value")
	}
	if lit := mustHash(t, key(configstore.NewEnvVar("sk-second-value-00002"))); lit == ref {
		t.Error("a literal hashes as the reference to a variable holding it")
	}
	if mustHash(t, key(configstore.NewEnvVar("sk-one-literal-000001"))) == mustHash(t, key(configstore.NewEnvVar("sk-one-literal-000002"))) {
		t.Error("two literals hash the same")
	}
	// A literal that reads like a reference (given in the object form) is
	// not the reference.
	var literalRef configstore.EnvVar
	if err := json.Unmarshal([]byte(`{"value": "env.HASH_TEST_API_KEY", "from_env": false}`), &literalRef); err != nil {
		t.Fatal(err)
	}
	if literalRef.IsReference() {
		t.Fatal("the object form with from_env false decoded as a reference")
	}
	if mustHash(t, key(literalRef)) == ref {
		t.Error(`the literal "env.HASH_TEST_API_KEY" hashes as the reference`)
	}
}

// TestHashGolden pins the canonical form: a change to it changes every
// stored config_hash, so every split-mode store would see every file
// entity as changed once. Change this test only on purpose.
func TestHashGolden(t *testing.T) {
	v := &configstore.Key{
		ID: "key-1", Provider: "openai", Name: "primary", Value: configstore.EnvRef("OPENAI_API_KEY"),
		Models: []string{"gpt-4o-mini", "gpt-4o"}, Weight: 1.0,
		BedrockKeyConfig: &configstore.BedrockKeyConfig{Region: "us-east-1", SecretKey: configstore.NewEnvVar("aws-secret<&>"),
			BatchS3Config: map[string]any{"max": 1e21, "bucket": "b", "ratio": 0.25}},
		Meta: populatedMeta(),
	}
	const wantJSON = `{"bedrock_key_config":{"batch_s3_config":{"bucket":"b","max":1000000000000000000000,"ratio":0.25},` +
		`"region":"us-east-1","secret_key":"aws-secret\u003c\u0026\u003e"},"models":["gpt-4o","gpt-4o-mini"],` +
		`"name":"primary","provider":"openai","value":"env.OPENAI_API_KEY","weight":1}`
	normalized, err := normalizedCopy(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := new(canonicalWriter).appendCanonicalJSON(nil, normalized)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != wantJSON {
		t.Errorf("canonical JSON\n got %s\nwant %s", got, wantJSON)
	}
	const wantHash = "911328b6cdfddc7f1a4a9d46b4505e5db84c23e040e7e593005dcacb08cd2aed"
	if h := mustHash(t, v); h != wantHash {
		t.Errorf("Hash = %s, want %s", h, wantHash)
	}
}

// TestHashNormalized: the hash of a normalized entity, as HashNormalized
// takes it as it is, is Hash's of the entity before and after normalizing,
// for every populated kind, each of its field-by-field mutations and values
// whose normalization changes them, and for every entity of every example
// file as Parse returns it; and HashNormalized does not modify it.
func TestHashNormalized(t *testing.T) {
	values := populatedAndMutated()
	values = append(values, &configstore.Plugin{Name: "p", Config: json.RawMessage(`{"b": 1.50, "a": [1e0]}`)},
		&configstore.VirtualKey{Name: "v", Value: configstore.NewEnvVar("vk-value-0001"),
			ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{}}}},
		&configstore.Team{Name: "t", Profile: map[string]any{"n": json.Number("1.50"), "big": int64(1) << 60}})
	paths := examplePaths(t)
	for _, path := range paths {
		f, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range fileEntities(f) {
			want := mustHash(t, e)
			if got, err := HashNormalized(e); err != nil || got != want {
				t.Errorf("%s: %T as parsed: HashNormalized %q, %v; want Hash's %q", path, e, got, err, want)
			}
			values = append(values, e)
		}
	}
	checked := 0
	for _, v := range values {
		want, err := Hash(v)
		if err != nil {
			continue // an invalid mutation; TestHashFieldByField covers it
		}
		normalized, err := normalizedCopy(v)
		if err != nil {
			t.Fatal(err)
		}
		before := reflect.ValueOf(normalized).Elem().Interface()
		got, err := HashNormalized(normalized)
		if err != nil || got != want {
			t.Errorf("%T: HashNormalized of the normalized value %q, %v; want Hash's %q", v, got, err, want)
		}
		if again := mustHash(t, normalized); again != want {
			t.Errorf("%T: Hash of the normalized value %q, want %q: normalizing twice changes it", v, again, want)
		}
		if !reflect.DeepEqual(reflect.ValueOf(normalized).Elem().Interface(), before) {
			t.Errorf("%T: HashNormalized modified its argument", v)
		}
		checked++
	}
	if checked < len(values)/2 {
		t.Errorf("checked %d of %d values", checked, len(values))
	}
}

// fileEntities returns pointers to every entity of f.
func fileEntities(f *File) []any {
	var out []any
	for i := range f.Providers {
		out = append(out, &f.Providers[i].Provider)
		for j := range f.Providers[i].Keys {
			out = append(out, &f.Providers[i].Keys[j])
		}
	}
	out = append(out, pointers(f.Budgets)...)
	out = append(out, pointers(f.RateLimits)...)
	out = append(out, pointers(f.Customers)...)
	out = append(out, pointers(f.Teams)...)
	out = append(out, pointers(f.VirtualKeys)...)
	out = append(out, pointers(f.RoutingRules)...)
	out = append(out, pointers(f.ModelConfigs)...)
	out = append(out, pointers(f.MCPClients)...)
	out = append(out, pointers(f.Plugins)...)
	for _, s := range []any{f.AuthConfig, f.Client, f.VectorStore, f.LogsStore} {
		if !reflect.ValueOf(s).IsNil() {
			out = append(out, s)
		}
	}
	return out
}

// pointers returns a pointer to each item.
func pointers[T any](items []T) []any {
	out := make([]any, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// TestHashDoesNotModifyArgument hashes every populated kind and values
// whose normalization changes them (defaults, empty lists) and checks that
// the argument is as it was.
func TestHashDoesNotModifyArgument(t *testing.T) {
	cases := map[string]func() any{
		"plugin defaults": func() any { return &configstore.Plugin{Name: "p"} },
		"empty key_ids": func() any {
			return &configstore.VirtualKey{Name: "v", Value: configstore.NewEnvVar("vk-value-0001"),
				ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "openai", KeyIDs: []string{}}}}
		},
		"settings id": func() any { return &configstore.ClientConfig{} },
	}
	for _, k := range hashKinds() {
		cases[k.name] = k.populated
	}
	for name, build := range cases {
		v, want := build(), build()
		mustHash(t, v)
		if !reflect.DeepEqual(v, want) {
			t.Errorf("%s: Hash modified its argument:\n got %#v\nwant %#v", name, v, want)
		}
	}
}

// TestHashProviderConfig: a provider config hashes as its provider; its
// keys are hashed on their own.
func TestHashProviderConfig(t *testing.T) {
	p := hashKinds()[0].populated().(*configstore.Provider)
	pc := &configstore.ProviderConfig{Provider: *p, Keys: []configstore.Key{*populatedKey()}}
	if mustHash(t, pc) != mustHash(t, p) {
		t.Error("a provider config hashes differently from its provider")
	}
	pc.Keys[0].Weight = 3
	pc.Keys = append(pc.Keys, configstore.Key{Provider: "openai", Name: "another"})
	if mustHash(t, pc) != mustHash(t, p) {
		t.Error("a provider's hash changed with its keys")
	}
	pc.SendBackRawRequest = false
	if mustHash(t, pc) == mustHash(t, p) {
		t.Error("a provider config's hash did not change with its provider's settings")
	}
}

func TestHashRefusesBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want string // in the error
	}{
		{"invalid entity", &configstore.Key{Name: "k"}, "provider"},
		{"invalid nested field", &configstore.Provider{Name: "p", ProxyConfig: &configstore.ProxyConfig{Type: "ftp"}}, "proxy_config.type"},
		{"not a pointer", configstore.Key{Provider: "p", Name: "k"}, "configstore.Key is not a non-nil pointer"},
		{"nil pointer", (*configstore.Key)(nil), "not a non-nil pointer"},
		{"nil provider config", (*configstore.ProviderConfig)(nil), "not a non-nil pointer"},
		{"not an entity", &struct{ Name string }{"x"}, "not a pointer to a configstore entity"},
		{"nil", nil, "not a non-nil pointer"},
	} {
		h, err := Hash(c.v)
		if err == nil || h != "" {
			t.Errorf("%s: Hash = %q, %v; want an error", c.name, h, err)
			continue
		}
		if !errors.Is(err, configstore.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want ErrInvalid mentioning %q", c.name, err, c.want)
		}
	}
}

func TestCopyRuntimeState(t *testing.T) {
	stored := &configstore.Budget{ID: "b", MaxLimit: 10, ResetDuration: "1h", CurrentUsage: 7.5, LastReset: fixedTime, Meta: populatedMeta()}
	file := &configstore.Budget{ID: "b", MaxLimit: 20, ResetDuration: "1d", TeamID: "t"}
	CopyRuntimeState(file, stored)
	want := &configstore.Budget{ID: "b", MaxLimit: 20, ResetDuration: "1d", TeamID: "t", CurrentUsage: 7.5, LastReset: fixedTime}
	if !reflect.DeepEqual(file, want) {
		t.Errorf("budget: got %+v, want %+v", file, want)
	}

	storedRL := &configstore.RateLimit{ID: "r", TokenResetDuration: "1h", TokenCurrentUsage: 1, TokenLastReset: fixedTime,
		RequestCurrentUsage: 2, RequestLastReset: fixedTime.Add(1), Meta: populatedMeta()}
	fileRL := &configstore.RateLimit{ID: "r", TokenMaxLimit: ptr[int64](5), TokenResetDuration: "1d", TokenCurrentUsage: 99}
	CopyRuntimeState(fileRL, storedRL)
	wantRL := &configstore.RateLimit{ID: "r", TokenMaxLimit: ptr[int64](5), TokenResetDuration: "1d", TokenCurrentUsage: 1,
		TokenLastReset: fixedTime, RequestCurrentUsage: 2, RequestLastReset: fixedTime.Add(1)}
	if !reflect.DeepEqual(fileRL, wantRL) {
		t.Errorf("rate limit: got %+v, want %+v", fileRL, wantRL)
	}

	// Copying from a zero value clears the runtime fields and nothing else.
	for _, k := range hashKinds() {
		dst := k.populated()
		CopyRuntimeState(dst, reflect.New(reflect.TypeOf(dst).Elem()).Interface())
		want := k.populated()
		switch w := want.(type) {
		case *configstore.Budget:
			w.CurrentUsage, w.LastReset = 0, time.Time{}
		case *configstore.RateLimit:
			w.TokenCurrentUsage, w.TokenLastReset, w.RequestCurrentUsage, w.RequestLastReset = 0, time.Time{}, 0, time.Time{}
		}
		if !reflect.DeepEqual(dst, want) {
			t.Errorf("%s: CopyRuntimeState from a zero value: got %+v, want %+v", k.name, dst, want)
		}
	}

	for name, args := range map[string][2]any{
		"different types": {&configstore.Budget{}, &configstore.RateLimit{}},
		"not pointers":    {configstore.Budget{}, configstore.Budget{}},
		"nil dst":         {(*configstore.Budget)(nil), &configstore.Budget{}},
		"nil src":         {&configstore.Budget{}, (*configstore.Budget)(nil)},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "CopyRuntimeState") {
					t.Errorf("%s: recovered %v, want a CopyRuntimeState panic", name, r)
				}
			}()
			CopyRuntimeState(args[0], args[1])
		}()
	}
}

// TestFieldsOfRefusesBadTags: a misspelt class, or a set on what is not a
// list, is caught the first time the type is hashed.
func TestFieldsOfRefusesBadTags(t *testing.T) {
	type misspelt struct {
		Models []string `json:"models" config:"sets"`
	}
	type setOnString struct {
		Name string `json:"name" config:"set"`
	}
	for _, c := range []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[misspelt](), `misspelt.Models: unknown config tag "sets"`},
		{reflect.TypeFor[setOnString](), `setOnString.Name: config:"set" on a string, not a list`},
	} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, c.want) {
					t.Errorf("%s: panic %q, want %q", c.typ, r, c.want)
				}
			}()
			fieldsOf(c.typ)
		}()
	}
}

// populatedAndMutated returns every populated kind's value and, for each,
// every one of its field-by-field mutations.
func populatedAndMutated() []any {
	var values []any
	for _, k := range hashKinds() {
		values = append(values, k.populated())
		for i := range walkLeaves(k.populated()).mutations {
			v := k.populated()
			walkLeaves(v).mutations[i].apply()
			values = append(values, v)
		}
	}
	return values
}

// examplePaths returns the Bifrost example files, failing t when there are
// none.
func examplePaths(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/bifrost-examples/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("example files: %v, %v", paths, err)
	}
	return paths
}
