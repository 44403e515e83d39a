package configstore

import (
	"encoding/json"
	"fmt"
)

// RoutingRule routes requests matching a CEL expression to targets.
type RoutingRule struct {
	ID            string          `json:"id,omitempty" store:"id" config:"id"`
	Name          string          `json:"name" store:"name"`
	Description   string          `json:"description,omitempty" store:"description"`
	Enabled       bool            `json:"enabled" store:"enabled"`
	CELExpression string          `json:"cel_expression,omitempty" store:"cel_expression"`
	ChainRule     bool            `json:"chain_rule,omitempty" store:"chain_rule"`
	Targets       []RoutingTarget `json:"targets" store:"targets"`
	Fallbacks     []string        `json:"fallbacks,omitempty" store:"fallbacks"`
	// Scope is global (default), team, customer or virtual_key; ScopeID
	// names the scoped entity.
	Scope    string `json:"scope,omitempty" store:"scope"`
	ScopeID  string `json:"scope_id,omitempty" store:"scope_id"`
	Priority int    `json:"priority" store:"priority"`
	// Query is the management UI's rule-builder state, kept verbatim.
	Query json.RawMessage `json:"query,omitempty" store:"query"`
	Meta  `config:"server"`
}

// RoutingTarget is one weighted destination of a routing rule.
type RoutingTarget struct {
	Provider        string  `json:"provider,omitempty"`
	Model           string  `json:"model,omitempty"`
	ProviderKeyName string  `json:"provider_key_name,omitempty"`
	Weight          float64 `json:"weight"`
}

func (r *RoutingRule) key() string      { return r.ID }
func (r *RoutingRule) setKey(id string) { r.ID = id }

func (r *RoutingRule) validate() error {
	if err := requireName("name", r.Name); err != nil {
		return err
	}
	if len(r.Targets) == 0 {
		return invalidf("targets", "needs at least one target")
	}
	for i, t := range r.Targets {
		if t.Weight < 0 {
			return invalidf(fmt.Sprintf("targets[%d].weight", i), "must not be negative")
		}
	}
	if r.Scope != "" {
		if err := oneOf("scope", r.Scope, "global", "team", "customer", "virtual_key"); err != nil {
			return err
		}
		if r.Scope != "global" && r.ScopeID == "" {
			return invalidf("scope_id", "is required when scope is %q", r.Scope)
		}
	}
	return validJSON("query", r.Query)
}
