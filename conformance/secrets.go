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
