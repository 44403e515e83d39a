package configstore

import "time"

// Budget is a spending limit. It is owned by at most one of a virtual key, a
// team, a customer or a model config; deleting the owner deletes the budget.
type Budget struct {
	ID              string  `json:"id,omitempty" store:"id" config:"id"`
	MaxLimit        float64 `json:"max_limit" store:"max_limit"`
	ResetDuration   string  `json:"reset_duration" store:"reset_duration"`
	CalendarAligned bool    `json:"calendar_aligned,omitempty" store:"calendar_aligned"`
	// Owners: at most one is set.
	VirtualKeyID  string `json:"virtual_key_id,omitempty" store:"virtual_key_id,null"`
	TeamID        string `json:"team_id,omitempty" store:"team_id,null"`
	CustomerID    string `json:"customer_id,omitempty" store:"customer_id,null"`
	ModelConfigID string `json:"model_config_id,omitempty" store:"model_config_id,null"`
	// Runtime state: never part of config.json or its hash.
	CurrentUsage float64   `json:"current_usage,omitempty" store:"current_usage" config:"runtime"`
	LastReset    time.Time `json:"last_reset,omitzero" store:"last_reset,null" config:"runtime"`
	Meta         `config:"server"`
}

// RateLimit limits tokens and requests per window.
type RateLimit struct {
	ID                   string `json:"id,omitempty" store:"id" config:"id"`
	TokenMaxLimit        *int64 `json:"token_max_limit,omitempty" store:"token_max_limit"`
	TokenResetDuration   string `json:"token_reset_duration,omitempty" store:"token_reset_duration"`
	RequestMaxLimit      *int64 `json:"request_max_limit,omitempty" store:"request_max_limit"`
	RequestResetDuration string `json:"request_reset_duration,omitempty" store:"request_reset_duration"`
	CalendarAligned      bool   `json:"calendar_aligned,omitempty" store:"calendar_aligned"`
	// Runtime state: never part of config.json or its hash.
	TokenCurrentUsage   int64     `json:"token_current_usage,omitempty" store:"token_current_usage" config:"runtime"`
	TokenLastReset      time.Time `json:"token_last_reset,omitzero" store:"token_last_reset,null" config:"runtime"`
	RequestCurrentUsage int64     `json:"request_current_usage,omitempty" store:"request_current_usage" config:"runtime"`
	RequestLastReset    time.Time `json:"request_last_reset,omitzero" store:"request_last_reset,null" config:"runtime"`
	Meta                `config:"server"`
}

// Customer is a tenant; teams and virtual keys may belong to it.
type Customer struct {
	ID              string `json:"id,omitempty" store:"id" config:"id"`
	Name            string `json:"name" store:"name"`
	BudgetID        string `json:"budget_id,omitempty" store:"budget_id,null"`
	RateLimitID     string `json:"rate_limit_id,omitempty" store:"rate_limit_id,null"`
	CalendarAligned bool   `json:"calendar_aligned,omitempty" store:"calendar_aligned"`
	Meta            `config:"server"`
}

// Team groups virtual keys, optionally under a customer.
type Team struct {
	ID              string `json:"id,omitempty" store:"id" config:"id"`
	Name            string `json:"name" store:"name"`
	CustomerID      string `json:"customer_id,omitempty" store:"customer_id,null"`
	BudgetID        string `json:"budget_id,omitempty" store:"budget_id,null"`
	RateLimitID     string `json:"rate_limit_id,omitempty" store:"rate_limit_id,null"`
	CalendarAligned bool   `json:"calendar_aligned,omitempty" store:"calendar_aligned"`
	// Profile, Config and Claims are free-form JSON kept for the gateway.
	Profile map[string]any `json:"profile,omitempty" store:"profile"`
	Config  map[string]any `json:"config,omitempty" store:"config"`
	Claims  map[string]any `json:"claims,omitempty" store:"claims"`
	Meta    `config:"server"`
}

// ModelConfig sets a budget or rate limit for one model.
type ModelConfig struct {
	ID          string `json:"id,omitempty" store:"id" config:"id"`
	ModelName   string `json:"model_name" store:"model_name"`
	Provider    string `json:"provider,omitempty" store:"provider"`
	Scope       string `json:"scope,omitempty" store:"scope"`
	ScopeID     string `json:"scope_id,omitempty" store:"scope_id"`
	BudgetID    string `json:"budget_id,omitempty" store:"budget_id,null"`
	RateLimitID string `json:"rate_limit_id,omitempty" store:"rate_limit_id,null"`
	// CalendarAligned snaps budget resets to calendar boundaries.
	CalendarAligned bool `json:"calendar_aligned,omitempty" store:"calendar_aligned"`
	Meta            `config:"server"`
}

func (b *Budget) key() string           { return b.ID }
func (b *Budget) setKey(id string)      { b.ID = id }
func (r *RateLimit) key() string        { return r.ID }
func (r *RateLimit) setKey(id string)   { r.ID = id }
func (c *Customer) key() string         { return c.ID }
func (c *Customer) setKey(id string)    { c.ID = id }
func (t *Team) key() string             { return t.ID }
func (t *Team) setKey(id string)        { t.ID = id }
func (m *ModelConfig) key() string      { return m.ID }
func (m *ModelConfig) setKey(id string) { m.ID = id }

func (b *Budget) validate() error {
	if b.MaxLimit < 0 {
		return invalidf("max_limit", "must not be negative, got %v", b.MaxLimit)
	}
	if b.ResetDuration == "" {
		return invalidf("reset_duration", "is required")
	}
	if err := checkDuration("reset_duration", b.ResetDuration); err != nil {
		return err
	}
	if b.CurrentUsage < 0 {
		return invalidf("current_usage", "must not be negative")
	}
	return atMostOne(namedValue{"virtual_key_id", b.VirtualKeyID}, namedValue{"team_id", b.TeamID},
		namedValue{"customer_id", b.CustomerID}, namedValue{"model_config_id", b.ModelConfigID})
}

func (r *RateLimit) validate() error {
	if r.TokenMaxLimit != nil && *r.TokenMaxLimit < 0 {
		return invalidf("token_max_limit", "must not be negative")
	}
	if r.RequestMaxLimit != nil && *r.RequestMaxLimit < 0 {
		return invalidf("request_max_limit", "must not be negative")
	}
	if err := checkDuration("token_reset_duration", r.TokenResetDuration); err != nil {
		return err
	}
	if r.TokenMaxLimit != nil && r.TokenResetDuration == "" {
		return invalidf("token_reset_duration", "is required with token_max_limit")
	}
	if r.RequestMaxLimit != nil && r.RequestResetDuration == "" {
		return invalidf("request_reset_duration", "is required with request_max_limit")
	}
	return checkDuration("request_reset_duration", r.RequestResetDuration)
}

func (c *Customer) validate() error { return requireName("name", c.Name) }

func (t *Team) validate() error { return requireName("name", t.Name) }

func (m *ModelConfig) validate() error {
	if err := requireName("model_name", m.ModelName); err != nil {
		return err
	}
	if m.Scope != "" {
		if err := oneOf("scope", m.Scope, "global", "virtual_key"); err != nil {
			return err
		}
	}
	if m.Scope != "" && m.Scope != "global" && m.ScopeID == "" {
		return invalidf("scope_id", "is required when scope is %q", m.Scope)
	}
	return nil
}
