package configfile_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore/configfile"
)

// TestProblemsNameNoSecret gives secrets in every wrong shape and checks
// that no problem repeats them.
func TestProblemsNameNoSecret(t *testing.T) {
	const literal, number = "sk-LEAKED-abcdefghijklmnop", "987654321987"
	data := strings.NewReplacer("LIT", literal, "NUM", number).Replace(`{
		"providers": {"openai": {
			"proxy_config": {"type": "http", "password": {"value": "LIT", "from_env": "yes"}},
			"keys": [
				{"name": "a", "value": NUM},
				{"name": "b", "value": {"value": NUM}},
				{"name": "c", "value": ["LIT"]},
				{"name": "d", "value": {"value": "LIT", "env_var": "LIT", "from_env": true}},
				{"name": "e", "value": {"value": "LIT", "LIT": 1}},
				{"name": "f", "azure_key_config": {"endpoint": NUM, "client_secret": {"value": true}}}
			]}},
		"governance": {
			"auth_config": {"admin_password": NUM, "admin_username": "LIT", "is_enabled": "LIT"},
			"virtual_keys": [{"id": "1", "name": "x", "value": "LIT"}, {"id": "2", "name": "y", "value": "LIT"}]},
		"mcp": {"client_configs": [{"name": "m", "connection_type": "http", "connection_string": NUM, "headers": {"Authorization": NUM}}]}
	}`)
	_, err := configfile.Parse([]byte(data))
	var e *configfile.Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse: %v", err)
	}
	if len(e.Problems) < 12 {
		t.Errorf("only %d problems:\n%v", len(e.Problems), err)
	}
	for _, p := range e.Problems {
		if line := p.String(); strings.Contains(line, "LEAKED") || strings.Contains(line, number) {
			t.Errorf("problem repeats a secret: %s", p)
		}
	}
}
