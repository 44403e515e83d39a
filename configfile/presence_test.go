package configfile_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore/configfile"
)

// presenceOf returns every section Missing but those given.
func presenceOf(states map[configfile.Section]configfile.Presence) map[configfile.Section]configfile.Presence {
	all := map[configfile.Section]configfile.Presence{}
	for _, s := range configfile.Sections() {
		all[s] = configfile.Missing
	}
	maps.Copy(all, states)
	return all
}

func TestPresence(t *testing.T) {
	cases := []struct {
		name string
		json string
		want map[configfile.Section]configfile.Presence
	}{
		{"nothing", `{}`, presenceOf(nil)},
		{"one governance section empty", `{"governance": {"virtual_keys": []}}`,
			presenceOf(map[configfile.Section]configfile.Presence{configfile.SectionVirtualKeys: configfile.Empty})},
		{"empty object", `{"providers": {}, "client": {}}`, presenceOf(map[configfile.Section]configfile.Presence{
			configfile.SectionProviders: configfile.Empty, configfile.SectionClient: configfile.Empty})},
		{"null is present", `{"plugins": null, "governance": {"budgets": null}, "mcp": {"client_configs": null}, "vector_store": null}`,
			presenceOf(map[configfile.Section]configfile.Presence{
				configfile.SectionPlugins: configfile.Present, configfile.SectionBudgets: configfile.Present,
				configfile.SectionMCPClients: configfile.Present, configfile.SectionVectorStore: configfile.Present})},
		{"a null parent has no sections", `{"governance": null, "mcp": null}`, presenceOf(nil)},
		{"with entries", `{"plugins": [{"name": "p", "enabled": true}], "governance": {"teams": [{"id": "t", "name": "t"}], "customers": []},
			"logs_store": {"enabled": false}}`, presenceOf(map[configfile.Section]configfile.Presence{
			configfile.SectionPlugins: configfile.Present, configfile.SectionTeams: configfile.Present,
			configfile.SectionCustomers: configfile.Empty, configfile.SectionLogsStore: configfile.Present})},
		{"deprecated top-level auth_config", `{"auth_config": {"is_enabled": false}}`,
			presenceOf(map[configfile.Section]configfile.Presence{configfile.SectionAuthConfig: configfile.Present})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, tc.json)
			if !maps.Equal(f.Presence, tc.want) {
				t.Errorf("presence %v, want %v", f.Presence, tc.want)
			}
			for s, p := range tc.want {
				if f.Has(s) != (p != configfile.Missing) {
					t.Errorf("Has(%s) = %v with presence %v", s, f.Has(s), p)
				}
			}
		})
	}
}

func TestNotManagedSections(t *testing.T) {
	f := mustParse(t, `{
		"websocket": {"anything": [1, 2]},
		"encryption_key": "env.ENCRYPTION_KEY",
		"governance": {"roles": [{"name": "r", "whatever": true}], "budgets": [], "business_units": [], "pricing_overrides": [], "providers": []},
		"framework": {"pricing": {}},
		"mcp": {"tool_groups": [], "client_configs": [], "tool_manager_config": {}, "tool_sync_interval": "10m"},
		"guardrails_config": {}, "audit_logs": {}, "cluster_config": {}, "load_balancer_config": {},
		"large_payload_optimization": {}, "scim_config": {}, "access_profiles": [], "feature_flags": {}
	}`)
	want := []string{
		"websocket", "encryption_key", "governance.roles", "governance.business_units", "governance.pricing_overrides",
		"governance.providers", "framework", "mcp.tool_groups", "mcp.tool_manager_config", "mcp.tool_sync_interval",
		"guardrails_config", "audit_logs", "cluster_config", "load_balancer_config", "large_payload_optimization",
		"scim_config", "access_profiles", "feature_flags",
	}
	if !slices.Equal(f.NotManaged, want) {
		t.Errorf("not managed:\n  %v\nwant, in file order:\n  %v", f.NotManaged, want)
	}
	if f.Presence[configfile.SectionBudgets] != configfile.Empty || f.Presence[configfile.SectionMCPClients] != configfile.Empty {
		t.Errorf("presence %v", f.Presence)
	}
}
