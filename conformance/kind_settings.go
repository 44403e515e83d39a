package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

// settingsSuite describes one settings section, a singleton read with Get
// and written (created on first use) with Update.
type settingsSuite[T any] struct {
	kind       string
	minimal    func() *T // a valid section with its zero values
	full       func() *T // every field set
	variants   []variant[T]
	emptyLists func(v *T)
	mutate     func(v *T)
	get        func(configstore.ConfigStore, context.Context) (*T, error)
	update     func(configstore.ConfigStore, context.Context, *T) error
	invalid    []invalidCase[T]
}

func (k settingsSuite[T]) tests() []test {
	ts := []test{
		{"GetBeforeFirstUpdateNotFound", k.testNotFound},
		{"FirstUpdateCreates", k.testFirstUpdate},
		{"Update", k.testUpdate},
		{"UpdateStaleRevisionConflicts", k.testStale},
		{"UpdateRevisionZeroIsUnconditional", k.testRevisionZero},
		{"RoundTripAllFields", func(t *suiteT) { k.roundTrip(t, k.full()) }},
		{"RoundTripZeroValues", func(t *suiteT) { k.roundTrip(t, k.minimal()) }},
		{"RolledBackUpdateLeavesNothing", k.testRollback},
		{"ConfigHashRejectedFromAPI", k.testHashFromAPI},
		{"ConfigHashSetByConfigFile", k.testHashFromFile},
	}
	for _, v := range k.variants {
		ts = append(ts, test{"RoundTrip" + v.name, func(t *suiteT) {
			rec := k.full()
			v.change(rec)
			k.roundTrip(t, rec)
		}})
	}
	if k.emptyLists != nil {
		ts = append(ts, test{"RoundTripEmptyListsStayEmpty", func(t *suiteT) {
			rec := k.minimal()
			k.emptyLists(rec)
			k.roundTrip(t, rec)
		}})
	}
	for i, c := range k.invalid {
		ts = append(ts, test{"Invalid/" + c.name, func(t *suiteT) { k.testInvalid(t, c, false) }})
		if i == 0 {
			ts = append(ts, test{"InvalidOnUpdate/" + c.name, func(t *suiteT) { k.testInvalid(t, c, true) }})
		}
	}
	return ts
}

// wantStored checks that the stored section equals want, except for the
// fields the store manages (ID, Meta), which must equal managed's.
func (k settingsSuite[T]) wantStored(t *suiteT, want, managed *T, what string) {
	t.Helper()
	got, err := k.get(t.store, t.ctx)
	t.must(err, "%s: get %s", what, k.kind)
	w := *want
	copyServerFields(&w, managed, "ID")
	t.equal(got, &w, "%s: stored %s", what, k.kind)
}

func (k settingsSuite[T]) testNotFound(t *suiteT) {
	_, err := k.get(t.store, t.ctx)
	t.wantErr(err, configstore.ErrNotFound, "get %s before any update", k.kind)
}

func (k settingsSuite[T]) testFirstUpdate(t *suiteT) {
	before := t.revision()
	v := k.full()
	input := k.full()
	t.must(k.update(t.store, t.ctx, v), "first update")
	m := metaOf(v)
	if m.Revision != 1 {
		t.Fatalf("the first update set Revision %d, want 1", m.Revision)
	}
	checkStoreTime(t, m.CreatedAt, "CreatedAt")
	checkStoreTime(t, m.UpdatedAt, "UpdatedAt")
	k.wantStored(t, input, v, "after the first update")
	t.wantChanges(before, configstore.Change{Kind: k.kind})
}

func (k settingsSuite[T]) testUpdate(t *suiteT) {
	v := k.full()
	t.must(k.update(t.store, t.ctx, v), "first update")
	created := *metaOf(v)
	before := t.revision()
	k.mutate(v)
	want := *v
	t.must(k.update(t.store, t.ctx, v), "second update")
	m := metaOf(v)
	if m.Revision != 2 {
		t.Fatalf("the second update set Revision %d, want 2", m.Revision)
	}
	if !m.CreatedAt.Equal(created.CreatedAt) {
		t.Fatalf("the second update changed CreatedAt from %v to %v", created.CreatedAt, m.CreatedAt)
	}
	if m.UpdatedAt.Before(created.UpdatedAt) {
		t.Fatalf("UpdatedAt went back from %v to %v", created.UpdatedAt, m.UpdatedAt)
	}
	k.wantStored(t, &want, v, "after the second update")
	t.wantChanges(before, configstore.Change{Kind: k.kind, Op: configstore.OpUpdate})
}

func (k settingsSuite[T]) testStale(t *suiteT) {
	t.must(k.update(t.store, t.ctx, k.full()), "first update")
	a, err := k.get(t.store, t.ctx)
	t.must(err, "get")
	b, err := k.get(t.store, t.ctx)
	t.must(err, "get")
	k.mutate(a)
	t.must(k.update(t.store, t.ctx, a), "update from the first read")
	before := t.revision()
	k.mutate(b)
	k.mutate(b)
	t.wantErr(k.update(t.store, t.ctx, b), configstore.ErrConflict, "update from a stale read")
	k.wantStored(t, a, a, "after the conflicting update")
	t.wantNoChange(before, "a conflicting update")
}

func (k settingsSuite[T]) testRevisionZero(t *suiteT) {
	t.must(k.update(t.store, t.ctx, k.full()), "first update")
	t.must(k.update(t.store, t.ctx, k.full()), "second update")
	v := k.full()
	k.mutate(v)
	want := *v
	t.must(k.update(t.store, t.ctx, v), "update with Revision 0")
	if metaOf(v).Revision != 3 {
		t.Fatalf("the third update set Revision %d, want 3", metaOf(v).Revision)
	}
	k.wantStored(t, &want, v, "after the unconditional update")
}

func (k settingsSuite[T]) roundTrip(t *suiteT, v *T) {
	t.Helper()
	want := *v
	t.must(k.update(t.store, t.ctx, v), "update")
	k.wantStored(t, &want, v, "after the update")
	got, err := k.get(t.store, t.ctx)
	t.must(err, "get")
	t.must(k.update(t.store, t.ctx, got), "update with what Get returned")
	k.wantStored(t, &want, got, "after writing back what Get returned")
}

func (k settingsSuite[T]) testRollback(t *suiteT) {
	t.must(k.update(t.store, t.ctx, k.full()), "first update")
	stored, err := k.get(t.store, t.ctx)
	t.must(err, "get")
	before := t.revision()
	errAbort := fmt.Errorf("abort")
	err = t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		v := k.minimal()
		if err := k.update(tx, t.ctx, v); err != nil {
			return err
		}
		return errAbort
	})
	t.wantErr(err, errAbort, "ExecuteTransaction")
	k.wantStored(t, stored, stored, "after the rolled-back update")
	t.wantNoChange(before, "a rolled-back update")
}

func (k settingsSuite[T]) testHashFromAPI(t *suiteT) {
	v := k.full()
	metaOf(v).ConfigHash = strings.Repeat("ab", 32)
	t.wantFieldErr(k.update(t.store, t.ctx, v), configstore.ErrInvalid, "config_hash", "first update with a config_hash through the API")
	_, err := k.get(t.store, t.ctx)
	t.wantErr(err, configstore.ErrNotFound, "get after the refused update")
	t.must(k.update(t.store, t.ctx, k.full()), "update without a hash")
	v = k.full()
	metaOf(v).ConfigHash = strings.Repeat("ab", 32)
	t.wantFieldErr(k.update(t.store, t.ctx, v), configstore.ErrInvalid, "config_hash", "update with a config_hash through the API")
}

func (k settingsSuite[T]) testHashFromFile(t *suiteT) {
	hash := strings.Repeat("ef", 32)
	file := configstore.WithSource(t.ctx, configstore.SourceConfigFile)
	v := k.full()
	metaOf(v).ConfigHash = hash
	t.must(k.update(t.store, file, v), "update from config.json with a hash")
	got, err := k.get(t.store, t.ctx)
	t.must(err, "get")
	if metaOf(got).ConfigHash != hash {
		t.Fatalf("ConfigHash after the config.json update is %q, want %q", metaOf(got).ConfigHash, hash)
	}
	api := k.full()
	k.mutate(api)
	t.must(k.update(t.store, t.ctx, api), "API update without a hash")
	got, err = k.get(t.store, t.ctx)
	t.must(err, "get")
	if metaOf(got).ConfigHash != hash {
		t.Fatalf("an API update changed ConfigHash to %q, want the stored %q kept", metaOf(got).ConfigHash, hash)
	}
}

func (k settingsSuite[T]) testInvalid(t *suiteT, c invalidCase[T], existing bool) {
	var stored *T
	if existing {
		t.must(k.update(t.store, t.ctx, k.full()), "first update")
		var err error
		stored, err = k.get(t.store, t.ctx)
		t.must(err, "get")
	}
	before := t.revision()
	v := k.full()
	c.apply(v)
	t.wantFieldErr(k.update(t.store, t.ctx, v), configstore.ErrInvalid, c.path, "update %s with %s", k.kind, c.name)
	if existing {
		k.wantStored(t, stored, stored, "after the refused update")
	} else {
		_, err := k.get(t.store, t.ctx)
		t.wantErr(err, configstore.ErrNotFound, "get %s after a refused first update", k.kind)
	}
	t.wantNoChange(before, "a refused update")
}

var clientConfigSuite = settingsSuite[configstore.ClientConfig]{
	kind:    "client_config",
	minimal: func() *configstore.ClientConfig { return &configstore.ClientConfig{} },
	full: func() *configstore.ClientConfig {
		return &configstore.ClientConfig{
			DropExcessRequests:                    true,
			InitialPoolSize:                       300,
			PrometheusLabels:                      []string{"team", unicode},
			AllowedOrigins:                        []string{"https://ui.example.com", "http://localhost:3000"},
			EnableLogging:                         true,
			DisableContentLogging:                 true,
			AllowPerRequestContentStorageOverride: true,
			AllowPerRequestRawOverride:            true,
			DisableDBPingsInHealth:                true,
			LogRetentionDays:                      30,
			EnforceAuthOnInference:                true,
			MaxRequestBodySizeMB:                  100,
			Compat:                                &configstore.CompatConfig{ConvertTextToChat: true, ConvertChatToResponses: true, ShouldDropParams: true, ShouldConvertParams: true},
			HeaderFilterConfig:                    &configstore.HeaderFilterConfig{Allowlist: []string{"x-bf-eh-a"}, Denylist: []string{"x-bf-eh-secret"}},
			AsyncJobResultTTL:                     3600,
			RequiredHeaders:                       []string{"x-tenant"},
			LoggingHeaders:                        []string{"x-request-id"},
			WhitelistedRoutes:                     []string{"/health", "/metrics ✓"},
			HideDeletedVirtualKeysInFilters:       true,
			AllowedHeaders:                        []string{"x-custom"},
			AllowDirectKeys:                       true,
			MCPToolExecutionTimeout:               30,
			MCPCodeModeBindingLevel:               "server",
			MCPToolSyncInterval:                   10,
			MCPDisableAutoToolInject:              true,
			MCPEnableTempTokenAuth:                true,
			RoutingChainMaxDepth:                  5,
		}
	},
	variants: []variant[configstore.ClientConfig]{
		{"ZeroNestedStructsStaySet", func(c *configstore.ClientConfig) {
			c.Compat, c.HeaderFilterConfig = &configstore.CompatConfig{}, &configstore.HeaderFilterConfig{}
		}},
	},
	emptyLists: func(c *configstore.ClientConfig) {
		c.PrometheusLabels, c.AllowedOrigins, c.RequiredHeaders = []string{}, []string{}, []string{}
		c.LoggingHeaders, c.WhitelistedRoutes, c.AllowedHeaders = []string{}, []string{}, []string{}
	},
	mutate: func(c *configstore.ClientConfig) {
		c.InitialPoolSize++
		c.EnableLogging = !c.EnableLogging
	},
	get:    configstore.ConfigStore.GetClientConfig,
	update: configstore.ConfigStore.UpdateClientConfig,
	invalid: []invalidCase[configstore.ClientConfig]{
		{"NegativeLogRetention", "log_retention_days", func(c *configstore.ClientConfig) { c.LogRetentionDays = -1 }},
		{"NegativePoolSize", "initial_pool_size", func(c *configstore.ClientConfig) { c.InitialPoolSize = -1 }},
		{"NegativeBodySize", "max_request_body_size_mb", func(c *configstore.ClientConfig) { c.MaxRequestBodySizeMB = -1 }},
		{"NegativeJobTTL", "async_job_result_ttl", func(c *configstore.ClientConfig) { c.AsyncJobResultTTL = -1 }},
	},
}

func clientConfigTests() []test { return clientConfigSuite.tests() }

var vectorStoreConfigSuite = settingsSuite[configstore.VectorStoreConfig]{
	kind:    "vector_store_config",
	minimal: func() *configstore.VectorStoreConfig { return &configstore.VectorStoreConfig{} },
	full: func() *configstore.VectorStoreConfig {
		return &configstore.VectorStoreConfig{Enabled: true, Type: "qdrant", Config: rawJSON()}
	},
	variants: []variant[configstore.VectorStoreConfig]{
		{"OtherType", func(c *configstore.VectorStoreConfig) {
			c.Type, c.Config = "weaviate", json.RawMessage(`{"scheme":"https","host":"w.example.com","api_key":"env.WEAVIATE_KEY"}`)
		}},
	},
	mutate: func(c *configstore.VectorStoreConfig) { c.Enabled = !c.Enabled },
	get:    configstore.ConfigStore.GetVectorStoreConfig,
	update: configstore.ConfigStore.UpdateVectorStoreConfig,
	invalid: []invalidCase[configstore.VectorStoreConfig]{
		{"UnknownType", "type", func(c *configstore.VectorStoreConfig) { c.Type = "mysql" }},
		{"ConfigNotJSON", "config", func(c *configstore.VectorStoreConfig) { c.Config = json.RawMessage(`not json`) }},
	},
}

func vectorStoreConfigTests() []test { return vectorStoreConfigSuite.tests() }

var logStoreConfigSuite = settingsSuite[configstore.LogStoreConfig]{
	kind:    "log_store_config",
	minimal: func() *configstore.LogStoreConfig { return &configstore.LogStoreConfig{} },
	full: func() *configstore.LogStoreConfig {
		return &configstore.LogStoreConfig{Enabled: true, Type: "postgres",
			Config: json.RawMessage(`{"host":"db","port":5432,"ssl":{"mode":"verify-full"},"password":"env.LOGS_PW","note":"Zürich ✓ 東京"}`)}
	},
	variants: []variant[configstore.LogStoreConfig]{
		{"SQLite", func(c *configstore.LogStoreConfig) {
			c.Type, c.Config = "sqlite", json.RawMessage(`{"path":"./logs.db"}`)
		}},
	},
	mutate: func(c *configstore.LogStoreConfig) { c.Enabled = !c.Enabled },
	get:    configstore.ConfigStore.GetLogStoreConfig,
	update: configstore.ConfigStore.UpdateLogStoreConfig,
	invalid: []invalidCase[configstore.LogStoreConfig]{
		{"UnknownType", "type", func(c *configstore.LogStoreConfig) { c.Type = "mongodb" }},
		{"ConfigNotJSON", "config", func(c *configstore.LogStoreConfig) { c.Config = json.RawMessage(`{"a":1,}`) }},
	},
}

func logStoreConfigTests() []test {
	return append(logStoreConfigSuite.tests(), secretTests("LogStoreConfig")...)
}

var authConfigSuite = settingsSuite[configstore.AuthConfig]{
	kind:    "auth_config",
	minimal: func() *configstore.AuthConfig { return &configstore.AuthConfig{} },
	full: func() *configstore.AuthConfig {
		return &configstore.AuthConfig{
			AdminUsername:          configstore.NewEnvVar("admin " + unicode),
			AdminPassword:          configstore.NewEnvVar("admin-password-literal-0123456789"),
			IsEnabled:              true,
			DisableAuthOnInference: true,
		}
	},
	variants: []variant[configstore.AuthConfig]{
		{"CredentialsEnvReferences", func(c *configstore.AuthConfig) {
			c.AdminUsername, c.AdminPassword = configstore.EnvRef("ADMIN_USER"), configstore.EnvRef("ADMIN_PASSWORD")
		}},
	},
	mutate: func(c *configstore.AuthConfig) { c.DisableAuthOnInference = !c.DisableAuthOnInference },
	get:    configstore.ConfigStore.GetAuthConfig,
	update: configstore.ConfigStore.UpdateAuthConfig,
	invalid: []invalidCase[configstore.AuthConfig]{
		{"EnabledWithoutPassword", "admin_password", func(c *configstore.AuthConfig) { c.AdminPassword = configstore.EnvVar{} }},
		{"EnabledWithoutUsername", "admin_password", func(c *configstore.AuthConfig) { c.AdminUsername = configstore.EnvVar{} }},
	},
}

func authConfigTests() []test {
	return append(authConfigSuite.tests(), secretTests("AuthConfig")...)
}
