package configfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// decodeBothWays checks data as Parse does and decodes it with decodeTree
// and with encoding/json from the cleaned document. ok is decodeTree's
// answer; std is nil when encoding/json refused the cleaned document.
func decodeBothWays(t testing.TB, data []byte) (tree, std *document, ok bool) {
	t.Helper()
	if _, _, bad := syntaxProblem(data); bad {
		return nil, nil, false
	}
	root, err := parseTree(data)
	if err != nil {
		return nil, nil, false
	}
	d := newDecoder(data, root)
	d.check(make(path, 0, walkDepth), root, reflect.TypeFor[document]())
	tree = &document{}
	ok = d.decodeTree(root, reflect.ValueOf(tree).Elem())
	std = &document{}
	if json.Unmarshal(root.appendClean(nil, data), std) != nil {
		std = nil
	}
	return tree, std, ok
}

// checkDecodeTree fails when decodeTree accepted data and decoded it
// otherwise than encoding/json does.
func checkDecodeTree(t testing.TB, data []byte) bool {
	t.Helper()
	tree, std, ok := decodeBothWays(t, data)
	switch {
	case !ok:
	case std == nil:
		t.Errorf("decodeTree accepted %s, which encoding/json refuses", data)
	case !reflect.DeepEqual(tree, std):
		t.Errorf("decodeTree decoded %s\n as %+v\nwant %+v", data, tree, std)
	}
	return ok
}

// treeDecodeCases are documents that exercise decodeTree's cases: escapes,
// numbers rewritten for encoding/json, nulls, values left out, free-form
// JSON, embedded structs, maps, values encoding/json refuses.
var treeDecodeCases = []string{
	`{"providers": {"op\u0065nai": {"keys": [{"name": "k\"1", "value": "sk-\u00e9\ud83d\ude00", "models": ["a\u0062", "\u00e9", ""], "weight": 1}]}}}`,
	`{"version": 2.0, "governance": {"rate_limits": [{"id": "r", "token_max_limit": 1e3, "request_max_limit": 2}]}}`,
	`{"version": 2, "governance": {"rate_limits": [{"id": "r", "token_max_limit": 1.5}]}}`,
	`{"plugins": [null, {"name": "p"}], "client": null, "governance": {"budgets": null, "teams": [{"id": "t", "name": "n", "profile": null}]}}`,
	`{"plugins": [{"name": "p", "enabled": true, "config": {"a": [1, 2.5e-3, "x\n", null, {"b": {}}], "c": "\u003c"}}]}`,
	`{"plugins": [{"name": "p", "config": {"config_hash": 1}}]}`,
	`{"provid\u0065rs": {"a": {"keys": []}, "b": {}}, "mcp": {"client_configs": []}}`,
	`{"plugins": [{"name": "a", "name": "b"}]}`,
	`{"framework": {"x": 1}, "governance": {"roles": [1], "teams": [{"id": "t", "name": "n", "virtual_key_count": 3}]}}`,
	`{"governance": {"teams": [{"id": "t", "name": "n", "profile": {"big": 1e400}}]}}`,
	`{"governance": {"teams": [{"id": "t", "name": "n", "profile": {"k": [true, false, null, -0, 1E2]}, "config": {}, "claims": {"\u00e9": "x"}}]}}`,
	`{"governance": {"virtual_keys": [{"id": "v", "name": "n", "value": "vk-1", "team_id": "t", "mcp_configs": [{"mcp_client_id": "m", "tools_to_execute": ["*"]}, {"mcp_client_id": 3}],
	  "provider_configs": [{"provider": "openai", "weight": 0.5, "key_ids": ["*"], "allowed_models": []}]}],
	  "teams": [{"id": "t", "name": "team"}]}, "mcp": {"client_configs": [{"client_id": "m", "name": "mcp", "connection_type": "http", "connection_string": "http://x", "headers": {"A": "env.A", "B": "b"}}]}}`,
	`{"governance": {"budgets": [{"id": "b", "max_limit": "10"}], "customers": [{"id": "c", "name": "x", "budget_id": 5}]}}`,
	`{"governance": {"budgets": [{"id": "b", "max_limit": 10, "reset_duration": "1M", "current_usage": 1}]}, "auth_config": {"admin_username": "a", "admin_password": "env.P", "is_enabled": true}}`,
	`{"client": {"drop_excess_requests": true, "initial_pool_size": 300, "prometheus_labels": ["a"], "allowed_origins": ["*"]}, "vector_store": {"enabled": true, "type": "weaviate", "config": {"host": "h"}}, "logs_store": {"enabled": false, "type": "sqlite", "config": null}}`,
	`{"client": {"initial_pool_size": 99999999999999999999}, "$schema": "s", "source_of_truth": "config.json"}`,
	`{"config_store": {"enabled": true, "type": "sqlite", "config": {"path": "x.db"}}, "providers": {"openai": {"network_config": {"extra_headers": {"x": "y"}}, "keys": [{"name": "k", "value": {"value": "env.K", "from_env": false}}]}}}`,
	`[]`,
	`null`,
	`{"providers": {"openai": {"keys": [null]}}}`,
	`{"providers": {"openai": {"keys": [{"name": "k", "value": 1}]}}}`,
}

// TestDecodeTreeAsEncodingJSON checks decodeTree against encoding/json on
// the examples, which it must decode itself, and on treeDecodeCases.
func TestDecodeTreeAsEncodingJSON(t *testing.T) {
	files, err := filepath.Glob("testdata/bifrost-examples/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !checkDecodeTree(t, data) {
			t.Errorf("%s: decodeTree left the example to encoding/json", name)
		}
	}
	decoded := 0
	for _, c := range treeDecodeCases {
		if checkDecodeTree(t, []byte(c)) {
			decoded++
		}
	}
	if decoded == 0 || decoded == len(treeDecodeCases) {
		t.Errorf("decodeTree decoded %d of %d cases: the cases must cover both outcomes", decoded, len(treeDecodeCases))
	}
}

// FuzzDecodeTree checks decodeTree against encoding/json on arbitrary
// input.
func FuzzDecodeTree(f *testing.F) {
	for _, c := range treeDecodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodeTree(t, data) })
}
