package configstore_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
)

func TestEnvReferences(t *testing.T) {
	mcp := &configstore.MCPClient{
		Name:             "tools",
		ConnectionString: configstore.NewEnvVar("env.MCP_URL"),
		Headers: map[string]configstore.EnvVar{
			"X-Literal":     configstore.NewEnvVar("a-literal-header-value"),
			"Authorization": configstore.NewEnvVar("env.MCP_TOKEN"),
		},
	}
	keys := []configstore.Key{
		{Name: "a", Value: configstore.NewEnvVar("sk-literal-value-0123456789")},
		{Name: "b", Value: configstore.NewEnvVar("env.B_KEY"),
			AzureKeyConfig: &configstore.AzureKeyConfig{Endpoint: configstore.NewEnvVar("env.AZURE_ENDPOINT")}},
	}
	for _, tc := range []struct {
		name string
		v    any
		want []configstore.EnvReference
	}{
		{"entity pointer", mcp, []configstore.EnvReference{
			{Path: "connection_string", Name: "MCP_URL"}, {Path: "headers.Authorization", Name: "MCP_TOKEN"}}},
		{"slice", keys, []configstore.EnvReference{
			{Path: "[1].azure_key_config.endpoint", Name: "AZURE_ENDPOINT"}, {Path: "[1].value", Name: "B_KEY"}}},
		{"literal only", keys[0], nil},
		{"nil", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := configstore.EnvReferences(tc.v); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("EnvReferences = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMigrationStatusUnsupported(t *testing.T) {
	store := configstore.New(memory.New(memory.Options{}))
	defer store.Close()
	if _, err := configstore.MigrationStatus(context.Background(), store); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("memory backend: err = %v, want errors.ErrUnsupported", err)
	}
}
