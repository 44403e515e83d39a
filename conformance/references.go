package conformance

import (
	"context"
	"errors"

	"github.com/gatewaykit/configstore"
)

// modify reads a record, changes it and writes it back.
func modify[T any](t *suiteT, get func(configstore.ConfigStore, context.Context, string) (*T, error),
	update func(configstore.ConfigStore, context.Context, *T) error, id string, change func(*T)) {
	t.Helper()
	v, err := get(t.store, t.ctx, id)
	t.must(err, "get %q", id)
	change(v)
	t.must(update(t.store, t.ctx, v), "update %q", id)
}

// referringVK creates a virtual key "vk-ref" changed by change.
func referringVK(t *suiteT, change func(*configstore.VirtualKey)) {
	t.Helper()
	v := &configstore.VirtualKey{ID: "vk-ref", Name: "referring", Value: configstore.NewEnvVar("sk-bf-referring-0123456789")}
	change(v)
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create the referring virtual key")
}

func changeVK(t *suiteT, change func(*configstore.VirtualKey)) {
	t.Helper()
	modify(t, configstore.ConfigStore.GetVirtualKey, configstore.ConfigStore.UpdateVirtualKey, "vk-ref", change)
}

func changeTeam(t *suiteT, change func(*configstore.Team)) {
	t.Helper()
	modify(t, configstore.ConfigStore.GetTeam, configstore.ConfigStore.UpdateTeam, team1, change)
}

func changeCustomer(t *suiteT, change func(*configstore.Customer)) {
	t.Helper()
	modify(t, configstore.ConfigStore.GetCustomer, configstore.ConfigStore.UpdateCustomer, customer1, change)
}

func changeModelConfig(t *suiteT, change func(*configstore.ModelConfig)) {
	t.Helper()
	modify(t, configstore.ConfigStore.GetModelConfig, configstore.ConfigStore.UpdateModelConfig, modelConfig1, change)
}

// restrictCase is a Restrict delete rule: deleting a row that another row
// refers to is refused with ErrReferenced until the reference is gone.
type restrictCase struct {
	group, name string
	// refer makes a row of the world refer to the doomed one; unrefer
	// removes that reference again.
	refer, unrefer func(t *suiteT)
	del            func(t *suiteT) error
	// exists reads the doomed row (and rows that go with it).
	exists func(t *suiteT) error
}

var restrictCases = []restrictCase{
	{
		group: "Key", name: "DeleteReferencedByVirtualKey",
		refer: func(t *suiteT) {
			referringVK(t, func(v *configstore.VirtualKey) {
				v.ProviderConfigs = []configstore.VirtualKeyProviderConfig{{Provider: provOpenAI, KeyIDs: []string{keyOpenAI1}}}
			})
		},
		unrefer: func(t *suiteT) {
			changeVK(t, func(v *configstore.VirtualKey) { v.ProviderConfigs[0].KeyIDs = []string{keyOpenAI2} })
		},
		del:    func(t *suiteT) error { return t.store.DeleteKey(t.ctx, keyOpenAI1) },
		exists: func(t *suiteT) error { _, err := t.store.GetKey(t.ctx, keyOpenAI1); return err },
	},
	{
		group: "Provider", name: "DeleteWithKeyReferencedByVirtualKey",
		refer: func(t *suiteT) {
			referringVK(t, func(v *configstore.VirtualKey) {
				v.ProviderConfigs = []configstore.VirtualKeyProviderConfig{{Provider: provOpenAI, KeyIDs: []string{keyOpenAI2}}}
			})
		},
		unrefer: func(t *suiteT) { changeVK(t, func(v *configstore.VirtualKey) { v.ProviderConfigs = nil }) },
		del:     func(t *suiteT) error { return t.store.DeleteProvider(t.ctx, provOpenAI) },
		exists: func(t *suiteT) error {
			_, err1 := t.store.GetProvider(t.ctx, provOpenAI)
			_, err2 := t.store.GetKey(t.ctx, keyOpenAI1)
			_, err3 := t.store.GetKey(t.ctx, keyOpenAI2)
			return errors.Join(err1, err2, err3)
		},
	},
	{
		group: "Team", name: "DeleteReferencedByVirtualKey",
		refer:   func(t *suiteT) { referringVK(t, func(v *configstore.VirtualKey) { v.TeamID = team1 }) },
		unrefer: func(t *suiteT) { changeVK(t, func(v *configstore.VirtualKey) { v.TeamID = "" }) },
		del:     func(t *suiteT) error { return t.store.DeleteTeam(t.ctx, team1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetTeam(t.ctx, team1); return err },
	},
	{
		group: "Customer", name: "DeleteReferencedByVirtualKey",
		refer:   func(t *suiteT) { referringVK(t, func(v *configstore.VirtualKey) { v.CustomerID = customer1 }) },
		unrefer: func(t *suiteT) { t.must(t.store.DeleteVirtualKey(t.ctx, "vk-ref"), "delete the referring virtual key") },
		del:     func(t *suiteT) error { return t.store.DeleteCustomer(t.ctx, customer1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetCustomer(t.ctx, customer1); return err },
	},
	{
		group: "Customer", name: "DeleteReferencedByTeam",
		refer:   func(t *suiteT) { changeTeam(t, func(tm *configstore.Team) { tm.CustomerID = customer1 }) },
		unrefer: func(t *suiteT) { changeTeam(t, func(tm *configstore.Team) { tm.CustomerID = "" }) },
		del:     func(t *suiteT) error { return t.store.DeleteCustomer(t.ctx, customer1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetCustomer(t.ctx, customer1); return err },
	},
	{
		group: "Budget", name: "DeleteReferencedByCustomer",
		refer:   func(t *suiteT) { changeCustomer(t, func(c *configstore.Customer) { c.BudgetID = budget1 }) },
		unrefer: func(t *suiteT) { changeCustomer(t, func(c *configstore.Customer) { c.BudgetID = budget2 }) },
		del:     func(t *suiteT) error { return t.store.DeleteBudget(t.ctx, budget1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetBudget(t.ctx, budget1); return err },
	},
	{
		group: "Budget", name: "DeleteReferencedByTeam",
		refer:   func(t *suiteT) { changeTeam(t, func(tm *configstore.Team) { tm.BudgetID = budget1 }) },
		unrefer: func(t *suiteT) { t.must(t.store.DeleteTeam(t.ctx, team1), "delete the team") },
		del:     func(t *suiteT) error { return t.store.DeleteBudget(t.ctx, budget1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetBudget(t.ctx, budget1); return err },
	},
	{
		group: "Budget", name: "DeleteReferencedByModelConfig",
		refer:   func(t *suiteT) { changeModelConfig(t, func(m *configstore.ModelConfig) { m.BudgetID = budget1 }) },
		unrefer: func(t *suiteT) { changeModelConfig(t, func(m *configstore.ModelConfig) { m.BudgetID = "" }) },
		del:     func(t *suiteT) error { return t.store.DeleteBudget(t.ctx, budget1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetBudget(t.ctx, budget1); return err },
	},
	{
		group: "RateLimit", name: "DeleteReferencedByCustomer",
		refer:   func(t *suiteT) { changeCustomer(t, func(c *configstore.Customer) { c.RateLimitID = rateLimit1 }) },
		unrefer: func(t *suiteT) { changeCustomer(t, func(c *configstore.Customer) { c.RateLimitID = "" }) },
		del:     func(t *suiteT) error { return t.store.DeleteRateLimit(t.ctx, rateLimit1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetRateLimit(t.ctx, rateLimit1); return err },
	},
	{
		group: "RateLimit", name: "DeleteReferencedByTeam",
		refer:   func(t *suiteT) { changeTeam(t, func(tm *configstore.Team) { tm.RateLimitID = rateLimit1 }) },
		unrefer: func(t *suiteT) { changeTeam(t, func(tm *configstore.Team) { tm.RateLimitID = rateLimit2 }) },
		del:     func(t *suiteT) error { return t.store.DeleteRateLimit(t.ctx, rateLimit1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetRateLimit(t.ctx, rateLimit1); return err },
	},
	{
		group: "RateLimit", name: "DeleteReferencedByVirtualKey",
		refer:   func(t *suiteT) { referringVK(t, func(v *configstore.VirtualKey) { v.RateLimitID = rateLimit1 }) },
		unrefer: func(t *suiteT) { changeVK(t, func(v *configstore.VirtualKey) { v.RateLimitID = "" }) },
		del:     func(t *suiteT) error { return t.store.DeleteRateLimit(t.ctx, rateLimit1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetRateLimit(t.ctx, rateLimit1); return err },
	},
	{
		group: "RateLimit", name: "DeleteReferencedByVirtualKeyProviderConfig",
		refer: func(t *suiteT) {
			referringVK(t, func(v *configstore.VirtualKey) {
				v.ProviderConfigs = []configstore.VirtualKeyProviderConfig{
					{Provider: provOpenAI, KeyIDs: []string{configstore.AllKeys}},
					{Provider: provAnthropic, RateLimitID: rateLimit1},
				}
			})
		},
		unrefer: func(t *suiteT) {
			changeVK(t, func(v *configstore.VirtualKey) { v.ProviderConfigs[1].RateLimitID = "" })
		},
		del:    func(t *suiteT) error { return t.store.DeleteRateLimit(t.ctx, rateLimit1) },
		exists: func(t *suiteT) error { _, err := t.store.GetRateLimit(t.ctx, rateLimit1); return err },
	},
	{
		group: "RateLimit", name: "DeleteReferencedByModelConfig",
		refer:   func(t *suiteT) { changeModelConfig(t, func(m *configstore.ModelConfig) { m.RateLimitID = rateLimit1 }) },
		unrefer: func(t *suiteT) { t.must(t.store.DeleteModelConfig(t.ctx, modelConfig1), "delete the model config") },
		del:     func(t *suiteT) error { return t.store.DeleteRateLimit(t.ctx, rateLimit1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetRateLimit(t.ctx, rateLimit1); return err },
	},
	{
		group: "MCPClient", name: "DeleteReferencedByVirtualKey",
		refer: func(t *suiteT) {
			referringVK(t, func(v *configstore.VirtualKey) {
				v.MCPConfigs = []configstore.VirtualKeyMCPConfig{{MCPClientName: mcpClient2Name}, {MCPClientName: mcpClient1Name}}
			})
		},
		unrefer: func(t *suiteT) { changeVK(t, func(v *configstore.VirtualKey) { v.MCPConfigs = v.MCPConfigs[:1] }) },
		del:     func(t *suiteT) error { return t.store.DeleteMCPClient(t.ctx, mcpClient1) },
		exists:  func(t *suiteT) error { _, err := t.store.GetMCPClient(t.ctx, mcpClient1); return err },
	},
}

// restrictTests returns the Restrict subtests of a group.
func restrictTests(group string) []test {
	var ts []test
	for _, c := range restrictCases {
		if c.group != group {
			continue
		}
		ts = append(ts, test{c.name, func(t *suiteT) {
			seedWorld(t)
			c.refer(t)
			before := t.revision()
			t.wantErr(c.del(t), configstore.ErrReferenced, "delete a referenced %s", c.group)
			t.must(c.exists(t), "the referenced row after the refused delete")
			t.wantNoChange(before, "a refused delete")
			c.unrefer(t)
			t.must(c.del(t), "delete once the reference is gone")
			t.wantErr(c.exists(t), configstore.ErrNotFound, "the row after its delete")
		}})
	}
	return ts
}

// budgetOwner is a kind whose rows own budgets (budget.<kind>_id, Cascade).
type budgetOwner struct {
	group, kind, id string
	own             func(b *configstore.Budget) // makes b owned by the row id
	del             func(t *suiteT) error
	// link, when the owner has a budget_id, points it at budgetID.
	link func(t *suiteT, budgetID string)
}

var budgetOwners = []budgetOwner{
	{group: "VirtualKey", kind: "virtual_key", id: vk1,
		own: func(b *configstore.Budget) { b.VirtualKeyID = vk1 },
		del: func(t *suiteT) error { return t.store.DeleteVirtualKey(t.ctx, vk1) }},
	{group: "Team", kind: "team", id: team1,
		own:  func(b *configstore.Budget) { b.TeamID = team1 },
		del:  func(t *suiteT) error { return t.store.DeleteTeam(t.ctx, team1) },
		link: func(t *suiteT, id string) { changeTeam(t, func(tm *configstore.Team) { tm.BudgetID = id }) }},
	{group: "Customer", kind: "customer", id: customer1,
		own:  func(b *configstore.Budget) { b.CustomerID = customer1 },
		del:  func(t *suiteT) error { return t.store.DeleteCustomer(t.ctx, customer1) },
		link: func(t *suiteT, id string) { changeCustomer(t, func(c *configstore.Customer) { c.BudgetID = id }) }},
	{group: "ModelConfig", kind: "model_config", id: modelConfig1,
		own:  func(b *configstore.Budget) { b.ModelConfigID = modelConfig1 },
		del:  func(t *suiteT) error { return t.store.DeleteModelConfig(t.ctx, modelConfig1) },
		link: func(t *suiteT, id string) { changeModelConfig(t, func(m *configstore.ModelConfig) { m.BudgetID = id }) }},
}

func createOwnedBudgets(t *suiteT, o budgetOwner, ids ...string) {
	t.Helper()
	for _, id := range ids {
		b := &configstore.Budget{ID: id, MaxLimit: 5, ResetDuration: "1w"}
		o.own(b)
		t.must(t.store.CreateBudget(t.ctx, b), "create budget %q owned by %s %q", id, o.kind, o.id)
	}
}

// cascadeTests returns the Cascade subtests of a group.
func cascadeTests(group string) []test {
	var ts []test
	if group == "Provider" {
		ts = append(ts, test{"DeleteCascadesKeys", testProviderCascade})
	}
	if group == "VirtualKey" {
		ts = append(ts,
			test{"DeleteCascadeBlockedByRestrict", testVKCascadeBlocked},
			test{"DeleteReleasesWhatItsPartsReferenced", testVKDeleteReleasesParts},
		)
	}
	for _, o := range budgetOwners {
		if o.group != group {
			continue
		}
		ts = append(ts, test{"DeleteCascadesOwnedBudgets", func(t *suiteT) {
			seedWorld(t)
			createOwnedBudgets(t, o, "owned-a", "owned-b")
			before := t.revision()
			t.must(o.del(t), "delete the %s", o.kind)
			for _, id := range []string{"owned-a", "owned-b"} {
				_, err := t.store.GetBudget(t.ctx, id)
				t.wantErr(err, configstore.ErrNotFound, "budget %q owned by the deleted %s", id, o.kind)
			}
			_, err := t.store.GetBudget(t.ctx, budget1)
			t.must(err, "a budget the %s did not own", o.kind)
			t.wantChanges(before,
				configstore.Change{Kind: o.kind, ID: o.id, Op: configstore.OpDelete},
				configstore.Change{Kind: "budget", ID: "owned-a", Op: configstore.OpDelete},
				configstore.Change{Kind: "budget", ID: "owned-b", Op: configstore.OpDelete})
		}})
		if o.link != nil {
			ts = append(ts, test{"DeleteCascadesOwnedBudgetItAlsoReferences", func(t *suiteT) {
				seedWorld(t)
				createOwnedBudgets(t, o, "owned")
				o.link(t, "owned")
				t.wantErr(t.store.DeleteBudget(t.ctx, "owned"), configstore.ErrReferenced, "delete the budget its owner references")
				t.must(o.del(t), "delete the %s, which owns and references the budget", o.kind)
				_, err := t.store.GetBudget(t.ctx, "owned")
				t.wantErr(err, configstore.ErrNotFound, "the owned budget after its owner's delete")
			}})
		}
	}
	return ts
}

func testProviderCascade(t *suiteT) {
	seedWorld(t)
	before := t.revision()
	t.must(t.store.DeleteProvider(t.ctx, provOpenAI), "delete provider %q", provOpenAI)
	for _, id := range []string{keyOpenAI1, keyOpenAI2} {
		_, err := t.store.GetKey(t.ctx, id)
		t.wantErr(err, configstore.ErrNotFound, "key %q of the deleted provider", id)
	}
	keys, err := t.store.ListProviderKeys(t.ctx, provOpenAI)
	t.must(err, "ListProviderKeys of the deleted provider")
	if len(keys) != 0 {
		t.Fatalf("ListProviderKeys of the deleted provider returned %d keys", len(keys))
	}
	_, err = t.store.GetKey(t.ctx, keyAnthropic1)
	t.must(err, "a key of another provider")
	pcs, err := t.store.GetProvidersConfig(t.ctx)
	t.must(err, "GetProvidersConfig")
	if _, ok := pcs[provOpenAI]; ok {
		t.Fatalf("GetProvidersConfig still returns the deleted provider")
	}
	if n := len(pcs[provAnthropic].Keys); n != 1 {
		t.Fatalf("provider %q has %d keys after another provider's delete, want 1", provAnthropic, n)
	}
	t.wantChanges(before,
		configstore.Change{Kind: "provider", ID: provOpenAI, Op: configstore.OpDelete},
		configstore.Change{Kind: "key", ID: keyOpenAI1, Op: configstore.OpDelete},
		configstore.Change{Kind: "key", ID: keyOpenAI2, Op: configstore.OpDelete})
}

// testVKCascadeBlocked: the budget a virtual key's delete would cascade to
// is still used by a customer, so the whole delete is refused.
func testVKCascadeBlocked(t *suiteT) {
	seedWorld(t)
	createOwnedBudgets(t, budgetOwners[0], "owned")
	changeCustomer(t, func(c *configstore.Customer) { c.BudgetID = "owned" })
	before := t.revision()
	t.wantErr(t.store.DeleteVirtualKey(t.ctx, vk1), configstore.ErrReferenced, "delete a virtual key whose budget a customer uses")
	_, err := t.store.GetVirtualKey(t.ctx, vk1)
	t.must(err, "the virtual key after the refused delete")
	_, err = t.store.GetBudget(t.ctx, "owned")
	t.must(err, "its budget after the refused delete")
	t.wantNoChange(before, "a refused delete")
}

func testVKDeleteReleasesParts(t *suiteT) {
	seedWorld(t)
	v := fullVirtualKey()
	t.must(t.store.CreateVirtualKey(t.ctx, v), "create")
	t.must(t.store.DeleteVirtualKey(t.ctx, v.ID), "delete")
	t.must(t.store.DeleteKey(t.ctx, keyOpenAI1), "delete a key the deleted virtual key listed")
	t.must(t.store.DeleteRateLimit(t.ctx, rateLimit2), "delete the rate limit of its provider config")
	t.must(t.store.DeleteRateLimit(t.ctx, rateLimit1), "delete its rate limit")
	t.must(t.store.DeleteMCPClient(t.ctx, mcpClient1), "delete an MCP client it used")
	t.must(t.store.DeleteTeam(t.ctx, team1), "delete its team")
}
