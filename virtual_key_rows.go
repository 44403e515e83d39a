package configstore

// A virtual key's provider configs, their key lists and its MCP configs are
// stored as rows of their own kinds, so that the database enforces their
// references to keys, rate limits and MCP clients. These rows are parts of
// the virtual key (Kind.Part): they are written and read with it.

type vkProviderConfigRow struct {
	ID                string   `store:"id"`
	VirtualKeyID      string   `store:"virtual_key_id"`
	Position          int      `store:"position"`
	Provider          string   `store:"provider"`
	Weight            *float64 `store:"weight"`
	AllowedModels     []string `store:"allowed_models"`
	BlacklistedModels []string `store:"blacklisted_models"`
	RateLimitID       string   `store:"rate_limit_id,null"`
	AllKeys           bool     `store:"all_keys"`
}

type vkProviderConfigKeyRow struct {
	ID               string `store:"id"`
	ProviderConfigID string `store:"provider_config_id"`
	Position         int    `store:"position"`
	KeyID            string `store:"key_id"`
}

type vkMCPConfigRow struct {
	ID             string   `store:"id"`
	VirtualKeyID   string   `store:"virtual_key_id"`
	Position       int      `store:"position"`
	MCPClientID    string   `store:"mcp_client_id"`
	ToolsToExecute []string `store:"tools_to_execute"`
}

// partID is the key of the part row at position of parent: "parent/0001".
func partID(parent string, position int) string {
	var buf [64]byte // on the stack for the usual keys
	b := append(buf[:0], parent...)
	b = append(b, '/')
	return string(appendZeroPadded(b, int64(position), 4))
}
