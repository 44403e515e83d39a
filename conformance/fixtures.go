package conformance

import (
	"encoding/json"
	"time"

	"github.com/gatewaykit/configstore"
)

// The rows seedWorld creates, for records that refer to other kinds. The
// world holds no references between its own rows except keys to their
// providers, so each test adds exactly the references it is about.
const (
	provOpenAI     = "openai"
	provAnthropic  = "anthropic"
	keyOpenAI1     = "key-openai-1"
	keyOpenAI2     = "key-openai-2"
	keyAnthropic1  = "key-anthropic-1"
	rateLimit1     = "rl-1"
	rateLimit2     = "rl-2"
	customer1      = "cust-1"
	team1          = "team-1"
	budget1        = "budget-1"
	budget2        = "budget-2"
	mcpClient1     = "mcp-1"
	mcpClient1Name = "files ✓"
	mcpClient2     = "mcp-2"
	mcpClient2Name = "search"
	vk1            = "vk-1"
	modelConfig1   = "mc-1"

	// missing is a key no test creates.
	missing = "does-not-exist"

	// unicode is a distinctive non-ASCII text.
	unicode = "Zürich ✓ 東京 🚀"
)

// seedWorld creates one or two rows of every kind that others refer to.
func seedWorld(t *suiteT) {
	t.Helper()
	s, ctx := t.store, t.ctx
	for _, name := range []string{provOpenAI, provAnthropic} {
		t.must(s.CreateProvider(ctx, &configstore.Provider{Name: name}), "seed provider %q", name)
	}
	for _, k := range []configstore.Key{
		{ID: keyOpenAI1, Provider: provOpenAI, Name: "openai primary", Value: configstore.NewEnvVar("sk-openai-primary-0001"), Weight: 1},
		{ID: keyOpenAI2, Provider: provOpenAI, Name: "openai secondary", Value: configstore.EnvRef("OPENAI_KEY_2"), Weight: 1},
		{ID: keyAnthropic1, Provider: provAnthropic, Name: "anthropic primary", Value: configstore.NewEnvVar("sk-ant-primary-0001"), Weight: 1},
	} {
		t.must(s.CreateKey(ctx, &k), "seed key %q", k.ID)
	}
	for _, id := range []string{rateLimit1, rateLimit2} {
		t.must(s.CreateRateLimit(ctx, &configstore.RateLimit{ID: id, RequestMaxLimit: ptr(int64(100)), RequestResetDuration: "1m"}), "seed rate limit %q", id)
	}
	t.must(s.CreateCustomer(ctx, &configstore.Customer{ID: customer1, Name: "Acme"}), "seed customer")
	t.must(s.CreateTeam(ctx, &configstore.Team{ID: team1, Name: "Platform"}), "seed team")
	for _, id := range []string{budget1, budget2} {
		t.must(s.CreateBudget(ctx, &configstore.Budget{ID: id, MaxLimit: 100, ResetDuration: "1M"}), "seed budget %q", id)
	}
	t.must(s.CreateMCPClient(ctx, &configstore.MCPClient{ClientID: mcpClient1, Name: mcpClient1Name, ConnectionType: "http",
		ConnectionString: configstore.NewEnvVar("https://mcp.example.com/files")}), "seed MCP client")
	t.must(s.CreateMCPClient(ctx, &configstore.MCPClient{ClientID: mcpClient2, Name: mcpClient2Name, ConnectionType: "inprocess"}), "seed MCP client")
	t.must(s.CreateVirtualKey(ctx, &configstore.VirtualKey{ID: vk1, Name: "seed vk", Value: configstore.NewEnvVar("sk-bf-seed-0123456789")}), "seed virtual key")
	t.must(s.CreateModelConfig(ctx, &configstore.ModelConfig{ID: modelConfig1, ModelName: "gpt-4o"}), "seed model config")
}

func ptr[T any](v T) *T { return &v }

// at returns a fixed time at millisecond precision in UTC.
func at(year int, month time.Month, day, hour, min, sec, ms int) time.Time {
	return time.Date(year, month, day, hour, min, sec, ms*int(time.Millisecond), time.UTC)
}

// rawJSON is compact JSON with keys out of order, unicode, nesting, an
// exponent and a null: a backend that re-encodes it changes the bytes.
func rawJSON() json.RawMessage {
	return json.RawMessage(`{"z":1,"a":[true,null,"Zürich ✓ 東京"],"n":{"x":1.5e-7,"y":{}},"e":[]}`)
}

func fullProvider() *configstore.Provider {
	return &configstore.Provider{
		Name: "custom " + unicode,
		NetworkConfig: &configstore.NetworkConfig{
			BaseURL:                        "https://api.example.com/v1/ü",
			ExtraHeaders:                   map[string]string{"X-City": unicode, "X-Empty": ""},
			DefaultRequestTimeoutInSeconds: 31,
			MaxRetries:                     7,
			RetryBackoffInitial:            250,
			RetryBackoffMax:                9000,
			EnforceHTTP2:                   true,
			InsecureSkipVerify:             true,
			CACertPEM:                      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
			StreamIdleTimeoutInSeconds:     45,
			MaxConnsPerHost:                64,
			BetaHeaderOverrides:            map[string]string{"anthropic-beta": "tools-2024-05-16"},
			AllowPrivateNetwork:            true,
		},
		ConcurrencyAndBufferSize: &configstore.ConcurrencyAndBufferSize{Concurrency: 17, BufferSize: 170},
		ProxyConfig: &configstore.ProxyConfig{Type: "http", URL: "http://proxy.internal:3128", Username: "üser",
			Password: configstore.NewEnvVar("proxy-password-literal-123"), CACertPEM: "proxy-pem"},
		SendBackRawRequest:      true,
		SendBackRawResponse:     true,
		StoreRawRequestResponse: true,
		CustomProviderConfig: &configstore.CustomProviderConfig{IsKeyLess: true, BaseProviderType: "openai",
			RequestPathOverrides: map[string]string{"chat_completion": "/v2/chat ✓"},
			AllowedRequests:      map[string]bool{"chat_completion": true, "embedding": false}},
	}
}

func fullKey() *configstore.Key {
	return &configstore.Key{
		ID:                "key-full",
		Provider:          provOpenAI,
		Name:              "key " + unicode,
		Value:             configstore.NewEnvVar("sk-live-" + unicode + "-0123456789abcdef"),
		Models:            []string{"gpt-4o", "gpt-4o-mini", unicode},
		BlacklistedModels: []string{"o1-preview"},
		Weight:            1.0 / 3,
		Enabled:           ptr(false),
		UseForBatchAPI:    true,
		Aliases:           map[string]string{"gpt-4": "gpt-4-turbo ✓", "fast": "gpt-4o-mini"},
		AzureKeyConfig: &configstore.AzureKeyConfig{
			Endpoint:     configstore.NewEnvVar("https://example.openai.azure.com"),
			ClientID:     configstore.EnvRef("AZURE_CLIENT_ID"),
			ClientSecret: configstore.NewEnvVar("azure-client-secret-0123456789"),
			TenantID:     configstore.NewEnvVar("tenant-ü"),
			Scopes:       []string{"https://cognitiveservices.azure.com/.default"},
			APIVersion:   "2024-10-21",
		},
		VertexKeyConfig: &configstore.VertexKeyConfig{
			ProjectID:       configstore.NewEnvVar("my-project"),
			ProjectNumber:   "123456789012",
			Region:          "europe-west6",
			AuthCredentials: configstore.EnvRef("VERTEX_CREDENTIALS"),
		},
		BedrockKeyConfig: &configstore.BedrockKeyConfig{
			AccessKey:     configstore.NewEnvVar("AKIAIOSFODNN7EXAMPLE"),
			SecretKey:     configstore.NewEnvVar("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
			SessionToken:  configstore.EnvRef("AWS_SESSION_TOKEN"),
			Region:        "eu-central-2",
			ARN:           "arn:aws:bedrock:eu-central-2:123456789012:inference-profile/x",
			RoleARN:       "arn:aws:iam::123456789012:role/gateway",
			ExternalID:    "ext-✓",
			SessionName:   "gateway-session",
			Deployments:   map[string]string{"claude": "anthropic.claude-3-5-sonnet"},
			BatchS3Config: map[string]any{"bucket": "batches", "prefix": unicode, "retries": 3.0, "tags": []any{"a", nil, true}, "nested": map[string]any{"k": "v"}},
		},
		VLLMKeyConfig:      &configstore.VLLMKeyConfig{URL: "http://vllm:8000", ModelName: "llama-3.1-8b"},
		OllamaKeyConfig:    &configstore.URLKeyConfig{URL: "http://ollama:11434"},
		SGLKeyConfig:       &configstore.URLKeyConfig{URL: "http://sgl:30000"},
		ReplicateKeyConfig: &configstore.ReplicateKeyConfig{UseDeploymentsEndpoint: true},
	}
}

func fullVirtualKey() *configstore.VirtualKey {
	return &configstore.VirtualKey{
		ID:              "vk-full",
		Name:            "vk " + unicode,
		Description:     "two\nlines ✓",
		Value:           configstore.NewEnvVar("sk-bf-" + unicode + "-0123456789abcdef"),
		PartsDigest:     "replaced by the store",
		IsActive:        true,
		CalendarAligned: true,
		TeamID:          team1,
		RateLimitID:     rateLimit1,
		ProviderConfigs: []configstore.VirtualKeyProviderConfig{
			{
				Provider:          provOpenAI,
				Weight:            ptr(0.75),
				AllowedModels:     []string{"gpt-4o", unicode},
				BlacklistedModels: []string{"o1"},
				RateLimitID:       rateLimit2,
				// Not in key order: the order given is kept.
				KeyIDs: []string{keyOpenAI2, keyOpenAI1},
			},
			{
				Provider:      provAnthropic,
				AllowedModels: []string{},
				KeyIDs:        []string{configstore.AllKeys},
			},
		},
		MCPConfigs: []configstore.VirtualKeyMCPConfig{
			{MCPClientName: mcpClient2Name},
			{MCPClientName: mcpClient1Name, ToolsToExecute: []string{"read", "write ✓"}},
		},
	}
}

func fullBudget() *configstore.Budget {
	return &configstore.Budget{
		ID:              "budget-full",
		MaxLimit:        1234.5678,
		ResetDuration:   "1M",
		CalendarAligned: true,
		VirtualKeyID:    vk1,
		CurrentUsage:    12.25,
		LastReset:       at(2025, time.January, 31, 23, 59, 59, 999),
	}
}

func fullRateLimit() *configstore.RateLimit {
	return &configstore.RateLimit{
		ID:                   "rl-full",
		TokenMaxLimit:        ptr(int64(9007199254740993)), // 2^53+1: not exact as a float64
		TokenResetDuration:   "1h",
		RequestMaxLimit:      ptr(int64(0)), // set, to zero: not the same as nil
		RequestResetDuration: "30s",
		CalendarAligned:      true,
		TokenCurrentUsage:    4242,
		TokenLastReset:       at(2024, time.February, 29, 12, 0, 0, 1),
		RequestCurrentUsage:  7,
		RequestLastReset:     at(2025, time.December, 31, 23, 59, 59, 123),
	}
}

func fullCustomer() *configstore.Customer {
	return &configstore.Customer{
		ID:              "cust-full",
		Name:            unicode + " GmbH",
		BudgetID:        budget1,
		RateLimitID:     rateLimit1,
		CalendarAligned: true,
	}
}

func fullTeam() *configstore.Team {
	return &configstore.Team{
		ID:              "team-full",
		Name:            "team " + unicode,
		CustomerID:      customer1,
		BudgetID:        budget2,
		RateLimitID:     rateLimit2,
		CalendarAligned: true,
		Profile:         map[string]any{"city": unicode, "size": 12.5, "tags": []any{"a", nil, true}},
		Config:          map[string]any{"nested": map[string]any{"deep": map[string]any{"x": 1.0, "empty": map[string]any{}}}},
		Claims:          map[string]any{"roles": []any{"admin", "billing"}, "mfa": false},
	}
}

func fullPlugin() *configstore.Plugin {
	return &configstore.Plugin{
		Name:      "plugin " + unicode,
		Enabled:   true,
		Config:    rawJSON(),
		Path:      ptr("/opt/plugins/ü.so"),
		Version:   3,
		Placement: configstore.PlacementPreBuiltin,
		Order:     7,
	}
}

func fullMCPClient() *configstore.MCPClient {
	return &configstore.MCPClient{
		ClientID:         "mcp-full",
		Name:             "mcp " + unicode,
		IsCodeModeClient: true,
		ConnectionType:   "http",
		ConnectionString: configstore.NewEnvVar("https://mcp.example.com/sse?token=mcp-secret-token-123"),
		AuthType:         "headers",
		Headers: map[string]configstore.EnvVar{
			"Authorization": configstore.NewEnvVar("Bearer mcp-literal-secret-abcdef"),
			"X-Ref":         configstore.EnvRef("MCP_TOKEN"),
		},
		StdioConfig:           &configstore.MCPStdioConfig{Command: "npx", Args: []string{"-y", "server ✓"}, Envs: []string{"HOME"}},
		ToolsToExecute:        []string{"*"},
		ToolsToAutoExecute:    []string{"read", unicode},
		ToolSyncInterval:      "10m",
		AllowedExtraHeaders:   []string{"x-user"},
		IsPingAvailable:       true,
		AllowOnAllVirtualKeys: true,
		Disabled:              true,
	}
}

func fullRoutingRule() *configstore.RoutingRule {
	return &configstore.RoutingRule{
		ID:            "rr-full",
		Name:          "rule " + unicode,
		Description:   "route gold ✓",
		Enabled:       true,
		CELExpression: `model == "gpt-4o" && headers["x-tier"] == "gold ✓"`,
		ChainRule:     true,
		Targets: []configstore.RoutingTarget{
			{Provider: provOpenAI, Model: "gpt-4o", ProviderKeyName: "openai primary", Weight: 0.7},
			{Provider: provAnthropic, Model: "claude-3-5-sonnet", Weight: 0.3},
		},
		Fallbacks: []string{"anthropic/claude-3-5-haiku", unicode},
		Scope:     "team",
		ScopeID:   team1,
		Priority:  42,
		Query:     json.RawMessage(`{"rules":[{"field":"model","op":"=","value":"gpt-4o ✓"}],"combinator":"and","not":false}`),
	}
}

func fullModelConfig() *configstore.ModelConfig {
	return &configstore.ModelConfig{
		ID:              "mc-full",
		ModelName:       "gpt-4o " + unicode,
		Provider:        provOpenAI,
		Scope:           "virtual_key",
		ScopeID:         vk1,
		BudgetID:        budget1,
		RateLimitID:     rateLimit1,
		CalendarAligned: true,
	}
}

// pricing returns the price record of (model, provider, mode), with its
// stored key filled in.
func pricing(model, provider, mode string) *configstore.ModelPricing {
	return &configstore.ModelPricing{ID: configstore.ModelPricingKey(model, provider, mode), Model: model, Provider: provider, Mode: mode}
}

func fullModelPricing() *configstore.ModelPricing {
	p := pricing("gpt-4o-2024-08-06 "+unicode, provOpenAI, "chat")
	p.InputCostPerToken = 2.5e-06
	p.OutputCostPerToken = 1e-05
	p.InputCostPerRequest = ptr(0.0)
	p.InputCostPerImage = ptr(0.001275)
	p.CacheReadInputTokenCost = ptr(1.25e-06)
	return p
}
