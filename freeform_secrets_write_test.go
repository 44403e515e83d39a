package configstore

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// redactedJSON returns RedactFreeForm of doc, encoded: what an export or a
// redacted read shows of it.
func redactedJSON(t *testing.T, doc string) string {
	t.Helper()
	v, err := decodeUseNumber([]byte(doc))
	if err != nil {
		t.Fatalf("%s: %v", doc, err)
	}
	b, err := json.Marshal(RedactFreeForm(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMergeRedactedJSON(t *testing.T) {
	const long = "sk-live-0123456789abcdef" // redacted "sk-...cdef"
	tests := []struct {
		name, doc, stored, want string // want "" means doc unchanged
	}{
		{"short secret kept, the rest byte for byte",
			`{ "host":"db", "password" : "****", "port": 5432.50 }`,
			`{"password":"hunter2-secret","host":"old"}`,
			`{ "host":"db", "password" : "hunter2-secret", "port": 5432.50 }`},
		{"long secret kept", `{"api_key":"sk-...cdef"}`, `{"api_key":"` + long + `"}`, `{"api_key":"` + long + `"}`},
		{"another secret's redaction is not replaced", `{"api_key":"sk-...abcd"}`, `{"api_key":"` + long + `"}`, ""},
		{"nothing stored there", `{"password":"****"}`, `{"user":"x"}`, ""},
		{"stored under another name", `{"password":"****"}`, `{"passwd":"hunter2"}`, ""},
		{"stored empty", `{"password":"****"}`, `{"password":""}`, ""},
		{"a number comes back with its text", `{"pin":"****","password":"****"}`, `{"password":12345.0}`, `{"pin":"****","password":12345.0}`},
		{"nested under a secret name", `{"basic_auth":{"username":"****","password":"****"}}`,
			`{"basic_auth":{"username":"admin","password":"pw"}}`, `{"basic_auth":{"username":"admin","password":"pw"}}`},
		{"lists by index", `{"servers":[{"token":"****"},{"token":"****"}]}`, `{"servers":[{"token":"t-1"}]}`,
			`{"servers":[{"token":"t-1"},{"token":"****"}]}`},
		{"object form of a secret", `{"password":{"value":"****","env_var":"env.PW","from_env":true}}`,
			`{"password":{"value":"hunter2","env_var":"env.PW","from_env":true}}`,
			`{"password":{"value":"hunter2","env_var":"env.PW","from_env":true}}`},
		{"not a secret name", `{"mask":"****"}`, `{"mask":"hunter2"}`, ""},
		{"env reference untouched", `{"password":"env.DB_PASSWORD"}`, `{"password":"hunter2"}`, ""},
		{"new value untouched", `{"password":"a-new-password"}`, `{"password":"hunter2"}`, ""},
		{"HTML characters not escaped", `{"password":"****"}`, `{"password":"<&>"}`, `{"password":"<&>"}`},
		{"duplicate names", `{"password":"****","password":"****"}`, `{"password":"pw"}`, `{"password":"pw","password":"pw"}`},
		{"stored not JSON", `{"password":"****"}`, `{"password":`, ""},
		{"not an object", `["****"]`, `["pw"]`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := mergeRedactedJSON([]byte(tc.doc), func() []byte { return []byte(tc.stored) })
			want := tc.want
			if want == "" {
				want = tc.doc
			}
			if string(got) != want || changed != (tc.want != "") {
				t.Errorf("merge(%s, %s) = %s, %v; want %s, %v", tc.doc, tc.stored, got, changed, want, tc.want != "")
			}
		})
	}
}

// A document read back redacted merges into the stored one exactly.
func TestMergeRedactedJSONRoundTrip(t *testing.T) {
	stored := `{"type":"postgres","host":"localhost","port":5432,"user":"bifrost","password":"bifrost_password",` +
		`"db_name":"bifrost","api_key":"sk-live-0123456789abcdef","auth":{"enabled":true,"token":12},` +
		`"tokens":["a","env.B"],"headers":{"Authorization":"Bearer sk-live-0123456789abcdef"}}`
	shown := redactedJSON(t, stored)
	if strings.Contains(shown, "bifrost_password") {
		t.Fatalf("redacted shows the secret: %s", shown)
	}
	got, changed := mergeRedactedJSON([]byte(shown), func() []byte { return []byte(stored) })
	if !changed {
		t.Fatalf("nothing merged into %s", shown)
	}
	if want := redactedJSONOrder(t, stored); string(got) != want {
		t.Errorf("merged\n%s\nwant\n%s", got, want)
	}
}

// redactedJSONOrder returns doc as encoding/json re-encodes it (sorted
// keys): the order of RedactFreeForm's encoding.
func redactedJSONOrder(t *testing.T, doc string) string {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFreeFormFieldsFoundByType(t *testing.T) {
	names := func(v any) []string {
		var out []string
		_, _ = walkFreeForms(reflect.ValueOf(v).Elem(), reflect.Value{}, "", func(path string, _, _ reflect.Value) (bool, error) {
			out = append(out, path)
			return false, nil
		})
		return out
	}
	key := &Key{Aliases: map[string]string{"a": "b"}, BedrockKeyConfig: &BedrockKeyConfig{
		Deployments: map[string]string{"m": "d"}, BatchS3Config: map[string]any{"bucket": "x"}}}
	got := names(key)
	want := []string{"aliases", "bedrock_key_config.deployments", "bedrock_key_config.batch_s3_config"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Key free-form fields: %v, want %v", got, want)
	}
	prov := &Provider{NetworkConfig: &NetworkConfig{}, CustomProviderConfig: &CustomProviderConfig{}}
	if got, want := names(prov), []string{"network_config.extra_headers", "network_config.beta_header_overrides", "custom_provider_config.request_path_overrides"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Provider free-form fields: %v, want %v", got, want)
	}
	if got := names(&VirtualKey{}); got != nil {
		t.Errorf("VirtualKey has free-form fields %v", got)
	}
	if holdsFreeForm(reflect.TypeFor[VirtualKey]()) || holdsFreeForm(reflect.TypeFor[MCPClient]()) {
		t.Error("VirtualKey or MCPClient holds a free-form value: their writes would walk it")
	}
}

func TestCheckFreeFormsNotRedacted(t *testing.T) {
	tests := []struct {
		name string
		v    any
		path string // "" for no error
	}{
		{"plugin config", &Plugin{Config: json.RawMessage(`{"password":"****"}`)}, "config.password"},
		{"plugin config nested list", &Plugin{Config: json.RawMessage(`{"servers":[{"name":"a"},{"api_key":"sk-...abcd"}]}`)}, "config.servers[1].api_key"},
		{"plugin config env reference", &Plugin{Config: json.RawMessage(`{"password":"env.PW","token":"a-real-token"}`)}, ""},
		{"plugin config not a secret name", &Plugin{Config: json.RawMessage(`{"placeholder":"****"}`)}, ""},
		{"log store", &LogStoreConfig{Config: json.RawMessage(`{"dsn":"pos...able"}`)}, "config.dsn"},
		{"extra headers", &Provider{NetworkConfig: &NetworkConfig{ExtraHeaders: map[string]string{"X-Trace": "****", "Authorization": "Bea...cdef"}}},
			"network_config.extra_headers.Authorization"},
		{"team profile", &Team{Profile: map[string]any{"oauth": map[string]any{"client_secret": "****"}}}, "profile.oauth.client_secret"},
		{"bedrock batch config", &Key{BedrockKeyConfig: &BedrockKeyConfig{BatchS3Config: map[string]any{"secret_access_key": "****"}}},
			"bedrock_key_config.batch_s3_config.secret_access_key"},
		{"nothing free-form", &Budget{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkFreeFormsNotRedacted(tc.v)
			if tc.path == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var fe *FieldError
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Path != tc.path {
				t.Fatalf("error %v; want ErrInvalid at %s", err, tc.path)
			}
			if !strings.Contains(err.Error(), tc.path+": is a redacted secret") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestKeepRedactedFreeForms(t *testing.T) {
	stored := &Provider{Name: "p", NetworkConfig: &NetworkConfig{ExtraHeaders: map[string]string{
		"Authorization": "Bearer sk-live-0123456789abcdef", "X-Api-Key": "short", "X-Trace": "on"}}}
	next := &Provider{Name: "p", NetworkConfig: &NetworkConfig{ExtraHeaders: map[string]string{
		"Authorization": "Bea...cdef", "X-Api-Key": "****", "X-Trace": "off", "X-New-Token": "****"}}}
	keepRedactedFreeForms(next, stored)
	want := map[string]string{"Authorization": "Bearer sk-live-0123456789abcdef", "X-Api-Key": "short", "X-Trace": "off", "X-New-Token": "****"}
	if got := next.NetworkConfig.ExtraHeaders; !reflect.DeepEqual(got, want) {
		t.Errorf("extra headers %v, want %v", got, want)
	}
	if err := checkFreeFormsNotRedacted(next); err == nil || !strings.Contains(err.Error(), "network_config.extra_headers.X-New-Token") {
		t.Errorf("the redacted header without a stored value: %v", err)
	}

	team := &Team{Profile: map[string]any{"name": "x", "api": map[string]any{"api_key": json.Number("12345")}}}
	nextTeam := &Team{Profile: map[string]any{"name": "y", "api": map[string]any{"api_key": "****"}}}
	keepRedactedFreeForms(nextTeam, team)
	if got := nextTeam.Profile["api"].(map[string]any)["api_key"]; got != json.Number("12345") || nextTeam.Profile["name"] != "y" {
		t.Errorf("team profile after merge: %v", nextTeam.Profile)
	}

	// Lists of structs are walked by index, maps of structs by key.
	type holder struct {
		List []Plugin          `json:"list"`
		Map  map[string]Plugin `json:"map"`
	}
	old := &holder{List: []Plugin{{Config: json.RawMessage(`{"token":"t-1"}`)}}, Map: map[string]Plugin{"a": {Config: json.RawMessage(`{"token":"t-2"}`)}}}
	nv := &holder{List: []Plugin{{Config: json.RawMessage(`{"token":"****"}`)}, {Config: json.RawMessage(`{"token":"****"}`)}},
		Map: map[string]Plugin{"a": {Config: json.RawMessage(`{"token":"****"}`)}, "b": {Config: json.RawMessage(`{"token":"****"}`)}}}
	keepRedactedFreeForms(nv, old)
	if string(nv.List[0].Config) != `{"token":"t-1"}` || string(nv.Map["a"].Config) != `{"token":"t-2"}` {
		t.Errorf("merged %s, %s", nv.List[0].Config, nv.Map["a"].Config)
	}
	err := checkFreeFormsNotRedacted(nv)
	var fe *FieldError
	if !errors.As(err, &fe) || (fe.Path != "list[1].config.token" && fe.Path != "map.b.config.token") {
		t.Errorf("check after merge: %v", err)
	}
}

func TestRedactFreeForms(t *testing.T) {
	plugins := []Plugin{
		{Name: "a", Config: json.RawMessage(`{"password": "hunter2-very-secret", "url": "http://x", "n": 1.50}`)},
		{Name: "b", Config: json.RawMessage(`{"api_key": "env.B_KEY"}`)},
	}
	if err := RedactFreeForms(plugins); err != nil {
		t.Fatal(err)
	}
	if got, want := string(plugins[0].Config), `{"n":1.50,"password":"hun...cret","url":"http://x"}`; got != want {
		t.Errorf("redacted config = %s, want %s", got, want)
	}
	if got, want := string(plugins[1].Config), `{"api_key":"env.B_KEY"}`; got != want {
		t.Errorf("an env reference = %s, want it kept: %s", got, want)
	}
	p := &Provider{Name: "p", NetworkConfig: &NetworkConfig{ExtraHeaders: map[string]string{"Authorization": "Bearer abcdefghijkl", "X-Trace": "on"}}}
	if err := RedactFreeForms(p); err != nil {
		t.Fatal(err)
	}
	if h := p.NetworkConfig.ExtraHeaders; h["Authorization"] == "Bearer abcdefghijkl" || h["X-Trace"] != "on" {
		t.Errorf("redacted headers = %v", h)
	}
}
