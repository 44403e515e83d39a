package configstore

// MCPClient is a connection to a Model Context Protocol server.
type MCPClient struct {
	// ClientID identifies the client (config.json "client_id"); generated
	// when empty. Name is unique.
	ClientID         string `json:"client_id,omitempty" store:"client_id" config:"id"`
	Name             string `json:"name" store:"name"`
	IsCodeModeClient bool   `json:"is_code_mode_client,omitempty" store:"is_code_mode_client"`
	ConnectionType   string `json:"connection_type" store:"connection_type"`
	// ConnectionString is a secret: URLs often carry tokens.
	ConnectionString   EnvVar            `json:"connection_string,omitzero" store:"connection_string"`
	AuthType           string            `json:"auth_type,omitempty" store:"auth_type"`
	Headers            map[string]EnvVar `json:"headers,omitempty" store:"headers"`
	StdioConfig        *MCPStdioConfig   `json:"stdio_config,omitempty" store:"stdio_config"`
	ToolsToExecute     []string          `json:"tools_to_execute,omitempty" store:"tools_to_execute" config:"set"`
	ToolsToAutoExecute []string          `json:"tools_to_auto_execute,omitempty" store:"tools_to_auto_execute" config:"set"`
	// ToolSyncInterval is a Go duration string ("10m").
	ToolSyncInterval      string   `json:"tool_sync_interval,omitempty" store:"tool_sync_interval"`
	AllowedExtraHeaders   []string `json:"allowed_extra_headers,omitempty" store:"allowed_extra_headers" config:"set"`
	IsPingAvailable       bool     `json:"is_ping_available,omitempty" store:"is_ping_available"`
	AllowOnAllVirtualKeys bool     `json:"allow_on_all_virtual_keys,omitempty" store:"allow_on_all_virtual_keys"`
	Disabled              bool     `json:"disabled,omitempty" store:"disabled"`
	Meta                  `config:"server"`
}

// MCPStdioConfig starts an MCP server as a child process.
type MCPStdioConfig struct {
	Command string   `json:"command"`
	Args    []string `json:"args,omitempty"`
	// Envs names environment variables passed to the process.
	Envs []string `json:"envs,omitempty" config:"set"`
}

func (c *MCPClient) key() string      { return c.ClientID }
func (c *MCPClient) setKey(id string) { c.ClientID = id }

func (c *MCPClient) validate() error {
	if err := requireName("name", c.Name); err != nil {
		return err
	}
	if err := oneOf("connection_type", c.ConnectionType, "stdio", "http", "sse", "inprocess"); err != nil {
		return err
	}
	if c.AuthType != "" {
		if err := oneOf("auth_type", c.AuthType, "none", "headers", "oauth", "per_user_oauth", "per_user_headers"); err != nil {
			return err
		}
	}
	switch c.ConnectionType {
	case "http", "sse":
		if c.ConnectionString.IsZero() {
			return invalidf("connection_string", "is required for connection_type %q", c.ConnectionType)
		}
	case "stdio":
		if c.StdioConfig == nil || c.StdioConfig.Command == "" {
			return invalidf("stdio_config.command", "is required for connection_type \"stdio\"")
		}
	}
	return nil
}
