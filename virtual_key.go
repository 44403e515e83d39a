package configstore

import (
	"fmt"
	"slices"
)

// VirtualKey is a key the gateway hands to its callers, with its governance.
type VirtualKey struct {
	// ID identifies the virtual key; generated when empty.
	ID          string `json:"id,omitempty" store:"id" config:"id"`
	Name        string `json:"name" store:"name"`
	Description string `json:"description,omitempty" store:"description"`
	// Value is the secret callers present; unique.
	Value           EnvVar `json:"value,omitzero" store:"value"`
	IsActive        bool   `json:"is_active" store:"is_active"`
	CalendarAligned bool   `json:"calendar_aligned,omitempty" store:"calendar_aligned"`
	// TeamID or CustomerID (not both) own the key.
	TeamID      string `json:"team_id,omitempty" store:"team_id,null"`
	CustomerID  string `json:"customer_id,omitempty" store:"customer_id,null"`
	RateLimitID string `json:"rate_limit_id,omitempty" store:"rate_limit_id,null"`
	// ProviderConfigs and MCPConfigs are stored as rows of their own tables
	// and always read and written with the virtual key.
	ProviderConfigs []VirtualKeyProviderConfig `json:"provider_configs,omitempty" store:"-" config:"set"`
	MCPConfigs      []VirtualKeyMCPConfig      `json:"mcp_configs,omitempty" store:"-" config:"set"`
	// PartsDigest is the store's digest of the rows ProviderConfigs and
	// MCPConfigs are stored as, set by every write (a value the caller
	// gives is replaced): an update that leaves them as they are compares
	// digests instead of reading the rows. Empty for a key stored before
	// the store kept it.
	PartsDigest string `json:"-" store:"parts_digest,null" config:"server"`
	Meta        `config:"server"`
}

// VirtualKeyProviderConfig allows a virtual key to use one provider.
type VirtualKeyProviderConfig struct {
	Provider          string   `json:"provider"`
	Weight            *float64 `json:"weight,omitempty"`
	AllowedModels     []string `json:"allowed_models,omitempty" config:"set"`
	BlacklistedModels []string `json:"blacklisted_models,omitempty" config:"set"`
	RateLimitID       string   `json:"rate_limit_id,omitempty"`
	// KeyIDs lists the provider keys the virtual key may use; ["*"] means
	// all of the provider's keys.
	KeyIDs []string `json:"key_ids,omitempty" config:"set"`
}

// VirtualKeyMCPConfig allows a virtual key to use tools of one MCP client.
type VirtualKeyMCPConfig struct {
	// MCPClientName names the MCP client (config.json's mcp_client_name).
	MCPClientName  string   `json:"mcp_client_name"`
	ToolsToExecute []string `json:"tools_to_execute,omitempty" config:"set"`
}

// AllKeys is the KeyIDs entry that allows every key of the provider.
const AllKeys = "*"

func (v *VirtualKey) key() string      { return v.ID }
func (v *VirtualKey) setKey(id string) { v.ID = id }

func (v *VirtualKey) validate() error {
	if err := requireName("name", v.Name); err != nil {
		return err
	}
	if v.Value.IsZero() {
		return invalidf("value", "is required")
	}
	if len(v.Value.Stored()) > maxNameLen {
		return invalidf("value", "is longer than %d bytes", maxNameLen)
	}
	// Parts are stored as rows: an empty list reads back as nil, so store nil.
	if len(v.ProviderConfigs) == 0 {
		v.ProviderConfigs = nil
	}
	if len(v.MCPConfigs) == 0 {
		v.MCPConfigs = nil
	}
	for i := range v.ProviderConfigs {
		if len(v.ProviderConfigs[i].KeyIDs) == 0 {
			v.ProviderConfigs[i].KeyIDs = nil
		}
	}
	if err := atMostOne(namedValue{"team_id", v.TeamID}, namedValue{"customer_id", v.CustomerID}); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, pc := range v.ProviderConfigs {
		if err := pc.validate(seen); err != nil {
			return prefixPath(err, fmt.Sprintf("provider_configs[%d]", i))
		}
	}
	clients := map[string]bool{}
	for i, mc := range v.MCPConfigs {
		err := requireName("mcp_client_name", mc.MCPClientName)
		if err == nil && clients[mc.MCPClientName] {
			err = invalidf("mcp_client_name", "MCP client %q is configured twice", mc.MCPClientName)
		}
		if err != nil {
			return prefixPath(err, fmt.Sprintf("mcp_configs[%d]", i))
		}
		clients[mc.MCPClientName] = true
	}
	return nil
}

// validate checks one provider config of a virtual key, with paths
// relative to it; seen holds the providers of the configs before it.
func (pc VirtualKeyProviderConfig) validate(seen map[string]bool) error {
	if err := requireName("provider", pc.Provider); err != nil {
		return err
	}
	if seen[pc.Provider] {
		return invalidf("provider", "provider %q is configured twice", pc.Provider)
	}
	seen[pc.Provider] = true
	if pc.Weight != nil && *pc.Weight < 0 {
		return invalidf("weight", "must not be negative")
	}
	if slices.Contains(pc.KeyIDs, AllKeys) && len(pc.KeyIDs) > 1 {
		return invalidf("key_ids", "%q must be the only entry", AllKeys)
	}
	if err := nonEmptyItems("key_ids", pc.KeyIDs); err != nil {
		return err
	}
	for j, id := range pc.KeyIDs {
		if slices.Index(pc.KeyIDs, id) != j {
			return invalidf(fmt.Sprintf("key_ids[%d]", j), "key %q is listed twice", id)
		}
	}
	return nil
}
