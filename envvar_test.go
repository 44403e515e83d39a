package configstore_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

const literalSecret = "sk-live-0123456789abcdef"

func TestEnvVarInputForms(t *testing.T) {
	cases := []struct {
		in        string
		ref       bool
		stored    string
		wantError bool
	}{
		{in: `"env.OPENAI_API_KEY"`, ref: true, stored: "env.OPENAI_API_KEY"},
		{in: `"sk-123"`, stored: "sk-123"},
		{in: `{"value": "sk-abc", "env_var": "", "from_env": false}`, stored: "sk-abc"},
		{in: `{"value": "", "env_var": "env.MY_KEY", "from_env": true}`, ref: true, stored: "env.MY_KEY"},
		{in: `{"env_var": "MY_KEY", "from_env": true}`, wantError: true},
		{in: `{"value": "x", "unknown": 1}`, wantError: true},
		{in: `"env.not a name"`, stored: "env.not a name"},
		{in: `null`, stored: ""},
	}
	for _, c := range cases {
		var e configstore.EnvVar
		err := json.Unmarshal([]byte(c.in), &e)
		if c.wantError {
			if err == nil {
				t.Errorf("%s: decoded without error", c.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if e.IsReference() != c.ref || e.Stored() != c.stored {
			t.Errorf("%s: IsReference=%v Stored=%q, want %v %q", c.in, e.IsReference(), e.Stored(), c.ref, c.stored)
		}
	}
}

func TestEnvVarResolve(t *testing.T) {
	t.Setenv("CONFIGSTORE_TEST_SECRET", "resolved-value")
	v, err := configstore.NewEnvVar("env.CONFIGSTORE_TEST_SECRET").Resolve()
	if err != nil || v != "resolved-value" {
		t.Fatalf("Resolve() = %q, %v", v, err)
	}
	_, err = configstore.NewEnvVar("env.CONFIGSTORE_TEST_UNSET_VAR").Resolve()
	if err == nil || !strings.Contains(err.Error(), "CONFIGSTORE_TEST_UNSET_VAR") {
		t.Fatalf("unset variable: err = %v, want an error naming the variable", err)
	}
	if !errors.Is(err, configstore.ErrInvalidReference) {
		t.Fatalf("unset variable: %v does not wrap ErrInvalidReference", err)
	}
	t.Setenv("CONFIGSTORE_TEST_EMPTY", "")
	if v, err := configstore.EnvRef("CONFIGSTORE_TEST_EMPTY").Resolve(); err != nil || v != "" {
		t.Fatalf("set but empty variable: %q, %v", v, err)
	}
	if v, _ := configstore.NewEnvVar(literalSecret).Resolve(); v != literalSecret {
		t.Fatalf("literal resolves to %q", v)
	}
}

func TestEnvVarNeverPrintsLiteral(t *testing.T) {
	e := configstore.NewEnvVar(literalSecret)
	type holder struct{ Key configstore.EnvVar }
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("key", "value", e, "holder", holder{e})
	js, err := json.Marshal(holder{e})
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"String": e.String(), "%v": fmt.Sprintf("%v", e), "%+v": fmt.Sprintf("%+v", holder{e}),
		"%#v": fmt.Sprintf("%#v", holder{e}), "%s": fmt.Sprintf("%s", e), "%q": fmt.Sprintf("%q", e),
		"json": string(js), "slog": logBuf.String(), "error": fmt.Errorf("bad key %v", e).Error(),
	}
	for name, out := range outputs {
		if strings.Contains(out, literalSecret) || strings.Contains(out, "0123456789") {
			t.Errorf("%s prints the secret: %s", name, out)
		}
		if !strings.Contains(out, "sk-...cdef") {
			t.Errorf("%s = %s, want the redacted form sk-...cdef", name, out)
		}
	}
	if got := configstore.NewEnvVar("short").String(); got != "****" {
		t.Errorf("short literal prints %q, want ****", got)
	}
	if got := configstore.NewEnvVar("env.OPENAI_API_KEY").String(); got != "env.OPENAI_API_KEY" {
		t.Errorf("reference prints %q, want the reference", got)
	}
}

// TestEntitiesNeverPrintNestedSecrets: fmt prints nested values raw after a
// bad verb (a pointer under %s), bypassing String; secrets must not show.
func TestEntitiesNeverPrintNestedSecrets(t *testing.T) {
	key := configstore.Key{ID: "k", Provider: "azure", Name: "k", Value: configstore.NewEnvVar(literalSecret),
		AzureKeyConfig: &configstore.AzureKeyConfig{ClientSecret: configstore.NewEnvVar(literalSecret)}}
	prov := configstore.Provider{Name: "p", ProxyConfig: &configstore.ProxyConfig{Type: "http", Password: configstore.NewEnvVar(literalSecret)}}
	for _, verb := range []string{"%s", "%q", "%v", "%+v", "%#v", "%x", "%d", "%t"} {
		for name, v := range map[string]any{"key": key, "*key": &key, "provider": prov, "*provider": &prov} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, "0123456789") {
				t.Errorf("%s of %s prints the secret: %s", verb, name, out)
			}
		}
	}
}

func TestRedactedKeepsRunesWhole(t *testing.T) {
	e := configstore.NewEnvVar("ääpasswort-geheim-123")
	if r := e.Redacted(); r != "ääp...-123" {
		t.Fatalf("Redacted() = %q, want ääp...-123", r)
	}
}

func TestEnvRefRejectsBadNames(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("EnvRef accepted a name that would read back as a literal")
		}
	}()
	configstore.EnvRef("OPENAI-KEY")
}
