package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"strings"

	"github.com/gatewaykit/configstore"
)

// secretSpec describes one secret field (an EnvVar) of an entity kind.
type secretSpec[T any] struct {
	field  string          // its JSON path, for subtest names
	setup  func(t *suiteT) // optional
	full   func() *T       // a valid entity with the field set
	getS   func(v *T) configstore.EnvVar
	setS   func(v *T, s configstore.EnvVar)
	create func(configstore.ConfigStore, context.Context, *T) error
	get    func(configstore.ConfigStore, context.Context, *T) (*T, error)
	update func(configstore.ConfigStore, context.Context, *T) error
}

// The literal secrets are long enough to be redacted to "abc...wxyz".
const (
	secretLiteral  = "sk-conformance-LITERAL-7f3a9c1e5b"
	secretLiteral2 = "sk-conformance-OTHER-2b8d4f6a0c"
)

func (s secretSpec[T]) tests() []test {
	p := "Secret/" + s.field + "/"
	return []test{
		{p + "LiteralReadBack", s.testLiteral},
		{p + "EnvReferenceStoredUnresolved", s.testReference},
		{p + "NeverPrinted", s.testRedacted},
		{p + "RedactedWriteBackKeepsSecret", s.testWriteBack},
		{p + "NewValueReplacesSecret", s.testChange},
		{p + "LiteralLookingLikeReferenceStaysLiteral", s.testLiteralLikeRef},
	}
}

func (s secretSpec[T]) createWith(t *suiteT, secret configstore.EnvVar) *T {
	t.Helper()
	if s.setup != nil {
		s.setup(t)
	}
	v := s.full()
	s.setS(v, secret)
	t.must(s.create(t.store, t.ctx, v), "create with the secret %s set", s.field)
	got, err := s.get(t.store, t.ctx, v)
	t.must(err, "get")
	return got
}

func (s secretSpec[T]) testLiteral(t *suiteT) {
	got := s.createWith(t, configstore.NewEnvVar(secretLiteral))
	sec := s.getS(got)
	if sec.IsReference() || sec.Stored() != secretLiteral {
		t.Fatalf("%s read back as %q (reference %v), want the literal given", s.field, sec.Stored(), sec.IsReference())
	}
	if v, err := sec.Resolve(); err != nil || v != secretLiteral {
		t.Fatalf("%s resolves to %q, %v; want the literal", s.field, v, err)
	}
}

func (s secretSpec[T]) testReference(t *suiteT) {
	// PATH is set wherever tests run: the store must keep the reference,
	// not the variable's value.
	got := s.createWith(t, configstore.EnvRef("PATH"))
	sec := s.getS(got)
	if !sec.IsReference() || sec.VarName() != "PATH" || sec.Stored() != "env.PATH" {
		t.Fatalf("%s read back as %q (reference %v), want the reference env.PATH", s.field, sec.Stored(), sec.IsReference())
	}
	if path, ok := os.LookupEnv("PATH"); ok {
		if v, err := sec.Resolve(); err != nil || v != path {
			t.Fatalf("%s resolves to %q, %v; want $PATH", s.field, v, err)
		}
	}
}

func (s secretSpec[T]) testRedacted(t *suiteT) {
	if s.setup != nil {
		s.setup(t)
	}
	v := s.full()
	s.setS(v, configstore.NewEnvVar(secretLiteral))
	t.must(s.create(t.store, t.ctx, v), "create")
	got, err := s.get(t.store, t.ctx, v)
	t.must(err, "get")
	for _, e := range []*T{v, got} {
		sec := s.getS(e)
		printed := fmt.Sprintf("%v %+v %#v %s %v %q", e, e, e, sec, sec, sec)
		if strings.Contains(printed, secretLiteral) {
			t.Fatalf("fmt prints the literal %s: %s", s.field, printed)
		}
		js, err := json.Marshal(e)
		t.must(err, "json.Marshal")
		if strings.Contains(string(js), secretLiteral) {
			t.Fatalf("json.Marshal prints the literal %s: %s", s.field, js)
		}
		if !strings.Contains(string(js), sec.Redacted()) {
			t.Fatalf("json.Marshal does not print the redacted %s %q: %s", s.field, sec.Redacted(), js)
		}
	}
}

func (s secretSpec[T]) testWriteBack(t *suiteT) {
	got := s.createWith(t, configstore.NewEnvVar(secretLiteral))
	// What a client got from an API response: the entity as JSON, with the
	// secret redacted.
	js, err := json.Marshal(got)
	t.must(err, "json.Marshal")
	back := new(T)
	t.must(json.Unmarshal(js, back), "json.Unmarshal")
	if s.getS(back).Stored() == secretLiteral {
		t.Fatalf("the JSON form carries the literal %s", s.field)
	}
	t.must(s.update(t.store, t.ctx, back), "update with the redacted form read back")
	stored, err := s.get(t.store, t.ctx, got)
	t.must(err, "get")
	if sec := s.getS(stored); sec.Stored() != secretLiteral {
		t.Fatalf("after writing back the redacted form, %s is %q, want the stored secret kept", s.field, sec.Redacted())
	}
}

func (s secretSpec[T]) testChange(t *suiteT) {
	got := s.createWith(t, configstore.NewEnvVar(secretLiteral))
	s.setS(got, configstore.NewEnvVar(secretLiteral2))
	t.must(s.update(t.store, t.ctx, got), "update with a new literal")
	stored, err := s.get(t.store, t.ctx, got)
	t.must(err, "get")
	if sec := s.getS(stored); sec.Stored() != secretLiteral2 {
		t.Fatalf("after an update with a new literal, %s is %s, want the new one", s.field, sec.Redacted())
	}
	s.setS(stored, configstore.EnvRef("NEW_SECRET"))
	t.must(s.update(t.store, t.ctx, stored), "update with a reference")
	stored, err = s.get(t.store, t.ctx, got)
	t.must(err, "get")
	if sec := s.getS(stored); sec.Stored() != "env.NEW_SECRET" {
		t.Fatalf("after an update with a reference, %s is %s, want env.NEW_SECRET", s.field, sec.Redacted())
	}
}

// testLiteralLikeRef: the object form {"value": "env.PATH", "from_env":
// false} is a literal whose text happens to look like a reference; it must
// come back a literal, not turn into a reference to $PATH.
func (s secretSpec[T]) testLiteralLikeRef(t *suiteT) {
	var lit configstore.EnvVar
	t.must(json.Unmarshal([]byte(`{"value": "env.PATH", "env_var": "", "from_env": false}`), &lit), "decode the object form")
	if lit.IsReference() {
		t.Fatalf("the object form with from_env false decoded as a reference")
	}
	got := s.createWith(t, lit)
	if sec := s.getS(got); sec.IsReference() || sec != lit {
		t.Fatalf("the literal %q of %s came back as a reference to $%s: it would resolve to the variable's value", lit.Stored(), s.field, sec.VarName())
	}
}

// settingsGet adapts a settings getter to the by-identity shape.
func settingsGet[T any](f func(configstore.ConfigStore, context.Context) (*T, error)) func(configstore.ConfigStore, context.Context, *T) (*T, error) {
	return func(s configstore.ConfigStore, ctx context.Context, _ *T) (*T, error) { return f(s, ctx) }
}

func keySecret(field string, get func(*configstore.Key) configstore.EnvVar, set func(*configstore.Key, configstore.EnvVar)) []test {
	return secretSpec[configstore.Key]{field: field, setup: seedWorld, full: fullKey, getS: get, setS: set,
		create: keySuite.create, get: keySuite.get, update: keySuite.update}.tests()
}

func mcpSecret(field string, get func(*configstore.MCPClient) configstore.EnvVar, set func(*configstore.MCPClient, configstore.EnvVar)) []test {
	return secretSpec[configstore.MCPClient]{field: field, full: fullMCPClient, getS: get, setS: set,
		create: mcpClientSuite.create, get: mcpClientSuite.get, update: mcpClientSuite.update}.tests()
}

func authSecret(field string, get func(*configstore.AuthConfig) configstore.EnvVar, set func(*configstore.AuthConfig, configstore.EnvVar)) []test {
	return secretSpec[configstore.AuthConfig]{field: field, full: authConfigSuite.full, getS: get, setS: set,
		create: authConfigSuite.update, get: settingsGet(authConfigSuite.get), update: authConfigSuite.update}.tests()
}

// secretTests returns the secret subtests of a group.
func secretTests(group string) []test {
	var ts []test
	switch group {
	case "Provider":
		ts = secretSpec[configstore.Provider]{field: "proxy_config.password", full: fullProvider,
			getS:   func(p *configstore.Provider) configstore.EnvVar { return p.ProxyConfig.Password },
			setS:   func(p *configstore.Provider, s configstore.EnvVar) { p.ProxyConfig.Password = s },
			create: providerSuite.create, get: providerSuite.get, update: providerSuite.update}.tests()
		ts = append(ts, freeFormSpec[configstore.Provider]{field: "network_config.extra_headers", full: fullProvider,
			getF: func(p *configstore.Provider) json.RawMessage {
				doc, _ := json.Marshal(p.NetworkConfig.ExtraHeaders) // a map of strings always encodes
				return doc
			},
			setF: func(p *configstore.Provider, doc json.RawMessage) {
				var h map[string]string
				if err := json.Unmarshal(doc, &h); err != nil {
					panic(err) // the tests give objects of strings
				}
				p.NetworkConfig.ExtraHeaders = h
			},
			create: providerSuite.create, get: providerSuite.get, update: providerSuite.update}.tests()...)
	case "Key":
		ts = append(ts, keySecret("value",
			func(k *configstore.Key) configstore.EnvVar { return k.Value },
			func(k *configstore.Key, s configstore.EnvVar) { k.Value = s })...)
		ts = append(ts, keySecret("azure_key_config.client_secret",
			func(k *configstore.Key) configstore.EnvVar { return k.AzureKeyConfig.ClientSecret },
			func(k *configstore.Key, s configstore.EnvVar) { k.AzureKeyConfig.ClientSecret = s })...)
		ts = append(ts, keySecret("bedrock_key_config.secret_key",
			func(k *configstore.Key) configstore.EnvVar { return k.BedrockKeyConfig.SecretKey },
			func(k *configstore.Key, s configstore.EnvVar) { k.BedrockKeyConfig.SecretKey = s })...)
		ts = append(ts, keySecret("vertex_key_config.auth_credentials",
			func(k *configstore.Key) configstore.EnvVar { return k.VertexKeyConfig.AuthCredentials },
			func(k *configstore.Key, s configstore.EnvVar) { k.VertexKeyConfig.AuthCredentials = s })...)
	case "VirtualKey":
		ts = secretSpec[configstore.VirtualKey]{field: "value", setup: seedWorld, full: fullVirtualKey,
			getS:   func(v *configstore.VirtualKey) configstore.EnvVar { return v.Value },
			setS:   func(v *configstore.VirtualKey, s configstore.EnvVar) { v.Value = s },
			create: virtualKeySuite.create, get: virtualKeySuite.get, update: virtualKeySuite.update}.tests()
		ts = append(ts, test{"Secret/value/DuplicateErrorHidesSecret", testVKDuplicateValueError})
	case "MCPClient":
		ts = append(ts, mcpSecret("connection_string",
			func(c *configstore.MCPClient) configstore.EnvVar { return c.ConnectionString },
			func(c *configstore.MCPClient, s configstore.EnvVar) { c.ConnectionString = s })...)
		ts = append(ts, mcpSecret("headers.Authorization",
			func(c *configstore.MCPClient) configstore.EnvVar { return c.Headers["Authorization"] },
			func(c *configstore.MCPClient, s configstore.EnvVar) {
				h := maps.Clone(c.Headers)
				h["Authorization"] = s
				c.Headers = h
			})...)
	case "Plugin":
		ts = freeFormSpec[configstore.Plugin]{field: "config", numbers: true, full: fullPlugin,
			getF:   func(p *configstore.Plugin) json.RawMessage { return p.Config },
			setF:   func(p *configstore.Plugin, doc json.RawMessage) { p.Config = doc },
			create: pluginSuite.create, get: pluginSuite.get, update: pluginSuite.update}.tests()
	case "LogStoreConfig":
		ts = freeFormSpec[configstore.LogStoreConfig]{field: "config", numbers: true, full: logStoreConfigSuite.full,
			getF:   func(c *configstore.LogStoreConfig) json.RawMessage { return c.Config },
			setF:   func(c *configstore.LogStoreConfig, doc json.RawMessage) { c.Config = doc },
			create: logStoreConfigSuite.update, get: settingsGet(logStoreConfigSuite.get), update: logStoreConfigSuite.update}.tests()
	case "AuthConfig":
		ts = append(ts, authSecret("admin_password",
			func(c *configstore.AuthConfig) configstore.EnvVar { return c.AdminPassword },
			func(c *configstore.AuthConfig, s configstore.EnvVar) { c.AdminPassword = s })...)
		ts = append(ts, authSecret("admin_username",
			func(c *configstore.AuthConfig) configstore.EnvVar { return c.AdminUsername },
			func(c *configstore.AuthConfig, s configstore.EnvVar) { c.AdminUsername = s })...)
	}
	return ts
}

// freeFormSpec describes a free-form field of an entity kind: a JSON
// document kept verbatim (a plugin's config, the logs_store settings) or a
// map (a provider's extra headers), whose members with secret names
// (configstore.IsSecretName) are redacted in plans and exports
// (configstore.RedactFreeForm). Writing that redacted form back must keep
// the stored secrets, as for an EnvVar; any other redacted-looking value
// under a secret name is refused.
type freeFormSpec[T any] struct {
	field string // its JSON path
	// numbers: the field holds any JSON (not only strings), whose numbers
	// must keep their text.
	numbers bool
	setup   func(t *suiteT) // optional
	full    func() *T       // a valid entity
	// getF and setF read and set the field as a JSON object.
	getF   func(v *T) json.RawMessage
	setF   func(v *T, doc json.RawMessage)
	create func(configstore.ConfigStore, context.Context, *T) error
	get    func(configstore.ConfigStore, context.Context, *T) (*T, error)
	update func(configstore.ConfigStore, context.Context, *T) error
}

// The free-form secrets: one redacted to "abc...wxyz", one short enough to
// be redacted to "****".
const (
	freeFormPassword = "hunter2-very-secret"
	freeFormShort    = "tok-1234"
)

func (s freeFormSpec[T]) tests() []test {
	p := "FreeFormSecret/" + s.field + "/"
	return []test{
		{p + "RedactedWriteBackKeepsSecret", s.testWriteBack},
		{p + "RedactedSecretRefused", s.testRefused},
		{p + "EnvReferenceAndNewValueStored", s.testNewValues},
	}
}

// doc returns the field's document with the given password, and a short
// secret, a plain member and, when the field takes any JSON, a number.
func (s freeFormSpec[T]) doc(password string) json.RawMessage {
	if s.numbers {
		return json.RawMessage(`{"host":"db","port":5432.50,"password":"` + password + `","auth":{"enabled":true,"token":"` + freeFormShort + `"}}`)
	}
	return json.RawMessage(`{"Host":"db","Password":"` + password + `","X-Auth-Token":"` + freeFormShort + `"}`)
}

// members decodes a document of the field, numbers as json.Number.
func (s freeFormSpec[T]) members(t *suiteT, doc json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(doc)))
	dec.UseNumber()
	t.must(dec.Decode(&m), "decode %s %s", s.field, doc)
	return m
}

// createWith creates the entity with its field set to doc and returns it
// as stored.
func (s freeFormSpec[T]) createWith(t *suiteT, doc json.RawMessage) *T {
	t.Helper()
	if s.setup != nil {
		s.setup(t)
	}
	v := s.full()
	s.setF(v, doc)
	t.must(s.create(t.store, t.ctx, v), "create with %s %s", s.field, doc)
	got, err := s.get(t.store, t.ctx, v)
	t.must(err, "get")
	return got
}

// redacted returns doc as configstore.RedactFreeForm shows it.
func (s freeFormSpec[T]) redacted(t *suiteT, doc json.RawMessage) json.RawMessage {
	t.Helper()
	shown, err := json.Marshal(configstore.RedactFreeForm(s.members(t, doc)))
	t.must(err, "encode the redacted %s", s.field)
	return shown
}

// testWriteBack: the field as RedactFreeForm shows it, written back with
// another change, keeps the stored secrets.
func (s freeFormSpec[T]) testWriteBack(t *suiteT) {
	got := s.createWith(t, s.doc(freeFormPassword))
	want := s.members(t, s.getF(got))
	shown := s.redacted(t, s.getF(got))
	if strings.Contains(string(shown), freeFormPassword) || strings.Contains(string(shown), freeFormShort) {
		t.Fatalf("RedactFreeForm shows a secret of %s: %s", s.field, shown)
	}
	s.setF(got, shown)
	t.must(s.update(t.store, t.ctx, got), "update with %s as redacted: %s", s.field, shown)
	stored, err := s.get(t.store, t.ctx, got)
	t.must(err, "get")
	t.equal(s.members(t, s.getF(stored)), want, "%s after writing back its redacted form %s (stored %s)", s.field, shown, s.getF(stored))
	if s.numbers && !strings.Contains(string(s.getF(stored)), "5432.50") {
		t.Fatalf("%s lost the text of its number: %s", s.field, s.getF(stored))
	}
}

// testRefused: a redacted-looking value under a secret name with no stored
// value behind it, or another one, is refused, naming the member.
func (s freeFormSpec[T]) testRefused(t *suiteT) {
	if s.setup != nil {
		s.setup(t)
	}
	path := s.field + ".password"
	if !s.numbers {
		path = s.field + ".Password"
	}
	v := s.full()
	s.setF(v, s.doc("****"))
	err := s.create(t.store, t.ctx, v)
	t.wantFieldErr(err, configstore.ErrInvalid, path, "create with %s %s", s.field, s.getF(v))
	if strings.Contains(err.Error(), freeFormShort) {
		t.Fatalf("the error shows a secret: %v", err)
	}

	got := s.createWith(t, s.doc(freeFormPassword))
	before := s.getF(got)
	s.setF(got, s.doc("abc...wxyz")) // a redacted form, but not of the stored password
	err = s.update(t.store, t.ctx, got)
	t.wantFieldErr(err, configstore.ErrInvalid, path, "update with %s %s", s.field, s.getF(got))
	stored, err := s.get(t.store, t.ctx, got)
	t.must(err, "get")
	if after := s.getF(stored); string(after) != string(before) {
		t.Fatalf("a refused update changed %s from %s to %s", s.field, before, after)
	}
}

// testNewValues: an env reference and a new literal are stored as given.
func (s freeFormSpec[T]) testNewValues(t *suiteT) {
	got := s.createWith(t, s.doc(freeFormPassword))
	for _, doc := range []json.RawMessage{s.doc("env.FREE_FORM_PASSWORD"), s.doc("a-new-password-0123456789")} {
		s.setF(got, doc)
		t.must(s.update(t.store, t.ctx, got), "update with %s %s", s.field, doc)
		stored, err := s.get(t.store, t.ctx, got)
		t.must(err, "get")
		t.equal(s.members(t, s.getF(stored)), s.members(t, doc), "%s after an update with %s", s.field, doc)
		got = stored
	}
}

// testVKDuplicateValueError: the error for a taken virtual key value must
// not carry the value, nor must any other error about that key.
func testVKDuplicateValueError(t *suiteT) {
	seedWorld(t)
	a := fullVirtualKey()
	a.Value = configstore.NewEnvVar(secretLiteral)
	t.must(t.store.CreateVirtualKey(t.ctx, a), "create")
	b := &configstore.VirtualKey{ID: "vk-other", Name: "other", Value: configstore.NewEnvVar(secretLiteral)}
	err := t.store.CreateVirtualKey(t.ctx, b)
	t.wantErr(err, configstore.ErrAlreadyExists, "create a virtual key with a taken value")
	if strings.Contains(err.Error(), secretLiteral) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), secretLiteral) {
		t.Fatalf("the duplicate-value error shows the secret: %v", err)
	}
	a.TeamID = missing
	err = t.store.UpdateVirtualKey(t.ctx, a)
	t.wantErr(err, configstore.ErrInvalidReference, "update with a dangling team")
	if strings.Contains(fmt.Sprintf("%v %+v", err, err), secretLiteral) {
		t.Fatalf("an error about the virtual key shows its secret: %v", err)
	}
	a.TeamID, a.Name = team1, ""
	err = t.store.UpdateVirtualKey(t.ctx, a)
	t.wantErr(err, configstore.ErrInvalid, "update with an empty name")
	if strings.Contains(fmt.Sprintf("%v %+v", err, err), secretLiteral) {
		t.Fatalf("an error about the virtual key shows its secret: %v", err)
	}
}
