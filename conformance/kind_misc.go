package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

func pluginName(p *configstore.Plugin) string     { return p.Name }
func mcpClientID(c *configstore.MCPClient) string { return c.ClientID }
func routingRuleID(r *configstore.RoutingRule) string {
	return r.ID
}
func pricingKey(p *configstore.ModelPricing) string {
	return configstore.ModelPricingKey(p.Model, p.Provider, p.Mode)
}

var pluginSuite = kindSuite[configstore.Plugin]{
	kind: "plugin",
	make: func(key string) *configstore.Plugin {
		// Version and placement are the defaults the store would fill in.
		return &configstore.Plugin{Name: key, Version: 1, Placement: configstore.PlacementPostBuiltin}
	},
	full: fullPlugin,
	variants: []variant[configstore.Plugin]{
		{"EmptyPathIsNotNil", func(p *configstore.Plugin) { p.Path = ptr("") }},
		{"ConfigJSONString", func(p *configstore.Plugin) { p.Config = json.RawMessage(`"just a string ✓"`) }},
		{"ConfigJSONArray", func(p *configstore.Plugin) { p.Config = json.RawMessage(`[1,-2.5e+30,{"a":null},[]]`) }},
		{"ConfigEmptyObject", func(p *configstore.Plugin) { p.Config = json.RawMessage(`{}`) }},
		{"BuiltinPlacement", func(p *configstore.Plugin) { p.Placement = configstore.PlacementBuiltin; p.Version = 32767 }},
	},
	mutate: func(p *configstore.Plugin) {
		p.Order++
		p.Enabled = !p.Enabled
	},
	key:      pluginName,
	longKeys: true,
	keyField: "name",
	create:   configstore.ConfigStore.CreatePlugin,
	get:      getByKey(configstore.ConfigStore.GetPlugin, pluginName),
	list:     configstore.ConfigStore.ListPlugins,
	update:   configstore.ConfigStore.UpdatePlugin,
	del:      deleteByKey(configstore.ConfigStore.DeletePlugin, pluginName),
	invalid: []invalidCase[configstore.Plugin]{
		{"VersionTooHigh", "version", func(p *configstore.Plugin) { p.Version = 32768 }},
		{"NegativeVersion", "version", func(p *configstore.Plugin) { p.Version = -1 }},
		{"UnknownPlacement", "placement", func(p *configstore.Plugin) { p.Placement = "middle" }},
		{"ConfigNotJSON", "config", func(p *configstore.Plugin) { p.Config = json.RawMessage(`{"a":`) }},
		{"BlankName", "name", func(p *configstore.Plugin) { p.Name = "" }},
	},
}

func pluginTests() []test {
	return append(append(pluginSuite.tests(), secretTests("Plugin")...), test{"LargeConfigRoundTrips", testPluginLargeConfig},
		test{"ConfigWithEscapedNUL", testPluginEscapedNUL},
		test{"CreateAppliesDefaults", func(t *suiteT) {
			p := &configstore.Plugin{Name: "defaults"}
			t.must(t.store.CreatePlugin(t.ctx, p), "create without version or placement")
			if p.Version != 1 || p.Placement != configstore.PlacementPostBuiltin {
				t.Fatalf("created plugin has version %d, placement %q; want 1, %q", p.Version, p.Placement, configstore.PlacementPostBuiltin)
			}
			got, err := t.store.GetPlugin(t.ctx, "defaults")
			t.must(err, "get")
			t.equal(got, p, "stored plugin")
		}})
}

// testPluginLargeConfig: a one-mebibyte JSON config is stored whole.
func testPluginLargeConfig(t *suiteT) {
	var b strings.Builder
	b.WriteString(`{"entries":[`)
	for i := 0; b.Len() < 1<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"i":%d,"s":"%s"}`, i, unicode)
	}
	b.WriteString(`]}`)
	p := &configstore.Plugin{Name: "large", Version: 1, Placement: configstore.PlacementPostBuiltin, Config: json.RawMessage(b.String())}
	want := *p
	t.must(t.store.CreatePlugin(t.ctx, p), "create with a %d-byte config", b.Len())
	copyServerFields(&want, p)
	got, err := t.store.GetPlugin(t.ctx, "large")
	t.must(err, "get")
	if string(got.Config) != string(want.Config) {
		t.Fatalf("a %d-byte config came back as %d bytes, or altered", len(want.Config), len(got.Config))
	}
	t.equal(got, &want, "plugin with a large config")
}

// testPluginEscapedNUL: JSON may escape a NUL character (\u0000); such a
// config is stored byte for byte or refused with ErrInvalid naming it.
func testPluginEscapedNUL(t *suiteT) {
	p := &configstore.Plugin{Name: "nul", Version: 1, Placement: configstore.PlacementPostBuiltin, Config: json.RawMessage(`{"a":"x\u0000y"}`)}
	want := *p
	if err := t.store.CreatePlugin(t.ctx, p); err != nil {
		t.wantFieldErr(err, configstore.ErrInvalid, "config", "create with a config holding \\u0000")
		return
	}
	copyServerFields(&want, p)
	got, err := t.store.GetPlugin(t.ctx, "nul")
	t.must(err, "get")
	t.equal(got, &want, "plugin whose config holds \\u0000")
}

var mcpClientSuite = kindSuite[configstore.MCPClient]{
	kind: "mcp_client",
	make: func(key string) *configstore.MCPClient {
		return &configstore.MCPClient{ClientID: key, Name: "mcp " + key, ConnectionType: "inprocess"}
	},
	full: fullMCPClient,
	variants: []variant[configstore.MCPClient]{
		{"ConnectionStringEnvReference", func(c *configstore.MCPClient) { c.ConnectionString = configstore.EnvRef("MCP_URL") }},
		{"Stdio", func(c *configstore.MCPClient) {
			c.ConnectionType, c.ConnectionString, c.AuthType, c.Headers = "stdio", configstore.EnvVar{}, "none", nil
		}},
	},
	emptyLists: func(c *configstore.MCPClient) {
		c.ToolsToExecute, c.ToolsToAutoExecute, c.AllowedExtraHeaders = []string{}, []string{}, []string{}
		c.Headers = map[string]configstore.EnvVar{}
	},
	mutate: func(c *configstore.MCPClient) {
		c.Disabled = !c.Disabled
		c.ToolSyncInterval += "0"
	},
	key:         mcpClientID,
	generatesID: true,
	setKey:      func(c *configstore.MCPClient, id string) { c.ClientID = id },
	create:      configstore.ConfigStore.CreateMCPClient,
	get:         getByKey(configstore.ConfigStore.GetMCPClient, mcpClientID),
	list:        configstore.ConfigStore.ListMCPClients,
	update:      configstore.ConfigStore.UpdateMCPClient,
	del:         deleteByKey(configstore.ConfigStore.DeleteMCPClient, mcpClientID),
	uniques: []uniqueField[configstore.MCPClient]{
		{"Name", func(to, from *configstore.MCPClient) { to.Name = from.Name }, func(v *configstore.MCPClient) { v.Name = strings.ToUpper(v.Name) }},
	},
	invalid: []invalidCase[configstore.MCPClient]{
		{"HTTPWithoutConnectionString", "connection_string", func(c *configstore.MCPClient) { c.ConnectionString = configstore.EnvVar{} }},
		{"UnknownConnectionType", "connection_type", func(c *configstore.MCPClient) { c.ConnectionType = "carrier-pigeon" }},
		{"UnknownAuthType", "auth_type", func(c *configstore.MCPClient) { c.AuthType = "basic" }},
		{"StdioWithoutCommand", "stdio_config.command", func(c *configstore.MCPClient) {
			c.ConnectionType = "stdio"
			c.StdioConfig = &configstore.MCPStdioConfig{Args: []string{"x"}}
		}},
		{"BlankName", "name", func(c *configstore.MCPClient) { c.Name = "" }},
	},
}

func mcpClientTests() []test {
	ts := mcpClientSuite.tests()
	ts = append(ts, restrictTests("MCPClient")...)
	return append(ts, secretTests("MCPClient")...)
}

var routingRuleSuite = kindSuite[configstore.RoutingRule]{
	kind: "routing_rule",
	make: func(key string) *configstore.RoutingRule {
		return &configstore.RoutingRule{ID: key, Name: "rule " + key, Targets: []configstore.RoutingTarget{{Weight: 1}}}
	},
	full: fullRoutingRule,
	variants: []variant[configstore.RoutingRule]{
		{"GlobalScope", func(r *configstore.RoutingRule) { r.Scope, r.ScopeID = "global", "" }},
		{"NegativePriority", func(r *configstore.RoutingRule) { r.Priority = -3 }},
	},
	emptyLists: func(r *configstore.RoutingRule) { r.Fallbacks = []string{} },
	mutate: func(r *configstore.RoutingRule) {
		r.Priority++
		r.Enabled = !r.Enabled
	},
	key:         routingRuleID,
	generatesID: true,
	setKey:      func(r *configstore.RoutingRule, id string) { r.ID = id },
	create:      configstore.ConfigStore.CreateRoutingRule,
	get:         getByKey(configstore.ConfigStore.GetRoutingRule, routingRuleID),
	list:        configstore.ConfigStore.ListRoutingRules,
	update:      configstore.ConfigStore.UpdateRoutingRule,
	del:         deleteByKey(configstore.ConfigStore.DeleteRoutingRule, routingRuleID),
	invalid: []invalidCase[configstore.RoutingRule]{
		{"NoTargets", "targets", func(r *configstore.RoutingRule) { r.Targets = nil }},
		{"NegativeTargetWeight", "targets[1].weight", func(r *configstore.RoutingRule) { r.Targets[1].Weight = -0.3 }},
		{"UnknownScope", "scope", func(r *configstore.RoutingRule) { r.Scope = "planet" }},
		{"ScopeWithoutID", "scope_id", func(r *configstore.RoutingRule) { r.ScopeID = "" }},
		{"QueryNotJSON", "query", func(r *configstore.RoutingRule) { r.Query = json.RawMessage(`{rules}`) }},
		{"BlankName", "name", func(r *configstore.RoutingRule) { r.Name = " " }},
	},
}

func routingRuleTests() []test { return routingRuleSuite.tests() }

var modelPricingSuite = kindSuite[configstore.ModelPricing]{
	kind: "model_pricing",
	make: func(key string) *configstore.ModelPricing { return pricing(key, provOpenAI, "chat") },
	bare: func(p *configstore.ModelPricing) *configstore.ModelPricing {
		return pricing(p.Model, p.Provider, p.Mode)
	},
	full: fullModelPricing,
	variants: []variant[configstore.ModelPricing]{
		{"OptionalCostsNil", func(p *configstore.ModelPricing) {
			p.InputCostPerRequest, p.InputCostPerImage, p.CacheReadInputTokenCost = nil, nil, nil
		}},
	},
	mutate: func(p *configstore.ModelPricing) {
		p.InputCostPerToken += 1e-6
		p.OutputCostPerToken += 2e-6
	},
	key:    pricingKey,
	create: configstore.ConfigStore.CreateModelPricing,
	get: func(s configstore.ConfigStore, ctx context.Context, p *configstore.ModelPricing) (*configstore.ModelPricing, error) {
		return s.GetModelPricing(ctx, p.Model, p.Provider, p.Mode)
	},
	list:   configstore.ConfigStore.ListModelPricing,
	update: configstore.ConfigStore.UpdateModelPricing,
	del: func(s configstore.ConfigStore, ctx context.Context, p *configstore.ModelPricing) error {
		return s.DeleteModelPricing(ctx, p.Model, p.Provider, p.Mode)
	},
	invalid: []invalidCase[configstore.ModelPricing]{
		{"NegativeInputCost", "input_cost_per_token", func(p *configstore.ModelPricing) { p.InputCostPerToken = -1e-9 }},
		{"NegativeOutputCost", "output_cost_per_token", func(p *configstore.ModelPricing) { p.OutputCostPerToken = -1 }},
		{"NoModel", "model", func(p *configstore.ModelPricing) { p.Model = "" }},
		{"NoProvider", "provider", func(p *configstore.ModelPricing) { p.Provider = "" }},
		{"NoMode", "mode", func(p *configstore.ModelPricing) { p.Mode = "" }},
		{"ModelTooLong", "model", func(p *configstore.ModelPricing) { p.Model = strings.Repeat("m", 300) }},
	},
}

func modelPricingTests() []test {
	ts := modelPricingSuite.tests()
	return append(ts,
		test{"IdentityIsModelProviderAndMode", testPricingIdentity},
		test{"IDDerivedFromIdentity", func(t *suiteT) {
			p := &configstore.ModelPricing{Model: "gpt-4o", Provider: provOpenAI, Mode: "chat", InputCostPerToken: 1e-6}
			t.must(t.store.CreateModelPricing(t.ctx, p), "create without ID")
			got, err := t.store.GetModelPricing(t.ctx, "gpt-4o", provOpenAI, "chat")
			t.must(err, "get")
			if want := configstore.ModelPricingKey("gpt-4o", provOpenAI, "chat"); got.ID != want || p.ID != want {
				t.Fatalf("ID is %q stored, %q on the created value; want %q", got.ID, p.ID, want)
			}
		}},
		test{"ReplaceReplacesAll", testReplacePricing},
		test{"ReplaceWithNothingRemovesAll", testReplacePricingEmpty},
		test{"ReplaceInvalidChangesNothing", testReplacePricingInvalid},
		test{"ReplaceDuplicateIdentityChangesNothing", testReplacePricingDuplicate},
		test{"ReplaceWithThousands", testReplacePricingBulk},
		test{"IdentitiesWithSlashesDoNotCollide", testPricingSlashes},
		test{"ReplaceKeepsRevisionsMoving", testPricingReplaceRevisions},
		test{"LongModelNameStoredOrInvalid", func(t *suiteT) {
			// Each of model, provider and mode is within the 255-byte limit
			// of names; the price is stored, or refused naming a field of
			// ModelPricing's JSON.
			p := pricing(strings.Repeat("m", 250), provOpenAI, "chat")
			want := *p
			if err := t.store.CreateModelPricing(t.ctx, p); err != nil {
				t.wantFieldErr(err, configstore.ErrInvalid, "model", "create the price of a model with a 250-byte name")
				return
			}
			copyServerFields(&want, p)
			got, err := t.store.GetModelPricing(t.ctx, want.Model, want.Provider, want.Mode)
			t.must(err, "get")
			t.equal(got, &want, "price of a model with a 250-byte name")
		}},
	)
}

// testPricingIdentity: records differing in one of model, provider and mode
// are distinct; the same three are a duplicate however the costs differ.
func testPricingIdentity(t *suiteT) {
	base := [3]string{"gpt-4o", provOpenAI, "chat"}
	others := [][3]string{base, {"gpt-4o-mini", provOpenAI, "chat"}, {"gpt-4o", "azure", "chat"}, {"gpt-4o", provOpenAI, "batch"}}
	for _, id := range others {
		p := pricing(id[0], id[1], id[2])
		p.InputCostPerToken = float64(len(id[0]+id[1]+id[2])) * 1e-7
		t.must(t.store.CreateModelPricing(t.ctx, p), "create pricing %q", id)
	}
	dup := pricing(base[0], base[1], base[2])
	dup.OutputCostPerToken = 99
	t.wantErr(t.store.CreateModelPricing(t.ctx, dup), configstore.ErrAlreadyExists, "create pricing with the identity of another")
	all, err := t.store.ListModelPricing(t.ctx)
	t.must(err, "list")
	if len(all) != len(others) {
		t.Fatalf("list returned %d prices, want %d", len(all), len(others))
	}
	for _, id := range others {
		got, err := t.store.GetModelPricing(t.ctx, id[0], id[1], id[2])
		t.must(err, "get %q", id)
		if got.Model != id[0] || got.Provider != id[1] || got.Mode != id[2] || got.OutputCostPerToken == 99 {
			t.Fatalf("GetModelPricing(%q) returned %+v", id, got)
		}
	}
}

func testReplacePricing(t *suiteT) {
	for _, m := range []string{"old-a", "old-b", "kept"} {
		t.must(t.store.CreateModelPricing(t.ctx, pricing(m, provOpenAI, "chat")), "create %q", m)
	}
	before := t.revision()
	kept := pricing("kept", provOpenAI, "chat")
	kept.InputCostPerToken, kept.InputCostPerImage = 5e-6, ptr(0.01)
	fresh := fullModelPricing()
	prices := []configstore.ModelPricing{*fresh, *kept, *pricing("new "+unicode, provAnthropic, "embedding")}
	want := []configstore.ModelPricing{prices[0], prices[1], prices[2]}
	t.must(t.store.ReplaceModelPricing(t.ctx, prices), "ReplaceModelPricing")
	t.wantChanges(before, configstore.Change{Kind: "model_pricing", Op: configstore.OpReplace})
	for _, m := range []string{"old-a", "old-b"} {
		_, err := t.store.GetModelPricing(t.ctx, m, provOpenAI, "chat")
		t.wantErr(err, configstore.ErrNotFound, "get replaced price %q", m)
	}
	all, err := t.store.ListModelPricing(t.ctx)
	t.must(err, "list")
	if len(all) != len(want) {
		t.Fatalf("after the replace, list returns %d prices, want %d", len(all), len(want))
	}
	for _, w := range want {
		got, err := t.store.GetModelPricing(t.ctx, w.Model, w.Provider, w.Mode)
		t.must(err, "get %q after the replace", w.Model)
		if got.Revision < 1 {
			t.Fatalf("price %q has Revision %d after the replace", w.Model, got.Revision)
		}
		checkStoreTime(t, got.CreatedAt, "CreatedAt of a replaced price")
		copyServerFields(&w, got)
		t.equal(got, &w, "price %q after the replace", w.Model)
	}
	for i := 1; i < len(all); i++ {
		if pricingKey(&all[i-1]) >= pricingKey(&all[i]) {
			t.Fatalf("list after the replace is not ordered by key: %q before %q", pricingKey(&all[i-1]), pricingKey(&all[i]))
		}
	}
}

func testReplacePricingEmpty(t *suiteT) {
	for _, m := range []string{"a", "b"} {
		t.must(t.store.CreateModelPricing(t.ctx, pricing(m, provOpenAI, "chat")), "create %q", m)
	}
	before := t.revision()
	t.must(t.store.ReplaceModelPricing(t.ctx, nil), "ReplaceModelPricing(nil)")
	all, err := t.store.ListModelPricing(t.ctx)
	t.must(err, "list")
	if len(all) != 0 {
		t.Fatalf("after replacing with nothing, list returns %d prices", len(all))
	}
	t.wantChanges(before, configstore.Change{Kind: "model_pricing", Op: configstore.OpReplace})
}

func testReplacePricingInvalid(t *suiteT) {
	old := pricing("old", provOpenAI, "chat")
	t.must(t.store.CreateModelPricing(t.ctx, old), "create")
	before := t.revision()
	bad := pricing("bad", provOpenAI, "chat")
	bad.OutputCostPerToken = -1
	err := t.store.ReplaceModelPricing(t.ctx, []configstore.ModelPricing{*pricing("good", provOpenAI, "chat"), *bad})
	t.wantErr(err, configstore.ErrInvalid, "ReplaceModelPricing with a negative cost")
	if !strings.Contains(err.Error(), "output_cost_per_token") {
		t.Fatalf("error %q does not name the field output_cost_per_token", err)
	}
	got, err := t.store.GetModelPricing(t.ctx, "old", provOpenAI, "chat")
	t.must(err, "the old price after a refused replace")
	t.equal(got, old, "old price")
	_, err = t.store.GetModelPricing(t.ctx, "good", provOpenAI, "chat")
	t.wantErr(err, configstore.ErrNotFound, "a price of the refused replace")
	t.wantNoChange(before, "a refused replace")
}

func testReplacePricingDuplicate(t *suiteT) {
	old := pricing("old", provOpenAI, "chat")
	t.must(t.store.CreateModelPricing(t.ctx, old), "create")
	before := t.revision()
	a, b := pricing("same", provOpenAI, "chat"), pricing("same", provOpenAI, "chat")
	b.InputCostPerToken = 1
	err := t.store.ReplaceModelPricing(t.ctx, []configstore.ModelPricing{*a, *b})
	if err == nil {
		t.Fatal("ReplaceModelPricing with two prices of the same model, provider and mode succeeded")
	}
	got, err := t.store.GetModelPricing(t.ctx, "old", provOpenAI, "chat")
	t.must(err, "the old price after a refused replace")
	t.equal(got, old, "old price")
	t.wantNoChange(before, "a refused replace")
}

// testReplacePricingBulk: a pricing sync replaces thousands of prices at
// once, more than a SQL statement takes bind parameters (PostgreSQL: 65535)
// if a backend puts them all into one statement.
func testReplacePricingBulk(t *suiteT) {
	const n = 7000
	batch := func(gen string) []configstore.ModelPricing {
		out := make([]configstore.ModelPricing, n)
		for i := range out {
			p := pricing(fmt.Sprintf("%s-model-%05d", gen, i), provOpenAI, "chat")
			p.InputCostPerToken, p.InputCostPerImage = float64(i)*1e-9, ptr(float64(i))
			out[i] = *p
		}
		return out
	}
	for _, gen := range []string{"first", "second"} {
		prices := batch(gen)
		t.must(t.store.ReplaceModelPricing(t.ctx, prices), "replace with %d prices", n)
		all, err := t.store.ListModelPricing(t.ctx)
		t.must(err, "list")
		if len(all) != n {
			t.Fatalf("after replacing with %d prices, list returns %d", n, len(all))
		}
		for i := range all {
			w := prices[i]
			copyServerFields(&w, &all[i])
			t.equal(&all[i], &w, "price %d", i)
		}
	}
	if rev := t.revision(); rev != 2 {
		t.Fatalf("store revision after two replaces is %d, want 2", rev)
	}
}

// testPricingSlashes: model names often contain "/" ("meta-llama/Llama-3");
// two different (model, provider, mode) triples are two prices, whatever
// their text.
func testPricingSlashes(t *suiteT) {
	triples := [][3]string{
		{"meta-llama/Llama-3-70b", "groq", "chat"},
		{"Llama-3-70b", "groq", "chat/meta-llama"},
		{"chat/m", "a", "b"},
		{"m", "a/b", "chat"},
	}
	for _, id := range triples {
		t.must(t.store.CreateModelPricing(t.ctx, &configstore.ModelPricing{Model: id[0], Provider: id[1], Mode: id[2], InputCostPerToken: 1e-6}),
			"create the price of model %q, provider %q, mode %q", id[0], id[1], id[2])
	}
	for _, id := range triples {
		got, err := t.store.GetModelPricing(t.ctx, id[0], id[1], id[2])
		t.must(err, "get %q", id)
		if got.Model != id[0] || got.Provider != id[1] || got.Mode != id[2] {
			t.Fatalf("GetModelPricing(%q) returned model %q, provider %q, mode %q", id, got.Model, got.Provider, got.Mode)
		}
	}
	all, err := t.store.ListModelPricing(t.ctx)
	t.must(err, "list")
	if len(all) != len(triples) {
		t.Fatalf("list returns %d prices, want %d", len(all), len(triples))
	}
}

// testPricingReplaceRevisions: a bulk replace that changes a price raises
// its revision (a stale update from before the replace conflicts), and one
// that leaves a price unchanged keeps its revision.
func testPricingReplaceRevisions(t *suiteT) {
	changed, same := pricing("gpt-4o", provOpenAI, "chat"), pricing("gpt-4o-mini", provOpenAI, "chat")
	t.must(t.store.CreateModelPricing(t.ctx, changed), "create a price")
	t.must(t.store.CreateModelPricing(t.ctx, same), "create a second price")
	stale := *changed
	changed.InputCostPerToken += 1e-6
	t.must(t.store.UpdateModelPricing(t.ctx, changed), "update the price")
	sync := *changed
	sync.Meta = configstore.Meta{}
	sync.InputCostPerToken += 1e-6
	unchanged := *same
	unchanged.Meta = configstore.Meta{}
	t.must(t.store.ReplaceModelPricing(t.ctx, []configstore.ModelPricing{sync, unchanged}), "replace the prices")
	got, err := t.store.GetModelPricing(t.ctx, changed.Model, changed.Provider, changed.Mode)
	t.must(err, "get the changed price")
	if got.Revision <= changed.Revision || !got.CreatedAt.Equal(changed.CreatedAt) {
		t.Fatalf("after a replace that changed it the price is at revision %d created %v, want above %d, created %v",
			got.Revision, got.CreatedAt, changed.Revision, changed.CreatedAt)
	}
	t.wantErr(t.store.UpdateModelPricing(t.ctx, &stale), configstore.ErrConflict, "stale update from before the replace")
	kept, err := t.store.GetModelPricing(t.ctx, same.Model, same.Provider, same.Mode)
	t.must(err, "get the unchanged price")
	if kept.Revision != same.Revision {
		t.Fatalf("an unchanged price moved from revision %d to %d", same.Revision, kept.Revision)
	}
}
