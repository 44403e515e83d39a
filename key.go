package configstore

// Key is one API key of a provider.
type Key struct {
	// ID identifies the key (config.json "id"); generated when empty.
	ID string `json:"id,omitempty" store:"id" config:"id"`
	// Provider is the name of the provider the key belongs to; it cannot be
	// changed by an update. Deleting the provider deletes its keys.
	Provider           string              `json:"provider,omitempty" store:"provider"`
	Name               string              `json:"name" store:"name"`
	Value              EnvVar              `json:"value,omitzero" store:"value"`
	Models             []string            `json:"models,omitempty" store:"models" config:"set"`
	BlacklistedModels  []string            `json:"blacklisted_models,omitempty" store:"blacklisted_models" config:"set"`
	Weight             float64             `json:"weight" store:"weight"`
	Enabled            *bool               `json:"enabled,omitempty" store:"enabled"`
	UseForBatchAPI     bool                `json:"use_for_batch_api,omitempty" store:"use_for_batch_api"`
	Aliases            map[string]string   `json:"aliases,omitempty" store:"aliases"`
	AzureKeyConfig     *AzureKeyConfig     `json:"azure_key_config,omitempty" store:"azure_key_config"`
	VertexKeyConfig    *VertexKeyConfig    `json:"vertex_key_config,omitempty" store:"vertex_key_config"`
	BedrockKeyConfig   *BedrockKeyConfig   `json:"bedrock_key_config,omitempty" store:"bedrock_key_config"`
	VLLMKeyConfig      *VLLMKeyConfig      `json:"vllm_key_config,omitempty" store:"vllm_key_config"`
	OllamaKeyConfig    *URLKeyConfig       `json:"ollama_key_config,omitempty" store:"ollama_key_config"`
	SGLKeyConfig       *URLKeyConfig       `json:"sgl_key_config,omitempty" store:"sgl_key_config"`
	ReplicateKeyConfig *ReplicateKeyConfig `json:"replicate_key_config,omitempty" store:"replicate_key_config"`
	Meta               `config:"server"`
}

// AzureKeyConfig holds Azure OpenAI settings of a key.
type AzureKeyConfig struct {
	Endpoint     EnvVar   `json:"endpoint,omitzero"`
	ClientID     EnvVar   `json:"client_id,omitzero"`
	ClientSecret EnvVar   `json:"client_secret,omitzero"`
	TenantID     EnvVar   `json:"tenant_id,omitzero"`
	Scopes       []string `json:"scopes,omitempty" config:"set"`
	APIVersion   string   `json:"api_version,omitempty"`
}

// VertexKeyConfig holds Google Vertex settings of a key.
type VertexKeyConfig struct {
	ProjectID       EnvVar `json:"project_id,omitzero"`
	ProjectNumber   string `json:"project_number,omitempty"`
	Region          string `json:"region,omitempty"`
	AuthCredentials EnvVar `json:"auth_credentials,omitzero"`
}

// BedrockKeyConfig holds AWS Bedrock settings of a key.
type BedrockKeyConfig struct {
	AccessKey     EnvVar            `json:"access_key,omitzero"`
	SecretKey     EnvVar            `json:"secret_key,omitzero"`
	SessionToken  EnvVar            `json:"session_token,omitzero"`
	Region        string            `json:"region,omitempty"`
	ARN           string            `json:"arn,omitempty"`
	RoleARN       string            `json:"role_arn,omitempty"`
	ExternalID    string            `json:"external_id,omitempty"`
	SessionName   string            `json:"session_name,omitempty"`
	Deployments   map[string]string `json:"deployments,omitempty"`
	BatchS3Config map[string]any    `json:"batch_s3_config,omitempty"`
}

// VLLMKeyConfig points a key at a vLLM server.
type VLLMKeyConfig struct {
	URL       string `json:"url,omitempty"`
	ModelName string `json:"model_name,omitempty"`
}

// URLKeyConfig points a key at a self-hosted server (Ollama, SGL).
type URLKeyConfig struct {
	URL string `json:"url,omitempty"`
}

// ReplicateKeyConfig holds Replicate settings of a key.
type ReplicateKeyConfig struct {
	UseDeploymentsEndpoint bool `json:"use_deployments_endpoint,omitempty"`
}

func (k *Key) key() string      { return k.ID }
func (k *Key) setKey(id string) { k.ID = id }

func (k *Key) validate() error {
	if err := requireName("provider", k.Provider); err != nil {
		return err
	}
	if err := requireName("name", k.Name); err != nil {
		return err
	}
	if k.Weight < 0 {
		return invalidf("weight", "must not be negative, got %v", k.Weight)
	}
	return nonEmptyItems("models", k.Models)
}

// IsEnabled reports whether the key is enabled (Enabled nil means true).
func (k *Key) IsEnabled() bool { return k.Enabled == nil || *k.Enabled }
