package configfile

import (
	"errors"
	"fmt"

	"github.com/gatewaykit/configstore"
)

// valueAt is one entity's value of a field, with where the entity is.
type valueAt struct {
	at    element
	value string
}

// pluck lists field(item) for each item of the section at base.
func pluck[T any](base path, items []T, field func(*T) string) []valueAt {
	out := make([]valueAt, len(items))
	for i := range items {
		out[i] = valueAt{element{base, i}, field(&items[i])}
	}
	return out
}

// keyField lists a field of every provider key.
func keyField(keys []keyAt, field func(*configstore.Key) string) []valueAt {
	out := make([]valueAt, len(keys))
	for i, k := range keys {
		out[i] = valueAt{k.at, field(k.key)}
	}
	return out
}

// The ids and names of the sections.
func budgetID(b *configstore.Budget) string            { return b.ID }
func rateLimitID(r *configstore.RateLimit) string      { return r.ID }
func customerID(c *configstore.Customer) string        { return c.ID }
func teamID(t *configstore.Team) string                { return t.ID }
func teamName(t *configstore.Team) string              { return t.Name }
func virtualKeyID(v *configstore.VirtualKey) string    { return v.ID }
func virtualKeyName(v *configstore.VirtualKey) string  { return v.Name }
func virtualKeyValue(v *configstore.VirtualKey) string { return v.Value.Stored() }
func routingRuleID(r *configstore.RoutingRule) string  { return r.ID }
func modelConfigID(m *configstore.ModelConfig) string  { return m.ID }
func mcpClientID(c *configstore.MCPClient) string      { return c.ClientID }
func mcpClientName(c *configstore.MCPClient) string    { return c.Name }
func pluginName(p *configstore.Plugin) string          { return p.Name }
func keyID(k *configstore.Key) string                  { return k.ID }
func keyName(k *configstore.Key) string                { return k.Name }

// The governance sections' paths.
var (
	budgetsPath      = governancePath.key("budgets")
	rateLimitsPath   = governancePath.key("rate_limits")
	customersPath    = governancePath.key("customers")
	teamsPath        = governancePath.key("teams")
	virtualKeysPath  = governancePath.key("virtual_keys")
	routingRulesPath = governancePath.key("routing_rules")
	modelConfigsPath = governancePath.key("model_configs")
)

// checkIdentities requires the ids the store matches governance entities
// by, and refuses a duplicate id or name within a section (key ids and
// names across all providers: key names are unique store-wide).
func (d *decoder) checkIdentities(f *File, keys []keyAt) {
	for _, ids := range [][]valueAt{
		pluck(budgetsPath, f.Budgets, budgetID),
		pluck(rateLimitsPath, f.RateLimits, rateLimitID),
		pluck(customersPath, f.Customers, customerID),
		pluck(teamsPath, f.Teams, teamID),
		pluck(virtualKeysPath, f.VirtualKeys, virtualKeyID),
		pluck(routingRulesPath, f.RoutingRules, routingRuleID),
		pluck(modelConfigsPath, f.ModelConfigs, modelConfigID),
	} {
		d.require("id", ids)
		d.unique("id", ids, false)
	}
	d.unique("id", keyField(keys, keyID), false)
	d.unique("name", keyField(keys, keyName), false)
	d.unique("name", pluck(teamsPath, f.Teams, teamName), false)
	d.unique("name", pluck(virtualKeysPath, f.VirtualKeys, virtualKeyName), false)
	d.unique("value", pluck(virtualKeysPath, f.VirtualKeys, virtualKeyValue), true)
	d.unique("client_id", pluck(mcpClientsPath, f.MCPClients, mcpClientID), false)
	d.unique("name", pluck(mcpClientsPath, f.MCPClients, mcpClientName), false)
	d.unique("name", pluck(pluginsPath, f.Plugins, pluginName), false)
}

// require reports the entities without a value of field.
func (d *decoder) require(field string, values []valueAt) {
	for _, v := range values {
		if v.value == "" && !d.broken(v.at.path().key(field)) {
			d.report(v.at.path().key(field), "is required")
		}
	}
}

// unique reports every repeat of a value of field, naming the entity that
// has it first. A secret's value is not named.
func (d *decoder) unique(field string, values []valueAt, secret bool) {
	first := make(map[string]int, len(values)) // value -> the index in values of its first entity
	for i, v := range values {
		if v.value == "" {
			continue
		}
		j, dup := first[v.value]
		if !dup {
			first[v.value] = i
			continue
		}
		what := fmt.Sprintf("%s %q", field, v.value)
		if secret {
			what = field
		}
		d.report(v.at.path().key(field), fmt.Sprintf("duplicate %s (already used by %s)", what, values[j].at.path()))
	}
}

// target is a set of ids a reference may name.
type target struct {
	what, where string // "team", "in governance.teams"
	ids         map[string]bool
}

func newTarget(what, where string, values []valueAt) target {
	t := target{what: what, where: where, ids: make(map[string]bool, len(values))}
	for _, v := range values {
		t.ids[v.value] = true
	}
	return t
}

// refer reports the reference id, at the path at returns, when t does not
// have it. The path is built only then: most references resolve.
func (d *decoder) refer(id string, t target, at func() path) {
	if id != "" && !t.ids[id] {
		d.reportReference(at(), fmt.Sprintf("no %s %q %s", t.what, id, t.where))
	}
}

// checkReferences requires every id an entity refers to to be defined in
// the file: the file must stand on its own.
func (d *decoder) checkReferences(f *File, keys []keyAt) {
	budgets := newTarget("budget", "in governance.budgets", pluck(budgetsPath, f.Budgets, budgetID))
	rateLimits := newTarget("rate limit", "in governance.rate_limits", pluck(rateLimitsPath, f.RateLimits, rateLimitID))
	customers := newTarget("customer", "in governance.customers", pluck(customersPath, f.Customers, customerID))
	teams := newTarget("team", "in governance.teams", pluck(teamsPath, f.Teams, teamID))
	virtualKeys := newTarget("virtual key", "in governance.virtual_keys", pluck(virtualKeysPath, f.VirtualKeys, virtualKeyID))
	modelConfigs := newTarget("model config", "in governance.model_configs", pluck(modelConfigsPath, f.ModelConfigs, modelConfigID))
	keyTargets := providerKeyTargets(keys)

	for i, c := range f.Customers {
		at := element{customersPath, i}
		d.refer(c.BudgetID, budgets, at.field("budget_id"))
		d.refer(c.RateLimitID, rateLimits, at.field("rate_limit_id"))
	}
	for i, t := range f.Teams {
		at := element{teamsPath, i}
		d.refer(t.CustomerID, customers, at.field("customer_id"))
		d.refer(t.BudgetID, budgets, at.field("budget_id"))
		d.refer(t.RateLimitID, rateLimits, at.field("rate_limit_id"))
	}
	for i, vk := range f.VirtualKeys {
		at := element{virtualKeysPath, i}
		d.refer(vk.TeamID, teams, at.field("team_id"))
		d.refer(vk.CustomerID, customers, at.field("customer_id"))
		d.refer(vk.RateLimitID, rateLimits, at.field("rate_limit_id"))
		for j, pc := range vk.ProviderConfigs {
			pcAt := func() path { return at.path().key("provider_configs").index(j) }
			d.refer(pc.RateLimitID, rateLimits, func() path { return pcAt().key("rate_limit_id") })
			providerKeys, ok := keyTargets[pc.Provider]
			if !ok {
				providerKeys = keyTarget(pc.Provider, nil)
			}
			for k, id := range pc.KeyIDs {
				if id != configstore.AllKeys {
					d.refer(id, providerKeys, func() path { return pcAt().key("key_ids").index(k) })
				}
			}
		}
	}
	for i, b := range f.Budgets {
		at := element{budgetsPath, i}
		d.refer(b.VirtualKeyID, virtualKeys, at.field("virtual_key_id"))
		d.refer(b.TeamID, teams, at.field("team_id"))
		d.refer(b.CustomerID, customers, at.field("customer_id"))
		d.refer(b.ModelConfigID, modelConfigs, at.field("model_config_id"))
	}
	for i, m := range f.ModelConfigs {
		at := element{modelConfigsPath, i}
		d.refer(m.BudgetID, budgets, at.field("budget_id"))
		d.refer(m.RateLimitID, rateLimits, at.field("rate_limit_id"))
	}
}

// providerKeyTargets returns, per provider, what a virtual key's key_ids
// may name: a key of that provider by its id, or by its name when the key
// has no id.
func providerKeyTargets(keys []keyAt) map[string]target {
	refs := map[string][]valueAt{}
	for _, k := range keys {
		ref := k.key.ID
		if ref == "" {
			ref = k.key.Name
		}
		refs[k.key.Provider] = append(refs[k.key.Provider], valueAt{k.at, ref})
	}
	targets := make(map[string]target, len(refs))
	for provider, r := range refs {
		targets[provider] = keyTarget(provider, r)
	}
	return targets
}

// keyTarget is the keys of provider that key_ids may name.
func keyTarget(provider string, refs []valueAt) target {
	return newTarget("key", fmt.Sprintf("for provider %q", provider), refs)
}

// normalize validates each entity as the store would (configstore.Normalize,
// which also applies defaults) and reports its field error under the
// entity's path, unless the checker already reported a problem there: a
// value it left out reads as zero, and "is required" would only repeat it.
func (d *decoder) normalize(f *File, keys []keyAt, authAt path) {
	for i := range f.Providers {
		pc := &f.Providers[i]
		d.normalizeAt(providersPath.key(pc.Name), &pc.Provider)
	}
	for _, k := range keys {
		d.normalizeAt(k.at.path(), k.key)
	}
	at := make(path, 0, walkDepth)
	normalizeList(d, at, budgetsPath, f.Budgets)
	normalizeList(d, at, rateLimitsPath, f.RateLimits)
	normalizeList(d, at, customersPath, f.Customers)
	normalizeList(d, at, teamsPath, f.Teams)
	normalizeList(d, at, virtualKeysPath, f.VirtualKeys)
	normalizeList(d, at, routingRulesPath, f.RoutingRules)
	normalizeList(d, at, modelConfigsPath, f.ModelConfigs)
	normalizeList(d, at, mcpClientsPath, f.MCPClients)
	normalizeList(d, at, pluginsPath, f.Plugins)
	normalizeSection(d, authAt, f.AuthConfig)
	normalizeSection(d, path{}.key("client"), f.Client)
	normalizeSection(d, path{}.key("vector_store"), f.VectorStore)
	normalizeSection(d, path{}.key("logs_store"), f.LogsStore)
}

// normalizeList normalizes the entities of the section at list, each at
// its path built in at's capacity: tens of thousands of entities, whose
// paths are needed only for a problem (normalizeAt copies what it keeps).
func normalizeList[T any](d *decoder, at, list path, items []T) {
	for i := range items {
		d.normalizeAt(append(append(at[:0], list...), segment{index: i, isIndex: true}), &items[i])
	}
}

// normalizeSection normalizes a settings section at at, when the file has
// it.
func normalizeSection[T any](d *decoder, at path, v *T) {
	if v != nil {
		d.normalizeAt(at, v)
	}
}

// normalizeAt normalizes the entity v points to, at at (see normalize). It
// keeps no part of at.
func (d *decoder) normalizeAt(at path, v any) {
	if d.broken(at) {
		return
	}
	err := configstore.Normalize(v)
	var fe *configstore.FieldError
	switch {
	case err == nil:
	case errors.As(err, &fe):
		fieldAt := append(at[:len(at):len(at)], parsePath(fe.Path)...)
		if !d.checkedNear(fieldAt) {
			d.add(fieldAt, at.String()+"."+fe.Path, d.root.at(fieldAt).start, fe.Msg, errors.Is(fe, configstore.ErrInvalidReference))
		}
	default:
		d.report(at, err.Error())
	}
}
