package conformance

import (
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

func vkID(v *configstore.VirtualKey) string { return v.ID }

var virtualKeySuite = kindSuite[configstore.VirtualKey]{
	kind:  "virtual_key",
	setup: seedWorld,
	make: func(key string) *configstore.VirtualKey {
		return &configstore.VirtualKey{ID: key, Name: "vk " + key, Value: configstore.NewEnvVar("sk-bf-" + key + "-0123456789abcdef")}
	},
	full: fullVirtualKey,
	variants: []variant[configstore.VirtualKey]{
		{"OwnedByCustomer", func(v *configstore.VirtualKey) { v.TeamID, v.CustomerID = "", customer1 }},
		{"ValueEnvReference", func(v *configstore.VirtualKey) { v.Value = configstore.EnvRef("VK_VALUE") }},
		{"SingleProviderConfigAllKeys", func(v *configstore.VirtualKey) {
			v.ProviderConfigs = []configstore.VirtualKeyProviderConfig{{Provider: provOpenAI, KeyIDs: []string{configstore.AllKeys}}}
			v.MCPConfigs = nil
		}},
		{"ProviderConfigWithoutKeys", func(v *configstore.VirtualKey) {
			v.ProviderConfigs = []configstore.VirtualKeyProviderConfig{{Provider: provOpenAI, Weight: ptr(0.0), AllowedModels: []string{"gpt-4o"}}}
		}},
	},
	mutate: func(v *configstore.VirtualKey) {
		v.Description += " ✓"
		v.IsActive = !v.IsActive
	},
	key:         vkID,
	generatesID: true,
	setKey:      func(v *configstore.VirtualKey, id string) { v.ID = id },
	create:      configstore.ConfigStore.CreateVirtualKey,
	get:         getByKey(configstore.ConfigStore.GetVirtualKey, vkID),
	list:        configstore.ConfigStore.ListVirtualKeys,
	update:      configstore.ConfigStore.UpdateVirtualKey,
	del:         deleteByKey(configstore.ConfigStore.DeleteVirtualKey, vkID),
	uniques: []uniqueField[configstore.VirtualKey]{
		{"Name", func(to, from *configstore.VirtualKey) { to.Name = from.Name }, func(v *configstore.VirtualKey) { v.Name = strings.ToUpper(v.Name) }},
		{"Value", func(to, from *configstore.VirtualKey) { to.Value = from.Value },
			func(v *configstore.VirtualKey) { v.Value = configstore.NewEnvVar(strings.ToUpper(v.Value.Stored())) }},
	},
	refs: []refField[configstore.VirtualKey]{
		{"team_id", func(v *configstore.VirtualKey) { v.TeamID = missing }},
		{"customer_id", func(v *configstore.VirtualKey) { v.TeamID, v.CustomerID = "", missing }},
		{"rate_limit_id", func(v *configstore.VirtualKey) { v.RateLimitID = missing }},
		{"provider_configs[0].rate_limit_id", func(v *configstore.VirtualKey) { v.ProviderConfigs[0].RateLimitID = missing }},
		{"provider_configs[0].key_ids[0]", func(v *configstore.VirtualKey) { v.ProviderConfigs[0].KeyIDs = []string{missing, keyOpenAI1} }},
		{"provider_configs[0].key_ids[1]", func(v *configstore.VirtualKey) { v.ProviderConfigs[0].KeyIDs = []string{keyOpenAI1, missing} }},
		{"provider_configs[1].key_ids[0]", func(v *configstore.VirtualKey) { v.ProviderConfigs[1].KeyIDs = []string{missing} }},
		{"mcp_configs[1].mcp_client_name", func(v *configstore.VirtualKey) { v.MCPConfigs[1].MCPClientName = "no such client" }},
	},
	invalid: []invalidCase[configstore.VirtualKey]{
		{"TeamAndCustomer", "team_id", func(v *configstore.VirtualKey) { v.CustomerID = customer1 }},
		{"BlankName", "name", func(v *configstore.VirtualKey) { v.Name = "" }},
		{"NoValue", "value", func(v *configstore.VirtualKey) { v.Value = configstore.EnvVar{} }},
		{"EmptyProviderName", "provider_configs[1].provider", func(v *configstore.VirtualKey) { v.ProviderConfigs[1].Provider = "" }},
		{"ProviderConfiguredTwice", "provider_configs[1].provider", func(v *configstore.VirtualKey) { v.ProviderConfigs[1].Provider = provOpenAI }},
		{"NegativeProviderWeight", "provider_configs[0].weight", func(v *configstore.VirtualKey) { v.ProviderConfigs[0].Weight = ptr(-1.0) }},
		{"AllKeysWithOtherKeys", "provider_configs[1].key_ids", func(v *configstore.VirtualKey) {
			v.ProviderConfigs[1].KeyIDs = []string{configstore.AllKeys, keyAnthropic1}
		}},
		{"KeyListedTwice", "provider_configs[0].key_ids[2]", func(v *configstore.VirtualKey) {
			v.ProviderConfigs[0].KeyIDs = []string{keyOpenAI1, keyOpenAI2, keyOpenAI1}
		}},
		{"EmptyKeyID", "provider_configs[0].key_ids[1]", func(v *configstore.VirtualKey) { v.ProviderConfigs[0].KeyIDs = []string{keyOpenAI1, ""} }},
		{"MCPClientConfiguredTwice", "mcp_configs[1].mcp_client_name", func(v *configstore.VirtualKey) { v.MCPConfigs[1].MCPClientName = mcpClient2Name }},
		{"EmptyMCPClientName", "mcp_configs[0].mcp_client_name", func(v *configstore.VirtualKey) { v.MCPConfigs[0].MCPClientName = "" }},
	},
}

func virtualKeyTests() []test {
	ts := virtualKeySuite.tests()
	ts = append(ts,
		test{"KeyOfAnotherProvider", testVKKeyOfOtherProvider},
		test{"ProviderConfigsReplacedOnUpdate", testVKPartsReplaced},
		test{"ListIncludesEachKeysParts", testVKListParts},
		test{"MCPConfigFollowsClientRename", testVKMCPRename},
		test{"GetByValue", testVKByValue},
		test{"GetByValueEnvReference", testVKByValueRef},
		test{"GetByValueNotFound", testVKByValueNotFound},
		test{"GetByValueFollowsValueChange", testVKByValueChange},
		test{"ManyPartsKeepTheirOrder", testVKManyParts},
		test{"GetByValueIsExactMatch", testVKByValueExact},
		test{"DescriptionWithNULOrInvalidUTF8", testVKOddText},
	)
	ts = append(ts, cascadeTests("VirtualKey")...)
	ts = append(ts, secretTests("VirtualKey")...)
	return ts
}

func testVKKeyOfOtherProvider(t *suiteT) {
	seedWorld(t)
	before := t.revision()
	v := fullVirtualKey()
	v.ProviderConfigs[0].KeyIDs = []string{keyAnthropic1}
	t.wantFieldErr(t.store.CreateVirtualKey(t.ctx, v), configstore.ErrInvalidReference, "provider_configs[0].key_ids[0]",
		"create a virtual key whose %q provider config lists a key of %q", provOpenAI, provAnthropic)
	t.wantNoChange(before, "a refused create")
}

func testVKPartsReplaced(t *suiteT) {
	seedWorld(t)
	v := fullVirtualKey()
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	v.ProviderConfigs = []configstore.VirtualKeyProviderConfig{
		{Provider: provAnthropic, Weight: ptr(2.5), KeyIDs: []string{keyAnthropic1}},
		{Provider: provOpenAI, KeyIDs: []string{keyOpenAI1}, BlacklistedModels: []string{}},
	}
	v.MCPConfigs = []configstore.VirtualKeyMCPConfig{{MCPClientName: mcpClient1Name, ToolsToExecute: []string{"list"}}}
	want := *v
	t.must(t.store.UpdateVirtualKey(t.ctx, v), "update with other provider and MCP configs")
	copyServerFields(&want, v)
	got, err := t.store.GetVirtualKey(t.ctx, v.ID)
	t.must(err, "get")
	t.equal(got, &want, "virtual key after replacing its provider configs")

	// keyOpenAI2 is no longer used: it can be deleted; keyOpenAI1 still is.
	t.must(t.store.DeleteKey(t.ctx, keyOpenAI2), "delete a key the virtual key no longer lists")
	t.wantErr(t.store.DeleteKey(t.ctx, keyOpenAI1), configstore.ErrReferenced, "delete a key the virtual key still lists")

	// Dropping every part.
	v.ProviderConfigs, v.MCPConfigs = nil, nil
	t.must(t.store.UpdateVirtualKey(t.ctx, v), "update without provider or MCP configs")
	got, err = t.store.GetVirtualKey(t.ctx, v.ID)
	t.must(err, "get")
	if len(got.ProviderConfigs) != 0 || len(got.MCPConfigs) != 0 {
		t.Fatalf("after removing them, the virtual key still has %d provider configs and %d MCP configs", len(got.ProviderConfigs), len(got.MCPConfigs))
	}
	t.must(t.store.DeleteKey(t.ctx, keyOpenAI1), "delete a key no virtual key lists")
	t.must(t.store.DeleteMCPClient(t.ctx, mcpClient1), "delete an MCP client no virtual key uses")
}

func testVKListParts(t *suiteT) {
	seedWorld(t)
	a := fullVirtualKey()
	a.ID, a.Name, a.Value = "vk-a", "vk a", configstore.NewEnvVar("sk-bf-a-0123456789abcdef")
	b := fullVirtualKey()
	b.ID, b.Name, b.Value = "vk-b", "vk b", configstore.NewEnvVar("sk-bf-b-0123456789abcdef")
	b.ProviderConfigs = []configstore.VirtualKeyProviderConfig{{Provider: provAnthropic, KeyIDs: []string{keyAnthropic1}, AllowedModels: []string{"claude"}}}
	b.MCPConfigs = []configstore.VirtualKeyMCPConfig{{MCPClientName: mcpClient1Name, ToolsToExecute: []string{"only-b"}}}
	c := &configstore.VirtualKey{ID: "vk-c", Name: "vk c", Value: configstore.NewEnvVar("sk-bf-c-0123456789abcdef")}
	want := map[string]configstore.VirtualKey{}
	for _, v := range []*configstore.VirtualKey{b, c, a} {
		w := *v
		t.must(t.store.CreateVirtualKey(t.ctx, v), "create %q", v.ID)
		copyServerFields(&w, v)
		want[v.ID] = w
	}
	all, err := t.store.ListVirtualKeys(t.ctx)
	t.must(err, "list")
	seen := 0
	for i := range all {
		if w, ok := want[all[i].ID]; ok {
			seen++
			t.equal(&all[i], &w, "virtual key %q as List returns it", all[i].ID)
		}
	}
	if seen != len(want) {
		t.Fatalf("list returned %d of the %d virtual keys created", seen, len(want))
	}
}

func testVKMCPRename(t *suiteT) {
	seedWorld(t)
	v := fullVirtualKey()
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	client, err := t.store.GetMCPClient(t.ctx, mcpClient1)
	t.must(err, "get MCP client")
	client.Name = "renamed " + unicode
	t.must(t.store.UpdateMCPClient(t.ctx, client), "rename the MCP client")
	got, err := t.store.GetVirtualKey(t.ctx, v.ID)
	t.must(err, "get virtual key")
	if n := got.MCPConfigs[1].MCPClientName; n != client.Name {
		t.Fatalf("the virtual key's MCP config names client %q after the client was renamed to %q", n, client.Name)
	}
}

func testVKByValue(t *suiteT) {
	seedWorld(t)
	v := fullVirtualKey()
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	got, err := t.store.GetVirtualKeyByValue(t.ctx, v.Value.Stored())
	t.must(err, "GetVirtualKeyByValue with the literal value")
	t.equal(got, v, "virtual key found by value")
}

func testVKByValueRef(t *suiteT) {
	seedWorld(t)
	v := fullVirtualKey()
	v.Value = configstore.EnvRef("VK_SECRET")
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	got, err := t.store.GetVirtualKeyByValue(t.ctx, "env.VK_SECRET")
	t.must(err, "GetVirtualKeyByValue with the env reference")
	t.equal(got, v, "virtual key found by its env reference")
	if !got.Value.IsReference() || got.Value.VarName() != "VK_SECRET" {
		t.Fatalf("value read back as %s, want the reference env.VK_SECRET", got.Value)
	}
}

func testVKByValueNotFound(t *suiteT) {
	seedWorld(t)
	v := fullVirtualKey()
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	for _, value := range []string{"sk-bf-unknown-0123456789", v.Value.Redacted(), ""} {
		_, err := t.store.GetVirtualKeyByValue(t.ctx, value)
		t.wantErr(err, configstore.ErrNotFound, "GetVirtualKeyByValue(%q)", value)
	}
}

func testVKByValueChange(t *suiteT) {
	seedWorld(t)
	v := fullVirtualKey()
	old := v.Value.Stored()
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	v.Value = configstore.NewEnvVar("sk-bf-rotated-0123456789abcdef")
	t.must(t.store.UpdateVirtualKey(t.ctx, v), "update the value")
	_, err := t.store.GetVirtualKeyByValue(t.ctx, old)
	t.wantErr(err, configstore.ErrNotFound, "GetVirtualKeyByValue with the old value")
	got, err := t.store.GetVirtualKeyByValue(t.ctx, "sk-bf-rotated-0123456789abcdef")
	t.must(err, "GetVirtualKeyByValue with the new value")
	t.equal(got, v, "virtual key found by its new value")
	// The old value is free again.
	other := &configstore.VirtualKey{ID: "vk-other", Name: "other", Value: configstore.NewEnvVar(old)}
	t.must(t.store.CreateVirtualKey(t.ctx, other), "create a virtual key with the released value")
}

// testVKManyParts: more than ten key ids and MCP configs come back in the
// order given (not, say, "10" before "2").
func testVKManyParts(t *suiteT) {
	seedWorld(t)
	t.must(t.store.CreateProvider(t.ctx, &configstore.Provider{Name: "many"}), "create provider")
	var ids []string
	for i := 11; i >= 0; i-- {
		id := fmt.Sprintf("many-%d", i)
		t.must(t.store.CreateKey(t.ctx, &configstore.Key{ID: id, Provider: "many", Name: id}), "create key")
		ids = append(ids, id)
	}
	var mcps []configstore.VirtualKeyMCPConfig
	for i := 11; i >= 0; i-- {
		name := fmt.Sprintf("mcp %d", i)
		t.must(t.store.CreateMCPClient(t.ctx, &configstore.MCPClient{ClientID: fmt.Sprintf("many-mcp-%d", i), Name: name, ConnectionType: "inprocess"}), "create MCP client")
		mcps = append(mcps, configstore.VirtualKeyMCPConfig{MCPClientName: name, ToolsToExecute: []string{name}})
	}
	v := &configstore.VirtualKey{ID: "vk-many", Name: "many", Value: configstore.NewEnvVar("sk-bf-many-0123456789"),
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{{Provider: "many", KeyIDs: ids}, {Provider: provOpenAI, KeyIDs: []string{keyOpenAI2}}},
		MCPConfigs:      mcps}
	want := *v
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	copyServerFields(&want, v)
	got, err := t.store.GetVirtualKey(t.ctx, v.ID)
	t.must(err, "get")
	t.equal(got, &want, "virtual key with twelve key ids and MCP configs")
}

// testVKByValueExact: the lookup by value is an exact, case-sensitive
// comparison: no pattern matching, no padding, no collation.
func testVKByValueExact(t *suiteT) {
	v := &configstore.VirtualKey{ID: "vk-pattern", Name: "pattern", Value: configstore.NewEnvVar("sk-bf-100%_off-0123456789")}
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	for _, probe := range []string{"sk-bf-100%", "sk-bf-100%_off-012345678_", "sk-bf-100XYoff-0123456789", "SK-BF-100%_OFF-0123456789",
		"sk-bf-100%_off-0123456789 ", " sk-bf-100%_off-0123456789", "%"} {
		_, err := t.store.GetVirtualKeyByValue(t.ctx, probe)
		t.wantErr(err, configstore.ErrNotFound, "GetVirtualKeyByValue(%q) for a key whose value is %q", probe, v.Value.Stored())
	}
	got, err := t.store.GetVirtualKeyByValue(t.ctx, "sk-bf-100%_off-0123456789")
	t.must(err, "GetVirtualKeyByValue with the exact value")
	t.equal(got, v, "virtual key found by value")
}

// testVKOddText: free text with a NUL byte or invalid UTF-8 is stored
// exactly, or refused with ErrInvalid naming the field; never a raw
// driver error, never altered.
func testVKOddText(t *suiteT) {
	for i, desc := range []string{"nul \x00 inside", "bad utf-8 \xff\xfe", "tab\tnewline\nquote'\"backslash\\"} {
		v := &configstore.VirtualKey{ID: fmt.Sprintf("vk-odd-%d", i), Name: fmt.Sprintf("odd %d", i),
			Value: configstore.NewEnvVar(fmt.Sprintf("sk-bf-odd-%d-0123456789", i)), Description: desc}
		want := *v
		err := t.store.CreateVirtualKey(t.ctx, v)
		if err != nil {
			t.wantFieldErr(err, configstore.ErrInvalid, "description", "create with description %q", desc)
			continue
		}
		copyServerFields(&want, v)
		got, err := t.store.GetVirtualKey(t.ctx, v.ID)
		t.must(err, "get")
		t.equal(got, &want, "virtual key with description %q", desc)
	}
}
