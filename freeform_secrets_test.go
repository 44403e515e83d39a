package configstore_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

func TestIsSecretName(t *testing.T) {
	secret := []string{
		"password", "PASSWORD", "Password", "db_password", "DB_PASSWORD", "passwd", "passphrase",
		"secret", "client_secret", "clientSecret", "secret_access_key", "secrets",
		"token", "auth_token", "session_token", "apiToken", "X-Auth-Token",
		"api_key", "apikey", "ApiKey", "APIKey", "apiKey", "X-Api-Key", "x-api-key", "XAPIKey", "X_API_KEY",
		"access_key", "accessKey", "private_key", "privateKey", "encryption_key", "hmac_key",
		"credential", "credentials", "auth_credentials", "credentials_json", "Credentials",
		"auth", "basic_auth", "Authorization", "authorization", "Proxy-Authorization",
		"Cookie", "dsn", "sentry_dsn", "keys", "api_keys",
	}
	plain := []string{
		"", "key", "Key", "host", "port", "user", "username", "db_name", "ssl_mode", "path",
		"max_tokens", "token_max_limit", "auth_type", "authType", "AuthType", "is_vk_mandatory",
		"keyword", "monkey", "tokenizer", "authors", "oauth_config_id", "access_key_id", "author",
		"Content-Type", "X-Request-Id", "value", "env_var", "from_env", "-", "__",
	}
	for _, name := range secret {
		if !configstore.IsSecretName(name) {
			t.Errorf("IsSecretName(%q) = false, want true", name)
		}
	}
	for _, name := range plain {
		if configstore.IsSecretName(name) {
			t.Errorf("IsSecretName(%q) = true, want false", name)
		}
	}
}

// decode decodes JSON as the store's readers do (numbers as json.Number).
func decode(t *testing.T, doc string) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", doc, err)
	}
	return v
}

func TestRedactFreeForm(t *testing.T) {
	const long = "sk-live-0123456789abcdef" // 24 characters: "sk-...cdef"
	tests := []struct {
		name, in, want string
	}{
		{"logs_store postgres",
			`{"host": "localhost", "port": "5432", "user": "bifrost", "password": "bifrost_password", "db_name": "bifrost", "ssl_mode": "disable"}`,
			`{"db_name":"bifrost","host":"localhost","password":"bif...word","port":"5432","ssl_mode":"disable","user":"bifrost"}`},
		{"short secret fully masked", `{"password": "hunter2"}`, `{"password":"****"}`},
		{"long secret as EnvVar redacts it", `{"api_key": "` + long + `"}`, `{"api_key":"sk-...cdef"}`},
		{"env reference kept", `{"password": "env.LOGS_DB_PASSWORD", "api_key": "env.KEY"}`,
			`{"api_key":"env.KEY","password":"env.LOGS_DB_PASSWORD"}`},
		{"not a reference", `{"token": "env.not-a-name"}`, `{"token":"****"}`},
		{"empty secret stays empty", `{"password": ""}`, `{"password":""}`},
		{"case-insensitive", `{"PASSWORD": "hunter2", "Api_Key": "abc", "X-API-KEY": "abc", "Authorization": "Bearer abc"}`,
			`{"Api_Key":"****","Authorization":"****","PASSWORD":"****","X-API-KEY":"****"}`},
		{"nested objects", `{"push_gateway": {"url": "http://pg:9091", "basic_auth": {"username": "admin", "password": "pw"}}}`,
			`{"push_gateway":{"basic_auth":{"password":"****","username":"****"},"url":"http://pg:9091"}}`},
		{"arrays", `{"servers": [{"name": "a", "token": "t-1"}, {"name": "b", "token": "env.B_TOKEN"}], "tags": ["x", "y"]}`,
			`{"servers":[{"name":"a","token":"****"},{"name":"b","token":"env.B_TOKEN"}],"tags":["x","y"]}`},
		{"list under a secret name", `{"api_keys": ["k1", "env.K2", 3]}`, `{"api_keys":["****","env.K2","****"]}`},
		{"object form of a secret", `{"password": {"value": "hunter2", "env_var": "env.PW", "from_env": true}}`,
			`{"password":{"env_var":"env.PW","from_env":true,"value":"****"}}`},
		{"numbers masked, booleans and nulls kept", `{"password": 123456, "auth": {"enabled": true, "realm": null, "ttl": 30}}`,
			`{"auth":{"enabled":true,"realm":null,"ttl":"****"},"password":"****"}`},
		{"non-secret members untouched", `{"is_vk_mandatory": true, "limit": 1.50, "max_tokens": 4096, "auth_type": "headers", "key": "model", "headers": {"Content-Type": "application/json"}}`,
			`{"auth_type":"headers","headers":{"Content-Type":"application/json"},"is_vk_mandatory":true,"key":"model","limit":1.50,"max_tokens":4096}`},
		{"headers", `{"headers": {"Authorization": "Bearer ` + long + `", "X-Trace": "on"}}`,
			`{"headers":{"Authorization":"Bea...cdef","X-Trace":"on"}}`},
		{"scalar document", `"hunter2"`, `"hunter2"`},
		{"list document", `[{"secret": "s"}, "plain"]`, `[{"secret":"****"},"plain"]`},
		{"null document", `null`, `null`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := decode(t, tc.in)
			before, _ := json.Marshal(in)
			got, err := json.Marshal(configstore.RedactFreeForm(in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("RedactFreeForm(%s)\n got %s\nwant %s", tc.in, got, tc.want)
			}
			if after, _ := json.Marshal(in); !bytes.Equal(before, after) {
				t.Errorf("RedactFreeForm changed its argument: %s, was %s", after, before)
			}
		})
	}
}

// The redaction of a free-form secret is EnvVar's, so that a secret looks
// the same in a plan or export whether it is typed or free-form.
func TestRedactFreeFormMatchesEnvVar(t *testing.T) {
	for _, s := range []string{"", "x", "hunter2", "bifrost_password", "sk-live-0123456789abcdef", "env.NAME", "päßwörd-ünïcödé-long"} {
		got := configstore.RedactFreeForm(map[string]any{"password": s}).(map[string]any)["password"]
		if want := configstore.NewEnvVar(s).Redacted(); got != want {
			t.Errorf("%q redacts to %q, EnvVar to %q", s, got, want)
		}
	}
}
