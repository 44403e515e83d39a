package configstore

// Provider is an LLM provider's settings (one entry of config.json's
// "providers" map, without its keys, which are Key records).
type Provider struct {
	// Name identifies the provider ("openai", or a custom provider's name).
	Name                     string                    `json:"name" store:"name" config:"id"`
	NetworkConfig            *NetworkConfig            `json:"network_config,omitempty" store:"network_config"`
	ConcurrencyAndBufferSize *ConcurrencyAndBufferSize `json:"concurrency_and_buffer_size,omitempty" store:"concurrency_and_buffer_size"`
	ProxyConfig              *ProxyConfig              `json:"proxy_config,omitempty" store:"proxy_config"`
	SendBackRawRequest       bool                      `json:"send_back_raw_request,omitempty" store:"send_back_raw_request"`
	SendBackRawResponse      bool                      `json:"send_back_raw_response,omitempty" store:"send_back_raw_response"`
	StoreRawRequestResponse  bool                      `json:"store_raw_request_response,omitempty" store:"store_raw_request_response"`
	CustomProviderConfig     *CustomProviderConfig     `json:"custom_provider_config,omitempty" store:"custom_provider_config"`
	Meta                     `config:"server"`
}

// NetworkConfig is a provider's HTTP settings.
type NetworkConfig struct {
	BaseURL                        string            `json:"base_url,omitempty"`
	ExtraHeaders                   map[string]string `json:"extra_headers,omitempty"`
	DefaultRequestTimeoutInSeconds int               `json:"default_request_timeout_in_seconds,omitempty"`
	MaxRetries                     int               `json:"max_retries,omitempty"`
	RetryBackoffInitial            int               `json:"retry_backoff_initial,omitempty"`
	RetryBackoffMax                int               `json:"retry_backoff_max,omitempty"`
	EnforceHTTP2                   bool              `json:"enforce_http2,omitempty"`
	InsecureSkipVerify             bool              `json:"insecure_skip_verify,omitempty"`
	CACertPEM                      string            `json:"ca_cert_pem,omitempty"`
	StreamIdleTimeoutInSeconds     int               `json:"stream_idle_timeout_in_seconds,omitempty"`
	MaxConnsPerHost                int               `json:"max_conns_per_host,omitempty"`
	BetaHeaderOverrides            map[string]string `json:"beta_header_overrides,omitempty"`
	AllowPrivateNetwork            bool              `json:"allow_private_network,omitempty"`
}

// ConcurrencyAndBufferSize bounds a provider's in-flight and queued requests.
type ConcurrencyAndBufferSize struct {
	Concurrency int `json:"concurrency"`
	BufferSize  int `json:"buffer_size"`
}

// ProxyConfig routes a provider's traffic through a proxy.
type ProxyConfig struct {
	Type      string `json:"type"` // none, http, socks5, environment
	URL       string `json:"url,omitempty"`
	Username  string `json:"username,omitempty"`
	Password  EnvVar `json:"password,omitzero"`
	CACertPEM string `json:"ca_cert_pem,omitempty"`
}

// CustomProviderConfig turns a provider entry into a custom provider built
// on a base provider type.
type CustomProviderConfig struct {
	IsKeyLess            bool              `json:"is_key_less,omitempty"`
	BaseProviderType     string            `json:"base_provider_type"`
	RequestPathOverrides map[string]string `json:"request_path_overrides,omitempty"`
	AllowedRequests      map[string]bool   `json:"allowed_requests,omitempty"`
}

// ProviderConfig is a provider with its keys, as GetProvidersConfig returns
// it and as config.json nests it.
type ProviderConfig struct {
	Provider
	Keys []Key `json:"keys"`
}

func (p *Provider) key() string        { return p.Name }
func (p *Provider) setKey(name string) { p.Name = name }

func (p *Provider) validate() error {
	if err := requireName("name", p.Name); err != nil {
		return err
	}
	if c := p.ConcurrencyAndBufferSize; c != nil {
		if c.Concurrency < 1 {
			return invalidf("concurrency_and_buffer_size.concurrency", "must be at least 1, got %d", c.Concurrency)
		}
		if c.BufferSize < c.Concurrency {
			return invalidf("concurrency_and_buffer_size.buffer_size", "must be at least concurrency (%d), got %d", c.Concurrency, c.BufferSize)
		}
	}
	if n := p.NetworkConfig; n != nil {
		if n.DefaultRequestTimeoutInSeconds < 0 {
			return invalidf("network_config.default_request_timeout_in_seconds", "must not be negative")
		}
		if n.MaxRetries < 0 {
			return invalidf("network_config.max_retries", "must not be negative")
		}
	}
	if px := p.ProxyConfig; px != nil {
		if err := oneOf("proxy_config.type", px.Type, "none", "http", "socks5", "environment"); err != nil {
			return err
		}
	}
	if c := p.CustomProviderConfig; c != nil && c.BaseProviderType == "" {
		return invalidf("custom_provider_config.base_provider_type", "is required")
	}
	return nil
}
